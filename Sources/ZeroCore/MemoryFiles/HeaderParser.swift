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
        if let header = fastParse(lines, firstLine: firstLine) {
            if let duplicate = header.duplicate {
                throw ZeroError.malformed("key '\(duplicate.key)' appears twice", file: file, line: duplicate.line)
            }
            return header
        }
        return try yamsParse(lines, firstLine: firstLine, file: file)
    }

    // MARK: - The canonical subset

    /// Reads the subset Zero writes; nil whenever anything is outside it.
    static func fastParse(_ lines: ArraySlice<Substring>, firstLine: Int) -> Header? {
        var header = Header()
        var index = lines.startIndex
        while index < lines.endIndex {
            let line = lines[index]
            let lineNumber = firstLine + (index - lines.startIndex)
            index += 1
            guard let first = line.utf8.first else { continue }
            if first == UInt8(ascii: "#") { continue }
            if first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") {
                if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
                return nil
            }
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let key = line[..<colon]
            guard isSimpleKey(key) else { return nil }
            let rest = line[line.index(after: colon)...]
            if let next = rest.first, next != " " { return nil }
            let valueText = trimmed(rest)
            let value: HeaderValue
            if valueText.isEmpty {
                // A block list or map may follow on indented lines.
                var block: [Substring] = []
                while index < lines.endIndex, let lead = lines[index].first, lead == " " || lead == "-" {
                    block.append(lines[index])
                    index += 1
                }
                if block.isEmpty {
                    value = .null
                } else {
                    guard let parsed = parseBlock(block) else { return nil }
                    value = parsed
                }
            } else {
                guard let parsed = parseInline(valueText) else { return nil }
                value = parsed
            }
            let keyString = String(key)
            if header.lines[keyString] != nil {
                header.duplicate = (keyString, lineNumber)
                return header
            }
            header.fields.append(HeaderField(keyString, value))
            header.lines[keyString] = lineNumber
        }
        return header
    }

    private static func isSimpleKey(_ key: Substring) -> Bool {
        guard let first = key.utf8.first, isLetter(first) || first == UInt8(ascii: "_") else { return false }
        return key.utf8.allSatisfy { isLetter($0) || ($0 >= 48 && $0 <= 57) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
    }

    static func trimmed(_ text: Substring) -> Substring {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return text
    }

    private static func parseBlock(_ block: [Substring]) -> HeaderValue? {
        let stripped = block.map { trimmed($0) }
        if stripped.allSatisfy({ $0.hasPrefix("- ") || $0 == "-" }) {
            var items: [String] = []
            for item in stripped {
                let itemText = trimmed(item.dropFirst())
                guard let value = parseScalar(itemText, inFlow: false), let string = value.string else { return nil }
                items.append(string)
            }
            return .list(items)
        }
        // One level of nested map, all lines at the same indentation.
        let indent = block[0].prefix(while: { $0 == " " }).count
        guard indent > 0 else { return nil }
        var fields: [HeaderField] = []
        for line in block {
            guard line.prefix(while: { $0 == " " }).count == indent else { return nil }
            let entry = line.dropFirst(indent)
            guard let colon = entry.firstIndex(of: ":"), isSimpleKey(entry[..<colon]) else { return nil }
            let rest = entry[entry.index(after: colon)...]
            if let next = rest.first, next != " " { return nil }
            let text = trimmed(rest)
            guard !text.isEmpty, let value = parseInline(text) else { return nil }
            if case .map = value { return nil }
            fields.append(HeaderField(String(entry[..<colon]), value))
        }
        return .map(fields)
    }

    /// A value on the same line as its key: scalar, `[flow, list]` or `{flow: map}`.
    static func parseInline(_ text: Substring) -> HeaderValue? {
        guard let first = text.first else { return .null }
        if first == "[" {
            guard text.last == "]" else { return nil }
            guard let items = splitFlow(text.dropFirst().dropLast()) else { return nil }
            var strings: [String] = []
            for item in items {
                guard let value = parseScalar(item, inFlow: true), let string = value.string else { return nil }
                strings.append(string)
            }
            return .list(strings)
        }
        if first == "{" {
            guard text.last == "}" else { return nil }
            guard let items = splitFlow(text.dropFirst().dropLast()) else { return nil }
            var fields: [HeaderField] = []
            for item in items {
                guard let colon = item.firstIndex(of: ":"), isSimpleKey(item[..<colon]) else { return nil }
                let rest = item[item.index(after: colon)...]
                guard rest.first == " " || rest.isEmpty else { return nil }
                guard let value = parseScalar(trimmed(rest), inFlow: true) else { return nil }
                fields.append(HeaderField(String(item[..<colon]), value))
            }
            return .map(fields)
        }
        return parseScalar(text, inFlow: false)
    }

    /// Splits the inside of a flow collection on commas outside quotes; nil when odd.
    private static func splitFlow(_ inner: Substring) -> [Substring]? {
        if trimmed(inner).isEmpty { return [] }
        var items: [Substring] = []
        var start = inner.startIndex
        var quote: Character?
        var index = inner.startIndex
        while index < inner.endIndex {
            let character = inner[index]
            if let open = quote {
                if open == "\"", character == "\\" {
                    index = inner.index(after: index)
                    if index == inner.endIndex { return nil }
                } else if character == open {
                    quote = nil
                }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == "," {
                items.append(trimmed(inner[start..<index]))
                start = inner.index(after: index)
            } else if "[]{}#".contains(character) {
                return nil
            }
            index = inner.index(after: index)
        }
        if quote != nil { return nil }
        items.append(trimmed(inner[start...]))
        return items.contains(where: { $0.isEmpty }) ? nil : items
    }

    /// A single scalar; nil when it needs the full YAML parser.
    static func parseScalar(_ text: Substring, inFlow: Bool) -> HeaderValue? {
        guard let first = text.first else { return .null }
        if first == "'" {
            guard text.count >= 2, text.last == "'" else { return nil }
            let inner = text.dropFirst().dropLast()
            // Inside, a quote must come doubled.
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
        if first == "\"" {
            guard text.count >= 2, text.last == "\"" else { return nil }
            return unescapeDoubleQuoted(text.dropFirst().dropLast()).map { .text($0) }
        }
        var plain = text
        if let comment = plain.firstRange(of: " #") { plain = trimmed(plain[..<comment.lowerBound]) }
        guard let lead = plain.first else { return .null }
        if "-?:,[]{}#&*!|>'\"%@`".contains(lead), !(lead == "-" && plain.count > 1 && plain.dropFirst().first != " ") {
            return nil
        }
        if plain.last == ":" || plain.contains(": ") || plain.contains("\t") { return nil }
        if inFlow, plain.contains(where: { ",[]{}".contains($0) }) { return nil }
        switch plain {
        case "~", "null", "Null", "NULL": return .null
        default: return .literal(String(plain))
        }
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

    static func yamsParse(_ lines: ArraySlice<Substring>, firstLine: Int, file: String) throws -> Header {
        let text = lines.joined(separator: "\n")
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw yamlError(error, firstLine: firstLine, file: file)
        }
        guard let node else { return Header() }
        guard case .mapping(let mapping) = node else {
            throw ZeroError.malformed("the header must be 'key: value' lines", file: file,
                                      line: firstLine + (node.mark?.line ?? 1) - 1)
        }
        var header = Header()
        for (keyNode, valueNode) in mapping {
            let line = firstLine + (keyNode.mark?.line ?? 1) - 1
            guard case .scalar(let keyScalar) = keyNode else {
                throw ZeroError.malformed("a header key must be a plain word", file: file, line: line)
            }
            let key = keyScalar.string
            if header.lines[key] != nil {
                throw ZeroError.malformed("key '\(key)' appears twice", file: file, line: line)
            }
            header.fields.append(HeaderField(key, try convert(valueNode, key: key, depth: 0, file: file, line: line)))
            header.lines[key] = line
        }
        return header
    }

    private static func convert(_ node: Node, key: String, depth: Int, file: String, line: Int) throws -> HeaderValue {
        switch node {
        case .scalar(let scalar):
            if scalar.style == .plain || scalar.style == .any {
                if ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return .null }
                // Keep the token verbatim only when it can be written back on one line as is.
                return HeaderWriter.isPlainSyntax(scalar.string, inFlow: true) ? .literal(scalar.string) : .text(scalar.string)
            }
            return .text(scalar.string)
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
            for (keyNode, valueNode) in mapping {
                guard case .scalar(let keyScalar) = keyNode else {
                    throw ZeroError.malformed("a key inside '\(key)' must be a plain word", file: file, line: line)
                }
                fields.append(HeaderField(keyScalar.string, try convert(valueNode, key: keyScalar.string, depth: depth + 1, file: file, line: line)))
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
            return ZeroError.malformed("key '\(duplicates.joined(separator: "', '"))' appears twice", file: file,
                                       line: firstLine + context.mark.line - 1)
        default:
            return ZeroError.malformed("not valid YAML: \(error)", file: file, line: firstLine)
        }
    }
}
