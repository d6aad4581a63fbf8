import Datasets
import Foundation

/// Rows of named cells (runs, configurations, epochs) as JSON records, written by `JSONEncoder`
/// (keys sorted; NaN and infinities as the strings `nan`, `inf`, `-inf`) — one array, or one
/// record per line (JSON Lines) — or as CSV with a header row.
struct RunRecords {
    var names: [String]
    var rows: [[RunCell]]

    /// CSV with a header row: numbers as numbers, text cells safe from spreadsheet formulas.
    func printCSV() {
        Swift.print(names.map(formulaSafeCSVField).joined(separator: ","))
        for row in rows { Swift.print(row.map(\.csv).joined(separator: ",")) }
    }

    func print(lines: Bool) throws {
        let encoder = jsonEncoder(pretty: !lines)
        let decoder = JSONDecoder()
        let records = try rows.map { row in
            Record(values: Dictionary(uniqueKeysWithValues: try zip(names, row).map { name, cell in (name, try JSONValue(cell, decoder)) }))
        }
        if lines {
            for record in records { Swift.print(String(decoding: try encoder.encode(record), as: UTF8.self)) }
        } else {
            Swift.print(String(decoding: try encoder.encode(records), as: UTF8.self))
        }
    }

    struct Record: Encodable {
        var values: [String: JSONValue]
        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(values)
        }
    }
}

/// The encoder of exp's JSON output: keys sorted, NaN and infinities as the strings `nan`,
/// `inf`, `-inf`.
func jsonEncoder(pretty: Bool) -> JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
}

/// Prints `value` as one pretty JSON document.
func printEncoded<T: Encodable>(_ value: T) throws {
    Swift.print(String(decoding: try jsonEncoder(pretty: true).encode(value), as: UTF8.self))
}

/// Any JSON value, for writing stored JSON text (a configuration) inside a record.
enum JSONValue: Codable {
    case null, bool(Bool), integer(Int), number(Double), text(String), array([JSONValue]), object([String: JSONValue])

    /// A number, or null when missing.
    static func of(_ value: Double?) -> JSONValue { value.map(JSONValue.number) ?? .null }

    init(_ cell: RunCell, _ decoder: JSONDecoder) throws {
        switch cell {
        case .integer(let v): self = .integer(v)
        case .number(let v): self = .number(v)
        case .text(let v): self = .text(v)
        case .missing: self = .null
        case .json(let text): self = try decoder.decode(JSONValue.self, from: Data(text.utf8))
        }
    }

    init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let v = try? c.decode(Bool.self) { self = .bool(v) }
        else if let v = try? c.decode(Int.self) { self = .integer(v) }
        else if let v = try? c.decode(Double.self) { self = .number(v) }
        else if let v = try? c.decode(String.self) { self = .text(v) }
        else if let v = try? c.decode([JSONValue].self) { self = .array(v) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let v): try c.encode(v)
        case .integer(let v): try c.encode(v)
        case .number(let v): try c.encode(v)
        case .text(let v): try c.encode(v)
        case .array(let v): try c.encode(v)
        case .object(let v): try c.encode(v)
        }
    }
}
