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
        Hyperparameter("class_weight", .choice(ClassWeighting.allCases.map(\.rawValue)),
                       help: "How much each training row's cost counts: equally, or n / (k · n_class) for its class.",
                       since: 3) { .text($0.classWeight.rawValue) },
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

    /// A configuration as it is stored: every key present, and each key set to its default
    /// where the configuration does not use it (``Hyperparameter/appliesWhen``: momentum without
    /// optimizer `momentum`, activation without a hidden layer), so configurations that train
    /// the same are one configuration, and one that holds every ignored key at its default
    /// keeps its identity.
    ///
    /// Whether a key applies depends only on keys that always apply (checked by a test), so
    /// resetting ignored keys never changes whether another key applies.
    public func normalized(_ configuration: [String: HyperparameterValue]) -> [String: HyperparameterValue] {
        var result = defaults.merging(configuration) { $1 }
        for p in hyperparameters where !p.appliesWhen.holds(in: result) {
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
