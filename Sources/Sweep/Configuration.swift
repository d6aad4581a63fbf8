import Foundation
import NeuralNet
import Tracker

/// A configuration's canonical JSON: its identifying keys (``NeuralNet/HyperparameterSchema/identity(of:)``)
/// sorted, no spaces, numbers as ``NeuralNet/HyperparameterValue/description`` writes them
/// (`0.1`, `1000`, `1e-05`), strings escaped as JSON. Its SHA-256 is `config_sha256`, the
/// configuration's identity in `runs.db`, the same in every version (docs/schema.md,
/// "Configuration identity").
///
/// - Throws: `EncodingError` for a non-finite number (a checked configuration has none).
public func canonicalJSON(_ configuration: [String: GridValue], schema: HyperparameterSchema = .current) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(schema.identity(of: configuration).mapValues(CanonicalValue.init))
    return String(decoding: data, as: UTF8.self)
        .replacingOccurrences(of: CanonicalValue.verbatimPattern, with: "$1", options: .regularExpression)
}

/// A hyperparameter value encoded as the first versions wrote it: a whole number below 10^15
/// without `.0`, whatever its JSON type, and other numbers as Swift's `description`.
private struct CanonicalValue: Encodable {
    let value: GridValue

    /// `JSONEncoder` writes whole numbers from 10^15 to 2^53 without the `.0` that
    /// `description` (and so every configuration stored so far) gives them, e.g.
    /// `1000000000000000.0`; such a number is encoded as a string marked by a leading U+0000,
    /// which no checked name can hold, and written back verbatim by ``verbatimPattern``.
    static let verbatimPattern = #""\\u0000([-+.0-9e]+)""#

    func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch value {
        case .integer(let v): try container.encode(v)
        case .number(let v):
            if let whole = GridValue.integral(v) {
                try container.encode(whole)
            } else if v.isFinite, v == v.rounded(), v.description.hasSuffix(".0") {
                try container.encode("\u{0}" + v.description)
            } else {
                try container.encode(v)
            }
        case .text(let v): try container.encode(v)
        case .integers(let v): try container.encode(v)
        }
    }
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
