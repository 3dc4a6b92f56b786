import Yams

/// Reads a YAML-like header (DESIGN §2.1) into ordered fields.
///
/// Files Zero writes use a small, regular subset of YAML; `fastParse` reads
/// exactly that subset line by line, which is what keeps `zero ready` and
/// `zero case list` fast on 10 000 cases. Anything outside the subset (a
/// hand edit with anchors, multi-line scalars, odd indentation) goes to Yams,
/// the reference parser, which also produces the error with its line number
/// when the header is not YAML at all.
public enum HeaderParser {
    /// Parses header lines; `firstLine` is the 1-based line of `lines[0]` in `file`.
    public static func parse(_ lines: ArraySlice<Substring>, firstLine: Int, file: String) throws -> Header {
        var text = lines.joined(separator: "\n")
        return try text.withUTF8 { bytes in
            try parse(bytes: bytes, lines: ByteText.lineRanges(bytes)[...], firstLine: firstLine, file: file)
        }
    }

    /// Parses the header whose lines are `lines` (byte ranges in `bytes`).
    static func parse(bytes: UnsafeBufferPointer<UInt8>, lines: ArraySlice<Range<Int>>, firstLine: Int, file: String) throws -> Header {
        guard let first = lines.first, let last = lines.last else { return Header() }
        let size = last.upperBound - first.lowerBound
        if size > headerLimit {
            throw ZeroError.malformed(
                "the header is \(size) bytes; headers are limited to \(headerLimit) bytes", file: file, line: firstLine,
                hint: "a header this large was not written by zero: restore the file from git")
        }
        if let offset = FastHeader(bytes: bytes).firstSpecialCharacter(first.lowerBound..<last.upperBound) {
            let line = firstLine + lines.prefix { $0.upperBound < offset }.count
            throw ZeroError.malformed(
                "the header holds a control character or a Unicode line separator (byte \(offset + 1)); write it escaped in double quotes",
                file: file, line: line)
        }
        var header: Header
        if let fast = FastHeader(bytes: bytes).parse(lines, firstLine: firstLine) {
            if let duplicate = fast.duplicate {
                throw ZeroError.malformed("key '\(duplicate.key)' appears twice", file: file, line: duplicate.line)
            }
            header = fast
        } else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[first.lowerBound..<last.upperBound]), as: UTF8.self)
            let textLines = text.split(separator: "\n", omittingEmptySubsequences: false)
            header = try yamsParse(textLines[...], firstLine: firstLine, file: file)
        }
        FastHeader(bytes: bytes).attachComments(to: &header, lines: lines, firstLine: firstLine)
        return header
    }

    /// Headers Zero writes are a few kilobytes; anything past this is refused, not parsed.
    public static let headerLimit = 1 << 20

    /// The fast reader alone (for tests): nil when the lines are outside its subset.
    static func fastParse(_ lines: ArraySlice<Substring>, firstLine: Int) -> Header? {
        var text = lines.joined(separator: "\n")
        return text.withUTF8 { bytes in FastHeader(bytes: bytes).parse(ByteText.lineRanges(bytes)[...], firstLine: firstLine) }
    }

    static func trimmed(_ text: Substring) -> Substring { ByteScanning.trimmed(text) }

    /// A key as Zero writes keys: an ASCII letter or '_', then letters, digits, '_', '-' or '.'.
    static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, first == 0x5F || (first | 0x20 >= 0x61 && first | 0x20 <= 0x7A) else { return false }
        return key.utf8.allSatisfy { byte in
            (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == 0x2D || byte == 0x2E
        }
    }

    /// A quoted scalar with doubled quotes or escapes; nil when it needs Yams.
    static func parseQuoted(_ text: Substring) -> HeaderValue? {
        guard let first = text.first, text.count >= 2, text.last == first else { return nil }
        let inner = text.dropFirst().dropLast()
        if first == "\"" { return unescapeDoubleQuoted(inner).map { .text($0) } }
        var out = ""
        var index = inner.startIndex
        while index < inner.endIndex {
            let character = inner[index]
            if character == "'" {
                let next = inner.index(after: index)
                guard next < inner.endIndex, inner[next] == "'" else { return nil }
                out.append("'")
                index = inner.index(after: next)
            } else {
                out.append(character)
                index = inner.index(after: index)
            }
        }
        return .text(out)
    }

    private static func unescapeDoubleQuoted(_ inner: Substring) -> String? {
        var out = String.UnicodeScalarView()
        var scalars = inner.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            if scalar == "\"" { return nil }
            guard scalar == "\\" else { out.append(scalar); continue }
            guard let escape = scalars.next() else { return nil }
            switch escape {
            case "n": out.append("\n")
            case "t": out.append("\t")
            case "r": out.append("\r")
            case "0": out.append("\0")
            case "\"", "\\", "/", " ": out.append(escape)
            case "x", "u", "U":
                let width = escape == "x" ? 2 : escape == "u" ? 4 : 8
                var hex = ""
                for _ in 0..<width {
                    guard let digit = scalars.next() else { return nil }
                    hex.unicodeScalars.append(digit)
                }
                guard let value = UInt32(hex, radix: 16), let decoded = Unicode.Scalar(value) else { return nil }
                out.append(decoded)
            default:
                return nil
            }
        }
        return String(out)
    }

    // MARK: - Everything else, through Yams

    /// Zero reads scalars as text and types them itself, so Yams need not
    /// resolve tags: its default resolver compiles ICU regular expressions on
    /// first use, its default encoding reads the whole environment, and its
    /// default constructor builds maps Zero never uses; on the hook path
    /// those were three quarters of `zero hook pre-commit`.
    nonisolated(unsafe) private static let plainConstructor = Constructor([:], [:], [:])

    /// The YAML node tree of `text`, without tag resolution.
    static func composeYAML(_ text: String) throws -> Node? {
        try Yams.compose(yaml: text, Resolver.basic, plainConstructor, .utf8)
    }

    static func yamsParse(_ lines: ArraySlice<Substring>, firstLine: Int, file: String) throws -> Header {
        if let line = anchorOrAliasLine(lines, firstLine: firstLine) {
            throw ZeroError.malformed("anchors ('&') and aliases ('*') are not allowed in headers", file: file, line: line)
        }
        let text = lines.joined(separator: "\n")
        let node: Node?
        do {
            node = try composeYAML(text)
        } catch let error as YamlError {
            throw yamlError(error, firstLine: firstLine, file: file)
        }
        guard let node else { return Header() }
        guard case .mapping(let mapping) = node else {
            throw ZeroError.malformed(
                "the header must be 'key: value' lines", file: file,
                line: firstLine + (node.mark?.line ?? 1) - 1)
        }
        var header = Header()
        var seen = Set<String>()
        for (keyNode, valueNode) in mapping {
            let line = firstLine + (keyNode.mark?.line ?? 1) - 1
            let key = try plainKey(keyNode, valueNode, what: "a header key", file: file, line: line)
            guard seen.insert(key).inserted else {
                throw ZeroError.malformed("key '\(key)' appears twice", file: file, line: line)
            }
            header.fields.append(HeaderField(key, try convert(valueNode, key: key, depth: 0, file: file, line: line), line: line))
        }
        return header
    }

    /// A mapping key as text. Merge keys (`<<`), anchors and aliases are
    /// refused: they make one line stand for another, which a rewrite cannot keep.
    private static func plainKey(_ keyNode: Node, _ valueNode: Node, what: String, file: String, line: Int) throws -> String {
        guard case .scalar(let scalar) = keyNode else {
            throw ZeroError.malformed("\(what) must be a plain word", file: file, line: line)
        }
        if scalar.string == "<<", scalar.style == .plain || scalar.style == .any {
            throw ZeroError.malformed("merge keys ('<<') are not allowed in headers", file: file, line: line)
        }
        // The same keys the fast reader takes, so that every header Zero writes reads back.
        guard isPlainKey(scalar.string), scalar.style == .plain || scalar.style == .any else {
            throw ZeroError.malformed("\(what) must be a plain word of letters, digits, '_', '-' or '.', not '\(scalar.string)'", file: file, line: line)
        }
        return scalar.string
    }

    /// The line of the first anchor (`&a`) or alias (`*a`), or nil. Yams
    /// expands aliases silently, so they are found in the text: `&` or `*`
    /// where a node starts (a value, a list item, a flow entry), outside quotes.
    static func anchorOrAliasLine(_ lines: ArraySlice<Substring>, firstLine: Int) -> Int? {
        for (offset, line) in lines.enumerated() {
            var quote: Character?
            var nodeStarts = true
            var flowDepth = 0
            // A '-' where a node starts is a list item only when a space follows it.
            var dashStarts = false
            var previous: Character = " "
            for character in line {
                if let open = quote {
                    if character == open { quote = nil }
                } else if character == " " || character == "\t" {
                    if previous == ":" || dashStarts { nodeStarts = true }
                    dashStarts = false
                } else if nodeStarts, character == "-" {
                    dashStarts = true
                    nodeStarts = false
                } else if character == "#", previous == " " || previous == "\t" {
                    break
                } else if nodeStarts, character == "&" || character == "*" {
                    return firstLine + offset
                } else if nodeStarts, character == "'" || character == "\"" {
                    quote = character
                    nodeStarts = false
                } else if character == "[" || character == "{", nodeStarts || flowDepth > 0 {
                    // A flow collection opens only where a value starts; mid-scalar it is a character.
                    flowDepth += 1
                    nodeStarts = true
                } else if character == ",", flowDepth > 0 {
                    nodeStarts = true
                } else if character == "]" || character == "}", flowDepth > 0 {
                    flowDepth -= 1
                    nodeStarts = false
                } else {
                    nodeStarts = false
                    dashStarts = false
                }
                previous = character
            }
        }
        return nil
    }

    private static func convert(_ node: Node, key: String, depth: Int, file: String, line: Int) throws -> HeaderValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return .null }
                // Keep the token verbatim only when it can be written back on one line as is.
                return HeaderWriter.isPlainSyntax(scalar.string, inFlow: depth > 0) ? .literal(scalar.string) : .text(scalar.string)
            }
            return .quoted(scalar.string, inFlow: depth > 0)
        case .sequence(let sequence):
            var items: [String] = []
            for item in sequence {
                guard case .scalar(let scalar) = item else {
                    throw ZeroError.malformed("'\(key)' must be a list of plain values", file: file, line: line)
                }
                items.append(scalar.string)
            }
            return .list(items)
        case .mapping(let mapping):
            guard depth == 0 else {
                throw ZeroError.malformed("'\(key)' nests maps too deeply; one level is allowed", file: file, line: line)
            }
            var fields: [HeaderField] = []
            var seen = Set<String>()
            for (keyNode, valueNode) in mapping {
                let inner = try plainKey(keyNode, valueNode, what: "a key inside '\(key)'", file: file, line: line)
                guard seen.insert(inner).inserted else {
                    throw ZeroError.malformed("key '\(inner)' appears twice inside '\(key)'", file: file, line: line)
                }
                fields.append(HeaderField(inner, try convert(valueNode, key: inner, depth: depth + 1, file: file, line: line)))
            }
            return .map(fields)
        case .alias:
            throw ZeroError.malformed("aliases are not allowed in '\(key)'", file: file, line: line)
        }
    }

    /// A Yams error as a malformed-file error with the line in `file`.
    static func yamlError(_ error: YamlError, firstLine: Int, file: String) -> ZeroError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ZeroError.malformed("not valid YAML: \(problem)", file: file, line: firstLine + mark.line - 1)
        case .reader(let problem, _, _, _):
            return ZeroError.malformed("not valid YAML: \(problem)", file: file, line: firstLine)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ZeroError.malformed(
                "key '\(duplicates.joined(separator: "', '"))' appears twice", file: file,
                line: firstLine + context.mark.line - 1)
        default:
            return ZeroError.malformed("not valid YAML: \(error)", file: file, line: firstLine)
        }
    }
}
