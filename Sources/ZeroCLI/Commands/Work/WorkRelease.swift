import ArgumentParser
import ZeroCore

struct WorkRelease: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Release this clone's claim on a ticket, so another clone can take it.",
        discussion: """
            Deletes refs/zero/claims/<case-id> on the remote the ticket was claimed on \
            (else --remote, else origin), only if it still names the claim this clone \
            made. Another clone's claim is refused (exit 73) unless --force. The ticket's \
            session here is left as it is; 'zero work complete' releases the claim by \
            itself.

            Examples:
              zero work release 3125
              zero work release 3125 --remote upstream --force --json
            """)
    @Argument(help: "The ticket (case id or prefix).") var ticket: String
    @Option(help: "The remote the claim is on (default: where it was claimed, else origin).") var remote: String?
    @Flag(help: "Release it even when another clone holds it.") var force = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.releaseClaim(ticket, remote: remote, force: force))
    }
}

/// `--remote` and `--steal-after`, for the commands that take `--claim`.
struct ClaimOptions: ParsableArguments {
    @Option(help: "With --claim: the remote other clones share (default: origin).") var remote: String?
    @Option(
        name: .customLong("steal-after"),
        help: ArgumentHelp("With --claim: take over a claim older than this (30m, 2h, 1d).", valueName: "duration"))
    var stealAfter: String?

    /// The request `--claim` makes; nil without it (then the other options are refused).
    func request(claim: Bool) throws -> ClaimRequest? {
        guard claim else {
            if remote != nil || stealAfter != nil {
                throw ZeroError(.usage, "--remote and --steal-after go with --claim", hint: "add --claim")
            }
            return nil
        }
        return ClaimRequest(remote: remote, stealAfter: try stealAfter.map(ClaimRequest.seconds))
    }
}
