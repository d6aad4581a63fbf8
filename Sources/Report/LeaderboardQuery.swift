import Foundation
import Scoring
import Tracker

/// Errors producing a report.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    /// No sweep of this name in the database.
    case unknownSweep(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .unknownSweep(let name): return "no sweep named '\(name)' in the database"
        }
    }
}

/// A report's data, read through the store's typed queries (everything is aggregated in SQL
/// there, so a database of many thousands of runs is read in a fraction of a second) and mapped
/// here, in one place, to the report's own structures.
enum LeaderboardQuery {
    static func sweepInfo(_ store: RunStore, name: String) throws -> SweepInfo {
        guard let overview = try store.sweepOverview(named: name) else { throw ReportError.unknownSweep(name) }
        let dataset = DatasetInfo(
            id: overview.datasetID, name: overview.datasetName, version: overview.datasetVersion, rows: overview.rowCount,
            features: overview.featureCount, classes: overview.classCount, featureNames: overview.featureNames,
            classNames: overview.classNames)
        let counts = try store.statusCounts(sweepID: overview.sweepID)
        return SweepInfo(id: overview.sweepID, name: overview.name, createdAt: overview.createdAt ?? "",
                         protocolJSON: overview.protocolJSON, dataset: dataset,
                         statusCounts: RunStatus.allCases.compactMap { status in counts[status].map { (status.rawValue, $0) } },
                         testRowCounts: overview.testRowCounts, benchmark: overview.benchmark,
                         tags: try store.tags(of: .sweep(name)).map { ($0.key, $0.value) },
                         note: try store.note(of: .sweep(name))?.text, halving: try store.halvingSummary(sweepID: overview.sweepID))
    }

    /// Each configuration's hyperparameters (from one of its runs), and which of them vary.
    static func parameters(_ store: RunStore, sweepID: Int64) throws -> (byConfig: [String: [String: String]], summary: ParameterSummary) {
        var byConfig: [String: [String: String]] = [:]
        var numbers: [String: [String: Double]] = [:]
        var valuesByName: [String: Set<String>] = [:]
        for param in try store.configurationParams(sweepID: sweepID) {
            byConfig[param.configSHA256, default: [:]][param.name] = param.text
            valuesByName[param.name, default: []].insert(param.text)
            if let number = param.number { numbers[param.name, default: [:]][param.text] = number }
        }
        let names = ParameterSummary.ordered(valuesByName.keys)
        // A name missing from some configurations varies too (present vs. absent).
        let configCount = byConfig.count
        var varying: [String] = [], constant: [(String, String)] = [], values: [String: [String]] = [:]
        for name in names {
            let texts = valuesByName[name]!
            let missing = byConfig.values.contains { $0[name] == nil }
            if texts.count > 1 || (missing && configCount > 1) {
                varying.append(name)
                let known = numbers[name] ?? [:]
                values[name] = texts.sorted { a, b in valueOrder(a, b, numbers: known) }
            } else {
                constant.append((name, texts.first!))
            }
        }
        return (byConfig, ParameterSummary(varying: varying, constant: constant, values: values))
    }

    /// The sweep's configurations in the store's ranking order (``Ranking``) on `metric`.
    static func rows(_ store: RunStore, sweepID: Int64, parameters: [String: [String: String]],
                     metric: RankingMetric = .accuracy) throws -> [LeaderboardRow] {
        try store.leaderboard(sweepID: sweepID, metric: metric).enumerated().map { offset, entry in
            let params = parameters[entry.configSHA256] ?? [:]
            return LeaderboardRow(
                rank: offset + 1, configSHA256: entry.configSHA256, config: entry.config, parameters: params,
                runs: entry.runs, finishedRuns: entry.finishedRuns, divergedRuns: entry.divergedRuns,
                failedRuns: entry.failedRuns, pendingRuns: entry.pendingRuns,
                validationAccuracyMean: entry.validationAccuracyMean, validationAccuracyStd: entry.validationAccuracyStd,
                testAccuracyMean: entry.testAccuracyMean, bestEpochMean: entry.bestEpochMean,
                durationSecondsMean: entry.durationSecondsMean, isBaseline: Baseline.matches(params),
                validationLossMean: entry.validationLossMean, tiesAbove: entry.tiesAbove,
                validationMetrics: entry.validationMetrics, testMetricMeans: entry.testMetricMeans, bestRunID: entry.bestRunID)
        }
    }

    /// Learning curves of the given configurations: per epoch, mean, minimum and maximum over
    /// their finished runs, at most about `maxPoints` epochs per curve (every
    /// ``Tracker/RunStore/curveStep(longest:maxPoints:)``-th epoch, and each run's last).
    /// - Parameter cache: curves kept from earlier reads; a configuration whose finished runs
    ///   are the same is not read again.
    static func curves(_ store: RunStore, sweepID: Int64, rows: [LeaderboardRow], maxPoints: Int = 400,
                       cache: CurveCache = CurveCache()) throws -> [ConfigCurves] {
        let runs = Dictionary(grouping: try store.curveRuns(sweepID: sweepID, configurations: rows.map(\.configSHA256)),
                              by: \.configSHA256)
        let step = RunStore.curveStep(longest: runs.values.joined().map(\.epochs).max() ?? 0, maxPoints: maxPoints)
        let keys = rows.map { CurveCache.Key(configSHA256: $0.configSHA256, runs: runs[$0.configSHA256] ?? [], step: step) }
        let points = try cache.curves(keys) { configurations in
            var points: [String: [CurvePoint]] = [:]
            func band(_ band: MetricBand?) -> Band? { band.map { Band(mean: $0.mean, min: $0.min, max: $0.max) } }
            for point in try store.learningCurves(sweepID: sweepID, configurations: configurations, step: step) {
                points[point.configSHA256, default: []].append(CurvePoint(
                    epoch: point.epoch, runs: point.runs, trainLoss: band(point.trainLoss),
                    validationLoss: band(point.validationLoss), trainAccuracy: band(point.trainAccuracy),
                    validationAccuracy: band(point.validationAccuracy)))
            }
            return points
        }
        return rows.map { ConfigCurves(rank: $0.rank, configSHA256: $0.configSHA256, points: points[$0.configSHA256] ?? []) }
    }

    /// Finished runs' validation accuracy per value of each of `names`, counted per 0.1 point.
    static func dots(_ store: RunStore, sweepID: Int64, parameters: ParameterSummary) throws -> [ParameterDots] {
        guard !parameters.varying.isEmpty else { return [] }
        var found: [String: [String: (number: Double?, dots: [(Double, Int)])]] = [:]
        for count in try store.accuracyCounts(sweepID: sweepID) {
            var entry = found[count.name]?[count.text] ?? (count.number, [])
            entry.dots.append((count.accuracy, count.runs))
            found[count.name, default: [:]][count.text] = entry
        }
        return parameters.varying.map { name in
            let values = (parameters.values[name] ?? []).map { text in
                let entry = found[name]?[text]
                return ParameterDots.Value(text: text, number: entry?.number, dots: entry?.dots ?? [])
            }
            return ParameterDots(name: name, values: values)
        }
    }

    /// The test confusion matrix of a configuration, summed over its finished runs.
    static func confusion(_ store: RunStore, sweepID: Int64, row: LeaderboardRow, classNames: [String]) throws -> Confusion? {
        let matrices = try store.testConfusions(sweepID: sweepID, configSHA256: row.configSHA256)
        guard !matrices.isEmpty else { return nil }
        let size = max(classNames.count, matrices.map { max($0.count, $0.map(\.count).max() ?? 0) }.max() ?? 0)
        var counts = Array(repeating: Array(repeating: 0, count: size), count: size)
        for matrix in matrices {
            for (i, line) in matrix.enumerated() {
                for (j, count) in line.enumerated() { counts[i][j] += count }
            }
        }
        let names = (0..<size).map { $0 < classNames.count ? classNames[$0] : "class \($0)" }
        return Confusion(classNames: names, counts: counts, runs: matrices.count, rank: row.rank)
    }

    /// Every part of one sweep's section.
    /// - Parameters:
    ///   - benchmark: a test accuracy that replaces the sweep's own benchmark (`exp report --benchmark`).
    ///   - metric: the validation metric that ranks.
    ///   - scores: stored models' probabilities kept from earlier reports (``Scoring/ScoreCache``); nil: none.
    ///   - curves: learning curves kept from earlier reports (``CurveCache``); nil: none.
    ///
    /// Every part is read in one read transaction, so the table, the curves, the counts and the
    /// evidence show the database at one moment even while a sweep writes to it. The snapshot is
    /// held for the whole read, stored models' scoring included: a sweep writing meanwhile
    /// cannot restart its write-ahead log until the read ends, so the log grows by what it
    /// writes in that time (a leaderboard of `exp serve` takes tens of milliseconds).
    static func sweepReport(_ store: RunStore, name: String, benchmark: Double? = nil, metric: RankingMetric = .accuracy,
                            top: Int, scores: ScoreCache? = nil, curves curveCache: CurveCache? = nil) throws -> SweepReport {
        try store.reading {
            try sweepReportInOneRead(store, name: name, benchmark: benchmark, metric: metric, top: top, scores: scores,
                                     curves: curveCache ?? CurveCache())
        }
    }

    private static func sweepReportInOneRead(_ store: RunStore, name: String, benchmark: Double?, metric: RankingMetric,
                                             top: Int, scores: ScoreCache?, curves curveCache: CurveCache) throws -> SweepReport {
        let info = try sweepInfo(store, name: name)
        let (byConfig, summary) = try parameters(store, sweepID: info.id)
        var rows = try rows(store, sweepID: info.id, parameters: byConfig, metric: metric)
        if info.halving != nil {
            // A halving search ranks the configurations that reached its top rung; the pruned
            // ones are counted in the sweep's line, not ranked.
            rows = rows.filter { $0.runs > 0 && !($0.finishedRuns == 0 && $0.pendingRuns == 0 && $0.divergedRuns + $0.failedRuns == 0) }
            for i in rows.indices { rows[i].rank = i + 1 }
        }
        let shown = Set(SweepReport.tableRows(rows, top: top).map(\.configSHA256))
        // Row-level figures need every stored model and the data set to be readable; a report is
        // still written without them, saying why.
        var reference: ReferenceEvidence?, evidenceProblem: String?
        do {
            reference = try EvidenceQuery.attach(store, sweepID: info.id, rows: &rows, scores: scores,
                                                 shown: { shown.contains($0.configSHA256) })
        } catch {
            evidenceProblem = "\(error)"
        }
        var outer: OuterEstimate?
        if info.protocolFields.contains(where: { $0.name == "outer_folds" }) {
            do {
                var scorer = StoredModelScorer(store: store, cache: scores)
                let byRepeat = try scorer.outerRows(sweepID: info.id, baselineSHA256: rows.first(where: \.isBaseline)?.configSHA256)
                outer = OuterEstimate(byRepeat, choices: try store.selections(sweepID: info.id))
            } catch {
                evidenceProblem = evidenceProblem ?? "\(error)"
            }
        }
        let ranked = rows.filter { $0.finishedRuns > 0 }
        let curves = try curves(store, sweepID: info.id, rows: Array(ranked.prefix(3)), cache: curveCache)
        let dots = try dots(store, sweepID: info.id, parameters: summary)
        var matrix: Confusion?
        if let best = ranked.first {
            matrix = try confusion(store, sweepID: info.id, row: best, classNames: info.dataset.classNames)
        }
        var foldComparison: FoldComparison?
        if let best = ranked.first, let baseline = rows.first(where: \.isBaseline), !best.isBaseline {
            let folds = try store.foldAccuracies(sweepID: info.id, configSHA256s: [best.configSHA256, baseline.configSHA256])
            foldComparison = FoldComparison(best: folds.filter { $0.configSHA256 == best.configSHA256 },
                                            baseline: folds.filter { $0.configSHA256 == baseline.configSHA256 })
        }
        return SweepReport(info: info, rows: rows, parameters: summary, curves: curves, dots: dots,
                           confusion: matrix, slug: Escape.slug(name), reference: reference,
                           evidenceProblem: evidenceProblem, foldComparison: foldComparison, outer: outer,
                           benchmark: benchmark.map { Benchmark(testAccuracy: $0, source: ReportText.overrideSource) } ?? info.benchmark,
                           metric: metric,
                           rungCurves: try info.halving.map { halving in
                               let curves = try store.rungCurves(sweepID: info.id)
                               return (Array(Set(curves.budgets + [halving.topBudget])).sorted(), curves.runs)
                           })
    }
}

/// The display order of two values of one hyperparameter: numbers numerically, lists of
/// numbers (`[16,8]`) by length and then element by element, anything else as text after them.
func valueOrder(_ a: String, _ b: String, numbers: [String: Double]) -> Bool {
    switch (numbers[a], numbers[b]) {
    case let (x?, y?): return x == y ? a < b : x < y
    case (.some, nil): return true
    case (nil, .some): return false
    case (nil, nil): break
    }
    func list(_ text: String) -> [Double]? { try? JSONDecoder().decode([Double].self, from: Data(text.utf8)) }
    switch (list(a), list(b)) {
    case let (x?, y?):
        if x.count != y.count { return x.count < y.count }
        if x != y { return x.lexicographicallyPrecedes(y) }
        return a < b
    case (.some, nil): return true
    case (nil, .some): return false
    case (nil, nil): return a < b
    }
}
