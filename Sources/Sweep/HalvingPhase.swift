import Determinism
import Foundation
import Tracker

/// What a successive-halving or Hyperband sweep trains and decides (``PreparedSweep/halving``).
public struct HalvingPlan: Sendable, Equatable {
    /// A group of configurations halved together, from rung ``firstRung`` up.
    public struct Bracket: Sendable, Equatable {
        /// Its number in `rungs.bracket`: `g` for successive halving, `g x (s_max + 1) + s` for
        /// Hyperband's bracket `s` (Li et al.'s numbering: bracket `s_max` starts at the first
        /// rung, bracket 0 at the top one), where `g` counts the grid versions that added
        /// configurations.
        public var index: Int
        /// The rung its configurations start at: `s_max - s` for Hyperband's bracket `s`.
        public var firstRung: Int
        /// Hashes of its configurations, in the grid's order.
        public var configurations: [String]
    }

    /// Epochs of each rung (``SearchSpec/rungBudgets``), smallest first.
    public var budgets: [Int]
    /// The share `1 / factor` of a rung's configurations is promoted.
    public var reductionFactor: Int
    /// Runs each configuration has: seeds x search splits.
    public var runsPerConfiguration: Int
    public var brackets: [Bracket]

    /// The plan of `search` over groups of configurations (hashes, in the grid's order; one
    /// group per grid version that added configurations), trained on `runsPerConfiguration`
    /// runs each; nil unless `search` is a halving method.
    ///
    /// Successive halving halves each group in a bracket of its own from rung 0, so extending a
    /// search with more trials starts a new bracket and never changes a decided rung. Hyperband
    /// splits each group into its `s_max + 1` brackets (``hyperbandCounts(configurations:bracketCount:reductionFactor:)``),
    /// in the grid's order, bracket `s_max` first: bracket `s` starts at rung `s_max - s`
    /// (budget `min_epochs × factor^(s_max - s)`, Li et al.'s `r_s = R η^-s` when `max_epochs`
    /// is `min_epochs × factor^s_max`). Empty brackets are left out.
    public init?(search: SearchSpec?, groups: [[String]], runsPerConfiguration: Int) {
        guard let search, search.method.isHalving, let factor = search.reductionFactor, !search.rungBudgets.isEmpty else { return nil }
        budgets = search.rungBudgets
        reductionFactor = factor
        self.runsPerConfiguration = runsPerConfiguration
        let count = search.method == .hyperband ? search.bracketCount : 1
        brackets = groups.enumerated().flatMap { g, configurations -> [Bracket] in
            guard count > 1 else { return [Bracket(index: g, firstRung: 0, configurations: configurations)] }
            let counts = Self.hyperbandCounts(configurations: configurations.count, bracketCount: count, reductionFactor: factor)
            var start = 0
            return (0..<count).reversed().map { s in
                defer { start += counts[s] }
                return Bracket(index: g * count + s, firstRung: count - 1 - s, configurations: Array(configurations[start..<start + counts[s]]))
            }
        }.filter { !$0.configurations.isEmpty }
    }

    /// Hyperband's configurations per bracket, indexed by `s` in `0...s_max` (`bracketCount`
    /// is `s_max + 1`): Li et al. (JMLR 2018), Algorithm 1's `n_s = ⌈(s_max + 1) / (s + 1) × η^s⌉`,
    /// in integer arithmetic as `((s_max + 1) η^s + s) / (s + 1)` (η = `reductionFactor`; min 1,
    /// max 81, η 3 gives 81, 34, 15, 8, 5 for s = 4 ... 0). When `configurations` differs
    /// from their sum `T`, each count is scaled to `configurations × n_s / T` by the largest
    /// remainder method: every bracket gets the integer part, and the configurations left go one
    /// each to the brackets with the largest remainders, ties to the larger `s`. The counts sum
    /// to `configurations` and depend on nothing else.
    public static func hyperbandCounts(configurations: Int, bracketCount: Int, reductionFactor eta: Int) -> [Int] {
        guard bracketCount > 0 else { return [] }
        var power = 1
        let paper = (0..<bracketCount).map { s -> Int in
            defer { power *= eta }
            return (bracketCount * power + s) / (s + 1)
        }
        let total = paper.reduce(0, +)
        guard configurations != total else { return paper }
        // η^s ≤ max_epochs ≤ 10^7 (SearchSpec), so n_s < 2.5 × 10^8 and configurations × n_s fits in Int.
        var counts = paper.map { configurations * $0 / total }
        let remainders = paper.map { configurations * $0 % total }
        let order = (0..<bracketCount).sorted { remainders[$0] != remainders[$1] ? remainders[$0] > remainders[$1] : $0 > $1 }
        for s in order.prefix(configurations - counts.reduce(0, +)) { counts[s] += 1 }
        return counts
    }

    /// Rung trainings the plan trains at most: each run trained once per rung it reaches, a
    /// bracket's `n` configurations promoting `max(1, n / factor)` at each rung (fewer when
    /// configurations diverge or fail). Successive halving over 9 configurations x 2 runs, budgets
    /// 1, 3, 9, factor 3: (9 + 3 + 1) x 2 = 26.
    public var plannedTrainings: Int {
        brackets.reduce(0) { total, bracket in
            var n = bracket.configurations.count, trainings = 0
            for _ in bracket.firstRung..<budgets.count {
                trainings += n
                n = max(1, n / reductionFactor)
            }
            return total + trainings * runsPerConfiguration
        }
    }

    /// The bracket of a configuration.
    public func bracket(of configSHA256: String) -> Bracket? {
        brackets.first { $0.configurations.contains(configSHA256) }
    }

    /// The epochs a run of `configSHA256` trains to after `promotions` promotions.
    public func budget(of configSHA256: String, promotions: Int) -> Int {
        let first = bracket(of: configSHA256)?.firstRung ?? 0
        return budgets[min(first + promotions, budgets.count - 1)]
    }
}

/// The rungs of a halving search, decided synchronously: a rung is decided once every run of
/// its configurations has trained exactly the rung's budget (or diverged), by the ranking rule
/// (``Tracker/Ranking``) over those runs, in one transaction that writes nothing for a rung
/// decided already (``Tracker/RunStore/decideRung(sweepID:bracket:rung:budgetEpochs:configurations:runsPerConfiguration:promote:)``).
/// The promoted configurations' runs are queued again and continue from their checkpoints;
/// the others are `pruned`. The outcome depends on the stored results only, never on which
/// process or worker trained them or when, so any number of jobs and processes decide the
/// same rungs (docs/architecture.md, "Halving searches").
public enum HalvingPhase {
    /// Decides every rung whose runs are all at its budget and that is not decided yet, up the
    /// rungs of each bracket.
    /// - Returns: how many rungs this call decided.
    /// - Throws: `SQLiteError`.
    @discardableResult
    public static func decideReady(_ plan: HalvingPlan, sweepID: Int64, store: RunStore) throws -> Int {
        var decided = 0
        for bracket in plan.brackets {
            var candidates = bracket.configurations
            for rung in bracket.firstRung..<(plan.budgets.count - 1) where !candidates.isEmpty {
                let outcome = try store.decideRung(sweepID: sweepID, bracket: bracket.index, rung: rung, budgetEpochs: plan.budgets[rung],
                                                   configurations: candidates, runsPerConfiguration: plan.runsPerConfiguration,
                                                   promote: candidates.count / plan.reductionFactor)
                switch outcome {
                case .waiting: candidates = []
                case .decided(let promoted):
                    decided += 1
                    candidates = promoted
                case .alreadyDecided(let promoted): candidates = promoted
                }
            }
        }
        return decided
    }
}
