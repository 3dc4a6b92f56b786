/// Byte-level helpers for the memory-file readers. Headers and section lines
/// are structured by ASCII characters, so scanning UTF-8 bytes is exact and
/// avoids grapheme breaking (and Foundation's `range(of:)`, which the plain
/// `contains` resolves to once Foundation is imported anywhere in the module).
/// See `FastHeader` and `ByteText` for the readers that use them.
enum ByteScanning {
    static let space: UInt8 = 0x20, tab: UInt8 = 0x09, newline: UInt8 = 0x0A, carriageReturn: UInt8 = 0x0D
    static let colon: UInt8 = 0x3A, hash: UInt8 = 0x23, dash: UInt8 = 0x2D, comma: UInt8 = 0x2C
    static let singleQuote: UInt8 = 0x27, doubleQuote: UInt8 = 0x22, backslash: UInt8 = 0x5C
    static let openBracket: UInt8 = 0x5B, closeBracket: UInt8 = 0x5D, openBrace: UInt8 = 0x7B, closeBrace: UInt8 = 0x7D

    /// `text` without leading spaces and tabs and trailing spaces, tabs and `\r`.
    static func trimmed(_ text: Substring) -> Substring {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, utf8[start] == space || utf8[start] == tab { start = utf8.index(after: start) }
        while end > start {
            let before = utf8.index(before: end)
            let byte = utf8[before]
            guard byte == space || byte == tab || byte == carriageReturn else { break }
            end = before
        }
        return text[start..<end]
    }

    /// Characters that may not start a plain YAML scalar.
    static func isIndicator(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x2D, 0x3F, 0x3A, 0x2C, 0x5B, 0x5D, 0x7B, 0x7D, 0x23, 0x26, 0x2A, 0x21, 0x7C, 0x3E, 0x27, 0x22, 0x25, 0x40, 0x60:
            true // - ? : , [ ] { } # & * ! | > ' " % @ `
        default:
            false
        }
    }

    static func isFlowIndicator(_ byte: UInt8) -> Bool {
        byte == comma || byte == openBracket || byte == closeBracket || byte == openBrace || byte == closeBrace
    }
}
