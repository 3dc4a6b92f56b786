import Foundation
import Testing

@testable import ZeroGit

struct ChildProcessTests {
    @Test("a child that exits without reading its input leaves zero running with the child's status (no SIGPIPE)")
    func childClosesInput() throws {
        // A megabyte cannot fit the pipe: the write is still going when the child is gone.
        let output = try GitCommand.runProgram(["sh", "-c", "exit 3"], input: [UInt8](repeating: 65, count: 1 << 20))
        #expect(output.status == 3)
        // The child itself still dies of SIGPIPE by default, as any program expects.
        let status = try GitCommand.runProgram(["grep", "SigIgn", "/proc/self/status"], input: [])
        let mask = String(decoding: status.stdout, as: UTF8.self).split(separator: "\t").last.flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines), radix: 16) }
        let ignored = try #require(mask, "SigIgn is readable")
        #expect(ignored & (1 << 12) == 0, "SIGPIPE (13) is not ignored in the child")
    }
}
