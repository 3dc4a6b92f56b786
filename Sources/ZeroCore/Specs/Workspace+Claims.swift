import ZeroGit

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Claims across clones.
//
// A session opened in one clone is invisible to every other clone until it is
// pushed, so two agents in two clones could start the same ticket. A claim
// settles that on the remote they share: `refs/zero/claims/<case-id>` names a
// small commit (empty tree, no branch contains it) whose message records who
// claimed, from which clone, and when. Whoever creates the ref first holds the
// ticket; the others are refused with the holder named (exit 73) and start
// nothing. Every change of the ref is a compare-and-swap against the value
// read just before (see `RemoteRefs`):
//
// - claim: create the ref only if it does not exist;
// - take over (`--steal-after`): a new claim commit whose parent is the old
//   one, written only if the ref still names exactly that old commit, so of
//   two processes taking over the same stale claim one wins and the other
//   finds the ref moved and is refused like any loser;
// - release: delete the ref only if it still names the commit read.
//
// Nothing of this is written into zero-memory/ or onto a branch: the claim
// commits live on the remote's ref (and, for a remote elsewhere, in a scratch
// repository in the git dir); this worktree keeps only its claimant id and a
// note of the claims it holds, in its own git dir.

/// Who holds a ticket across clones, as its claim commit records it.
public struct Claim: Sendable, Equatable, Encodable {
    public var ticket: String
    /// `Name <email>` of who claimed.
    public var by: String
    /// The claimant: a random id kept in the claiming worktree's git dir.
    public var clone: String
    public var host: String
    /// The claiming worktree's top folder.
    public var path: String
    public var since: Timestamp
    /// The claim commit the remote's ref names.
    public var commit: String

    /// Who, where and since when, for messages.
    public var holder: String { "\(by) (\(host):\(path)) since \(since)" }

    /// The commit message: a subject, then one `Zero-Claim-<Key>: value` line per field.
    var message: String {
        let fields = [("Ticket", ticket), ("By", by), ("Clone", clone), ("Host", host), ("Path", path), ("At", since.description)]
        return "zero claim on ticket \(ticket)\n\n" + fields.map { "Zero-Claim-\($0.0): \(Self.oneLine($0.1))\n" }.joined()
    }

    /// Reads a claim commit. Fields missing from a commit Zero did not write
    /// fall back to its author and time, so such a claim is still named and can age.
    init(_ commit: RemoteCommit, ticket: String) {
        var fields: [String: String] = [:]
        for line in commit.message.split(separator: "\n") where line.hasPrefix("Zero-Claim-") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[line.index(line.startIndex, offsetBy: "Zero-Claim-".count)..<colon]
            // Read from the remote: no control character reaches a terminal through a message.
            fields[String(key)] = Self.oneLine(String(line[line.index(after: colon)...])).trimming(" ")
        }
        self.ticket = ticket
        by = fields["By"] ?? Self.oneLine(commit.author)
        clone = fields["Clone"] ?? ""
        host = fields["Host"] ?? "?"
        path = fields["Path"] ?? "?"
        since = fields["At"].flatMap(Timestamp.init) ?? Timestamp(seconds: commit.time)
        self.commit = commit.id
    }

    init(ticket: String, by: String, clone: String, host: String, path: String, since: Timestamp) {
        self.ticket = ticket
        self.by = by
        self.clone = clone
        self.host = host
        self.path = path
        self.since = since
        commit = ""
    }

    private static func oneLine(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}

/// What `--claim` asks for: the remote to claim on and when a claim is stale.
public struct ClaimRequest: Sendable {
    /// The remote's name; nil for `origin`.
    public var remote: String?
    /// Take over a claim at least this old (seconds); nil never takes over.
    public var stealAfter: Int?

    public init(remote: String? = nil, stealAfter: Int? = nil) {
        self.remote = remote
        self.stealAfter = stealAfter
    }

    /// A duration such as `90s`, `30m`, `2h`, `1d`, `1w` or `1h30m`, in seconds.
    public static func seconds(_ text: String) throws -> Int {
        let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800]
        var total = 0, number = "", sawUnit = false
        for character in text {
            if character.isASCII, character.isNumber {
                number.append(character)
            } else if let unit = units[character], let value = Int(number), value <= 1_000_000 {
                total += value * unit
                number = ""
                sawUnit = true
            } else {
                sawUnit = false
                break
            }
        }
        guard sawUnit, number.isEmpty, total > 0 else {
            throw ZeroError(.usage, "'\(text)' is not a duration", hint: "write it like 30m, 2h, 1d or 1h30m")
        }
        return total
    }
}

/// A claim this command made or found held by this clone.
public struct ClaimView: Sendable, Encodable {
    public var remote: String
    public var ref: String
    public var claim: Claim
    /// Whether this command wrote it (false: this clone held it already).
    public var created: Bool
    /// The stale claim this one took over.
    @Nullable public var tookOverFrom: Claim?

    enum CodingKeys: String, CodingKey { case remote, ref, claim, created, tookOverFrom = "took_over_from" }
}

/// What a release did: `zero work release`, and `work complete` for a claimed ticket.
public struct ReleaseView: Sendable, Encodable {
    public var ticket: String
    public var remote: String
    public var released: Bool
    /// The claim released (or found on the remote).
    @Nullable public var claim: Claim?
    /// Whether it was another clone's claim (`--force`).
    public var forced: Bool
    /// Why nothing was released.
    @Nullable public var note: String?
}

/// The claim this worktree holds on a ticket, as noted in its git dir.
struct HeldClaim: Equatable {
    var remote: String
    var commit: String
}

extension Workspace {
    static let claimsGlob = "refs/zero/claims/*"
    static func claimRef(_ id: String) -> String { "refs/zero/claims/" + id }

    /// The remote claims go to: `name`, else `origin` when the repository has
    /// one. Without either, `required` refuses; otherwise there is no remote
    /// (`work next --claim` then only starts the ticket in this clone, as it
    /// always did).
    func claimRemote(_ name: String?, required: Bool) throws -> RemoteRefs? {
        let repository = try repository()
        let chosen: String
        if let name {
            chosen = name
        } else if try repository.configString("remote.origin.url") != nil {
            chosen = "origin"
        } else if required {
            throw ZeroError(
                .usage, "this repository has no remote 'origin' to claim tickets on",
                hint: "give the remote the other clones share: --remote <name> ('git remote -v' lists them)")
        } else {
            return nil
        }
        let locations = try gitLocations()
        let timeout = environment.lockTimeoutMilliseconds
        return try RemoteRefs(repository, remote: chosen) {
            // Commits for a remote elsewhere are made here, never in the user's repository.
            try FileSystem.createFolder(locations.commonDir + "/zero")
            return try FileLock.withLock(locations.claimsRepository + ".lock", what: "the claims repository", timeoutMilliseconds: timeout) {
                try Repository.openOrCreateBare(at: locations.claimsRepository)
            }
        }
    }

    /// This worktree's claimant id: random, made on first use, kept in its git
    /// dir. A worktree, not a machine or a person: two worktrees of one clone
    /// hold their own sessions, so they must not share claims.
    func claimant() throws -> String {
        let locations = try gitLocations()
        let path = locations.claimant
        func stored() throws -> String? {
            guard let text = try FileSystem.readText(path)?.trimming(" \n"), CaseID.isValid(text) else { return nil }
            return text
        }
        if let id = try stored() { return id }
        try FileSystem.createFolder(locations.gitDir + "/zero")
        return try FileLock.withLock(path + ".lock", what: "the claimant id", timeoutMilliseconds: environment.lockTimeoutMilliseconds) {
            if let id = try stored() { return id }
            let id = CaseID.generate()
            try FileSystem.writeAtomically(id + "\n", to: path)
            return id
        }
    }

    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "?" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    // MARK: The note of claims held here

    func heldClaim(_ id: String) throws -> HeldClaim? {
        guard let text = try FileSystem.readText(try gitLocations().heldClaims + "/" + id) else { return nil }
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        guard let remote = fields["remote"], let commit = fields["commit"] else { return nil }
        return HeldClaim(remote: remote, commit: commit)
    }

    private func noteHeldClaim(_ id: String, _ held: HeldClaim) throws {
        let folder = try gitLocations().heldClaims
        try FileSystem.createFolder(folder)
        try FileSystem.writeAtomically("remote \(held.remote)\ncommit \(held.commit)\n", to: folder + "/" + id)
    }

    private func forgetHeldClaim(_ id: String) throws {
        try FileSystem.remove(try gitLocations().heldClaims + "/" + id)
    }

    // MARK: Claiming

    /// Claims ticket `id` on `remote`, or finds this clone holds it already.
    /// Refused (conflict, exit 73) when another clone holds it, unless its
    /// claim is at least `stealAfter` seconds old: then it is taken over.
    func claimTicket(_ id: String, on remote: RemoteRefs, stealAfter: Int?) throws -> ClaimView {
        let ref = Self.claimRef(id)
        let me = try claimant()
        let actor = try actor()
        // The first attempt assumes no claim (one round trip when none); a
        // failed swap always reads the ref again before deciding anew.
        var current: RemoteCommit?
        for attempt in 0..<6 {
            if attempt > 0 {
                if attempt > 1 { usleep(UInt32(20_000 * attempt)) }
                current = try remote.read(ref)
            }
            var takenOver: Claim?
            if let current {
                let holder = Claim(current, ticket: id)
                if holder.clone == me {
                    try noteHeldClaim(id, HeldClaim(remote: remote.remote, commit: holder.commit))
                    return ClaimView(remote: remote.remote, ref: ref, claim: holder, created: false, tookOverFrom: nil)
                }
                let age = now().seconds - holder.since.seconds
                guard let stealAfter, age >= stealAfter else {
                    throw heldElsewhere(holder, remote: remote.remote, age: age, stealAfter: stealAfter)
                }
                takenOver = holder
            }
            if environment.claimPauseMilliseconds > 0 { usleep(UInt32(environment.claimPauseMilliseconds) * 1000) }
            let time = now()
            var claim = Claim(ticket: id, by: actor.description, clone: me, host: Self.hostName(), path: root, since: time)
            let signature = CommitSignature(name: actor.name, email: actor.email, time: time.seconds)
            switch try remote.replace(ref, expected: current?.id, message: claim.message, signature: signature) {
            case .done(let commit):
                claim.commit = commit ?? ""
                try noteHeldClaim(id, HeldClaim(remote: remote.remote, commit: claim.commit))
                return ClaimView(remote: remote.remote, ref: ref, claim: claim, created: true, tookOverFrom: takenOver)
            case .changed:
                continue
            }
        }
        throw ZeroError(
            .busy, "the claim on ticket \(id.prefix(8)) kept changing on '\(remote.remote)' while zero tried to take it",
            hint: "try again in a moment")
    }

    private func heldElsewhere(_ holder: Claim, remote: String, age: Int, stealAfter: Int?) -> ZeroError {
        let short = holder.ticket.prefix(8)
        var message = "ticket \(short) is claimed on '\(remote)' by \(holder.holder), \(Self.elapsed(age)) ago"
        if let stealAfter { message += "; --steal-after \(Self.elapsed(stealAfter)) takes over only an older claim" }
        return ZeroError(
            .conflict, message,
            hint: "pick another ticket with 'zero work next --claim'; the holder frees it with 'zero work release \(short)'"
                + (stealAfter == nil ? "; --steal-after <duration> takes over a claim older than that" : ""))
    }

    /// `45s`, `12m`, `3h`, `2d`: the largest whole unit.
    static func elapsed(_ seconds: Int) -> String {
        if seconds < 0 { return "0s (its clock is ahead)" }
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m" }
        if seconds < 86_400 { return "\(seconds / 3600)h" + (seconds % 3600 >= 60 ? "\(seconds % 3600 / 60)m" : "") }
        return "\(seconds / 86_400)d" + (seconds % 86_400 >= 3600 ? "\(seconds % 86_400 / 3600)h" : "")
    }

    /// Takes back a claim this command just made, when starting the ticket
    /// failed after all. Kept when the ticket has an open session here anyway
    /// (another process of this worktree started it meanwhile): this clone works it.
    func undoClaim(_ view: ClaimView, on remote: RemoteRefs) {
        guard view.created else { return }
        let ticket = view.claim.ticket
        if let sessions = try? loadSessions(ticket), sessions.contains(where: { !$0.state.isEnded }) { return }
        if case .done = try? remote.delete(view.ref, expected: view.claim.commit) { try? forgetHeldClaim(ticket) }
    }

    // MARK: Releasing

    /// Deletes the ticket's claim on the remote (the one it was claimed on,
    /// else `name`, else `origin`): only this clone's claim, unless `force`.
    public func releaseClaim(_ reference: String, remote name: String? = nil, force: Bool = false) throws -> ReleaseView {
        let id = try resolveCase(reference)
        let short = id.prefix(8)
        let held = try heldClaim(id)
        guard let remote = try claimRemote(name ?? held?.remote, required: true) else { throw ZeroError(.internal, "no remote") }
        let ref = Self.claimRef(id)
        let me = try claimant()
        for attempt in 0..<6 {
            if attempt > 1 { usleep(UInt32(20_000 * attempt)) }
            guard let current = try remote.read(ref) else {
                if held?.remote == remote.remote { try forgetHeldClaim(id) }
                throw ZeroError(.notFound, "ticket \(short) is not claimed on '\(remote.remote)'", hint: "nothing to release")
            }
            let holder = Claim(current, ticket: id)
            let mine = holder.clone == me
            guard mine || force else {
                throw ZeroError(
                    .conflict, "ticket \(short) is claimed on '\(remote.remote)' by \(holder.holder), not by this clone",
                    hint: "only its holder releases it; --force takes it away (tell \(holder.by) first)")
            }
            if case .done = try remote.delete(ref, expected: current.id) {
                if mine || held?.commit == current.id { try forgetHeldClaim(id) }
                return ReleaseView(ticket: id, remote: remote.remote, released: true, claim: holder, forced: !mine, note: nil)
            }
        }
        throw ZeroError(.busy, "the claim on ticket \(short) kept changing on '\(remote.remote)'", hint: "try again in a moment")
    }

    /// After `work complete`: releases the ticket's claim when this worktree
    /// holds one. Never fails the completion: what could not be done is noted
    /// (and `zero work release` can finish it later).
    func releaseAfterCompletion(_ id: String) -> ReleaseView? {
        guard let held = try? heldClaim(id) else { return nil }
        let later = "; release it later with 'zero work release \(id.prefix(8))'"
        do {
            guard let remote = try claimRemote(held.remote, required: true) else { return nil }
            let ref = Self.claimRef(id)
            guard let current = try remote.read(ref) else {
                try forgetHeldClaim(id)
                return ReleaseView(ticket: id, remote: held.remote, released: false, claim: nil, forced: false, note: "no claim was left on '\(held.remote)'")
            }
            let holder = Claim(current, ticket: id)
            guard holder.clone == (try claimant()) else {
                try forgetHeldClaim(id)
                return ReleaseView(
                    ticket: id, remote: held.remote, released: false, claim: holder, forced: false,
                    note: "the claim was taken over by \(holder.holder); it stays theirs")
            }
            if case .done = try remote.delete(ref, expected: current.id) {
                try forgetHeldClaim(id)
                return ReleaseView(ticket: id, remote: held.remote, released: true, claim: holder, forced: false, note: nil)
            }
            return ReleaseView(
                ticket: id, remote: held.remote, released: false, claim: holder, forced: false, note: "the claim changed while zero released it" + later)
        } catch let error as ZeroError {
            return ReleaseView(ticket: id, remote: held.remote, released: false, claim: nil, forced: false, note: error.message + later)
        } catch {
            return ReleaseView(ticket: id, remote: held.remote, released: false, claim: nil, forced: false, note: "\(error)" + later)
        }
    }
}
