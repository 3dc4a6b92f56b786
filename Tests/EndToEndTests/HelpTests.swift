import Foundation
import Testing
import ZeroTestSupport

/// Every command's help, kept as a snapshot in Golden/help/ so a regression
/// shows in a diff (ZERO_UPDATE_GOLDEN=1 rewrites them), and held to 80
/// columns with examples that never wrap.
@Suite struct HelpTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/help")

    /// (command path, help text) for the whole tree, found through SUBCOMMANDS.
    static func helpTree() throws -> [([String], String)] {
        var pages: [([String], String)] = []
        var queue: [[String]] = [[]]
        while let path = queue.first {
            queue.removeFirst()
            let result = try ProcessResult.run([Zero.binary, "help"] + path, in: "/", environment: ["COLUMNS": "80", "PATH": "/usr/bin:/bin"])
            #expect(result.status == 0, "zero help \(path.joined(separator: " ")): \(result.stderr)")
            pages.append((path, result.stdout))
            var inSubcommands = false
            for line in result.stdout.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("SUBCOMMANDS:") { inSubcommands = true; continue }
                if inSubcommands, line.isEmpty { inSubcommands = false }
                if inSubcommands, line.hasPrefix("  "), let first = line.dropFirst(2).first, first != " " {
                    queue.append(path + [String(line.split(separator: " ")[0])])
                }
            }
        }
        return pages
    }

    @Test("help for every command matches its snapshot, fits 80 columns, and examples do not wrap")
    func snapshots() throws {
        let pages = try Self.helpTree()
        #expect(pages.count > 30, "the whole tree was walked")
        let update = ProcessInfo.processInfo.environment["ZERO_UPDATE_GOLDEN"] == "1"
        if update { try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true) }
        for (path, text) in pages {
            let name = (path.isEmpty ? "zero" : "zero-" + path.joined(separator: "-")) + ".txt"
            let file = Self.folder.appendingPathComponent(name)
            if update { try text.write(to: file, atomically: true, encoding: .utf8) }
            let expected = try? String(contentsOf: file, encoding: .utf8)
            #expect(expected == text, "help of '\(path.joined(separator: " "))' changed; ZERO_UPDATE_GOLDEN=1 accepts it")
            var inExamples = false
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                #expect(line.count <= 80, "'\(path.joined(separator: " "))': \(line)")
                if line.hasPrefix("Example") { inExamples = true; continue }
                if inExamples, line.first?.isUppercase == true { inExamples = false }
                if inExamples, !line.isEmpty {
                    #expect(line.hasPrefix("  "), "an example of '\(path.joined(separator: " "))' wrapped: \(line)")
                }
            }
        }
    }
}
