/// Typed access to a parsed header; every bad value becomes a malformed-file
/// error that names the file and the line of the key.
public struct HeaderReader {
    public let header: Header
    public let file: String

    public init(_ header: Header, file: String) {
        self.header = header
        self.file = file
    }

    /// Headers have about 20 short keys: a linear scan beats hashing them.
    private func value(_ key: String) -> HeaderValue? {
        for field in header.fields where field.key == key { return field.value }
        return nil
    }

    public func fail(_ key: String, _ problem: String) -> ZeroError {
        ZeroError.malformed("'\(key)' \(problem)", file: file, line: header.line(of: key))
    }

    /// A scalar's text, or nil when the key is absent or null.
    public func string(_ key: String) throws -> String? {
        guard let value = value(key), !value.isNull else { return nil }
        guard let text = value.string else { throw fail(key, "must be a single value") }
        return text
    }

    public func required(_ key: String) throws -> String {
        guard let text = try string(key), !text.isEmpty else {
            throw ZeroError.malformed("'\(key)' is missing", file: file, line: header.line(of: key) ?? 1)
        }
        return text
    }

    public func int(_ key: String) throws -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Int(text) else { throw fail(key, "must be a whole number, not '\(text)'") }
        return value
    }

    public func bool(_ key: String) throws -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw fail(key, "must be true or false, not '\(text)'")
        }
    }

    public func timestamp(_ key: String) throws -> Timestamp? {
        guard let text = try string(key) else { return nil }
        guard let value = Timestamp(text) else { throw fail(key, "must be a UTC time like 2026-04-21T14:22:00Z, not '\(text)'") }
        return value
    }

    public func choice<T: RawRepresentable & CaseIterable>(_ key: String, _: T.Type) throws -> T? where T.RawValue == String {
        guard let text = try string(key) else { return nil }
        guard let value = T(rawValue: text) else {
            throw fail(key, "must be one of \(T.allCases.map(\.rawValue).joined(separator: ", ")), not '\(text)'")
        }
        return value
    }

    public func list(_ key: String) throws -> [String] {
        guard let value = value(key), !value.isNull else { return [] }
        if case .list(let items) = value { return items }
        if let single = value.string { return [single] }
        throw fail(key, "must be a list like [a, b]")
    }

    /// A one-level map, as ordered fields; nil when absent or null.
    public func map(_ key: String) throws -> [HeaderField]? {
        guard let value = value(key), !value.isNull else { return nil }
        guard case .map(let fields) = value else { throw fail(key, "must be a map like {a: 1, b: 2}") }
        return fields
    }
}

extension Array where Element == HeaderField {
    /// The text of a map entry, or nil.
    func value(_ key: String) -> String? {
        first(where: { $0.key == key })?.value.string
    }
}

extension HeaderValue {
    static func optionalText(_ text: String?) -> HeaderValue { text.map { .text($0) } ?? .null }
    static func optionalLiteral(_ text: String?) -> HeaderValue { text.map { .literal($0) } ?? .null }
    static func time(_ value: Timestamp?) -> HeaderValue { value.map { .literal($0.description) } ?? .null }
    static func int(_ value: Int?) -> HeaderValue { value.map { .literal(String($0)) } ?? .null }
    static func bool(_ value: Bool) -> HeaderValue { .literal(value ? "true" : "false") }
}
