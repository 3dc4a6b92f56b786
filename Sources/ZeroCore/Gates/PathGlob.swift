/// Path globs for `## Scope` and `gates.exempt_paths`, with the meaning
/// gitignore gives them: `*` and `?` stay inside one path segment, `**`
/// spans segments, and a pattern without `/` matches the file name at any
/// depth (`*.md`). A pattern ending in `/` matches everything below it.
public struct PathGlob: Sendable, Equatable, CustomStringConvertible {
    public let pattern: String
    private let segments: [Substring]
    private let anyDepth: Bool

    public init(_ pattern: String) {
        var text = pattern.hasPrefix("./") ? String(pattern.dropFirst(2)) : pattern
        if text.hasSuffix("/") { text += "**" }
        self.pattern = pattern
        anyDepth = !text.contains("/")
        segments = text.split(separator: "/", omittingEmptySubsequences: true)
    }

    public var description: String { pattern }

    public func matches(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if anyDepth {
            guard let name = parts.last, let only = segments.first else { return false }
            return Self.matchSegment(Array(only.utf8), Array(name.utf8))
        }
        return Self.match(segments[...], parts[...])
    }

    /// Whether any of `globs` matches `path`.
    public static func any(_ globs: [PathGlob], _ path: String) -> Bool {
        globs.contains { $0.matches(path) }
    }

    private static func match(_ pattern: ArraySlice<Substring>, _ path: ArraySlice<Substring>) -> Bool {
        guard let head = pattern.first else { return path.isEmpty }
        if head == "**" {
            let rest = pattern.dropFirst()
            // A trailing `/**` matches what is inside, not the folder's own name: `docs/**` leaves a file called `docs` alone.
            if rest.isEmpty { return !path.isEmpty }
            var tail = path
            while true {
                if match(rest, tail) { return true }
                guard !tail.isEmpty else { return false }
                tail = tail.dropFirst()
            }
        }
        guard let segment = path.first, matchSegment(Array(head.utf8), Array(segment.utf8)) else { return false }
        return match(pattern.dropFirst(), path.dropFirst())
    }

    /// `*`, `?` and `[abc]` within one segment.
    static func matchSegment(_ pattern: [UInt8], _ text: [UInt8]) -> Bool {
        var p = 0, t = 0
        var starP = -1, starT = 0
        while t < text.count {
            if p < pattern.count, pattern[p] == UInt8(ascii: "*") {
                starP = p
                starT = t
                p += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "?") || (pattern[p] != UInt8(ascii: "[") && pattern[p] == text[t]) {
                p += 1
                t += 1
            } else if p < pattern.count, pattern[p] == UInt8(ascii: "["), let (matched, next) = matchClass(pattern, p, text[t]), matched {
                p = next
                t += 1
            } else if starP >= 0 {
                p = starP + 1
                starT += 1
                t = starT
            } else {
                return false
            }
        }
        while p < pattern.count, pattern[p] == UInt8(ascii: "*") { p += 1 }
        return p == pattern.count
    }

    /// A `[...]` class at `start`: whether `byte` is in it, and the index after `]`.
    private static func matchClass(_ pattern: [UInt8], _ start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var index = start + 1
        var negate = false
        if index < pattern.count, pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^") {
            negate = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.count, pattern[index] != UInt8(ascii: "]") || first {
            first = false
            if index + 2 < pattern.count, pattern[index + 1] == UInt8(ascii: "-"), pattern[index + 2] != UInt8(ascii: "]") {
                if byte >= pattern[index] && byte <= pattern[index + 2] { matched = true }
                index += 3
            } else {
                if byte == pattern[index] { matched = true }
                index += 1
            }
        }
        guard index < pattern.count else { return nil }
        return (matched != negate, index + 1)
    }
}
