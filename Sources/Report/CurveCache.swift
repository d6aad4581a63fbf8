import Foundation
import Scoring
import Tracker

/// Learning curves of configurations (mean, minimum and maximum per epoch over their finished
/// runs), kept between leaderboards by a long-lived reader (`exp serve`, which reads a sweep's
/// leaderboard again every second while it runs).
///
/// A configuration's curves are found again by the runs they were made of — each finished run
/// by its id and attempt (``Tracker/CurveRun``: a run's epoch rows change only with a new claim,
/// which adds one to its attempt) — and the epoch step: a configuration that gained a finished
/// run, or a run trained again, is read again. Reading the curves of the top configurations
/// from every epoch row took a third of a leaderboard's time (docs/benchmarks.md, "Serving
/// while a sweep runs"). Holds curves of at most ``byteLimit`` bytes in all and starts empty
/// again past it. Safe to share between threads.
public final class CurveCache: Sendable {
    struct Key: Hashable {
        var configSHA256: String
        /// The configuration's finished runs, by run id.
        var runs: [CurveRun]
        var step: Int

        var bytes: Int { 64 + 96 * runs.count }
    }

    /// The most bytes of curves kept (points and keys): 16 MiB, about 400 curves of 1,000 epochs
    /// at 400 points, or 40,000 of a few points.
    public static let byteLimit = 16 << 20
    private let kept = BoundedMap<Key, [CurvePoint]>(byteLimit: byteLimit)

    public init() {}

    /// Forgets every curve (the database file was replaced).
    public func removeAll() { kept.removeAll() }

    var count: Int { kept.count }

    /// The curves of every configuration of `keys`: the ones kept, and for the others what
    /// `read` returns for them (by configuration hash; a configuration it leaves out has none).
    func curves(_ keys: [Key], read: ([String]) throws -> [String: [CurvePoint]]) rethrows -> [String: [CurvePoint]] {
        var found: [String: [CurvePoint]] = [:]
        let missing = keys.filter { key in
            guard let known = kept[key] else { return true }
            found[key.configSHA256] = known
            return false
        }
        guard !missing.isEmpty else { return found }
        let read = try read(missing.map(\.configSHA256))
        for key in missing {
            let points = read[key.configSHA256] ?? []
            found[key.configSHA256] = points
            kept.keep(points, for: key, bytes: key.bytes + 128 * points.count)
        }
        return found
    }
}
