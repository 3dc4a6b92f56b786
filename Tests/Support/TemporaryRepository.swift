import Foundation
import Testing

/// A fresh git repository in a temporary folder, made with the real `git`
/// binary, with an operator identity (Ada) configured locally.
public final class TemporaryRepository: @unchecked Sendable {
    public let root: String
    /// A private HOME so the user's own git config never leaks into a test.
    public let home: String
    private let base: String

    @TaskLocal public static var current: TemporaryRepository?

    public init(initialCommit: Bool = true) throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("zero-test-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let resolved = base.resolvingSymlinksInPath().path
        self.base = resolved
        root = resolved + "/repo"
        home = resolved + "/home"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
        try actAs(name: "Ada", email: "ada@example.com")
        try git("config", "commit.gpgsign", "false")
        if initialCommit {
            try write("README.md", "# test repository\n")
            try write("src/app.txt", "one\n")
            try git("add", "-A")
            try git("commit", "-q", "-m", "initial")
        }
    }

    /// Switches the local git identity (who zero thinks is running).
    public func actAs(name: String, email: String) throws {
        try git("config", "user.name", name)
        try git("config", "user.email", email)
    }

    public func path(_ relative: String) -> String { root + "/" + relative }

    public func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    public func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    /// Runs git in the repository; throws when it fails.
    @discardableResult
    public func git(_ arguments: String..., in folder: String? = nil) throws -> String {
        let result = try run(["git"] + arguments, in: folder ?? root)
        guard result.status == 0 else {
            throw ProcessFailure(command: "git " + arguments.joined(separator: " "), status: result.status, output: result.stderr + result.stdout)
        }
        return result.stdout
    }

    /// Runs any program with this repository's private HOME.
    public func run(_ arguments: [String], in folder: String? = nil, environment extra: [String: String] = [:], stdin: String? = nil) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = home
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["NO_COLOR"] = "1"
        for key in ["GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "ZERO_NOW"] { environment[key] = nil }
        for (key, value) in extra { environment[key] = value }
        return try ProcessResult.run(arguments, in: folder ?? root, environment: environment, stdin: stdin)
    }

    /// Every file under `zero-memory/` with its bytes: compare before and after
    /// to prove a refused command changed nothing.
    public func snapshot(of folder: String = "zero-memory") throws -> [String: Data] {
        var files: [String: Data] = [:]
        let base = path(folder)
        guard let enumerator = FileManager.default.enumerator(atPath: base) else { return files }
        for case let relative as String in enumerator {
            let full = base + "/" + relative
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            if relative.hasSuffix(".lock") { continue }
            files[relative] = FileManager.default.contents(atPath: full)
        }
        return files
    }

    public func remove() {
        try? FileManager.default.removeItem(atPath: base)
    }
}

/// `@Test(.temporaryRepository)`: the test runs with `TemporaryRepository.current` set.
public struct TemporaryRepositoryTrait: TestTrait, TestScoping {
    public func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        let repository = try TemporaryRepository()
        defer { repository.remove() }
        try await TemporaryRepository.$current.withValue(repository) {
            try await function()
        }
    }
}

extension Trait where Self == TemporaryRepositoryTrait {
    /// Gives the test a fresh git repository with one commit.
    public static var temporaryRepository: Self { TemporaryRepositoryTrait() }
}

/// The repository of the running test.
public func currentRepository() throws -> TemporaryRepository {
    try #require(TemporaryRepository.current, "the test needs the .temporaryRepository trait")
}

public struct ProcessFailure: Error, CustomStringConvertible {
    public var command: String
    public var status: Int32
    public var output: String

    public init(command: String, status: Int32, output: String) {
        self.command = command
        self.status = status
        self.output = output
    }
    public var description: String { "\(command) exited \(status): \(output)" }
}

/// A finished process: its exit status and what it printed.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public static func run(_ arguments: [String], in folder: String, environment: [String: String], stdin: String? = nil) throws -> ProcessResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: folder)
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a full pipe never blocks the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return ProcessResult(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}
