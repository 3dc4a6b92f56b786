/// Every read and write of a memory file goes through here, so that three
/// rules hold in one place (DESIGN §9): no path leaves `zero-memory/`, nothing
/// is read or written through a symlink, and a file Zero could not keep whole
/// (not a regular file, far too large, not UTF-8) is refused before parsing.
extension Workspace {
    /// A memory file larger than this is refused rather than parsed: the largest
    /// real ones (sessions with captured output) stay well under a megabyte.
    public static let memoryFileLimit = 16 << 20

    /// Checks that `folder` lies inside `zero-memory/` and that it and every
    /// folder between are real folders, not symlinks. Missing folders are
    /// created when `create`; otherwise a missing one returns false.
    @discardableResult
    func requireRealFolder(_ folder: String, create: Bool) throws -> Bool {
        if verifiedFolders.contains(folder) { return true }
        guard folder == memory || folder.hasPrefix(memory + "/") else {
            throw ZeroError(.internal, "refusing to touch \(folder): it is outside \(Self.folderName)/")
        }
        let below = folder.dropFirst(memory.count).split(separator: "/", omittingEmptySubsequences: true)
        guard !below.contains(where: { $0 == "." || $0 == ".." }) else {
            throw ZeroError(.internal, "refusing to touch \(folder): the path climbs out of \(Self.folderName)/")
        }
        var current = memory
        for component in [Substring("")] + below {
            if !component.isEmpty { current += "/" + component }
            if verifiedFolders.contains(current) { continue }
            switch FileSystem.kind(current) {
            case .folder:
                break
            case .missing:
                guard create else { return false }
                try FileSystem.createFolder(current)
                guard FileSystem.kind(current) == .folder else { throw Self.notAFolder(relative(current), .other) }
            case let kind:
                throw Self.notAFolder(relative(current), kind)
            }
            verifiedFolders.insert(current)
        }
        return true
    }

    static func notAFolder(_ path: String, _ kind: FileSystem.Kind) -> ZeroError {
        if kind == .symlink {
            return ZeroError(
                .malformed, "\(path) is a symlink; zero never reads or writes through one",
                hint: "replace the link with a real folder (or remove it); 'zero doctor' lists every link under \(folderName)/",
                file: path)
        }
        return ZeroError(.malformed, "\(path) should be a folder and is not", hint: "move the file aside; 'zero doctor' explains", file: path)
    }

    /// The text of a memory file, strictly: nil when it (or its folder) does
    /// not exist; refused with exit 65 when it is a link, a folder, larger than
    /// `memoryFileLimit`, or not valid UTF-8 (with the line of the first bad byte).
    public func readMemoryText(_ path: String) throws -> String? {
        guard let bytes = try readMemoryBytes(path) else { return nil }
        return try MemoryText.decode(bytes, file: relative(path))
    }

    /// The bytes of a file under zero-memory/ (an artifact, say), with the same
    /// refusals as `readMemoryText` but any content.
    public func readMemoryBytes(_ path: String) throws -> [UInt8]? {
        let (folder, _) = FileSystem.split(path)
        guard try requireRealFolder(folder, create: false) else { return nil }
        guard let read = try FileSystem.readRegularFile(path, limit: Self.memoryFileLimit) else { return nil }
        switch read {
        case .failure(.notRegular(let kind)):
            if kind == .symlink {
                throw ZeroError(
                    .malformed, "\(relative(path)) is a symlink; zero never reads a memory file through one",
                    hint: "replace it with the file itself", file: relative(path))
            }
            throw ZeroError(
                .malformed, "\(relative(path)) is not a regular file", hint: "move it aside and restore the file from git",
                file: relative(path))
        case .failure(.tooLarge(let size, let limit)):
            throw ZeroError(
                .malformed, "\(relative(path)) is \(size) bytes; memory files are limited to \(limit) bytes",
                hint: "a file this large was not written by zero: move it aside, or restore it from git", file: relative(path))
        case .success(let bytes):
            return bytes
        }
    }

    /// Writes a memory file atomically, after checking its folders (created
    /// when missing) are real folders inside `zero-memory/`. The ticket index
    /// is invalidated first.
    func writeMemoryFile(_ bytes: [UInt8], to path: String) throws {
        try requireRealFolder(FileSystem.split(path).folder, create: true)
        try invalidatingTicketIndex { try FileSystem.writeAtomically(bytes, to: path) }
    }

    func writeMemoryFile(_ text: String, to path: String) throws {
        try writeMemoryFile(Array(text.utf8), to: path)
    }

    /// Runs `body` holding case `id`'s lock. The case folder must be a real
    /// folder before the lock file is created in it.
    func withCaseLock<T>(_ id: String, _ body: () throws -> T) throws -> T {
        guard try requireRealFolder(caseFolder(id), create: false) else {
            throw ZeroError(.notFound, "no case \(id.prefix(8))", hint: "'zero case list' shows the cases")
        }
        return try FileLock.withLock(
            caseFolder(id) + "/.lock", what: "case \(id.prefix(8))",
            timeoutMilliseconds: environment.lockTimeoutMilliseconds, body)
    }
}
