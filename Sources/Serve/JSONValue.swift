import Foundation
import Tracker

/// A JSON value as the API sends it: strict JSON (RFC 8259), which has no NaN or infinities, so a
/// non-finite number is sent as `null` (docs/serve.md). Object keys are sent sorted, so the
/// same value is always the same text (``LiveFeed`` compares snapshots as text).
///
/// Serialised by Foundation's `JSONEncoder` (``encoded()``); this type only decides the values.
enum JSONValue: Codable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    /// A number; NaN and ±infinity are encoded as `null`.
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])

    static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case let (.bool(x), .bool(y)): return x == y
        case let (.int(x), .int(y)): return x == y
        case let (.number(x), .number(y)): return x == y || (!x.isFinite && !y.isFinite)
        case let (.string(x), .string(y)): return x == y
        case let (.array(x), .array(y)): return x == y
        case let (.object(x), .object(y)): return x.map(\.0) == y.map(\.0) && x.map(\.1) == y.map(\.1)
        default: return false
        }
    }

    /// A number, or `null` for nil.
    static func real(_ value: Double?) -> JSONValue { value.map { .number($0) } ?? .null }
    /// An integer, or `null` for nil.
    static func integer(_ value: Int?) -> JSONValue { value.map { .int(Int64($0)) } ?? .null }
    /// A string, or `null` for nil.
    static func text(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }

    /// A stored column value: NULL as `null`, integers and reals as numbers, text as a string,
    /// a blob as the lowercase hexadecimal of its bytes.
    static func sql(_ value: SQLValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .integer(let n): return .int(n)
        case .real(let x): return .number(x)
        case .text(let t): return .string(t)
        case .blob(let bytes): return .string(bytes.map { String(format: "%02x", $0) }.joined())
        }
    }

    /// JSON text (a stored configuration) as a value, object keys sorted; nil when it is not JSON.
    static func parsing(_ text: String) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    func encode(to encoder: Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .int(let n):
            var container = encoder.singleValueContainer()
            try container.encode(n)
        case .number(let x):
            var container = encoder.singleValueContainer()
            if x.isFinite { try container.encode(x) } else { try container.encodeNil() }
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let members):
            var container = encoder.container(keyedBy: Key.self)
            for (key, value) in members { try container.encode(value, forKey: Key(key)) }
        }
    }

    init(from decoder: Decoder) throws {
        if let container = try? decoder.container(keyedBy: Key.self) {
            self = .object(try container.allKeys.map(\.stringValue).sorted().map { ($0, try container.decode(JSONValue.self, forKey: Key($0))) })
        } else if var container = try? decoder.unkeyedContainer() {
            var values: [JSONValue] = []
            while !container.isAtEnd { values.append(try container.decode(JSONValue.self)) }
            self = .array(values)
        } else {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let flag = try? container.decode(Bool.self) { self = .bool(flag) }
            else if let n = try? container.decode(Int64.self) { self = .int(n) }
            else if let x = try? container.decode(Double.self) { self = .number(x) }
            else { self = .string(try container.decode(String.self)) }
        }
    }

    /// The value as UTF-8 JSON text (keys sorted, `/` not escaped).
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
