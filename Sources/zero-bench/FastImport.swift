import Foundation

/// Streams commits into `git fast-import`: the only way to build a
/// 100 000-commit history in seconds.
final class FastImport {
    private let process = Process()
    private let input = Pipe()
    private var buffer: [UInt8] = []
    private var mark = 0
    private var time: Int

    init(repository: String, startTime: Int) throws {
        time = startTime
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "fast-import", "--quiet", "--done"]
        process.currentDirectoryURL = URL(fileURLWithPath: repository)
        process.standardInput = input
        buffer.reserveCapacity(1 << 20)
        try process.run()
    }

    enum Change {
        case file(path: String, text: String)
        case symlink(path: String, target: String)
    }

    /// Appends one commit on `branch` (after its last commit, or after `from`),
    /// merging `merge` when given; returns its mark.
    @discardableResult
    func commit(
        message: String, changes: [Change], author: String = "Bench <bench@example.com>",
        branch: String = "main", from: Int? = nil, merge: Int? = nil
    ) -> Int {
        mark += 1
        time += 60
        append("commit refs/heads/\(branch)\nmark :\(mark)\n")
        append("author \(author) \(time) +0000\ncommitter \(author) \(time) +0000\n")
        data(message)
        if let from { append("from :\(from)\n") }
        if let merge { append("merge :\(merge)\n") }
        for change in changes {
            switch change {
            case .file(let path, let text):
                append("M 100644 inline \(path)\n")
                data(text)
            case .symlink(let path, let target):
                append("M 120000 inline \(path)\n")
                data(target)
            }
        }
        append("\n")
        if buffer.count > 1 << 20 { flush() }
        return mark
    }

    func finish() throws {
        append("done\n")
        flush()
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GeneratorError("git fast-import failed with status \(process.terminationStatus)")
        }
    }

    private func data(_ text: String) {
        let bytes = Array(text.utf8)
        append("data \(bytes.count)\n")
        buffer += bytes
        append("\n")
    }

    private func append(_ text: String) { buffer += text.utf8 }

    private func flush() {
        input.fileHandleForWriting.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

struct GeneratorError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
