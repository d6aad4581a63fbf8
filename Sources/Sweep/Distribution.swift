import Determinism
import Foundation
import NeuralNet

/// A distribution a random search draws one hyperparameter from (docs/grid.md, "Search"):
/// closed bounds `[a, b]`, `a <= b`, each a value the hyperparameter allows.
public enum Distribution: Sendable, Equatable {
    /// `{"uniform": [a, b]}`: a real, uniform on `[a, b]`.
    case uniform(Double, Double)
    /// `{"log_uniform": [a, b]}`: a real whose logarithm is uniform on `[ln a, ln b]`; `a > 0`.
    case logUniform(Double, Double)
    /// `{"int_uniform": [a, b]}`: an integer, each of `a...b` equally likely.
    case intUniform(Int, Int)
    /// `{"log_int_uniform": [a, b]}`: an integer drawn log-uniformly on `[a − 0.5, b + 0.5]` and
    /// rounded to the nearest (Optuna's `IntDistribution(log=True)`); `a >= 1`.
    case logIntUniform(Int, Int)

    /// The grid file's names, in the order docs/grid.md lists them.
    static let names = ["uniform", "log_uniform", "int_uniform", "log_int_uniform"]

    /// Significant digits a drawn real is rounded to, so that a last-bit difference between
    /// two machines' `exp` and `log` cannot change a configuration (or its hash).
    public static let significantDigits = 6

    /// The grid file's name of the distribution (`log_uniform`).
    public var name: String {
        switch self {
        case .uniform: return "uniform"
        case .logUniform: return "log_uniform"
        case .intUniform: return "int_uniform"
        case .logIntUniform: return "log_int_uniform"
        }
    }

    /// True for the distributions drawn on a logarithmic scale (a report plots them on a log axis).
    public var isLog: Bool {
        switch self {
        case .logUniform, .logIntUniform: return true
        case .uniform, .intUniform: return false
        }
    }

    /// True for the distributions of integers.
    var isInteger: Bool {
        switch self {
        case .intUniform, .logIntUniform: return true
        case .uniform, .logUniform: return false
        }
    }

    /// The distribution as the grid's canonical form writes it: `{"log_uniform": [0.0001, 1]}`.
    var jsonObject: [String: Any] {
        switch self {
        case let .uniform(a, b), let .logUniform(a, b): return [name: [a, b]]
        case let .intUniform(a, b), let .logIntUniform(a, b): return [name: [a, b]]
        }
    }

    /// One draw, from one uniform of `generator` (or, for `int_uniform`, one bounded integer by
    /// ``Determinism/Xoshiro256StarStar/nextIntByMultiplyShift(below:)``): a real rounded to
    /// ``significantDigits`` and kept within the bounds, or an integer.
    func draw(using generator: inout Xoshiro256StarStar) -> GridValue {
        switch self {
        case let .uniform(a, b):
            return .number(Self.clamped(Self.rounded(a + (b - a) * generator.nextUniform()), a, b))
        case let .logUniform(a, b):
            let x = Foundation.exp(Foundation.log(a) + (Foundation.log(b) - Foundation.log(a)) * generator.nextUniform())
            return .number(Self.clamped(Self.rounded(x), a, b))
        case let .intUniform(a, b):
            return .integer(a + generator.nextIntByMultiplyShift(below: b - a + 1))
        case let .logIntUniform(a, b):
            let low = Foundation.log(Double(a) - 0.5), high = Foundation.log(Double(b) + 0.5)
            let x = Self.rounded(Foundation.exp(low + (high - low) * generator.nextUniform())).rounded()
            return .integer(min(max(Int(x), a), b))
        }
    }

    /// `x` rounded to ``significantDigits`` significant digits, by the C library's correctly
    /// rounded `%.5e` conversion (round half to even on the exact binary value) read back.
    static func rounded(_ x: Double) -> Double {
        guard x.isFinite, x != 0 else { return x }
        return Double(String(format: "%.\(significantDigits - 1)e", x)) ?? x
    }

    static func clamped(_ x: Double, _ a: Double, _ b: Double) -> Double { min(max(x, a), b) }
}

/// What a random search draws one hyperparameter from: a list of choices (each equally likely),
/// a distribution, or for `hidden_layers` a depth and a width drawn per layer.
indirect enum SearchDomain: Sendable, Equatable {
    /// The most hidden layers a drawn `hidden_layers` depth may give.
    static let maximumDepth = 100

    case choices([GridValue])
    case distribution(Distribution)
    /// `{"depth": ..., "width": ...}`: depth and width each a list of integers or an integer
    /// distribution.
    case layers(depth: SearchDomain, width: SearchDomain)

    /// One draw: one bounded integer for a list, one draw of a distribution, and for layers one
    /// draw of the depth then one of the width per layer.
    func draw(using generator: inout Xoshiro256StarStar) -> GridValue {
        switch self {
        case .choices(let values):
            return values[generator.nextIntByMultiplyShift(below: values.count)]
        case .distribution(let distribution):
            return distribution.draw(using: &generator)
        case let .layers(depth, width):
            guard case .integer(let count) = depth.draw(using: &generator) else { return .integers([]) }
            return .integers((0..<count).map { _ in
                if case .integer(let w) = width.draw(using: &generator) { return w }
                return 0
            })
        }
    }

    /// The values of a list, nil when anything is drawn from a distribution.
    var choices: [GridValue]? {
        if case .choices(let values) = self { return values }
        return nil
    }

    /// The distribution it draws from (a layer's width's for `hidden_layers`), nil for a list.
    var distribution: Distribution? {
        switch self {
        case .choices: return nil
        case .distribution(let distribution): return distribution
        case let .layers(depth, width): return width.distribution ?? depth.distribution
        }
    }

    /// As the grid's canonical form writes it: a list, a distribution object, or
    /// `{"depth": ..., "width": ...}`.
    var jsonObject: Any {
        switch self {
        case .choices(let values): return values.map(\.jsonObject)
        case .distribution(let distribution): return distribution.jsonObject
        case let .layers(depth, width): return ["depth": depth.jsonObject, "width": width.jsonObject]
        }
    }
}
