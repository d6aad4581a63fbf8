import Foundation
import NeuralNet

/// Probabilities of stored models on rows already scored, kept between reports by a long-lived
/// reader (`exp serve`, which builds a sweep's leaderboard again every second while it runs).
///
/// A stored model's weights and a stored data set's content never change, so an answer is
/// found again by the weights' stored SHA-256 (`weights.sha256`), the data set and the rows: a
/// run stored again (requeued) has other weights and is scored again, and a known answer needs
/// no weights read. Decoding the models and scoring them
/// took a fifth of the server's CPU under load before (docs/benchmarks.md, "Serving while a sweep
/// runs"). Holds answers of at most ``byteLimit`` bytes in all and starts empty again past it.
/// Safe to share between threads.
public final class ScoreCache: Sendable {
    struct Key: Hashable {
        var weightsSHA256: String
        var datasetID: Int64
        var indices: [Int]

        var bytes: Int { 64 + 8 * indices.count }
    }

    /// The most bytes of answers kept (probabilities and keys): 64 MiB, about 50,000 answers of a
    /// 3-class model on 30 rows, or 2,000 of a 10-class one on 359.
    public static let byteLimit = 64 << 20
    private let kept = BoundedMap<Key, Matrix>(byteLimit: byteLimit)

    public init() {}

    /// Forgets every answer (the database file was replaced).
    public func removeAll() { kept.removeAll() }

    var count: Int { kept.count }

    /// The answer for `key`, computed by `score` and kept when not known yet.
    func probabilities(_ key: Key, _ score: () throws -> Matrix) rethrows -> Matrix {
        if let known = kept[key] { return known }
        let computed = try score()
        kept.keep(computed, for: key, bytes: key.bytes + 8 * computed.values.count)
        return computed
    }
}
