import Dispatch
import MCP
import ZeroCore

/// Zero's MCP face (DESIGN §6.3): the tools an agent works a ticket with,
/// each a thin call into ZeroCore, answering with the JSON the CLI prints
/// with `--json`. No tool approves a plan, reviews a diff, verifies proof or
/// closes a case: those acts stay with an operator at a terminal.
public enum ZeroMCPServer {
    /// Every tool, in the order `tools/list` gives them.
    static let tools: [ZeroTool] = [
        .nextActionableTickets, .blockedTickets, .startWorkSession, .actionWorkSession, .completeWorkSession,
        .createCase, .createSession, .submitPlan, .attachProof, .get, .list,
    ]

    /// What the client tells the model about this server, once.
    static let instructions = """
        Zero keeps engineering work honest: code changes only under a plan an operator signed off, \
        cases close only with proof an operator checked. Work a ticket with get_next_actionable_tickets, \
        start_work_session, action_work_session (progress), complete_work_session. Ids may be unique \
        prefixes (4+ characters). A refused call says why and, after 'hint:', what to do next.
        """

    /// A server whose every call acts in the workspace found from
    /// `environment.currentFolder`, for the identity `environment` gives.
    public static func make(environment: Environment) async -> Server {
        let server = Server(
            name: "zero", version: ZeroVersion.current, instructions: instructions,
            capabilities: .init(tools: .init(listChanged: false)))
        let listed = tools.map(\.tool)
        await server.withMethodHandler(ListTools.self) { _ in ListTools.Result(tools: listed) }
        await server.withMethodHandler(CallTool.self) { request in
            try await offThePool { try call(request.name, request.arguments ?? [:], environment: environment) }
        }
        return server
    }

    /// Serves MCP on this process's stdin and stdout until stdin ends.
    public static func serveStandardIO(environment: Environment) async throws {
        let server = await make(environment: environment)
        try await server.start(transport: StdioTransport())
        await server.waitUntilCompleted()
    }

    /// Runs blocking work (file writes under locks, git, a proof's command that
    /// may take minutes) on a thread of its own, so that the few threads of
    /// Swift's cooperative pool keep reading and answering other messages.
    static func offThePool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }

    /// Runs one tool call. The workspace is made for this call alone (it is
    /// not Sendable, and holds nothing across calls); its writes block this
    /// task, which holds nothing else.
    static func call(_ name: String, _ given: [String: Value], environment: Environment) throws -> CallTool.Result {
        guard let tool = tools.first(where: { $0.name == name }) else {
            throw MCPError.invalidParams("no tool '\(name)'; tools/list gives the tools")
        }
        do {
            let arguments = try ToolArguments(given, for: tool)
            let workspace = try Workspace.locate(from: environment.currentFolder, environment: environment)
            let value = try tool.perform(arguments, workspace)
            return CallTool.Result(content: [.text(text: try ViewJSON.encode(value), annotations: nil, _meta: nil)], isError: false)
        } catch let error as ZeroError {
            return refusal(error)
        } catch {
            return refusal(ZeroError(.internal, "\(error)"))
        }
    }

    /// A refused call, as the CLI reports it on stderr (`zero: what (file:line)`,
    /// `hint: what to do next`) and then the error's code: an agent reads it
    /// to decide what to do.
    static func refusal(_ error: ZeroError) -> CallTool.Result {
        let text = error.report + "code: " + error.code.rawValue
        return CallTool.Result(content: [.text(text: text, annotations: nil, _meta: nil)], isError: true)
    }
}
