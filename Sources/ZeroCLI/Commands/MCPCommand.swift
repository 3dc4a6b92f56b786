import ArgumentParser

struct MCPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mcp", abstract: "Serve Zero's tools to an agent over MCP (stdio).",
        discussion: """
            Runs zero-mcp, installed next to zero, which speaks MCP on stdin and stdout \
            in the workspace of the current folder, as the repository's git identity. \
            Its tools start, record and complete work sessions on tickets, create cases \
            and sessions, submit plans, attach proof, and read records. None approves a \
            plan or verifies proof: those stay with an operator.

            Examples:
              zero mcp
              claude mcp add zero -- zero mcp
            """)

    func run() throws {
        try Sidecar.exec("zero-mcp", [])
    }
}
