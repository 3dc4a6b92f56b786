import ArgumentParser
import ZeroCore

struct SessionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "session",
        abstract: "Run sessions on a case: plan, approve, execute, complete.",
        discussion: """
            Types: planning and investigating write a plan for approval (no code changes); \
            implementing carries out the case's approved plan; verifying collects evidence.
            States: created → planning → plan_ready → approved → executing → complete, with \
            failed and abandoned reachable from any state that has not ended. Ended sessions \
            never change. A session is <case> (its open session) or <case>/<number>.

            Examples:
              zero session new 3125 --type planning
              zero session plan 3125 --step "Patch auth/jwt.rs:142" --scope 'auth/**'
              zero session approve 3125
              zero session new 3125 --type implementing --start
              zero session complete 3125 --output "Patched jwt.rs:142"
            """,
        subcommands: [
            SessionNew.self, SessionPlan.self, SessionApprove.self, SessionReject.self, SessionStart.self,
            SessionProgress.self, SessionOutput.self, SessionComplete.self, SessionFail.self, SessionAbandon.self,
            SessionAccept.self, SessionPause.self, SessionResume.self, SessionShow.self, SessionList.self, SessionDiff.self,
        ]
    )
}

/// The bytes of a file argument (relative to the current folder), or of stdin for "-".
func readArgumentBytes(_ path: String, _ context: CommandContext) throws -> [UInt8] {
    if path == "-" { return ZeroMain.readStandardInput() }
    guard let bytes = try FileSystem.readBytes(context.workspace.environment.absolute(path)) else {
        throw ZeroError(.notFound, "no such file: \(path)")
    }
    return bytes
}
