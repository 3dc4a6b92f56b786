/// One value in a YAML-like header (DESIGN §2.1): a scalar, a flow or block
/// list, or one level of nested map.
public enum HeaderValue: Equatable, Sendable {
    case null
    /// A string; written plain when that reads back as the same string, quoted otherwise.
    case text(String)
    /// A plain token written exactly as is: numbers, booleans, timestamps, and
    /// unquoted values of keys Zero does not know (so their YAML type survives).
    case literal(String)
    case list([String])
    case map([HeaderField])

    /// The scalar's text, or nil for null and collections.
    public var string: String? {
        switch self {
        case .text(let value), .literal(let value): value
        default: nil
        }
    }

    public var isNull: Bool { self == .null }

    /// A string that was quoted in the file. Written back, it is plain where
    /// plain reads the same (and then reads back as a verbatim token), so it is
    /// one here too: one value, one representation, whichever way it was read.
    static func quoted(_ text: String, inFlow: Bool) -> HeaderValue {
        HeaderWriter.isPlainSafe(text, inFlow: inFlow) ? .literal(text) : .text(text)
    }

    /// The value as an entry of a map, which is written back as a flow map: a
    /// token that cannot stand there unquoted (a leading '-', a ',' or '}')
    /// is text, as Yams reads it.
    var asMapEntry: HeaderValue {
        guard case .literal(let token) = self else { return self }
        // Timestamps, numbers and words (every entry Zero writes) pass a byte check first.
        if let first = token.utf8.first, !ByteScanning.isIndicator(first),
            !token.utf8.contains(where: { ByteScanning.isFlowIndicator($0) || $0 <= 0x20 || $0 == 0x23 || $0 == 0x3F || $0 >= 0x80 })
        {
            return self
        }
        return HeaderWriter.isPlainSyntax(token, inFlow: true) ? self : .text(token)
    }
}

/// A `key: value` pair, in file order.
public struct HeaderField: Equatable, Sendable {
    public var key: String
    public var value: HeaderValue
    /// 1-based line in the file it was read from; 0 when built. Not part of equality.
    public var line: Int
    /// Whole-line comments just above the key, and the comment after its
    /// value on the key's line, kept so a rewrite does not drop them.
    /// Not part of equality.
    public var leadingComments: [String] = []
    public var inlineComment: String?

    public init(_ key: String, _ value: HeaderValue, line: Int = 0) {
        self.key = key
        self.value = value
        self.line = line
    }

    public static func == (lhs: HeaderField, rhs: HeaderField) -> Bool {
        lhs.key == rhs.key && lhs.value == rhs.value
    }
}

/// An ordered set of header fields with the line each was read from.
public struct Header: Equatable, Sendable {
    public static func == (lhs: Header, rhs: Header) -> Bool { lhs.fields == rhs.fields }

    public var fields: [HeaderField]
    /// Comment lines after the last key.
    public var trailingComments: [String] = []
    /// The first key found twice while reading, and its line: an error for the caller.
    var duplicate: (key: String, line: Int)?

    public init(fields: [HeaderField] = []) {
        self.fields = fields
    }

    /// 1-based line numbers in the source file, by key (read headers only).
    public var lines: [String: Int] {
        var lines: [String: Int] = [:]
        for field in fields where field.line > 0 && lines[field.key] == nil { lines[field.key] = field.line }
        return lines
    }

    /// The line `key` was read from, or nil.
    public func line(of key: String) -> Int? {
        fields.first(where: { $0.key == key }).flatMap { $0.line > 0 ? $0.line : nil }
    }

    public subscript(key: String) -> HeaderValue? {
        get { fields.first(where: { $0.key == key })?.value }
        set {
            if let index = fields.firstIndex(where: { $0.key == key }) {
                if let newValue { fields[index].value = newValue } else { fields.remove(at: index) }
            } else if let newValue {
                fields.append(HeaderField(key, newValue))
            }
        }
    }

    /// The fields whose keys are not in `known`, in file order: what a rewrite must keep.
    public func unknownFields(known: Set<String>) -> [HeaderField] {
        fields.filter { !known.contains($0.key) }
    }
}

/// The comments of a header by the key they belong to, carried by the typed
/// models (`CaseMeta`, `Session`, `Proof`) from the file they were read from
/// to the header they write back.
public struct HeaderComments: Equatable, Sendable {
    var leading: [String: [String]] = [:]
    var inline: [String: String] = [:]
    var trailing: [String] = []

    public init() {}

    public var isEmpty: Bool { leading.isEmpty && inline.isEmpty && trailing.isEmpty }
}

extension Header {
    /// This header's comments, by key.
    public var comments: HeaderComments {
        var comments = HeaderComments()
        for field in fields {
            if !field.leadingComments.isEmpty { comments.leading[field.key] = field.leadingComments }
            if let inline = field.inlineComment { comments.inline[field.key] = inline }
        }
        comments.trailing = trailingComments
        return comments
    }

    /// This header with `comments` put back on their keys; the comments of a
    /// key that is gone move to the end, so none is lost.
    public func attaching(_ comments: HeaderComments) -> Header {
        guard !comments.isEmpty else { return self }
        var header = self
        var placed = Set<String>()
        for index in header.fields.indices {
            let key = header.fields[index].key
            if let leading = comments.leading[key] { header.fields[index].leadingComments = leading; placed.insert(key) }
            if let inline = comments.inline[key] { header.fields[index].inlineComment = inline }
        }
        // A key the model no longer writes keeps its comments as `key: null`,
        // which every reader takes as absent: the comments stay by their key.
        let present = Set(header.fields.map(\.key))
        for key in Set(comments.leading.keys).union(comments.inline.keys).subtracting(present).sorted() {
            var field = HeaderField(key, .null)
            field.leadingComments = comments.leading[key] ?? []
            field.inlineComment = comments.inline[key]
            header.fields.append(field)
        }
        header.trailingComments = comments.trailing
        return header
    }
}
