import Crypto

/// Git's index file (`.git/index`, or `GIT_INDEX_FILE` inside a hook), read
/// only to learn which blob the index holds at a few paths. The pre-commit
/// hook uses it to take a file from the work tree instead of asking
/// `git cat-file`, but only when the work tree's bytes hash to exactly that
/// blob: the bytes are then the index's, and for an unstaged path HEAD's.
///
/// Formats Zero does not read (a split index, an unknown version) give nil,
/// and the hook asks git instead.
struct GitIndex {
    struct Entry: Equatable, Sendable {
        var mode: UInt32
        /// The blob id, 20 bytes.
        var id: [UInt8]
    }

    /// The paths asked for: about any other path the index says nothing here.
    let wanted: Set<String>
    /// The wanted paths' stage-0 entries, and those of them with conflict stages.
    let entries: [String: Entry]
    let conflicted: Set<String>

    /// Reads the entries of `wanted` from the index at `path`; nil when the file
    /// is missing, damaged or in a form Zero does not read.
    static func read(_ path: String, wanted: Set<String>) -> GitIndex? {
        guard let bytes = (try? FileSystem.readBytes(path)) ?? nil else { return nil }
        return parse(bytes, wanted: wanted)
    }

    /// Parses index bytes, keeping the entries of `wanted` (compared as bytes:
    /// an index of 60 000 paths is not turned into 60 000 strings).
    static func parse(_ bytes: [UInt8], wanted: Set<String>) -> GitIndex? {
        let wantedBytes = Set(wanted.map { Array($0.utf8) })
        var reader = ByteReader(bytes)
        guard reader.take(4) == Array("DIRC".utf8), let version = reader.uint32(), (2...4).contains(version),
              let count = reader.uint32() else { return nil }
        var entries: [String: Entry] = [:]
        var conflicted: Set<String> = []
        var previous: [UInt8] = []
        for _ in 0..<count {
            let start = reader.offset
            guard reader.skip(24), let mode = reader.uint32(), reader.skip(12), let id = reader.take(20),
                  let flags = reader.uint16() else { return nil }
            if version >= 3, flags & 0x4000 != 0 { guard reader.skip(2) else { return nil } }
            let name: [UInt8]
            if version == 4 {
                guard let strip = reader.offsetVarint(), strip <= previous.count, let suffix = reader.takeUntilNul() else { return nil }
                name = Array(previous.dropLast(strip)) + suffix
            } else {
                guard let path = reader.takeUntilNul() else { return nil }
                name = path
                // Entries are padded with NULs to a multiple of eight bytes.
                let length = reader.offset - start
                guard reader.skip((8 - length % 8) % 8) else { return nil }
            }
            previous = name
            guard wantedBytes.contains(name) else { continue }
            let path = String(decoding: name, as: UTF8.self)
            if (flags >> 12) & 0x3 != 0 {
                conflicted.insert(path)
            } else {
                entries[path] = Entry(mode: mode, id: id)
            }
        }
        // Extensions: a split index keeps entries in another file, which Zero does not read.
        while reader.remaining > 20 {
            guard let signature = reader.take(4), let size = reader.uint32() else { return nil }
            if signature == Array("link".utf8) { return nil }
            guard reader.skip(Int(size)) else { return nil }
        }
        return GitIndex(wanted: wanted, entries: entries, conflicted: conflicted)
    }

    /// The stage-0 entry at `path`; nil when absent or in conflict.
    func entry(_ path: String) -> Entry? {
        conflicted.contains(path) ? nil : entries[path]
    }

    /// Whether `path` has conflict stages (a merge in progress).
    func isConflicted(_ path: String) -> Bool { conflicted.contains(path) }

    /// Whether `bytes` are exactly the blob `id` (git's SHA-1 of "blob <size>\0" and the bytes).
    static func blobMatches(_ bytes: [UInt8], id: [UInt8]) -> Bool {
        var hasher = Insecure.SHA1()
        hasher.update(data: Array("blob \(bytes.count)".utf8) + [0])
        hasher.update(data: bytes)
        return Array(hasher.finalize()) == id
    }
}

/// Big-endian reads over a byte array, failing softly at the end.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func skip(_ count: Int) -> Bool {
        guard count >= 0, remaining >= count else { return false }
        offset += count
        return true
    }

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, remaining >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<(offset + count)])
    }

    mutating func uint32() -> UInt32? {
        guard let raw = take(4) else { return nil }
        return raw.reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func uint16() -> UInt16? {
        guard let raw = take(2) else { return nil }
        return UInt16(raw[0]) << 8 | UInt16(raw[1])
    }

    mutating func takeUntilNul() -> [UInt8]? {
        guard let end = bytes[offset...].firstIndex(of: 0) else { return nil }
        defer { offset = end + 1 }
        return Array(bytes[offset..<end])
    }

    /// Git's offset varint (index v4 path compression).
    mutating func offsetVarint() -> Int? {
        guard remaining > 0 else { return nil }
        var byte = bytes[offset]
        offset += 1
        var value = Int(byte & 0x7f)
        while byte & 0x80 != 0 {
            guard remaining > 0, value < Int.max >> 8 else { return nil }
            byte = bytes[offset]
            offset += 1
            value = ((value + 1) << 7) | Int(byte & 0x7f)
        }
        return value
    }
}
