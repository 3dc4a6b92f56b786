import Yams

/// `zero-memory/config.yaml` (DESIGN §7). Missing keys take their defaults;
/// unknown keys are ignored, and the file is only ever written by `zero init`,
/// so comments a person adds stay.
public struct WorkspaceConfig: Equatable, Sendable {
    public enum DiffReview: String, Sendable { case `operator`, auto }
    public enum TicketDone: String, Sendable { case resolved, complete }

    public var schemaVersion = 1
    /// A UUID naming this repository in signed operator acts.
    public var workspaceID: String?
    public var operators: [String] = []
    public var monthlySessionLimit = 0
    public var requireSessionForCode = true
    public var exemptPaths: [String] = ["docs/**", "*.md"]
    public var enforceScope = true
    public var diffReview = DiffReview.operator
    public var ticketDone = TicketDone.resolved
    public var requireSignedApprovals = false
    public var requirePlanningReview = true
    public var readinessThreshold = 70

    public init() {}

    /// Whether `email` is listed in `operators` (case-insensitive).
    public func isOperator(_ email: String) -> Bool {
        let wanted = email.lowercased()
        return operators.contains { $0.lowercased() == wanted }
    }

    /// Parses the file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws -> WorkspaceConfig {
        let root: Node?
        do {
            root = try HeaderParser.composeYAML(text)
        } catch let error as YamlError {
            throw HeaderParser.yamlError(error, firstLine: 1, file: file)
        }
        var config = WorkspaceConfig()
        guard let root else { return config }
        guard case .mapping(let mapping) = root else {
            throw ZeroError.malformed("config must be a map of settings", file: file, line: root.mark?.line)
        }
        let reader = Reader(file: file)
        for (keyNode, value) in mapping {
            switch keyNode.string ?? "" {
            case "schema_version":
                config.schemaVersion = try reader.int(value, "schema_version")
                if config.schemaVersion != 1 {
                    throw ZeroError.malformed(
                        "schema_version \(config.schemaVersion) is newer than this zero understands",
                        file: file, line: value.mark?.line, hint: "upgrade zero")
                }
            case "workspace_id":
                let id = value.scalar?.string ?? ""
                guard CaseID.isValid(id) else { throw reader.fail(value, "workspace_id", "a lower-case UUID") }
                config.workspaceID = id
            case "operators": config.operators = try reader.strings(value, "operators")
            case "plan":
                for (key, inner) in try reader.map(value, "plan") where key.string == "monthly_session_limit" {
                    config.monthlySessionLimit = try reader.int(inner, "plan.monthly_session_limit")
                    if config.monthlySessionLimit < 0 {
                        throw ZeroError.malformed("plan.monthly_session_limit must be 0 or more", file: file, line: inner.mark?.line)
                    }
                }
            case "gates":
                for (key, inner) in try reader.map(value, "gates") {
                    let name = key.string ?? ""
                    switch name {
                    case "require_session_for_code": config.requireSessionForCode = try reader.bool(inner, "gates." + name)
                    case "exempt_paths": config.exemptPaths = try reader.strings(inner, "gates." + name)
                    case "enforce_scope": config.enforceScope = try reader.bool(inner, "gates." + name)
                    case "diff_review": config.diffReview = try reader.choice(inner, "gates." + name)
                    case "ticket_done": config.ticketDone = try reader.choice(inner, "gates." + name)
                    case "require_signed_approvals": config.requireSignedApprovals = try reader.bool(inner, "gates." + name)
                    default: break
                    }
                }
            case "quality":
                for (key, inner) in try reader.map(value, "quality") {
                    switch key.string ?? "" {
                    case "require_planning_review": config.requirePlanningReview = try reader.bool(inner, "quality.require_planning_review")
                    case "readiness_threshold": config.readinessThreshold = try reader.int(inner, "quality.readiness_threshold")
                    default: break
                    }
                }
            default: break
            }
        }
        return config
    }

    /// Typed reads with file:line errors.
    private struct Reader {
        let file: String

        func fail(_ node: Node, _ key: String, _ expected: String) -> ZeroError {
            ZeroError.malformed("\(key) must be \(expected)", file: file, line: node.mark?.line)
        }

        func int(_ node: Node, _ key: String) throws -> Int {
            guard let scalar = node.scalar, let value = Int(scalar.string) else { throw fail(node, key, "a whole number") }
            return value
        }

        func bool(_ node: Node, _ key: String) throws -> Bool {
            switch node.scalar?.string.lowercased() {
            case "true", "yes", "on": return true
            case "false", "no", "off": return false
            default: throw fail(node, key, "true or false")
            }
        }

        func strings(_ node: Node, _ key: String) throws -> [String] {
            if node.scalar?.string == "" || node.scalar?.string == "null" { return [] }
            guard case .sequence(let sequence) = node else { throw fail(node, key, "a list") }
            return try sequence.map { item in
                guard let scalar = item.scalar else { throw fail(item, key, "a list of plain values") }
                return scalar.string
            }
        }

        func map(_ node: Node, _ key: String) throws -> [(Node, Node)] {
            if node.scalar?.string == "" || node.scalar?.string == "null" { return [] }
            guard case .mapping(let mapping) = node else { throw fail(node, key, "a map of settings") }
            return mapping.map { ($0.key, $0.value) }
        }

        func choice<T: RawRepresentable>(_ node: Node, _ key: String) throws -> T where T.RawValue == String {
            guard let text = node.scalar?.string, let value = T(rawValue: text) else {
                throw fail(node, key, "one of the documented values")
            }
            return value
        }
    }
}
