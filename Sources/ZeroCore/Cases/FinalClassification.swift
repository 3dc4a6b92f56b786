/// `final-classification.md`, written when a case resolves (DESIGN §2.6).
public struct FinalClassification: Equatable, Sendable {
    public var outcome: Outcome
    public var resolvedAt: Timestamp
    public var resolvedBy: String?
    public var rootCause = ""
    public var fix = ""
    /// `proofs/<id>.md (summary)` lines.
    public var proofs: [String] = []
    /// The operator's SSH signature of the resolution (signed mode).
    public var signature: String?
    public var extra: [HeaderField] = []

    public init(outcome: Outcome, resolvedAt: Timestamp, resolvedBy: String?) {
        self.outcome = outcome
        self.resolvedAt = resolvedAt
        self.resolvedBy = resolvedBy
    }

    /// What the resolution's signature covers: the file as written, without the signature.
    public var signedDigest: String {
        var unsigned = self
        unsigned.signature = nil
        return Digest.sha256(unsigned.render())
    }

    public func render() -> String {
        var document = MemoryDocument(title: "Final classification")
        document.header.fields = [
            HeaderField("outcome", .literal(outcome.rawValue)),
            HeaderField("resolved_at", .time(resolvedAt)),
        ]
        if let resolvedBy { document.header.fields.append(HeaderField("resolved_by", .text(resolvedBy))) }
        if let signature { document.header.fields.append(HeaderField("signature", .text(signature))) }
        document.header.fields += extra
        document.setSection("Root cause", MemoryDocument.protectFreeText(rootCause))
        document.setSection("Fix", MemoryDocument.protectFreeText(fix))
        document.setSection("Proof", proofs.map { "- " + $0 }.joined(separator: "\n"))
        return document.render()
    }

    public static func parse(_ text: String, file: String) throws -> FinalClassification {
        let document = try MemoryDocument.parse(text, file: file, expectsTitle: true)
        let read = HeaderReader(document.header, file: file)
        guard let outcome = try read.choice("outcome", Outcome.self) else {
            throw ZeroError.malformed("'outcome' is missing", file: file, line: 1)
        }
        guard let at = try read.timestamp("resolved_at") else {
            throw ZeroError.malformed("'resolved_at' is missing", file: file, line: 1)
        }
        var classification = FinalClassification(outcome: outcome, resolvedAt: at, resolvedBy: try read.string("resolved_by"))
        classification.rootCause = document.section("Root cause") ?? ""
        classification.fix = document.section("Fix") ?? ""
        classification.proofs = Session.listItems(document.section("Proof") ?? "")
        classification.signature = try read.string("signature")
        classification.extra = document.header.unknownFields(known: ["outcome", "resolved_at", "resolved_by", "signature"])
        return classification
    }
}
