import Determinism
import Foundation

/// What a run can be. The text values are the `runs.status` column's.
public enum RunStatus: String, Sendable, CaseIterable, Codable {
    /// Written by the planner; waiting for a worker.
    case queued
    /// Claimed by a process (`host`, `pid`, `claim_token`), which refreshes `heartbeat_at` while training.
    case running
    /// Trained to the end (or stopped early); metrics and weights stored.
    case finished
    /// A loss stopped being finite; `diverged_epoch` says when.
    case diverged
    /// An error stopped the run; `error` says which.
    case failed
    /// The process was stopped or died while training it.
    case interrupted
    /// Stopped at a rung of a successive-halving or Hyperband search: its configuration was not
    /// promoted (the `rungs` table says where and on what value; Optuna's term).
    case pruned
}

/// Row indices (0-based, into the data set) of one split.
public struct SplitRows: Sendable, Equatable, Codable {
    /// Rows the model trains on.
    public var train: [Int]
    /// Rows for early stopping and model selection.
    public var validation: [Int]
    /// Held-out rows, reported only.
    public var test: [Int]
    /// Rows held out of training to watch for early stopping (protocol key
    /// `early_stopping_fraction`); empty when early stopping watches the validation rows.
    public var earlyStopping: [Int]
    /// A split with these row indices.
    public init(train: [Int], validation: [Int], test: [Int], earlyStopping: [Int] = []) {
        self.train = train
        self.validation = validation
        self.test = test
        self.earlyStopping = earlyStopping
    }
}

/// One hyperparameter of a run: its text and, when numeric, its number.
public struct Param: Sendable, Equatable {
    /// The hyperparameter's name, e.g. `learning_rate`.
    public var name: String
    /// The value as text (`params.value_text`).
    public var text: String
    /// The value as a number when it is one (`params.value_real`), else nil.
    public var number: Double?
    /// A hyperparameter value.
    public init(name: String, text: String, number: Double?) {
        self.name = name
        self.text = text
        self.number = number
    }
}

/// Which step of a protocol a run belongs to (`runs.phase`).
public enum RunPhase: String, Sendable, CaseIterable, Codable {
    /// A cell of the search: a configuration trained on a fold (or the holdout) and judged on
    /// its validation rows. Every run of a sweep without `refit` is one.
    case search
    /// The configuration an outer fold chose, retrained on all of that fold's training rows
    /// (training and validation rows of the search) and scored once on its test rows.
    case refit
}

/// A cell of a sweep to be queued: one configuration, seed, repeat, outer fold, fold and phase.
public struct Cell: Sendable, Equatable {
    /// Position in the sweep's stable order (0-based).
    public var index: Int
    /// Canonical JSON of the configuration; its SHA-256 identifies the configuration.
    public var config: String
    /// The configuration's hyperparameters, one row each in `params`.
    public var params: [Param]
    /// The training seed (weight initialization, shuffling).
    public var seed: Int
    /// 0 for a holdout protocol or a refit, 1...k for k-fold cross-validation (the inner fold
    /// in nested cross-validation).
    public var fold: Int
    /// The seed the split's rows were drawn with.
    public var splitSeed: Int
    /// The stored split (``RunStore/storeSplit(datasetID:splitSeed:protocolJSON:repeat:outerFold:fold:rows:)``).
    public var splitID: Int64
    /// 0...r-1 of repeated cross-validation; 0 otherwise.
    public var `repeat`: Int
    /// 1...k of nested cross-validation; 0 otherwise.
    public var outerFold: Int
    /// Search or refit.
    public var phase: RunPhase
    /// A cell with these parts.
    public init(index: Int, config: String, params: [Param], seed: Int, fold: Int, splitSeed: Int, splitID: Int64,
                repeat: Int = 0, outerFold: Int = 0, phase: RunPhase = .search) {
        self.index = index
        self.config = config
        self.params = params
        self.seed = seed
        self.fold = fold
        self.splitSeed = splitSeed
        self.splitID = splitID
        self.repeat = `repeat`
        self.outerFold = outerFold
        self.phase = phase
    }
}

/// A run claimed by a worker.
public struct ClaimedRun: Sendable, Equatable {
    /// The run's id (`runs.run_id`).
    public var runID: Int64
    /// The cell's position in the sweep.
    public var cellIndex: Int
    /// Canonical JSON of the configuration.
    public var config: String
    /// The training seed.
    public var seed: Int
    /// 0 for holdout, 1...k for k-fold.
    public var fold: Int
    /// The split to train on.
    public var splitID: Int64
    /// 1 on the first claim, one more on each retry.
    public var attempt: Int
    /// The claim's random token (`runs.claim_token`): only its holder may store the run's
    /// result, heartbeat or interruption, until another process takes the run over.
    public var token: String

    /// A claimed run with these parts.
    public init(runID: Int64, cellIndex: Int, config: String, seed: Int, fold: Int, splitID: Int64, attempt: Int, token: String) {
        self.runID = runID
        self.cellIndex = cellIndex
        self.config = config
        self.seed = seed
        self.fold = fold
        self.splitID = splitID
        self.attempt = attempt
        self.token = token
    }
}

/// One epoch's metrics as stored (losses are mean cost per row; accuracies in [0, 1]).
public struct EpochRow: Sendable, Equatable {
    /// 1 for the first epoch.
    public var epoch: Int
    /// Mean loss over the training rows (NaN is stored as NULL; infinities are kept).
    public var trainLoss: Double?
    /// Fraction of training rows classified correctly, in [0, 1].
    public var trainAccuracy: Double?
    /// Mean loss over the validation rows.
    public var validationLoss: Double?
    /// Fraction of validation rows classified correctly, in [0, 1].
    public var validationAccuracy: Double?
    /// The learning rate used during the epoch.
    public var learningRate: Double?
    /// Seconds since training started.
    public var elapsedSeconds: Double?
    /// One epoch's metrics.
    public init(epoch: Int, trainLoss: Double?, trainAccuracy: Double?, validationLoss: Double?,
                validationAccuracy: Double?, learningRate: Double?, elapsedSeconds: Double?) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.elapsedSeconds = elapsedSeconds
    }
}

/// How a run ended, with everything to store about it.
public struct RunResult: Sendable {
    /// `finished`, `diverged`, `failed` or `interrupted`.
    public var status: RunStatus
    /// When training started.
    public var startedAt: Date
    /// When training ended.
    public var endedAt: Date
    /// Every epoch's metrics, in order; their count is stored as `epochs_run`.
    public var epochs: [EpochRow] = []
    /// The epoch with the lowest validation loss (1-based).
    public var bestEpoch: Int?
    /// The epoch whose loss was no longer finite, for a diverged run.
    public var divergedEpoch: Int?
    /// Mean training loss after the last epoch.
    public var finalTrainLoss: Double?
    /// Training accuracy after the last epoch, in [0, 1].
    public var finalTrainAccuracy: Double?
    /// Mean validation loss after the last epoch.
    public var finalValidationLoss: Double?
    /// Validation accuracy after the last epoch, in [0, 1]; the leaderboard ranks on it.
    public var finalValidationAccuracy: Double?
    /// Mean validation loss at the best epoch.
    public var bestValidationLoss: Double?
    /// Validation accuracy at the best epoch, in [0, 1].
    public var bestValidationAccuracy: Double?
    /// Mean loss over the test rows, of the final model.
    public var testLoss: Double?
    /// Test accuracy of the final model, in [0, 1].
    public var testAccuracy: Double?
    /// Test-row counts: `testConfusion[true class][predicted class]`.
    public var testConfusion: [[Int]]?
    /// The final model's figures on the validation rows for each metric of
    /// ``RankingMetric/added`` (accuracy is ``finalValidationAccuracy``); a metric left out is
    /// stored as NULL.
    public var validationMetrics: [RankingMetric: Double] = [:]
    /// The final model's figures on the test rows for each metric of ``RankingMetric/added``
    /// (accuracy is ``testAccuracy``).
    public var testMetrics: [RankingMetric: Double] = [:]
    /// Safetensors files by kind (`final`, `best`).
    public var weights: [(kind: String, data: Data)] = []
    /// The training state to continue the run from after its last epoch (NeuralNet's
    /// `TrainingState.serialized()`), stored in `checkpoints` beside the weights; nil stores none.
    public var checkpoint: Data?
    /// For a run continued from its checkpoint (a halving search's promoted run): the epoch it
    /// continued after. ``epochs`` then holds the new epochs only; the stored ones up to this
    /// epoch are kept, `epochs_run` counts both, and `duration_seconds` adds this stretch to the
    /// stored duration. Nil for a run trained from its first epoch.
    public var continuedFromEpoch: Int?
    /// How many of ``epochs``' first rows are already stored, committed by this claim's
    /// ``RunStore/storeEpochs(_:_:)`` calls (the same rows, flushed while the run trained):
    /// ``RunStore/record(_:_:)`` keeps them and inserts only the rows after them, so a flushed
    /// row is written once. 0 (the default) stores every row of ``epochs``.
    public var epochsStored = 0
    /// Why the run failed or diverged, for people.
    public var error: String?
    /// The `exp` version that trained the run.
    public var toolVersion: String?
    /// The source commit of that `exp`, when known.
    public var gitCommit: String?
    /// An outcome with no metrics yet.
    public init(status: RunStatus, startedAt: Date, endedAt: Date) {
        self.status = status
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}

extension RunStore {
    /// Stores a split's row indices, or returns the id of the one already stored for the same
    /// data set, protocol JSON, repeat, outer fold and fold.
    /// - Parameters:
    ///   - splitSeed: the seed the rows were drawn with (the repeat's, see docs/sweeps.md).
    ///   - protocolJSON: the evaluation protocol as canonical JSON (it includes the split seed).
    ///   - repeat: 0...r-1 of repeated cross-validation, else 0.
    ///   - outerFold: 1...k of nested cross-validation, else 0.
    ///   - fold: 0 for a holdout or refit split, 1...k for the (inner) folds of k-fold cross-validation.
    /// - Returns: the split's id.
    /// - Throws: ``SQLiteError`` (e.g. a foreign-key failure for an unknown data set).
    public func storeSplit(datasetID: Int64, splitSeed: Int, protocolJSON: String, repeat: Int = 0, outerFold: Int = 0,
                           fold: Int, rows: SplitRows) throws -> Int64 {
        try write {
            let key: [SQLValue] = [.integer(datasetID), .text(protocolJSON), .of(`repeat`), .of(outerFold), .of(fold)]
            if let id = try connection.query("""
                SELECT split_id FROM splits WHERE dataset_id = ? AND protocol = ? AND repeat = ? AND outer_fold = ? AND fold = ?
                """, key, { s in try s.required(s.id, "split_id") }).first {
                return id
            }
            try connection.run("""
                INSERT INTO splits (dataset_id, split_seed, protocol, repeat, outer_fold, fold, train_rows, validation_rows, test_rows,
                                    early_stopping_rows)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.integer(datasetID), .of(splitSeed), .text(protocolJSON), .of(`repeat`), .of(outerFold), .of(fold),
                      .text(jsonText(rows.train)), .text(jsonText(rows.validation)), .text(jsonText(rows.test)),
                      .text(jsonText(rows.earlyStopping))])
            return connection.lastInsertRowID
        }
    }

    /// The row indices of a stored split.
    /// - Throws: ``TrackerError/notFound(_:)``.
    public func split(id: Int64) throws -> SplitRows {
        guard let rows = try connection.query(
            "SELECT train_rows, validation_rows, test_rows, early_stopping_rows FROM splits WHERE split_id = ?", [.integer(id)], readSplitRows).first else { throw TrackerError.notFound("split \(id)") }
        return rows
    }

    /// Queues every cell not already in the sweep, with its params, in one transaction.
    ///
    /// A cell is already there when the sweep has a run with the same configuration (by the
    /// SHA-256 of ``Cell/config``), seed, repeat, outer fold, fold and phase; enqueueing the
    /// same cells again adds nothing.
    /// - Returns: how many cells were new.
    /// - Throws: ``SQLiteError`` when a cell breaks a constraint (e.g. its index is taken by
    ///   another configuration, or its config is not JSON); nothing is queued then.
    @discardableResult
    public func enqueue(sweepID: Int64, datasetID: Int64, cells: [Cell]) throws -> Int {
        try write {
            var added = 0
            for cell in cells {
                // Only an existing (sweep, configuration, seed, repeat, outer fold, fold, phase) is
                // skipped; any other constraint failure (a bad cell) throws instead of being ignored.
                let inserted = try connection.run("""
                    INSERT INTO runs (sweep_id, dataset_id, split_id, cell_index, config, config_sha256, seed, fold, split_seed,
                                      repeat, outer_fold, phase)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (sweep_id, config_sha256, seed, repeat, outer_fold, fold, phase) DO NOTHING
                    """, [.integer(sweepID), .integer(datasetID), .integer(cell.splitID), .of(cell.index), .text(cell.config),
                          .text(sha256Hex(cell.config)), .of(cell.seed), .of(cell.fold), .of(cell.splitSeed),
                          .of(cell.repeat), .of(cell.outerFold), .text(cell.phase.rawValue)])
                guard inserted == 1 else { continue }
                added += 1
                let runID = connection.lastInsertRowID
                for param in cell.params {
                    try connection.run("INSERT INTO params (run_id, name, value_text, value_real) VALUES (?, ?, ?, ?)",
                                       [.integer(runID), .text(param.name), .text(param.text), .of(param.number)])
                }
            }
            return added
        }
    }

    /// Atomically takes the next queued run of the sweep (lowest cell index) for `owner`: it
    /// becomes `running` with the owner's host, pid, boot id, PID namespace and heartbeat
    /// timeout, a new random claim token, a fresh heartbeat, and its attempt counted. Two
    /// writers never claim the same run.
    /// - Parameter shard: when given, only cells whose `cell_index % count == index` are taken.
    /// - Returns: the claimed run, or nil when none is queued.
    /// - Throws: ``SQLiteError``; a precondition failure for a shard with `count < 1` or an
    ///   index outside `0..<count`.
    public func claimNext(sweepID: Int64, owner: ClaimOwner, shard: (index: Int, count: Int)? = nil) throws -> ClaimedRun? {
        let shardFilter = shardCondition(shard)
        return try write {
            try connection.query("""
                UPDATE runs SET status = 'running', attempt = attempt + 1, host = ?, pid = ?, boot_id = ?, pid_namespace = ?,
                                heartbeat_timeout = ?, claim_token = ?, heartbeat_at = ?, started_at = NULL, ended_at = NULL, error = NULL
                WHERE run_id = (SELECT run_id FROM runs WHERE sweep_id = ? AND status = 'queued' \(shardFilter)
                                ORDER BY cell_index LIMIT 1)
                RETURNING run_id, cell_index, config, seed, fold, split_id, attempt, claim_token
                """, [.text(owner.host), .of(owner.pid), .of(owner.bootID), .of(owner.pidNamespace), .of(owner.heartbeatTimeout),
                      .text(UUID().uuidString.lowercased()), .text(timestamp()), .integer(sweepID)]) { s in
                ClaimedRun(runID: try s.required(s.id, "run_id"), cellIndex: try s.required(s.int, "cell_index"),
                           config: try s.required(s.string, "config"), seed: try s.required(s.int, "seed"),
                           fold: try s.required(s.int, "fold"), splitID: try s.required(s.id, "split_id"),
                           attempt: try s.required(s.int, "attempt"), token: try s.required(s.string, "claim_token"))
            }.first
        }
    }

    /// ``claimNext(sweepID:owner:shard:)`` for a process known only by host and pid, as tests
    /// and benchmarks claim (its claims count as gone after ``ClaimOwner/defaultHeartbeatTimeout``
    /// without a heartbeat).
    public func claimNext(sweepID: Int64, host: String, pid: Int, shard: (index: Int, count: Int)? = nil) throws -> ClaimedRun? {
        try claimNext(sweepID: sweepID, owner: ClaimOwner(host: host, pid: pid), shard: shard)
    }

    /// Refreshes the heartbeat (`heartbeat_at`, now) of the given claims that are still held:
    /// the run is `running` with the claim's token.
    /// - Returns: the ids of the claims no longer held (taken over by another process, or no
    ///   longer running), in the order given.
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func heartbeat(_ claims: [ClaimedRun]) throws -> [Int64] {
        guard !claims.isEmpty else { return [] }
        return try write {
            let now = timestamp()
            return try claims.filter { claim in
                try connection.run("UPDATE runs SET heartbeat_at = ? WHERE run_id = ? AND claim_token = ? AND status = 'running'",
                                   [.text(now), .integer(claim.runID), .text(claim.token)]) == 0
            }.map(\.runID)
        }
    }

    /// Stores the epoch rows a run has trained so far while it trains (the live view's growing
    /// learning curves; the runner calls it at most about once a second per run), in one
    /// transaction, provided the claim is still held; rows of the same epochs are replaced.
    /// ``record(_:_:)`` later keeps the rows its ``RunResult/epochsStored`` counts and replaces
    /// any others with the run's complete rows.
    /// - Returns: false when the claim is no longer held (nothing is stored then).
    /// - Throws: ``SQLiteError``.
    @discardableResult
    public func storeEpochs(_ claim: ClaimedRun, _ rows: [EpochRow]) throws -> Bool {
        guard !rows.isEmpty else { return true }
        return try write {
            let id = SQLValue.integer(claim.runID)
            guard try connection.query("SELECT 1 AS held FROM runs WHERE run_id = ? AND status = 'running' AND claim_token IS ?",
                                       [id, .text(claim.token)], { _ in true }).first == true else { return false }
            try insertEpochRows(runID: claim.runID, rows, replacing: true)
            return true
        }
    }

    /// Stores a claimed run's outcome — status, summary metrics, every epoch's metrics and the
    /// weights — in one transaction, replacing anything an earlier attempt left, provided the
    /// claim is still held (the run is `running` with the claim's token). The first
    /// ``RunResult/epochsStored`` rows of ``RunResult/epochs`` are taken as stored already and
    /// kept; every other row after ``RunResult/continuedFromEpoch`` is replaced. NaN metrics are
    /// stored as NULL; infinite losses are stored as infinities. `duration_seconds` is
    /// `endedAt - startedAt` in seconds.
    /// - Throws: ``ClaimLostError`` when another process took the run over (its
    ///   result is kept) or it is no longer running; ``TrackerError/notFound(_:)`` for an unknown
    ///   run; ``SQLiteError`` when a value breaks a constraint (e.g. an accuracy outside [0, 1],
    ///   empty weights). Nothing is stored then.
    public func record(_ claim: ClaimedRun, _ result: RunResult) throws {
        let runID = claim.runID
        try write {
            let id = SQLValue.integer(runID)
            guard let held = try connection.query("SELECT status = 'running' AND claim_token IS ? AS held FROM runs WHERE run_id = ?",
                                                   [.text(claim.token), id], { s in try s.required(s.int, "held") == 1 }).first else {
                throw TrackerError.notFound("run \(runID)")
            }
            guard held else { throw ClaimLostError(runID: runID) }
            let kept = min(max(0, result.epochsStored), result.epochs.count)
            try connection.run("DELETE FROM epoch_metrics WHERE run_id = ? AND epoch > ?", [id, .of((result.continuedFromEpoch ?? 0) + kept)])
            try connection.run("DELETE FROM weights WHERE run_id = ?", [id])
            try connection.run("DELETE FROM checkpoints WHERE run_id = ?", [id])
            try insertEpochRows(runID: runID, Array(result.epochs.dropFirst(kept)), replacing: false)
            for (kind, data) in result.weights {
                try connection.run("INSERT INTO weights (run_id, kind, sha256, size_bytes, data) VALUES (?, ?, ?, ?, ?)",
                                   [id, .text(kind), .text(sha256Hex(data)), .of(data.count), .blob([UInt8](data))])
            }
            if let data = result.checkpoint {
                try connection.run("INSERT INTO checkpoints (run_id, epoch, sha256, size_bytes, data) VALUES (?, ?, ?, ?, ?)",
                                   [id, .of((result.continuedFromEpoch ?? 0) + result.epochs.count), .text(sha256Hex(data)), .of(data.count), .blob([UInt8](data))])
            }
            try connection.run("""
                UPDATE runs SET status = ?, started_at = ?, ended_at = ?,
                    duration_seconds = \(result.continuedFromEpoch == nil ? "?" : "COALESCE(duration_seconds, 0) + ?"), heartbeat_at = ?,
                    tool_version = ?, git_commit = ?, epochs_run = ?, best_epoch = ?, diverged_epoch = ?,
                    final_train_loss = ?, final_train_accuracy = ?, final_validation_loss = ?, final_validation_accuracy = ?,
                    best_validation_loss = ?, best_validation_accuracy = ?, test_loss = ?, test_accuracy = ?, test_confusion = ?, error = ?,
                    \(RankingMetric.added.flatMap { [$0.validationColumn, $0.testColumn] }.map { "\($0) = ?" }.joined(separator: ", "))
                WHERE run_id = ?
                """, [.text(result.status.rawValue), .text(timestamp(result.startedAt)), .text(timestamp(result.endedAt)),
                      .of(max(0, result.endedAt.timeIntervalSince(result.startedAt))), .text(timestamp(result.endedAt)),
                      .of(result.toolVersion), .of(result.gitCommit), .of((result.continuedFromEpoch ?? 0) + result.epochs.count), .of(result.bestEpoch),
                      .of(result.divergedEpoch), .of(result.finalTrainLoss), .of(result.finalTrainAccuracy),
                      .of(result.finalValidationLoss), .of(result.finalValidationAccuracy), .of(result.bestValidationLoss),
                      .of(result.bestValidationAccuracy), .of(result.testLoss), .of(result.testAccuracy),
                      .of(result.testConfusion.map { jsonText($0) }), .of(result.error)]
                    + RankingMetric.added.flatMap { [SQLValue.of(result.validationMetrics[$0]), .of(result.testMetrics[$0])] } + [id])
        }
    }

    /// Marks the claimed runs that are still held `interrupted` (on Ctrl-C, SIGTERM or SIGHUP);
    /// runs no longer `running` with the claim's token are left alone.
    /// ``requeueUnfinished(sweepID:observer:maxAttempts:retryFailed:isAlive:)`` queues them again.
    /// - Returns: the ids of the runs marked, in the order given.
    /// - Throws: ``SQLiteError`` (nothing is marked then).
    @discardableResult
    public func markInterrupted(_ claims: [ClaimedRun]) throws -> [Int64] {
        guard !claims.isEmpty else { return [] }
        return try write {
            let now = timestamp()
            return try claims.filter { claim in
                try connection.run("""
                    UPDATE runs SET status = 'interrupted', ended_at = ?, error = 'stopped by a signal'
                    WHERE run_id = ? AND claim_token = ? AND status = 'running'
                    """, [.text(now), .integer(claim.runID), .text(claim.token)]) == 1
            }.map(\.runID)
        }
    }

    /// Counts of the sweep's runs by status (statuses without runs are absent); `queued`
    /// includes the planned cells not written as runs yet (``CellCounts/unqueued``).
    /// - Parameter shard: when given, only the cells whose `cell_index % count == index`.
    /// - Throws: ``SQLiteError``.
    public func statusCounts(sweepID: Int64, shard: (index: Int, count: Int)? = nil) throws -> [RunStatus: Int] {
        var counts: [RunStatus: Int] = [:]
        let cells = try cellCounts(sweepID: sweepID)
        let unqueued = shard.map { shard in
            // Cell indices below x that fall in the shard: i % count == index, 0 <= i < x.
            func below(_ x: Int) -> Int { max(0, (x - shard.index + shard.count - 1) / shard.count) }
            return below(max(cells.planned, cells.queued)) - below(cells.queued)
        } ?? cells.unqueued
        if unqueued > 0 { counts[.queued] = unqueued }
        for (status, count) in try connection.query(
            "SELECT status, COUNT(*) AS runs FROM runs WHERE sweep_id = ? \(shardCondition(shard)) GROUP BY status",
            [.integer(sweepID)], { s in
                (try readStatus(s), try s.required(s.int, "runs"))
            }) {
            counts[status, default: 0] += count
        }
        return counts
    }

    /// The highest final validation accuracy (a fraction, 0...1) of the sweep's stored
    /// finished and diverged runs, whichever process trained them; nil when none has one.
    public func bestValidationAccuracy(sweepID: Int64) throws -> Double? {
        try connection.query("""
            SELECT MAX(final_validation_accuracy) AS best FROM runs
            WHERE sweep_id = ? AND status IN ('finished', 'diverged')
            """, [.integer(sweepID)], { s in try s.double("best") }).first ?? nil
    }

    /// The kinds of weights stored for a run (`best`, `final`), in that order; empty while it
    /// has stored none (it has not finished).
    public func storedWeightKinds(runID: Int64) throws -> [String] {
        try connection.query("SELECT kind FROM weights WHERE run_id = ? ORDER BY kind", [.integer(runID)], { s in
            try s.required(s.string, "kind")
        })
    }

    /// The stored weights of a run (`final` or `best`) as safetensors bytes.
    /// - Throws: ``TrackerError/notFound(_:)``.
    public func weights(runID: Int64, kind: String = "final") throws -> Data {
        guard let bytes = try connection.query("SELECT data FROM weights WHERE run_id = ? AND kind = ?",
                                               [.integer(runID), .text(kind)], { s in try s.bytes("data") }).first ?? nil else {
            throw TrackerError.notFound("\(kind) weights of run \(runID)")
        }
        return Data(bytes)
    }
}

/// The `train_rows`, `validation_rows`, `test_rows` and `early_stopping_rows` columns of a row
/// (JSON arrays).
/// - Throws: ``SQLiteError`` for a missing column; a `DecodingError` for text that is no array of integers.
func readSplitRows(_ s: Statement) throws -> SplitRows {
    SplitRows(train: try decodeJSON([Int].self, try s.string("train_rows")),
              validation: try decodeJSON([Int].self, try s.string("validation_rows")),
              test: try decodeJSON([Int].self, try s.string("test_rows")),
              earlyStopping: try decodeJSON([Int].self, try s.string("early_stopping_rows")))
}
