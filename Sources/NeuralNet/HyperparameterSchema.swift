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

/// Every hyperparameter of ``Hyperparameters``, in the order of its keys.
public struct HyperparameterSchema: Sendable {
    /// The configuration schema version every stored configuration so far was written with:
    /// each of its keys is in every configuration's canonical JSON.
    public static let identityVersion = 2

    /// Upper bounds that keep a valid-looking value from asking for terabytes before training
    /// starts: ten million epochs or rows per batch, and a hundred thousand units per layer.
    public static let maximumCount = 10_000_000
    public static let maximumWidth = 100_000

    /// The hyperparameters of this version.
    public static let current = HyperparameterSchema([
        Hyperparameter("hidden_layers", .layers(width: 1...maximumWidth),
                       help: "Widths of the hidden layers, input to output.") { .integers($0.hiddenLayers) },
        Hyperparameter("activation", .choice(Activation.allCases.map(\.rawValue)), help: "Activation of the hidden layers.",
                       appliesWhen: .withHiddenLayers(key: "hidden_layers")) { .text($0.activation.rawValue) },
        Hyperparameter("loss", .choice(LossFunction.allCases.map(\.rawValue)),
                       help: "Output layer and cost: sigmoid with the quadratic cost, or softmax with cross-entropy.") { .text($0.loss.rawValue) },
        Hyperparameter("init", .choice(WeightInit.allCases.map(\.rawValue)),
                       help: "How initial weights are drawn.") { .text($0.initialization.rawValue) },
        Hyperparameter("optimizer", .choice(OptimizerKind.allCases.map(\.rawValue)),
                       help: "Update rule: plain gradient descent, with momentum, or Adam.") { .text($0.optimizer.rawValue) },
        Hyperparameter("momentum", .number(lower: 0, lowerOpen: false, upper: 1, upperOpen: true),
                       help: "Momentum coefficient.", appliesWhen: .when(key: "optimizer", is: OptimizerKind.momentum.rawValue)) { .number($0.momentum) },
        Hyperparameter("learning_rate", .number(lower: 0, lowerOpen: true, upper: nil, upperOpen: false),
                       help: "Step size, constant for the whole run.") { .number($0.learningRate) },
        Hyperparameter("batch_size", .integer(1...maximumCount),
                       help: "Rows per mini-batch; the last, shorter batch of an epoch is used.") { .integer($0.batchSize) },
        Hyperparameter("epochs", .integer(1...maximumCount), help: "Passes over the training rows.") { .integer($0.epochs) },
        Hyperparameter("weight_decay", .number(lower: 0, lowerOpen: false, upper: nil, upperOpen: false),
                       help: "L2 weight decay (0 = off).") { .number($0.weightDecay) },
        Hyperparameter("scaling", .choice(Scaling.allCases.map(\.rawValue)),
                       help: "Feature scaling, fitted on the training rows.") { .text($0.scaling.rawValue) },
        Hyperparameter("early_stopping_patience", .integer(0...maximumCount),
                       help: "Epochs without a lower validation loss before stopping (0 = off).",
                       requirement: "> 0 requires validation data") { .integer($0.earlyStoppingPatience) },
    ])

    /// In key order.
    public let hyperparameters: [Hyperparameter]

    init(_ hyperparameters: [Hyperparameter]) { self.hyperparameters = hyperparameters }

    /// Every key, in order.
    public var names: [String] { hyperparameters.map(\.name) }

    /// The hyperparameter with this key.
    public subscript(name: String) -> Hyperparameter? { hyperparameters.first { $0.name == name } }

    /// Every key's default value.
    public var defaults: [String: HyperparameterValue] {
        Dictionary(uniqueKeysWithValues: hyperparameters.map { ($0.name, $0.defaultValue) })
    }

    /// The help line of `name`, with when it applies, its allowed values and its default,
    /// e.g. `Momentum coefficient (only with optimizer momentum; in [0, 1); default 0.9).`
    public func help(for name: String) -> String {
        guard let p = self[name] else { return "" }
        let parts = [p.appliesWhen.description, p.requirement ?? "", p.allowedText, "default \(p.defaultValue)"].filter { !$0.isEmpty }
        return "\(p.help.dropLast(p.help.hasSuffix(".") ? 1 : 0)) (\(parts.joined(separator: "; ")))."
    }

    /// A configuration as it is stored: every key present, and each key added after
    /// ``identityVersion`` set to its default where the configuration does not use it (so
    /// configurations that train the same are one).
    public func normalized(_ configuration: [String: HyperparameterValue]) -> [String: HyperparameterValue] {
        var result = defaults.merging(configuration) { $1 }
        for p in hyperparameters where p.sinceSchemaVersion > Self.identityVersion && !p.appliesWhen.holds(in: result) {
            result[p.name] = p.defaultValue
        }
        return result
    }

    /// The keys that identify a configuration (its canonical JSON and `config_sha256`): all of
    /// them, except keys added after ``identityVersion`` while they hold their default, so that
    /// adding a key never changes the hash of a stored configuration.
    public func identity(of configuration: [String: HyperparameterValue]) -> [String: HyperparameterValue] {
        configuration.filter { key, value in
            guard let p = self[key] else { return true }
            return p.sinceSchemaVersion <= Self.identityVersion || value != p.defaultValue
        }
    }

    /// Every key's value in `hp`.
    public func values(of hp: Hyperparameters) -> [String: HyperparameterValue] {
        Dictionary(uniqueKeysWithValues: hyperparameters.map { ($0.name, $0.read(hp)) })
    }

    /// The first problem of a configuration, as `key message` (e.g. `momentum must be in [0, 1),
    /// found 1`), or `nil`.
    public func problem(in configuration: [String: HyperparameterValue]) -> String? {
        for p in hyperparameters {
            if let value = configuration[p.name], let problem = p.problem(with: value) { return "\(p.name) \(problem)" }
        }
        return nil
    }
}
