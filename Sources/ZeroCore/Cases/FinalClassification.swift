/// `final-classification.md`, written when a case resolves (DESIGN §2.6).
public struct FinalClassification: Equatable, Sendable {
    public var outcome: Outcome
    public var resolvedAt: Timestamp
    public var resolvedBy: String?
    /// The operator's SSH signature of the resolution (signed mode).
    public var signature: String?
    public var extra: [HeaderField] = []
    public var comments = HeaderComments()
    /// `## Root cause`, `## Fix`, `## Proof`, then any others, in file order.
    public var sections: [MemoryDocument.Section] = ["Root cause", "Fix", "Proof"].map { MemoryDocument.Section($0) }

    public init(outcome: Outcome, resolvedAt: Timestamp, resolvedBy: String?) {
        self.outcome = outcome
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
    }

    /// Free text as stored: callers protect new text with `MemoryDocument.protectFreeText`.
    public var rootCause: String {
        get { sections.body("Root cause") ?? "" }
        set { sections.setBody("Root cause", newValue) }
    }

    public var fix: String {
        get { sections.body("Fix") ?? "" }
        set { sections.setBody("Fix", newValue) }
    }

    /// `proofs/<id>.md (summary)` lines.
    public var proofs: [String] {
        get { Session.listItems(sections.body("Proof") ?? "") }
        set { sections.setBody("Proof", newValue.map { "- " + $0 }.joined(separator: "\n")) }
    }

    /// What the resolution's signature covers: the file as written, without the signature.
    public var signedDigest: String {
        var unsigned = self
        unsigned.signature = nil
        return Digest.sha256(unsigned.render())
    }

    public static let title = "Final classification"

    public func render() -> String {
        var header = Header(fields: [
            HeaderField("outcome", .literal(outcome.rawValue)),
            HeaderField("resolved_at", .time(resolvedAt)),
        ])
        if let resolvedBy { header.fields.append(HeaderField("resolved_by", .text(resolvedBy))) }
        if let signature { header.fields.append(HeaderField("signature", .text(signature))) }
        header.fields += extra
        return MemoryDocument(title: Self.title, header: header.attaching(comments), sections: sections).render()
    }

    public static func parse(_ text: String, file: String) throws -> FinalClassification {
        try MemoryText.requireWholeLines(text, file: file)
        let document = try MemoryDocument.parse(text, file: file, expectsTitle: true)
        guard document.title == title else {
            throw ZeroError.malformed("the title line must read '# \(title)'; zero would rewrite it", file: file, line: 1)
        }
        let read = HeaderReader(document.header, file: file)
        guard let outcome = try read.choice("outcome", Outcome.self) else {
            throw ZeroError.malformed("'outcome' is missing", file: file, line: 1)
        }
        guard let at = try read.timestamp("resolved_at") else {
            throw ZeroError.malformed("'resolved_at' is missing", file: file, line: 1)
        }
        var classification = FinalClassification(outcome: outcome, resolvedAt: at, resolvedBy: try read.string("resolved_by"))
        classification.signature = try read.string("signature")
        classification.extra = document.header.unknownFields(known: ["outcome", "resolved_at", "resolved_by", "signature"])
        classification.comments = document.header.comments
        classification.sections = document.sections
        return classification
    }
}
