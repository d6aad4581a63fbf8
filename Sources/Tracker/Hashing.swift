import Crypto
import Foundation

/// Lowercase hexadecimal SHA-256 of `bytes` (64 characters).
public func sha256Hex<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
    SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
}

/// Lowercase hexadecimal SHA-256 of the UTF-8 bytes of `text`.
public func sha256Hex(_ text: String) -> String { sha256Hex(Data(text.utf8)) }
