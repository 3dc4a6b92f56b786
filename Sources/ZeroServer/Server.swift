import Crypto
import Dispatch
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle
import ZeroCore

/// What `zero serve` was asked for.
public struct ServerOptions: Sendable {
    public var host = "127.0.0.1"
    public var port = 7878
    /// Required on every request when set (and to bind anywhere but loopback).
    public var token: String?
    /// Seconds between SSE heartbeats (a comment line).
    public var heartbeatSeconds: Double = 15
    /// The first retry of a failed webhook delivery waits this long; each next one twice as long.
    public var webhookBackoffMilliseconds = 1_000
    /// Attempts per delivery before it is logged as failed.
    public var webhookAttempts = 6

    public init() {}

    public var isLoopback: Bool { ServeBind.isLoopback(host) }

    public func validate() throws { try ServeBind.validate(host: host, port: port, token: token) }
}

/// Who a request acts as: the operator (with the operator token) or an agent.
struct Caller: Sendable {
    var identity: Identity
    var isOperator: Bool
}

/// One request as a handler sees it: its route's parameters, query, body and caller.
struct Call: Sendable {
    var parameters: [String: String]
    var query: [String: String]
    var body: [UInt8]
    var lastEventID: String?
    var caller: Caller
    var server: ServerState

    func parameter(_ name: String) throws -> String {
        guard let value = parameters[name], !value.isEmpty else { throw ZeroError(.usage, "the path has no \(name)") }
        return value
    }

    /// The session number of `{sid}`: a positive integer.
    func sessionReference() throws -> SessionReference {
        let text = try parameter("sid")
        guard let number = Int(text), number > 0, number < 1_000_000 else {
            throw ZeroError(.usage, "'\(text)' is not a session number", hint: "sessions are numbered 1, 2, ... within their case")
        }
        return SessionReference(caseReference: try parameter("id"), number: number)
    }

    /// A workspace acting as this caller (one per request: `Workspace` is not Sendable).
    func workspace() -> Workspace {
        Workspace(root: server.root, environment: server.environment).acting(as: caller.identity)
    }

    /// Runs `work` on a thread that may block (file reads, locks, git), off the server's event loops.
    func run<T: Sendable>(_ work: @escaping @Sendable (Workspace) throws -> T) async throws -> T {
        let workspace = UncheckedBox(self.workspace())
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try work(workspace.value) })
            }
        }
    }
}

/// Moves a value made for one request to the thread that uses it alone.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

/// What every request shares: the workspace, the identities, the tokens, the
/// event hub. Unchecked: every stored property is a constant (the digests are
/// plain bytes, declared non-Sendable by swift-crypto only for lack of a mark).
final class ServerState: @unchecked Sendable {
    let root: String
    let environment: ZeroCore.Environment
    let options: ServerOptions
    let operatorIdentity: Identity
    let agentIdentity: Identity
    let operatorTokenDigest: SHA256.Digest
    let tokenDigest: SHA256.Digest?
    let routes: RouteTable
    let hub: EventHub
    let webhooks: Webhooks

    init(
        root: String, environment: ZeroCore.Environment, options: ServerOptions, operatorIdentity: Identity, operatorToken: String,
        routes: RouteTable, hub: EventHub, webhooks: Webhooks
    ) {
        self.root = root
        self.environment = environment
        self.options = options
        self.operatorIdentity = operatorIdentity
        self.agentIdentity = Identity(Actor(name: "agent over HTTP", email: ZeroServe.agentEmail))
        self.operatorTokenDigest = SHA256.hash(data: Array(operatorToken.utf8))
        self.tokenDigest = options.token.map { SHA256.hash(data: Array($0.utf8)) }
        self.routes = routes
        self.hub = hub
        self.webhooks = webhooks
    }

    /// Refuses what a web page could send: a browser lets any site POST a
    /// "simple" request to loopback, and DNS rebinding makes a foreign name
    /// resolve to 127.0.0.1. So an `Origin` must be this server's own host, the
    /// `Host` must be a name this server answers to, and a body must be JSON
    /// (which a page cannot send without a preflight this server never grants).
    func checkBrowser(_ request: Request, hasBody: Bool) throws {
        func hostName(_ authority: Substring) -> Substring {
            if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") { return authority[authority.index(after: authority.startIndex)..<end] }
            return authority.split(separator: ":", maxSplits: 1).first ?? authority
        }
        func allowed(_ name: Substring) -> Bool {
            if options.isLoopback { return ServeBind.isLoopback(String(name)) }
            return name.lowercased() == options.host.lowercased() || options.host == "0.0.0.0" || options.host == "::"
        }
        if let authority = request.head.authority, !allowed(hostName(Substring(authority))) {
            throw Refusal(status: .forbidden, code: "forbidden", message: "Host '\(authority)' is not a name this server answers to (DNS rebinding is refused)")
        }
        if let origin = request.headers[.origin] {
            let rest = origin.split(separator: "://", maxSplits: 1).last ?? ""
            let authority = rest.split(separator: "/", maxSplits: 1).first ?? ""
            guard origin.contains("://"), allowed(hostName(authority)) else {
                throw Refusal(status: .forbidden, code: "forbidden", message: "requests from the web page \(origin) are refused")
            }
        }
        if hasBody, let type = request.headers[.contentType], !type.lowercased().hasPrefix("application/json") {
            throw Refusal(
                status: .unsupportedMediaType, code: "unsupported_media_type", message: "the request body must be JSON (Content-Type: application/json), not \(type)")
        }
    }

    /// Who is calling, or why not: 401 without the token the route needs.
    /// Digests are compared, which takes the same time wherever they differ.
    func authenticate(_ request: Request, operatorOnly: Bool) throws -> Caller {
        var presented: SHA256.Digest?
        if let header = request.headers[.authorization] {
            let parts = header.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else {
                throw Unauthorized(message: "the Authorization header must be 'Bearer <token>'")
            }
            presented = SHA256.hash(data: Array(parts[1].utf8))
        }
        let isOperator = presented == operatorTokenDigest
        if let tokenDigest, !isOperator, presented != tokenDigest {
            throw Unauthorized(message: presented == nil ? "this server needs a token: send 'Authorization: Bearer <token>'" : "the token is not valid here")
        }
        if operatorOnly, !isOperator {
            throw Unauthorized(
                message: "only the operator may do this: send the operator token that zero serve printed at start ('Authorization: Bearer <operator token>')"
            )
        }
        return Caller(identity: isOperator ? operatorIdentity : agentIdentity, isOperator: isOperator)
    }
}

/// 401: the route needs a token the request did not carry.
struct Unauthorized: Error {
    var message: String
}

/// A refusal the HTTP layer makes before any rule is asked: 403 for a
/// request from a web page, 415 for a body that is not JSON.
struct Refusal: Error {
    var status: HTTPResponse.Status
    var code: String
    var message: String
}

/// Answers, as JSON.
enum Reply {
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try ViewJSON.data(value, indented: false)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// `{"error": {"code", "message", "hint", "file", "line"}}` with the code's status.
    static func error(_ error: ZeroError) -> Response {
        struct Envelope: Encodable { var error: ZeroError }
        let status = HTTPResponse.Status(code: error.code.httpStatus)
        return (try? json(Envelope(error: error), status: status)) ?? Response(status: .internalServerError)
    }

    static func unauthorized(_ message: String) -> Response {
        var response = refusal(Refusal(status: .unauthorized, code: "unauthorized", message: message))
        response.headers[.wwwAuthenticate] = "Bearer"
        return response
    }

    static func refusal(_ refusal: Refusal) -> Response {
        struct Body: Encodable {
            var code: String
            var message: String
            var hint: String? = nil
        }
        struct Envelope: Encodable { var error: Body }
        return (try? json(Envelope(error: Body(code: refusal.code, message: refusal.message)), status: refusal.status))
            ?? Response(status: refusal.status)
    }
}

/// Turns whatever escapes a handler (and the router's own 404 and 405) into the error envelope.
struct ErrorEnvelopeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as ZeroError {
            return Reply.error(error)
        } catch let error as Unauthorized {
            return Reply.unauthorized(error.message)
        } catch let refusal as Refusal {
            return Reply.refusal(refusal)
        } catch let error as HTTPError {
            let code: ZeroError.Code = error.status == .notFound ? .notFound : error.status.code < 500 ? .usage : .internal
            var reply = Reply.error(ZeroError(code, error.body ?? "\(request.method) \(request.uri.path): \(error.status.reasonPhrase)"))
            reply.status = error.status
            return reply
        } catch {
            return Reply.error(ZeroError(.internal, "\(error)"))
        }
    }
}

/// `zero-serve`: the server's whole life, from reading the workspace to a graceful stop.
public enum ZeroServe {
    /// The identity agents act as over HTTP: never an operator's.
    public static let agentEmail = "agent@zero-serve.invalid"

    /// Starts the server for the workspace around `environment.currentFolder`
    /// and runs until SIGINT or SIGTERM. `announce` receives the lines for
    /// the terminal (the address, the operator token), once each.
    public static func run(options: ServerOptions, environment: ZeroCore.Environment, announce: @escaping @Sendable (String) -> Void) async throws {
        try options.validate()
        let workspace = try Workspace.locate(from: environment.currentFolder, environment: environment)
        let root = workspace.root
        let operatorIdentity = try workspace.identity()
        let config = try workspace.config()
        if config.isOperator(agentEmail) {
            throw ZeroError(.usage, "\(agentEmail) is listed in operators; agents over HTTP act as that address, so it must not be an operator")
        }
        let routes = try RouteTable.compiledIn()
        let locations = try workspace.gitLocations()
        var logger = Logger(label: "zero-serve")
        logger.logLevel = .warning

        let hub = try EventHub(root: root, environment: environment, progress: announce)
        let webhooks = try Webhooks(
            folder: locations.gitDir + "/zero", hub: hub, backoffMilliseconds: options.webhookBackoffMilliseconds,
            attempts: options.webhookAttempts)
        let operatorToken = Self.newToken()
        let state = ServerState(
            root: root, environment: environment, options: options, operatorIdentity: operatorIdentity, operatorToken: operatorToken,
            routes: routes, hub: hub, webhooks: webhooks)

        let router = Router()
        router.add(middleware: ErrorEnvelopeMiddleware())
        let handlers = Handlers.all
        try routes.check(handlers: Set(handlers.keys))
        for route in routes.routes {
            guard let handler = handlers[route.operationID] else { continue }
            let method = HTTPRequest.Method(rawValue: route.method)!
            for prefix in ["", "/api"] {
                router.on(RouterPath(prefix + route.routerPath), method: method) { request, context in
                    try await respond(route, handler, request, context, state)
                }
            }
        }

        let isOperator = config.isOperator(operatorIdentity.actor.email)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? options.port
                announce("zero serve: listening on http://\(options.host.contains(":") ? "[\(options.host)]" : options.host):\(port) for \(root)")
                announce("operator token: \(operatorToken)")
                if !isOperator {
                    announce(
                        "zero serve: \(operatorIdentity.actor.email) is not in operators, so operator requests will be refused (403)")
                }
            },
            logger: logger)
        // Stopped in reverse order: the hub first, which ends every open
        // stream, so the HTTP server's drain is not held up by an SSE client.
        let group = ServiceGroup(
            configuration: .init(services: [app, webhooks, hub], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        announce("zero serve: stopped")
    }

    static func respond(_ route: RouteTable.Route, _ handler: Handler, _ request: Request, _ context: BasicRequestContext, _ state: ServerState)
        async throws -> Response
    {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        try state.checkBrowser(request, hasBody: body.readableBytes > 0)
        let caller = try state.authenticate(request, operatorOnly: route.operatorOnly)
        var parameters: [String: String] = [:]
        for (key, value) in context.parameters { parameters[String(key)] = String(value) }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
        let call = Call(
            parameters: parameters, query: query, body: Array(buffer: body), lastEventID: request.headers[.lastEventID],
            caller: caller, server: state)
        return try await handler(call)
    }

    /// 32 random bytes as hex.
    static func newToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Digest.hex($0) }
    }
}

extension HTTPField.Name {
    static let lastEventID = HTTPField.Name("Last-Event-ID")!
}
