import Foundation
import Tracker

/// Every search cell of a sweep, by cell index, computed when asked for: the cells of its first
/// grid version (configuration, then seed, then repeat, outer fold and fold), then the cells
/// each later version added, in that version's order. Cells are queued from it in batches
/// (``PreparedSweep/queueNextBatch(store:)``), so a sweep of a million cells is ready to train
/// long before all of them are written.
public struct CellPlan: Sendable {
    /// The cells one grid version added.
    struct Segment: Sendable {
        /// The cell index of its first cell.
        var first: Int
        /// Its cells, as stored in `sweep_grids.cells_added`.
        var count: Int
        var grid: GridFile
        /// Its (configuration, seed) ordinals, `configuration index x seeds + seed index`, or
        /// nil for every one of the grid's.
        var pairs: [Int]?
        /// False when this version of `exp` counts another number of cells in the grid than
        /// were planned from it (a version that collapsed fewer configurations): its cells
        /// are all queued already and are never read from here.
        var readable: Bool
    }

    var segments: [Segment]
    /// The search splits, in cell order within a (configuration, seed).
    let splits: [(split: PlannedSplit, id: Int64)]

    /// Search cells in all.
    public var count: Int { segments.last.map { $0.first + $0.count } ?? 0 }

    init(segments: [Segment], splits: [(split: PlannedSplit, id: Int64)]) {
        self.segments = segments
        self.splits = splits
    }

    /// Cells a grid's configurations and seeds make on `splitCount` search splits, or on those
    /// of `pairs` when given.
    static func cellCount(of grid: GridFile, pairs: [Int]?, splitCount: Int) -> Int {
        (pairs?.count ?? grid.configurations.count * grid.seeds.count) * splitCount
    }

    /// The cells from index `start` on: at least `limit` of them, or to the end, and then on to
    /// the end of the last one's configuration, so a configuration's cells of one grid version
    /// are queued together.
    /// - Throws: `EncodingError` for a configuration without canonical JSON;
    ///   ``CellPlanError`` for cells of a version this `exp` does not read.
    public func cells(from start: Int, limit: Int) throws -> [Cell] {
        var cells: [Cell] = []
        var index = start
        var current: (segment: Int, configuration: Int, json: String, params: [Param])?
        while index < count {
            let s = segments.lastIndex { $0.first <= index }!
            let segment = segments[s]
            guard segment.readable else { throw CellPlanError.unreadableVersion(firstCell: segment.first) }
            let offset = index - segment.first
            let pair = segment.pairs.map { $0[offset / splits.count] } ?? offset / splits.count
            let c = pair / segment.grid.seeds.count
            if cells.count >= limit, current.map({ $0.segment != s || $0.configuration != c }) ?? true { break }
            if current == nil || current!.segment != s || current!.configuration != c {
                let configuration = segment.grid.configurations[c]
                current = (s, c, try canonicalJSON(configuration), params(configuration))
            }
            let (split, id) = splits[offset % splits.count]
            let seed = segment.grid.seeds[pair % segment.grid.seeds.count]
            cells.append(Cell(index: index, config: current!.json, params: current!.params, seed: seed, fold: split.fold,
                              splitSeed: split.splitSeed, splitID: id, repeat: split.repeat, outerFold: split.outerFold))
            index += 1
        }
        return cells
    }
}

/// A stored grid version whose cells this `exp` cannot list.
public enum CellPlanError: Error, CustomStringConvertible, Equatable {
    /// The version starting at this cell plans another number of cells than this `exp` counts,
    /// and some of its cells are not queued yet.
    case unreadableVersion(firstCell: Int)

    public var description: String {
        switch self {
        case .unreadableVersion(let first):
            return "the grid version whose cells start at cell \(first) was planned by another version of exp, which counted "
                + "its cells differently, and some of them are not queued yet; finish the sweep with that version"
        }
    }
}
