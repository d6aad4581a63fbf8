import Foundation
import Report
import Tracker

/// ``SweepLeaderboard`` as the API's JSON (docs/serve.md): fractions in [0, 1], times in seconds.
enum LeaderboardJSON {
    static func encode(_ board: SweepLeaderboard) -> JSONValue {
        .object([
            ("sweep", .string(board.sweep)),
            ("dataset", .object([("name", .string(board.dataset.name)), ("version", .integer(board.dataset.version))])),
            ("protocol", .object(board.protocolFields.map { ($0.name, .string($0.value)) })),
            ("metric", .string(board.metric.rawValue)),
            ("status_counts", .object(board.statusCounts.map { ($0.status.rawValue, .integer($0.count)) })),
            ("varying", .array(board.varying.map(JSONValue.string))),
            ("constant", .object(board.constant.map { ($0.name, .string($0.value)) })),
            ("ranking_rule", .string(board.rankingRule)),
            ("verdict", .array(board.verdict.map(JSONValue.string))),
            ("benchmark", board.benchmark.map { .object([("test_accuracy", .number($0.testAccuracy)), ("source", .string($0.source))]) } ?? .null),
            ("evidence_problem", .text(board.evidenceProblem)),
            ("rows", .array(board.rows.map(row))),
            ("ensemble", board.ensemble.map(row) ?? .null),
            ("importance", .array(board.importance.map { entry in
                .object([("name", .string(entry.name)), ("spread", .real(entry.spread)),
                         ("values", .array(entry.values.map { value in
                             .object([("value", .string(value.text)), ("mean", .number(value.mean)),
                                      ("configurations", .integer(value.configurations))])
                         }))])
            })),
        ])
    }

    static func row(_ row: LeaderboardRow) -> JSONValue {
        .object([
            ("rank", .integer(row.rank)),
            ("ties_above", .bool(row.tiesAbove)),
            ("baseline", .bool(row.isBaseline)),
            ("ensemble_of", .integer(row.ensembleOf)),
            ("config_sha256", .string(row.configSHA256)),
            ("config", JSONValue.parsing(row.config) ?? .string(row.config)),
            ("parameters", .object(row.parameters.keys.sorted().map { ($0, .string(row.parameters[$0]!)) })),
            ("runs", .integer(row.runs)),
            ("finished_runs", .integer(row.finishedRuns)),
            ("diverged_runs", .integer(row.divergedRuns)),
            ("failed_runs", .integer(row.failedRuns)),
            ("pending_runs", .integer(row.pendingRuns)),
            ("validation_accuracy_mean", .real(row.validationAccuracyMean)),
            ("validation_accuracy_std", .real(row.validationAccuracyStd)),
            ("validation_loss_mean", .real(row.validationLossMean)),
            ("validation_metrics", .object(RankingMetric.allCases.compactMap { metric in
                row.validationMetrics[metric].map { (metric.rawValue, .object([("mean", .real($0.mean)), ("std", .real($0.std))])) }
            })),
            ("test_accuracy_mean", .real(row.testAccuracyMean)),
            ("test_metric_means", .object(RankingMetric.allCases.compactMap { metric in
                row.testMetricMeans[metric].map { (metric.rawValue, .number($0)) }
            })),
            ("best_epoch_mean", .real(row.bestEpochMean)),
            ("duration_seconds_mean", .real(row.durationSecondsMean)),
            ("best_run_id", row.bestRunID.map { .int($0) } ?? .null),
            ("validation_rows", evidence(row.validationEvidence)),
            ("test_rows", evidence(row.testEvidence)),
            ("versus_baseline", row.versusBaseline.map {
                .object([("better", .integer($0.better)), ("worse", .integer($0.worse)), ("shared_rows", .integer($0.sharedRows)),
                         ("p", .number($0.p))])
            } ?? .null),
        ])
    }

    /// Rows right out of rows scored, with the exact 95% interval.
    static func evidence(_ evidence: RowEvidence?) -> JSONValue {
        guard let evidence else { return .null }
        return .object([
            ("correct", .integer(evidence.correct)), ("rows", .integer(evidence.rows)), ("models", .integer(evidence.models)),
            ("accuracy", .number(evidence.accuracy)),
            ("interval95", evidence.interval.map { .array([.number($0.lower), .number($0.upper)]) } ?? .null),
        ])
    }
}
