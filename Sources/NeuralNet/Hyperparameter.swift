/// What one hyperparameter is: its key, the values it allows, its default, when it matters.
///
/// The single description of every hyperparameter: ``Hyperparameters/validate(hasValidationRows:)``,
/// the grid check, `exp train`'s help, `docs/grid.md`'s table and the report all read it.
public struct Hyperparameter: Sendable {
    /// The values a hyperparameter allows.
    public enum Kind: Sendable, Equatable {
        /// A whole number in the closed range.
        case integer(ClosedRange<Int>)
        /// A finite number above `lower` (or at it, unless `lowerOpen`) and, when `upper` is
        /// given, below it (or at it, unless `upperOpen`).
        case number(lower: Double, lowerOpen: Bool, upper: Double?, upperOpen: Bool)
        /// One of these names.
        case choice([String])
        /// A list of layer widths, each in the closed range; `[]` means no hidden layer.
        case layers(width: ClosedRange<Int>)
    }

    /// When a hyperparameter changes what is trained.
    public enum Applicability: Sendable, Equatable {
        /// In every configuration.
        case always
        /// Only when the choice `key` has the value `value` (momentum only with optimizer `momentum`).
        case when(key: String, is: String)
        /// Only when `key` lists at least one hidden layer.
        case withHiddenLayers(key: String)

        /// True when a configuration (values by key) uses the hyperparameter.
        public func holds(in configuration: [String: HyperparameterValue]) -> Bool {
            switch self {
            case .always: return true
            case let .when(key, value): return configuration[key] == .text(value)
            case .withHiddenLayers(let key): return configuration[key] != .integers([])
            }
        }

        /// The key whose value decides whether the hyperparameter applies; nil for ``always``.
        public var key: String? {
            switch self {
            case .always: return nil
            case .when(let key, _), .withHiddenLayers(let key): return key
            }
        }

        /// Words for help texts and docs, e.g. `only with optimizer momentum`; empty for ``always``.
        public var description: String {
            switch self {
            case .always: return ""
            case let .when(key, value): return "only with \(key) \(value)"
            case .withHiddenLayers: return "only with at least one hidden layer"
            }
        }
    }

    /// The snake_case key of grid files, stored configurations and `params.name`.
    public let name: String
    public let kind: Kind
    /// The value of the seed baseline, read from ``Hyperparameters/init()``.
    public let defaultValue: HyperparameterValue
    /// One line for `exp train --help` and docs.
    public let help: String
    public let appliesWhen: Applicability
    /// A condition on the data, not on the value, e.g. `> 0 needs validation rows`; `nil` for none.
    public let requirement: String?
    /// The configuration schema version that added the key. Keys added after
    /// ``HyperparameterSchema/identityVersion`` are left out of a configuration's identity while
    /// they hold their default (see ``HyperparameterSchema/identity(of:)``).
    public let sinceSchemaVersion: Int
    let read: @Sendable (Hyperparameters) -> HyperparameterValue

    init(_ name: String, _ kind: Kind, help: String, appliesWhen: Applicability = .always, requirement: String? = nil,
         since: Int = 2, read: @escaping @Sendable (Hyperparameters) -> HyperparameterValue) {
        self.name = name
        self.kind = kind
        self.help = help
        self.appliesWhen = appliesWhen
        self.requirement = requirement
        self.sinceSchemaVersion = since
        self.read = read
        self.defaultValue = read(Hyperparameters())
    }

    /// The allowed values in words, the same in every message that refuses a value:
    /// `from 1 to 10000000`, `in [0, 1)`, `finite and > 0`, `sigmoid, tanh, relu`, and for
    /// layer widths `from 1 to 100000`.
    public var allowedText: String {
        switch kind {
        case .integer(let range), .layers(let range):
            return "from \(range.lowerBound) to \(range.upperBound)"
        case let .number(lower, lowerOpen, upper?, upperOpen):
            return "in \(lowerOpen ? "(" : "[")\(HyperparameterValue.text(of: lower)), "
                + "\(HyperparameterValue.text(of: upper))\(upperOpen ? ")" : "]")"
        case let .number(lower, lowerOpen, nil, _):
            return "finite and \(lowerOpen ? ">" : ">=") \(HyperparameterValue.text(of: lower))"
        case .choice(let names):
            return names.joined(separator: ", ")
        }
    }

    /// Why `value` is not allowed, e.g. `must be in [0, 1), found 1`; `nil` when it is.
    /// A value of the wrong JSON type is refused too (an integer is a number).
    public func problem(with value: HyperparameterValue) -> String? {
        switch (kind, value) {
        case let (.integer(range), .integer(v)):
            return range.contains(v) ? nil : "must be \(allowedText), found \(v)"
        case let (.number(lower, lowerOpen, upper, upperOpen), _) where value.number != nil:
            let v = value.number!
            let above = lowerOpen ? v > lower : v >= lower
            let below = upper.map { upperOpen ? v < $0 : v <= $0 } ?? true
            return v.isFinite && above && below ? nil : "must be \(allowedText), found \(HyperparameterValue.text(of: v))"
        case let (.choice(names), .text(v)):
            return names.contains(v) ? nil : "unknown value \"\(v)\"; valid values: \(allowedText)"
        case let (.layers, .integers(widths)):
            return widths.lazy.compactMap(widthProblem).first.map { "widths \($0)" }
        default:
            return "expected \(expectedText), found \(value)"
        }
    }

    /// Why one layer width is not allowed (`must be from 1 to 100000, found 0`); `nil` when it is
    /// or when the hyperparameter is not a list of layers.
    public func widthProblem(_ width: Int) -> String? {
        guard case .layers(let range) = kind, !range.contains(width) else { return nil }
        return "must be \(allowedText), found \(width)"
    }

    /// The JSON type expected, in words: `an integer`, `a number`, `a name`, `a list of layer widths`.
    public var expectedText: String {
        switch kind {
        case .integer: return "an integer"
        case .number: return "a number"
        case .choice: return "a name"
        case .layers: return "a list of layer widths"
        }
    }
}
