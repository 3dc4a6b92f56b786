import Yams

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A SpecForge document (`.sf.json`, `.sf.yaml`, `.sf.yml`): specifications
/// split into epics, epics into tickets, tickets linked by dependencies. What
/// `zero spec import` reads, checked whole before anything is written.
///
/// Field names are read leniently: case, `_` and `-` do not count
/// (`filesToCreate`, `files_to_create`), and the usual aliases are taken
/// (`title` or `name`, `objective` or `description`). Fields Zero has no place
/// for (status, complexity, test specifications, blueprints) are ignored.
public struct SpecForgeDocument: Sendable, Equatable {
    public enum Format: String, Sendable { case json, yaml }

    public struct Specification: Sendable, Equatable {
        /// The SpecForge id: what a second import of the file matches on.
        public var id: String
        public var title: String
        public var description = ""
        public var goals = ""
        public var requirements = ""
        public var patterns = ""
        public var epics: [Epic] = []
        /// Tickets listed beside the epics rather than in one.
        public var tickets: [Ticket] = []
        /// Where it stands in the file, e.g. `specifications[0]`.
        public var path: String
    }

    public struct Epic: Sendable, Equatable {
        public var id: String
        public var title: String
        public var objective = ""
        public var acceptanceCriteria: [String] = []
        public var order: Int?
        public var tickets: [Ticket] = []
        public var path: String
    }

    public struct Ticket: Sendable, Equatable {
        public var id: String
        public var title: String
        public var description = ""
        public var priority = Priority.medium
        public var steps: [String] = []
        public var acceptanceCriteria: [String] = []
        /// `implementation.filesToCreate` as create, `filesToModify` as modify,
        /// `filesToDelete` as delete, `codeReferences` as reference.
        public var files: [TicketWork.FileExpectation] = []
        /// The SpecForge ids of the tickets this one waits for, with `blocks`
        /// declared on the other side already turned around.
        public var dependsOn: [String] = []
        public var estimateHours: Double?
        public var path: String
    }

    public var specifications: [Specification]

    /// Every ticket of the file, in file order.
    public var tickets: [Ticket] { specifications.flatMap { $0.epics.flatMap(\.tickets) + $0.tickets } }

    /// The format a file name says: `.json` or `.yaml`/`.yml` (so `.sf.json`, `.sf.yaml`).
    public static func format(ofFile name: String) -> Format? {
        let name = name.lowercased()
        if name.hasSuffix(".json") { return .json }
        if name.hasSuffix(".yaml") || name.hasSuffix(".yml") { return .yaml }
        return nil
    }

    /// Reads and checks a whole document; `file` names it in errors. The
    /// format comes from the file name, else from the text (`{` starts JSON).
    /// Anything wrong is `malformed` (exit 65), naming the place in the
    /// document (`specifications[0].epics[1].tickets[2].title`) and, where the
    /// text can be mapped, its line; every problem found is listed.
    public static func decode(_ text: String, format given: Format? = nil, file: String) throws -> SpecForgeDocument {
        let format = given ?? Self.format(ofFile: file) ?? (text.first(where: { !$0.isWhitespace }) == "{" ? .json : .yaml)
        var locator = LineLocator(text: text)
        let raw: RawDocument
        do {
            switch format {
            case .json:
                raw = try JSONDecoder().decode(RawDocument.self, from: Data(text.utf8))
            case .yaml:
                let node: Node?
                do {
                    node = try Yams.compose(yaml: text)
                } catch let error as YamlError {
                    var problem = HeaderParser.yamlError(error, firstLine: 1, file: file)
                    problem.hint = Self.hint
                    throw problem
                }
                guard let node else { throw ZeroError.malformed("the document is empty", file: file, hint: Self.hint) }
                locator.tree = node
                raw = try YAMLDecoder().decode(RawDocument.self, from: node)
            }
        } catch let error as DecodingError {
            throw Self.problem(error, format: format, file: file, locator: &locator)
        }
        var checker = Checker()
        let document = checker.check(raw)
        if let first = checker.problems.first {
            let rest = checker.problems.dropFirst().prefix(5).map { problem in
                "\(problem.message)" + (locator.line(of: problem.path).map { " (line \($0))" } ?? "")
            }
            let more = checker.problems.count - 1
            throw ZeroError(
                .malformed, first.message,
                hint: more == 0
                    ? Self.hint
                    : Self.hint + ". \(more) more problem\(more == 1 ? "" : "s"): " + rest.joined(separator: "; ") + (more > rest.count ? "; …" : ""),
                file: file, line: locator.line(of: first.path))
        }
        return document
    }

    static let hint = "fix the file and import it again; nothing was written"

    private static func problem(_ error: DecodingError, format: Format, file: String, locator: inout LineLocator) -> ZeroError {
        let context: DecodingError.Context
        let message: String
        switch error {
        case .typeMismatch(let type, let found), .valueNotFound(let type, let found):
            context = found
            let wanted = String(describing: type)
            message =
                found.codingPath.isEmpty
                ? "must be a mapping with 'specifications' (or one specification's fields) at the top"
                : ["Array", "Sequence"].contains(where: wanted.contains)
                    ? "must be a list"
                    : ["Dictionary", "Mapping", "Keyed"].contains(where: wanted.contains)
                        ? "must be a mapping of keys to values"
                        : "must be a text or a number"
        case .keyNotFound(let key, let found):
            context = found
            message = "'\(key.stringValue)' is missing"
        case .dataCorrupted(let found):
            context = found
            guard !found.codingPath.isEmpty else {
                // JSONDecoder says no more than that; the YAML reader (JSON is YAML) says where.
                var line: Int?
                do { _ = try Yams.compose(yaml: locator.text) } catch let error as YamlError { line = HeaderParser.yamlError(error, firstLine: 1, file: file).line } catch {}
                let detail = found.underlyingError.map { "\($0)" } ?? found.debugDescription
                return ZeroError.malformed("not valid \(format == .json ? "JSON" : "YAML"): \(detail)", file: file, line: line, hint: hint)
            }
            message = found.debugDescription
        @unknown default:
            return ZeroError.malformed("cannot be read: \(error)", file: file, hint: hint)
        }
        let path = PathStep.path(context.codingPath)
        return ZeroError.malformed((path.isEmpty ? "the document" : PathStep.text(path) + ":") + " " + message, file: file, line: locator.line(of: path), hint: hint)
    }
}

// MARK: - Places in the document

/// One step of a place in the document: a key of a mapping or an index in a list.
enum PathStep: Equatable, Sendable {
    case key(String)
    case index(Int)

    /// A decoder's coding path as steps (JSONDecoder and Yams both name list
    /// items "Index n" with the number as the key's integer value).
    static func path(_ codingPath: [any CodingKey]) -> [PathStep] {
        codingPath.map { key in
            if let index = key.intValue, key.stringValue.hasPrefix("Index ") { return .index(index) }
            return .key(key.stringValue)
        }
    }

    /// `specifications[0].epics[1].title`.
    static func text(_ path: [PathStep]) -> String {
        var out = ""
        for step in path {
            switch step {
            case .key(let key): out += (out.isEmpty ? "" : ".") + key
            case .index(let index): out += "[\(index)]"
            }
        }
        return out
    }
}

/// Finds the line of a place in the document, through Yams's node tree (JSON
/// is read as the YAML it also is); composed only when an error needs a line.
struct LineLocator {
    let text: String
    var tree: Node?
    private var composed = false

    init(text: String) { self.text = text }

    /// The line of the deepest node along `path` that exists.
    mutating func line(of path: [PathStep]) -> Int? {
        if tree == nil, !composed {
            composed = true
            tree = try? Yams.compose(yaml: text)
        }
        guard var node = tree else { return nil }
        for step in path {
            let next: Node?
            switch (step, node) {
            case (.key(let key), .mapping(let mapping)): next = mapping[key]
            case (.index(let index), .sequence(let sequence)): next = index < sequence.count ? sequence[index] : nil
            default: next = nil
            }
            guard let next else { break }
            node = next
        }
        return node.mark?.line
    }
}

// MARK: - Reading, leniently

/// A coding key made from any name.
struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}

/// The keys of one mapping, found by name whatever their case, `_` and `-`.
struct LooseKeys {
    let container: KeyedDecodingContainer<AnyKey>
    private let byName: [String: AnyKey]

    init(_ decoder: any Decoder) throws {
        container = try decoder.container(keyedBy: AnyKey.self)
        var names: [String: AnyKey] = [:]
        for key in container.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) where names[Self.normal(key.stringValue)] == nil {
            names[Self.normal(key.stringValue)] = key
        }
        byName = names
    }

    static func normal(_ name: String) -> String { String(name.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " }) }

    func has(_ names: String...) -> Bool { names.contains { byName[Self.normal($0)] != nil } }

    /// The value of the first of `names` that is present and not null.
    func value<T: Decodable>(_ names: String...) throws -> T? {
        for name in names {
            guard let key = byName[Self.normal(name)], let value = try container.decodeIfPresent(T.self, forKey: key) else { continue }
            return value
        }
        return nil
    }
}

/// Any value, for the fields whose shape varies between writers: text, a
/// list of texts, a list of objects with a title and a description.
indirect enum Loose: Decodable, Equatable {
    case null
    case scalar(String)
    case list([Loose])
    case map([String: Loose])

    init(from decoder: any Decoder) throws {
        if let container = try? decoder.container(keyedBy: AnyKey.self) {
            var map: [String: Loose] = [:]
            for key in container.allKeys { map[key.stringValue] = try container.decode(Loose.self, forKey: key) }
            self = .map(map)
        } else if var container = try? decoder.unkeyedContainer() {
            var list: [Loose] = []
            while !container.isAtEnd { list.append(try container.decode(Loose.self)) }
            self = .list(list)
        } else {
            let single = try decoder.singleValueContainer()
            if single.decodeNil() {
                self = .null
            } else if let text = try? single.decode(String.self) {
                self = .scalar(text)
            } else if let number = try? single.decode(Int.self) {
                self = .scalar(String(number))
            } else if let number = try? single.decode(Double.self) {
                self = .scalar(String(number))
            } else {
                self = .scalar(String(try single.decode(Bool.self)))
            }
        }
    }

    /// The text of a scalar, trimmed; nil for anything else or an empty text.
    var scalar: String? {
        guard case .scalar(let text) = self else { return nil }
        let trimmed = text.trimming(" \t\r\n")
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A value of a mapping, by any of `names` (leniently, as `LooseKeys`).
    func field(_ names: String...) -> Loose? {
        guard case .map(let map) = self else { return nil }
        let keys = map.keys.sorted()
        for name in names {
            guard let key = keys.first(where: { LooseKeys.normal($0) == LooseKeys.normal(name) }), let found = map[key], found != .null else { continue }
            return found
        }
        return nil
    }

    /// One line for a list item: a text, or an object's title and description.
    var line: String {
        switch self {
        case .null: ""
        case .scalar(let text): Self.oneLine(text)
        case .list(let items): items.map(\.line).filter { !$0.isEmpty }.joined(separator: "; ")
        case .map:
            [field("title", "name", "id")?.line, field("description", "text", "content", "criterion", "step", "value", "path")?.line]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
        }
    }

    /// The items of a list (one per line of a text that holds several).
    var items: [String] {
        switch self {
        case .null: []
        case .scalar(let text):
            text.split(separator: "\n").compactMap { raw in
                let line = String(raw).trimming(" \t\r")
                return line.isEmpty ? nil : (PlanDocument.listItem(line) ?? line)
            }
        case .list(let items): items.map(\.line).filter { !$0.isEmpty }
        case .map: [line].filter { !$0.isEmpty }
        }
    }

    /// Free text: a text as written, a list as `- ` items (an object's rules
    /// or items indented under it), a mapping as `- key: value` items.
    var text: String {
        switch self {
        case .null: return ""
        case .scalar(let text): return text.trimming(" \t\r\n")
        case .list(let items):
            return items.map { item in
                var entry = "- " + item.line
                for rule in (item.field("rules", "items", "criteria")?.items ?? []) { entry += "\n  - " + rule }
                return entry
            }.joined(separator: "\n")
        case .map(let map):
            if field("title", "name") != nil || field("description", "text") != nil { return Loose.list([self]).text }
            return map.keys.sorted().compactMap { key in
                let value = map[key]?.line ?? ""
                return value.isEmpty ? nil : "- \(key): \(value)"
            }.joined(separator: "\n")
        }
    }

    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.trimming(" \t") }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

extension Substring {
    fileprivate func trimming(_ set: String) -> String { String(self).trimming(set) }
}

struct RawDocument: Decodable {
    var specifications: [RawSpecification]

    init(from decoder: any Decoder) throws {
        let keys = try LooseKeys(decoder)
        if let list: [RawSpecification] = try keys.value("specifications", "specs") {
            specifications = list
        } else if let one: RawSpecification = try keys.value("specification", "spec") {
            specifications = [one]
        } else if keys.has("epics", "tickets") {
            // The document is one specification.
            specifications = [try RawSpecification(from: decoder)]
        } else {
            specifications = []
        }
    }
}

struct RawSpecification: Decodable {
    var path: [PathStep]
    var id, title: Loose?
    var description, content, goals, requirements, patterns: Loose?
    var epics: [RawEpic]
    var tickets: [RawTicket]

    init(from decoder: any Decoder) throws {
        path = PathStep.path(decoder.codingPath)
        let keys = try LooseKeys(decoder)
        id = try keys.value("id", "specId", "key")
        title = try keys.value("title", "name")
        description = try keys.value("description", "summary", "overview")
        content = try keys.value("content", "body", "background")
        goals = try keys.value("goals", "objectives")
        requirements = try keys.value("requirements", "functionalRequirements")
        patterns = try keys.value("patterns", "conventions")
        epics = try keys.value("epics") ?? []
        tickets = try keys.value("tickets") ?? []
    }
}

struct RawEpic: Decodable {
    var path: [PathStep]
    var id, title, objective, acceptance, order: Loose?
    var tickets: [RawTicket]

    init(from decoder: any Decoder) throws {
        path = PathStep.path(decoder.codingPath)
        let keys = try LooseKeys(decoder)
        id = try keys.value("id", "epicId", "key")
        title = try keys.value("title", "name")
        objective = try keys.value("objective", "description", "goal", "summary")
        acceptance = try keys.value("acceptanceCriteria", "acceptance", "criteria")
        order = try keys.value("order", "epicNumber", "number")
        tickets = try keys.value("tickets", "stories", "tasks") ?? []
    }
}

struct RawTicket: Decodable {
    var path: [PathStep]
    var id, title, description, priority, estimate, steps, acceptance: Loose?
    /// (action, paths) in the order `## Files` lists them.
    var files: [(action: String, paths: Loose)] = []
    var dependencies: [RawDependency]
    var dependsOn, blocks: Loose?

    init(from decoder: any Decoder) throws {
        path = PathStep.path(decoder.codingPath)
        let keys = try LooseKeys(decoder)
        id = try keys.value("id", "ticketId", "key")
        title = try keys.value("title", "name", "summary")
        description = try keys.value("description", "details", "body")
        priority = try keys.value("priority")
        estimate = try keys.value("estimatedHours", "estimateHours", "hours", "estimate")
        acceptance = try keys.value("acceptanceCriteria", "acceptance", "criteria")
        let implementation: Loose? = try keys.value("implementation")
        steps = try implementation?.field("steps") ?? keys.value("steps")
        for (action, names) in [
            ("create", ["filesToCreate", "create"]), ("modify", ["filesToModify", "filesToEdit", "modify"]),
            ("delete", ["filesToDelete", "delete"]), ("reference", ["filesToReference", "filesToRead"]),
        ] {
            var found: Loose?
            for name in names where found == nil {
                found = implementation?.field(name)
                if found == nil, name.hasPrefix("files") { found = try keys.value(name) }
            }
            if let found { files.append((action, found)) }
        }
        if let references: Loose = try keys.value("codeReferences") { files.append(("reference", references)) }
        dependencies = try keys.value("dependencies") ?? []
        dependsOn = try keys.value("dependsOn", "blockedBy")
        blocks = try keys.value("blocks")
    }
}

/// `{dependsOnId, type}` (SpecForge's own shape), `{ticketId|targetId|id, type}`, or a bare id.
struct RawDependency: Decodable {
    var path: [PathStep]
    /// `dependsOnId`: the ticket this one waits for, whatever the type says.
    var dependsOn: String?
    /// `ticketId`, `targetId` or `id`: the other ticket, the type says which way.
    var target: String?
    var type: String?

    init(from decoder: any Decoder) throws {
        path = PathStep.path(decoder.codingPath)
        if let keys = try? LooseKeys(decoder) {
            dependsOn = (try keys.value("dependsOnId", "dependsOn") as Loose?)?.scalar
            target = (try keys.value("ticketId", "targetId", "target", "id", "ticket") as Loose?)?.scalar
            type = (try keys.value("type", "kind", "relation") as Loose?)?.scalar
        } else {
            target = try decoder.singleValueContainer().decode(Loose.self).scalar
        }
    }
}

// MARK: - Checking the whole

/// Turns the raw document into the checked one, collecting every problem.
struct Checker {
    struct Problem {
        var message: String
        var path: [PathStep]
    }

    var problems: [Problem] = []

    mutating func fail(_ path: [PathStep], _ message: String) {
        problems.append(Problem(message: (path.isEmpty ? "" : PathStep.text(path) + ": ") + message, path: path))
    }

    /// A required one-line text (an id or a title).
    mutating func line(_ value: Loose?, _ name: String, at path: [PathStep]) -> String {
        guard let value, value != .null else {
            fail(path, "'\(name)' is missing")
            return ""
        }
        guard let text = value.scalar else {
            if case .scalar = value { fail(path + [.key(name)], "'\(name)' is empty") } else { fail(path + [.key(name)], "'\(name)' must be a text") }
            return ""
        }
        guard !text.contains(where: { $0 == "\n" || $0 == "\r" }) else {
            fail(path + [.key(name)], "'\(name)' must be one line")
            return ""
        }
        return text
    }

    /// Notes where `id` is first used; a second use is a problem.
    mutating func claim(_ id: String, _ what: String, at path: [PathStep], in seen: inout [String: [PathStep]]) {
        guard !id.isEmpty else { return }
        if let first = seen[id] {
            fail(path, "\(what) id '\(id)' is used twice: here and at \(PathStep.text(first))")
        } else {
            seen[id] = path
        }
    }

    static func priority(_ text: String) -> Priority? {
        switch text.lowercased() {
        case "critical", "urgent", "highest", "blocker", "high", "p0", "p1": .high
        case "medium", "normal", "moderate", "p2": .medium
        case "low", "lowest", "minor", "trivial", "p3", "p4": .low
        default: nil
        }
    }

    mutating func check(_ raw: RawDocument) -> SpecForgeDocument {
        if raw.specifications.isEmpty {
            fail([], "the document holds no specification: give 'specifications' (a list), 'specification', or 'epics' at the top")
        }
        var specIDs: [String: [PathStep]] = [:]
        var epicIDs: [String: [PathStep]] = [:]
        var ticketIDs: [String: [PathStep]] = [:]
        var rawTickets: [(ticket: RawTicket, id: String)] = []
        var specifications: [SpecForgeDocument.Specification] = []

        for rawSpec in raw.specifications {
            let id = line(rawSpec.id, "id", at: rawSpec.path)
            claim(id, "specification", at: rawSpec.path, in: &specIDs)
            var spec = SpecForgeDocument.Specification(id: id, title: line(rawSpec.title, "title", at: rawSpec.path), path: PathStep.text(rawSpec.path))
            spec.description = [rawSpec.description?.text, rawSpec.content?.text].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "\n\n")
            spec.goals = rawSpec.goals?.text ?? ""
            spec.requirements = rawSpec.requirements?.text ?? ""
            spec.patterns = rawSpec.patterns?.text ?? ""
            if rawSpec.epics.count > 99 { fail(rawSpec.path + [.key("epics")], "a specification holds at most 99 epics, not \(rawSpec.epics.count)") }
            for rawEpic in rawSpec.epics {
                let epicID = line(rawEpic.id, "id", at: rawEpic.path)
                claim(epicID, "epic", at: rawEpic.path, in: &epicIDs)
                var epic = SpecForgeDocument.Epic(id: epicID, title: line(rawEpic.title, "title", at: rawEpic.path), path: PathStep.text(rawEpic.path))
                epic.objective = rawEpic.objective?.text ?? ""
                epic.acceptanceCriteria = rawEpic.acceptance?.items ?? []
                if let order = rawEpic.order {
                    if let number = order.scalar.flatMap({ Int($0) }) {
                        epic.order = number
                    } else {
                        fail(rawEpic.path + [.key("order")], "'order' must be a whole number")
                    }
                }
                epic.tickets = rawEpic.tickets.map { ticket($0, &ticketIDs, &rawTickets) }
                spec.epics.append(epic)
            }
            spec.tickets = rawSpec.tickets.map { ticket($0, &ticketIDs, &rawTickets) }
            specifications.append(spec)
        }

        // Dependencies, both ways, once every id is known.
        var dependsOn: [String: [String]] = [:]
        for (rawTicket, id) in rawTickets where !id.isEmpty {
            func edge(_ from: String, _ to: String, _ path: [PathStep]) {
                guard ticketIDs[to] != nil else {
                    fail(path, "ticket '\(id)' names '\(to)', which is no ticket of the file")
                    return
                }
                guard from != to else {
                    fail(path, "ticket '\(id)' depends on itself")
                    return
                }
                if !(dependsOn[from] ?? []).contains(to) { dependsOn[from, default: []].append(to) }
            }
            for dependency in rawTicket.dependencies {
                if let other = dependency.dependsOn {
                    edge(id, other, dependency.path)
                    continue
                }
                guard let other = dependency.target else {
                    fail(dependency.path, "a dependency needs 'dependsOnId', 'ticketId' or 'targetId'")
                    continue
                }
                switch LooseKeys.normal(dependency.type ?? "requires") {
                case "requires", "dependson", "depends", "after", "blockedby": edge(id, other, dependency.path)
                case "blocks", "before": edge(other, id, dependency.path)
                default:
                    fail(dependency.path + [.key("type")], "the type '\(dependency.type ?? "")' is neither 'blocks' nor 'requires'")
                }
            }
            for (offset, other) in (rawTicket.dependsOn?.items ?? []).enumerated() {
                edge(id, other, rawTicket.path + [.key("dependsOn"), .index(offset)])
            }
            for (offset, other) in (rawTicket.blocks?.items ?? []).enumerated() {
                edge(other, id, rawTicket.path + [.key("blocks"), .index(offset)])
            }
        }
        if let cycle = TicketGraph.cycle(in: dependsOn) {
            fail(ticketIDs[cycle[0]] ?? [], "the dependencies form a cycle: " + cycle.joined(separator: " → "))
        }
        for specIndex in specifications.indices {
            for epicIndex in specifications[specIndex].epics.indices {
                for index in specifications[specIndex].epics[epicIndex].tickets.indices {
                    let id = specifications[specIndex].epics[epicIndex].tickets[index].id
                    specifications[specIndex].epics[epicIndex].tickets[index].dependsOn = dependsOn[id] ?? []
                }
            }
            for index in specifications[specIndex].tickets.indices {
                specifications[specIndex].tickets[index].dependsOn = dependsOn[specifications[specIndex].tickets[index].id] ?? []
            }
        }
        return SpecForgeDocument(specifications: specifications)
    }

    private mutating func ticket(
        _ raw: RawTicket, _ seen: inout [String: [PathStep]], _ all: inout [(ticket: RawTicket, id: String)]
    ) -> SpecForgeDocument.Ticket {
        let id = line(raw.id, "id", at: raw.path)
        claim(id, "ticket", at: raw.path, in: &seen)
        all.append((raw, id))
        var ticket = SpecForgeDocument.Ticket(id: id, title: line(raw.title, "title", at: raw.path), path: PathStep.text(raw.path))
        ticket.description = raw.description?.text ?? ""
        if let priority = raw.priority {
            if let text = priority.scalar, let level = Self.priority(text) {
                ticket.priority = level
            } else {
                fail(raw.path + [.key("priority")], "the priority '\(priority.line)' is none of critical, high, medium, low")
            }
        }
        if let estimate = raw.estimate, let text = estimate.scalar {
            // A size (S, M, L) is not hours: only numbers are kept.
            if let hours = Double(text) {
                if hours >= 0, hours.isFinite { ticket.estimateHours = hours } else { fail(raw.path + [.key("estimatedHours")], "the estimate must be hours ≥ 0") }
            }
        }
        ticket.steps = raw.steps?.items ?? []
        ticket.acceptanceCriteria = raw.acceptance?.items ?? []
        for (action, paths) in raw.files {
            let list: [Loose] =
                switch paths {
                case .list(let items): items
                case .null: []
                default: [paths]
                }
            for item in list {
                let path = (item.field("path", "file", "filePath") ?? item).line
                if path.isEmpty { continue }
                ticket.files.append(TicketWork.FileExpectation(action: action, path: path))
            }
        }
        return ticket
    }
}
