import ArgumentParser
import ZeroCore

struct ProofRun: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a command and keep its output as proof, with exit code, duration, HEAD and a test summary.",
        discussion: """
            The command runs without a shell (use sh -c '...' for pipes). Its output streams to \
            stderr and is stored as the artifact proofs/<id>.log with its SHA-256; "N passed, N \
            failed" is read from common test runners. A failing command is still recorded: \
            the proof shows its exit code. zero exits with the command's exit code.

            Examples:
              zero proof run 3125 -- cargo test auth
              zero proof run 3125 --type benchmark -- ./bench.sh
              zero proof run 3125 -- sh -c 'pytest -q | tail -5'
            """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "The proof type.") var type: ProofType = .testLog
    @Flag(help: "Do not echo the command's output.") var quiet = false
    @Argument(parsing: .postTerminator, help: "The command, after --.") var command: [String] = []
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var echo: (@Sendable ([UInt8]) -> Void)?
        if !quiet {
            echo = { bytes in Terminal.writeError(String(decoding: bytes, as: UTF8.self)) }
        }
        let proof = try context.workspace.runProof(id, command: command, type: type, in: context.workspace.environment.currentFolder, echo: echo)
        try context.report(proof, "recorded")
        if let code = proof.exitCode, code != 0 { throw ExitCode(Int32(truncatingIfNeeded: min(code, 255))) }
    }
}
