import Crypto

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
        // Mapped, not copied: at 10 000 cases the index is 16 MB, read on every commit.
        (try? FileSystem.withMappedFile(path) { parse($0, wanted: wanted) }) ?? nil
    }

    static func parse(_ bytes: [UInt8], wanted: Set<String>) -> GitIndex? {
        bytes.withUnsafeBufferPointer { parse($0, wanted: wanted) }
    }

    /// Parses index bytes, keeping the entries of `wanted`. It runs on every
    /// commit over indexes of 60 000 entries, so it copies nothing per entry
    /// and reads a v2/v3 name's length from its flags: a name is compared only
    /// when a wanted path has that length.
    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, wanted: Set<String>) -> GitIndex? {
        let wantedNames = wanted.map { Array($0.utf8) }
        var lengths = [Bool](repeating: false, count: 0x1000)
        for name in wantedNames where name.count < 0x1000 { lengths[name.count] = true }
        let byLength = Dictionary(grouping: wantedNames, by: \.count)
        do {
            let size = buffer.count
            func uint32(_ at: Int) -> UInt32 {
                UInt32(buffer[at]) << 24 | UInt32(buffer[at + 1]) << 16 | UInt32(buffer[at + 2]) << 8 | UInt32(buffer[at + 3])
            }
            func nul(from start: Int) -> Int? {
                var at = start
                while at < size {
                    if buffer[at] == 0 { return at }
                    at += 1
                }
                return nil
            }
            guard size >= 12, buffer[0] == 0x44, buffer[1] == 0x49, buffer[2] == 0x52, buffer[3] == 0x43 else { return nil }
            let version = uint32(4), count = uint32(8)
            guard (2...4).contains(version) else { return nil }
            var entries: [String: Entry] = [:]
            var conflicted: Set<String> = []
            // Version 4 names are the previous name's prefix plus a suffix.
            var previous: [UInt8] = []
            var offset = 12
            for _ in 0..<count {
                // ctime, mtime, dev, ino (24 bytes), mode, uid, gid, size, the 20-byte id, 2 bytes of flags.
                guard offset + 62 <= size else { return nil }
                let start = offset
                let mode = uint32(offset + 24)
                let idStart = offset + 40
                let flags = Int(buffer[offset + 60]) << 8 | Int(buffer[offset + 61])
                offset += 62
                if version >= 3, flags & 0x4000 != 0 { offset += 2 }
                let name: Range<Int>
                if version == 4 {
                    // Git's offset varint: how many bytes of the previous name to drop.
                    guard offset < size else { return nil }
                    var byte = buffer[offset]
                    offset += 1
                    var strip = Int(byte & 0x7f)
                    while byte & 0x80 != 0 {
                        guard offset < size, strip < Int.max >> 8 else { return nil }
                        byte = buffer[offset]
                        offset += 1
                        strip = ((strip + 1) << 7) | Int(byte & 0x7f)
                    }
                    guard strip <= previous.count, let end = nul(from: offset) else { return nil }
                    previous.removeLast(strip)
                    previous.append(contentsOf: buffer[offset..<end])
                    name = offset..<end
                    offset = end + 1
                } else {
                    let length = flags & 0xfff
                    let end = length < 0xfff ? offset + length : (nul(from: offset) ?? size)
                    guard end < size, buffer[end] == 0 else { return nil }
                    name = offset..<end
                    // Entries are padded with one to eight NULs to a multiple of eight bytes.
                    offset = start + ((end - start + 8) & ~7)
                }
                let length = version == 4 ? previous.count : name.count
                guard length < 0x1000, lengths[length], let candidates = byLength[length] else { continue }
                // Paths of one length differ within their first bytes: memcmp stops there.
                let matched = candidates.first { candidate in
                    candidate.withUnsafeBytes { wantedBytes in
                        version == 4
                            ? previous.withUnsafeBytes { memcmp(wantedBytes.baseAddress!, $0.baseAddress!, length) == 0 }
                            : memcmp(wantedBytes.baseAddress!, buffer.baseAddress! + name.lowerBound, length) == 0
                    }
                }
                guard let matched else { continue }
                let path = String(decoding: matched, as: UTF8.self)
                if (flags >> 12) & 0x3 != 0 {
                    conflicted.insert(path)
                } else {
                    entries[path] = Entry(mode: mode, id: Array(buffer[idStart..<(idStart + 20)]))
                }
            }
            // Extensions: a split index keeps entries in another file, which Zero does not read.
            while size - offset > 20 {
                guard offset + 8 <= size else { return nil }
                if buffer[offset] == 0x6c, buffer[offset + 1] == 0x69, buffer[offset + 2] == 0x6e, buffer[offset + 3] == 0x6b { return nil }
                let next = offset + 8 + Int(uint32(offset + 4))
                guard next <= size else { return nil }
                offset = next
            }
            return GitIndex(wanted: wanted, entries: entries, conflicted: conflicted)
        }
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
