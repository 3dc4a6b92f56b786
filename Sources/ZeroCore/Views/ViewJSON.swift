#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one JSON form of every view: what `--json` prints, what MCP tools
/// return and the HTTP API serves. Keys sorted (stable for diffs and
/// scripts), indented, slashes left as they are (paths stay readable).
public enum ViewJSON {
    public static func encode(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
