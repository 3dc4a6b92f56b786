/// A memory file: an optional `# Title` line, a YAML-like header, then
/// `## Sections`. Lines inside fenced code blocks never start a section, so
/// captured output can hold `## ` safely.
public struct MemoryDocument: Equatable, Sendable {
    public var title: String?
    public var header: Header
    public var sections: [Section]

    public struct Section: Equatable, Sendable {
        public var name: String
        /// The section's text without its `## ` line; no trailing newline.
        public var body: String
        /// 1-based line of the `## ` line in the source file; 0 when built.
        public var line: Int

        public init(_ name: String, _ body: String = "", line: Int = 0) {
            self.name = name
            self.body = body
            self.line = line
        }

        /// Two sections are equal by name and text; where they were read from does not count.
        public static func == (lhs: Section, rhs: Section) -> Bool {
            lhs.name == rhs.name && lhs.body == rhs.body
        }
    }

    public init(title: String? = nil, header: Header = Header(), sections: [Section] = []) {
        self.title = title
        self.header = header
        self.sections = sections
    }

    /// The body of the first section with this name.
    public func section(_ name: String) -> String? { sections.body(name) }

    public mutating func setSection(_ name: String, _ body: String) { sections.setBody(name, body) }

    // MARK: Reading

    /// Parses `text`. `expectsTitle` requires a first line `# ...`;
    /// `file` is used in error messages.
    public static func parse(_ text: String, file: String, expectsTitle: Bool) throws -> MemoryDocument {
        var text = text
        return try text.withUTF8 { bytes in try parse(bytes: bytes, file: file, expectsTitle: expectsTitle) }
    }

    static func parse(bytes: UnsafeBufferPointer<UInt8>, file: String, expectsTitle: Bool) throws -> MemoryDocument {
        let lines = ByteText.lineRanges(bytes)
        var document = MemoryDocument()
        var index = 0
        if expectsTitle {
            guard let first = lines.first, ByteText.hasPrefix(bytes, first, "# ") else {
                throw ZeroError.malformed("the first line must be a '# ' title", file: file, line: 1)
            }
            document.title = String(HeaderParser.trimmed(Substring(ByteText.string(bytes, (first.lowerBound + 2)..<first.upperBound))))
            index = 1
        }
        var headerEnd = index
        while headerEnd < lines.count, !ByteText.hasPrefix(bytes, lines[headerEnd], "## ") { headerEnd += 1 }
        document.header = try HeaderParser.parse(bytes: bytes, lines: lines[index..<headerEnd], firstLine: index + 1, file: file)
        if headerEnd < lines.count {
            document.sections = try parseSections(bytes, lines[headerEnd...], file: file)
        }
        return document
    }

    /// Sections from their lines; a body is one slice of the file, blank lines at its ends dropped.
    /// A name used twice is refused: a rewrite could keep only one of them.
    private static func parseSections(_ bytes: UnsafeBufferPointer<UInt8>, _ lines: ArraySlice<Range<Int>>, file: String) throws -> [Section] {
        var sections: [Section] = []
        var names = Set<String>()
        var bodyStart = lines.startIndex
        var fence: (byte: UInt8, count: Int)?
        var fenceLine = 0
        func flush(until end: Int) {
            guard !sections.isEmpty else { return }
            var first = bodyStart
            var last = end
            while first < last, ByteText.isBlank(bytes, lines[first]) { first += 1 }
            while last > first, ByteText.isBlank(bytes, lines[last - 1]) { last -= 1 }
            if first < last {
                sections[sections.count - 1].body = ByteText.string(bytes, lines[first].lowerBound..<lines[last - 1].upperBound)
            }
        }
        for index in lines.indices {
            let line = lines[index]
            let run = fenceRun(bytes, line)
            if let open = fence {
                // A closing fence: the same character, at least as long, nothing after it.
                if let run, run.byte == open.byte, run.count >= open.count,
                    ByteText.isBlank(bytes, (line.lowerBound + run.count)..<line.upperBound)
                {
                    fence = nil
                }
                continue
            }
            if let run {
                fence = run
                fenceLine = index + 1
                continue
            }
            if ByteText.hasPrefix(bytes, line, "## ") {
                flush(until: index)
                let name = String(HeaderParser.trimmed(Substring(ByteText.string(bytes, (line.lowerBound + 3)..<line.upperBound))))
                guard names.insert(name).inserted else {
                    let first = sections.first { $0.name == name }?.line ?? 0
                    throw ZeroError.malformed(
                        "the section '## \(name)' appears twice (first at line \(first)); merge the two into one",
                        file: file, line: index + 1)
                }
                sections.append(Section(name, line: index + 1))
                bodyStart = index + 1
            }
        }
        // An open fence hides every heading after it: a rewrite that adds a
        // section would put it inside the fence, so the file is refused.
        if fence != nil {
            throw ZeroError.malformed("the code fence opened here is never closed, so the rest of the file reads as code", file: file, line: fenceLine)
        }
        flush(until: lines.endIndex)
        return sections
    }

    /// A ``` or ~~~ run of 3+ at the start of a line.
    private static func fenceRun(_ bytes: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> (byte: UInt8, count: Int)? {
        guard let start = line.first else { return nil }
        let byte = bytes[start]
        guard byte == 0x60 || byte == 0x7E else { return nil }
        var count = 0
        while start + count < line.upperBound, bytes[start + count] == byte { count += 1 }
        return count >= 3 ? (byte, count) : nil
    }

    /// The opening run of a ``` or ~~~ fence, or nil.
    static func fenceMarker(_ line: Substring) -> Substring? {
        guard let first = line.first, first == "`" || first == "~" else { return nil }
        let run = line.prefix(while: { $0 == first })
        return run.count >= 3 ? run : nil
    }

    // MARK: Writing

    /// The file text: deterministic, `\n` line ends, one trailing newline.
    public func render() -> String {
        var out = ""
        if let title { out += "# " + title + "\n" }
        out += HeaderWriter.render(header)
        for section in sections {
            out += "## " + section.name + "\n"
            if !section.body.isEmpty { out += section.body + "\n" }
        }
        return out
    }

    /// Wraps free text in a fence when a line of it would otherwise be read
    /// as a section heading or a fence; the fence is longer than any run inside.
    public static func protectFreeText(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let risky = lines.contains { $0.hasPrefix("#") || fenceMarker($0) != nil }
        guard risky else { return text }
        return fenced(text)
    }

    /// Always fences `text` (used for captured command output).
    public static func fenced(_ text: String) -> String {
        var longest = 0
        var run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + "\n" + text + "\n" + fence
    }
}

extension Array where Element == MemoryDocument.Section {
    /// The body of the section called `name`, or nil.
    public func body(_ name: String) -> String? {
        first(where: { $0.name == name })?.body
    }

    /// Sets the body of the section called `name`, adding it at the end when missing.
    public mutating func setBody(_ name: String, _ body: String) {
        if let index = firstIndex(where: { $0.name == name }) {
            self[index].body = body
        } else {
            append(MemoryDocument.Section(name, body))
        }
    }
}
