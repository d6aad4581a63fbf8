import Crypto
import Foundation

/// Lowercase hexadecimal SHA-256 of `bytes` (64 characters, FIPS 180-4 through swift-crypto).
///
/// The form of every stored hash: data set content hashes, configuration and grid hashes,
/// weight blob hashes.
public func sha256Hex<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var hex: [UInt8] = []
    hex.reserveCapacity(64)
    for byte in SHA256.hash(data: bytes) {
        hex.append(digits[Int(byte >> 4)])
        hex.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: hex, as: UTF8.self)
}

/// Lowercase hexadecimal SHA-256 of the UTF-8 bytes of `text` (64 characters).
public func sha256Hex(_ text: String) -> String { sha256Hex(Data(text.utf8)) }
