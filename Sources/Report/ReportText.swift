import Foundation

/// One column of a leaderboard table: its header, and each row's cell as text and as a number
/// to sort by (nil sorts last).
struct LeaderboardColumn {
    var header: String
    /// True for the hyperparameter columns, whose headers are user data.
    var isParameter = false
    var numeric = true
    var cell: (LeaderboardRow) -> (text: String, sortKey: Double?)
}

/// The wording both report formats share, as plain text; each format escapes it.
struct ReportText {
    let benchmark: Double

    var benchmarkText: String { Format.percent(benchmark) }
    /// Where the benchmark figure comes from.
    var benchmarkSource: String {
        benchmark == ReportOptions.irisBenchmark ? "the UCI Iris figure; exp report --benchmark sets another" : "set with exp report --benchmark"
    }

    /// The table's columns for a sweep: rank, the statistics, then the varying hyperparameters.
    /// The statistics come first so that a window or page too narrow for a sweep with many
    /// varying hyperparameters still shows every number next to the rank; the hyperparameter
    /// columns scroll into view after them.
    func columns(_ report: SweepReport) -> [LeaderboardColumn] {
        var columns = [LeaderboardColumn(header: "Rank") { row in
            ("\(row.rank)" + (row.isBaseline ? " (baseline)" : ""), Double(row.rank))
        }]
        columns += [
            LeaderboardColumn(header: "Runs counted") { row in
                ("\(row.finishedRuns)/\(row.runs)", Double(row.finishedRuns))
            },
            LeaderboardColumn(header: "Val. acc. mean") { row in
                (Format.percent(row.validationAccuracyMean), row.validationAccuracyMean)
            },
            LeaderboardColumn(header: "Val. acc. std") { row in
                (Format.points(row.validationAccuracyStd), row.validationAccuracyStd)
            },
            LeaderboardColumn(header: "Val. acc. 95% CI") { row in
                (Format.interval(row.validationAccuracyInterval), row.validationAccuracyInterval?.lower)
            },
            LeaderboardColumn(header: "Test acc. mean") { row in
                let mark = row.testAccuracyMean == nil ? "" : (row.testMeanBeats(benchmark) ? " ✓" : "")
                return (Format.percent(row.testAccuracyMean) + mark, row.testAccuracyMean)
            },
            LeaderboardColumn(header: "Test > \(benchmarkText)") { row in
                ("\(row.testRunsAboveBenchmark)/\(row.endedRuns)",
                 row.endedRuns > 0 ? Double(row.testRunsAboveBenchmark) / Double(row.endedRuns) : nil)
            },
            LeaderboardColumn(header: "Best epoch") { row in (Format.number(row.bestEpochMean, digits: 0), row.bestEpochMean) },
            LeaderboardColumn(header: "Time (s)") { row in (Format.number(row.durationSecondsMean, digits: 2), row.durationSecondsMean) },
            LeaderboardColumn(header: "Diverged / failed") { row in
                ("\(row.divergedRuns)/\(row.failedRuns)", Double(row.divergedRuns + row.failedRuns))
            },
        ]
        for name in report.parameters.varying {
            let order = report.parameters.values[name] ?? []
            columns.append(LeaderboardColumn(header: name, isParameter: true, numeric: false) { row in
                let text = row.parameters[name] ?? "–"
                return (text, order.firstIndex(of: text).map(Double.init))
            })
        }
        return columns
    }

    /// `iris v1: 150 rows × 4 features, 3 classes`
    func datasetHeading(_ dataset: DatasetInfo) -> String {
        "Data set \(dataset.name) v\(dataset.version): \(dataset.rows) rows × \(dataset.features) features, \(dataset.classes) classes"
    }

    func datasetDetails(_ dataset: DatasetInfo) -> [(label: String, value: String)] {
        [("Features", dataset.featureNames.joined(separator: ", ")), ("Classes", dataset.classNames.joined(separator: ", "))]
    }

    /// `test fraction 0.2, validation fraction 0.2, split seed 0; 30 test rows per split`
    func protocolText(_ info: SweepInfo) -> String {
        var text = info.protocolFields.map { "\($0.name.replacingOccurrences(of: "_", with: " ")) \($0.value)" }
            .joined(separator: ", ")
        if !info.testRowCounts.isEmpty {
            text += "; " + info.testRowCounts.map(String.init).joined(separator: " or ") + " test rows per split"
            if let rows = info.testRowCounts.first, info.testRowCounts.count == 1, rows > 0 {
                text += " (one test error moves test accuracy by \(String(format: "%.1f", 100 / Double(rows))) points)"
            }
        }
        return text
    }

    /// `10 runs: 8 finished, 1 diverged, 1 failed`
    func statusText(_ info: SweepInfo) -> String {
        let parts = info.statusCounts.map { "\($0.count) \($0.status)" }
        return "\(info.totalRuns) run\(info.totalRuns == 1 ? "" : "s")" + (parts.isEmpty ? "" : ": " + parts.joined(separator: ", "))
    }

    let rankingRule = "Ranked by mean validation accuracy over each configuration's finished runs (ties: lower standard deviation, then configuration hash); a configuration with any diverged or failed run ranks below all others. Test accuracy is shown for information only: it is never used to rank or to select."

    /// Sentences saying plainly what the best configuration by validation achieves on test.
    func verdict(_ report: SweepReport) -> [String] {
        guard let best = report.rows.first(where: { $0.finishedRuns > 0 }) else {
            return ["No run of this sweep has finished yet, so nothing can be compared with the \(benchmarkText) benchmark."]
        }
        var lines: [String] = []
        lines.append("Best by validation: \(report.label(of: best)), mean validation accuracy \(Format.percent(best.validationAccuracyMean)) "
            + "(std \(Format.points(best.validationAccuracyStd)), 95% CI \(Format.interval(best.validationAccuracyInterval))) over \(best.finishedRuns) finished run\(best.finishedRuns == 1 ? "" : "s").")
        let beats = best.testMeanBeats(benchmark)
        lines.append("Its mean test accuracy is \(Format.percent(best.testAccuracyMean)): \(beats ? "above" : "not above") the \(benchmarkText) benchmark; "
            + "\(best.testRunsAboveBenchmark) of \(best.endedRuns) ended runs beat it on test.")
        let above = report.rows.filter { $0.testMeanBeats(benchmark) }.count
        lines.append("\(above) of \(report.rows.count) configurations have a mean test accuracy above \(benchmarkText); picking one of them by its test accuracy would overstate it, which is why only validation accuracy ranks.")
        if let baseline = report.rows.first(where: \.isBaseline) {
            lines.append("Baseline configuration (\(Baseline.parameters.map { "\($0.name) \($0.value)" }.joined(separator: ", "))): rank \(baseline.rank) of \(report.rows.count), "
                + "mean validation accuracy \(Format.percent(baseline.validationAccuracyMean)), mean test accuracy \(Format.percent(baseline.testAccuracyMean)).")
        } else {
            lines.append("The baseline configuration is not in this sweep.")
        }
        return lines
    }

    var footnotes: [String] {
        [
            "Runs counted: finished runs / all runs of the configuration. Means, std and CI are over finished runs only; diverged and failed runs are counted, never averaged in.",
            "Std: sample standard deviation (divisor n − 1), in percentage points. 95% CI: Student t interval for the mean, mean ± t(0.975, n − 1) · std / √n, clipped to [0, 100]%; – for fewer than two finished runs.",
            "✓: mean test accuracy above the \(benchmarkText) benchmark. Test > \(benchmarkText): finished runs whose test accuracy is strictly above it, out of the runs that ended (finished, diverged or failed).",
            "Best epoch: mean epoch of the lowest validation loss. Time: mean training time in seconds.",
        ]
    }

    func footer(databasePath: String, generatedAt: Date) -> String {
        "Generated \(timestampText(generatedAt)) from \(databasePath)."
    }

    func timestampText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
