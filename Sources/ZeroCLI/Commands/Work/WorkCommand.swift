import ArgumentParser
import ZeroCore

struct WorkCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "work",
        abstract: "Work sessions on tickets: start, record progress, complete, with cascades.",
        discussion: """
            A ticket's work session is an implementing session under every gate: its \
            commits carry the trailers, and it may change only the files the ticket \
            lists under ## Files (its approved scope).

            Examples:
              zero work next --json
              zero work start 3125
              zero work progress 3125 --done 1 --file created:src/inv.swift
              zero work complete 3125 --summary "model" --validation tests=pass
            """,
        subcommands: [
            WorkNext.self, WorkStart.self, WorkProgress_.self, WorkPause.self, WorkResume.self, WorkBlock.self, WorkUnblock.self,
            WorkComplete.self, WorkReset.self, WorkRelease.self,
        ]
    )
}

struct WorkStart: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start (or resume) a ready ticket and print its whole context.",
        usage: "zero work start <ticket> [--claim] [<claim-options>] [--json]",
        discussion: """
            Prints the steps with their completion, the acceptance criteria, the files \
            it may change, what its dependencies delivered, and its epic's and \
            specification's goals. A pending ticket is refused (exit 73).

            With --claim the ticket is first claimed on the remote other clones share, \
            as the ref refs/zero/claims/<case-id>: if another clone holds it, nothing \
            starts and the holder is named (exit 73). 'zero work complete' releases it.

            Examples:
              zero work start 3125
              zero work start 3125 --claim --json
              zero work start 3125 --claim --remote upstream --steal-after 2h
            """)
    @Argument(help: "The ticket (case id or prefix).") var ticket: String
    @Flag(help: "Claim it on the remote first, so no other clone starts it.") var claim = false
    @OptionGroup var claimOptions: ClaimOptions
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.startWork(ticket, claim: try claimOptions.request(claim: claim)))
    }
}

struct WorkNext: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "next", abstract: "Show the next ready ticket, or with --claim start it at once.",
        usage: "zero work next [--spec <spec>] [--claim] [<claim-options>] [--json]",
        discussion: """
            With --claim the first ready ticket is started atomically: agents asking at the \
            same time each get a different ticket. When the repository has the remote \
            (origin, or --remote), the ticket is also claimed there, so agents in other \
            clones get different tickets too: one claimed elsewhere is skipped.

            Examples:
              zero work next
              zero work next --claim --spec 5e1f --json
              zero work next --claim --remote upstream --steal-after 1d
            """)
    @Option(help: "Only tickets of this specification.") var spec: String?
    @Flag(help: "Start the ticket (an implementing session, active here).") var claim = false
    @OptionGroup var claimOptions: ClaimOptions
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let request = try claimOptions.request(claim: claim)
        if let request {
            try context.output.show(try context.workspace.startNextWork(spec: spec, claim: request))
        } else {
            try context.output.show(try context.workspace.ticketBoard(spec: spec).ready(limit: 1))
        }
    }
}

struct WorkProgress_: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "progress", abstract: "Record steps done, files, criteria results, tests and discoveries.",
        usage: "zero work progress <ticket> [--done <n> ...] [<options>]",
        discussion: """
            Examples:
              zero work progress 3125 --done 1 --file created:src/inv.swift
              zero work progress 3125 --criterion "1=pass:see test_inv"
              zero work progress 3125 --discovery "the tax table is per country"
            """)
    @Argument(help: "The ticket (case id or prefix).") var ticket: String
    @Option(name: .customLong("done"), help: "A step (1-based) now done; repeat for more.") var done: [Int] = []
    @Option(name: .customLong("file"), help: "action:path (created, modified, deleted, referenced).") var files: [String] = []
    @Option(name: .customLong("criterion"), help: "N=pass|fail[:evidence] for acceptance criterion N.") var criteria: [String] = []
    @Option(help: "Test results, e.g. \"42 passed, 0 failed\".") var tests: String?
    @Option(name: .customLong("discovery"), help: "Something learned that the plan did not know.") var discoveries: [String] = []
    @Option(help: "A short note.") var note: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        var input = WorkProgress()
        input.progress.doneSteps = done
        input.progress.files = try files.map(WorkProgress.file)
        input.progress.discoveries = discoveries
        input.progress.note = note
        input.tests = tests
        input.criteria = try criteria.map(WorkProgress.criterion)
        try context.report(try context.workspace.recordWork(ticket, input), "progress recorded")
    }
}

struct WorkPause: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause", abstract: "Pause the ticket's session (progress is kept).", discussion: "Example:\n  zero work pause 3125")
    @Argument(help: "The ticket (case id or prefix).") var ticket: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.pauseSession(SessionReference(caseReference: ticket, number: nil)), "paused")
    }
}

struct WorkResume: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume the ticket's paused session.", discussion: "Example:\n  zero work resume 3125")
    @Argument(help: "The ticket (case id or prefix).") var ticket: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.resumeSession(SessionReference(caseReference: ticket, number: nil)), "resumed")
    }
}

struct WorkBlock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "block", abstract: "Block the ticket (it becomes pending) with a reason.",
        discussion: "Example:\n  zero work block 3125 --reason \"needs the tax API key\"")
    @Argument(help: "The ticket (case id or prefix).") var ticket: String
    @Option(help: "What blocks it.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.blockCase(ticket, reason: reason), "blocked")
    }
}

struct WorkUnblock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unblock", abstract: "Unblock the ticket.", discussion: "Example:\n  zero work unblock 3125")
    @Argument(help: "The ticket (case id or prefix).") var ticket: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.report(try context.workspace.unblockCase(ticket), "unblocked")
    }
}

struct WorkComplete: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete", abstract: "Complete the ticket's session and print what it unlocked.",
        usage: "zero work complete <ticket> --summary <summary> [<options>]",
        discussion: """
            The session ends complete with the summary as its output; the summary becomes \
            the case's. With gates.ticket_done: complete the ticket is done at once and its \
            dependents recompute; with resolved (the default) it is done when an operator \
            resolves the case with verified proof. A claim this clone holds on the ticket \
            (work start --claim) is released; if the remote cannot be reached, the \
            completion stands and the output says so.

            Example:
              zero work complete 3125 --summary "model" --actual-hours 2.5 \\
                   --validation tests=pass,lint=pass
            """)
    @Argument(help: "The ticket (case id or prefix).") var ticket: String
    @Option(help: "What was delivered (one line first).") var summary: String
    @Option(name: .customLong("actual-hours"), help: "Hours it took.") var actualHours: Double?
    @Option(help: "Checks that ran, as name=result pairs separated by commas.") var validation: String?
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let pairs = try WorkProgress.validation(validation ?? "")
        try context.output.show(try context.workspace.completeWork(ticket, summary: summary, actualHours: actualHours, validation: pairs))
    }
}

struct WorkReset: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset", abstract: "Abandon the ticket's session and those of everything depending on it.",
        discussion: """
            Their progress is cleared (a new start opens a fresh session); commits already \
            made stay linked to the abandoned sessions.

            Example:
              zero work reset 3125 --reason "wrong schema; re-planning"
            """)
    @Argument(help: "The ticket (case id or prefix).") var ticket: String
    @Option(help: "Why.") var reason: String
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        try context.output.show(try context.workspace.resetWork(ticket, reason: reason))
    }
}
