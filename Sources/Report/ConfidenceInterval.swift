import Foundation

/// A two-sided confidence interval for a mean.
public struct ConfidenceInterval: Sendable, Equatable {
    /// The lower bound.
    public var lower: Double
    /// The upper bound.
    public var upper: Double
    /// The confidence level, e.g. 0.95.
    public var level: Double

    /// An interval from `lower` to `upper` at `level`.
    public init(lower: Double, upper: Double, level: Double) {
        self.lower = lower
        self.upper = upper
        self.level = level
    }
}
