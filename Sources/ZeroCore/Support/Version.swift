/// Zero's version, as `zero --version` and the MCP server's handshake give it.
public enum ZeroVersion {
    public static let current = "0.1.0"
}
