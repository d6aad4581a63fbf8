import Foundation
import Scoring
import Tracker

/// Row-level evidence for the configurations a report shows: their stored models scored again
/// on their own validation and test rows (``StoredModelScorer``), combined per row, and the
/// paired comparison with the baseline configuration on the same test rows.
enum EvidenceQuery {
    /// Sets ``LeaderboardRow/validationEvidence``, ``LeaderboardRow/testEvidence`` and
    /// ``LeaderboardRow/versusBaseline`` on the rows `shown` selects.
    ///
    /// A run without stored weights is left out of its ensemble; a configuration none of whose
    /// runs can be scored keeps nil evidence.
    /// - Throws: `SQLiteError`, or an error reading a stored model or data set.
    /// - Returns: the reference classifier's evidence on the same rows, nil without finished runs.
    static func attach(_ store: RunStore, sweepID: Int64, rows: inout [LeaderboardRow], scores: ScoreCache?,
                       shown: (LeaderboardRow) -> Bool) throws -> ReferenceEvidence? {
        var scorer = StoredModelScorer(store: store, cache: scores)
        let hashes = rows.filter { shown($0) && $0.finishedRuns > 0 }.map(\.configSHA256)
        guard !hashes.isEmpty else { return nil }
        let validation = try scorer.ensembles(sweepID: sweepID, configSHA256s: hashes, rows: .validation)
        let test = try scorer.ensembles(sweepID: sweepID, configSHA256s: hashes, rows: .test)
        let baseline = rows.first(where: \.isBaseline).flatMap { test[$0.configSHA256] }
        for i in rows.indices {
            let hash = rows[i].configSHA256
            if let ensemble = validation[hash], ensemble.rowCount > 0 { rows[i].validationEvidence = RowEvidence(ensemble) }
            if let ensemble = test[hash], ensemble.rowCount > 0 {
                rows[i].testEvidence = RowEvidence(ensemble)
                if let baseline, !rows[i].isBaseline { rows[i].versusBaseline = PairedComparison(ensemble, baseline: baseline) }
            }
        }
        let referenceTest = try scorer.referenceEnsemble(sweepID: sweepID, rows: .test)
        let referenceValidation = try scorer.referenceEnsemble(sweepID: sweepID, rows: .validation)
        let best = rows.first { $0.finishedRuns > 0 }.flatMap { test[$0.configSHA256] }
        return ReferenceEvidence(
            validation: referenceValidation.map(RowEvidence.init), test: referenceTest.map(RowEvidence.init),
            bestVersusReference: best.flatMap { best in referenceTest.map { PairedComparison(best, baseline: $0) } })
    }
}
