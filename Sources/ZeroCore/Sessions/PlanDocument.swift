/// A plan as an agent writes one in markdown, read for `--plan-file`:
///
///     # Fix the expiry check            (optional title, ignored)
///     ## Hypothesis
///     JWT expiry uses < instead of <=.
///     ## Plan
///     1. Patch auth/jwt.rs:142          (numbered or bulleted; an indented
///     2. Run cargo test auth             line continues the step above)
///     ## Scope
///     - auth/**
///
/// Every line must have a place: a line outside these three sections, a plan
/// line that is not a step, a code fence, or a section given twice is refused
/// with its line number. Nothing is wrapped up and submitted unseen.
public enum PlanDocument {
    /// Reads `bytes` (the file's whole content, strict UTF-8); `file` names it in errors.
    public static func parse(_ bytes: [UInt8], file: String) throws -> PlanInput {
        guard let text = MemoryText.decodeIfValid(bytes) else {
            throw ZeroError(.usage, "\(file) is not UTF-8 text", hint: "save the plan as UTF-8", file: file)
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var section: String?
        var seen: Set<String> = []
        var hypothesis: [String] = []
        var steps: [String] = []
        var scope: [String] = []
        func refuse(_ number: Int, _ message: String, hint: String) -> ZeroError {
            ZeroError(.usage, message, hint: hint, file: file, line: number)
        }
        for (index, raw) in lines.enumerated() {
            let number = index + 1
            let line = String(raw.hasSuffix("\r") ? raw.dropLast() : raw)
            let trimmed = line.trimming(" \t")
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                throw refuse(number, "a code block has no place in a plan", hint: "describe the step in words; the code goes in the commits")
            }
            if line.hasPrefix("# ") && section == nil && seen.isEmpty { continue }
            if line.hasPrefix("## ") {
                let heading = String(line.dropFirst(3)).trimming(" \t")
                let name = heading.lowercased()
                guard ["hypothesis", "plan", "scope"].contains(name) else {
                    throw refuse(
                        number, "'## \(heading)' is not a section of a plan",
                        hint: "a plan file has '## Hypothesis', '## Plan' and '## Scope'")
                }
                guard seen.insert(name).inserted else {
                    throw refuse(number, "'## \(heading)' is given twice", hint: "merge the two sections into one")
                }
                section = name
                continue
            }
            switch section {
            case nil:
                throw refuse(number, "this line is outside any section", hint: "put it under '## Hypothesis', '## Plan' or '## Scope'")
            case "hypothesis":
                hypothesis.append(trimmed)
            case "plan":
                if let step = listItem(trimmed) {
                    steps.append(step)
                } else if line.hasPrefix("  ") || line.hasPrefix("\t"), !steps.isEmpty {
                    steps[steps.count - 1] += " " + trimmed
                } else {
                    throw refuse(
                        number, "'\(trimmed.prefix(60))' is not a step of the plan",
                        hint: "write each step as '1. …' or '- …'; indent a line to continue the step above")
                }
            default:
                let glob = (listItem(trimmed) ?? trimmed).trimming("`")
                guard !glob.isEmpty, !glob.contains(" ") else {
                    throw refuse(number, "'\(trimmed.prefix(60))' is not a path glob", hint: "list one glob per line, like '- src/auth/**'")
                }
                scope.append(glob)
            }
        }
        guard !steps.isEmpty else {
            throw ZeroError(
                .usage, "\(file) has no steps under '## Plan'", hint: "list the steps as '1. …' or '- …' under '## Plan'",
                file: file, line: nil)
        }
        var input = PlanInput()
        input.hypothesis = hypothesis.isEmpty ? nil : hypothesis.joined(separator: " ")
        input.steps = steps
        input.scope = seen.contains("scope") ? scope : nil
        return input
    }

    /// The text of `- x`, `* x`, `+ x`, `1. x` or `1) x`; nil for anything else.
    static func listItem(_ line: String) -> String? {
        var rest = Substring(line)
        if let first = rest.first, "-*+".contains(first) {
            rest = rest.dropFirst()
        } else {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 4 else { return nil }
            rest = rest.dropFirst(digits.count)
            guard let mark = rest.first, mark == "." || mark == ")" else { return nil }
            rest = rest.dropFirst()
        }
        guard rest.first == " " || rest.first == "\t" else { return nil }
        let text = String(rest).trimming(" \t")
        // A task-list box is a step too.
        for box in ["[ ] ", "[x] ", "[X] "] where text.hasPrefix(box) { return String(text.dropFirst(4)) }
        return text.isEmpty ? nil : text
    }
}
