/// Where `zero serve` may listen (DESIGN §9): loopback by default, anywhere
/// else only with a token. Checked by `zero serve` before it starts the
/// server, and again by the server itself.
public enum ServeBind {
    /// Loopback names: 127.0.0.0/8, ::1, localhost.
    public static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased()
        return host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }

    /// Refuses what must never start: a bad port, a guessable token, a bind beyond loopback without a token.
    public static func validate(host: String, port: Int, token: String?) throws {
        guard (0...65_535).contains(port) else { throw ZeroError(.usage, "--port must be 0 to 65535, not \(port)") }
        if let token, token.count < 16 {
            throw ZeroError(.usage, "--token must be at least 16 characters; a short token is guessable", hint: "for example: --token $(openssl rand -hex 24)")
        }
        if !isLoopback(host), token == nil {
            throw ZeroError(
                .usage, "refusing to listen on \(host) without --token: anyone who reaches the port could act as an agent",
                hint: "add --token <secret> (clients send 'Authorization: Bearer <secret>'), or keep the default --host 127.0.0.1")
        }
    }
}
