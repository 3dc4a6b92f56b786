/// How a memory file's bytes become text: strictly. A file that is not
/// valid UTF-8 would come back changed from a rewrite (each bad byte as
/// U+FFFD), so it is refused instead, with the line of the first bad byte.
public enum MemoryText {
    /// UTF-8 text, or a malformed-file error at the line of the first invalid byte.
    public static func decode(_ bytes: [UInt8], file: String) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        scan: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar): offset += scalar.count
            case .error, .emptyInput: break scan
            }
        }
        let line = bytes[..<min(offset, bytes.count)].reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
        throw ZeroError.malformed("not valid UTF-8 (byte \(offset + 1)); zero would have to change it to rewrite the file", file: file, line: line)
    }

    /// The decoded text, or nil when the bytes are not UTF-8 (for readers that
    /// treat any unreadable file as absent and judge it elsewhere).
    public static func decodeIfValid(_ bytes: [UInt8]) -> String? {
        String(validating: bytes, as: UTF8.self)
    }

    /// Zero ends every file it writes with a line break; a file that stops
    /// inside a line was cut off (a full disk, a tool killed mid-copy).
    public static func requireWholeLines(_ text: String, file: String) throws {
        guard !text.isEmpty, text.utf8.last != 0x0A else { return }
        throw ZeroError.malformed(
            "the file ends in the middle of a line: it looks cut off", file: file,
            line: text.utf8.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 })
    }
}
