import ArgumentParser
import ZeroCore

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Serve the HTTP API, SSE streams and webhooks on loopback.",
        discussion: """
            JSON over HTTP with the rules of the command line (DESIGN §6.2); every path \
            is also served under /api. GET /openapi.yaml describes them all.

            On start it prints the address and, once, a line 'operator token: <token>'. \
            Requests that approve, accept, verify, resolve or close a case need it \
            ('Authorization: Bearer <token>') and act as you, the operator who started \
            the server (signed with your key in signed mode). Other requests act as an \
            agent. Keep the token on your terminal: never put it where an agent reads.

            Loopback needs no other token. Listening anywhere else needs --token (or \
            ZERO_SERVE_TOKEN), sent by every client. SIGINT or SIGTERM stops it \
            gracefully. It runs zero-serve, installed beside zero.

            Examples:
              zero serve
              zero serve --port 0
              zero serve --host 0.0.0.0 --token "$(openssl rand -hex 24)"
              curl -s localhost:7878/tickets/ready
              curl -sN localhost:7878/events
            """)
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port; 0 picks a free one (printed at start).") var port = 7878
    @Option(help: "A token every request must carry (16+ characters); required beyond loopback.") var token: String?

    func run() throws {
        var variables: [String: String] = [:]
        if let token { variables["ZERO_SERVE_TOKEN"] = token }
        let given = variables["ZERO_SERVE_TOKEN"] ?? ZeroMain.processVariables()["ZERO_SERVE_TOKEN"]
        // Refused here, before anything starts; the companion checks again.
        try ServeBind.validate(host: host, port: port, token: given.flatMap { $0.isEmpty ? nil : $0 })
        try Sidecar.exec("zero-serve", ["--host", host, "--port", String(port)], variables: variables)
    }
}
