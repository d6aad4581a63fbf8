/// Output layer and cost function.
public enum LossFunction: String, Codable, CaseIterable, Sendable {
    /// Sigmoid output neurons with the quadratic cost `C_x = ½‖a^L − y‖²`
    /// against the one-hot target `y` (Nielsen ch. 1, eq. (6); ch. 2, eq. (27)).
    case mse
    /// Softmax output layer with the log-likelihood (cross-entropy) cost
    /// `C_x = −ln a^L_y` (Nielsen ch. 3, eqs. (78) and (80)).
    case crossEntropy = "cross_entropy"
}

/// How initial weights and biases are drawn (from the run's seeded generator,
/// layer by layer, weights in row-major order and then biases).
public enum WeightInit: String, Codable, CaseIterable, Sendable {
    /// Weights and biases `N(0, 1)` (Nielsen ch. 1, `network.py`).
    case normal
    /// Weights `N(0, 1/n_in)` (Nielsen ch. 3, "Weight initialization"); biases 0.
    case normalScaled = "normal_scaled"
    /// Glorot & Bengio (2010) uniform: `U(−r, r)`, `r = √(6 / (n_in + n_out))`; biases 0.
    case xavier
    /// He et al. (2015) normal: `N(0, 2/n_in)`; biases 0.
    case he
}

/// Parameter update rule applied after each mini-batch.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    /// Plain mini-batch gradient descent `θ → θ − η g` (Nielsen ch. 1, eqs. (20)–(21)).
    case sgd
    /// Momentum-based gradient descent `v → μv − ηg`, `θ → θ + v`
    /// (Nielsen ch. 3, "Momentum-based gradient descent"), `μ` = ``Hyperparameters/momentum``.
    case momentum
    /// Adam (Kingma & Ba 2015, Algorithm 1) with `β1 = 0.9`, `β2 = 0.999`, `ε = 1e-8`.
    case adam
}

/// Feature scaling fitted on the training rows only and stored in the model.
public enum Scaling: String, Codable, CaseIterable, Sendable {
    /// `x' = (x − mean) / std` (population standard deviation).
    case standard
    /// `x' = (x − min) / (max − min)`.
    case minmax
    /// No scaling (`shift = 0`, `scale = 1`).
    case none
}

/// Everything that defines one training run besides data and seed.
///
/// Defaults are the project's seed baseline: a 4-3-3 sigmoid network with the
/// quadratic cost, plain SGD with learning rate 0.1, batch size 32, 3000 epochs
/// and `N(0, 1)` initialization (Nielsen ch. 1). JSON/YAML keys are snake_case
/// (see `CodingKeys`); keys missing when decoding take their default values. Each key's allowed
/// values, default and help text are described once, in ``HyperparameterSchema/current``.
public struct Hyperparameters: Codable, Hashable, Sendable {
    /// Widths of the hidden layers, input to output (`[]` = no hidden layer). Key `hidden_layers`.
    public var hiddenLayers: [Int] = [3]
    /// Hidden-layer activation. Key `activation`.
    public var activation: Activation = .sigmoid
    /// Output layer + cost. Key `loss`.
    public var loss: LossFunction = .mse
    /// Weight initialization. Key `init`.
    public var initialization: WeightInit = .normal
    /// Update rule. Key `optimizer`.
    public var optimizer: OptimizerKind = .sgd
    /// Momentum coefficient `μ` in `[0, 1)`, used only by `.momentum`. Key `momentum`.
    public var momentum: Double = 0.9
    /// Learning rate `η > 0` (constant for the whole run). Key `learning_rate`.
    public var learningRate: Double = 0.1
    /// Mini-batch size `m >= 1` (rows per update; the last batch may be shorter). Key `batch_size`.
    public var batchSize: Int = 32
    /// Number of passes over the training set, `>= 1`. Key `epochs`.
    public var epochs: Int = 3000
    /// L2 coefficient `λ' >= 0` added to the weight gradient as `λ' w`
    /// (biases are not decayed). With Nielsen's λ and `n` training rows,
    /// `λ' = λ / n` (ch. 3, eqs. (88) and (93)). Key `weight_decay`.
    public var weightDecay: Double = 0
    /// Feature scaling. Key `scaling`.
    public var scaling: Scaling = .standard
    /// Epochs without validation-loss improvement before stopping (`0` = never stop early;
    /// `> 0` requires validation data). Key `early_stopping_patience`.
    public var earlyStoppingPatience: Int = 0
    /// How much each training row's cost counts by its class (``ClassWeighting``). Key `class_weight`.
    public var classWeight: ClassWeighting = .none

    /// The seed baseline (all defaults).
    public init() {}

    /// The public snake_case keys.
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case hiddenLayers = "hidden_layers"
        case activation
        case loss
        case initialization = "init"
        case optimizer
        case momentum
        case learningRate = "learning_rate"
        case batchSize = "batch_size"
        case epochs
        case weightDecay = "weight_decay"
        case scaling
        case earlyStoppingPatience = "early_stopping_patience"
        case classWeight = "class_weight"
    }

    /// Decodes from snake_case keys; absent keys keep their defaults.
    ///
    /// - Throws: `DecodingError` for a present key with a wrong type or an unknown enum value.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Hyperparameters()
        hiddenLayers = try c.decodeIfPresent([Int].self, forKey: .hiddenLayers) ?? d.hiddenLayers
        activation = try c.decodeIfPresent(Activation.self, forKey: .activation) ?? d.activation
        loss = try c.decodeIfPresent(LossFunction.self, forKey: .loss) ?? d.loss
        initialization = try c.decodeIfPresent(WeightInit.self, forKey: .initialization) ?? d.initialization
        optimizer = try c.decodeIfPresent(OptimizerKind.self, forKey: .optimizer) ?? d.optimizer
        momentum = try c.decodeIfPresent(Double.self, forKey: .momentum) ?? d.momentum
        learningRate = try c.decodeIfPresent(Double.self, forKey: .learningRate) ?? d.learningRate
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize) ?? d.batchSize
        epochs = try c.decodeIfPresent(Int.self, forKey: .epochs) ?? d.epochs
        weightDecay = try c.decodeIfPresent(Double.self, forKey: .weightDecay) ?? d.weightDecay
        scaling = try c.decodeIfPresent(Scaling.self, forKey: .scaling) ?? d.scaling
        earlyStoppingPatience = try c.decodeIfPresent(Int.self, forKey: .earlyStoppingPatience)
            ?? d.earlyStoppingPatience
        classWeight = try c.decodeIfPresent(ClassWeighting.self, forKey: .classWeight) ?? d.classWeight
    }

    /// Checks every value against ``HyperparameterSchema/current``.
    ///
    /// - Parameter hasValidationRows: whether training will see validation rows
    ///   (`early_stopping_patience > 0` needs them).
    /// - Throws: ``TrainingError/invalidHyperparameters(_:)`` naming the first bad key and the
    ///   allowed values, e.g. `"momentum must be in [0, 1), found 1"`.
    public func validate(hasValidationRows: Bool = true) throws {
        let schema = HyperparameterSchema.current
        if let problem = schema.problem(in: schema.values(of: self)) { throw TrainingError.invalidHyperparameters(problem) }
        if !hasValidationRows, earlyStoppingPatience > 0, let p = schema["early_stopping_patience"], let requirement = p.requirement {
            throw TrainingError.invalidHyperparameters("\(p.name) \(requirement)")
        }
    }
}

/// Why ``train(_:on:validation:classNames:featureNames:seed:resumingFrom:onEpoch:)`` did not return a result.
public enum TrainingError: Error, Equatable, CustomStringConvertible {
    /// The training loss or a parameter became non-finite (inf/NaN) at this 1-based epoch.
    case diverged(epoch: Int)
    /// A hyperparameter is out of range; the message starts with its snake_case key.
    case invalidHyperparameters(String)
    /// The data do not fit the request (empty training set, label out of range,
    /// feature count mismatch, non-finite feature value...).
    case invalidData(String)

    /// A one-line human-readable message (for logs and CLI errors).
    public var description: String {
        switch self {
        case .diverged(let epoch):
            return "training diverged at epoch \(epoch): the loss or a weight was not finite, or the loss exploded"
        case .invalidHyperparameters(let message):
            return "invalid hyperparameters: \(message)"
        case .invalidData(let message):
            return "invalid data: \(message)"
        }
    }
}
