import MCP

/// One argument a tool takes. The JSON schema a client sees and the check
/// every call's arguments pass are both made from this one declaration.
struct ToolParameter: Sendable {
    enum Kind: Sendable {
        case string
        case integer
        case number
        case boolean
        /// A string from a fixed list.
        case choice([String])
        case strings
        case integers
    }

    var name: String
    var kind: Kind
    var summary: String
    var required = false

    init(_ name: String, _ kind: Kind, _ summary: String, required: Bool = false) {
        self.name = name
        self.kind = kind
        self.summary = summary
        self.required = required
    }

    /// This parameter's JSON schema.
    var schema: Value {
        var schema: [String: Value] = ["description": .string(summary)]
        switch kind {
        case .string: schema["type"] = "string"
        case .integer: schema["type"] = "integer"
        case .number: schema["type"] = "number"
        case .boolean: schema["type"] = "boolean"
        case .choice(let values):
            schema["type"] = "string"
            schema["enum"] = .array(values.map { .string($0) })
        case .strings:
            schema["type"] = "array"
            schema["items"] = ["type": "string"]
        case .integers:
            schema["type"] = "array"
            schema["items"] = ["type": "integer"]
        }
        return .object(schema)
    }

    /// What a value of this kind is, for error messages.
    var expected: String {
        switch kind {
        case .string: "a string"
        case .integer: "an integer"
        case .number: "a number"
        case .boolean: "true or false"
        case .choice(let values): "one of " + values.joined(separator: ", ")
        case .strings: "an array of strings"
        case .integers: "an array of integers"
        }
    }

    /// `value` in this parameter's kind, or nil when it is of another type.
    /// (A string that is a whole `data:` URL reaches us as `.data`, decoded by
    /// the SDK, and is refused as not a string: its text cannot be recovered.)
    func accept(_ value: Value) -> Value? {
        switch kind {
        case .string:
            return Self.text(value).map { .string($0) }
        case .choice(let values):
            guard let text = Self.text(value), values.contains(text) else { return nil }
            return .string(text)
        case .integer:
            return Self.integer(value).map { .int($0) }
        case .number:
            switch value {
            case .int(let number): return .double(Double(number))
            case .double(let number) where number.isFinite: return .double(number)
            default: return nil
            }
        case .boolean:
            guard case .bool = value else { return nil }
            return value
        case .strings:
            guard let items = value.arrayValue else { return nil }
            let texts = items.compactMap(Self.text)
            return texts.count == items.count ? .array(texts.map { .string($0) }) : nil
        case .integers:
            guard let items = value.arrayValue else { return nil }
            let numbers = items.compactMap(Self.integer)
            return numbers.count == items.count ? .array(numbers.map { .int($0) }) : nil
        }
    }

    private static func text(_ value: Value) -> String? {
        guard case .string(let text) = value else { return nil }
        return text
    }

    private static func integer(_ value: Value) -> Int? {
        switch value {
        case .int(let number): return number
        case .double(let number) where number.rounded() == number && abs(number) < 1e15: return Int(number)
        default: return nil
        }
    }
}
