import Foundation

/// One run's outcome at one rung of a successive-halving or Hyperband search (a row of `rungs`).
public struct RungDecision: Sendable, Equatable {
    /// The run.
    public var runID: Int64
    /// 0 for the first (smallest) budget.
    public var rung: Int
    /// Hyperband's bracket; 0 for successive halving.
    public var bracket: Int
    /// Epochs the run had trained when the rung was decided.
    public var budgetEpochs: Int
    /// True when the run's configuration went on to the next rung; false when it stopped here
    /// (the run is then `pruned`).
    public var promoted: Bool
    /// What the configuration was ranked on: its mean validation accuracy at exactly
    /// ``budgetEpochs`` over its runs; nil when one of them diverged or failed.
    public var value: Double?
    /// The configuration's place in the rung, 1 = best.
    public var rank: Int
    /// How many configurations the rung ranked.
    public var candidates: Int

    /// A decision with these parts.
    public init(runID: Int64, rung: Int, bracket: Int, budgetEpochs: Int, promoted: Bool, value: Double?, rank: Int,
                candidates: Int) {
        self.runID = runID
        self.rung = rung
        self.bracket = bracket
        self.budgetEpochs = budgetEpochs
        self.promoted = promoted
        self.value = value
        self.rank = rank
        self.candidates = candidates
    }
}

extension RunStore {
    /// The rung decisions of a sweep's runs, by run and rung.
    /// - Throws: ``SQLiteError``.
    public func rungDecisions(sweepID: Int64) throws -> [RungDecision] {
        try connection.query("""
            SELECT g.run_id, g.rung, g.bracket, g.budget_epochs, g.outcome, g.value, g.rank, g.candidates
            FROM rungs g JOIN runs r ON r.run_id = g.run_id
            WHERE r.sweep_id = ? ORDER BY g.run_id, g.rung
            """, [.integer(sweepID)]) { s in
            RungDecision(runID: try s.required(s.id, "run_id"), rung: try s.required(s.int, "rung"),
                         bracket: try s.required(s.int, "bracket"), budgetEpochs: try s.required(s.int, "budget_epochs"),
                         promoted: try s.required(s.string, "outcome") == "promoted", value: try s.double("value"),
                         rank: try s.required(s.int, "rank"), candidates: try s.required(s.int, "candidates"))
        }
    }
}

/// What ``RunStore/decideRung(sweepID:bracket:rung:budgetEpochs:configurations:runsPerConfiguration:promote:)`` found.
public enum RungOutcome: Sendable, Equatable {
    /// Not every run of the rung's configurations has reached the rung's budget (or diverged):
    /// this many runs are still to train; nothing was written.
    case waiting(runs: Int)
    /// The rung was decided now: these configurations (hashes, best first) were promoted, their
    /// finished runs queued again; the others' finished runs are `pruned`.
    case decided(promoted: [String])
    /// The rung had been decided already (by this process or another); nothing was written.
    case alreadyDecided(promoted: [String])
}

extension RunStore {
    /// Decides one rung of a halving search, exactly once, in one transaction: once every run of
    /// `configurations` is `finished` with exactly `budgetEpochs` epochs (or `diverged`), it ranks
    /// the configurations by ``Ranking`` (the leaderboard's rule: mean validation accuracy over
    /// their runs, which are all at this budget, then the spread, the validation loss and the
    /// hash), promotes the first `promote` that have no diverged or failed run, stores a `rungs`
    /// row for each of their runs, queues the promoted configurations' runs again (to continue
    /// from their checkpoints) and marks the others' finished runs `pruned`. A rung with a row
    /// already is never decided again, so two processes, or one resumed after `kill -9`, write
    /// it once.
    ///
    /// - Parameters:
    ///   - bracket: Hyperband's bracket (0 for successive halving); `rung` counts from 0.
    ///   - configurations: the hashes of the configurations the rung ranks.
    ///   - runsPerConfiguration: runs each configuration has (its seeds x folds); fewer stored
    ///     means cells not queued yet, and the rung waits.
    ///   - promote: how many configurations go on (at least 1 is promoted when one is healthy).
    /// - Throws: ``SQLiteError``.
    public func decideRung(sweepID: Int64, bracket: Int, rung: Int, budgetEpochs: Int, configurations: [String],
                           runsPerConfiguration: Int, promote: Int) throws -> RungOutcome {
        guard !configurations.isEmpty else { return .decided(promoted: []) }
        let list = configurations.map { _ in "?" }.joined(separator: ", ")
        let scope: [SQLValue] = [.integer(sweepID)] + configurations.map { .text($0) }
        return try write {
            let decided = try connection.query("""
                SELECT r.config_sha256, g.outcome, g.rank FROM rungs g JOIN runs r ON r.run_id = g.run_id
                WHERE r.sweep_id = ? AND r.config_sha256 IN (\(list)) AND g.rung = ? AND g.bracket = ?
                ORDER BY g.rank, r.config_sha256
                """, scope + [.of(rung), .of(bracket)]) { s in
                (try s.required(s.string, "config_sha256"), try s.required(s.string, "outcome"))
            }
            if !decided.isEmpty {
                var promoted: [String] = []
                for (sha, outcome) in decided where outcome == "promoted" && !promoted.contains(sha) { promoted.append(sha) }
                return .alreadyDecided(promoted: promoted)
            }
            let (stored, ready) = try connection.query("""
                SELECT COUNT(*) AS stored,
                       COALESCE(SUM(status = 'diverged' OR (status = 'finished' AND epochs_run = ?)), 0) AS ready
                FROM runs WHERE sweep_id = ? AND config_sha256 IN (\(list)) AND phase = 'search'
                """, [.of(budgetEpochs)] + scope) { s in
                (try s.required(s.int, "stored"), try s.required(s.int, "ready"))
            }.first ?? (0, 0)
            let expected = configurations.count * runsPerConfiguration
            guard stored >= expected, ready == stored else { return .waiting(runs: max(expected, stored) - ready) }

            let wanted = Set(configurations)
            let ranked = try leaderboard(sweepID: sweepID).filter { wanted.contains($0.configSHA256) }
            let promoted = ranked.filter { $0.divergedRuns + $0.failedRuns == 0 && $0.validationAccuracyMean != nil }
                .prefix(max(1, promote)).map(\.configSHA256)
            let now = timestamp()
            for (place, entry) in ranked.enumerated() {
                let isPromoted = promoted.contains(entry.configSHA256)
                let value: Double? = entry.divergedRuns + entry.failedRuns == 0 ? entry.validationAccuracyMean : nil
                try connection.run("""
                    INSERT INTO rungs (run_id, rung, bracket, budget_epochs, outcome, value, rank, candidates, decided_at)
                    SELECT run_id, ?, ?, ?, ?, ?, ?, ?, ? FROM runs
                    WHERE sweep_id = ? AND config_sha256 = ? AND phase = 'search'
                    """, [.of(rung), .of(bracket), .of(budgetEpochs), .text(isPromoted ? "promoted" : "stopped"), .of(value),
                          .of(place + 1), .of(ranked.count), .text(now), .integer(sweepID), .text(entry.configSHA256)])
                try connection.run("""
                    UPDATE runs SET status = ?, claim_token = NULL
                    WHERE sweep_id = ? AND config_sha256 = ? AND phase = 'search' AND status = 'finished'
                    """, [.text(isPromoted ? RunStatus.queued.rawValue : RunStatus.pruned.rawValue), .integer(sweepID),
                          .text(entry.configSHA256)])
            }
            return .decided(promoted: promoted)
        }
    }

    /// The rung trainings of a halving search's runs that ended so far: per run, the rungs
    /// that promoted it, plus one when it is stored ended (`finished`, `diverged`, `failed` or
    /// `pruned`) at its current rung. A progress line's count (``HalvingPlan``'s planned
    /// trainings are its total).
    /// - Throws: ``SQLiteError``.
    public func rungTrainingsEnded(sweepID: Int64) throws -> Int {
        try connection.scalar("""
            SELECT (SELECT COUNT(*) FROM rungs g JOIN runs r ON r.run_id = g.run_id
                    WHERE r.sweep_id = ?1 AND r.phase = 'search' AND g.outcome = 'promoted')
                 + (SELECT COUNT(*) FROM runs WHERE sweep_id = ?1 AND phase = 'search'
                    AND status IN ('finished', 'diverged', 'failed', 'pruned'))
            """, [.integer(sweepID)])?.int ?? 0
    }

    /// How many rungs promoted the run: the rung it trains for next (0 before any decision).
    /// - Throws: ``SQLiteError``.
    public func promotions(runID: Int64) throws -> Int {
        try connection.scalar("SELECT COUNT(*) FROM rungs WHERE run_id = ? AND outcome = 'promoted'", [.integer(runID)])?.int ?? 0
    }
}

/// What a halving search trained, for its report: how much of a full grid's budget it spent.
public struct HalvingSummary: Sendable, Equatable {
    /// Configurations searched.
    public var configurations: Int
    /// Configurations with a run trained to the top budget (finished, diverged or failed there).
    public var reachedTop: Int
    /// Runs stopped at a rung (`pruned`).
    public var prunedRuns: Int
    /// Search runs in all.
    public var runs: Int
    /// The largest number of epochs a run trained: the top rung's budget once a run reached it.
    public var topBudget: Int
    /// Epochs trained, summed over the search runs.
    public var epochsTrained: Int
    /// Rungs decided (over every bracket).
    public var rungsDecided: Int

    /// Epochs a full grid would train: every run to ``topBudget``.
    public var fullGridEpochs: Int { runs * topBudget }
}

extension RunStore {
    /// The budget a halving search spent; nil for a sweep without decided rungs.
    /// - Throws: ``SQLiteError``.
    public func halvingSummary(sweepID: Int64) throws -> HalvingSummary? {
        let rungs = try connection.scalar("""
            SELECT COUNT(DISTINCT g.bracket || '/' || g.rung) FROM rungs g JOIN runs r ON r.run_id = g.run_id WHERE r.sweep_id = ?
            """, [.integer(sweepID)])?.int ?? 0
        guard rungs > 0 else { return nil }
        return try connection.query("""
            SELECT COUNT(DISTINCT config_sha256) AS configurations, COUNT(*) AS runs,
                   COALESCE(SUM(status = 'pruned'), 0) AS pruned, COALESCE(SUM(epochs_run), 0) AS trained,
                   COALESCE(MAX(epochs_run), 0) AS top,
                   COUNT(DISTINCT CASE WHEN status <> 'pruned' AND epochs_run = (SELECT MAX(epochs_run) FROM runs
                                       WHERE sweep_id = ? AND phase = 'search') THEN config_sha256 END) AS reached
            FROM runs WHERE sweep_id = ? AND phase = 'search'
            """, [.integer(sweepID), .integer(sweepID)]) { s in
            HalvingSummary(configurations: try s.required(s.int, "configurations"), reachedTop: try s.required(s.int, "reached"),
                           prunedRuns: try s.required(s.int, "pruned"), runs: try s.required(s.int, "runs"),
                           topBudget: try s.required(s.int, "top"), epochsTrained: try s.required(s.int, "trained"),
                           rungsDecided: rungs)
        }.first
    }
}

/// One run's validation accuracy per epoch, for the chart of a halving search.
public struct RunCurve: Sendable, Equatable {
    public var runID: Int64
    public var status: RunStatus
    /// `(epoch, validation accuracy in [0, 1])`, by epoch; epochs without one left out.
    public var points: [(epoch: Int, accuracy: Double)]

    public static func == (a: RunCurve, b: RunCurve) -> Bool {
        a.runID == b.runID && a.status == b.status && a.points.map(\.epoch) == b.points.map(\.epoch)
            && a.points.map(\.accuracy) == b.points.map(\.accuracy)
    }
}

extension RunStore {
    /// Every search run's validation accuracy per epoch, by run, and the rung budgets the
    /// sweep decided (smallest first).
    /// - Throws: ``SQLiteError``.
    public func rungCurves(sweepID: Int64) throws -> (budgets: [Int], runs: [RunCurve]) {
        let budgets = try connection.query("""
            SELECT DISTINCT g.budget_epochs FROM rungs g JOIN runs r ON r.run_id = g.run_id WHERE r.sweep_id = ? ORDER BY 1
            """, [.integer(sweepID)]) { s in try s.required(s.int, "budget_epochs") }
        var runs: [RunCurve] = []
        for (runID, status, epoch, accuracy) in try connection.query("""
            SELECT r.run_id, r.status, m.epoch, m.validation_accuracy FROM runs r JOIN epoch_metrics m ON m.run_id = r.run_id
            WHERE r.sweep_id = ? AND r.phase = 'search' AND m.validation_accuracy IS NOT NULL ORDER BY r.run_id, m.epoch
            """, [.integer(sweepID)], { s in
                (try s.required(s.id, "run_id"), try readStatus(s), try s.required(s.int, "epoch"),
                 try s.required(s.double, "validation_accuracy"))
            }) {
            if runs.last?.runID != runID { runs.append(RunCurve(runID: runID, status: status, points: [])) }
            runs[runs.count - 1].points.append((epoch, accuracy))
        }
        return (budgets, runs)
    }
}
