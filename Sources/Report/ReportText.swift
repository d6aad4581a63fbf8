import Foundation
import Tracker

/// One column of a leaderboard table: its header, and each row's cell as text and as a number
/// to sort by (nil sorts last).
struct LeaderboardColumn {
    var header: String
    /// True for the hyperparameter columns, whose headers are user data.
    var isParameter = false
    var numeric = true
    var cell: (LeaderboardRow) -> (text: String, sortKey: Double?)
}

/// One column of the summary table, one row per sweep.
struct SummaryColumn {
    var header: String
    var numeric = true
    /// True for a long text cell that may wrap (the configuration's label).
    var wraps = false
    var cell: (SweepReport) -> String
}

/// The wording both report formats share, as plain text; each format escapes it.
struct ReportText {
    /// The validation metric that ranks.
    var metric: RankingMetric = .accuracy
    /// The test accuracy `exp report --benchmark` gives every sweep, nil when not given.
    var benchmarkOverride: Double? = nil

    /// Where a benchmark set on the command line comes from.
    static let overrideSource = "set with exp report --benchmark"

    /// The definition under the hyperparameter importance table.
    static let importanceNote = "For each value, the mean over the configurations with that value and a finished run of "
        + "their mean validation accuracy (configurations in brackets); the spread is the highest of these means minus the "
        + "lowest, in percentage points. It ignores interactions between hyperparameters, and a value behind few "
        + "configurations moves it more. Validation data only, like the ranking."

    /// `mean validation log loss (lower is better)`
    var rankedBy: String { "mean validation \(metric.words)" + (metric.higherIsBetter ? "" : " (lower is better)") }

    /// The report's opening sentences: which benchmark each sweep is compared with and what ranks.
    var headline: String {
        let benchmark = benchmarkOverride.map { "Benchmark: \(Format.percent($0)) test accuracy for every sweep (\(Self.overrideSource))." }
            ?? "Each sweep is compared with its own benchmark, the test accuracy its grid's \"benchmark\" gives (exp report --benchmark sets one for every sweep); a sweep without one gets no benchmark verdict."
        return benchmark + " Each sweep's configurations are ranked by \(rankedBy); test figures are reported beside it, never used to choose."
    }

    /// `96.1% test accuracy (source)`, or why there is none.
    func benchmarkFact(_ report: SweepReport) -> String {
        guard let benchmark = report.benchmark else {
            return "none (the grid gives no \"benchmark\", and exp report --benchmark was not given), so no benchmark verdict"
        }
        return "\(Format.percent(benchmark.testAccuracy)) test accuracy (\(benchmark.source))"
    }

    /// A figure of the ranking metric: accuracies in percent, the others with three decimals.
    func figure(_ value: Double?) -> String {
        [.accuracy, .balancedAccuracy].contains(metric) ? Format.percent(value) : Format.number(value, digits: 3)
    }

    /// A standard deviation of the ranking metric: accuracies in percentage points.
    func spread(_ value: Double?) -> String {
        [.accuracy, .balancedAccuracy].contains(metric) ? Format.points(value) : Format.number(value, digits: 3)
    }

    /// `bal. acc.`: the metric in a column header.
    var metricHeader: String {
        switch metric {
        case .accuracy: return "acc."
        case .balancedAccuracy: return "bal. acc."
        case .macroF1: return "macro F1"
        case .logLoss: return "log loss"
        }
    }

    /// The table's columns for a sweep: rank, the statistics, then the varying hyperparameters.
    /// The statistics come first so that a window or page too narrow for a sweep with many
    /// varying hyperparameters still shows every number next to the rank; the hyperparameter
    /// columns scroll into view after them.
    func columns(_ report: SweepReport) -> [LeaderboardColumn] {
        var columns = [LeaderboardColumn(header: "Rank") { row in
            if let rank = row.ensembleOf { return ("ensemble of \(rank)", Double(rank) + 0.5) }
            return ("\(row.rank)" + (row.tiesAbove ? " (tie)" : "") + (row.isBaseline ? " (baseline)" : ""), Double(row.rank))
        }]
        columns.append(LeaderboardColumn(header: "Runs counted") { row in
            row.ensembleOf == nil ? ("\(row.finishedRuns)/\(row.runs)", Double(row.finishedRuns)) : ("\(row.runs) models", Double(row.runs))
        })
        let metric = self.metric
        if metric != .accuracy {
            columns += [
                LeaderboardColumn(header: "Val. \(metricHeader) mean") { row in
                    (figure(row.validationMean(metric)), row.validationMean(metric))
                },
                LeaderboardColumn(header: "Val. \(metricHeader) std") { row in
                    (spread(row.validationMetrics[metric]?.std), row.validationMetrics[metric]?.std)
                },
            ]
        }
        columns += [
            LeaderboardColumn(header: "Val. acc. mean") { row in
                (Format.percent(row.validationAccuracyMean), row.validationAccuracyMean)
            },
            LeaderboardColumn(header: "Val. acc. std") { row in
                (Format.points(row.validationAccuracyStd), row.validationAccuracyStd)
            },
            LeaderboardColumn(header: "Val. rows right") { row in
                (Self.rowsRight(row.validationEvidence), row.validationEvidence?.accuracy)
            },
            LeaderboardColumn(header: "Test acc. mean") { row in
                (Format.percent(row.testAccuracyMean), row.testAccuracyMean)
            },
            LeaderboardColumn(header: "Test rows right (95% CI)") { row in
                (Self.rowsRight(row.testEvidence, interval: true), row.testEvidence?.accuracy)
            },
        ]
        if metric != .accuracy {
            columns.append(LeaderboardColumn(header: "Test \(metricHeader) mean") { row in
                (figure(row.testMetricMeans[metric]), row.testMetricMeans[metric])
            })
        }
        columns += [
            LeaderboardColumn(header: "Vs. baseline (test rows)") { row in
                guard let paired = row.versusBaseline else { return (row.isBaseline ? "baseline" : "–", nil) }
                return (Self.pairedText(paired), Double(paired.better - paired.worse))
            },
            LeaderboardColumn(header: "Best epoch") { row in (Format.number(row.bestEpochMean, digits: 0), row.bestEpochMean) },
            LeaderboardColumn(header: "Time (s)") { row in (Format.number(row.durationSecondsMean, digits: 2), row.durationSecondsMean) },
            LeaderboardColumn(header: "Diverged / failed") { row in
                row.ensembleOf == nil ? ("\(row.divergedRuns)/\(row.failedRuns)", Double(row.divergedRuns + row.failedRuns)) : ("–", nil)
            },
            // For `exp predict --run`: the configuration's best finished run (`exp best`'s rule).
            LeaderboardColumn(header: "Best run") { row in
                (row.bestRunID.map { "\($0)" } ?? "–", row.bestRunID.map(Double.init))
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

    /// The summary table's columns, one row per sweep: its best configuration by validation and,
    /// for a nested sweep, the outer estimate with the outer test rows behind it.
    func summaryColumns() -> [SummaryColumn] {
        func best(_ report: SweepReport) -> LeaderboardRow? { report.rows.first { $0.finishedRuns > 0 } }
        return [
            SummaryColumn(header: "Sweep", numeric: false) { $0.info.name },
            SummaryColumn(header: "Data set", numeric: false) { "\($0.info.dataset.name) v\($0.info.dataset.version)" },
        ] + (metric == .accuracy ? [] : [
            SummaryColumn(header: "Val. \(metricHeader) mean") { figure(best($0)?.validationMean(metric)) },
        ]) + [
            SummaryColumn(header: "Val. acc. mean") { Format.percent(best($0)?.validationAccuracyMean) },
            SummaryColumn(header: "Test acc. mean") { Format.percent(best($0)?.testAccuracyMean) },
            SummaryColumn(header: "Test rows right (95% CI)") { Self.rowsRight(best($0)?.testEvidence, interval: true) },
            SummaryColumn(header: "Outer estimate (95% CI)") { report in
                report.outer.map { "\(Format.percent($0.chosen.accuracy)) \(Format.interval($0.chosen.interval))" } ?? "–"
            },
            SummaryColumn(header: "Outer test rows right") { report in report.outer.map(Self.outerRows) ?? "–" },
            SummaryColumn(header: "Best configuration by validation", numeric: false, wraps: true) { report in
                best(report).map(report.label(of:)) ?? "–"
            },
        ]
    }

    /// `432/450 (150 rows × 3 repeats)`: the outer test rows right and the distinct rows behind them.
    static func outerRows(_ outer: OuterEstimate) -> String {
        "\(outer.chosen.correct)/\(outer.chosen.rows) (\(outer.distinctRows) rows"
            + (outer.repeats > 1 ? " × \(outer.repeats) repeats)" : ")")
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

    /// For a halving search: `81 configurations, 1 reached the top rung (810 epochs) after 4
    /// rungs; 3,000 of 328,050 epochs trained (0.9%) that a full grid would`; nil otherwise.
    func halvingText(_ info: SweepInfo) -> String? {
        guard let h = info.halving else { return nil }
        let share = h.fullGridEpochs > 0 ? 100 * Double(h.epochsTrained) / Double(h.fullGridEpochs) : 0
        return "\(h.configurations) configurations, \(h.reachedTop) reached the top rung (\(h.topBudget) epochs) after "
            + "\(h.rungsDecided) rung\(h.rungsDecided == 1 ? "" : "s") decided; \(h.prunedRuns) runs pruned; budget spent: "
            + "\(h.epochsTrained) of the \(h.fullGridEpochs) epochs a full grid would train (\(String(format: "%.1f", share))%)"
    }

    /// The ranking rule in words, and how many configurations lack the ranking metric.
    func rankingRule(_ report: SweepReport) -> String {
        var text = "Ranked by \(rankedBy) over each configuration's finished runs; ties broken by lower standard deviation, then lower mean validation loss, then configuration hash; a configuration with any diverged or failed run ranks below all others. "
            + (metric == .accuracy ? "Means closer than one validation row's worth are marked as ties." : "Equal means are marked as ties.")
            + " Test figures are shown for information only: they are never used to rank or to select."
        let missing = report.withoutMetric
        if missing > 0 {
            text += " \(missing) configuration\(missing == 1 ? " has" : "s have") finished runs without a validation \(metric.words) (stored before exp stored it) and rank\(missing == 1 ? "s" : "") last."
        }
        return text
    }

    /// `29/30` or, with `interval`, `29/30 [82.8, 99.9]%`; an en dash without evidence.
    static func rowsRight(_ evidence: RowEvidence?, interval: Bool = false) -> String {
        guard let evidence else { return "–" }
        let count = "\(evidence.correct)/\(evidence.rows)"
        return interval ? count + " " + Format.interval(evidence.interval) : count
    }

    /// `+3 / −1 (p = 0.62)`: rows only this configuration gets right, rows only the baseline gets
    /// right, McNemar's exact p-value.
    static func pairedText(_ paired: PairedComparison) -> String {
        "+\(paired.better) / −\(paired.worse) (\(pValue(paired.p)))"
    }

    /// `right on 3 rows the baseline gets wrong, wrong on 1 it gets right (McNemar exact p = 0.62): no evidence of a difference.`
    static func pairedSentence(_ paired: PairedComparison, other: String) -> String {
        let finding = paired.p < 0.05 ? "a difference unlikely to be chance" : "no evidence of a difference"
        return "right on \(paired.better) row\(paired.better == 1 ? "" : "s") \(other) gets wrong, wrong on \(paired.worse) \(other) gets right (McNemar exact \(pValue(paired.p))): \(finding)."
    }

    /// `Over the 10 folds, on each fold's held-out rows against the baseline: +2.1 pp on average (corrected resampled t-test, ...: t = 1.20, 9 degrees of freedom, p = 0.26): no evidence of a difference. ...`
    static func foldSentence(_ folds: FoldComparison) -> String {
        let finding = folds.p < 0.05 ? "a difference unlikely to be chance" : "no evidence of a difference"
        let mean = (folds.meanDifference >= 0 ? "+" : "−") + Format.points(abs(folds.meanDifference))
        return "Over the \(folds.folds) folds, on each fold's held-out rows against the baseline: \(mean) on average "
            + "(corrected resampled t-test, Nadeau and Bengio 2003: t = \(String(format: "%.2f", folds.t)), \(folds.folds - 1) degrees of freedom, "
            + "\(pValue(folds.p))): \(finding). Those rows also chose the best configuration, so the difference is optimistic for it."
    }

    /// A p-value or probability as `p = 0.62` (two decimals; three below 0.01), or `p < 0.001`.
    static func pValue(_ p: Double) -> String {
        p < 0.001 ? "p < 0.001" : "p = " + String(format: p < 0.01 ? "%.3f" : "%.2f", p)
    }

    /// Sentences saying plainly what the best configuration by validation achieves on test, at
    /// the level of distinct test rows, and what that does and does not show.
    func verdict(_ report: SweepReport) -> [String] {
        guard let best = report.rows.first(where: { $0.finishedRuns > 0 }) else {
            return ["No run of this sweep has finished yet" + (report.benchmark.map { ", so nothing can be compared with its \(Format.percent($0.testAccuracy)) benchmark." } ?? ".")]
        }
        var lines = report.isNested ? outerLines(report) : []
        let runs = "\(best.finishedRuns) finished run\(best.finishedRuns == 1 ? "" : "s")"
        let spread = best.finishedRuns > 1 ? " (std \(Format.points(best.validationAccuracyStd)))" : ""
        if best.validationAccuracyMean == nil, !report.isNested {
            lines.append("No validation rows (validation_fraction 0): \(report.label(of: best)) is the sweep's one configuration, trained on every non-test row over \(runs), with nothing to choose.")
        } else {
            if metric != .accuracy, best.validationMean(metric) == nil {
                lines.append("No finished run of this sweep has a validation \(metric.words) (they were stored before exp stored it), so \(metric.words) ranks nothing here and the order follows the later keys; exp report --metric accuracy ranks them.")
            }
            let ranked = metric == .accuracy || best.validationMean(metric) == nil ? "" : "mean validation \(metric.words) \(figure(best.validationMean(metric)))"
                + (best.validationMetrics[metric]?.std.map { " (std \(self.spread($0)))" } ?? "") + ", "
            lines.append((report.isNested ? "Best of grid (optimistic: chosen and judged on the same inner folds, pooled over every outer fold): "
                          : metric == .accuracy ? "Best by validation: " : "Best by validation \(metric.words): ")
                         + "\(report.label(of: best)), \(ranked)mean validation accuracy \(Format.percent(best.validationAccuracyMean))\(spread) over \(runs).")
        }
        if report.earlyStoppingOnScoredRows {
            lines.append("Early stopping watched the scored rows: this k-fold sweep stops early (early_stopping_patience > 0) on each fold's validation rows, the same rows that rank the configurations, so every validation figure here is optimistic. The protocol key early_stopping_fraction gives early stopping rows of its own.")
        }
        let tied = report.rows.dropFirst().prefix { $0.tiesAbove }.count
        if tied > 0 {
            let how = metric == .accuracy ? "a mean validation accuracy within one validation row's worth of it" : "the same mean validation \(metric.words)"
            lines.append("\(tied) more configuration\(tied == 1 ? " has" : "s have") \(how): they tie, and the order among them follows the ranking rule, not a measured difference.")
        }
        if let folds = report.foldComparison { lines.append(Self.foldSentence(folds)) }
        guard let evidence = best.testEvidence else {
            if let problem = report.evidenceProblem {
                lines.append("Its stored models could not be scored again on their rows (\(problem)), so no row-level figure is given.")
            } else if report.isNested {
                lines.append("Its search runs have no test rows: in nested cross-validation only the outer estimate above is scored on test rows.")
            } else if report.info.testRowCounts.allSatisfy({ $0 == 0 }) {
                lines.append("This sweep has no test rows" + (report.benchmark.map { ", so nothing is compared with its \(Format.percent($0.testAccuracy)) benchmark." } ?? "."))
            } else {
                lines.append("Its stored models could not be scored again on their test rows (no stored weights), so no row-level figure is given.")
            }
            return lines + baselineLines(report)
        }
        let models = evidence.models == 1 ? "its one model" : "its \(evidence.models) models combined (mean class probability per row)"
        lines.append("On the \(evidence.rows) distinct test rows, \(models) classify \(evidence.correct) correctly: \(Format.percent(evidence.accuracy)), exact 95% interval \(Format.interval(evidence.interval)) (Clopper–Pearson)."
            + (evidence.models > 1 ? " Its runs share these rows: they are \(evidence.rows) rows of evidence, not \(evidence.models) independent results." : ""))
        lines.append(benchmarkReading(correct: evidence.correct, rows: evidence.rows, benchmark: report.benchmark))
        if let paired = best.versusBaseline {
            lines.append("Against the baseline configuration on the same \(paired.sharedRows) test rows: " + Self.pairedSentence(paired, other: "the baseline"))
        }
        if let reference = report.reference, let evidence = reference.test {
            var line = "Reference without hyperparameters, linear discriminant analysis fitted on each split's training rows: \(evidence.correct)/\(evidence.rows) test rows right (\(Format.percent(evidence.accuracy)), exact 95% interval \(Format.interval(evidence.interval)))."
            if let paired = reference.bestVersusReference {
                line += " The best configuration against it on the same rows: " + Self.pairedSentence(paired, other: "it")
            }
            lines.append(line)
        }
        return lines + baselineLines(report)
    }

    /// `432/450 is consistent with a true accuracy of 96.1%: ... or worse with probability
    /// p = 0.52. ...`: how likely a classifier of exactly the benchmark's accuracy scores as well
    /// as `correct` of `rows` (at or above the benchmark: that many or more,
    /// ``AccuracyInference/probabilityOfAtLeast(correct:total:accuracy:)``) or as badly (below
    /// it: that many or fewer, ``AccuracyInference/probabilityOfAtMost(correct:total:accuracy:)``),
    /// in words; below 0.05 the score is called unusual for that accuracy. Without a benchmark,
    /// a sentence saying there is none.
    func benchmarkReading(correct: Int, rows: Int, benchmark: Benchmark?) -> String {
        guard let benchmark else {
            return "No benchmark for this sweep: its grid gives no \"benchmark\" (a published test accuracy on this data set and its source), and exp report --benchmark was not given, so no benchmark verdict."
        }
        let accuracy = benchmark.testAccuracy, benchmarkText = Format.percent(accuracy)
        let above = Double(correct) >= accuracy * Double(rows)
        let p = above ? AccuracyInference.probabilityOfAtLeast(correct: correct, total: rows, accuracy: accuracy)
            : AccuracyInference.probabilityOfAtMost(correct: correct, total: rows, accuracy: accuracy)
        let reading = p >= 0.05
            ? "\(correct)/\(rows) is consistent with a true accuracy of \(benchmarkText)"
            : "\(correct)/\(rows) would be unusual for a true accuracy of \(benchmarkText)"
        return "\(reading): a classifier whose true accuracy is exactly \(benchmarkText) scores \(correct)/\(rows) or \(above ? "better" : "worse") with probability \(Self.pValue(p)). The benchmark was measured on other rows, so this is no paired comparison."
    }

    /// The headline of a nested sweep: the outer estimate, each outer fold's choice, and the
    /// paired comparisons on the same outer rows.
    private func outerLines(_ report: SweepReport) -> [String] {
        guard let outer = report.outer else {
            return ["Outer estimate: no outer fold has a scored refit yet (each outer fold chooses and refits once all of its search runs are done), so the figures below are only the optimistic best of grid."]
        }
        let perRow = outer.repeats > 1 ? "\(outer.distinctRows) distinct rows × \(outer.repeats) repeats, each row counted once per repeat" : "\(outer.distinctRows) distinct rows"
        var lines = ["Outer estimate (nested cross-validation: each outer fold chose on its inner folds only, refitted the choice on its outer training rows and was scored once on its outer test rows): "
            + "\(outer.chosen.correct)/\(outer.chosen.rows) outer test rows right (\(perRow); the refit seeds combined per row): \(Format.percent(outer.chosen.accuracy)), "
            + "exact 95% interval \(Format.interval(outer.chosen.interval)) (Clopper–Pearson). This is the estimate of the whole procedure, search included.",
            benchmarkReading(correct: outer.chosen.correct, rows: outer.chosen.rows, benchmark: report.benchmark)]
        var counts: [String: Int] = [:], order: [String] = []
        for choice in outer.choices {
            if counts[choice.configSHA256] == nil { order.append(choice.configSHA256) }
            counts[choice.configSHA256, default: 0] += 1
        }
        let names = order.map { hash -> String in
            let label = report.rows.first { $0.configSHA256 == hash }.map(report.label(of:)) ?? String(hash.prefix(12))
            return "\(label) by \(counts[hash]!)"
        }
        lines.append("Chosen by the \(outer.choices.count) outer fold\(outer.choices.count == 1 ? "" : "s"): " + names.joined(separator: "; ") + ".")
        if let reference = outer.reference {
            var line = "Linear discriminant analysis fitted on each outer training set: \(reference.correct)/\(reference.rows) of the same rows right (\(Format.percent(reference.accuracy)), exact 95% interval \(Format.interval(reference.interval)))."
            if let paired = outer.versusReference { line += " The outer estimate against it on the same rows: " + Self.pairedSentence(paired, other: "it") }
            lines.append(line)
        }
        if let baseline = outer.baseline, let paired = outer.versusBaseline {
            lines.append("The baseline configuration, its inner-fold models of each outer fold combined per row (trained on part of that fold's outer training rows only): \(baseline.correct)/\(baseline.rows) of the same rows right (\(Format.percent(baseline.accuracy))). "
                + "The outer estimate against it: " + Self.pairedSentence(paired, other: "the baseline"))
        }
        if outer.repeats > 1 {
            lines.append("Rows repeat across the \(outer.repeats) repeats, so the interval, the probability against the benchmark and the paired tests, on counts pooled over repeats, are narrower than \(outer.distinctRows) rows alone would give.")
        }
        return lines
    }

    private func baselineLines(_ report: SweepReport) -> [String] {
        guard let baseline = report.rows.first(where: \.isBaseline) else { return ["The baseline configuration is not in this sweep."] }
        return ["Baseline configuration (\(Baseline.parameters.map { "\($0.name) \($0.value)" }.joined(separator: ", "))): rank \(baseline.rank) of \(report.rows.count), "
            + "mean validation accuracy \(Format.percent(baseline.validationAccuracyMean)), mean test accuracy \(Format.percent(baseline.testAccuracyMean))"
            + (baseline.testEvidence.map { ", \($0.correct)/\($0.rows) test rows right" } ?? "") + "."]
    }

    /// The notes under a sweep's table; the ensemble's only when the table has its row.
    func footnotes(_ report: SweepReport) -> [String] {
        var notes = [
            "Runs counted: finished runs / all runs of the configuration. Means and std are over finished runs only; diverged and failed runs are counted, never averaged in.",
            "Std: sample standard deviation (divisor n − 1) over runs, in percentage points: the spread over seeds (and folds), not an interval. Runs of one configuration share their rows, so they are not independent evidence.",
            "Rows right: the configuration's finished models scored again on their own validation or test rows, combined per row by their mean class probability; each distinct row counts once. 95% CI: exact Clopper–Pearson interval for the accuracy, at the level of those rows.",
            "Vs. baseline: test rows this configuration gets right and the baseline wrong (+), and the reverse (−), on the rows both scored; p: McNemar's exact test. Nothing is marked as beating a benchmark on a point estimate.",
            "Best epoch: mean epoch of the lowest validation loss. Time: mean training time in seconds.",
            "Best run: the configuration's finished run with the best validation figure (then the lowest validation loss, then the oldest), the run exp best names for rank 1: exp predict --run ID uses its weights.",
        ]
        if let ensemble = report.ensemble, let rank = ensemble.ensembleOf {
            notes.append("Ensemble of \(rank): the \(ensemble.runs) finished models of configuration \(rank) (its seeds and folds) as one classifier, their class probabilities averaged per row, as exp predict --ensemble predicts. Its accuracies are its rows right over the distinct rows scored, not means over runs; chosen on the same validation rows, its validation accuracy is as optimistic as the configuration's.")
        }
        return notes
    }

    func footer(databasePath: String, generatedAt: Date) -> String {
        Self.footer(databasePath: databasePath, generatedAt: generatedAt)
    }

    /// The footer of every page: when and from which database it was generated.
    static func footer(databasePath: String, generatedAt: Date) -> String {
        "Generated \(timestampText(generatedAt)) from \(databasePath)."
    }

    static func timestampText(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
