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
