import ArgumentParser
import ZeroCore

struct ProofCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "proof",
        abstract: "Capture, attach, verify and list proof.",
        discussion: """
        A case resolves only with at least one proof an operator verified. Proofs are never \
        replaced: a re-run adds a new one; verification is the only change a proof sees.

        Examples:
          zero proof run 3125 -- cargo test auth
          zero proof add 3125 --type screenshot --file login.png
          zero proof verify 3125 7c1e
          zero proof list 3125
        """,
        subcommands: [ProofRun.self, ProofAdd.self, ProofVerify.self, ProofList.self]
    )
}

func report(_ proof: Proof, _ context: CommandContext, _ what: String) throws {
    if context.output.json { try context.output.emit(proof); return }
    var line = "proof \(proof.shortID) (\(proof.type.rawValue)) \(what) on case \(proof.caseID.short)"
    if let summary = proof.summary { line += ": \(summary)" }
    if let code = proof.exitCode { line += " [exit \(code)" + (proof.durationMs.map { ", \($0) ms" } ?? "") + "]" }
    context.output.line(line)
}

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
        try report(proof, context, "recorded")
        if let code = proof.exitCode, code != 0 { throw ExitCode(Int32(truncatingIfNeeded: min(code, 255))) }
    }
}

struct ProofAdd: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Attach a file or a note as proof.",
        usage: "zero proof add <id> --type <type> [--file <file>] [<options>]",
        discussion: """
        Examples:
          zero proof add 3125 --type screenshot --file login.png --summary "1.2s"
          zero proof add 3125 --type operator-note --note "no 504s in 1h"
          zero proof add 3125 --type test-log --file ci-output.txt
        """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Option(help: "test-log, trace, diff, screenshot, operator-note, benchmark or log.") var type: ProofType
    @Option(help: "The artifact file to attach.") var file: String?
    @Option(help: "A note to store as the artifact.") var note: String?
    @Option(help: "A one-line summary (read from test output when omitted).") var summary: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var input = ProofInput(type: type)
        input.artifactPath = file
        input.note = note
        input.summary = summary
        try report(try context.workspace.addProof(id, input), context, "attached")
    }
}

struct ProofVerify: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Mark a proof verified (operator), after checking its artifact is intact.",
        usage: "zero proof verify <id> <proof> [--accept-failing --reason <why>] [--yes]",
        discussion: """
        A proof whose command exited non-zero, or whose summary reports failures, is refused \
        unless you accept it knowingly with --accept-failing --reason; the reason is recorded \
        in the proof. Resolving a case needs at least one verified proof that passed or was \
        accepted so. In signed mode the verification carries your SSH signature.

        Examples:
          zero proof verify 3125 7c1e
          zero proof verify 3125 9a0b --accept-failing --reason "flaky, see 4410"
        """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @Argument(help: "The proof id or a unique prefix.") var proof: String
    @Flag(help: "Verify a proof whose command failed (needs --reason).") var acceptFailing = false
    @Option(help: "Why a failing proof counts anyway.") var reason: String?
    @Flag(help: "Verify without asking.") var yes = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        if acceptFailing != (reason != nil) {
            throw ZeroError(.usage, "--accept-failing and --reason go together", hint: "zero proof verify \(id) \(proof) --accept-failing --reason \"…\"")
        }
        let context = try CommandContext.make(options)
        if !options.json {
            // What is being verified, as captured: the operator reads it before vouching for it.
            let shown = try context.workspace.findProof(id, proof).proof
            let output = context.output
            output.line("proof \(shown.shortID) (\(shown.type.rawValue)) of case \(shown.caseID.prefix(8)):")
            if let command = shown.command { output.line("  command:   " + Terminal.visible(command)) }
            if let exitCode = shown.exitCode { output.line("  exit code: \(exitCode)") }
            if let summary = shown.summary { output.line("  summary:   " + Terminal.visible(summary)) }
            if let head = shown.head { output.line("  ran on:    \(head.prefix(12))" + (shown.dirty == true ? " (with uncommitted changes)" : "")) }
            let excerpt = shown.excerpt.split(separator: "\n").filter { !$0.hasPrefix("```") }.suffix(8)
            for line in excerpt { output.line("  | " + Terminal.visible(line)) }
        }
        if !yes, !options.json, !Terminal.confirm("verify this proof?") {
            throw ZeroError(.refused, "not verified", hint: "capture a new proof if this one is not what you expect")
        }
        let verified = try context.workspace.verifyProof(id, proof, acceptFailing: reason)
        try report(verified, context, "verified by \(verified.verifiedBy ?? "?")")
    }
}

struct ProofList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List a case's proofs.",
        discussion: """
        Examples:
          zero proof list 3125
          zero proof list 3125 --json
        """
    )
    @Argument(help: "The case id or a unique prefix.") var id: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let caseID = try context.workspace.resolveCase(id)
        let proofs = try context.workspace.loadProofs(caseID)
        if options.json { try context.output.emit(proofs); return }
        if proofs.isEmpty {
            context.output.line("case \(caseID.short) has no proof; capture some with 'zero proof run \(caseID.short) -- <test command>'")
            return
        }
        context.output.table(["PROOF", "TYPE", "SESSION", "CREATED", "EXIT", "SUMMARY", "VERIFIED"], proofs.map {
            [$0.shortID, $0.type.rawValue, $0.session.map { "S" + pad3($0) } ?? "-", $0.createdAt.description,
             $0.exitCode.map(String.init) ?? "-", $0.summary ?? "-", $0.verified ? "yes" : "no"]
        }, styles: [6: context.output.stateStyle])
    }
}
