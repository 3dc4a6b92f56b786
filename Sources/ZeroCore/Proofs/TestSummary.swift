/// Finds "N passed, M failed" in a test run's output, for the common runners:
/// pytest, cargo, jest/vitest, go (counts of `--- PASS`/`--- FAIL`), XCTest and
/// Swift Testing. The last line that reports counts wins.
public enum TestSummary {
    public static func parse(_ output: String) -> TestCounts? {
        var goPassed = 0, goFailed = 0
        var found: TestCounts?
        for line in output.split(separator: "\n") {
            if line.hasPrefix("--- PASS") { goPassed += 1 }
            if line.hasPrefix("--- FAIL") { goFailed += 1 }
            if let counts = countsInLine(line) { found = counts }
        }
        if found == nil, goPassed + goFailed > 0 {
            found = TestCounts(run: goPassed + goFailed, passed: goPassed, failed: goFailed)
        }
        return found
    }

    /// The summary text stored in a proof: "47 passed, 0 failed".
    public static func text(_ counts: TestCounts) -> String { "\(counts.passed) passed, \(counts.failed) failed" }

    static func countsInLine(_ line: Substring) -> TestCounts? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "," || $0 == ";" || $0 == "\t" })
            .map { $0.trimmingCharacters(".:=()") }
        // XCTest: "Executed 47 tests, with 2 failures (0 unexpected)".
        if let executed = words.firstIndex(of: "Executed"), executed + 1 < words.count, let run = Int(words[executed + 1]),
            let with = words.firstIndex(of: "with"), with + 1 < words.count, let failed = Int(words[with + 1])
        {
            return TestCounts(run: run, passed: run - failed, failed: failed)
        }
        // Swift Testing: "Test run with 47 tests in 3 suites passed after ..." / "... failed after ... with 2 issues."
        if line.contains("Test run with"), let with = words.firstIndex(of: "with"), with + 1 < words.count, let run = Int(words[with + 1]) {
            if words.contains("passed") { return TestCounts(run: run, passed: run, failed: 0) }
            if let issues = words.lastIndex(of: "issues") ?? words.lastIndex(of: "issue"), issues > 0, let failed = Int(words[issues - 1]) {
                return TestCounts(run: run, passed: max(0, run - failed), failed: failed)
            }
        }
        var passed: Int?
        var failed: Int?
        for (index, word) in words.enumerated() where index > 0 {
            guard let number = Int(words[index - 1]) else { continue }
            switch word.lowercased() {
            case "passed", "passing", "pass": passed = number
            case "failed", "failing", "failures", "fail": failed = number
            default: break
            }
        }
        guard passed != nil || failed != nil else { return nil }
        let p = passed ?? 0, f = failed ?? 0
        return TestCounts(run: p + f, passed: p, failed: f)
    }
}

extension Substring {
    func trimmingCharacters(_ set: String) -> Substring {
        var text = self
        while let first = text.first, set.contains(first) { text = text.dropFirst() }
        while let last = text.last, set.contains(last) { text = text.dropLast() }
        return text
    }
}
