import Testing
import Yams

@testable import ZeroCore

/// The YAML-like headers: what Zero writes must read back identically, both
/// through the fast reader and through Yams (the files "must parse as YAML").
@Suite struct HeaderFormatTests {
    /// Strings chosen to trip a YAML writer: reserved words, numbers, dates,
    /// indicators, quotes, colons, hashes, unicode, control characters.
    static let awkward: [String] = [
        "plain text", "null", "Null", "~", "true", "no", "on", "Y", "42", "-7", "3.14", "1e5", "0x1F", "0o17", ".inf",
        "12:30", "2026-04-21", "2026-04-21T14:22:00Z", "- dash", "-dash", "?q", ": colon", "a: b", "trailing:",
        "hash # comment", "#start", "'single'", "\"double\"", "it's", "a, b", "[x]", "{y}", "&anchor", "*alias",
        "!tag", "|pipe", ">fold", "%pct", "@at", "`tick`", " leading", "trailing ", "tab\there", "line\nbreak",
        "carriage\rreturn", "naïve café ✓", "emoji 🚀", "bell\u{7}", "Ada <ada@example.com>", "auth/**", "*.md",
        "31255233-0c7f-4164-8feb-0dc1b8af28ef", "12345678-1234-1234-1234-123456789012", "9f2c0000aaaa", "1234e5",
        "", "yes please", "back\\slash", "nel\u{85}x", "ls\u{2028}x",
    ]

    @Test("every awkward string survives write and read, fast and through Yams", arguments: awkward)
    func scalarRoundTrip(_ text: String) throws {
        for inFlow in [false, true] {
            let written = HeaderWriter.scalar(text, inFlow: inFlow)
            let line = inFlow ? "key: [\(written)]" : "key: \(written)"
            let header = try HeaderParser.parse([Substring(line)], firstLine: 1, file: "t.yaml")
            let value = inFlow ? header["key"].flatMap { if case .list(let items) = $0 { items.first } else { nil } } : header["key"]?.string
            #expect(value == text, "fast read of \(line)")
            // Yams, the reference parser, agrees on the string.
            let node = try #require(try Yams.compose(yaml: line))
            let yamsValue = inFlow ? node["key"]?.sequence?.first?.string : node["key"]?.string
            #expect(yamsValue == text, "Yams read of \(line)")
        }
    }

    @Test("strings that look like other YAML types are quoted", arguments: ["null", "true", "42", "2026-04-21", "1e5", "~", "off"])
    func nonStringLookalikesAreQuoted(_ text: String) {
        #expect(HeaderWriter.scalar(text, inFlow: false).hasPrefix("'"))
    }

    @Test("ids, emails and hashes stay unquoted, as in DESIGN's examples")
    func commonValuesStayPlain() {
        for text in ["31255233-0c7f-4164-8feb-0dc1b8af28ef", "Ada <ada@example.com>", "auth timeout on /api/login", "9f2c1e"] {
            #expect(HeaderWriter.scalar(text, inFlow: false) == text)
        }
    }

    @Test("the fast reader and Yams agree on a full header, including block lists and nested maps")
    func fastAndYamsAgree() throws {
        let text = """
            id: 31255233-0c7f-4164-8feb-0dc1b8af28ef
            title: 'auth: timeout'
            tags: [bug, auth]
            empty: []
            depends_on:
              - a
              - b
            approved_plan: {session: 1, sha256: 9f2c, by: Ada <ada@example.com>, at: 2026-04-21T14:25:00Z}
            diff:
              files: 1
              additions: 3
            summary: null
            note: plain words # a comment
            quoted: "tab\\there"
            """
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let fast = try #require(HeaderParser.fastParse(lines[...], firstLine: 1))
        let yams = try HeaderParser.yamsParse(lines[...], firstLine: 1, file: "t")
        #expect(fast.fields.map(\.key) == yams.fields.map(\.key))
        for field in fast.fields {
            #expect(describe(field.value) == describe(yams[field.key]!), "\(field.key)")
        }
        #expect(fast["note"]?.string == "plain words")
        #expect(fast["quoted"]?.string == "tab\there")
        #expect(fast.lines["diff"] == 9)
    }

    private func describe(_ value: HeaderValue) -> String {
        switch value {
        case .null: "null"
        case .text(let s), .literal(let s): "s:" + s
        case .list(let items): "l:" + items.joined(separator: "|")
        case .map(let fields): "m:" + fields.map { $0.key + "=" + describe($0.value) }.joined(separator: ",")
        }
    }

    @Test("a header that is not YAML names the file and the line")
    func malformedHeaderNamesLine() throws {
        let lines: [Substring] = ["id: x", "title: ok", "state: [OPEN", "x: y"]
        let error = try #require(throws: ZeroError.self) {
            try HeaderParser.parse(lines[...], firstLine: 2, file: "zero-memory/cases/x/meta.yaml")
        }
        #expect(error.code == .malformed)
        #expect(error.file == "zero-memory/cases/x/meta.yaml")
        #expect(error.line == 4 || error.line == 5)
    }

    @Test("a key given twice is an error with its line")
    func duplicateKey() throws {
        let lines: [Substring] = ["a: 1", "b: 2", "a: 3"]
        let error = try #require(throws: ZeroError.self) { try HeaderParser.parse(lines[...], firstLine: 1, file: "f") }
        #expect(error.line == 3)
        #expect(error.message.contains("twice"))
    }

    @Test("unknown keys keep their form when a file is rewritten")
    func unknownKeysSurvive() throws {
        let text =
            "id: 31255233-0c7f-4164-8feb-0dc1b8af28ef\ntitle: t\ntype: bug\nstate: OPEN\ncreated_at: 2026-04-21T09:00:00Z\nowner: team-auth\nestimate: 3\nlabels: [x, z]\nlinks: {jira: AUTH-12}\n"
        let meta = try CaseMeta.parse(text, file: "meta.yaml")
        let rewritten = meta.render()
        #expect(rewritten.contains("\nowner: team-auth\n"))
        #expect(rewritten.contains("\nestimate: 3\n"))
        #expect(rewritten.contains("\nlabels: [x, z]\n"))
        #expect(rewritten.contains("\nlinks: {jira: AUTH-12}\n"))
        // A second rewrite changes nothing.
        #expect(try CaseMeta.parse(rewritten, file: "meta.yaml").render() == rewritten)
    }
}

@Suite struct MemoryDocumentTests {
    @Test("sections split on '## ' lines, but not inside fenced blocks")
    func fencesProtectHeadings() throws {
        let text = "# Title\nkey: v\n## One\nline\n```\n## not a section\n```\n## Two\n\nbody\n\n"
        let document = try MemoryDocument.parse(text, file: "f.md", expectsTitle: true)
        #expect(document.title == "Title")
        #expect(document.sections.map(\.name) == ["One", "Two"])
        #expect(document.section("One") == "line\n```\n## not a section\n```")
        #expect(document.section("Two") == "body")
        #expect(document.sections[1].line == 8)
    }

    @Test("free text that would read as a heading is fenced, with a fence longer than any inside")
    func protectFreeText() throws {
        #expect(MemoryDocument.protectFreeText("plain\ntext") == "plain\ntext")
        let risky = "## Events\n```\ncode\n```"
        let fenced = MemoryDocument.protectFreeText(risky)
        #expect(fenced.hasPrefix("````\n"))
        var document = MemoryDocument(title: "T")
        document.setSection("Output", fenced)
        document.setSection("Events", "- e")
        let reread = try MemoryDocument.parse(document.render(), file: "f", expectsTitle: true)
        #expect(reread.sections.map(\.name) == ["Output", "Events"])
        #expect(reread.section("Output") == fenced)
    }

    @Test("a file without its title line is malformed at line 1")
    func missingTitle() throws {
        let error = try #require(throws: ZeroError.self) { try MemoryDocument.parse("state: x\n", file: "s.md", expectsTitle: true) }
        #expect(error.line == 1)
        #expect(error.code == .malformed)
    }

    @Test("rendering is deterministic: \\n line ends, one trailing newline, no diff on rewrite")
    func deterministic() throws {
        let text = "# T\na: 1\n## S\nx\n"
        let document = try MemoryDocument.parse(text, file: "f", expectsTitle: true)
        #expect(document.render() == text)
        #expect(try MemoryDocument.parse(document.render(), file: "f", expectsTitle: true).render() == text)
    }
}
