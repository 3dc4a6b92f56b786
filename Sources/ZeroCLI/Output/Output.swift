import ZeroCore

/// How a command prints: JSON for agents and scripts, aligned and (on a
/// terminal, unless NO_COLOR is set) coloured text for people.
struct Output {
    let json: Bool
    let color: Bool

    init(json: Bool, environment: [String: String]) {
        self.json = json
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        color = !json && !noColor && environment["TERM"] != "dumb" && Terminal.stdoutIsTerminal
    }

    func line(_ text: String = "") {
        Terminal.write(text + "\n")
    }

    /// Text exactly as given (markdown a command prints whole).
    func raw(_ text: String) {
        Terminal.write(text)
    }

    func emit<T: Encodable>(_ value: T) throws {
        Terminal.write(try ViewJSON.encode(value) + "\n")
    }

    enum Style: String {
        case bold = "1", dim = "2", red = "31", green = "32", yellow = "33", blue = "34", magenta = "35", cyan = "36"
    }

    func paint(_ text: String, _ style: Style) -> String {
        color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// Columns padded to the widest cell; the last column is not padded.
    func table(_ headers: [String], _ rows: [[String]], styles: [Int: (String) -> Style?] = [:]) {
        let all = [headers] + rows
        var widths = [Int](repeating: 0, count: headers.count)
        for row in all {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) }
        }
        func render(_ row: [String], header: Bool) -> String {
            var parts: [String] = []
            for (index, cell) in row.enumerated() {
                let padded = index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
                if header {
                    parts.append(paint(padded, .dim))
                } else if let style = styles[index]?(cell) {
                    parts.append(paint(padded, style))
                } else {
                    parts.append(padded)
                }
            }
            return parts.joined(separator: "  ")
        }
        line(render(headers, header: true))
        for row in rows { line(render(row, header: false)) }
    }

    /// `key: value` lines with the keys aligned.
    func fields(_ pairs: [(String, String)]) {
        let width = pairs.map(\.0.count).max() ?? 0
        for (key, value) in pairs {
            line(paint(key + ":" + String(repeating: " ", count: width - key.count), .dim) + " " + value)
        }
    }

    func stateStyle(_ text: String) -> Style? {
        switch text {
        case "OPEN", "created": .cyan
        case "INVESTIGATING", "IMPLEMENTING", "VERIFYING", "planning", "executing": .yellow
        case "RESOLVED", "NON_ISSUE", "complete", "approved", "yes": .green
        case "BLOCKED", "NEEDS_USER_INPUT", "plan_ready": .magenta
        case "WONT_FIX", "failed", "abandoned", "no": .red
        default: nil
        }
    }
}

/// Short forms used in human output.
extension String {
    var short: String { String(prefix(8)) }
}

extension Session {
    var label: String { "S" + pad3(number) }
}

func pad3(_ number: Int) -> String {
    let digits = String(number)
    return digits.count >= 3 ? digits : String(repeating: "0", count: 3 - digits.count) + digits
}
