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
    public func section(_ name: String) -> String? {
        sections.first(where: { $0.name == name })?.body
    }

    public mutating func setSection(_ name: String, _ body: String) {
        if let index = sections.firstIndex(where: { $0.name == name }) {
            sections[index].body = body
        } else {
            sections.append(Section(name, body))
        }
    }

    // MARK: Reading

    /// Parses `text`. `expectsTitle` requires a first line `# ...`;
    /// `file` is used in error messages.
    public static func parse(_ text: String, file: String, expectsTitle: Bool) throws -> MemoryDocument {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        var document = MemoryDocument()
        var index = 0
        if expectsTitle {
            guard let first = lines.first, first.hasPrefix("# ") else {
                throw ZeroError.malformed("the first line must be a '# ' title", file: file, line: 1)
            }
            document.title = String(HeaderParser.trimmed(first.dropFirst(2)))
            index = 1
        }
        var headerEnd = index
        while headerEnd < lines.count, !lines[headerEnd].hasPrefix("## ") { headerEnd += 1 }
        document.header = try HeaderParser.parse(lines[index..<headerEnd], firstLine: index + 1, file: file)
        document.sections = parseSections(lines[headerEnd...], firstLine: headerEnd + 1)
        return document
    }

    private static func parseSections(_ lines: ArraySlice<Substring>, firstLine: Int) -> [Section] {
        var sections: [Section] = []
        var body: [Substring] = []
        var fence: Substring?
        func flush() {
            guard !sections.isEmpty else { return }
            while body.last.map({ HeaderParser.trimmed($0).isEmpty }) == true { body.removeLast() }
            while body.first.map({ HeaderParser.trimmed($0).isEmpty }) == true { body.removeFirst() }
            sections[sections.count - 1].body = body.joined(separator: "\n")
            body = []
        }
        for (offset, line) in lines.enumerated() {
            if let open = fence {
                if line.hasPrefix(open), HeaderParser.trimmed(line.dropFirst(open.count)).allSatisfy({ $0 == open.first }) { fence = nil }
                body.append(line)
                continue
            }
            if let marker = fenceMarker(line) {
                fence = marker
                body.append(line)
                continue
            }
            if line.hasPrefix("## ") {
                flush()
                sections.append(Section(String(HeaderParser.trimmed(line.dropFirst(3))), line: firstLine + offset))
                continue
            }
            body.append(line)
        }
        flush()
        return sections
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
        out += HeaderWriter.render(header.fields)
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
