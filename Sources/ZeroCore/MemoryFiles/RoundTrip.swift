import ZeroGit

/// The property every memory-file reader must keep, stated once for the
/// fuzz targets (`make fuzz`) and for the short fuzz run inside `make test`:
///
/// - bad input is refused with a `ZeroError`, never a crash or another error;
/// - what is accepted survives a rewrite: parse → render → parse gives the
///   same value, a second render gives the same bytes, and every line of the
///   input's sections is still in the output (nothing silently dropped);
/// - the fast header reader agrees with Yams wherever it accepts.
///
/// Each check returns nil when the property holds, or what broke.
public enum RoundTrip {
    public enum Kind: String, CaseIterable, Sendable {
        case header, session, meta, proof, classification, config, trailers, intent
    }

    public static func check(_ kind: Kind, _ bytes: [UInt8]) -> String? {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            // Invalid UTF-8 must be refused by the strict decoder, with a line.
            do {
                _ = try MemoryText.decode(bytes, file: "fuzz")
                return "invalid UTF-8 was decoded"
            } catch let error as ZeroError {
                return error.line == nil ? "invalid UTF-8 refused without a line" : nil
            } catch {
                return "unexpected error \(error)"
            }
        }
        do {
            switch kind {
            case .header: return try header(text)
            case .session: return try session(text)
            case .meta: return try meta(text)
            case .proof: return try proof(text)
            case .classification: return try classification(text)
            case .config: _ = try WorkspaceConfig.parse(text, file: "config.yaml"); return nil
            case .trailers: return trailers(text)
            case .intent: return intent(bytes)
            }
        } catch is ZeroError {
            return nil
        } catch let failure as RoundTripFailure {
            return failure.message
        } catch {
            return "a non-Zero error escaped: \(error)"
        }
    }

    // MARK: Properties

    static func header(_ text: String) throws -> String? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // Section lines end a header; the header readers never see them.
        guard !lines.contains(where: { $0.hasPrefix("## ") }) else { return nil }
        let parsed = try HeaderParser.parse(lines[...], firstLine: 1, file: "fuzz")
        if let fast = HeaderParser.fastParse(lines[...], firstLine: 1), fast.duplicate == nil {
            guard let yams = try? HeaderParser.yamsParse(lines[...], firstLine: 1, file: "fuzz") else {
                return "the fast reader accepted a header Yams refuses"
            }
            if !sameValues(fast, yams) {
                let pair = zip(fast.fields, yams.fields).first { !sameValues(Header(fields: [$0]), Header(fields: [$1])) }
                return "the fast reader and Yams disagree: " + (pair.map { "\($0.key): \($0.value) vs \($1.key): \($1.value)" } ?? "\(fast.fields.count) vs \(yams.fields.count) keys")
            }
        }
        let rendered = HeaderWriter.render(parsed)
        let again = try reparse(rendered, what: "the rendered header") {
            try HeaderParser.parse($0.split(separator: "\n", omittingEmptySubsequences: false)[...], firstLine: 1, file: "fuzz")
        }
        if again != parsed { return "header changed on rewrite: \(parsed.fields) → \(again.fields)" }
        if again.comments != parsed.comments { return "comments changed on rewrite" }
        if HeaderWriter.render(again) != rendered { return "a second render differs" }
        return nil
    }

    static func session(_ text: String) throws -> String? {
        let number = text.hasPrefix("# Session S") ? Int(text.dropFirst(11).prefix { $0.isNumber }) : nil
        let session = try Session.parse(text, file: "fuzz.md", numberFromFileName: number)
        let rendered = session.render()
        let again = try reparse(rendered, what: "the rewritten session") { try Session.parse($0, file: "fuzz.md", numberFromFileName: session.number) }
        if again != session { return "session changed on rewrite: \(difference(session, again))" }
        if again.render() != rendered { return "a second render differs" }
        return try sectionLinesKept(text, rendered) ?? keysKept(text, rendered, title: true)
    }

    static func meta(_ text: String) throws -> String? {
        let meta = try CaseMeta.parse(text, file: "meta.yaml")
        let rendered = meta.render()
        let again = try reparse(rendered, what: "the rewritten meta.yaml") { try CaseMeta.parse($0, file: "meta.yaml") }
        if again != meta { return "meta changed on rewrite: \(difference(meta, again))" }
        if again.render() != rendered { return "a second render differs" }
        return try keysKept(text, rendered, title: false)
    }

    static func proof(_ text: String) throws -> String? {
        let proof = try Proof.parse(text, file: "proof.md")
        let rendered = proof.render()
        let again = try reparse(rendered, what: "the rewritten proof") { try Proof.parse($0, file: "proof.md") }
        if again != proof { return "proof changed on rewrite: \(difference(proof, again))" }
        if again.render() != rendered { return "a second render differs" }
        return try sectionLinesKept(text, rendered) ?? keysKept(text, rendered, title: true)
    }

    static func classification(_ text: String) throws -> String? {
        let value = try FinalClassification.parse(text, file: "final-classification.md")
        let rendered = value.render()
        let again = try reparse(rendered, what: "the rewritten classification") { try FinalClassification.parse($0, file: "final-classification.md") }
        if again != value { return "classification changed on rewrite: \(difference(value, again))" }
        return again.render() == rendered ? nil : "a second render differs"
    }

    static func trailers(_ text: String) -> String? {
        guard !text.utf8.contains(0) else { return nil } // a C string stops at NUL; git messages cannot hold one
        guard let trailers = try? Repository.trailers(text) else { return nil }
        if let link = Replay.sessionLink(trailers: trailers), !(CaseID.isValid(link.caseID) && link.number > 0) {
            return "a session link with an invalid case id or number"
        }
        return nil
    }

    static func intent(_ bytes: [UInt8]) -> String? {
        guard let record = IntentRecord(decoding: bytes) else { return nil }
        let encoded = record.encoded()
        guard let again = IntentRecord(decoding: encoded) else { return "a decoded intent record does not decode once encoded" }
        return again.encoded() == encoded ? nil : "an intent record changed on re-encoding"
    }

    // MARK: Helpers

    /// The first top-level property that differs, for the report.
    private static func difference<T>(_ lhs: T, _ rhs: T) -> String {
        for (left, right) in zip(Mirror(reflecting: lhs).children, Mirror(reflecting: rhs).children) {
            let a = String(describing: left.value), b = String(describing: right.value)
            guard a != b else { continue }
            // In a list, the first element that differs.
            for (x, y) in zip(Mirror(reflecting: left.value).children, Mirror(reflecting: right.value).children) {
                let c = String(describing: x.value), d = String(describing: y.value)
                if c != d { return "\(left.label ?? "?"): \(c.prefix(300)) → \(d.prefix(300))" }
            }
            return "\(left.label ?? "?"): \(a.suffix(300)) → \(b.suffix(300))"
        }
        return "?"
    }

    private static func reparse<T>(_ text: String, what: String, _ parse: (String) throws -> T) throws -> T {
        do {
            return try parse(text)
        } catch let error as ZeroError {
            throw RoundTripFailure(message: "\(what) does not read back: \(error)")
        }
    }

    /// Header fields equal by key and value, ignoring where they were read. A
    /// scalar kept as a verbatim token by one reader and as text by the other
    /// is the same string either way.
    private static func sameValues(_ lhs: Header, _ rhs: Header) -> Bool {
        func plain(_ value: HeaderValue) -> HeaderValue {
            switch value {
            case .literal(let text): .text(text)
            case .map(let fields): .map(fields.map { HeaderField($0.key, plain($0.value)) })
            default: value
            }
        }
        return lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy { $0.key == $1.key && plain($0.value) == plain($1.value) }
    }

    /// Every non-blank line from the first section on is somewhere in the rewrite.
    static func sectionLinesKept(_ input: String, _ output: String) -> String? {
        // Lines split on the byte: Swift reads "\r\n" as one character.
        // A heading is compared by its name: "##  Fix" is written back as "## Fix".
        func lines(_ text: String) -> [Substring] {
            text.utf8.split(separator: 0x0A).map { bytes in
                let line = HeaderParser.trimmed(Substring(bytes))
                return line.hasPrefix("## ") ? "## " + HeaderParser.trimmed(line.dropFirst(3)) : line
            }
        }
        let before = lines(input)
        // The first heading is the first line that starts with "## " at column 0, as the reader sees it.
        let raw = input.utf8.split(separator: 0x0A)
        guard let first = raw.firstIndex(where: { $0.starts(with: "## ".utf8) }) else { return nil }
        let kept = Set(lines(output))
        for line in before[first...] where !line.isEmpty && !kept.contains(line) {
            return "the line '\(line)' was lost on rewrite"
        }
        return nil
    }

    /// Every key of the input's header with a value is still a key of the rewrite.
    private static func keysKept(_ input: String, _ output: String, title: Bool) throws -> String? {
        let before = try MemoryDocument.parse(input, file: "in", expectsTitle: title).header
        let after = try MemoryDocument.parse(output, file: "out", expectsTitle: title).header
        let kept = Set(after.fields.map(\.key))
        let lost = before.fields.filter { !$0.value.isNull && !kept.contains($0.key) }.map(\.key)
        return lost.isEmpty ? nil : "keys lost on rewrite: \(lost)"
    }
}

/// A rewrite that does not read back: reported by `RoundTrip` as a broken property.
struct RoundTripFailure: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
