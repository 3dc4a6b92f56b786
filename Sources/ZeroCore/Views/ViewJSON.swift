#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one JSON form of every view: what `--json` prints, what MCP tools
/// return and the HTTP API serves. Keys sorted (stable for diffs and
/// scripts), slashes left as they are (paths stay readable); indented for
/// people and agents, on one line for HTTP bodies and SSE `data:`.
public enum ViewJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try data(value), as: UTF8.self)
    }

    public static func data(_ value: some Encodable, indented: Bool = true) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = indented ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }
}
