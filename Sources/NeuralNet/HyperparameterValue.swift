/// One hyperparameter's value, with the JSON type it is written with: the form grid files,
/// stored configurations and `params` rows use.
public enum HyperparameterValue: Hashable, Sendable, CustomStringConvertible {
    /// A whole number (`batch_size`, `epochs`, `early_stopping_patience`).
    case integer(Int)
    /// A real number (`momentum`, `learning_rate`, `weight_decay`).
    case number(Double)
    /// A name from a fixed list (`activation`, `loss`, ...).
    case text(String)
    /// A list of layer widths, e.g. `[16, 8]` (`hidden_layers`).
    case integers([Int])

    /// The value as JSON text, the form stored in `params.value_text`: numbers in their shortest
    /// form without a trailing `.0` (`0.1`, `1000`, `1e-05`), names without quotes, lists
    /// without spaces (`[16,8]`).
    public var description: String {
        switch self {
        case .integer(let v): return String(v)
        case .number(let v): return Self.text(of: v)
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

    /// Shortest text that reads back as `value`, without a trailing `.0` for integral values
    /// below 10^15 (`0.1`, `1000`, `1e-05`, `1e+20`; `-0.0` is `0`).
    public static func text(of value: Double) -> String {
        integral(value).map(String.init) ?? "\(value)"
    }

    /// `value` as a whole number when it is one below 10^15 in magnitude (such numbers are
    /// written without a fraction or exponent), else `nil`.
    public static func integral(_ value: Double) -> Int64? {
        value == value.rounded() && abs(value) < 1e15 ? Int64(value) : nil
    }
}
