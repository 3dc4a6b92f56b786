import Foundation
import Testing
import ZeroTestSupport

/// The built `zero` binary, next to this test bundle in the build folder.
/// Never a `zero` found on PATH: a missing build must fail the tests, not
/// quietly test some other binary.
enum Zero {
    static let builtBinary: String? = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // .build/<triple>/debug/zeroPackageTests.xctest → .build/<triple>/debug/zero
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            let candidate = url.appendingPathComponent("zero").path
            var isFolder: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate, isDirectory: &isFolder), !isFolder.boolValue,
                FileManager.default.isExecutableFile(atPath: candidate)
            {
                return candidate
            }
        }
        return nil
    }()

    /// The binary's path; when it was not built, a path that does not exist,
    /// so every run fails (and `BuiltBinaryTests` says why).
    static var binary: String { builtBinary ?? "/nonexistent/zero-was-not-built-run-swift-build-first" }
}

@Suite struct BuiltBinaryTests {
    @Test("the end-to-end tests run the zero built next to them, never one on PATH")
    func builtBinaryExists() throws {
        let path = try #require(Zero.builtBinary, "no zero binary next to the test bundle; run 'swift build --build-tests' first")
        #expect(path.hasPrefix(FileManager.default.currentDirectoryPath) || path.contains("/.build/"))
    }
}

extension TemporaryRepository {
    /// Runs the real binary in the repository (or `folder`).
    @discardableResult
    func zero(_ arguments: String..., in folder: String? = nil, environment: [String: String] = [:]) throws -> ProcessResult {
        try run([Zero.binary] + arguments, in: folder, environment: environment)
    }

    /// Runs zero and requires exit 0.
    @discardableResult
    func zeroOK(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let result = try run([Zero.binary] + arguments)
        #expect(result.status == 0, "zero \(arguments.joined(separator: " ")) → \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Runs zero with --json and decodes stdout.
    func zeroJSON(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> Any {
        try zeroJSON(arguments, sourceLocation: sourceLocation)
    }

    func zeroJSON(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> Any {
        let result = try run([Zero.binary] + arguments + ["--json"])
        #expect(result.status == 0, "zero \(arguments.joined(separator: " ")) → \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        return try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
    }
}

/// `json["a"]["b"]` for JSONSerialization output.
func field(_ json: Any?, _ path: String...) -> Any? {
    var current = json
    for key in path { current = (current as? [String: Any])?[key] }
    return current
}
