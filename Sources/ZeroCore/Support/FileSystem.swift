#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations Zero needs, done with POSIX calls so that every
/// write is atomic and durable and listing 10 000 folders stays cheap.
public enum FileSystem {
    /// Reads a whole file as UTF-8 text; nil when it does not exist.
    public static func readText(_ path: String) throws -> String? {
        guard let bytes = try readBytes(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads a whole file; nil when it does not exist.
    public static func readBytes(_ path: String) throws -> [UInt8]? {
        guard let fd = try openForReading(path) else { return nil }
        defer { close(fd) }
        var info = stat()
        var size = 0
        if fstat(fd, &info) == 0, info.st_size > 0 { size = Int(info.st_size) }
        return try readToEnd(fd, expected: size, limit: .max, path: path)
    }

    /// What sits at a path, without following a symlink there.
    public enum Kind: Equatable, Sendable {
        case missing, file, folder, symlink, other
    }

    public static func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .folder
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// Why a memory file could not be read as one: the caller turns it into a
    /// malformed-file error naming the file.
    public enum RegularFileProblem: Error, Equatable {
        case notRegular(Kind)
        case tooLarge(size: Int, limit: Int)
    }

    /// Reads a regular file that is not a symlink, refusing anything larger
    /// than `limit` bytes before reading it; nil when it does not exist.
    public static func readRegularFile(_ path: String, limit: Int) throws -> Result<[UInt8], RegularFileProblem>? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            if errno == ELOOP { return .failure(.notRegular(.symlink)) }
            throw ioError("cannot read", path)
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ioError("cannot read", path) }
        switch info.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(.notRegular(.folder))
        default: return .failure(.notRegular(.other))
        }
        if Int(info.st_size) > limit { return .failure(.tooLarge(size: Int(info.st_size), limit: limit)) }
        let bytes = try readToEnd(fd, expected: Int(info.st_size), limit: limit, path: path)
        if bytes.count > limit { return .failure(.tooLarge(size: bytes.count, limit: limit)) }
        return .success(bytes)
    }

    /// The rest of `fd`, read straight into uninitialised storage (an index file
    /// of several megabytes is read on every commit, and zero-filling it first
    /// costs as much): one byte more than `size` (what fstat gave), so a file
    /// that grew meanwhile shows and is read whole, stopping once past `limit`.
    private static func readToEnd(_ fd: Int32, expected size: Int, limit: Int, path: String) throws -> [UInt8] {
        var bytes = try readAll(fd, capacity: size + 1, path: path)
        while bytes.count > size, bytes.count <= limit {
            let more = try readAll(fd, capacity: 65536, path: path)
            if more.isEmpty { break }
            bytes += more
        }
        return bytes
    }

    /// Up to `capacity` bytes from `fd`, fewer at the end of the file.
    private static func readAll(_ fd: Int32, capacity: Int, path: String) throws -> [UInt8] {
        var failed = false
        let bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initialized in
            var length = 0
            while length < buffer.count {
                let got = read(fd, buffer.baseAddress! + length, buffer.count - length)
                if got < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    break
                }
                if got == 0 { break }
                length += got
            }
            initialized = length
        }
        if failed { throw ioError("cannot read", path) }
        return bytes
    }

    /// A descriptor for reading `path`; nil when it does not exist.
    private static func openForReading(_ path: String) throws -> Int32? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw ioError("cannot read", path)
        }
        return fd
    }

    /// Runs `body` over the file's bytes mapped read-only into memory; nil when
    /// the file does not exist or is empty.
    public static func withMappedFile<T>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) throws -> T? {
        guard let fd = try openForReading(path) else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return nil }
        let size = Int(info.st_size)
        guard let base = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), base != MAP_FAILED else { throw ioError("cannot map", path) }
        defer { munmap(base, size) }
        return try body(UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: size))
    }

    /// Writes `text` so that readers see the old file or the new one, never a torn one:
    /// a temporary file in the same folder, fsync, rename, fsync of the folder.
    public static func writeAtomically(_ text: String, to path: String, sync: Bool = true) throws {
        try writeAtomically(Array(text.utf8), to: path, sync: sync)
    }

    /// Writes through a temporary file renamed into place. With `sync: false`
    /// (derived files only) neither the file nor its folder is synced. `mode`
    /// (before the umask) is the new file's from its first byte: 0o600 keeps a
    /// secret unreadable to others at every instant.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, sync: Bool = true, mode: mode_t = 0o666) throws {
        let (folder, name) = split(path)
        let temporary = folder + "/." + name + ".tmp-" + String(getpid()) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        if fd < 0 { throw ioError("cannot write", path) }
        var ok = false
        defer { if !ok { unlink(temporary) } }
        var written = 0
        while written < bytes.count {
            let done = bytes.withUnsafeBytes { buffer in write(fd, buffer.baseAddress! + written, buffer.count - written) }
            if done < 0 {
                if errno == EINTR { continue }
                close(fd)
                throw ioError("cannot write", path)
            }
            written += done
        }
        if sync, fsync(fd) != 0 { close(fd); throw ioError("cannot sync", path) }
        close(fd)
        if sync { FailPoint.step() }
        if rename(temporary, path) != 0 { throw ioError("cannot replace", path) }
        ok = true
        if sync {
            syncFolder(folder)
            FailPoint.step()
        }
    }

    /// Seconds since `path` was last modified (not following a link); nil when missing.
    public static func age(_ path: String) -> Int? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return time(nil) - Int(info.st_mtim.tv_sec)
    }

    /// Whether `name` is one of the temporary files `writeAtomically` and
    /// `replaceSymlink` create (`.<name>.tmp-<pid>-<random>`).
    public static func isTemporaryName(_ name: String) -> Bool {
        name.hasPrefix(".") && name.contains(".tmp-")
    }

    /// Removes a file or link; succeeds when it is already gone.
    public static func remove(_ path: String) throws {
        if unlink(path) != 0, errno != ENOENT { throw ioError("cannot remove", path) }
        syncFolder(split(path).folder)
        FailPoint.step()
    }

    /// Points `path` at `target` (a relative symlink), replacing any old link atomically.
    public static func replaceSymlink(at path: String, target: String) throws {
        let (folder, name) = split(path)
        let temporary = folder + "/." + name + ".tmp-" + String(getpid()) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        if symlink(target, temporary) != 0 { throw ioError("cannot create link", path) }
        FailPoint.step()
        if rename(temporary, path) != 0 {
            unlink(temporary)
            throw ioError("cannot replace link", path)
        }
        syncFolder(folder)
        FailPoint.step()
    }

    /// Renames a folder, refusing to replace anything at `target`; the parent
    /// folder is synced so the rename survives a power loss.
    public static func renameFolder(_ source: String, to target: String) throws {
        guard kind(target) == .missing else {
            throw ZeroError(.conflict, "cannot move \(source) to \(target): something is there already")
        }
        if rename(source, target) != 0 { throw ioError("cannot rename", source) }
        syncFolder(split(target).folder)
        FailPoint.step()
    }

    /// Creates a folder and its parents; succeeds when it exists already.
    public static func createFolder(_ path: String) throws {
        if isFolder(path) { return }
        let (parent, _) = split(path)
        if parent != path, !parent.isEmpty, !isFolder(parent) { try createFolder(parent) }
        if mkdir(path, 0o777) != 0, errno != EEXIST { throw ioError("cannot create folder", path) }
        FailPoint.step()
    }

    /// Creates a folder that must not exist yet; false when it does.
    public static func createNewFolder(_ path: String) throws -> Bool {
        if mkdir(path, 0o777) == 0 { return true }
        if errno == EEXIST { return false }
        throw ioError("cannot create folder", path)
    }

    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    public static func isFolder(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    public static func isSymlink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK
    }

    /// The target a symlink names, or nil.
    public static func symlinkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The names in a folder with what each is (from the folder itself, no
    /// extra call per entry), unsorted; empty when it does not exist.
    public static func entries(_ path: String) throws -> [(name: String, kind: Kind)] {
        guard let dir = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            throw ioError("cannot list", path)
        }
        defer { closedir(dir) }
        var entries: [(name: String, kind: Kind)] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.bindMemory(to: UInt8.self)
                let end = bytes.firstIndex(of: 0) ?? bytes.count
                return String(decoding: bytes[..<end], as: UTF8.self)
            }
            guard name != ".", name != ".." else { continue }
            let kind: Kind =
                switch Int32(entry.pointee.d_type) {
                case Int32(DT_REG): .file
                case Int32(DT_DIR): .folder
                case Int32(DT_LNK): .symlink
                case Int32(DT_UNKNOWN): self.kind(path + "/" + name)
                default: .other
                }
            entries.append((name, kind))
        }
        return entries
    }

    /// The names in a folder (not `.` and `..`), unsorted; empty when it does not exist.
    public static func list(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            throw ioError("cannot list", path)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.bindMemory(to: UInt8.self)
                let end = bytes.firstIndex(of: 0) ?? bytes.count
                return String(decoding: bytes[..<end], as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Copies a file's bytes to a new path, atomically.
    public static func copy(_ source: String, to destination: String) throws {
        guard let bytes = try readBytes(source) else {
            throw ZeroError(.notFound, "no such file: \(source)")
        }
        try writeAtomically(bytes, to: destination)
    }

    /// Deletes a folder and everything in it (used only by `zero case delete --yes`).
    public static func removeTree(_ path: String) throws {
        if isFolder(path), !isSymlink(path) {
            for name in try list(path) { try removeTree(path + "/" + name) }
            if rmdir(path) != 0 { throw ioError("cannot remove", path) }
            FailPoint.step()
        } else if unlink(path) != 0, errno != ENOENT {
            throw ioError("cannot remove", path)
        } else {
            FailPoint.step()
        }
    }

    /// The current working directory.
    public static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getcwd(&buffer, buffer.count) != nil else { return "." }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The absolute, symlink-free form of a path that exists.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        let folder = slash == path.startIndex ? "/" : String(path[..<slash])
        return (folder, String(path[path.index(after: slash)...]))
    }

    private static func syncFolder(_ folder: String) {
        let fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    static func ioError(_ what: String, _ path: String) -> ZeroError {
        let reason = String(cString: strerror(errno))
        return ZeroError(.internal, "\(what) \(path): \(reason)", hint: "check the file's permissions and free disk space")
    }
}
