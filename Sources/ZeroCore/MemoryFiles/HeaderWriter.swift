/// Writes header fields deterministically: one `key: value` line per field,
/// flow lists and maps, plain scalars where YAML would read them back as the
/// same string, quotes otherwise.
public enum HeaderWriter {
    public static func render(_ fields: [HeaderField]) -> String {
        render(Header(fields: fields))
    }

    /// The header's lines, with its comments where they were read.
    public static func render(_ header: Header) -> String {
        var out = ""
        for field in header.fields {
            for comment in field.leadingComments { out += comment + "\n" }
            out += field.key
            out += ": "
            out += render(field.value)
            // The comment keeps the spacing it was read with.
            if let inline = field.inlineComment { out += inline }
            out += "\n"
        }
        for comment in header.trailingComments { out += comment + "\n" }
        return out
    }

    static func render(_ value: HeaderValue) -> String {
        switch value {
        case .null: return "null"
        case .literal(let token): return token
        case .text(let text): return scalar(text, inFlow: false)
        case .list(let items): return "[" + items.map { scalar($0, inFlow: true) }.joined(separator: ", ") + "]"
        case .map(let fields):
            let parts = fields.map { field -> String in
                let inner: String
                switch field.value {
                case .text(let text): inner = scalar(text, inFlow: true)
                // A token read from a block map may hold a ',' or '}' that a flow map cannot.
                case .literal(let token) where !isPlainSyntax(token, inFlow: true): inner = scalar(token, inFlow: true)
                case .list(let items): inner = "[" + items.map { scalar($0, inFlow: true) }.joined(separator: ", ") + "]"
                default: inner = render(field.value)
                }
                return field.key + ": " + inner
            }
            return "{" + parts.joined(separator: ", ") + "}"
        }
    }

    /// A string as a YAML scalar: plain when safe, single-quoted when it has
    /// only printable characters, double-quoted with escapes otherwise.
    public static func scalar(_ text: String, inFlow: Bool) -> String {
        if text.unicodeScalars.contains(where: needsEscape) { return doubleQuoted(text) }
        if isPlainSafe(text, inFlow: inFlow) { return text }
        return "'" + text.replacing("'", with: "''") + "'"
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
            || scalar.value == 0x2028 || scalar.value == 0x2029 || scalar.value == 0xfeff || scalar.value >= 0xfffe && scalar.value <= 0xffff
    }

    private static func doubleQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if needsEscape(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// Whether `text` written without quotes reads back as this same string.
    /// Conservative: anything YAML 1.1 or 1.2 could take for another type is quoted.
    static func isPlainSafe(_ text: String, inFlow: Bool) -> Bool {
        isPlainSyntax(text, inFlow: inFlow) && !mayResolveToNonString(text)
    }

    /// Whether `text` can stand unquoted on one line at all, whatever type YAML gives it.
    /// Scans the UTF-8 bytes: `String.contains` of a string goes through
    /// Foundation once it is imported, and this runs for every map entry read.
    static func isPlainSyntax(_ text: String, inFlow: Bool) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, let last = utf8.last else { return false }
        if text.unicodeScalars.contains(where: needsEscape) { return false }
        let space: UInt8 = 0x20, tab: UInt8 = 0x09, colon: UInt8 = 0x3A, hash: UInt8 = 0x23
        if first == space || first == tab || last == space || last == tab || last == colon { return false }
        if ByteScanning.isIndicator(first) { return false }
        var previous: UInt8 = 0
        for byte in utf8 {
            if byte == tab { return false }
            if previous == colon, byte == space { return false } // ": " starts a value
            if previous == space, byte == hash { return false } // " #" starts a comment
            if inFlow {
                if ByteScanning.isFlowIndicator(byte) { return false }
                // libyaml refuses ':' before a flow indicator, '?' included, inside a flow collection.
                if previous == colon, byte == 0x3F { return false }
            }
            previous = byte
        }
        return true
    }

    private static let reservedWords: Set<String> = [
        "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n",
        ".inf", "-.inf", "+.inf", ".nan", "<<", "=",
    ]

    /// True for tokens a YAML resolver could read as null, bool, number or date.
    static func mayResolveToNonString(_ text: String) -> Bool {
        if reservedWords.contains(text.lowercased()) { return true }
        var body = Substring(text)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        guard let first = body.first, first.isASCII, first.isNumber || first == "." else { return false }
        let lower = body.lowercased()
        if lower.hasPrefix("0x") { return lower.dropFirst(2).allSatisfy { $0.isHexDigit || $0 == "_" } }
        if lower.hasPrefix("0o") || lower.hasPrefix("0b") { return lower.dropFirst(2).allSatisfy { $0.isNumber || $0 == "_" } }
        // Integers, floats, exponents and sexagesimals use only these characters.
        if lower.allSatisfy({ "0123456789_.:e+-".contains($0) }) { return true }
        // Dates like 2026-04-21 or 2026-04-21T14:22:00Z.
        let bytes = Array(body.utf8)
        if bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[0...3].allSatisfy({ $0 >= 48 && $0 <= 57 }) { return true }
        return false
    }
}
