import Foundation

/// The file names of one sweep's chart files, beside the report (nil when the chart is empty).
struct ChartFiles {
    var curves: String?
    /// A halving search's runs by epoch, with its rungs.
    var rungs: String?
    var parameters: String?
    var parallel: String?
    var confusion: String?
}

/// Sweep reports grouped by data set, in data set name and version order.
func groupedByDataset(_ reports: [SweepReport]) -> [(dataset: DatasetInfo, sweeps: [SweepReport])] {
    var groups: [(dataset: DatasetInfo, sweeps: [SweepReport])] = []
    for report in reports {
        if let index = groups.firstIndex(where: { $0.dataset.id == report.info.dataset.id }) {
            groups[index].sweeps.append(report)
        } else {
            groups.append((report.info.dataset, [report]))
        }
    }
    return groups.sorted { ($0.dataset.name, $0.dataset.version) < ($1.dataset.name, $1.dataset.version) }
}

/// `leaderboard.md`: GitHub-flavoured Markdown. Every text from the database goes through
/// ``Escape/markdown(_:)``.
struct MarkdownReport {
    let reports: [SweepReport]
    let text: ReportText
    let top: Int
    let databasePath: String
    let generatedAt: Date
    let charts: [String: ChartFiles]

    private func e(_ s: String) -> String { Escape.markdown(s) }

    func render() -> String {
        var out: [String] = ["# Leaderboard", ""]
        out.append(e(text.headline))
        out.append("")
        out += summary()
        for group in groupedByDataset(reports) {
            out.append("## " + e(text.datasetHeading(group.dataset)))
            out.append("")
            for detail in text.datasetDetails(group.dataset) {
                out.append("- " + e("\(detail.label): \(detail.value)"))
            }
            out.append("")
            for report in group.sweeps { out += section(report) }
        }
        out.append("---")
        out.append("")
        out.append(e(text.footer(databasePath: databasePath, generatedAt: generatedAt)))
        out.append("")
        return out.joined(separator: "\n")
    }

    private func table(_ header: [String], _ rows: [[String]], rightAligned: [Bool]) -> [String] {
        var lines = ["| " + header.joined(separator: " | ") + " |"]
        lines.append("|" + rightAligned.map { $0 ? " ---: |" : " --- |" }.joined())
        lines += rows.map { "| " + $0.joined(separator: " | ") + " |" }
        return lines
    }

    private func summary() -> [String] {
        guard !reports.isEmpty else { return ["No sweep in the database.", ""] }
        var out = ["## Summary", ""]
        let columns = text.summaryColumns()
        let rows = reports.map { report in columns.map { e($0.cell(report)) } }
        out += table(columns.map { e($0.header) }, rows, rightAligned: columns.map(\.numeric))
        out.append("")
        return out
    }

    private func section(_ report: SweepReport) -> [String] {
        var out = ["### Sweep " + e(report.info.name), ""]
        out.append("- Protocol: " + e(text.protocolText(report.info)))
        out.append("- Runs: " + e(text.statusText(report.info)))
        if let halving = text.halvingText(report.info) { out.append("- Successive halving: " + e(halving)) }
        out.append("- Ranking: " + e(text.rankingRule(report)))
        out.append("- Benchmark: " + e(text.benchmarkFact(report)))
        if !report.parameters.constant.isEmpty {
            out.append("- Same in every configuration: " + e(report.parameters.constant.map { "\($0.name) \($0.value)" }.joined(separator: ", ")))
        }
        if let tags = report.info.tagsText { out.append("- Tags: " + e(tags)) }
        out.append("")
        if let note = report.info.note {
            // A blockquote, one escaped paragraph per line of the note.
            let lines = note.split(separator: "\n", omittingEmptySubsequences: false).map { e(String($0)) }
            out += ["> **Note:** " + lines[0]] + lines.dropFirst().flatMap { [">", "> " + $0] }
            out.append("")
        }
        out += text.verdict(report).flatMap { [e($0), ""] }
        let columns = text.columns(report)
        let shown = report.tableRows(top: top)
        if shown.isEmpty {
            out += ["No configuration has runs yet.", ""]
        } else {
            let rows = shown.map { row in columns.map { e($0.cell(row).text) } }
            let configurations = shown.filter { $0.ensembleOf == nil }.count
            out.append(e("Top \(min(top, report.rows.count)) of \(report.rows.count) configurations") + (configurations > min(top, report.rows.count) ? e(", then the baseline:") : ":"))
            out.append("")
            out += table(columns.map { e($0.header) }, rows, rightAligned: columns.map(\.numeric))
            out.append("")
            out += text.footnotes(report).map { "- " + e($0) }
            out.append("")
        }
        if let files = charts[report.info.name] {
            for (file, alt) in [(files.curves, "Learning curves of the top configurations"),
                                (files.parameters, "Validation accuracy by hyperparameter value"),
                                (files.rungs, "Validation accuracy against epochs of every run, rungs marked"),
                                (files.parallel, "Parallel coordinates of hyperparameters and mean validation accuracy"),
                                (files.confusion, "Test confusion matrix of the best configuration")] {
                if let file { out += ["![\(e(alt))](\(file))", ""] }
            }
        }
        let importance = report.importance
        if !importance.isEmpty {
            out += ["#### Hyperparameter importance", ""]
            out += table(ParameterImportance.header.map(e), importance.map { $0.cells.map(e) }, rightAligned: [false, true, false])
            out += ["", e(ReportText.importanceNote), ""]
        }
        return out
    }
}
