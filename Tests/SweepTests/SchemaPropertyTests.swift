import Foundation
import NeuralNet
import Testing
@testable import Sweep

/// For every hyperparameter of the schema, values at and around each bound (and each choice):
/// the grid check accepts exactly the values ``Hyperparameters/validate(hasValidationRows:)``
/// accepts, every accepted value trains, and both refuse with the same range text.
@Suite struct SchemaPropertyTests {
    static let schema = HyperparameterSchema.current

    /// Values at and around each bound of `p`, and each of its choices plus an unknown one.
    static func probes(_ p: Hyperparameter) -> [GridValue] {
        switch p.kind {
        case .integer(let range):
            let (a, b) = (range.lowerBound, range.upperBound)
            return [a - 1, a, a + 1, b - 1, b, b + 1].map(GridValue.integer)
        case let .number(lower, _, upper, _):
            var values = [lower.nextDown, lower, lower.nextUp, lower + 1, -1, 1e300]
            if let upper { values += [upper.nextDown, upper, upper.nextUp, upper + 1] }
            return values.map(GridValue.number)
        case .choice(let names):
            return (names + ["unknown"]).map(GridValue.text)
        case .layers(let width):
            let (a, b) = (width.lowerBound, width.upperBound)
            return [[], [a - 1], [a], [a, a + 1], [b], [b + 1], [a, b + 1]].map(GridValue.integers)
        }
    }

    /// The value as it is written in a grid file.
    static func json(_ value: GridValue) -> String {
        if case .text(let name) = value { return "\"\(name)\"" }
        return value.description
    }

    /// A configuration that uses `p`: momentum with the momentum optimizer.
    static func configuration(_ p: Hyperparameter, _ value: GridValue) -> [String: GridValue] {
        var values = schema.defaults
        if case .when(let key, let required) = p.appliesWhen { values[key] = .text(required) }
        values[p.name] = value
        return values
    }

    /// A tiny three-class data set, with validation rows.
    static let data: (training: LabeledData, validation: LabeledData) = {
        let features: [Double] = [0, 0, 1, 0, 0, 1, 1, 1, 0, 2, 2, 0]
        let labels = [0, 1, 2, 0, 1, 2]
        let set = LabeledData(features: Matrix(rows: 6, columns: 2, values: features), labels: labels)
        return (set, set)
    }()

    @Test(arguments: schema.hyperparameters.map(\.name))
    func gridCheckAndTrainingAgree(_ name: String) throws {
        let p = try #require(Self.schema[name])
        var accepted = 0, refused = 0
        for value in Self.probes(p) {
            let configuration = Self.configuration(p, value)
            let settings = configuration.filter { $0.key != name }.map { "\"\($0.key)\": [\(Self.json($0.value))]" }
            let text = gridText(name: "probe", seeds: [1], grid: "{" + (settings + ["\"\(name)\": [\(Self.json(value))]"]).joined(separator: ", ") + "}")
            let gridProblem: GridError.Problem?
            do {
                let grid = try grid(text)
                #expect(Array(grid.configurations) == [configuration], "\(name) \(value)")
                gridProblem = nil
            } catch let error as GridError {
                #expect(error.problems.count == 1, "\(error)")
                gridProblem = error.problems.first
                #expect(gridProblem?.path.hasPrefix("grid.\(name)[0]") == true, "\(error)")
            }
            var hp = Hyperparameters()
            let validationMessage: String?
            do {
                hp = try hyperparameters(fromConfig: try canonicalJSON(configuration))
                try hp.validate()
                validationMessage = nil
            } catch TrainingError.invalidHyperparameters(let message) {
                validationMessage = message
            } catch let error as DecodingError {
                validationMessage = "\(error)"  // an unknown name: Hyperparameters cannot even hold it
            }
            #expect((gridProblem == nil) == (validationMessage == nil), "\(name) \(value): grid \(String(describing: gridProblem)), training \(String(describing: validationMessage))")
            if let gridProblem, let validationMessage {
                refused += 1
                if case .choice = p.kind {
                    // A stored configuration always holds a known name; the decoder refuses others.
                } else {
                    #expect(gridProblem.message.contains(p.allowedText), "\(gridProblem)")
                    #expect(validationMessage.hasPrefix(name) && validationMessage.contains(p.allowedText), "\(validationMessage)")
                }
            } else if gridProblem == nil {
                accepted += 1
                // Checked above with the probed value; one epoch is enough to show that training takes it.
                hp.epochs = 1
                do {
                    _ = try train(hp, on: Self.data.training, validation: Self.data.validation, classNames: ["a", "b", "c"],
                                  featureNames: ["x", "y"], seed: 1)
                } catch TrainingError.diverged {
                    // A learning rate of 1e300 is allowed and diverges: a result, not a refusal.
                }
            }
        }
        #expect(accepted > 0 && refused > 0)
    }
}
