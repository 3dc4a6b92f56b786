/// What kind of work a case is.
public enum CaseType: String, CaseIterable, Sendable, Codable {
    case bug, feature, refactor, investigation, epic, greenfield, ticket
}

public enum Priority: String, CaseIterable, Sendable, Codable {
    case low, medium, high
}

/// How a case ended (DESIGN §3.4). Every outcome needs verified proof.
public enum Outcome: String, CaseIterable, Sendable, Codable {
    case confirmedCodeBug = "ConfirmedCodeBug"
    case confirmedConfigBug = "ConfirmedConfigBug"
    case confirmedDataBug = "ConfirmedDataBug"
    case confirmedEnvironmentIssue = "ConfirmedEnvironmentIssue"
    case confirmedOperatorError = "ConfirmedOperatorError"
    case confirmedHardwareSetupIssue = "ConfirmedHardwareSetupIssue"
    case intendedBehavior = "IntendedBehavior"
    case duplicate = "Duplicate"
    case unreproducible = "Unreproducible"
    case needsProductDecision = "NeedsProductDecision"
    case needsUserInput = "NeedsUserInput"

    /// Outcomes that say the case was not a defect, allowed for NON_ISSUE.
    public var isNonIssue: Bool {
        switch self {
        case .intendedBehavior, .duplicate, .unreproducible, .needsProductDecision, .needsUserInput: true
        default: false
        }
    }

    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}
