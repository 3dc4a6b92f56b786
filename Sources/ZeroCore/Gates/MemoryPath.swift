/// A path inside zero-memory/, by what it is. Anything that is none of these
/// is `.other`: a file that does not belong there (DESIGN §4).
enum MemoryPath: Equatable {
    case config
    case allowedSigners
    /// `.gitignore` or `.gitattributes`: git's own settings for the folder.
    case gitignore
    case global(name: String)
    case meta(caseID: String)
    case problem(caseID: String)
    case codeContext(caseID: String)
    case classification(caseID: String)
    case session(caseID: String, number: Int)
    case latest(caseID: String)
    case proof(caseID: String, name: String)
    case artifact(caseID: String, name: String)
    case spec(id: String)
    case epic(specID: String, number: Int)
    case other

    static let prefix = Workspace.folderName + "/"
    /// `zero-memory/config.yaml`, as a path inside a git tree.
    static let configFile = prefix + "config.yaml"
    /// `zero-memory/allowed_signers`: the operators' SSH keys, in git's format.
    static let signersFile = prefix + "allowed_signers"

    init?(_ path: String) {
        guard path.hasPrefix(Self.prefix) else { return nil }
        let parts = path.dropFirst(Self.prefix.count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch parts.count {
        case 1:
            switch parts[0] {
            case "config.yaml": self = .config
            case "allowed_signers": self = .allowedSigners
            case ".gitignore", ".gitattributes": self = .gitignore
            default: self = .other
            }
            return
        case 2 where parts[0] == "global" && Self.isPlainName(parts[1], suffix: ".md"):
            self = .global(name: parts[1])
            return
        case 3 where parts[0] == "specs" && parts[2] == "spec.md" && Self.isPlainName(parts[1], suffix: ""):
            self = .spec(id: parts[1])
            return
        case 4 where parts[0] == "specs" && parts[2] == "epics" && Self.isPlainName(parts[1], suffix: ""):
            if let number = Self.paddedNumber(parts[3], width: 2) { self = .epic(specID: parts[1], number: number); return }
            self = .other
            return
        default:
            break
        }
        guard parts.count >= 3, parts[0] == "cases", CaseID.isValid(parts[1]) else { self = .other; return }
        let id = parts[1]
        switch (parts.count, parts[2]) {
        case (3, "meta.yaml"): self = .meta(caseID: id)
        case (3, "problem-definition.md"): self = .problem(caseID: id)
        case (3, "code-context.md"): self = .codeContext(caseID: id)
        case (3, "final-classification.md"): self = .classification(caseID: id)
        case (4, "sessions"):
            if parts[3] == "latest.md" {
                self = .latest(caseID: id)
            } else if let number = Self.paddedNumber(parts[3], width: 3), Session.fileName(number) == parts[3] {
                self = .session(caseID: id, number: number)
            } else {
                self = .other
            }
        case (4, "proofs"):
            let name = parts[3]
            let stem = name.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            guard stem.count == 2, stem[0].count == 8, stem[0].allSatisfy({ $0.isHexDigit && !$0.isUppercase }),
                !stem[1].isEmpty, stem[1].count <= 10, stem[1].allSatisfy({ $0.isLetter || $0.isNumber })
            else { self = .other; return }
            self = stem[1] == "md" ? .proof(caseID: id, name: name) : .artifact(caseID: id, name: name)
        default: self = .other
        }
    }

    /// The case a path belongs to, if any.
    var caseID: String? {
        switch self {
        case .meta(let id), .problem(let id), .codeContext(let id), .classification(let id), .session(let id, _),
            .latest(let id), .proof(let id, _), .artifact(let id, _):
            id
        default: nil
        }
    }

    /// `NNN.md` with exactly `width` or more digits, as Zero writes them.
    private static func paddedNumber(_ name: String, width: Int) -> Int? {
        guard name.hasSuffix(".md") else { return nil }
        let digits = name.dropLast(3)
        guard digits.count >= width, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let number = Int(digits), number > 0 else { return nil }
        return number
    }

    private static func isPlainName(_ name: String, suffix: String) -> Bool {
        guard name.hasSuffix(suffix), !name.hasPrefix("."), name.count > suffix.count else { return false }
        return name.allSatisfy { $0.isLetter || $0.isNumber || "-_.".contains($0) }
    }

    static func caseFolder(_ id: String) -> String { prefix + "cases/\(id)" }
    static func meta(_ id: String) -> String { prefix + "cases/\(id)/meta.yaml" }
    static func classification(_ id: String) -> String { prefix + "cases/\(id)/final-classification.md" }
    static func session(_ id: String, _ number: Int) -> String { prefix + "cases/\(id)/sessions/\(Session.fileName(number))" }
    static func sessions(_ id: String) -> String { prefix + "cases/\(id)/sessions" }
    static func proofs(_ id: String) -> String { prefix + "cases/\(id)/proofs" }
}
