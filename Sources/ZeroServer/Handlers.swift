import Hummingbird
import ZeroCore

typealias Handler = @Sendable (Call) async throws -> Response

/// One handler per `operationId` of openapi.yaml. Each is a thin face over
/// ZeroCore: it reads the request, calls the same function the command line
/// calls, and answers with the same JSON `--json` prints. No rule lives here.
enum Handlers {
    static let all: [String: Handler] = [
        // Cases
        "listCases": { call in
            var filter = CaseFilter()
            if let states = call.query["state"] { try filter.addStates(states.split(separator: ",").map(String.init)) }
            filter.tag = call.query["tag"]
            if let type = call.query["type"] { filter.type = try Bodies.choice(type, "case type") as CaseType }
            if let outcome = call.query["outcome"] { filter.outcome = try Bodies.choice(outcome, "outcome") as Outcome }
            let chosen = filter
            let view = try await call.run { try $0.caseList(chosen) }
            return try Reply.json(view)
        },
        "createCase": { call in
            let body = try Bodies.decode(NewCaseBody.self, call.body)
            var new = NewCase(title: body.title)
            if let type = body.type { new.type = try Bodies.choice(type, "case type") }
            if let priority = body.priority { new.priority = try Bodies.choice(priority, "priority") }
            new.tags = body.tags ?? []
            new.summary = body.summary
            new.dependsOn = body.dependsOn ?? []
            let request = new
            let meta = try await call.run { try $0.createCase(request) }
            return try Reply.json(meta, status: .created)
        },
        "getCase": { call in
            let id = try call.parameter("id")
            return try Reply.json(try await call.run { try $0.caseDetail(id) })
        },
        "editCase": { call in
            let id = try call.parameter("id")
            let body = try Bodies.decode(CaseEditBody.self, call.body)
            var edit = CaseEdit()
            edit.title = body.title
            if let type = body.type { edit.type = try Bodies.choice(type, "case type") }
            if let priority = body.priority { edit.priority = try Bodies.choice(priority, "priority") }
            edit.summary = body.summary
            edit.addTags = body.addTags ?? []
            edit.removeTags = body.removeTags ?? []
            edit.addDependencies = body.addDependsOn ?? []
            edit.removeDependencies = body.removeDependsOn ?? []
            let change = edit
            return try Reply.json(try await call.run { try $0.editCase(id, change) })
        },
        "deleteCase": { call in
            let id = try call.parameter("id")
            let cascade = call.query["cascade"] == "true"
            let deleted = try await call.run { try $0.deleteCase(id, confirmed: true, cascade: cascade).id }
            return try Reply.json(["deleted": deleted])
        },
        "setCaseState": { call in
            let id = try call.parameter("id")
            let body = try Bodies.decode(StateChangeBody.self, call.body)
            guard let target = CaseState(loose: body.state) else {
                throw ZeroError(.usage, "'\(body.state)' is not a case state", hint: "use one of \(CaseState.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let outcome: Outcome? = try body.outcome.map { try Bodies.choice($0, "outcome") }
            let meta = try await call.run { workspace -> CaseMeta in
                switch target {
                case .resolved, .nonIssue:
                    guard let outcome else {
                        throw ZeroError(.usage, "\(target.rawValue) needs an outcome", hint: "send {\"state\": \"\(target.rawValue)\", \"outcome\": \"...\"}")
                    }
                    return target == .resolved
                        ? try workspace.resolve(id, outcome: outcome, rootCause: body.rootCause, fix: body.fix)
                        : try workspace.markNonIssue(id, outcome: outcome, reason: body.reason)
                default:
                    return try workspace.forceState(id, to: target, reason: body.reason)
                }
            }
            return try Reply.json(meta)
        },

        // Sessions
        "listSessions": { call in
            let id = try call.parameter("id")
            return try Reply.json(try await call.run { try $0.sessionList(id) })
        },
        "createSession": { call in
            let id = try call.parameter("id")
            let body = try Bodies.decode(NewSessionBody.self, call.body)
            let type: SessionType = try Bodies.choice(body.type, "session type")
            let start = body.start ?? false
            let session = try await call.run { try $0.newSession(id, type: type, start: start) }
            return try Reply.json(session, status: .created)
        },
        "getSession": { call in
            let reference = try call.sessionReference()
            return try Reply.json(try await call.run { try $0.sessionDetail(reference) })
        },
        "submitPlan": { call in
            let reference = try call.sessionReference()
            let body = try Bodies.decode(PlanBody.self, call.body)
            var input = PlanInput()
            input.hypothesis = body.hypothesis
            input.steps = body.steps ?? []
            input.planText = body.plan
            input.scope = body.scope
            input.draft = body.draft ?? false
            let plan = input
            return try Reply.json(try await call.run { try $0.writePlan(reference, plan) })
        },
        "approveSession": { call in
            let reference = try call.sessionReference()
            let body = try Bodies.decode(ApprovalBody.self, call.body)
            return try Reply.json(try await call.run { try $0.approvePlan(reference, expectedHash: body.planHash) })
        },
        "rejectSession": { call in
            let reference = try call.sessionReference()
            let body = try Bodies.decode(ReasonBody.self, call.body)
            return try Reply.json(try await call.run { try $0.rejectPlan(reference, reason: body.reason).meta })
        },
        "startSession": { call in
            let reference = try call.sessionReference()
            return try Reply.json(try await call.run { try $0.startSession(reference) })
        },
        "reportProgress": { call in
            let reference = try call.sessionReference()
            let body = try Bodies.decode(ProgressBody.self, call.body)
            var input = ProgressInput()
            input.doneSteps = body.stepsDone ?? []
            input.files = (body.files ?? []).map { ($0.action, $0.path) }
            input.discoveries = body.discoveries ?? []
            input.note = body.note
            let progress = input
            return try Reply.json(try await call.run { try $0.reportProgress(reference, progress) })
        },
        "writeOutput": { call in
            let reference = try call.sessionReference()
            let body = try Bodies.decode(OutputBody.self, call.body)
            return try Reply.json(try await call.run { try $0.writeOutput(reference, text: body.text) })
        },
        "pauseSession": { call in
            let reference = try call.sessionReference()
            return try Reply.json(try await call.run { try $0.pauseSession(reference) })
        },
        "resumeSession": { call in
            let reference = try call.sessionReference()
            return try Reply.json(try await call.run { try $0.resumeSession(reference) })
        },
        "completeSession": { call in
            let reference = try call.sessionReference()
            let body = try Bodies.decode(CompletionBody.self, call.body)
            return try Reply.json(try await call.run { try $0.completeSession(reference, output: body.output) })
        },
        "failSession": { call in
            let reference = try call.sessionReference()
            let body = try Bodies.decode(ReasonBody.self, call.body)
            return try Reply.json(try await call.run { try $0.endSession(reference, as: .failed, reason: body.reason) })
        },
        "abandonSession": { call in
            let reference = try call.sessionReference()
            let body = try Bodies.decode(ReasonBody.self, call.body)
            return try Reply.json(try await call.run { try $0.endSession(reference, as: .abandoned, reason: body.reason) })
        },
        "acceptSession": { call in
            let reference = try call.sessionReference()
            return try Reply.json(try await call.run { try $0.acceptSession(reference) })
        },
        "streamSession": { call in try await Streams.session(call) },

        // Proofs
        "listProofs": { call in
            let id = try call.parameter("id")
            return try Reply.json(try await call.run { try $0.proofList(id) })
        },
        "attachProof": { call in
            let id = try call.parameter("id")
            let body = try Bodies.decode(NewProofBody.self, call.body)
            var input = ProofInput(type: try Bodies.choice(body.type, "proof type"))
            input.note = body.text
            input.summary = body.summary
            let proof = input
            return try Reply.json(try await call.run { try $0.addProof(id, proof) }, status: .created)
        },
        "verifyProof": { call in
            let id = try call.parameter("id")
            let proofID = try call.parameter("pid")
            let body = try Bodies.decode(VerificationBody.self, call.body)
            return try Reply.json(try await call.run { try $0.verifyProof(id, proofID, acceptFailing: body.acceptFailing) })
        },

        // Tickets and specifications
        "readyTickets": { call in
            let spec = call.query["spec"]
            var limit: Int?
            if let text = call.query["limit"] {
                guard let value = Int(text), value >= 0 else { throw ZeroError(.usage, "limit must be a whole number, not '\(text)'") }
                limit = value
            }
            let cut = limit
            return try Reply.json(try await call.run { try $0.ticketListing(spec: spec, statuses: [.ready]).ready(limit: cut) })
        },
        "blockedTickets": { call in
            let spec = call.query["spec"]
            return try Reply.json(try await call.run { try $0.ticketListing(spec: spec, statuses: [.pending]).blocked() })
        },
        "getSpec": { call in
            let id = try call.parameter("id")
            return try Reply.json(try await call.run { try $0.specView(id) })
        },

        // Events, webhooks, the document
        "streamEvents": { call in try await Streams.workspace(call) },
        "listWebhooks": { call in try Reply.json(call.server.webhooks.list()) },
        "createWebhook": { call in
            let body = try Bodies.decode(NewWebhookBody.self, call.body)
            return try Reply.json(try call.server.webhooks.register(url: body.url, events: body.events ?? []), status: .created)
        },
        "deleteWebhook": { call in
            let id = try call.parameter("wid")
            try call.server.webhooks.remove(id)
            return try Reply.json(["deleted": id])
        },
        "listDeliveries": { call in
            let id = try call.parameter("wid")
            return try Reply.json(try call.server.webhooks.deliveries(id))
        },
        "getOpenAPI": { call in
            Response(
                status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: call.server.routes.document)))
        },
    ]
}
