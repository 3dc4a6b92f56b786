import Foundation
import Testing
import ZeroTestSupport

@testable import ZeroCore

/// The short fuzz run of `make test`: the golden files, mutated by a seeded
/// generator the way a fuzzer would (bytes flipped, lines cut, doubled,
/// swapped, tokens that break YAML or markdown spliced in), each checked
/// against `RoundTrip`. `make fuzz` runs the libFuzzer targets in Fuzz/ for
/// longer; every input either finds is kept in FuzzRegressions/ and replayed here.
@Suite struct RoundTripFuzzTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden").path
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("FuzzRegressions").path
    static var iterations: Int { ProcessInfo.processInfo.environment["ZERO_FUZZ_ITERATIONS"].flatMap(Int.init) ?? 1500 }

    static let seeds: [(RoundTrip.Kind, String)] = [
        (.session, "002.md"), (.meta, "meta.yaml"), (.proof, "7c1e2a90.md"), (.classification, "final-classification.md"),
        (.config, "config.yaml"), (.header, "meta.yaml"),
    ]

    /// Pieces that have broken parsers before, or could.
    static let tokens: [String] = [
        "## Events", "## Plan", "## Steps", "```", "~~~", "# comment", " # trailing", "&anchor ", "*alias", "<<: ", "{a: 1, a: 2}",
        "[a, b", "\"quoted \\\" value\"", "'it''s'", "key: value", "number: 7", "- item", "  nested: 1", "\t", "\r", ":", " ",
        "null", "~", "2026-04-21T14:22:00Z", "seal_sha256: 00", "state: complete", "\u{FEFF}", "é", "\u{2028}", "---", "...", "? ", "!!str ",
    ]

    @Test("golden files mutated at random: refused cleanly or kept whole on rewrite", arguments: seeds)
    func mutatedGoldenFiles(_ kind: RoundTrip.Kind, _ name: String) throws {
        let seed = try #require(FileManager.default.contents(atPath: Self.golden + "/" + name))
        #expect(RoundTrip.check(kind, Array(seed)) == nil, "the golden file itself")
        var random = SplitMix(seed: UInt64(name.utf8.reduce(7) { $0 &* 31 &+ UInt64($1) }))
        var failures: [String] = []
        for _ in 0..<Self.iterations {
            let input = Self.mutate(Array(seed), &random)
            if let problem = RoundTrip.check(kind, input) {
                if let folder = ProcessInfo.processInfo.environment["ZERO_FUZZ_DUMP"] {
                    _ = FileManager.default.createFile(atPath: "\(folder)/\(kind.rawValue)-\(failures.count).txt", contents: Data(input))
                }
                failures.append("\(problem.prefix(600))\n--- input ---\n\(String(decoding: input, as: UTF8.self).debugDescription)")
                if failures.count >= 3 { break }
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n\n"))")
    }

    @Test("every input a fuzzer found is replayed: FuzzRegressions/<kind>-*.txt")
    func regressions() throws {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Self.regressions)) ?? []
        #expect(!names.isEmpty, "the regression corpus is committed")
        for name in names.sorted() {
            guard let kind = RoundTrip.Kind(rawValue: String(name.prefix { $0 != "-" })) else {
                Issue.record("\(name): the name must start with a kind (\(RoundTrip.Kind.allCases.map(\.rawValue)))")
                continue
            }
            let input = try #require(FileManager.default.contents(atPath: Self.regressions + "/" + name))
            let problem = RoundTrip.check(kind, Array(input))
            #expect(problem == nil, "\(name): \(problem ?? "")")
        }
    }

    @Test("the oracle is not blind: a reader that drops a section is caught")
    func oracleCatchesLoss() {
        // Rendering a session keeps every section, so feed the check a file whose
        // second '## Plan' a lossy reader would drop: the strict reader refuses it instead.
        let doubled =
            "# Session S001 — planning\ncase_id: 31255233-0c7f-4164-8feb-0dc1b8af28ef\nsession_type: planning\nstate: created\nnumber: 1\nstarted_at: 2026-04-21T14:22:00Z\n## Plan\none\n## Plan\ntwo\n"
        #expect(throws: ZeroError.self) { try Session.parse(doubled, file: "001.md") }
        #expect(RoundTrip.check(.session, Array(doubled.utf8)) == nil)
        // And where a rewrite would lose a line, the check says so.
        #expect(RoundTrip.sectionLinesKept("x: 1\n## Plan\none\n## Notes\nkeep\n", "x: 1\n## Plan\none\n")?.contains("'## Notes'") == true)
        #expect(RoundTrip.sectionLinesKept("x: 1\n## Plan\none\n", "x: 1\n## Plan\none\n## Events\n") == nil)
    }

    static func mutate(_ bytes: [UInt8], _ random: inout SplitMix) -> [UInt8] {
        var out = bytes
        for _ in 0..<Int.random(in: 1...4, using: &random) {
            switch Int.random(in: 0..<8, using: &random) {
            case 0 where !out.isEmpty: // flip a byte
                out[Int.random(in: 0..<out.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
            case 1 where !out.isEmpty: // cut the file
                out = Array(out.prefix(Int.random(in: 0..<out.count, using: &random)))
            case 2, 3: // splice in a token at a random point
                let token = Array(tokens[Int.random(in: 0..<tokens.count, using: &random)].utf8)
                out.insert(contentsOf: token, at: Int.random(in: 0...out.count, using: &random))
            case 4: // a token on a line of its own
                let token = Array((tokens[Int.random(in: 0..<tokens.count, using: &random)] + "\n").utf8)
                let starts = [0] + out.indices.filter { out[$0] == 0x0A }.map { $0 + 1 }
                out.insert(contentsOf: token, at: starts[Int.random(in: 0..<starts.count, using: &random)])
            default: // double, drop or swap whole lines
                var lines = out.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
                guard lines.count > 1 else { continue }
                let a = Int.random(in: 0..<lines.count, using: &random), b = Int.random(in: 0..<lines.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: lines.insert(lines[a], at: b)
                case 1: lines.remove(at: a)
                default: lines.swapAt(a, b)
                }
                out = Array(lines.joined(separator: [0x0A]))
            }
        }
        return out
    }
}
