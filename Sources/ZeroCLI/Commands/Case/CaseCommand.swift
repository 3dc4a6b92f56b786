import ArgumentParser
import ZeroCore

struct CaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "case",
        abstract: "Create, inspect and move cases (work items).",
        discussion: """
            States: OPEN, INVESTIGATING, IMPLEMENTING, VERIFYING, RESOLVED, NON_ISSUE, BLOCKED, \
            NEEDS_USER_INPUT, WONT_FIX, WATCHLIST, COMPRESSED. Most moves happen through \
            sessions; the commands here cover the rest.

            Examples:
              zero case new "auth timeout on /api/login" --tag auth --observed "504"
              zero case list --state IMPLEMENTING
              zero case show 3125
              zero case block 3125 --reason "waiting for the staging database"
            """,
        subcommands: [
            CaseNew.self, CaseList.self, CaseShow.self, CaseEdit.self, CaseState_.self, CaseBlock.self,
            CaseUnblock.self, CaseAsk.self, CaseAnswer.self, CaseResolve.self, CaseReopen.self, CaseWatch.self,
            CaseWontFix.self, CaseNonIssue.self, CaseCompress.self, CaseDelete.self, CaseLog.self, CaseMemory.self,
        ]
    )
}

extension CaseType: ExpressibleByArgument {}

extension Priority: ExpressibleByArgument {}

extension Outcome: ExpressibleByArgument {}

extension SessionType: ExpressibleByArgument {}

extension ProofType: ExpressibleByArgument {}
