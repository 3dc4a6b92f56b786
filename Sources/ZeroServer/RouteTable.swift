import Yams
import ZeroCore

/// The routes of the API, read from its OpenAPI document (openapi.yaml,
/// compiled into the binary): the document is the one list of what the
/// server answers. Each operation names its handler by `operationId`, and
/// `x-zero-operator: true` marks what only the operator token may call.
struct RouteTable: Sendable {
    struct Route: Sendable, Equatable {
        /// GET, POST, PUT, DELETE.
        var method: String
        /// As the document writes it: `/cases/{id}/state`.
        var path: String
        var operationID: String
        var operatorOnly: Bool

        /// The same path in the router's form: `/cases/:id/state`.
        var routerPath: String {
            path.split(separator: "/", omittingEmptySubsequences: false).map { part in
                part.hasPrefix("{") && part.hasSuffix("}") ? ":" + part.dropFirst().dropLast() : part
            }.joined(separator: "/")
        }
    }

    var routes: [Route]
    /// The document's text, served at /openapi.yaml as it was compiled in.
    var document: String

    static let methods = ["get", "put", "post", "delete", "patch"]

    /// Reads the document compiled into the binary.
    static func compiledIn() throws -> RouteTable {
        try parse(String(decoding: PackageResources.openapi_yaml, as: UTF8.self))
    }

    static func parse(_ text: String) throws -> RouteTable {
        guard let root = try Yams.load(yaml: text) as? [String: Any], let paths = root["paths"] as? [String: Any] else {
            throw ZeroError(.internal, "openapi.yaml has no paths")
        }
        var routes: [Route] = []
        for (path, value) in paths {
            guard let item = value as? [String: Any] else { continue }
            for method in methods {
                guard let operation = item[method] as? [String: Any] else { continue }
                guard let id = operation["operationId"] as? String else {
                    throw ZeroError(.internal, "openapi.yaml: \(method.uppercased()) \(path) has no operationId")
                }
                routes.append(
                    Route(method: method.uppercased(), path: path, operationID: id, operatorOnly: operation["x-zero-operator"] as? Bool ?? false))
            }
        }
        routes.sort { ($0.path, $0.method) < ($1.path, $1.method) }
        return RouteTable(routes: routes, document: text)
    }

    /// Every operation has a handler and every handler an operation, or the
    /// server does not start (a test starts it, so this never reaches a user).
    func check(handlers: Set<String>) throws {
        let documented = Set(routes.map(\.operationID))
        let undocumented = handlers.subtracting(documented).sorted()
        let unhandled = documented.subtracting(handlers).sorted()
        guard undocumented.isEmpty, unhandled.isEmpty else {
            throw ZeroError(
                .internal,
                "openapi.yaml and the handlers disagree: not in the document \(undocumented), without a handler \(unhandled)")
        }
    }
}
