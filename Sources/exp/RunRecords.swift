import Datasets
import Foundation

/// Rows of named cells (runs, configurations, epochs) as JSON records — one array, or one record
/// per line (JSON Lines) — or as CSV with a header row.
///
/// The JSON is written directly, not through `JSONEncoder`: keys sorted, numbers in Swift's
/// shortest form that reads back exactly, NaN and infinities as the strings `nan`, `inf`,
/// `-inf`, and stored JSON (a configuration) inserted as its text. Decoding each stored
/// configuration and encoding every record with Foundation's coders took 85% of the time of
/// `exp runs --json` (docs/benchmarks.md, "Listing runs").
struct RunRecords {
    var names: [String]
    var rows: [[RunCell]]

    /// CSV with a header row: numbers as numbers, text cells safe from spreadsheet formulas.
    func printCSV() {
        Swift.print(names.map(formulaSafeCSVField).joined(separator: ","))
        for row in rows { Swift.print(row.map(\.csv).joined(separator: ",")) }
    }

    /// Prints the records as one JSON array (a record per indented block) or, with `lines`,
    /// one compact record per line.
    func print(lines: Bool) {
        let order = names.indices.sorted { names[$0] < names[$1] }
        let keys = names.map { JSONText.string($0) }
        var out = ""
        out.reserveCapacity(rows.count * 64 * max(names.count, 1))
        if lines {
            for row in rows {
                out += "{"
                for (n, i) in order.enumerated() {
                    out += (n == 0 ? "" : ",") + keys[i] + ":"
                    row[i].appendJSON(to: &out)
                }
                out += "}\n"
            }
        } else if rows.isEmpty {
            out = "[]\n"
        } else {
            out += "[\n"
            for (r, row) in rows.enumerated() {
                out += "  {\n"
                for (n, i) in order.enumerated() {
                    out += "    " + keys[i] + " : "
                    row[i].appendJSON(to: &out)
                    out += n == order.count - 1 ? "\n" : ",\n"
                }
                out += r == rows.count - 1 ? "  }\n" : "  },\n"
            }
            out += "]\n"
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }
}

/// JSON text of single values, as exp's hand-written JSON output needs them.
enum JSONText {
    /// `text` as a JSON string: quotes, backslashes and control characters escaped (RFC 8259,
    /// section 7); `/` and non-ASCII characters as they are.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// A number in the shortest form that reads back exactly (`0.9666666666666667`, `1.0`,
    /// `1e-05`); NaN and infinities, which JSON lacks, as the strings `"nan"`, `"inf"`, `"-inf"`.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "\"nan\"" }
        if value.isInfinite { return value > 0 ? "\"inf\"" : "\"-inf\"" }
        return "\(value)"
    }
}

extension RunCell {
    /// Appends the cell as a JSON value: `.json` cells are trusted JSON text (a stored
    /// configuration, a layer list) and go in as they are.
    func appendJSON(to out: inout String) {
        switch self {
        case .integer(let v): out += String(v)
        case .number(let v): out += JSONText.number(v)
        case .text(let v): out += JSONText.string(v)
        case .json(let v): out += v
        case .strings(let pairs): out += RunCell.jsonObject(pairs)
        case .missing: out += "null"
        }
    }

    /// Pairs of text as one compact JSON object, keys sorted.
    static func jsonObject(_ pairs: [(key: String, value: String)]) -> String {
        "{" + pairs.sorted { $0.key < $1.key }.map { JSONText.string($0.key) + ":" + JSONText.string($0.value) }.joined(separator: ",") + "}"
    }
}

/// The encoder of exp's other JSON output: keys sorted, NaN and infinities as the strings `nan`,
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
