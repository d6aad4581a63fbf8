import NeuralNet
import Yams

/// A grid file's optional `search` object: how the sweep searches its space. Without it a sweep
/// trains the grid's full product, as always (docs/grid.md, "Search").
///
/// - `{"method": "random", "trials": 200, "seed": 7}`: random search (Bergstra and Bengio, JMLR
///   2012). Trial `i`'s configuration is drawn from the grid's lists and distributions by a
///   generator of its own, seeded from (`seed`, `i`) alone.
/// - `{"method": "successive_halving", "min_epochs": 10, "max_epochs": 810, "reduction_factor": 3}`
///   (Jamieson and Talwalkar 2016) and `{"method": "hyperband", ...}` (Li et al., JMLR 2018):
///   trials are trained in rungs of ``rungBudgets`` epochs. `trials` and `seed` are optional
///   here: given, the configurations are drawn as random search draws them; else they are the
///   grid's full product.
public struct SearchSpec: Sendable, Equatable {
    /// How configurations are searched.
    public enum Method: String, Sendable, CaseIterable {
        case random
        case successiveHalving = "successive_halving"
        case hyperband

        /// True for the methods that train in rungs of epochs.
        public var isHalving: Bool { self != .random }
    }

    public var method: Method
    /// Configurations drawn (at least 1); nil: the grid's product (halving methods only).
    public var trials: Int?
    /// The search seed (at least 0); given exactly when ``trials`` is.
    public var seed: Int?
    /// The first rung's budget in epochs (halving methods; at least 1).
    public var minEpochs: Int?
    /// The most epochs a trial trains (halving methods; at least ``minEpochs``, at most
    /// ``NeuralNet/HyperparameterSchema/maximumCount``). Configurations are stored with the
    /// top rung's budget as their `epochs`.
    public var maxEpochs: Int?
    /// How many times the budget grows from one rung to the next, and the share (1 / factor) of
    /// trials promoted (halving methods; at least 2; 3 when left out, Hyperband's default).
    public var reductionFactor: Int?

    /// The reduction factor when a halving method's grid leaves it out (Li et al. 2018's η = 3).
    public static let defaultReductionFactor = 3

    public init(method: Method, trials: Int? = nil, seed: Int? = nil, minEpochs: Int? = nil, maxEpochs: Int? = nil,
                reductionFactor: Int? = nil) {
        self.method = method
        self.trials = trials
        self.seed = seed
        self.minEpochs = minEpochs
        self.maxEpochs = maxEpochs
        self.reductionFactor = reductionFactor
    }

    /// True when configurations are drawn (random search, or a halving method given `trials`).
    public var samples: Bool { trials != nil }

    /// The rung budgets in epochs, `min_epochs × factor^k` for k = 0, 1, ... while at most
    /// `max_epochs`, in integer arithmetic (no floating-point logarithm): min 10, max 810,
    /// factor 3 gives 10, 30, 90, 270, 810; min 1, max 81, factor 3 gives 1, 3, 9, 27, 81.
    /// Empty for random search.
    public var rungBudgets: [Int] {
        guard method.isHalving, let minEpochs, let maxEpochs, let factor = reductionFactor else { return [] }
        return Self.rungBudgets(minEpochs: minEpochs, maxEpochs: maxEpochs, reductionFactor: factor)
    }

    /// Hyperband's bracket count `s_max + 1`, where `s_max` is the largest `s` with
    /// `min_epochs × factor^s ≤ max_epochs` (Li et al. 2018, Algorithm 1, with `R = max/min`),
    /// counted in integers: min 1, max 81, factor 3 gives 5. 0 for random search.
    public var bracketCount: Int { rungBudgets.count }

    /// `minEpochs × factor^k` for k = 0, 1, ... while at most `maxEpochs`, stopping before an
    /// overflow. Empty when `minEpochs < 1`, `maxEpochs < minEpochs` or `factor < 2`.
    public static func rungBudgets(minEpochs: Int, maxEpochs: Int, reductionFactor factor: Int) -> [Int] {
        guard minEpochs >= 1, maxEpochs >= minEpochs, factor >= 2 else { return [] }
        var budgets = [minEpochs]
        while true {
            let (next, overflow) = budgets.last!.multipliedReportingOverflow(by: factor)
            if overflow || next > maxEpochs { return budgets }
            budgets.append(next)
        }
    }

    /// The object as the grid's canonical form writes it: every key given, the reduction
    /// factor filled in.
    var jsonObject: [String: Any] {
        var object: [String: Any] = ["method": method.rawValue]
        if let trials { object["trials"] = trials }
        if let seed { object["seed"] = seed }
        if let minEpochs { object["min_epochs"] = minEpochs }
        if let maxEpochs { object["max_epochs"] = maxEpochs }
        if let reductionFactor { object["reduction_factor"] = reductionFactor }
        return object
    }

    /// Its keys with their values as text, for naming what changed (`GridExtension`).
    var keyValues: [String: String] {
        jsonObject.mapValues { "\($0)" }
    }
}

extension GridParser {
    static let searchKeys = ["method", "trials", "seed", "min_epochs", "max_epochs", "reduction_factor"]
    static let halvingKeys = ["min_epochs", "max_epochs", "reduction_factor"]

    /// `"search"`: the method and its keys, each checked with its path (`search.min_epochs`).
    mutating func parseSearch(_ node: Node) -> SearchSpec? {
        guard let entries = mapping(node, "search", allowed: Self.searchKeys) else { return nil }
        let before = problems.count
        var method: SearchSpec.Method?
        if let methodNode = entries["method"], let name = string(methodNode, "search.method") {
            method = SearchSpec.Method(rawValue: name)
            if method == nil {
                problem(methodNode, "search.method",
                        "unknown value \"\(name)\"; valid values: \(SearchSpec.Method.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        } else if entries["method"] == nil {
            problem(node, "search", "missing key \"method\" (random, successive_halving or hyperband)")
        }
        let trials = entries["trials"].flatMap { integer($0, "search.trials", minimum: 1) }
        let seed = entries["seed"].flatMap { integer($0, "search.seed", minimum: 0) }
        let minEpochs = entries["min_epochs"].flatMap { integer($0, "search.min_epochs", minimum: 1) }
        let maxEpochs = entries["max_epochs"].flatMap { integer($0, "search.max_epochs", minimum: 1) }
        let factor = entries["reduction_factor"].flatMap { integer($0, "search.reduction_factor", minimum: 2) }
        guard let method, problems.count == before else { return nil }
        if method == .random {
            if entries["trials"] == nil { problem(node, "search", "missing key \"trials\" (how many configurations to draw, at least 1)") }
            if entries["seed"] == nil { problem(node, "search", "missing key \"seed\" (the search seed, at least 0)") }
            for key in Self.halvingKeys {
                if let keyNode = entries[key] {
                    problem(keyNode, "search.\(key)", "applies only to successive_halving and hyperband, not to random search")
                }
            }
        } else {
            if entries["min_epochs"] == nil { problem(node, "search", "missing key \"min_epochs\" (the first rung's epochs, at least 1)") }
            if entries["max_epochs"] == nil { problem(node, "search", "missing key \"max_epochs\" (the most epochs a trial trains)") }
            if let maxEpochs, maxEpochs > HyperparameterSchema.maximumCount {
                problem(entries["max_epochs"], "search.max_epochs", "must be at most \(HyperparameterSchema.maximumCount) (the most epochs "
                        + "a configuration may train), found \(maxEpochs)")
            }
            if let minEpochs, let maxEpochs, maxEpochs < minEpochs {
                problem(entries["max_epochs"], "search.max_epochs", "must be at least min_epochs (\(minEpochs)), found \(maxEpochs)")
            }
            if (entries["trials"] == nil) != (entries["seed"] == nil) {
                let (given, missing) = entries["trials"] == nil ? ("seed", "trials") : ("trials", "seed")
                problem(entries[given], "search.\(given)", "needs \"\(missing)\" too: give both to draw the configurations, or neither "
                        + "to train the grid's full product")
            }
        }
        guard problems.count == before else { return nil }
        let spec = SearchSpec(method: method, trials: trials, seed: seed, minEpochs: minEpochs, maxEpochs: maxEpochs,
                              reductionFactor: method.isHalving ? factor ?? SearchSpec.defaultReductionFactor : nil)
        if method.isHalving, let minEpochs, let maxEpochs, let top = spec.rungBudgets.last, top != maxEpochs {
            notes.append("search.max_epochs: \(maxEpochs) is not min_epochs x reduction_factor^k; the top rung trains \(top) epochs "
                         + "(rungs \(spec.rungBudgets.map(String.init).joined(separator: ", ")); min_epochs \(minEpochs))")
        }
        return spec
    }
}
