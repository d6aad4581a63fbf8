import ArgumentParser
import Datasets
import Foundation
import NeuralNet
import Sweep
import Tracker

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train every configuration x seed (x fold) of a grid file, in parallel; run it again to resume.",
        discussion: """
            The grid format is documented in docs/grid.md.

            Examples:
              exp sweep Data/grids/iris.json --jobs 4
              exp sweep Data/grids/iris.json --shard 0/4 --db shard0.db
            """
    )

    @Argument(help: "The grid file (JSON).")
    var grid: String

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Parallel training workers, 1 to 128 (the default is this machine's active cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(name: .long, help: "Run only the cells whose index mod N is I, written as I/N (for job arrays).")
    var shard: String?

    @Flag(name: .long, help: "Print no progress.")
    var quiet = false

    @Option(name: .long, help: "Refuse a grid of more search cells (configuration x seed x split) than this.")
    var maxCells: Int = GridFile.defaultMaxCells

    @Option(name: .long, help: "Claim a run that keeps failing at most this many times in all, over every resume.")
    var maxAttempts: Int = RunStore.defaultMaxAttempts

    @Flag(name: .long, help: "Requeue every failed run, also those that have used their --max-attempts.")
    var retryFailed = false

    @Flag(name: .long, help: "Print the cells that would be added, requeued and left failed, store nothing, and exit.")
    var dryRun = false

    @Option(name: .long, help: "Write this many planned cells to the queue at a time, as workers need them.")
    var queueBatch: Int = SweepPlanner.defaultQueueBatch
    @Option(name: .long, help: ArgumentHelp(
        "Seconds without a heartbeat after which other processes may take this one's runs over.",
        discussion: "It refreshes its heartbeats every sixth of this; see docs/sweeps.md."))
    var heartbeatTimeout: Double = ClaimOwner.defaultHeartbeatTimeout

    func validate() throws {
        if maxCells < 1 { throw ValidationError("--max-cells must be at least 1") }
        if maxAttempts < 1 { throw ValidationError("--max-attempts must be at least 1") }
        if queueBatch < 1 { throw ValidationError("--queue-batch must be at least 1") }
        if !(1...maximumJobs).contains(jobs) { throw ValidationError("--jobs must be between 1 and \(maximumJobs)") }
        if let shard, parseShard(shard) == nil { throw ValidationError("--shard must be I/N with 0 <= I < N, e.g. 0/4") }
        if !(heartbeatTimeout >= 1) { throw ValidationError("--heartbeat-timeout must be at least 1 (seconds)") }
    }

    func run() throws {
        BLAS.useSingleThread()
        let grid = try GridFile.load(URL(fileURLWithPath: self.grid), maxCells: maxCells)
        try requireSupportedSearch(grid, sharded: shard != nil)
        for remark in grid.notes { note("note: \(remark)") }
        let retry = RetryPolicy(maxAttempts: maxAttempts, retryFailed: retryFailed)
        if dryRun {
            let (dataset, prepared) = try previewSweep(grid, database: database.db, retry: retry, queueBatch: queueBatch)
            printDryRun(prepared, grid: grid, dataset: dataset, retry: retry)
            return
        }
        let (store, dataset, prepared) = try prepareSweep(grid, database: database.db, retry: retry, queueBatch: queueBatch,
                                                          quiet: quiet)
        if let message = leftFailedMessage(prepared.requeue.skipped, retry: retry) { note(message) }
        let extended = prepared.newCells > 0 && prepared.newCells < prepared.cellCount
        if extended { note("sweep '\(grid.name)': added \(prepared.newCells) cells (\(prepared.cellCount) in all)") }
        let resumed = prepared.newCells < prepared.cellCount ? ", resuming (\(prepared.requeued) requeued)" : ""
        note("sweep '\(grid.name)': \(counted(prepared.cellCount, "run")) (\(counted(grid.configurations.count, "configuration"))"
            + " x \(counted(grid.seeds.count, "seed"))"
            + protocolShape(grid.evaluation) + ") on \(dataset.name) "
            + "(\(dataset.rowCount) rows x \(dataset.featureCount) features, \(dataset.classNames.count) classes), "
            + "\(jobs) jobs -> \(database.db)\(resumed)")
        let summary = try runSweep(prepared, store: store, jobs: jobs, shard: shard.flatMap(parseShard),
                                   heartbeatTimeout: heartbeatTimeout, quiet: quiet) { summary in
            let counts = RunStatus.allCases.compactMap { status in summary.counts[status].map { "\($0) \(status.rawValue)" } }
            note("runs: " + counts.joined(separator: ", "))
        }
        try printBest(store: store, sweepID: prepared.sweepID, nested: grid.evaluation.outerFolds != nil)
        if !summary.complete {
            let failures = try store.failures(sweepID: prepared.sweepID, limit: 5).map { "\($0.count) failed: \($0.error ?? "unknown error")" }
            failures.forEach(note)
            let what = shard.map { "shard \($0) of the sweep" } ?? "the sweep"
            throw ExpError.incomplete("\(what) is not complete; run the same command again to resume "
                                      + "(a failed run is tried at most --max-attempts times in all; --retry-failed tries it again)")
        }
    }

    private func printBest(store: RunStore, sweepID: Int64, nested: Bool) throws {
        if let s = try store.bestConfiguration(sweepID: sweepID) {
            let scope = nested ? "over the search runs of every outer fold, an optimistic figure" : "over \(counted(s.finishedRuns, "run"))"
            let test = s.testAccuracyMean.map { String(format: ", mean test accuracy %.2f%%", $0 * 100) } ?? ", no test rows"
            if let validation = s.validationAccuracyMean {
                // A standard deviation needs two runs: one run has no spread to show, not a spread of 0.
                let spread = s.validationAccuracyStd.map { String(format: " ± %.2f", $0 * 100) } ?? " (one run, no spread)"
                print(String(format: "best configuration (by mean validation accuracy %@): %@\n  validation accuracy %.2f%%",
                             scope, s.config, validation * 100) + spread + test)
            } else {
                print("configuration (the only one; no validation rows, validation_fraction 0): \(s.config)\n  over \(counted(s.finishedRuns, "run"))" + test)
            }
        }
        let scores = try store.refitScores(sweepID: sweepID)
        guard !scores.isEmpty else { return }
        let correct = scores.map(\.correct).reduce(0, +), scored = scores.map(\.scored).reduce(0, +)
        let distinct = Set(scores.flatMap(\.testRows)).count
        let runs = scores.map(\.finishedRuns).reduce(0, +)
        let what = nested ? "outer estimate (nested cross-validation, each outer fold's choice refitted)" : "refit of the chosen configuration"
        if scored == 0 {
            print("\(what): no test rows scored yet")
        } else {
            print(String(format: "%@: %d of %d test rows right (%.2f%%), pooled over %d refit runs on %d distinct test rows",
                         what, correct, scored, Double(correct) / Double(scored) * 100, runs, distinct))
        }
        for score in scores {
            let fold = nested ? "repeat \(score.selection.repeat) outer fold \(score.selection.outerFold)" : "chosen"
            let result = score.scored > 0 ? "\(score.correct)/\(score.scored) right" : "not scored yet"
            print("  \(fold): \(score.selection.config) (\(score.selection.refitEpochs) epochs): \(result)")
        }
    }
}

/// The protocol's part of the sweep's first line: ` x 3 repeats x 10 outer x 5 inner folds`.
func protocolShape(_ evaluation: EvaluationProtocol) -> String {
    var shape = evaluation.repeats.map { " x " + counted($0, "repeat") } ?? ""
    if let outer = evaluation.outerFolds, let inner = evaluation.innerFolds {
        shape += " x \(outer) outer x \(counted(inner, "inner fold")), then one refit per seed and outer fold"
    } else if let folds = evaluation.folds {
        shape += " x " + counted(folds, "fold") + (evaluation.refits ? ", then one refit per seed" : "")
    }
    return shape
}

/// Reads a validated grid's data set, opens the database, and stores and queues the sweep.
/// - Throws: ``ExpError/rejected(_:)`` for a bad data file or an impossible protocol, before
///   anything is stored; ``ExpError/database(_:path:)`` when the database cannot be used, or
///   fails `PRAGMA quick_check` (``DatabaseFileError/damaged(path:)``) before anything is written.
func prepareSweep(_ grid: GridFile, database: String, retry: RetryPolicy = RetryPolicy(), queueBatch: Int = SweepPlanner.defaultQueueBatch,
                  quiet: Bool = false) throws -> (RunStore, Dataset, PreparedSweep) {
    let dataset = try readSweepDataset(grid)
    return try prepareSweep(grid, dataset: dataset, database: database, retry: retry, queueBatch: queueBatch, quiet: quiet)
}

/// Reads a validated grid's data set, saying what was noted while reading it.
/// - Throws: ``ExpError/rejected(_:)`` for a bad data file.
func readSweepDataset(_ grid: GridFile) throws -> Dataset {
    let dataset: Dataset
    do {
        let read = try DatasetImport.readNoted(grid.datasetURL, options: grid.datasetOptions)
        dataset = read.dataset
        for line in read.notes { note("note: \(grid.datasetURL.path): \(line)") }
    } catch {
        throw ExpError.rejected("\(error)")
    }
    return dataset
}

/// Checks the protocol on `dataset`, opens the database, and stores and queues the sweep,
/// saying how many of its cells are queued when some are left for later batches.
/// - Throws: ``ExpError/rejected(_:)`` for an impossible protocol (before the database is
///   opened, so a refused command leaves no database file behind) or a changed grid or data.
func prepareSweep(_ grid: GridFile, dataset: Dataset, database: String, retry: RetryPolicy = RetryPolicy(),
                  queueBatch: Int = SweepPlanner.defaultQueueBatch, quiet: Bool = false) throws -> (RunStore, Dataset, PreparedSweep) {
    do { _ = try SweepPlanner.splits(for: grid.evaluation, dataset: dataset) } catch {
        throw ExpError.rejected("\(grid.url.path): protocol: \(error)")
    }
    let store = try openStore(database)
    do {
        // Once per process, before anything is written: a full scan of the file.
        try store.requireUndamaged()
        let prepared = try SweepPlanner.prepare(grid: grid, dataset: dataset, store: store, toolVersion: toolVersion, retry: retry,
                                                queueBatch: queueBatch) { queued, planned in
            if !quiet, queued < planned {
                note("queued \(queued) of \(planned) cells; the others are queued \(queueBatch) at a time as workers need them")
            }
        }
        return (store, prepared.dataset, prepared)
    } catch {
        throw planningError(error, grid: grid, database: database)
    }
}

/// Refuses a halving search (`successive_halving`, `hyperband`) that `exp sweep` cannot run,
/// before anything is read or stored: in a shard (shards in separate databases cannot see each
/// other's rung results), or with a protocol that refits a chosen configuration.
/// - Throws: ``ExpError/rejected(_:)`` naming the file and `search.method`.
func requireSupportedSearch(_ grid: GridFile, sharded: Bool) throws {
    guard let search = grid.search, search.method.isHalving else { return }
    if sharded {
        throw ExpError.rejected("\(grid.url.path): search.method: \(search.method.rawValue) cannot run with --shard: a rung is "
                                + "decided on every configuration's results, which shards in separate databases cannot see; "
                                + "run it without --shard (processes sharing one database may run it together)")
    }
    if grid.evaluation.refits {
        throw ExpError.rejected("\(grid.url.path): search.method: \(search.method.rawValue) does not combine with a protocol "
                                + "that refits (refit, outer_folds); use a holdout or k-fold protocol")
    }
}

/// What `exp sweep` reports when preparing `grid` failed: a grid or data file the stored sweep
/// refuses (exit 2, naming the file), else a problem with the database.
func planningError(_ error: Error, grid: GridFile, database: String) -> ExpError {
    switch error {
    case let error as TrackerError: return .rejected("\(grid.url.path): \(error)")
    case let error as GridChangeError: return .rejected("\(error)")
    default: return .database(error, path: database)
    }
}

/// The most workers a sweep may start. Each worker is a Dispatch queue that blocks while it
/// trains; past a few hundred the Dispatch thread pool runs out and the sweep would hang, and
/// more workers than cores never helps.
let maximumJobs = 128

/// Parses `I/N` with 0 <= I < N.
func parseShard(_ text: String) -> (index: Int, count: Int)? {
    let parts = text.split(separator: "/")
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, (0..<n).contains(i) else { return nil }
    return (i, n)
}

/// Databases this process writes, checkpointed when it exits (see ``checkpointOnExit``).
var writableStores: [RunStore] = []

/// Registered once with `atexit`: empties each written database's write-ahead log into the
/// database file, so that `runs.db` alone is complete after `exp` exits, however it exits
/// through the entry point's `exit` (a copy of the file without its `-wal` would otherwise miss recent runs).
let checkpointOnExit: Void = {
    atexit { checkpointWritableStores() }
}()

/// Empties each written database's write-ahead log into the database file, trying for a few
/// seconds while another program reads it; when that does not succeed, says that the `-wal`
/// file belongs with any copy.
func checkpointWritableStores() {
    for store in writableStores {
        let copyHint = "copy that file with it, or take a copy with `exp db snapshot --db \(store.path) COPY.db`"
        do {
            if try !store.checkpointBeforeExit() {
                note("note: another program is using \(store.path), so recent runs are still in \(store.path)-wal; \(copyHint)")
            }
        } catch {
            note("note: \(Termination.describe(error, database: store.path).message); recent runs are still in \(store.path)-wal; \(copyHint)")
        }
    }
    writableStores = []
}

/// Opens the database. Opened `readOnly`, nothing is written or created (see
/// ``RunStore/init(path:readOnly:asStored:)``); a file read as immutable is said so on standard error.
/// - Throws: ``ExpError/database(_:path:)`` for a missing (when `readOnly`), refused or unreadable file.
func openStore(_ path: String, readOnly: Bool = false, asStored: Bool = false) throws -> RunStore {
    do {
        let store = try RunStore(path: path, readOnly: readOnly, asStored: asStored)
        openedDatabase = path
        if store.isImmutable { noteImmutable(path) }
        if !readOnly {
            _ = checkpointOnExit
            writableStores.append(store)
        }
        if let backup = store.backupPath { note("upgraded the schema of \(path); a copy of the old file is at \(backup)") }
        return store
    } catch {
        throw ExpError.database(error, path: path)
    }
}

/// Says that the database at `path` is read as immutable, on storage nothing can be written to.
func noteImmutable(_ path: String) {
    note("note: nothing can be written beside \(path) (read-only storage); reading it as a file that does not change")
}
