import Foundation
import NeuralNet
import Tracker

/// A configuration's canonical JSON: every hyperparameter, keys sorted, numbers in their
/// shortest form. Its SHA-256 identifies the configuration in `runs.db`.
func canonicalJSON(_ configuration: [String: GridValue]) -> String {
    let fields = configuration.keys.sorted().map { key -> String in
        let value = configuration[key]!
        let text: String
        switch value {
        case .text(let s): text = "\"\(s)\""
        default: text = value.description
        }
        return "\"\(key)\":\(text)"
    }
    return "{" + fields.joined(separator: ",") + "}"
}

/// The `params` rows of a configuration: one per hyperparameter.
func params(_ configuration: [String: GridValue]) -> [Param] {
    configuration.keys.sorted().map { Param(name: $0, text: configuration[$0]!.description, number: configuration[$0]!.number) }
}

/// Decodes a stored configuration into the network's hyperparameters.
/// - Throws: a decoding error when the JSON does not fit ``Hyperparameters``.
public func hyperparameters(fromConfig json: String) throws -> Hyperparameters {
    try JSONDecoder().decode(Hyperparameters.self, from: Data(json.utf8))
}
