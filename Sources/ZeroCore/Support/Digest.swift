import Crypto

/// SHA-256 digests as lower-case hex, the form stored in memory files.
public enum Digest {
    public static func sha256(_ text: String) -> String { sha256(Array(text.utf8)) }

    public static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).withUnsafeBytes { hex($0) }
    }

    /// Any bytes (a digest, an HMAC, a random key) as lower-case hex.
    public static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 2 * bytes.count) { hex in
            for (index, byte) in bytes.enumerated() {
                hex[2 * index] = digits[Int(byte >> 4)]
                hex[2 * index + 1] = digits[Int(byte & 0x0f)]
            }
            return 2 * bytes.count
        }
    }
}
