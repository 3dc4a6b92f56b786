#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The git command line, for the one place DESIGN §5 allows it: inside a
/// hook, where git is already running and exports `GIT_INDEX_FILE` (which
/// differs for `git commit -a` and `git commit <paths>`), and where loading
/// libgit2 would cost more than asking git. Everything else uses libgit2.
public enum GitCommand {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: String
    }

    /// Runs `git <arguments>` in `folder` (the environment is inherited).
    public static func run(_ arguments: [String], in folder: String? = nil, input: [UInt8]? = nil) throws -> Output {
        try runProgram(["git"] + arguments, in: folder, input: input)
    }

    /// Runs any program found on PATH (ssh-keygen for signatures), capturing its output.
    public static func runProgram(_ arguments: [String], in folder: String? = nil, input: [UInt8]? = nil) throws -> Output {
        let child = try ChildProcess(arguments, in: folder, pipeInput: input != nil, pipeOutput: true, pipeErrors: true)
        if let input { try? child.write(input) }
        let result = child.finish()
        return Output(status: result.status, stdout: result.output, stderr: String(decoding: result.errors, as: UTF8.self))
    }

    /// One path the index changes, as `git diff --cached --raw` reports it.
    public struct StagedChange: Sendable, Equatable {
        /// A, M, D or T (file ↔ link ↔ submodule).
        public var status: Character
        public var path: String
        public var oldMode: UInt32
        public var newMode: UInt32
    }

    /// What the index changes against HEAD (or against `tree`), with modes:
    /// every staged file on an unborn branch, submodules included.
    public static func stagedChanges(in folder: String? = nil, against tree: String? = nil) throws -> [StagedChange] {
        try StagedDiff(in: folder, against: tree).changes()
    }

    /// `git diff --cached --raw`, started now and read later: the hook does its
    /// own reading (the index file, the config) while git computes the diff.
    public final class StagedDiff {
        private let child: ChildProcess

        public init(in folder: String? = nil, against tree: String? = nil) throws {
            child = try ChildProcess(
                [
                    "git", "diff", "--cached", "--raw", "-z", "--no-renames", "--no-ext-diff", "--no-abbrev", "--no-relative",
                    "--ignore-submodules=none",
                ] + (tree.map { [$0] } ?? []), in: folder, pipeInput: false, pipeOutput: true, pipeErrors: true)
        }

        /// Waits for git and parses what it printed.
        public func changes() throws -> [StagedChange] {
            let finished = child.finish()
            guard finished.status == 0 else {
                throw GitFailure.other("git diff --cached failed: \(String(decoding: finished.errors, as: UTF8.self))")
            }
            return GitCommand.parseRaw(finished.output)
        }
    }

    /// Parses `--raw -z` output: ":<old mode> <new mode> <old id> <new id> <status>", then the path.
    static func parseRaw(_ stdout: [UInt8]) -> [StagedChange] {
        var changes: [StagedChange] = []
        let parts = stdout.split(separator: 0, omittingEmptySubsequences: false)
        var index = 0
        while index + 1 < parts.count {
            // ":<old mode> <new mode> <old id> <new id> <status>", then the path.
            let fields = parts[index].split(separator: UInt8(ascii: " "))
            guard fields.count == 5, fields[0].first == UInt8(ascii: ":"), let status = fields[4].first,
                let oldMode = UInt32(String(decoding: fields[0].dropFirst(), as: UTF8.self), radix: 8),
                let newMode = UInt32(String(decoding: fields[1], as: UTF8.self), radix: 8)
            else { break }
            changes.append(
                StagedChange(
                    status: Character(UnicodeScalar(status)), path: String(decoding: parts[index + 1], as: UTF8.self),
                    oldMode: oldMode, newMode: newMode))
            index += 2
        }
        return changes
    }

    /// The tree git would make by merging `theirs` into `ours` (git merge-tree),
    /// and the paths it could not merge.
    public static func mergeTree(ours: String, theirs: String, in folder: String? = nil) throws -> (tree: String, conflicts: [String]) {
        let output = try run(["merge-tree", "--write-tree", "--name-only", "-z", ours, theirs], in: folder)
        guard output.status == 0 || output.status == 1 else {
            throw GitFailure.other("git merge-tree failed: \(output.stderr)")
        }
        let parts = output.stdout.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard let tree = parts.first, tree.count >= 40 else { throw GitFailure.other("git merge-tree gave no tree") }
        // With -z and --name-only: the tree, then one conflicted path per field, then an empty field and messages.
        var conflicts: [String] = []
        for part in parts.dropFirst() {
            if part.isEmpty { break }
            conflicts.append(part)
        }
        return (tree, conflicts)
    }

    /// Paths below `folder` in `treeish` (`HEAD`), or in the index when nil.
    public static func files(under folder: String, treeish: String?, in directory: String? = nil) throws -> [String] {
        let arguments = treeish.map { ["ls-tree", "-r", "-z", "--name-only", $0, "--", folder] } ?? ["ls-files", "-z", "--", folder]
        let output = try run(arguments, in: directory)
        guard output.status == 0 else { return [] }
        return output.stdout.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// One `git cat-file --batch` process answering many reads: `HEAD:<path>`
/// for the last commit, `:<path>` for the index (honouring GIT_INDEX_FILE).
public final class CatFileBatch {
    private let child: ChildProcess
    private var buffer: [UInt8] = []
    private var start = 0
    private var closed = false

    public init(in folder: String? = nil) throws {
        child = try ChildProcess(["git", "cat-file", "--batch"], in: folder, pipeInput: true, pipeOutput: true, pipeErrors: false)
    }

    deinit { close() }

    public func close() {
        guard !closed else { return }
        closed = true
        _ = child.finish()
    }

    /// The object's bytes, or nil when it does not exist (a missing path, an unborn HEAD).
    public func read(_ name: String) throws -> [UInt8]? {
        guard !name.contains("\n"), !closed else { return nil }
        try child.write(Array((name + "\n").utf8))
        let header = try readLine()
        let fields = header.split(separator: " ")
        guard fields.count == 3, let size = Int(fields[2]) else { return nil } // "<name> missing" or "ambiguous"
        let bytes = try readBytes(size + 1)
        return Array(bytes.dropLast())
    }

    private func fill() throws {
        let chunk = ChildProcess.readChunk(child.output)
        if chunk.isEmpty { throw GitFailure.other("git cat-file --batch ended early") }
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer += chunk
    }

    private func readLine() throws -> String {
        while true {
            if let newline = buffer[start...].firstIndex(of: 10) {
                let line = String(decoding: buffer[start..<newline], as: UTF8.self)
                start = newline + 1
                return line
            }
            try fill()
        }
    }

    private func readBytes(_ count: Int) throws -> ArraySlice<UInt8> {
        while buffer.count - start < count { try fill() }
        let bytes = buffer[start..<(start + count)]
        start += count
        return bytes
    }
}
