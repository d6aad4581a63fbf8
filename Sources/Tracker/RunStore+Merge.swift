import Foundation

/// What merging one database into another did.
public struct MergeSummary: Sendable, Equatable {
    /// Runs that were not in the target and were copied.
    public var added = 0
    /// Runs of the target replaced by a more complete copy (a finished run over an unfinished one).
    public var replaced = 0
    /// Runs already in the target as complete as the source's, left alone.
    public var unchanged = 0
    /// True when the source was read as immutable, on storage nothing can be written to (see
    /// ``RunStore/isImmutable``).
    public var sourceIsImmutable = false
    /// Tags and notes copied: new here, or set more recently in the source.
    public var annotationsCopied = 0
    /// Tags and notes both files hold on the same run or sweep with different values (the one
    /// set most recently was kept).
    public var annotationConflicts = 0
}

extension RunStore {
    /// The tables whose rows belong to one run and follow it in a merge (tags and notes aside).
    static let perRunTables = ["params", "epoch_metrics", "weights", "checkpoints", "rungs"]

    /// How complete a run's status is: a merge only replaces a run by a strictly more complete one.
    static func completeness(_ status: String) -> Int {
        switch status {
        case RunStatus.finished.rawValue, RunStatus.diverged.rawValue, RunStatus.pruned.rawValue: return 2
        case RunStatus.failed.rawValue: return 1
        default: return 0
        }
    }

    /// Merges the database at `path` — typically one shard of a sweep run with `--shard I/N`
    /// on another machine — into this one, in one transaction.
    ///
    /// Data sets (by content hash), sweeps (by name; the grid must be the same), their grid
    /// versions (by number; the same number must hold the same grid), their planned and queued
    /// cell counts (the larger stands) and splits are matched or added; each run is matched on
    /// (sweep, configuration hash, seed, repeat, outer fold, fold, phase), and each fold's
    /// selection is copied unless the fold has one. A run missing here is copied with its
    /// params, epoch metrics, weights, checkpoint and rung decisions; a run here that is
    /// less complete than the source's (queued, running, interrupted or failed, against a
    /// finished, diverged or pruned one) is replaced by it. Tags and notes follow their runs and sweeps;
    /// where both files set one differently, the most recently set value wins (see
    /// ``mergeAnnotations(runIDs:sweepIDs:)``). Merging the same file again changes nothing.
    ///
    /// The source is only read: opened read-only (as immutable on read-only storage, see
    /// ``init(path:readOnly:)``), and when its schema is older, upgraded in a temporary copy
    /// that is deleted afterwards.
    /// - Throws: ``DatabaseFileError/sameFile(path:other:)`` when `path` is this database by
    ///   another name (compared by device and inode: a relative path, a symbolic or hard link);
    ///   ``DatabaseFileError`` for a missing, empty or directory source;
    ///   ``TrackerError/gridChanged(sweep:)`` when a sweep of the same name has another grid
    ///   here, or another grid under one of its grid version numbers; ``SchemaError``; ``SQLiteError``.
    @discardableResult
    public func merge(from path: String) throws -> MergeSummary {
        try merge(from: MergeSource(path: path, into: self.path))
    }

    /// Merges a source opened beforehand (see ``MergeSource``), so that a caller can refuse a bad
    /// source before it creates this database.
    @discardableResult
    public func merge(from source: MergeSource) throws -> MergeSummary {
        let reader = source.reader
        try MergeSource.refuseSameFile(reader.path, target: path)
        let attached = reader.upgradedCopy.map { DatabaseFile.uri($0, ["mode=ro"]) }
            ?? DatabaseFile.uri(reader.path, reader.isImmutable ? ["mode=ro", "immutable=1"] : ["mode=ro"])
        try connection.run("ATTACH DATABASE ? AS source", [.text(attached)])
        defer { try? connection.execute("DETACH DATABASE source") }
        return try write {
            let source = try RunStore.readSource(connection)
            var datasetIDs: [Int64: Int64] = [:]
            for record in source.datasets {
                // The same content stored in another class order (numeric class names sorted
                // as text by older versions) has other splits and other confusion matrices.
                if let stored = try dataset(sha256: record.sha256), stored.classNames != record.classNames {
                    throw TrackerError.classOrderDiffers(dataset: "\(stored.name)@\(stored.version)",
                                                         stored: stored.classNames, merged: record.classNames)
                }
                datasetIDs[record.id!] = try storeDataset(record).id!
            }
            var sweepIDs: [Int64: Int64] = [:]
            for sweep in source.sweeps {
                var record = sweep
                record.datasetID = datasetIDs[sweep.datasetID]!
                sweepIDs[sweep.id!] = try openSweep(record).id!
            }
            var splitIDs: [Int64: Int64] = [:]
            for split in source.splits {
                splitIDs[split.id] = try storeSplit(datasetID: datasetIDs[split.datasetID]!, splitSeed: split.splitSeed,
                                                    protocolJSON: split.protocolJSON, repeat: split.repeat,
                                                    outerFold: split.outerFold, fold: split.fold, rows: split.rows)
            }
            let columns = try connection.query("SELECT name FROM pragma_table_info('runs')") { s in try s.required(s.string, "name") }
                .filter { !["run_id", "sweep_id", "dataset_id", "split_id"].contains($0) }
            let list = columns.joined(separator: ", ")
            var summary = MergeSummary(sourceIsImmutable: reader.isImmutable)
            var runIDs: [Int64: Int64] = [:]
            for run in source.runs {
                let sweepID = sweepIDs[run.sweepID]!
                let existing = try connection.query("""
                    SELECT run_id, status FROM main.runs WHERE sweep_id = ? AND config_sha256 = ? AND seed = ? AND repeat = ?
                      AND outer_fold = ? AND fold = ? AND phase = ?
                    """, [.integer(sweepID), .text(run.configSHA), .of(run.seed), .of(run.repeat), .of(run.outerFold),
                          .of(run.fold), .text(run.phase)]) { s in
                    (try s.required(s.id, "run_id"), try s.required(s.string, "status"))
                }.first
                let target: Int64
                if let (id, status) = existing {
                    runIDs[run.id] = id
                    guard RunStore.completeness(run.status) > RunStore.completeness(status) else {
                        summary.unchanged += 1
                        continue
                    }
                    for table in RunStore.perRunTables {
                        try connection.run("DELETE FROM main.\(table) WHERE run_id = ?", [.integer(id)])
                    }
                    try connection.run("UPDATE main.runs SET (\(list)) = (SELECT \(list) FROM source.runs WHERE run_id = ?) WHERE run_id = ?",
                                       [.integer(run.id), .integer(id)])
                    target = id
                    summary.replaced += 1
                } else {
                    try connection.run("""
                        INSERT INTO main.runs (sweep_id, dataset_id, split_id, \(list))
                        SELECT ?, ?, ?, \(list) FROM source.runs WHERE run_id = ?
                        """, [.integer(sweepID), .integer(datasetIDs[run.datasetID]!), .integer(splitIDs[run.splitID]!), .integer(run.id)])
                    target = connection.lastInsertRowID
                    runIDs[run.id] = target
                    summary.added += 1
                }
                for table in RunStore.perRunTables {
                    let copied = try connection.query("SELECT name FROM pragma_table_info('\(table)')") { s in try s.required(s.string, "name") }
                        .filter { $0 != "run_id" }.joined(separator: ", ")
                    try connection.run("INSERT INTO main.\(table) (run_id, \(copied)) SELECT ?, \(copied) FROM source.\(table) WHERE run_id = ?",
                                       [.integer(target), .integer(run.id)])
                }
            }
            for (source, target) in sweepIDs { try mergeGridVersions(from: source, into: target) }
            // A fold's choice is the same wherever it was made; the first one stored stands.
            for (source, target) in sweepIDs {
                try connection.run("""
                    INSERT INTO main.selections (sweep_id, repeat, outer_fold, config_sha256, config, refit_epochs, candidates, selected_at)
                    SELECT ?, repeat, outer_fold, config_sha256, config, refit_epochs, candidates, selected_at
                    FROM source.selections WHERE sweep_id = ?
                    ON CONFLICT (sweep_id, repeat, outer_fold) DO NOTHING
                    """, [.integer(target), .integer(source)])
            }
            (summary.annotationsCopied, summary.annotationConflicts) = try mergeAnnotations(runIDs: runIDs, sweepIDs: sweepIDs)
            return summary
        }
    }

    /// Copies the grid versions of the attached source's sweep that this sweep lacks, keeping
    /// their numbers, and takes the larger planned and queued cell counts: every cell below the
    /// source's `queued_cells` is one of its runs, copied by the merge.
    /// - Throws: ``TrackerError/gridChanged(sweep:)`` when a version number holds another grid
    ///   here (the two files extended the sweep differently); ``SQLiteError``.
    private func mergeGridVersions(from source: Int64, into target: Int64) throws {
        let mine = Dictionary(uniqueKeysWithValues: try gridVersions(sweepID: target).map { ($0.version, $0.canonicalSHA256) })
        let theirs = try connection.query("""
            SELECT version, canonical_sha256 FROM source.sweep_grids WHERE sweep_id = ? ORDER BY version
            """, [.integer(source)]) { s in (try s.required(s.int, "version"), try s.required(s.string, "canonical_sha256")) }
        for (version, sha) in theirs {
            if let stored = mine[version] {
                guard stored == sha else {
                    let name = try connection.scalar("SELECT name FROM main.sweeps WHERE sweep_id = ?", [.integer(target)])?.string
                    throw TrackerError.gridChanged(sweep: name ?? "\(target)")
                }
                continue
            }
            try connection.run("""
                INSERT INTO main.sweep_grids (sweep_id, version, canonical, canonical_sha256, grid, grid_path, first_seen_at,
                                              first_cell_index, cells_added)
                SELECT ?, version, canonical, canonical_sha256, grid, grid_path, first_seen_at, first_cell_index, cells_added
                FROM source.sweep_grids WHERE sweep_id = ? AND version = ?
                """, [.integer(target), .integer(source), .of(version)])
        }
        try connection.run("""
            UPDATE main.sweeps SET planned_cells = MAX(planned_cells, (SELECT planned_cells FROM source.sweeps WHERE sweep_id = ?)),
                                   queued_cells = MAX(queued_cells, (SELECT queued_cells FROM source.sweeps WHERE sweep_id = ?))
            WHERE sweep_id = ?
            """, [.integer(source), .integer(source), .integer(target)])
    }

    private struct SourceRun {
        var id, sweepID, datasetID, splitID: Int64; var configSHA: String; var seed, `repeat`, outerFold, fold: Int
        var phase, status: String
    }
    private struct SourceSplit {
        var id, datasetID: Int64; var splitSeed, `repeat`, outerFold, fold: Int; var protocolJSON: String; var rows: SplitRows
    }

    /// Everything in the attached `source` database that a merge matches on.
    private static func readSource(_ c: Connection) throws
        -> (datasets: [DatasetRecord], sweeps: [SweepRecord], splits: [SourceSplit], runs: [SourceRun]) {
        let datasets = try c.query("SELECT \(datasetColumns) FROM source.datasets ORDER BY dataset_id", [], readDataset)
        let sweeps = try c.query("""
            SELECT sweep_id, name, dataset_id, grid, grid_path, protocol, tool_version, benchmark_test_accuracy, benchmark_source
            FROM source.sweeps ORDER BY sweep_id
            """) { s -> SweepRecord in
            var record = SweepRecord(
                name: try s.required(s.string, "name"), datasetID: try s.required(s.id, "dataset_id"),
                grid: try s.required(s.string, "grid"), gridPath: try s.string("grid_path"),
                protocolJSON: try s.required(s.string, "protocol"), toolVersion: try s.required(s.string, "tool_version"))
            record.id = try s.id("sweep_id")
            record.benchmark = try Benchmark.read(s)
            return record
        }
        let splits = try c.query("""
            SELECT split_id, dataset_id, split_seed, repeat, outer_fold, fold, protocol, train_rows, validation_rows, test_rows,
                   early_stopping_rows
            FROM source.splits ORDER BY split_id
            """) { s in
            SourceSplit(id: try s.required(s.id, "split_id"), datasetID: try s.required(s.id, "dataset_id"),
                        splitSeed: try s.required(s.int, "split_seed"), repeat: try s.required(s.int, "repeat"),
                        outerFold: try s.required(s.int, "outer_fold"), fold: try s.required(s.int, "fold"),
                        protocolJSON: try s.required(s.string, "protocol"), rows: try readSplitRows(s))
        }
        let runs = try c.query("""
            SELECT run_id, sweep_id, dataset_id, split_id, config_sha256, seed, repeat, outer_fold, fold, phase, status
            FROM source.runs ORDER BY sweep_id, cell_index
            """) { s in
            SourceRun(id: try s.required(s.id, "run_id"), sweepID: try s.required(s.id, "sweep_id"),
                      datasetID: try s.required(s.id, "dataset_id"), splitID: try s.required(s.id, "split_id"),
                      configSHA: try s.required(s.string, "config_sha256"), seed: try s.required(s.int, "seed"),
                      repeat: try s.required(s.int, "repeat"), outerFold: try s.required(s.int, "outer_fold"),
                      fold: try s.required(s.int, "fold"), phase: try s.required(s.string, "phase"),
                      status: try s.required(s.string, "status"))
        }
        return (datasets, sweeps, splits, runs)
    }
}

/// A database opened read-only to be merged into another (``RunStore/merge(from:)-(MergeSource)``).
public struct MergeSource {
    /// The source, read through its upgraded temporary copy when its schema is older (see
    /// ``RunStore/upgradedCopy``).
    let reader: RunStore

    /// Opens the database at `path` read-only, to be merged into the one at `target`.
    /// - Throws: ``DatabaseFileError/sameFile(path:other:)`` when `path` is `target` by another
    ///   name (compared by device and inode before the file is opened: SQLite must not open one
    ///   file in WAL mode by two names); what ``RunStore/init(path:readOnly:asStored:)`` throws.
    public init(path: String, into target: String) throws {
        try Self.refuseSameFile(path, target: target)
        reader = try RunStore(path: path, readOnly: true)
    }

    static func refuseSameFile(_ path: String, target: String) throws {
        if let mine = DatabaseFile.identity(target), mine == DatabaseFile.identity(path) {
            throw DatabaseFileError.sameFile(path: target, other: path)
        }
    }
}
