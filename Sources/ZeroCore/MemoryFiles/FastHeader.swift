/// Reads the canonical subset of YAML that Zero writes, straight from a file's
/// UTF-8 bytes with integer offsets: `String`s are made only for keys and
/// values. This is what keeps listing 10 000 cases within a few milliseconds.
/// It returns nil for anything outside the subset; the caller then asks Yams.
struct FastHeader {
    let bytes: UnsafeBufferPointer<UInt8>
    private typealias B = ByteScanning

    func parse(_ lines: ArraySlice<Range<Int>>, firstLine: Int) -> Header? {
        var header = Header()
        header.fields.reserveCapacity(lines.count)
        var keys = KeySet()
        var index = lines.startIndex
        while index < lines.endIndex {
            let line = lines[index]
            let lineNumber = firstLine + (index - lines.startIndex)
            index += 1
            guard !line.isEmpty else { continue }
            let first = bytes[line.lowerBound]
            if first == B.hash { continue }
            if first == B.space || first == B.tab || first == B.carriageReturn {
                // A blank line; one holding a tab is left to Yams, which is stricter about tabs.
                if trim(line).isEmpty, !line.contains(where: { bytes[$0] == B.tab }) { continue }
                return nil
            }
            guard let colon = find(B.colon, in: line), isSimpleKey(line.lowerBound..<colon) else { return nil }
            let rest = (colon + 1)..<line.upperBound
            if !rest.isEmpty, bytes[rest.lowerBound] != B.space { return nil }
            var valueRange = trim(rest)
            // A comment after the value is not part of it (the comment reader keeps it).
            if let comment = Self.commentStart(bytes, valueRange) { valueRange = trim(valueRange.lowerBound..<comment) }
            let value: HeaderValue
            if valueRange.isEmpty {
                // A block list or map may follow on indented lines.
                let blockStart = index
                while index < lines.endIndex, !lines[index].isEmpty,
                    bytes[lines[index].lowerBound] == B.space || bytes[lines[index].lowerBound] == B.dash
                {
                    index += 1
                }
                if blockStart == index {
                    value = .null
                } else {
                    guard let parsed = block(lines[blockStart..<index]) else { return nil }
                    value = parsed
                }
            } else {
                guard let parsed = inline(valueRange) else { return nil }
                value = parsed
            }
            let key = string(line.lowerBound..<colon)
            guard keys.insert(key) else {
                header.duplicate = (key, lineNumber)
                return header
            }
            header.fields.append(HeaderField(key, value, line: lineNumber))
        }
        return header
    }

    // MARK: Values

    private func block(_ lines: ArraySlice<Range<Int>>) -> HeaderValue? {
        // Tabs around block indicators are where YAML readers differ: Yams decides.
        if lines.contains(where: { line in line.contains { bytes[$0] == B.tab } }) { return nil }
        let stripped = lines.map(trim)
        // Items at different indentation continue each other in YAML: Yams decides.
        if let first = lines.first, lines.contains(where: { indentation($0) != indentation(first) }) { return nil }
        if stripped.allSatisfy({ bytes[$0.lowerBound] == B.dash && ($0.count == 1 || bytes[$0.lowerBound + 1] == B.space) }) {
            var items: [String] = []
            for item in stripped {
                guard let value = scalar(trim((item.lowerBound + 1)..<item.upperBound), inFlow: false), let text = value.string else { return nil }
                items.append(text)
            }
            return .list(items)
        }
        // One level of nested map, all lines at the same indentation.
        let indent = indentation(lines.first!)
        guard indent > 0 else { return nil }
        var fields: [HeaderField] = []
        for line in lines {
            guard indentation(line) == indent else { return nil }
            let entry = (line.lowerBound + indent)..<line.upperBound
            guard let colon = find(B.colon, in: entry), isSimpleKey(entry.lowerBound..<colon) else { return nil }
            let rest = (colon + 1)..<entry.upperBound
            if !rest.isEmpty, bytes[rest.lowerBound] != B.space { return nil }
            let text = trim(rest)
            guard !text.isEmpty, var value = inline(text) else { return nil }
            if case .map = value { return nil }
            value = value.asMapEntry
            let key = string(entry.lowerBound..<colon)
            if fields.contains(where: { $0.key == key }) { return nil }
            fields.append(HeaderField(key, value))
        }
        return .map(fields)
    }

    /// A value on the same line as its key: scalar, `[flow, list]` or `{flow: map}`.
    private func inline(_ range: Range<Int>) -> HeaderValue? {
        let first = bytes[range.lowerBound]
        let last = bytes[range.upperBound - 1]
        if first == B.openBracket {
            guard last == B.closeBracket, range.count >= 2, let items = splitFlow((range.lowerBound + 1)..<(range.upperBound - 1)) else { return nil }
            var strings: [String] = []
            strings.reserveCapacity(items.count)
            for item in items {
                guard let value = scalar(item, inFlow: true), let text = value.string else { return nil }
                strings.append(text)
            }
            return .list(strings)
        }
        if first == B.openBrace {
            guard last == B.closeBrace, range.count >= 2, let items = splitFlow((range.lowerBound + 1)..<(range.upperBound - 1)) else { return nil }
            var fields: [HeaderField] = []
            fields.reserveCapacity(items.count)
            for item in items {
                guard let colon = find(B.colon, in: item), isSimpleKey(item.lowerBound..<colon) else { return nil }
                let rest = (colon + 1)..<item.upperBound
                guard rest.isEmpty || bytes[rest.lowerBound] == B.space else { return nil }
                guard let value = scalar(trim(rest), inFlow: true)?.asMapEntry else { return nil }
                let key = string(item.lowerBound..<colon)
                // A key twice: Yams reads it again and names the duplicate.
                if fields.contains(where: { $0.key == key }) { return nil }
                fields.append(HeaderField(key, value))
            }
            return .map(fields)
        }
        return scalar(range, inFlow: false)
    }

    /// Splits the inside of a flow collection on commas outside quotes; nil when odd.
    private func splitFlow(_ inner: Range<Int>) -> [Range<Int>]? {
        if trim(inner).isEmpty { return [] }
        var items: [Range<Int>] = []
        var start = inner.lowerBound
        var quote: UInt8 = 0
        var index = inner.lowerBound
        while index < inner.upperBound {
            let byte = bytes[index]
            if quote != 0 {
                if quote == B.doubleQuote, byte == B.backslash {
                    index += 1
                } else if byte == quote {
                    quote = 0
                }
            } else if byte == B.singleQuote || byte == B.doubleQuote {
                quote = byte
            } else if byte == B.comma {
                let item = trim(start..<index)
                if item.isEmpty { return nil }
                items.append(item)
                start = index + 1
            } else if B.isFlowIndicator(byte) || byte == B.hash {
                return nil
            }
            index += 1
        }
        if quote != 0 || index > inner.upperBound { return nil }
        let item = trim(start..<inner.upperBound)
        if item.isEmpty { return nil }
        items.append(item)
        return items
    }

    /// A single scalar; nil when it needs the full YAML parser.
    private func scalar(_ range: Range<Int>, inFlow: Bool) -> HeaderValue? {
        guard !range.isEmpty else { return .null }
        let first = bytes[range.lowerBound]
        if first == B.singleQuote || first == B.doubleQuote {
            guard range.count >= 2, bytes[range.upperBound - 1] == first else { return nil }
            let inner = (range.lowerBound + 1)..<(range.upperBound - 1)
            let special = first == B.singleQuote ? [B.singleQuote] : [B.doubleQuote, B.backslash]
            if !inner.contains(where: { special.contains(bytes[$0]) }) { return .quoted(string(inner), inFlow: inFlow) }
            // Escapes and doubled quotes: the slow, exact path.
            let text = string(range)
            return HeaderParser.parseQuoted(Substring(text)).flatMap { $0.string }.map { .quoted($0, inFlow: inFlow) }
        }
        var plain = range
        // A comment starts at " #".
        var index = plain.lowerBound
        while index + 1 < plain.upperBound {
            if bytes[index] == B.space, bytes[index + 1] == B.hash { plain = trim(plain.lowerBound..<index); break }
            index += 1
        }
        guard !plain.isEmpty else { return .null }
        let lead = bytes[plain.lowerBound]
        if B.isIndicator(lead) {
            // "-7" and "-x" are plain; "- x" and a lone "-" are not.
            guard lead == B.dash, plain.count > 1, bytes[plain.lowerBound + 1] != B.space else { return nil }
        }
        if bytes[plain.upperBound - 1] == B.colon { return nil }
        var previous: UInt8 = 0
        for position in plain {
            let byte = bytes[position]
            if byte == B.tab || (previous == B.colon && byte == B.space) { return nil }
            if inFlow, B.isFlowIndicator(byte) || (previous == B.colon && byte == 0x3F) { return nil }
            previous = byte
        }
        if isNullWord(plain) { return .null }
        return .literal(string(plain))
    }

    private func isNullWord(_ range: Range<Int>) -> Bool {
        switch range.count {
        case 1: return bytes[range.lowerBound] == 0x7E // ~
        case 4:
            let word = string(range)
            return word == "null" || word == "Null" || word == "NULL"
        default: return false
        }
    }

    // MARK: Bytes

    /// The offset of the first character YAML gives a meaning the memory
    /// files do not, or refuses: a control character (C0 or C1), a carriage
    /// return inside a line, a byte-order mark, U+FFFE or U+FFFF, or NEL, LS
    /// and PS, which YAML reads as line breaks while every other reader sees
    /// one line. Zero writes them escaped.
    func firstSpecialCharacter(_ range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte < 0x20 {
                if byte != B.tab, byte != B.newline, byte != B.carriageReturn { return index }
                // A carriage return is a line break to YAML unless it ends a line.
                if byte == B.carriageReturn, index + 1 < range.upperBound, bytes[index + 1] != B.newline { return index }
            } else if byte == 0x7F {
                return index
            } else if byte >= 0xC2, index + 1 < range.upperBound {
                let next = bytes[index + 1]
                // C1 controls (NEL among them) are not printable to YAML.
                if byte == 0xC2, next >= 0x80, next <= 0x9F { return index }
                // U+FFFE and U+FFFF are not characters.
                if byte == 0xEF, next == 0xBF, index + 2 < range.upperBound, bytes[index + 2] == 0xBE || bytes[index + 2] == 0xBF { return index }
                if byte == 0xE2, next == 0x80, index + 2 < range.upperBound, bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9 { return index }
                if byte == 0xEF, next == 0xBB, index + 2 < range.upperBound, bytes[index + 2] == 0xBF { return index }
            }
            index += 1
        }
        return nil
    }

    private func isSimpleKey(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty else { return false }
        let first = bytes[range.lowerBound]
        guard isLetter(first) || first == 0x5F else { return false }
        for position in range {
            let byte = bytes[position]
            guard isLetter(byte) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F || byte == B.dash || byte == 0x2E else { return false }
        }
        return true
    }

    private func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) }

    private func find(_ byte: UInt8, in range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }

    private func trim(_ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var end = range.upperBound
        while start < end, bytes[start] == B.space || bytes[start] == B.tab { start += 1 }
        while end > start, bytes[end - 1] == B.space || bytes[end - 1] == B.tab || bytes[end - 1] == B.carriageReturn { end -= 1 }
        return start..<end
    }

    private func indentation(_ range: Range<Int>) -> Int {
        var count = 0
        while range.lowerBound + count < range.upperBound, bytes[range.lowerBound + count] == B.space { count += 1 }
        return count
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}

/// Keys seen so far: a short array while there are few (every real header),
/// a hash set past that, so a header of many keys still parses in linear time.
struct KeySet {
    private var few: [String] = []
    private var many: Set<String>?

    /// False when `key` was there already.
    mutating func insert(_ key: String) -> Bool {
        if many != nil { return many!.insert(key).inserted }
        if few.contains(key) { return false }
        few.append(key)
        if few.count > 32 { many = Set(few); few = [] }
        return true
    }
}

/// Line splitting and text slicing over a file's bytes.
enum ByteText {
    /// The byte range of each line (without its `\n`); no empty last line after a final newline.
    static func lineRanges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var lines: [Range<Int>] = []
        lines.reserveCapacity(bytes.count / 32 + 1)
        var start = 0
        for index in 0..<bytes.count where bytes[index] == ByteScanning.newline {
            lines.append(start..<index)
            start = index + 1
        }
        if start < bytes.count { lines.append(start..<bytes.count) }
        return lines
    }

    static func hasPrefix(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ prefix: StaticString) -> Bool {
        guard line.count >= prefix.utf8CodeUnitCount else { return false }
        let start = prefix.utf8Start
        for offset in 0..<prefix.utf8CodeUnitCount where bytes[line.lowerBound + offset] != start[offset] { return false }
        return true
    }

    static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    static func isBlank(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> Bool {
        line.allSatisfy { bytes[$0] == ByteScanning.space || bytes[$0] == ByteScanning.tab || bytes[$0] == ByteScanning.carriageReturn }
    }
}

extension FastHeader {
    /// Finds the comments of a header in its lines, whichever parser read the
    /// values: whole lines whose first character is `#` (indented or not) belong
    /// to the key below them (or to the end), and ` # ...` after a value on a
    /// key's line to that key.
    func attachComments(to header: inout Header, lines: ArraySlice<Range<Int>>, firstLine: Int) {
        guard let first = lines.first, let last = lines.last,
            UnsafeBufferPointer(rebasing: bytes[first.lowerBound..<last.upperBound]).contains(B.hash)
        else { return }
        var fieldAtLine: [Int: Int] = [:]
        for (index, field) in header.fields.enumerated() where field.line > 0 { fieldAtLine[field.line] = index }
        var pending: [String] = []
        for (offset, line) in lines.enumerated() {
            let number = firstLine + offset
            if let index = fieldAtLine[number] {
                header.fields[index].leadingComments = pending
                pending = []
                if let colon = find(B.colon, in: line), let start = Self.commentStart(bytes, (colon + 1)..<line.upperBound) {
                    var from = start
                    while from > colon + 1, bytes[from - 1] == B.space || bytes[from - 1] == B.tab { from -= 1 }
                    header.fields[index].inlineComment = string(from..<trim(line).upperBound)
                }
            } else if let hash = commentHash(line) {
                // Kept as written, indentation included (YAML drops an indented comment
                // too), unless the indentation holds a tab, which YAML refuses there.
                let indented = !(line.lowerBound..<hash).contains { bytes[$0] == B.tab }
                pending.append(string((indented ? line.lowerBound : hash)..<trim(line).upperBound))
            }
        }
        header.trailingComments = pending
    }

    /// Where the `#` is, in a line whose first character past spaces and tabs is `#`.
    private func commentHash(_ line: Range<Int>) -> Int? {
        var index = line.lowerBound
        while index < line.upperBound, bytes[index] == B.space || bytes[index] == B.tab { index += 1 }
        return index < line.upperBound && bytes[index] == B.hash ? index : nil
    }

    /// Where a ` #` comment starts in `range`, outside quotes; nil when none.
    /// A quote opens a quoted scalar only where a value starts (the start,
    /// or after `[`, `{`, `,` or `: `); inside a plain scalar it is a character.
    static func commentStart(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        var quote: UInt8 = 0
        var previous = B.space
        var valueStarts = true
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if quote != 0 {
                if quote == B.doubleQuote, byte == B.backslash {
                    index += 1
                } else if byte == quote {
                    // '' inside single quotes is one quote, not the end.
                    if quote == B.singleQuote, index + 1 < range.upperBound, bytes[index + 1] == B.singleQuote { index += 1 } else { quote = 0 }
                }
            } else if byte == B.hash, previous == B.space || previous == B.tab {
                return index
            } else if byte == B.space || byte == B.tab {
                if previous == B.colon { valueStarts = true }
            } else if byte == B.singleQuote || byte == B.doubleQuote, valueStarts {
                quote = byte
                valueStarts = false
            } else {
                valueStarts = byte == B.openBracket || byte == B.openBrace || byte == B.comma
            }
            previous = byte
            index += 1
        }
        return nil
    }
}
