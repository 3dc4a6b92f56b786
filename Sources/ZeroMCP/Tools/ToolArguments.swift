import MCP
import ZeroCore

/// A call's arguments, checked against the tool's parameters before anything
/// is read or written: an unknown name, a missing required one or a value of
/// the wrong type is a usage error that names the argument. `null` counts as
/// not given.
struct ToolArguments {
    private let values: [String: Value]

    init(_ given: [String: Value], for tool: ZeroTool) throws {
        let parameters = Dictionary(uniqueKeysWithValues: tool.parameters.map { ($0.name, $0) })
        let takes = tool.parameters.isEmpty ? "no arguments" : tool.parameters.map(\.name).joined(separator: ", ")
        var values: [String: Value] = [:]
        for (name, value) in given.sorted(by: { $0.key < $1.key }) where !value.isNull {
            guard let parameter = parameters[name] else {
                throw ZeroError(.usage, "\(tool.name) has no argument '\(name)'", hint: "it takes \(takes)")
            }
            guard let accepted = parameter.accept(value) else {
                throw ZeroError(.usage, "\(tool.name): '\(name)' must be \(parameter.expected)", hint: parameter.summary)
            }
            values[name] = accepted
        }
        for parameter in tool.parameters where parameter.required && values[parameter.name] == nil {
            throw ZeroError(.usage, "\(tool.name) needs '\(parameter.name)'", hint: "\(parameter.name): \(parameter.summary)")
        }
        self.values = values
    }

    func has(_ name: String) -> Bool { values[name] != nil }

    /// The names among `names` that were given.
    func given(_ names: [String]) -> [String] { names.filter(has) }

    func string(_ name: String) -> String? { values[name]?.stringValue }

    func integer(_ name: String) -> Int? { values[name]?.intValue }

    func number(_ name: String) -> Double? { values[name]?.doubleValue }

    func flag(_ name: String) -> Bool { values[name]?.boolValue ?? false }

    func strings(_ name: String) -> [String] { values[name]?.arrayValue?.compactMap(\.stringValue) ?? [] }

    func integers(_ name: String) -> [Int] { values[name]?.arrayValue?.compactMap(\.intValue) ?? [] }

    /// A required string (the check made sure it is there).
    func required(_ name: String) throws -> String {
        guard let text = string(name) else { throw ZeroError(.usage, "'\(name)' is required") }
        return text
    }

    /// A choice parsed into its type (the check made sure it is one of the values).
    func choice<T: RawRepresentable>(_ name: String, as type: T.Type) -> T? where T.RawValue == String {
        string(name).flatMap(T.init(rawValue:))
    }
}
