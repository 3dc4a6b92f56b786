import ArgumentParser
import ZeroCore

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Find what is out of order under zero-memory/ and repair what is safe.",
        discussion: """
            Reports half-created cases, changes a killed command left half-way, \
            leftover temporary files, symlinks, files that do not parse (with file \
            and line), stray or duplicate session files, a wrong session_count, a \
            broken latest.md and artifacts without their proof.

            --fix finishes interrupted changes, renumbers a second session that \
            claims a taken number (by start time, keeping both), repoints latest.md, \
            and removes temporary leftovers. It never deletes a record: anything it \
            cannot keep in place moves to zero-memory/.quarantine/ and is named.

            Exit status: 0 when nothing is left to repair, 65 when something is.

            Examples:
              zero doctor
              zero doctor --fix
              zero doctor --json | jq '.findings[] | select(.fix == null)'
            """
    )

    @Flag(help: "Repair what is safe to repair.") var fix = false
    @OptionGroup var options: OutputOptions

    func run() throws {
        let context = try CommandContext.make(options)
        let report = try context.workspace.doctor(fix: fix)
        try context.output.show(DoctorView(report: report, fixAsked: fix))
        let remaining = report.findings.filter { !$0.fixed }
        if !remaining.isEmpty {
            throw FailureAfterOutput(
                error: ZeroError(
                    .malformed, "\(remaining.count) finding\(remaining.count == 1 ? " is" : "s are") not repaired",
                    hint: remaining.contains { $0.fix != nil } && !fix ? "run 'zero doctor --fix'" : "see each finding for what to do"))
        }
    }

    /// JSON is the report; text lists each finding with what --fix does.
    struct DoctorView: TextView {
        var report: DoctorReport
        var fixAsked: Bool

        func encode(to encoder: any Encoder) throws { try report.encode(to: encoder) }

        func render(_ output: Output) {
            let cases = "\(report.cases) case\(report.cases == 1 ? "" : "s") checked"
            guard !report.findings.isEmpty else {
                output.line(cases + ": nothing to repair")
                return
            }
            for finding in report.findings {
                let place = finding.file + (finding.line.map { ":\($0)" } ?? "")
                let mark = finding.fixed ? output.paint("fixed", .green) : finding.fix == nil ? output.paint("needs you", .red) : output.paint("fixable", .yellow)
                output.line("\(mark)  \(finding.problem)  \(Terminal.visible(place))")
                output.line("    \(Terminal.visible(finding.message))")
                if let fix = finding.fix { output.line("    " + (finding.fixed ? "done: " : "--fix: ") + fix) }
            }
            let fixed = report.findings.filter(\.fixed).count
            let remaining = report.findings.filter { !$0.fixed }
            output.line()
            output.line(
                cases + ": \(report.findings.count) finding\(report.findings.count == 1 ? "" : "s"), \(fixed) fixed"
                    + (!fixAsked && remaining.contains { $0.fix != nil } ? "; run 'zero doctor --fix'" : ""))
        }
    }
}
