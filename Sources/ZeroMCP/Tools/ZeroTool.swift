import MCP
import ZeroCore

/// One MCP tool: its name, a short description, its parameters, and what it
/// does: a call into ZeroCore on a workspace made for this call alone. The
/// result is the value the CLI prints with `--json`.
struct ZeroTool: Sendable {
    var name: String
    var summary: String
    var parameters: [ToolParameter]
    /// Reads only; clients may run it without asking.
    var readOnly = false
    var perform: @Sendable (ToolArguments, Workspace) throws -> any Encodable

    /// The tool as `tools/list` announces it.
    var tool: Tool {
        var schema: [String: Value] = [
            "type": "object",
            "properties": .object(Dictionary(uniqueKeysWithValues: parameters.map { ($0.name, $0.schema) })),
            "additionalProperties": false,
        ]
        let required = parameters.filter(\.required).map { Value.string($0.name) }
        if !required.isEmpty { schema["required"] = .array(required) }
        return Tool(
            name: name, description: summary, inputSchema: .object(schema),
            annotations: readOnly ? .init(readOnlyHint: true) : nil)
    }

    /// Exactly one of `names` must be given; returns it.
    static func one(of names: [String], in arguments: ToolArguments, tool: String) throws -> String {
        let given = arguments.given(names)
        guard given.count == 1 else {
            let list = names.joined(separator: ", ")
            throw ZeroError(
                .usage, given.isEmpty ? "\(tool) needs one of \(list)" : "\(tool) takes only one of \(list), not \(given.joined(separator: " and "))",
                hint: "give exactly one of \(list)")
        }
        return given[0]
    }

    /// Refuses `names` that were given but do not apply to `what`.
    static func refuse(_ names: [String], in arguments: ToolArguments, unlessFor what: String) throws {
        let given = arguments.given(names)
        guard given.isEmpty else {
            throw ZeroError(.usage, "\(given.joined(separator: ", ")) \(given.count == 1 ? "does" : "do") not apply to \(what)", hint: "leave them out")
        }
    }
}
