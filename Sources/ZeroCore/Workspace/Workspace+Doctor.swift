import ZeroGit

/// One thing `zero doctor` found, and what `--fix` does (or did) about it.
public struct DoctorFinding: Sendable, Encodable {
    /// symlink, temporary, half-created, interrupted, unreadable, stray-session,
    /// session-count, latest, open-sessions, orphan-artifact, approved-plan, gitignore
    public var problem: String
    public var file: String
    @Nullable public var line: Int?
    public var message: String
    /// What `--fix` does; nil when only a person can repair it.
    @Nullable public var fix: String?
    public var fixed = false
}

public struct DoctorReport: Sendable, Encodable {
    public var findings: [DoctorFinding] = []
    public var cases = 0
    /// Findings `--fix` cannot repair: the exit status of `zero doctor` says so.
    public var unfixable: Int { findings.filter { $0.fix == nil }.count }
}

/// `zero doctor`: every way the files under zero-memory/ can be out of order
/// (a kill, a hand edit, a merge), and the repairs that are safe. A repair
/// never deletes a record: what cannot be kept in place moves to
/// `zero-memory/.quarantine/`, and git history keeps the rest.
extension Workspace {
    public func doctor(fix: Bool) throws -> DoctorReport {
        var report = DoctorReport()
        switch FileSystem.kind(memory) {
        case .folder: break
        case .missing: throw ZeroError(.notFound, "\(Self.folderName)/ is missing", hint: "run 'zero init'")
        default:
            report.findings.append(
                DoctorFinding(
                    problem: "symlink", file: Self.folderName,
                    message: "\(Self.folderName) is not a real folder; zero reads and writes nothing through it",
                    fix: nil))
            return report
        }
        try resolveSessionMerges(fix: fix, into: &report)
        try checkLinksAndLeftovers(memory, fix: fix, into: &report)
        try checkGitignore(fix: fix, into: &report)
        checkTicketIndex(fix: fix, into: &report)
        guard FileSystem.kind(casesFolder) == .folder else { return report }
        for entry in try FileSystem.entries(casesFolder).sorted(by: { $0.name < $1.name }) where entry.kind == .folder && CaseID.isValid(entry.name) {
            report.cases += 1
            let lock = caseFolder(entry.name) + "/.lock"
            if case let kind = FileSystem.kind(lock), kind != .file, kind != .missing {
                var finding = DoctorFinding(
                    problem: "lock", file: relative(lock), message: "the case's lock file is a \(kind == .symlink ? "symlink" : "folder or device"), so no command can change the case",
                    fix: "move it aside to \(Self.folderName)/.quarantine/")
                if fix { _ = try quarantine(lock, reason: "a lock file that was not a regular file"); finding.fixed = true }
                report.findings.append(finding)
                if !fix { continue }
            }
            // One case that cannot be checked or repaired never stops the others.
            do {
                if fix {
                    try withCaseLock(entry.name) { try checkCase(entry.name, fix: true, into: &report) }
                } else {
                    try checkCase(entry.name, fix: false, into: &report)
                }
            } catch let error as ZeroError where error.code == .busy {
                report.findings.append(
                    DoctorFinding(
                        problem: "busy", file: relative(caseFolder(entry.name)),
                        message: "case \(entry.name.prefix(8)) is locked by another zero process; skipped", fix: "run again"))
            } catch let error as ZeroError {
                report.findings.append(
                    DoctorFinding(
                        problem: "unreadable", file: error.file ?? relative(caseFolder(entry.name)), line: error.line,
                        message: "case \(entry.name.prefix(8)) could not be checked: \(error.message)", fix: nil))
            }
        }
        return report
    }

    /// The ticket index answers `zero ready` while its key matches; a file
    /// edited in place by hand (not staged) leaves the key as it was. The
    /// index is compared with the files; `--fix` rewrites it.
    private func checkTicketIndex(fix: Bool, into report: inout DoctorReport) {
        guard let folder = ticketIndexFolder, let key = ticketIndexKey(),
            let indexed = try? FileSystem.withMappedFile(folder + "/tickets", { TicketIndex.decode($0, key: key, statuses: nil) }),
            let indexed, let board = try? ticketBoard()
        else { return }
        guard indexed.entries != board.listing.entries else { return }
        let differing = zip(indexed.entries, board.listing.entries).first { $0.0 != $0.1 }.map { String($0.1.summary.id.prefix(8)) }
        var finding = DoctorFinding(
            problem: "stale-index", file: relative(folder + "/tickets"),
            message: "the ticket index in the git dir no longer matches the files"
                + (differing.map { " (ticket \($0) first)" } ?? "") + "; a file under zero-memory/cases was edited in place",
            fix: "rebuild it from the files")
        if fix {
            _ = try? ticketListing(fresh: true)
            finding.fixed = true
        }
        report.findings.append(finding)
    }

    // MARK: A merge that stopped on session files

    /// During a merge, a session file both branches added under one number is
    /// unmerged in the index (the merge driver leaves it so): both sides are
    /// kept, the later start under the next free number, latest.md and
    /// session_count follow, and the files are staged.
    private func resolveSessionMerges(fix: Bool, into report: inout DoctorReport) throws {
        let listing = try GitCommand.runProgram(["git", "ls-files", "-u", "-z", "--", Self.folderName + "/cases"], in: root)
        guard listing.status == 0, !listing.stdout.isEmpty else { return }
        var stages: [String: [Int: String]] = [:]
        for entry in listing.stdout.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let tab = text.firstIndex(of: "\t") else { continue }
            let fields = text[..<tab].split(separator: " ")
            guard fields.count == 3, let stage = Int(fields[2]) else { continue }
            stages[String(text[text.index(after: tab)...]), default: [:]][stage] = String(fields[1])
        }
        for (path, blobs) in stages.sorted(by: { $0.key < $1.key }) {
            guard case .session(let id, let number)? = MemoryPath(path) else { continue }
            var finding = DoctorFinding(problem: "merge", file: path, message: "\(path) is unmerged", fix: nil)
            guard let oursID = blobs[2], let theirsID = blobs[3],
                let ours = try? blobSession(oursID, path: path), let theirs = try? blobSession(theirsID, path: path)
            else {
                finding.message += "; resolve it by hand ('git checkout --ours' or '--theirs'), then 'git add' it"
                report.findings.append(finding)
                continue
            }
            guard ours.startedAt != theirs.startedAt else {
                finding.message += ": both sides changed the same session; resolve it by hand, then 'git add' it"
                report.findings.append(finding)
                continue
            }
            let existing = try FileSystem.list(sessionsFolder(id)).compactMap { name in
                Session.number(inFileName: name).flatMap { Session.fileName($0) == name ? $0 : nil }
            }
            var (first, second) = ours.startedAt <= theirs.startedAt ? (ours, theirs) : (theirs, ours)
            // A repair killed half-way wrote the later one already: it keeps its number.
            let free = keptAlready(second, folder: sessionsFolder(id), numbers: existing) ?? max(existing.max() ?? 0, number) + 1
            finding.message = "both branches added a session \(number) (started \(ours.startedAt) and \(theirs.startedAt))"
            finding.fix = "keep both: the earlier as \(Session.fileName(number)), the later as \(Session.fileName(free)); point latest.md at the newest; stage them"
            if fix {
                first.renumber(number)
                second.renumber(free)
                try writeMemoryFile(first.render(), to: sessionPath(id, number))
                try writeMemoryFile(second.render(), to: sessionPath(id, free))
                var staged = [path, MemoryPath.session(id, free)]
                let newest = max(existing.max() ?? 0, free)
                try FileSystem.replaceSymlink(at: sessionsFolder(id) + "/latest.md", target: Session.fileName(newest))
                staged.append(MemoryPath.sessions(id) + "/latest.md")
                if stages[MemoryPath.meta(id)] == nil, var meta = try? loadMeta(id), meta.sessionCount < newest {
                    meta.sessionCount = newest
                    try writeMemoryFile(meta.render(), to: metaPath(id))
                    staged.append(MemoryPath.meta(id))
                }
                let added = try GitCommand.runProgram(["git", "add", "--"] + staged, in: root)
                guard added.status == 0 else { throw ZeroError(.internal, "git add failed: \(added.stderr)") }
                finding.fixed = true
            }
            report.findings.append(finding)
        }
    }

    private func blobSession(_ id: String, path: String) throws -> Session {
        let blob = try GitCommand.runProgram(["git", "cat-file", "blob", id], in: root)
        guard blob.status == 0 else { throw ZeroError(.internal, "cannot read \(id)") }
        return try Session.parse(try MemoryText.decode(blob.stdout, file: path), file: path)
    }

    // MARK: Links and leftovers, anywhere

    private func checkLinksAndLeftovers(_ folder: String, fix: Bool, into report: inout DoctorReport) throws {
        for entry in try FileSystem.entries(folder).sorted(by: { $0.name < $1.name }) {
            let path = folder + "/" + entry.name
            let inCases = folder == casesFolder
            if folder == memory, entry.name == ".quarantine" { continue }
            switch entry.kind {
            case .symlink:
                if entry.name == "latest.md", FileSystem.split(folder).name == "sessions" { continue }
                var finding = DoctorFinding(
                    problem: "symlink", file: relative(path),
                    message: "\(relative(path)) is a symlink (to \(FileSystem.symlinkTarget(path) ?? "?")); zero never reads or writes through one",
                    fix: "move the link aside to \(Self.folderName)/.quarantine/ (what it points at is untouched)")
                if fix { _ = try quarantine(path, reason: "a symlink inside \(Self.folderName)/"); finding.fixed = true }
                report.findings.append(finding)
            case .folder where (inCases || folder == specsFolder) && (entry.name.hasPrefix(".new-") || entry.name.hasPrefix(".deleted-")):
                let creating = entry.name.hasPrefix(".new-")
                let young = (FileSystem.age(path) ?? 0) < environment.leftoverAge
                let what = inCases ? "case" : "specification"
                var finding = DoctorFinding(
                    problem: "temporary", file: relative(path),
                    message: creating
                        ? "a \(what) that was being created when its command stopped (it never appeared)"
                        : "a \(what) that was being deleted when its command stopped",
                    fix: young ? nil : "remove it")
                if young { finding.message += "; it is recent, so a command may still be running" }
                if fix, !young { try FileSystem.removeTree(path); finding.fixed = true }
                report.findings.append(finding)
            case .folder:
                // Case folders are checked under their lock, one by one.
                if inCases, CaseID.isValid(entry.name) { continue }
                try checkLinksAndLeftovers(path, fix: fix, into: &report)
            case .file where FileSystem.isTemporaryName(entry.name):
                let young = (FileSystem.age(path) ?? 0) < environment.leftoverAge
                var finding = DoctorFinding(
                    problem: "temporary", file: relative(path), message: "a temporary file left by an interrupted write",
                    fix: young ? nil : "remove it")
                if fix, !young { try FileSystem.remove(path); finding.fixed = true }
                report.findings.append(finding)
            default:
                continue
            }
        }
    }

    /// The ignore lines a workspace made by an older `zero init` may lack.
    static let ignoredLeftovers = [".lock", "**/.lock", ".*.tmp-*", "**/.intent", ".quarantine/", "cases/.new-*/", "cases/.deleted-*/", "specs/.new-*/"]

    private func checkGitignore(fix: Bool, into report: inout DoctorReport) throws {
        let path = memory + "/.gitignore"
        let text = (try? readMemoryText(path)) ?? nil
        let present = Set((text ?? "").split(separator: "\n").map { String(HeaderParser.trimmed($0)) })
        let missing = Self.ignoredLeftovers.filter { !present.contains($0) }
        guard !missing.isEmpty else { return }
        var finding = DoctorFinding(
            problem: "gitignore", file: relative(path),
            message: "\(relative(path)) does not ignore \(missing.joined(separator: " ")), so leftovers could be committed",
            fix: "add the missing lines")
        if fix {
            var updated = text ?? ""
            if !updated.isEmpty, !updated.hasSuffix("\n") { updated += "\n" }
            updated += missing.joined(separator: "\n") + "\n"
            try writeMemoryFile(updated, to: path)
            finding.fixed = true
        }
        report.findings.append(finding)
    }

    // MARK: One case

    private func checkCase(_ id: String, fix: Bool, into report: inout DoctorReport) throws {
        let folder = caseFolder(id)
        let short = id.prefix(8)
        // An interrupted change, and temporary files: only a holder of the lock may act on them.
        if let intent = try readIntent(id) {
            let decodes = IntentRecord(decoding: intent) != nil
            var finding = DoctorFinding(
                problem: "interrupted", file: relative(intentPath(id)),
                message: decodes ? "case \(short) has a change that stopped half-way" : "case \(short) has an intent record that does not decode",
                fix: decodes ? "finish it from its intent record" : "move the record aside")
            if fix { finding.fixed = !(try finishInterruptedChange(id)).isEmpty }
            report.findings.append(finding)
        }
        // A link in place of sessions/ or proofs/ is reported below, not refused here.
        for path in try temporaryFiles(inCase: id, refusingLinks: false) {
            var finding = DoctorFinding(
                problem: "temporary", file: relative(path), message: "a temporary file left by an interrupted write",
                fix: "remove it")
            if fix { try FileSystem.remove(path); finding.fixed = true }
            report.findings.append(finding)
        }
        // A link among the case's files: commands refuse to read through it, so it goes aside.
        for sub in [folder, folder + "/sessions", folder + "/proofs"] where FileSystem.kind(sub) == .folder {
            for entry in try FileSystem.entries(sub) where entry.kind == .symlink && !(entry.name == "latest.md" && sub.hasSuffix("/sessions")) {
                let path = sub + "/" + entry.name
                var finding = DoctorFinding(
                    problem: "symlink", file: relative(path),
                    message: "\(relative(path)) is a symlink (to \(FileSystem.symlinkTarget(path) ?? "?")); zero never reads or writes through one",
                    fix: "move the link aside to \(Self.folderName)/.quarantine/ (what it points at is untouched)")
                if fix { _ = try quarantine(path, reason: "a symlink inside a case folder"); finding.fixed = true }
                report.findings.append(finding)
            }
        }
        let sessionsFolder = self.sessionsFolder(id)
        let entries = ((try? FileSystem.entries(sessionsFolder)) ?? []) + ((try? FileSystem.entries(proofsFolder(id))) ?? [])
        let holdsRecords = entries.contains { $0.name.hasSuffix(".md") && $0.name != "latest.md" }
        for sub in [folder, sessionsFolder, proofsFolder(id)] where FileSystem.kind(sub) == .symlink {
            report.findings.append(
                DoctorFinding(
                    problem: "symlink", file: relative(sub), message: "\(relative(sub)) is a symlink; zero never reads or writes through one",
                    fix: nil))
            return
        }
        // A folder without meta.yaml: made by hand, or by an older zero killed in 'case new'.
        if FileSystem.kind(metaPath(id)) == .missing {
            var finding = DoctorFinding(
                problem: "half-created", file: relative(folder),
                message: "case \(short) has no meta.yaml" + (holdsRecords ? ", but it holds sessions or proofs" : ""),
                fix: holdsRecords ? nil : "move the folder aside to \(Self.folderName)/.quarantine/")
            if !holdsRecords { finding.message += "; it was never a whole case" }
            if holdsRecords { finding.message += "; restore meta.yaml from git ('git checkout -- \(relative(metaPath(id)))')" }
            if fix, !holdsRecords { _ = try quarantine(folder, reason: "a case folder without meta.yaml"); finding.fixed = true }
            report.findings.append(finding)
            return
        }
        let meta: CaseMeta
        do { meta = try loadMeta(id) } catch let error as ZeroError {
            report.findings.append(unreadable(error))
            return
        }
        try checkSessionFiles(meta, fix: fix, into: &report)
        try checkProofFiles(id, fix: fix, into: &report)
    }

    /// The number of a session file that holds `session` (same case, type and
    /// start) under another number, if any.
    private func keptAlready(_ session: Session, folder: String, numbers: [Int]) -> Int? {
        numbers.first { number in
            guard number != session.number, let text = try? readMemoryText(folder + "/" + Session.fileName(number)),
                let other = try? Session.parse(text, file: Session.fileName(number))
            else { return false }
            return other.startedAt == session.startedAt && other.type == session.type && other.caseID == session.caseID
        }
    }

    private func unreadable(_ error: ZeroError) -> DoctorFinding {
        DoctorFinding(problem: "unreadable", file: error.file ?? "?", line: error.line, message: error.message, fix: nil)
    }

    private func checkSessionFiles(_ meta: CaseMeta, fix: Bool, into report: inout DoctorReport) throws {
        let id = meta.id
        let folder = sessionsFolder(id)
        var numbers: [Int] = []
        var strays: [(name: String, session: Session?)] = []
        for entry in try FileSystem.entries(folder) {
            guard let number = Session.number(inFileName: entry.name) else { continue }
            if number > 0, Session.fileName(number) == entry.name { numbers.append(number); continue }
            let text = try? readMemoryText(folder + "/" + entry.name)
            strays.append((entry.name, text.flatMap { try? Session.parse($0, file: entry.name) }))
        }
        // Stray names first: a copy such as 02.md next to 002.md, or 2.md alone.
        for stray in strays.sorted(by: { $0.name < $1.name }) {
            let path = folder + "/" + stray.name
            guard var session = stray.session else {
                report.findings.append(
                    DoctorFinding(
                        problem: "stray-session", file: relative(path),
                        message: "\(stray.name) looks like a session file but does not read as one",
                        fix: "move it aside to \(Self.folderName)/.quarantine/"))
                if fix { _ = try quarantine(path, reason: "a stray session-like file"); report.findings[report.findings.count - 1].fixed = true }
                continue
            }
            let canonical = folder + "/" + Session.fileName(session.number)
            if let existing = try? readMemoryText(canonical).flatMap({ try Session.parse($0, file: canonical) }), existing == session {
                report.findings.append(
                    DoctorFinding(
                        problem: "stray-session", file: relative(path),
                        message: "\(stray.name) is a copy of \(Session.fileName(session.number))",
                        fix: "move the copy aside to \(Self.folderName)/.quarantine/"))
                if fix { _ = try quarantine(path, reason: "a copy of \(Session.fileName(session.number))"); report.findings[report.findings.count - 1].fixed = true }
                continue
            }
            // Kept already (a repair killed before it moved the stray aside): only the stray goes.
            if let kept = keptAlready(session, folder: folder, numbers: numbers) {
                report.findings.append(
                    DoctorFinding(
                        problem: "stray-session", file: relative(path),
                        message: "\(stray.name) is session \(Session.fileName(kept)), kept already",
                        fix: "move the copy aside to \(Self.folderName)/.quarantine/"))
                if fix { _ = try quarantine(path, reason: "kept already as \(Session.fileName(kept))"); report.findings[report.findings.count - 1].fixed = true }
                continue
            }
            // Two sessions claim one number: the later start takes the next free number.
            let free = (numbers.max() ?? 0) + 1
            let taken = numbers.contains(session.number)
            let target = taken ? free : session.number
            report.findings.append(
                DoctorFinding(
                    problem: "stray-session", file: relative(path),
                    message: taken ? "\(stray.name) is another session numbered \(session.number)" : "\(stray.name) is session \(session.number) under a name zero does not use",
                    fix: "keep both: write it as \(Session.fileName(target))" + (taken ? " (renumbered by start time)" : "")))
            if fix {
                if taken, let existing = try? readMemoryText(canonical).flatMap({ try Session.parse($0, file: canonical) }), existing.startedAt > session.startedAt {
                    // The one already at the number started later: it moves (to where a killed
                    // repair may have put it already), this one takes its place.
                    let destination = keptAlready(existing, folder: folder, numbers: numbers) ?? free
                    var moved = existing
                    moved.renumber(destination)
                    session.renumber(existing.number)
                    try writeMemoryFile(moved.render(), to: folder + "/" + Session.fileName(destination))
                    try writeMemoryFile(session.render(), to: canonical)
                } else {
                    session.renumber(target)
                    try writeMemoryFile(session.render(), to: folder + "/" + Session.fileName(target))
                }
                _ = try quarantine(path, reason: "rewritten as \(Session.fileName(target)) by zero doctor --fix")
                numbers.append(target)
                report.findings[report.findings.count - 1].fixed = true
            }
        }
        // Until the strays are dealt with, the sessions do not read as one set.
        if !fix, !strays.isEmpty { return }
        let sessions: [Session]
        do { sessions = try loadSessions(id) } catch let error as ZeroError {
            report.findings.append(unreadable(error))
            return
        }
        let highest = sessions.map(\.number).max() ?? 0
        if meta.sessionCount < highest {
            var finding = DoctorFinding(
                problem: "session-count", file: relative(metaPath(id)),
                message: "meta.yaml says session_count \(meta.sessionCount), but session \(highest) exists", fix: "set it to \(highest)")
            if fix {
                var updated = meta
                updated.sessionCount = highest
                try writeMemoryFile(updated.render(), to: metaPath(id))
                finding.fixed = true
            }
            report.findings.append(finding)
        }
        let open = sessions.filter { !$0.state.isEnded }
        if open.count > 1 {
            report.findings.append(
                DoctorFinding(
                    problem: "open-sessions", file: relative(folder),
                    message: "case \(id.prefix(8)) has \(open.count) sessions not ended (\(open.map { "S" + Timestamp.pad($0.number, 3) }.joined(separator: ", "))); a case has at most one",
                    fix: nil))
        }
        if let session = open.first, meta.state == .open {
            report.findings.append(
                DoctorFinding(
                    problem: "disagree", file: relative(metaPath(id)),
                    message: "session S\(Timestamp.pad(session.number, 3)) is \(session.state.rawValue), but the case is still OPEN",
                    fix: nil))
        }
        if let plan = meta.approvedPlan, !sessions.contains(where: { $0.number == plan.session }) {
            report.findings.append(
                DoctorFinding(
                    problem: "approved-plan", file: relative(metaPath(id)),
                    message: "approved_plan names session \(plan.session), which has no file", fix: nil))
        }
        guard highest > 0 else { return }
        let latest = folder + "/latest.md"
        let want = Session.fileName(highest)
        let kind = FileSystem.kind(latest)
        let target = kind == .symlink ? FileSystem.symlinkTarget(latest) : nil
        if target != want {
            let what =
                switch kind {
                case .missing: "latest.md is missing"
                case .symlink: "latest.md points at \(target ?? "?"), not the newest session \(want)"
                default: "latest.md is not a link"
                }
            var finding = DoctorFinding(problem: "latest", file: relative(latest), message: what, fix: "point it at \(want)")
            if fix {
                if kind != .symlink, kind != .missing { _ = try quarantine(latest, reason: "latest.md that was not a link") }
                try FileSystem.replaceSymlink(at: latest, target: want)
                finding.fixed = true
            }
            report.findings.append(finding)
        }
    }

    private func checkProofFiles(_ id: String, fix: Bool, into report: inout DoctorReport) throws {
        let proofs: [Proof]
        do { proofs = try loadProofs(id) } catch let error as ZeroError {
            report.findings.append(unreadable(error))
            return
        }
        let artifacts = Set(proofs.compactMap(\.artifact))
        for entry in try FileSystem.entries(proofsFolder(id)) where entry.kind == .file && !entry.name.hasPrefix(".") && !entry.name.hasSuffix(".md") {
            guard !artifacts.contains(entry.name) else { continue }
            let path = proofsFolder(id) + "/" + entry.name
            var finding = DoctorFinding(
                problem: "orphan-artifact", file: relative(path),
                message: "\(entry.name) is the artifact of no proof (a 'proof run' or 'proof add' that stopped before its proof was written)",
                fix: "move it aside to \(Self.folderName)/.quarantine/")
            if fix { _ = try quarantine(path, reason: "an artifact without its proof"); finding.fixed = true }
            report.findings.append(finding)
        }
    }
}

extension Session {
    /// Gives the session another number (its title follows); an ended one is sealed again.
    mutating func renumber(_ number: Int) {
        self.number = number
        if seal != nil { applySeal() }
    }
}
