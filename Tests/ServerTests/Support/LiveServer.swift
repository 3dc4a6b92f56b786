import Foundation
import Synchronization
import Testing
import ZeroTestSupport

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The built binaries, next to this test bundle; never ones on PATH.
enum Built {
    static let folder: String = {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("zero-serve").path) { return url.path }
        }
        return "/nonexistent/zero-serve-was-not-built"
    }()

    static var zero: String { folder + "/zero" }
}

extension TemporaryRepository {
    @discardableResult
    func zeroOK(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> ProcessResult {
        let result = try run([Built.zero] + arguments)
        #expect(result.status == 0, "zero \(arguments.joined(separator: " ")) → \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    func zeroJSON(_ arguments: String..., sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
        let result = try run([Built.zero] + arguments + ["--json"])
        #expect(result.status == 0, "zero \(arguments.joined(separator: " ")) → \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    /// `zero init` with the hooks, committed.
    func adopt() throws {
        try zeroOK("init")
        try git("add", "-A")
        try git("commit", "-qm", "adopt zero")
    }
}

/// What a server printed, read as it prints it.
final class Lines: Sendable {
    private let lines = Mutex<[String]>([])
    private let partial = Mutex<String>("")

    func feed(_ data: Data) {
        let text = String(decoding: data, as: UTF8.self)
        let complete: [String] = partial.withLock { partial in
            partial += text
            var parts = partial.components(separatedBy: "\n")
            partial = parts.removeLast()
            return parts
        }
        lines.withLock { $0 += complete }
    }

    var all: [String] { lines.withLock { $0 } }

    /// Waits up to `seconds` for a line that starts with `prefix`. Waits here
    /// block their thread instead of suspending: a suspended test resumes only
    /// when the 2-thread pool of Swift concurrency is free, and the other tests
    /// keep it busy for minutes.
    func wait(for prefix: String, seconds: Double = 30) throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let line = all.first(where: { $0.hasPrefix(prefix) }) { return line }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw ServerFailure("no line starting '\(prefix)' within \(seconds) s; printed: \(all)")
    }
}

struct ServerFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The real `zero serve`, started in a repository on a free loopback port.
final class LiveServer: @unchecked Sendable {
    let process = Process()
    let stdout = Lines()
    let stderr = Lines()
    private(set) var base = ""
    private(set) var operatorToken = ""
    var port: Int { Int(base.split(separator: ":").last ?? "") ?? 0 }

    /// Starts it and waits for the address and the operator token.
    static func start(_ repo: TemporaryRepository, arguments: [String] = [], environment: [String: String] = [:]) throws -> LiveServer {
        let server = LiveServer()
        try server.launch(repo, ["serve", "--port", "0"] + arguments, environment: environment)
        let listening = try server.stdout.wait(for: "zero serve: listening on ")
        let address = try #require(listening.split(separator: " ").first { $0.hasPrefix("http://") })
        server.base = String(address)
        server.operatorToken = String(try server.stdout.wait(for: "operator token: ").dropFirst("operator token: ".count))
        return server
    }

    func launch(_ repo: TemporaryRepository, _ arguments: [String], environment extra: [String: String]) throws {
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = repo.home
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["ZERO_SSE_HEARTBEAT_SECONDS"] = "1"
        environment["ZERO_WEBHOOK_BACKOFF_MS"] = "100"
        for (key, value) in extra { environment[key] = value }
        process.executableURL = URL(fileURLWithPath: Built.zero)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: repo.root)
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let lines = stdout, errors = stderr
        for (pipe, sink) in [(out, lines), (err, errors)] {
            pipe.fileHandleForReading.readabilityHandler = { handle in
                let data = handle.availableData
                // At the end the handler would be called again and again with nothing.
                if data.isEmpty { handle.readabilityHandler = nil } else { sink.feed(data) }
            }
        }
        try process.run()
    }

    /// SIGTERM, and the exit status once it stopped (nil: still running after `seconds`).
    @discardableResult
    func stop(seconds: Double = 10) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        process.terminate()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    // MARK: Requests

    struct Answer {
        var status: Int
        var json: Any?
        var headers: [String: String]
        var text: String

        subscript(_ keys: String...) -> Any? {
            var current = json
            for key in keys { current = (current as? [String: Any])?[key] }
            return current
        }

        var errorCode: String? { self["error", "code"] as? String }
    }

    /// One request; `token` goes in `Authorization: Bearer`.
    func call(_ method: String, _ path: String, _ body: Any? = nil, token: String? = nil, raw: String? = nil, headers: [String: String] = [:])
        throws -> Answer
    {
        var request = URLRequest(url: URL(string: base + path)!, timeoutInterval: 30)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let raw {
            request.httpBody = Data(raw.utf8)
        } else if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
        }
        if request.httpBody != nil { request.setValue("application/json", forHTTPHeaderField: "Content-Type") }
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try Self.send(request)
        let http = try #require(response as? HTTPURLResponse)
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers[String(describing: key).lowercased()] = String(describing: value) }
        return Answer(
            status: http.statusCode, json: try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]), headers: headers,
            text: String(decoding: data, as: UTF8.self))
    }

    /// As the operator.
    func asOperator(_ method: String, _ path: String, _ body: Any? = nil) throws -> Answer {
        try call(method, path, body, token: operatorToken)
    }

    /// One request, waited for on this thread (its completion runs on URLSession's own queue).
    static func send(_ request: URLRequest) throws -> (Data, URLResponse) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result: Result<(Data, URLResponse), any Error> = .failure(ServerFailure("no answer"))
        URLSession.shared.dataTask(with: request) { data, response, error in
            if let data, let response { result = .success((data, response)) } else { result = .failure(error ?? ServerFailure("no answer")) }
            done.signal()
        }.resume()
        done.wait()
        return try result.get()
    }
}

/// A real SSE client: a streaming URLSession task whose chunks are cut into events.
final class EventStream: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    struct Event: Sendable {
        var id: String?
        var data: String
        var json: [String: Any]? { try? JSONSerialization.jsonObject(with: Data(data.utf8)) as? [String: Any] }
        var type: String? { json?["event_type"] as? String }
        var payload: [String: Any]? { json?["payload"] as? [String: Any] }
    }

    private let state = Mutex<(buffer: String, events: [Event], heartbeats: Int, status: Int?, ended: Bool)>(("", [], 0, nil, false))
    private var session: URLSession!
    private var task: URLSessionDataTask!

    init(_ url: String, lastEventID: String? = nil, token: String? = nil) {
        super.init()
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 3_600
        session = URLSession(configuration: configuration, delegate: self, delegateQueue: nil)
        var request = URLRequest(url: URL(string: url)!)
        request.setValue("text/event-stream", forHTTPHeaderField: "Accept")
        if let lastEventID { request.setValue(lastEventID, forHTTPHeaderField: "Last-Event-ID") }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        task = session.dataTask(with: request)
        task.resume()
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void
    ) {
        state.withLock { $0.status = (response as? HTTPURLResponse)?.statusCode }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        state.withLock { state in
            state.buffer += String(decoding: data, as: UTF8.self)
            while let end = state.buffer.range(of: "\n\n") {
                let block = String(state.buffer[..<end.lowerBound])
                state.buffer = String(state.buffer[end.upperBound...])
                var id: String?
                var data: [String] = []
                var comment = false
                for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                    if line.hasPrefix("id: ") { id = String(line.dropFirst(4)) }
                    if line.hasPrefix("data: ") { data.append(String(line.dropFirst(6))) }
                    if line.hasPrefix(": heartbeat") { comment = true }
                }
                if comment { state.heartbeats += 1 }
                if !data.isEmpty { state.events.append(Event(id: id, data: data.joined(separator: "\n"))) }
            }
        }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        state.withLock { $0.ended = true }
    }

    var events: [Event] { state.withLock { $0.events } }
    var heartbeats: Int { state.withLock { $0.heartbeats } }
    var ended: Bool { state.withLock { $0.ended } }
    var status: Int? { state.withLock { $0.status } }

    /// Waits until `condition` holds for the events so far.
    @discardableResult
    func wait(seconds: Double = 20, _ what: String, until condition: ([Event]) -> Bool) throws -> [Event] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let now = events
            if condition(now) { return now }
            Thread.sleep(forTimeInterval: 0.02)
        }
        throw ServerFailure("the stream never showed \(what); it has \(events.map { $0.type ?? "?" })")
    }

    func close() {
        task.cancel()
        session.invalidateAndCancel()
    }
}
