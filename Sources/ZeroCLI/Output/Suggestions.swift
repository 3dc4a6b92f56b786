import ArgumentParser
import ZeroCore

/// "did you mean": the argument parser suggests options, but for an unknown
/// subcommand it only says "unexpected argument", and `zero help <unknown>`
/// prints the main help as if all were well. Both are caught here, before
/// parsing, by walking the command tree along the arguments.
enum Suggestions {
    /// A usage error for the first word that names no command, or nil.
    static func unknownCommand(in arguments: [String]) -> ZeroError? {
        var words = arguments[...]
        var asking = false
        if words.first == "help" {
            asking = true
            words = words.dropFirst()
        }
        var command: any ParsableCommand.Type = ZeroCommand.self
        var path = ["zero"]
        for word in words {
            if word.hasPrefix("-") { return nil }
            let children = command.configuration.subcommands
            if children.isEmpty { return nil }
            if let child = children.first(where: { names(of: $0).contains(word) }) {
                command = child
                path.append(name(of: child))
                continue
            }
            let visible = children.filter { $0.configuration.shouldDisplay }.map(name(of:))
            let near = nearest(word, among: visible)
            let place = path.joined(separator: " ")
            let message = asking ? "no help topic '\(word)' under '\(place)'" : "'\(word)' is not a \(place) command"
            var hint = near.map { "did you mean '\(place) \($0)'?" } ?? "the commands are: \(visible.joined(separator: ", "))"
            hint += " ('\(place) --help' lists them)"
            return ZeroError(.usage, message, hint: hint)
        }
        return nil
    }

    static func name(of command: any ParsableCommand.Type) -> String {
        command.configuration.commandName ?? String(describing: command).lowercased()
    }

    static func names(of command: any ParsableCommand.Type) -> [String] {
        [name(of: command)] + command.configuration.aliases
    }

    /// The closest of `candidates` to `word`: within two edits, or one that
    /// starts with it; nil when nothing is close enough to be a typo.
    static func nearest(_ word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.sorted { $0.1 < $1.1 }
        if let best = scored.first, best.1 <= max(1, min(2, word.count / 3)) { return best.0 }
        return candidates.first { $0.hasPrefix(word) && word.count >= 2 }
    }

    /// Edits between two words (insert, delete, replace, or swap two
    /// neighbours: "nwe" is one edit from "new").
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
