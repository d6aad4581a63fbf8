import Foundation
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

/// The queries behind a report. Everything is aggregated in SQL so that a database of many
/// thousands of runs with per-epoch metrics is read in a fraction of a second: the leaderboard
/// comes from the `leaderboard` view, learning curves are grouped by epoch over the top
/// configurations' runs only, and accuracy dots are counted per distinct value.
enum LeaderboardQuery {
    static func sweepInfo(_ store: RunStore, name: String) throws -> SweepInfo {
        let found = try store.connection.query("""
            SELECT s.sweep_id, s.name, s.protocol, s.created_at, d.dataset_id, d.name, d.version, d.row_count,
                   d.feature_count, d.class_count, d.feature_names, d.class_names
            FROM sweeps s JOIN datasets d ON d.dataset_id = s.dataset_id WHERE s.name = ?
            """, [.text(name)]) { s -> SweepInfo in
            let dataset = DatasetInfo(
                id: Int64(s.int(4)!), name: s.string(5)!, version: s.int(6)!, rows: s.int(7)!, features: s.int(8)!,
                classes: s.int(9)!, featureNames: decodeStrings(s.string(10)), classNames: decodeStrings(s.string(11)))
            return SweepInfo(id: Int64(s.int(0)!), name: s.string(1)!, createdAt: s.string(3) ?? "", protocolJSON: s.string(2)!,
                             dataset: dataset, statusCounts: [], testRowCounts: [])
        }
        guard var info = found.first else { throw ReportError.unknownSweep(name) }
        let counts = try store.statusCounts(sweepID: info.id)
        info.statusCounts = RunStatus.allCases.compactMap { status in counts[status].map { (status.rawValue, $0) } }
        info.testRowCounts = try store.connection.query("""
            SELECT DISTINCT json_array_length(test_rows) FROM splits
            WHERE split_id IN (SELECT DISTINCT split_id FROM runs WHERE sweep_id = ?) ORDER BY 1
            """, [.integer(info.id)]) { $0.int(0) ?? 0 }
        return info
    }

    /// Each configuration's hyperparameters (from one of its runs), and which of them vary.
    static func parameters(_ store: RunStore, sweepID: Int64) throws -> (byConfig: [String: [String: String]], summary: ParameterSummary) {
        var byConfig: [String: [String: String]] = [:]
        var numbers: [String: [String: Double]] = [:]
        var valuesByName: [String: Set<String>] = [:]
        _ = try store.connection.query("""
            SELECT r.config_sha256, p.name, p.value_text, p.value_real FROM runs r JOIN params p ON p.run_id = r.run_id
            WHERE r.run_id IN (SELECT MIN(run_id) FROM runs WHERE sweep_id = ? GROUP BY config_sha256)
            """, [.integer(sweepID)]) { s in
            let config = s.string(0)!, name = s.string(1)!, text = s.string(2)!
            byConfig[config, default: [:]][name] = text
            valuesByName[name, default: []].insert(text)
            if let number = s.double(3) { numbers[name, default: [:]][text] = number }
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

    /// The sweep's configurations in the `leaderboard` view's order.
    static func rows(_ store: RunStore, sweepID: Int64, benchmark: Double,
                     parameters: [String: [String: String]]) throws -> [LeaderboardRow] {
        var rank = 0
        return try store.connection.query("""
            SELECT l.config_sha256, l.config, l.runs, l.finished_runs, l.diverged_runs, l.failed_runs, l.pending_runs,
                   l.validation_accuracy_mean, l.validation_accuracy_std, l.test_accuracy_mean, l.best_epoch_mean,
                   l.duration_seconds_mean,
                   (SELECT COUNT(*) FROM runs x WHERE x.sweep_id = l.sweep_id AND x.config_sha256 = l.config_sha256
                                                 AND x.status = 'finished' AND x.test_accuracy > ?2)
            FROM leaderboard l WHERE l.sweep_id = ?1
            ORDER BY (l.diverged_runs + l.failed_runs > 0), l.validation_accuracy_mean IS NULL,
                     l.validation_accuracy_mean DESC, l.validation_accuracy_std IS NULL, l.validation_accuracy_std,
                     l.config_sha256
            """, [.integer(sweepID), .real(benchmark)]) { s -> LeaderboardRow in
            rank += 1
            let hash = s.string(0)!
            let params = parameters[hash] ?? [:]
            let finished = s.int(3) ?? 0
            let mean = s.double(7), std = s.double(8)
            return LeaderboardRow(
                rank: rank, configSHA256: hash, config: s.string(1) ?? "{}", parameters: params,
                runs: s.int(2) ?? 0, finishedRuns: finished, divergedRuns: s.int(4) ?? 0, failedRuns: s.int(5) ?? 0,
                pendingRuns: s.int(6) ?? 0, validationAccuracyMean: mean, validationAccuracyStd: std,
                testAccuracyMean: s.double(9),
                bestEpochMean: s.double(10), durationSecondsMean: s.double(11), isBaseline: Baseline.matches(params))
        }
    }

    /// Learning curves of the given configurations: per epoch, mean, minimum and maximum over
    /// their finished runs, at most about `maxPoints` epochs per curve.
    static func curves(_ store: RunStore, sweepID: Int64, rows: [LeaderboardRow], maxPoints: Int = 400) throws -> [ConfigCurves] {
        guard !rows.isEmpty else { return [] }
        let hashes = rows.map(\.configSHA256)
        let placeholders = hashes.map { _ in "?" }.joined(separator: ", ")
        let bindings: [SQLValue] = [.integer(sweepID)] + hashes.map { .text($0) }
        let longest = try store.connection.scalar("""
            SELECT MAX(epochs_run) FROM runs WHERE sweep_id = ? AND status = 'finished' AND config_sha256 IN (\(placeholders))
            """, bindings)?.int ?? 0
        let step = max(1, Int((Double(longest) / Double(maxPoints)).rounded(.up)))
        var points: [String: [CurvePoint]] = [:]
        func band(_ s: Statement, _ column: Int) -> Band? {
            guard let mean = s.double(column), let low = s.double(column + 1), let high = s.double(column + 2) else { return nil }
            return Band(mean: mean, min: low, max: high)
        }
        _ = try store.connection.query("""
            SELECT r.config_sha256, m.epoch, COUNT(*),
                   AVG(m.train_loss), MIN(m.train_loss), MAX(m.train_loss),
                   AVG(m.validation_loss), MIN(m.validation_loss), MAX(m.validation_loss),
                   AVG(m.train_accuracy), MIN(m.train_accuracy), MAX(m.train_accuracy),
                   AVG(m.validation_accuracy), MIN(m.validation_accuracy), MAX(m.validation_accuracy)
            FROM runs r JOIN epoch_metrics m ON m.run_id = r.run_id
            WHERE r.sweep_id = ? AND r.status = 'finished' AND r.config_sha256 IN (\(placeholders))
              AND ((m.epoch - 1) % \(step) = 0 OR m.epoch = r.epochs_run)
            GROUP BY r.config_sha256, m.epoch
            ORDER BY r.config_sha256, m.epoch
            """, bindings) { s in
            points[s.string(0)!, default: []].append(CurvePoint(
                epoch: s.int(1)!, runs: s.int(2)!, trainLoss: band(s, 3), validationLoss: band(s, 6),
                trainAccuracy: band(s, 9), validationAccuracy: band(s, 12)))
        }
        return rows.map { ConfigCurves(rank: $0.rank, configSHA256: $0.configSHA256, points: points[$0.configSHA256] ?? []) }
    }

    /// Finished runs' validation accuracy per value of each of `names`, counted per 0.1 point.
    static func dots(_ store: RunStore, sweepID: Int64, parameters: ParameterSummary) throws -> [ParameterDots] {
        guard !parameters.varying.isEmpty else { return [] }
        var found: [String: [String: (number: Double?, dots: [(Double, Int)])]] = [:]
        _ = try store.connection.query("""
            SELECT p.name, p.value_text, MIN(p.value_real), ROUND(r.final_validation_accuracy, 3) AS accuracy, COUNT(*)
            FROM runs r JOIN params p ON p.run_id = r.run_id
            WHERE r.sweep_id = ? AND r.status = 'finished' AND r.final_validation_accuracy IS NOT NULL
            GROUP BY p.name, p.value_text, accuracy
            """, [.integer(sweepID)]) { s in
            let name = s.string(0)!, text = s.string(1)!
            var entry = found[name]?[text] ?? (s.double(2), [])
            entry.dots.append((s.double(3)!, s.int(4)!))
            found[name, default: [:]][text] = entry
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
        let matrices = try store.connection.query("""
            SELECT test_confusion FROM runs
            WHERE sweep_id = ? AND config_sha256 = ? AND status = 'finished' AND test_confusion IS NOT NULL
            """, [.integer(sweepID), .text(row.configSHA256)]) { s in
            try JSONDecoder().decode([[Int]].self, from: Data((s.string(0) ?? "[]").utf8))
        }
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
    static func sweepReport(_ store: RunStore, name: String, benchmark: Double, top: Int) throws -> SweepReport {
        let info = try sweepInfo(store, name: name)
        let (byConfig, summary) = try parameters(store, sweepID: info.id)
        var rows = try rows(store, sweepID: info.id, benchmark: benchmark, parameters: byConfig)
        let shown = Set(SweepReport.tableRows(rows, top: top).map(\.configSHA256))
        // Row-level figures need every stored model and the data set to be readable; a report is
        // still written without them, saying why.
        var reference: ReferenceEvidence?, evidenceProblem: String?
        do {
            reference = try EvidenceQuery.attach(store, sweepID: info.id, rows: &rows, shown: { shown.contains($0.configSHA256) })
        } catch {
            evidenceProblem = "\(error)"
        }
        let ranked = rows.filter { $0.finishedRuns > 0 }
        let curves = try curves(store, sweepID: info.id, rows: Array(ranked.prefix(3)))
        let dots = try dots(store, sweepID: info.id, parameters: summary)
        var matrix: Confusion?
        if let best = ranked.first {
            matrix = try confusion(store, sweepID: info.id, row: best, classNames: info.dataset.classNames)
        }
        return SweepReport(info: info, rows: rows, parameters: summary, curves: curves, dots: dots,
                           confusion: matrix, slug: Escape.slug(name), reference: reference,
                           evidenceProblem: evidenceProblem)
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

private func decodeStrings(_ text: String?) -> [String] {
    (try? JSONDecoder().decode([String].self, from: Data((text ?? "[]").utf8))) ?? []
}
