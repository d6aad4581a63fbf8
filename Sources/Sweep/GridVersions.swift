import Determinism
import Foundation
import Tracker

/// A sweep's grid versions (`sweep_grids`): which grid opens, resumes or extends a sweep, and
/// the sweep's cells planned from them.
enum GridVersions {
    /// Creates the sweep with `grid` as its version 1, or opens the stored one: a resume when
    /// `grid` has the canonical form of its latest version (or of an earlier one with the same
    /// cells), an extension when `grid` adds cells to it, stored as its next version with its
    /// new cells planned after the stored ones. Runs inside the caller's transaction.
    /// - Returns: the sweep and the cells `grid` added to its plan.
    /// - Throws: ``GridChangeError``, `TrackerError.gridChanged` (the stored grid cannot be
    ///   read and differs), `SQLiteError`.
    static func open(_ grid: GridFile, datasetID: Int64, protocolJSON: String, toolVersion: String, splitCount: Int,
                     store: RunStore) throws -> (sweep: SweepRecord, added: Int) {
        let canonical = grid.canonicalJSON
        guard let existing = try store.sweep(named: grid.name) else {
            let sweep = try store.openSweep(SweepRecord(name: grid.name, datasetID: datasetID, grid: grid.text, gridPath: grid.url.path,
                                                        protocolJSON: protocolJSON, toolVersion: toolVersion,
                                                        benchmark: grid.benchmark))
            let count = CellPlan.cellCount(of: grid, pairs: nil, splitCount: splitCount)
            try store.addGridVersion(sweepID: sweep.id!, canonical: canonical, grid: grid.text, gridPath: grid.url.path,
                                     firstCellIndex: 0, cellsAdded: count)
            return (sweep, count)
        }
        var versions = try store.gridVersions(sweepID: existing.id!)
        if versions.isEmpty { versions = [try storeFirstVersion(of: existing, now: grid, store: store)] }
        let sha = sha256Hex(canonical)
        guard let latest = versions.last, latest.canonicalSHA256 != sha else { return (existing, 0) }
        guard let previous = read(latest, near: grid) else {
            guard existing.grid == grid.text else { throw TrackerError.gridChanged(sweep: grid.name) }
            return (existing, 0)
        }
        let differences = GridExtension.differences(from: previous, to: grid)
        guard differences.isEmpty else { throw GridChangeError(file: grid.url.path, sweep: grid.name, differences: differences) }
        let added = GridExtension.newPairs(from: previous, to: grid).count * splitCount
        if added > 0, case let chosen = try store.selections(sweepID: existing.id!).count, chosen > 0 {
            throw GridChangeError(file: grid.url.path, sweep: grid.name, differences: [.init(
                path: "grid", message: "adds \(added) cells, but \(chosen) folds have already chosen their configuration from the stored cells")])
        }
        if versions.contains(where: { $0.canonicalSHA256 == sha }) { return (existing, 0) }
        let planned = try store.cellCounts(sweepID: existing.id!).planned
        try store.addGridVersion(sweepID: existing.id!, canonical: canonical, grid: grid.text, gridPath: grid.url.path,
                                 firstCellIndex: planned, cellsAdded: added)
        return (existing, added)
    }

    /// Stores version 1 of a sweep created before grid versions were stored: its grid text as
    /// stored, first seen when the sweep was created, with every cell planned then.
    /// - Throws: `TrackerError.gridChanged` when that text cannot be read by this `exp` and
    ///   `now`'s text differs from it; `SQLiteError`.
    private static func storeFirstVersion(of sweep: SweepRecord, now: GridFile, store: RunStore) throws -> GridVersion {
        let first = GridVersion(version: 1, canonical: "{}", grid: sweep.grid, gridPath: sweep.gridPath, firstSeenAt: "", firstCellIndex: 0,
                                cellsAdded: 0)
        let canonical: String
        if let parsed = read(first, near: now) {
            canonical = parsed.canonicalJSON
        } else if sweep.grid == now.text {
            canonical = now.canonicalJSON
        } else {
            throw TrackerError.gridChanged(sweep: sweep.name)
        }
        return try store.addGridVersion(sweepID: sweep.id!, canonical: canonical, grid: sweep.grid, gridPath: sweep.gridPath,
                                        firstSeenAt: sweep.createdAt, firstCellIndex: 0,
                                        cellsAdded: try store.cellCounts(sweepID: sweep.id!).planned)
    }

    /// A stored version's grid, read again from its text (its data set path resolved from its
    /// stored path, else from `grid`'s); nil when this `exp` cannot read it.
    static func read(_ version: GridVersion, near grid: GridFile) -> GridFile? {
        try? GridFile.parse(version.grid, url: URL(fileURLWithPath: version.gridPath ?? grid.url.path), maxCells: .max)
    }

    /// The hashes of the configurations each stored grid version added, in version order and,
    /// within one, in the grid's order: a halving search halves each group on its own, so more
    /// trials start a new bracket and decided rungs never change. A version this `exp` cannot
    /// read adds nothing here (its configurations fall to the next readable version).
    /// - Throws: `SQLiteError`; `EncodingError` for a configuration without canonical JSON.
    static func configurationGroups(sweepID: Int64, current: GridFile, store: RunStore) throws -> [[String]] {
        let sha = sha256Hex(current.canonicalJSON)
        var seen: Set<String> = [], groups: [[String]] = []
        var versions = try store.gridVersions(sweepID: sweepID).map { version in
            version.canonicalSHA256 == sha ? current : read(version, near: current)
        }
        if versions.isEmpty { versions = [current] }
        for grid in versions.compactMap({ $0 }) {
            let added = try grid.configurations.map { sha256Hex(try canonicalJSON($0)) }.filter { seen.insert($0).inserted }
            if !added.isEmpty { groups.append(added) }
        }
        return groups
    }

    /// The sweep's search cells: each stored version's new cells from its first cell index on.
    /// - Throws: `SQLiteError`.
    static func plan(sweepID: Int64, current: GridFile, splits: [(split: PlannedSplit, id: Int64)], store: RunStore) throws -> CellPlan {
        let sha = sha256Hex(current.canonicalJSON)
        let queued = try store.cellCounts(sweepID: sweepID).queued
        var segments: [CellPlan.Segment] = []
        var previous: GridFile?
        var unread = false  // a version before this one could not be read: later new cells cannot be told
        for version in try store.gridVersions(sweepID: sweepID) {
            guard let grid = version.canonicalSHA256 == sha ? current : read(version, near: current) else {
                segments.append(.init(first: version.firstCellIndex, count: version.cellsAdded, grid: current, pairs: [], readable: false))
                unread = true
                continue
            }
            defer { previous = grid }
            // Queued already: never read again, so its cells need not be listed.
            if version.cellsAdded == 0 || version.firstCellIndex + version.cellsAdded <= queued {
                segments.append(.init(first: version.firstCellIndex, count: version.cellsAdded, grid: grid, pairs: [], readable: true))
                continue
            }
            let pairs = previous.map { GridExtension.newPairs(from: $0, to: grid) }
            let readable = !unread && CellPlan.cellCount(of: grid, pairs: pairs, splitCount: splits.count) == version.cellsAdded
            segments.append(.init(first: version.firstCellIndex, count: version.cellsAdded, grid: grid, pairs: pairs, readable: readable))
        }
        return CellPlan(segments: segments, splits: splits)
    }
}
