import Foundation
import NeuralNet

/// What a hyperparameter in a grid file may hold.
enum ParameterKind: Sendable {
    /// A whole number from `minimum` to `maximum`.
    case integer(minimum: Int, maximum: Int)
    /// A finite number in `range` (`open` excludes the lower bound).
    case number(minimum: Double, maximum: Double, lowerOpen: Bool)
    /// One of the names listed.
    case choice([String])
    /// A list of layer widths (each from 1 to ``HyperparameterSpec/maximumWidth``); `[]` means
    /// no hidden layer.
    case layers
}

/// The hyperparameters a grid may name: the keys of ``NeuralNet/Hyperparameters``' JSON form,
/// in the order they appear in a configuration.
enum HyperparameterSpec {
    /// Upper bounds that keep a valid-looking value from asking for terabytes before training
    /// starts (a sweep would otherwise crash on every resume): ten million epochs or rows per
    /// batch, and a hundred thousand units per layer.
    static let maximumCount = 10_000_000
    static let maximumWidth = 100_000

    static let kinds: [(name: String, kind: ParameterKind)] = [
        ("hidden_layers", .layers),
        ("activation", .choice(Activation.allCases.map(\.rawValue))),
        ("loss", .choice(LossFunction.allCases.map(\.rawValue))),
        ("init", .choice(WeightInit.allCases.map(\.rawValue))),
        ("optimizer", .choice(OptimizerKind.allCases.map(\.rawValue))),
        ("momentum", .number(minimum: 0, maximum: 1, lowerOpen: false)),
        ("learning_rate", .number(minimum: 0, maximum: .greatestFiniteMagnitude, lowerOpen: true)),
        ("batch_size", .integer(minimum: 1, maximum: maximumCount)),
        ("epochs", .integer(minimum: 1, maximum: maximumCount)),
        ("weight_decay", .number(minimum: 0, maximum: .greatestFiniteMagnitude, lowerOpen: false)),
        ("scaling", .choice(Scaling.allCases.map(\.rawValue))),
        ("early_stopping_patience", .integer(minimum: 0, maximum: maximumCount)),
    ]

    static let names = kinds.map(\.name)

    static func kind(of name: String) -> ParameterKind? { kinds.first { $0.name == name }?.kind }

    /// The default of every hyperparameter, read from ``NeuralNet/Hyperparameters``'s own
    /// defaults so that the two can never disagree.
    static let defaults: [String: GridValue] = {
        let data = try! JSONEncoder().encode(Hyperparameters())
        let object = try! JSONSerialization.jsonObject(with: data) as! [String: Any]
        var values: [String: GridValue] = [:]
        for (name, kind) in kinds {
            guard let raw = object[name] else { fatalError("Hyperparameters has no key \(name)") }
            switch kind {
            case .integer: values[name] = .integer((raw as! NSNumber).intValue)
            case .number: values[name] = .number((raw as! NSNumber).doubleValue)
            case .choice: values[name] = .text(raw as! String)
            case .layers: values[name] = .integers((raw as! [NSNumber]).map(\.intValue))
            }
        }
        return values
    }()
}
