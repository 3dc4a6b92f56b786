import Foundation
import ZeroCore

/// A JSON request body: its keys are the ones its type decodes, and any
/// other key is refused (a misspelt option must not be silently dropped).
protocol RequestBody: Decodable {
    associatedtype CodingKeys: CodingKey & CaseIterable
}

enum Bodies {
    /// Decodes `bytes` as `T`; an empty body is `{}` when `T` allows it.
    static func decode<T: RequestBody>(_ type: T.Type, _ bytes: [UInt8]) throws -> T {
        let data = bytes.isEmpty ? Data("{}".utf8) : Data(bytes)
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: data)
        } catch {
            throw ZeroError(.usage, "the request body is not JSON", hint: "send a JSON object with Content-Type: application/json")
        }
        guard let fields = object as? [String: Any] else { throw ZeroError(.usage, "the request body must be a JSON object") }
        let known = T.CodingKeys.allCases.map(\.stringValue)
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw ZeroError(.usage, "the request body has an unknown key '\(unknown)'", hint: "its keys are: \(known.joined(separator: ", "))")
        }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            throw ZeroError(.usage, "the request body does not fit: \(describe(error))")
        }
    }

    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context, _ key: CodingKey? = nil) -> String {
            let keys = (context.codingPath + (key.map { [$0] } ?? [])).map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }
            return keys.isEmpty ? "the body" : "'" + keys.joined(separator: ".") + "'"
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context, key)) is missing"
        case .typeMismatch(let type, let context): return "\(path(context)) must be \(typeName(type))"
        case .valueNotFound(let type, let context): return "\(path(context)) must be \(typeName(type)), not null"
        case .dataCorrupted(let context): return "\(path(context)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "true or false"
        case is [String].Type: "a list of strings"
        case is [Int].Type: "a list of integers"
        default: "\(type)"
        }
    }

    /// A value of one of the API's enums, with the allowed values in the error.
    static func choice<T: RawRepresentable & CaseIterable>(_ text: String, _ what: String) throws -> T where T.RawValue == String {
        if let value = T(rawValue: text) { return value }
        throw ZeroError(.usage, "'\(text)' is not a \(what)", hint: "use one of: \(T.allCases.map(\.rawValue).joined(separator: ", "))")
    }
}

struct NewCaseBody: RequestBody {
    var title: String
    var type: String?
    var priority: String?
    var tags: [String]?
    var summary: String?
    var dependsOn: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case title, type, priority, tags, summary, dependsOn = "depends_on" }
}

struct CaseEditBody: RequestBody {
    var title: String?
    var type: String?
    var priority: String?
    var summary: String?
    var addTags: [String]?
    var removeTags: [String]?
    var addDependsOn: [String]?
    var removeDependsOn: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case title, type, priority, summary, addTags = "add_tags", removeTags = "remove_tags"
        case addDependsOn = "add_depends_on", removeDependsOn = "remove_depends_on"
    }
}

struct StateChangeBody: RequestBody {
    var state: String
    var reason: String?
    var outcome: String?
    var rootCause: String?
    var fix: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case state, reason, outcome, rootCause = "root_cause", fix }
}

struct NewSessionBody: RequestBody {
    var type: String
    var start: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable { case type, start }
}

struct PlanBody: RequestBody {
    var hypothesis: String?
    var steps: [String]?
    var plan: String?
    var scope: [String]?
    var draft: Bool?

    enum CodingKeys: String, CodingKey, CaseIterable { case hypothesis, steps, plan, scope, draft }
}

struct ApprovalBody: RequestBody {
    var planHash: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case planHash = "plan_hash" }
}

struct ReasonBody: RequestBody {
    var reason: String

    enum CodingKeys: String, CodingKey, CaseIterable { case reason }
}

struct ProgressBody: RequestBody {
    struct File: Decodable {
        var action: String
        var path: String
    }

    var stepsDone: [Int]?
    var files: [File]?
    var discoveries: [String]?
    var note: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case stepsDone = "steps_done", files, discoveries, note }
}

struct OutputBody: RequestBody {
    var text: String

    enum CodingKeys: String, CodingKey, CaseIterable { case text }
}

struct CompletionBody: RequestBody {
    var output: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case output }
}

struct NewProofBody: RequestBody {
    var type: String
    var text: String
    var summary: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case type, text, summary }
}

struct VerificationBody: RequestBody {
    var acceptFailing: String?

    enum CodingKeys: String, CodingKey, CaseIterable { case acceptFailing = "accept_failing" }
}

struct NewWebhookBody: RequestBody {
    var url: String
    var events: [String]?

    enum CodingKeys: String, CodingKey, CaseIterable { case url, events }
}
