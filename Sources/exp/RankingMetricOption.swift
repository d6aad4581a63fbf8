import ArgumentParser
import Tracker

/// `--metric accuracy|balanced_accuracy|macro_f1|log_loss`, the validation metric that ranks.
extension RankingMetric: ExpressibleByArgument {}

extension RankingMetric {
    /// The help text of a `--metric` option.
    static var optionHelp: ArgumentHelp {
        ArgumentHelp("The validation metric that ranks: \(allCases.map(\.rawValue).joined(separator: ", ")) "
                     + "(log loss: lower is better; runs stored without it rank last).", valueName: "metric")
    }
}
