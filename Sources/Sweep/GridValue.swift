import Foundation

/// One choice of a hyperparameter in a grid file, with the JSON type it was written with.
public enum GridValue: Hashable, Sendable, CustomStringConvertible {
    case integer(Int)
    case number(Double)
    case text(String)
    /// A list of layer widths, e.g. `[16, 8]`.
    case integers([Int])

    /// The value as JSON text, the form stored in `params.value_text`.
    public var description: String {
        switch self {
        case .integer(let v): return String(v)
        case .number(let v): return jsonNumber(v)
        case .text(let v): return v
        case .integers(let v): return "[" + v.map(String.init).joined(separator: ",") + "]"
        }
    }

    /// The value as a number, when it is one (stored in `params.value_real`).
    public var number: Double? {
        switch self {
        case .integer(let v): return Double(v)
        case .number(let v): return v
        default: return nil
        }
    }
}

/// Shortest text that reads back as `value`, without a trailing `.0` for integral values
/// (`0.1`, `1000`, `1e-05`).
func jsonNumber(_ value: Double) -> String {
    if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
    return "\(value)"
}
