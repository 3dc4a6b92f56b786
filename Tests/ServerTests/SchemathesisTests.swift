import Foundation
import Testing
import ZeroTestSupport

/// openapi.yaml is kept true by schemathesis (from PyPI) against the live
/// server: every operation, with generated inputs, must answer one of its
/// documented statuses and content types, with a body that fits its schema,
/// and never a 5xx. The streams are left out (they never end).
@Suite("OpenAPI document", .serialized)
struct SchemathesisTests {
    static var schemathesis: String {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path + "/.build/tools/venv/bin/st"
    }

    @Test("schemathesis finds nothing that disagrees with openapi.yaml, operator routes included", .temporaryRepository)
    func conformance() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.schemathesis),
            "schemathesis is missing: run 'scripts/install-deps.sh --test' (make test does)")
        let repo = try currentRepository()
        try repo.adopt()
        let server = try LiveServer.start(repo)
        defer { server.stop() }
        let result = try repo.run(
            [
                Self.schemathesis, "run", server.base + "/openapi.yaml", "--url", server.base,
                "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                "--exclude-path-regex", "stream|events", "-H", "Authorization: Bearer \(server.operatorToken)",
                "--max-examples", "15", "--seed", "20261124", "--no-color",
            ], environment: ["SCHEMATHESIS_HOOKS": ""])
        #expect(result.status == 0, "schemathesis found disagreements:\n\(result.stdout.suffix(6_000))\n\(result.stderr.suffix(2_000))")
        #expect(result.stdout.contains("passed"))
        #expect(server.stderr.all.allSatisfy { !$0.contains("Fatal") })
    }

    @Test("the route table is the document: every operation has a handler and is served under / and /api", .temporaryRepository)
    func everyOperationAnswers() throws {
        let repo = try currentRepository()
        try repo.adopt()
        let server = try LiveServer.start(repo)
        defer { server.stop() }
        let document = try server.call("GET", "/openapi.yaml").text
        // Each "operationId: x" line belongs to the method line above it.
        var operations: [(method: String, path: String)] = []
        var path = ""
        var method = ""
        for line in document.split(separator: "\n") {
            if line.hasPrefix("  /"), line.hasSuffix(":") { path = String(line.dropFirst(2).dropLast()) }
            for verb in ["get", "put", "post", "delete"] where line == "    \(verb):" { method = verb.uppercased() }
            if line.contains("operationId:") { operations.append((method, path)) }
        }
        #expect(operations.count >= 30)
        for (method, path) in operations where !path.contains("stream") && path != "/events" {
            let concrete = path.replacingOccurrences(of: "{id}", with: "ffffffff").replacingOccurrences(of: "{sid}", with: "1")
                .replacingOccurrences(of: "{pid}", with: "ffff").replacingOccurrences(of: "{wid}", with: "nope")
            for prefix in ["", "/api"] {
                let answer = try server.call(method, prefix + concrete, token: server.operatorToken, raw: method == "GET" || method == "DELETE" ? nil : "{}")
                // Not the router's 404 for an unknown path: a handler answered (its own 404 names the thing).
                let message = answer["error", "message"] as? String ?? ""
                #expect(!message.contains("Not Found"), "\(method) \(prefix)\(concrete) is not routed: \(answer.text)")
                #expect(answer.status < 500, "\(method) \(prefix)\(concrete) → \(answer.status) \(answer.text)")
            }
        }
    }
}
