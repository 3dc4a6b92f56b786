import ArgumentParser
import Foundation

/// `zero-bench`: makes the synthetic repositories of the benchmark. Kept out
/// of the `zero` binary so nothing here weighs on the hook path.
struct ZeroBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "zero-bench",
        abstract: "Generate synthetic Zero workspaces for benchmarks, reproducibly from a seed.",
        discussion: """
            Writes <out>/workspace (a git repository with the history before and after \
            adoption and the case workspace) and <out>/spec (a specification with tickets), \
            and prints a JSON manifest.

            Examples:
              zero-bench --out /tmp/zero-bench
              zero-bench --out /tmp/small --cases 1000 --sessions 5000 --tickets 1000 --commits-before 10000 --commits-after 100
              zero-bench --out /tmp/unused --parse-keys 10000,100000
            """
    )

    @Option(help: "Where to write the repositories.") var out: String
    @Option(help: "Number of cases.") var cases = 10_000
    @Option(help: "Number of sessions in all (spread evenly over the cases).") var sessions = 50_000
    @Option(help: "Number of tickets in the specification.") var tickets = 10_000
    @Option(help: "Dependencies in the chained specification (one ticket more).") var chain = 5_000
    @Option(name: .customLong("commits-before"), help: "Commits before adoption.") var commitsBefore = 100_000
    @Option(name: .customLong("commits-after"), help: "Commits after adoption, with Zero trailers.") var commitsAfter = 1_000
    @Option(help: "Seed for the generator.") var seed: UInt64 = 42
    @Option(name: .customLong("parse-keys"), help: "Instead of generating: time reading a meta.yaml with this many keys (comma-separated counts).")
    var parseKeys: String?

    func run() throws {
        if let parseKeys {
            let counts = parseKeys.split(separator: ",").compactMap { Int($0) }
            print(String(decoding: try JSONSerialization.data(withJSONObject: try ParseTiming.measure(counts), options: [.sortedKeys]), as: UTF8.self))
            return
        }
        guard cases > 0, sessions >= cases, tickets > 0, commitsBefore >= 0, commitsAfter >= 0 else {
            throw ValidationError("need cases > 0, sessions >= cases, tickets > 0")
        }
        let start = Date()
        var generator = Generator()
        generator.cases = cases
        generator.sessionsPerCase = sessions / cases
        generator.tickets = tickets
        generator.chain = chain
        generator.commitsBefore = commitsBefore
        generator.commitsAfter = commitsAfter
        generator.seed = seed
        let folder = URL(fileURLWithPath: out).standardizedFileURL.path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let manifest = try generator.run(into: folder)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let data = try encoder.encode(manifest)
        try data.write(to: URL(fileURLWithPath: folder + "/manifest.json"))
        print(String(decoding: data, as: UTF8.self))
        generator.progress(String(format: "done in %.1f s", Date().timeIntervalSince(start)))
    }
}

ZeroBench.main()
