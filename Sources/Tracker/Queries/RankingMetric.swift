/// A validation metric the ranking rule can rank by (``Ranking``), with where each is stored:
/// the one list of the per-run metrics `exp report --metric`, `exp best --metric` and
/// `exp runs --where/--sort` know.
///
/// Definitions (NeuralNet's `ClassificationMetrics`, after scikit-learn): accuracy; balanced
/// accuracy, the mean recall over the classes that have rows; macro F1, the unweighted mean F1
/// over the classes among the rows or the predictions (`zero_division=0`); log loss, the mean
/// `−ln p(true class)` with probabilities clipped to `[ε, 1 − ε]`, ε the machine epsilon.
/// Each is of the final model, on a run's validation rows (ranked) and test rows (reported).
public enum RankingMetric: String, CaseIterable, Sendable {
    case accuracy
    case balancedAccuracy = "balanced_accuracy"
    case macroF1 = "macro_f1"
    case logLoss = "log_loss"

    /// False for log loss, where lower is better.
    public var higherIsBetter: Bool { self != .logLoss }

    /// The validation figure's name as `exp runs` and `runs` spell it (`validation_accuracy`,
    /// stored as `runs.final_validation_accuracy`; `validation_balanced_accuracy`, ...).
    public var validationColumn: String { "validation_" + rawValue }
    /// The test figure's name (`test_accuracy`, `test_balanced_accuracy`, ...), a `runs` column.
    public var testColumn: String { "test_" + rawValue }
    /// The `runs` column holding the validation figure.
    var storedValidationColumn: String { self == .accuracy ? "final_validation_accuracy" : validationColumn }

    /// The leaderboard views' mean of the validation figure over finished runs.
    var meanColumn: String { validationColumn + "_mean" }
    /// The leaderboard views' sample standard deviation of the validation figure.
    var stdColumn: String { validationColumn + "_std" }
    /// The leaderboard views' mean of the test figure.
    var testMeanColumn: String { testColumn + "_mean" }

    /// `balanced accuracy`, for sentences.
    public var words: String {
        switch self {
        case .accuracy: return "accuracy"
        case .balancedAccuracy: return "balanced accuracy"
        case .macroF1: return "macro F1"
        case .logLoss: return "log loss"
        }
    }

    /// The metrics stored since schema version 6: NULL for every earlier run.
    public static let added: [RankingMetric] = [.balancedAccuracy, .macroF1, .logLoss]
}
