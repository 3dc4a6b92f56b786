/// One line of a session's `## Events`: when, and what happened.
public struct SessionEvent: Equatable, Sendable, Codable {
    public var at: Timestamp
    /// The first word: `session_created`, `plan_ready`, `approved`, ...
    public var kind: String
    /// The rest of the line.
    public var detail: String

    public init(at: Timestamp, kind: String, detail: String = "") {
        self.at = at
        self.kind = kind
        self.detail = detail
    }

    var line: String { "- \(at) \(kind)" + (detail.isEmpty ? "" : " " + detail) }

    /// Reads `- 2026-04-21T14:25:00Z approved by Ada plan 9f2c…`; nil for other lines.
    init?(line: Substring) {
        guard line.hasPrefix("- ") else { return nil }
        let parts = line.dropFirst(2).split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count >= 2, let at = Timestamp(String(parts[0])) else { return nil }
        self.at = at
        kind = String(parts[1])
        detail = parts.count > 2 ? String(parts[2]) : ""
    }
}

/// A session and its memory file `sessions/NNN.md` (DESIGN §2.4).
public struct Session: Equatable, Sendable {
    public var caseID: String
    public var caseTitle: String
    public var type: SessionType
    public var state: SessionState
    public var number: Int
    public var startedAt: Timestamp
    /// When the session ended (complete, failed or abandoned).
    public var completedAt: Timestamp?
    public var planSHA256: String?
    public var approvedBy: String?
    public var approvedAt: Timestamp?
    /// The operator's SSH signature of the approval (signed mode), one line of base64.
    public var approvalSignature: String?
    public var baseCommit: String?
    public var diff: DiffStat?
    public var tests: TestCounts?
    public var proofAttached = false
    public var paused = false
    /// Why a session failed or was abandoned.
    public var endReason: String?
    /// SHA-256 of the file without this line, written when the session ends.
    public var seal: String?
    public var extra: [HeaderField] = []
    /// Comment lines of the file's header, kept across rewrites.
    public var comments = HeaderComments()
    /// All sections, in file order (a new session has the known ones in canonical order).
    public var sections: [MemoryDocument.Section]

    public static let sectionNames = [
        "Hypothesis", "Plan", "Scope", "Steps", "Files", "Execution output",
        "Discoveries", "Proof candidates", "Events",
    ]

    static let knownKeySet = Set(knownKeys)
    static let knownKeys: [String] = [
        "case_id", "case_title", "session_type", "state", "number", "started_at", "completed_at",
        "plan_sha256", "approved_by", "approved_at", "approval_signature", "base_commit", "diff", "tests", "proof_attached",
        "paused", "end_reason", "seal_sha256",
    ]

    public init(caseID: String, caseTitle: String, type: SessionType, number: Int, startedAt: Timestamp) {
        self.caseID = caseID
        self.caseTitle = caseTitle
        self.type = type
        self.state = .created
        self.number = number
        self.startedAt = startedAt
        self.sections = Self.sectionNames.map { MemoryDocument.Section($0) }
    }

    // MARK: Sections

    public func section(_ name: String) -> String { sections.body(name) ?? "" }

    public mutating func setSection(_ name: String, _ body: String) { sections.setBody(name, body) }

    public var hypothesis: String {
        get { section("Hypothesis") }
        set { setSection("Hypothesis", newValue) }
    }

    public var plan: String {
        get { section("Plan") }
        set { setSection("Plan", newValue) }
    }

    public var scope: String {
        get { section("Scope") }
        set { setSection("Scope", newValue) }
    }

    /// The `## Scope` globs, one per `- ` line.
    public var scopeGlobs: [String] { Self.listItems(scope) }

    /// The hash an approval binds to: the normalised `## Plan` and `## Scope`.
    public var computedPlanHash: String { PlanHash.compute(plan: plan, scope: scope) }

    /// Whether the plan text still matches what the approval was given for.
    public var planMatchesApproval: Bool {
        guard let planSHA256 else { return false }
        return planSHA256 == computedPlanHash
    }

    public var events: [SessionEvent] {
        section("Events").split(separator: "\n").compactMap { SessionEvent(line: $0) }
    }

    public mutating func record(_ event: SessionEvent) {
        let body = section("Events")
        setSection("Events", body.isEmpty ? event.line : body + "\n" + event.line)
    }

    /// Appends `- text` to a list section such as Discoveries or Files.
    public mutating func appendItem(_ section: String, _ text: String) {
        let body = self.section(section)
        let line = "- " + text
        setSection(section, body.isEmpty ? line : body + "\n" + line)
    }

    /// The plan steps as a checklist: (done, text).
    public var steps: [(done: Bool, text: String)] {
        section("Steps").split(separator: "\n").compactMap { line in
            if line.hasPrefix("- [x] ") || line.hasPrefix("- [X] ") { return (true, String(line.dropFirst(6))) }
            if line.hasPrefix("- [ ] ") { return (false, String(line.dropFirst(6))) }
            return nil
        }
    }

    public mutating func setSteps(_ steps: [(done: Bool, text: String)]) {
        setSection("Steps", steps.map { ($0.done ? "- [x] " : "- [ ] ") + $0.text }.joined(separator: "\n"))
    }

    static func listItems(_ body: String) -> [String] {
        body.split(separator: "\n").compactMap { line in
            let trimmed = HeaderParser.trimmed(line)
            guard trimmed.hasPrefix("- ") else { return nil }
            let item = HeaderParser.trimmed(trimmed.dropFirst(2))
            return item.isEmpty ? nil : String(item.trimmingBackticks())
        }
    }

    // MARK: File

    /// `# Session S002 — implementing`
    public var title: String { "Session S" + Timestamp.pad(number, 3) + " — " + type.rawValue }

    /// `002.md`
    public static func fileName(_ number: Int) -> String { Timestamp.pad(number, 3) + ".md" }

    /// Far beyond any real case; a number past it is a hand edit, and the next
    /// session's file name must stay one the readers know.
    public static let maximumNumber = 99_999

    /// The number a name like `002.md` (or a stray `2.md`) claims; nil for other names.
    public static func number(inFileName name: String) -> Int? {
        guard name.hasSuffix(".md") else { return nil }
        let digits = name.utf8.dropLast(3)
        guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(name.dropLast(3))
    }

    public var header: Header {
        var fields: [HeaderField] = [
            HeaderField("case_id", .text(caseID)),
            HeaderField("case_title", .text(caseTitle)),
            HeaderField("session_type", .literal(type.rawValue)),
            HeaderField("state", .literal(state.rawValue)),
            HeaderField("number", .int(number)),
            HeaderField("started_at", .time(startedAt)),
        ]
        if let completedAt { fields.append(HeaderField("completed_at", .time(completedAt))) }
        if let planSHA256 { fields.append(HeaderField("plan_sha256", .text(planSHA256))) }
        if let approvedBy { fields.append(HeaderField("approved_by", .text(approvedBy))) }
        if let approvedAt { fields.append(HeaderField("approved_at", .time(approvedAt))) }
        if let approvalSignature { fields.append(HeaderField("approval_signature", .text(approvalSignature))) }
        if let baseCommit { fields.append(HeaderField("base_commit", .text(baseCommit))) }
        if let diff {
            fields.append(
                HeaderField(
                    "diff",
                    .map([
                        HeaderField("files", .int(diff.files)), HeaderField("additions", .int(diff.additions)),
                        HeaderField("deletions", .int(diff.deletions)),
                    ])))
        }
        if let tests {
            fields.append(
                HeaderField(
                    "tests",
                    .map([
                        HeaderField("run", .int(tests.run)), HeaderField("passed", .int(tests.passed)),
                        HeaderField("failed", .int(tests.failed)),
                    ])))
        }
        fields.append(HeaderField("proof_attached", .bool(proofAttached)))
        if paused { fields.append(HeaderField("paused", .bool(true))) }
        if let endReason { fields.append(HeaderField("end_reason", .text(endReason))) }
        return Header(fields: fields + extra)
    }

    /// The file text without the seal line (what the seal covers).
    public func renderUnsealed() -> String {
        var comments = self.comments
        comments.leading["seal_sha256"] = nil
        comments.inline["seal_sha256"] = nil
        return MemoryDocument(title: title, header: header.attaching(comments), sections: sections).render()
    }

    /// The file text; an ended session carries its seal as the last header line.
    public func render() -> String {
        var header = self.header
        if let seal { header.fields.append(HeaderField("seal_sha256", .text(seal))) }
        return MemoryDocument(title: title, header: header.attaching(comments), sections: sections).render()
    }

    /// Seals an ended session: from now on any change to its file is detectable.
    public mutating func applySeal() {
        seal = Digest.sha256(renderUnsealed())
    }

    public static func parse(_ text: String, file: String, numberFromFileName: Int? = nil) throws -> Session {
        try MemoryText.requireWholeLines(text, file: file)
        let document = try MemoryDocument.parse(text, file: file, expectsTitle: true)
        let read = HeaderReader(document.header, file: file)
        // The title names number and type: "Session S002 — implementing".
        let title = document.title ?? ""
        let titleParts = title.split(separator: " ")
        let titleNumber = titleParts.count >= 2 && titleParts[1].hasPrefix("S") ? Int(titleParts[1].dropFirst()) : nil
        let titleType = titleParts.last.flatMap { SessionType(rawValue: String($0)) }
        guard let type = try read.choice("session_type", SessionType.self) ?? titleType else {
            throw ZeroError.malformed("'session_type' is missing", file: file, line: 1)
        }
        guard let number = try read.int("number") ?? titleNumber ?? numberFromFileName else {
            throw ZeroError.malformed("the session number is missing", file: file, line: 1)
        }
        // The file name, the title and the header must name one session: a
        // rewrite would otherwise move it to another file or retitle it.
        if let numberFromFileName, number != numberFromFileName {
            throw ZeroError.malformed(
                "the header says number \(number), but the file is \(fileName(numberFromFileName))", file: file,
                line: document.header.line(of: "number") ?? 1)
        }
        if let titleNumber, titleNumber != number {
            throw ZeroError.malformed("the title says S\(Timestamp.pad(titleNumber, 3)), but the session is number \(number)", file: file, line: 1)
        }
        guard (1...Self.maximumNumber).contains(number) else { throw read.fail("number", "must be from 1 to \(Self.maximumNumber)") }
        // Every session file Zero writes has its sections; one that ends in its
        // header was cut off, and a rewrite would drop what followed for good.
        guard !document.sections.isEmpty else {
            throw ZeroError.malformed(
                "the file ends inside its header, with no '## ' section: it looks cut off",
                file: file, line: document.header.fields.last?.line ?? 1)
        }
        guard let started = try read.timestamp("started_at") else {
            throw ZeroError.malformed("'started_at' is missing", file: file, line: 1)
        }
        var session = Session(
            caseID: try read.required("case_id"), caseTitle: try read.string("case_title") ?? "",
            type: type, number: number, startedAt: started)
        guard let state = try read.choice("state", SessionState.self) else {
            throw ZeroError.malformed("'state' is missing", file: file, line: 1)
        }
        session.state = state
        session.completedAt = try read.timestamp("completed_at")
        session.planSHA256 = try read.string("plan_sha256")
        session.approvedBy = try read.string("approved_by")
        session.approvedAt = try read.timestamp("approved_at")
        session.approvalSignature = try read.string("approval_signature")
        session.baseCommit = try read.string("base_commit")
        if let fields = try read.map("diff") {
            guard let files = fields.value("files").flatMap({ Int($0) }), let additions = fields.value("additions").flatMap({ Int($0) }),
                let deletions = fields.value("deletions").flatMap({ Int($0) })
            else {
                throw read.fail("diff", "needs files, additions and deletions")
            }
            session.diff = DiffStat(files: files, additions: additions, deletions: deletions)
        }
        if let fields = try read.map("tests") {
            guard let run = fields.value("run").flatMap({ Int($0) }), let passed = fields.value("passed").flatMap({ Int($0) }),
                let failed = fields.value("failed").flatMap({ Int($0) })
            else {
                throw read.fail("tests", "needs run, passed and failed")
            }
            session.tests = TestCounts(run: run, passed: passed, failed: failed)
        }
        session.proofAttached = try read.bool("proof_attached") ?? false
        session.paused = try read.bool("paused") ?? false
        session.endReason = try read.string("end_reason")
        session.seal = try read.string("seal_sha256")
        session.extra = document.header.unknownFields(known: knownKeySet)
        session.comments = document.header.comments
        guard document.title == session.title else {
            throw ZeroError.malformed("the title line must read '# \(session.title)'; zero would rewrite it", file: file, line: 1)
        }
        // Sections keep the file's order; a known one that is missing goes
        // right after the known one before it, as a new file would have it.
        var sections = document.sections
        for (index, name) in sectionNames.enumerated() where !sections.contains(where: { $0.name == name }) {
            let previous = sectionNames[..<index].reversed().first { earlier in sections.contains { $0.name == earlier } }
            let position = previous.flatMap { earlier in sections.firstIndex { $0.name == earlier } }.map { $0 + 1 } ?? 0
            sections.insert(MemoryDocument.Section(name), at: position)
        }
        session.sections = sections
        return session
    }

    /// Checks that an ended session's file is exactly what was sealed.
    /// `text` is the file as read; nil means intact.
    public static func sealProblem(_ text: String, session: Session) -> String? {
        guard session.state.isEnded else { return nil }
        guard let seal = session.seal else { return "it ended but carries no seal_sha256" }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        lines.removeAll { $0.hasPrefix("seal_sha256: ") }
        let unsealed = lines.joined(separator: "\n")
        return Digest.sha256(unsealed) == seal ? nil : "it changed after the session ended"
    }
}

extension Substring {
    /// `auth/**` from "`auth/**`".
    func trimmingBackticks() -> Substring {
        guard count >= 2, first == "`", last == "`" else { return self }
        return dropFirst().dropLast()
    }
}

/// The hash an approval binds to (DESIGN §2.4).
public enum PlanHash {
    /// SHA-256 of the `## Plan` and `## Scope` text, normalised so that
    /// trailing spaces, blank lines at the ends and `\r` do not count.
    ///
    /// The text hashed is `plan\n<plan>\nscope\n<scope>\n`, which reads back one
    /// way only while neither part has a line `scope`; with such a line, lines
    /// could move across the boundary and keep the hash, so then the parts are
    /// framed by their lengths instead. Hashes of plans without such a line
    /// are unchanged, so earlier approvals keep holding.
    public static func compute(plan: String, scope: String) -> String {
        let plan = normalise(plan), scope = normalise(scope)
        if !hasBoundaryLine(plan), !hasBoundaryLine(scope) {
            return Digest.sha256(Array("plan\n".utf8) + plan + Array("\nscope\n".utf8) + scope + [0x0a])
        }
        return Digest.sha256(Array("plan \(plan.count)\n".utf8) + plan + Array("\nscope \(scope.count)\n".utf8) + scope + [0x0a])
    }

    static func hasBoundaryLine(_ text: [UInt8]) -> Bool {
        text.split(separator: 0x0a, omittingEmptySubsequences: false).contains { $0.elementsEqual("scope".utf8) }
    }

    /// The text's UTF-8 with trailing spaces, tabs and carriage returns cut
    /// from each line, and blank lines at both ends dropped.
    static func normalise(_ text: String) -> [UInt8] {
        var lines = Array(text.utf8).split(separator: 0x0a, omittingEmptySubsequences: false).map { line -> ArraySlice<UInt8> in
            var line = line
            while let last = line.last, last == 0x20 || last == 0x09 || last == 0x0d { line = line.dropLast() }
            return line
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        return Array(lines.joined(separator: [0x0a]))
    }
}
