#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Case ids are lower-case UUID v4; users may type any unique prefix of 4+ characters.
public enum CaseID {
    public static func generate() -> String { UUID().uuidString.lowercased() }

    /// Whether `text` is a full, lower-case UUID.
    public static func isValid(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 36 else { return false }
        for (index, byte) in bytes.enumerated() {
            if [8, 13, 18, 23].contains(index) {
                if byte != UInt8(ascii: "-") { return false }
            } else if !isLowerHex(byte) {
                return false
            }
        }
        return true
    }

    /// Rejects anything that is not a plausible id prefix before it touches a path.
    public static func validateReference(_ text: String, what: String = "case id") throws {
        if text.contains("/") || text.contains("..") || text.contains("\\") || text.contains("\0") {
            throw ZeroError(
                .usage, "'\(text)' is not a valid \(what): it must not contain '/' or '..'",
                hint: "use the case's id or a unique prefix of it, as 'zero case list' shows")
        }
        let lowered = text.lowercased()
        guard !lowered.isEmpty, lowered.utf8.allSatisfy({ isLowerHex($0) || $0 == UInt8(ascii: "-") }) else {
            throw ZeroError(
                .usage, "'\(text)' is not a valid \(what): ids are hexadecimal UUIDs",
                hint: "use the case's id or a unique prefix of it, as 'zero case list' shows")
        }
        guard lowered.count >= 4 else {
            throw ZeroError(
                .usage, "'\(text)' is too short; give at least 4 characters of the \(what)",
                hint: "'zero case list' shows the ids")
        }
    }

    static func isLowerHex(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 97 && byte <= 102)
    }
}
