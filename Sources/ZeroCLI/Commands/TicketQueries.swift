import ArgumentParser
import ZeroCore

struct ReadyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ready", abstract: "The next actionable tickets: priority first, then wave, then age.",
        discussion: """
            A ticket is ready when it is not blocked, every case it depends on is done, \
            and it has no open session. The answer comes from a derived index in the \
            git dir, rebuilt whenever zero, a git command or config.yaml changed the \
            files; after editing a ticket's files by hand, add --fresh.

            Examples:
              zero ready
              zero ready --spec 5e1f --limit 3 --json
            """)
    @Option(help: "Only tickets of this specification.") var spec: String?
    @Option(help: "At most this many.") var limit: Int?
    @Flag(help: "Read every ticket's files, not the index in the git dir.") var fresh = false
    @OptionGroup var options: OutputOptions

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.ticketListing(spec: spec, statuses: [.ready], fresh: fresh).ready(limit: limit))
    }
}

struct BlockedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blocked", abstract: "Pending tickets, each with its block reason or the dependencies it waits for.",
        discussion: "Examples:\n  zero blocked\n  zero blocked --spec 5e1f --json")
    @Option(help: "Only tickets of this specification.") var spec: String?
    @Flag(help: "Read every ticket's files, not the index in the git dir.") var fresh = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.ticketListing(spec: spec, statuses: [.pending], fresh: fresh).blocked())
    }
}

struct WavesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "waves", abstract: "The tickets in topological layers, and the critical path.",
        discussion: """
            Wave 0 holds tickets with no dependencies; wave N those whose latest dependency \
            is in wave N-1. The critical path is the longest chain of tickets not yet done. \
            A dependency cycle is an error that names it.

            Examples:
              zero waves
              zero waves --spec 5e1f --json
            """)
    @Option(help: "Only tickets of this specification.") var spec: String?
    @Flag(help: "Read every ticket's files, not the index in the git dir.") var fresh = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.ticketListing(spec: spec, fresh: fresh).wavesView())
    }
}
