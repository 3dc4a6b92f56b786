/// What `zero proof add` attaches.
public struct ProofInput: Sendable {
    public var type: ProofType
    /// A file to copy in as the artifact.
    public var artifactPath: String?
    /// Text to store as the artifact (an operator note, a pasted log).
    public var note: String?
    public var summary: String?

    public init(type: ProofType) { self.type = type }
}

extension Workspace {
    /// Finds one proof of a case by a prefix of its id.
    public func findProof(_ caseReference: String, _ proofReference: String) throws -> (meta: CaseMeta, proof: Proof) {
        let id = try resolveCase(caseReference)
        return (try loadMeta(id), try pickProof(proofReference, in: try loadProofs(id), caseID: id))
    }

    func pickProof(_ reference: String, in proofs: [Proof], caseID: String) throws -> Proof {
        try CaseID.validateReference(reference, what: "proof id")
        let matches = proofs.filter { $0.id.hasPrefix(reference.lowercased()) }
        if matches.isEmpty {
            throw ZeroError(
                .notFound, "case \(caseID.prefix(8)) has no proof matching '\(reference)'",
                hint: "'zero proof list \(caseID.prefix(8))' shows its proofs")
        }
        if matches.count > 1 {
            throw ZeroError(
                .usage, "'\(reference)' matches \(matches.count) proofs: \(matches.map(\.shortID).joined(separator: ", "))",
                hint: "type more characters of the proof id")
        }
        return matches[0]
    }

    /// Attaches a file or a note as proof.
    public func addProof(_ caseReference: String, _ input: ProofInput) throws -> Proof {
        let id = try resolveCase(caseReference)
        let bytes: [UInt8]
        let fileExtension: String
        switch (input.artifactPath, input.note) {
        case (let path?, nil):
            guard !FileSystem.isFolder(path), let data = try FileSystem.readBytes(path) else {
                throw ZeroError(.notFound, "no such file: \(path)", hint: "give the path of the artifact to attach")
            }
            bytes = data
            let name = FileSystem.split(path).name
            let dot = name.lastIndex(of: ".").map { String(name[name.index(after: $0)...]) } ?? ""
            fileExtension = dot.isEmpty || dot.count > 10 || !dot.allSatisfy({ $0.isLetter || $0.isNumber }) ? "txt" : dot.lowercased()
        case (nil, let note?):
            guard !note.isEmpty else { throw ZeroError(.usage, "the note is empty") }
            bytes = Array((note.hasSuffix("\n") ? note : note + "\n").utf8)
            fileExtension = "txt"
        default:
            throw ZeroError(.usage, "give exactly one of --file or --note")
        }
        let summary =
            try input.summary.map { try Self.validatedLine($0, what: "summary") }
            ?? (input.type == .testLog ? TestSummary.parse(String(decoding: bytes, as: UTF8.self)).map(TestSummary.text) : nil)
        return try recordProof(id, type: input.type, artifact: bytes, fileExtension: fileExtension, summary: summary) { _ in }
    }

    /// Runs a command and records its output, exit code, duration, HEAD and
    /// dirty flag as a proof. The command runs outside the case lock.
    /// `folder` is where the command runs (the user's current folder for the CLI).
    public func runProof(
        _ caseReference: String, command: [String], type: ProofType = .testLog, in folder: String? = nil,
        echo: (@Sendable ([UInt8]) -> Void)? = nil
    ) throws -> Proof {
        let id = try resolveCase(caseReference)
        _ = try loadMeta(id)
        let repository = try? repository()
        let head = try repository?.headCommit()
        let dirty = try repository?.hasTrackedChanges(excluding: Self.folderName + "/")
        let result = try CommandRunner.run(command, in: folder ?? root, echo: echo)
        let output = String(decoding: result.output, as: UTF8.self)
        let counts = TestSummary.parse(output)
        return try recordProof(
            id, type: type, artifact: result.output, fileExtension: "log",
            summary: counts.map(TestSummary.text)
        ) { proof in
            proof.command = command.map(Self.shellQuoted).joined(separator: " ")
            proof.exitCode = result.exitCode
            proof.durationMs = result.durationMs
            proof.head = head ?? nil
            proof.dirty = dirty
        }
    }

    private func recordProof(
        _ id: String, type: ProofType, artifact: [UInt8], fileExtension: String, summary: String?,
        _ fill: (inout Proof) -> Void
    ) throws -> Proof {
        try mutateCase(id) { change in
            guard change.meta.state.isOpen || change.meta.state == .blocked || change.meta.state == .needsUserInput else {
                throw ZeroError(
                    .illegalTransition, "case \(id.prefix(8)) is \(change.meta.state.rawValue); proof is attached to open cases",
                    hint: "reopen it first if the work continues")
            }
            let existing = Set(try FileSystem.list(proofsFolder(id)))
            var proofID = CaseID.generate()
            while existing.contains(String(proofID.prefix(8)) + ".md") { proofID = CaseID.generate() }
            let open = change.openSession
            var proof = Proof(id: proofID, caseID: id, session: open?.number, type: type, createdAt: now())
            fill(&proof)
            proof.artifact = proof.shortID + "." + fileExtension
            proof.artifactSHA256 = Digest.sha256(artifact)
            proof.summary = summary
            proof.excerpt = Self.excerpt(artifact)
            change.write(artifact, to: proofsFolder(id) + "/" + proof.artifact!)
            change.write(proof.render(), to: proofsFolder(id) + "/" + proof.fileName)
            if let open {
                let counts = summary.flatMap { TestSummary.parse($0) }
                change.update(open.number) { session in
                    session.proofAttached = true
                    if type == .testLog, let counts { session.tests = counts }
                    session.appendItem("Proof candidates", "proofs/\(proof.fileName) (\(type.rawValue)\(summary.map { ", " + $0 } ?? ""))")
                    session.record(SessionEvent(at: proof.createdAt, kind: "proof_created", detail: "\(proof.shortID) \(type.rawValue)"))
                }
            }
            return proof
        }
    }

    /// An operator marks a proof verified, after checking its artifact is intact.
    /// A proof whose command failed is refused unless `acceptFailing` gives the
    /// reason it counts anyway (recorded in the proof).
    public func verifyProof(_ caseReference: String, _ proofReference: String, acceptFailing: String? = nil) throws -> Proof {
        let reason = try acceptFailing.map { try Self.validatedLine($0, what: "reason") }
        let actor = try requireOperator("verify proof")
        let id = try resolveCase(caseReference)
        return try mutateCase(id) { change in
            var proof = try pickProof(proofReference, in: try loadProofs(id), caseID: id)
            guard !proof.verified else {
                throw ZeroError(.conflict, "proof \(proof.shortID) is already verified by \(proof.verifiedBy ?? "an operator")")
            }
            if let artifact = proof.artifact, let expected = proof.artifactSHA256 {
                let path = proofsFolder(id) + "/" + artifact
                guard !artifact.contains("/"), let bytes = try readMemoryBytes(path) else {
                    throw ZeroError(
                        .needsProof, "the artifact \(artifact) of proof \(proof.shortID) is missing",
                        hint: "restore it from git; a proof cannot be verified without its artifact")
                }
                guard Digest.sha256(bytes) == expected else {
                    throw ZeroError(
                        .needsProof, "the artifact \(artifact) of proof \(proof.shortID) changed since it was captured",
                        hint: "restore it with 'git checkout -- \(relative(path))', or capture a new proof")
                }
            }
            if !proof.passed, reason == nil {
                let why = proof.exitCode.flatMap { $0 == 0 ? nil : "its command exited \($0)" } ?? "its summary reports failures (\(proof.summary ?? ""))"
                throw ZeroError(
                    .needsProof, "proof \(proof.shortID) did not pass: \(why)",
                    hint: "capture a passing run, or accept it knowingly: zero proof verify \(id.prefix(8)) \(proof.shortID) --accept-failing --reason \"…\"")
            }
            let now = self.now()
            proof.verified = true
            proof.verifiedBy = actor.description
            proof.verifiedAt = now
            proof.acceptedFailing = proof.passed ? nil : reason
            proof.verifiedSignature = try signIfRequired(
                OperatorAct(
                    .verifyProof, caseID: id, session: proof.session, digest: proof.verificationDigest,
                    by: actor.description, at: now))
            change.write(proof.render(), to: proofsFolder(id) + "/" + proof.fileName)
            try noteOnOpenSession(&change, SessionEvent(at: now, kind: "proof_updated", detail: "\(proof.shortID) verified by \(actor)"))
            return proof
        }
    }

    /// The last 20 lines of an artifact, fenced.
    static func excerpt(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true { lines.removeLast() }
        let tail = lines.suffix(20).map { line -> Substring in
            // Keep the excerpt readable: no carriage returns or escape sequences.
            Substring(String(line.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" }))
        }
        return tail.isEmpty ? "" : MemoryDocument.fenced(tail.joined(separator: "\n"))
    }

    static func shellQuoted(_ word: String) -> String {
        let safe = word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,+@%".contains($0) }
        return safe && !word.isEmpty ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
