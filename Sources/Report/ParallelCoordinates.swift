import Foundation

extension ReportCharts {
    /// The plot area of the parallel-coordinates chart, and its axes' horizontal positions.
    struct ParallelLayout {
        static let top = 78.0, height = 300.0
        /// The x of axis `index` of `count` (the hyperparameters, then mean validation accuracy).
        static func x(_ index: Int, of count: Int) -> Double {
            let span = width - left - right - 90
            return left + 40 + span * Double(index) / Double(max(1, count - 1))
        }
        /// The y of category `index` of `count` on a hyperparameter's axis: the first value at
        /// the bottom, the last at the top, a single value in the middle.
        static func y(category index: Int, of count: Int) -> Double {
            guard count > 1 else { return top + height / 2 }
            return top + height - height * Double(index) / Double(count - 1)
        }
    }

    /// Parallel coordinates of the hyperparameters against mean validation accuracy: one
    /// vertical axis per varying hyperparameter (its values evenly spaced, in the report's value
    /// order) and a last axis of mean validation accuracy; one polyline per configuration with
    /// a finished run, through its value on each axis. The best configuration is drawn last, in
    /// the second colour. Nil when no hyperparameter varies or no configuration has finished.
    static func parallelCoordinates(_ report: SweepReport) -> SVGChart? {
        let names = report.parameters.varying
        let rows = report.rows.filter { $0.ensembleOf == nil && $0.validationAccuracyMean != nil }
        guard !names.isEmpty, !rows.isEmpty else { return nil }
        let axes = names.count + 1
        let (top, height) = (ParallelLayout.top, ParallelLayout.height)
        var chart = SVGChart(width: width, height: top + height + 40,
                             title: "Parallel coordinates of hyperparameters and mean validation accuracy, sweep \(report.info.name)")
        chart.text(left, 18, "Hyperparameters against mean validation accuracy, one line per configuration", class: "heading")
        chart.text(left, 34, "\(rows.count) configuration\(rows.count == 1 ? "" : "s") with finished runs; the best in the second colour",
                   class: "muted")
        let categories = names.map { ParameterSummary.categories($0, values: report.parameters.values, rows: rows) }
        let maxCharacters = max(4, Int((ParallelLayout.x(1, of: axes) - ParallelLayout.x(0, of: axes)) / 7) - 1)
        for (index, name) in names.enumerated() {
            let x = ParallelLayout.x(index, of: axes)
            chart.line(x, top, x, top + height, class: "axis")
            chart.text(x, top - 22, name, class: "heading", anchor: .middle, maxCharacters: maxCharacters)
            for (position, value) in categories[index].enumerated() {
                let y = ParallelLayout.y(category: position, of: categories[index].count)
                chart.line(x - 4, y, x, y, class: "axis")
                chart.text(x - 7, y + 4, value, anchor: .end, maxCharacters: 10)
            }
        }
        let domain = (accuracyFloor(rows.compactMap(\.validationAccuracyMean)), 1.0)
        let accuracyX = ParallelLayout.x(names.count, of: axes)
        chart.line(accuracyX, top, accuracyX, top + height, class: "axis")
        chart.text(accuracyX, top - 22, "mean val. acc. (%)", class: "heading", anchor: .middle)
        for tick in Scale.ticks(domain.0, domain.1, count: 5) {
            let y = Scale.map(tick, domain, (top + height, top))
            chart.line(accuracyX, y, accuracyX + 4, y, class: "axis")
            chart.text(accuracyX + 7, y + 4, Format.tick(tick * 100))
        }
        // Worst first, so better configurations are drawn over worse ones; the best last.
        for row in rows.reversed() {
            var points = names.enumerated().map { index, name in
                let position = categories[index].firstIndex(of: row.parameters[name] ?? "–") ?? 0
                return (ParallelLayout.x(index, of: axes), ParallelLayout.y(category: position, of: categories[index].count))
            }
            points.append((accuracyX, Scale.map(row.validationAccuracyMean!, domain, (top + height, top))))
            chart.polyline(points, class: row.configSHA256 == rows.first?.configSHA256 ? "pc best" : "pc",
                           tooltip: "\(report.label(of: row)): mean validation accuracy \(Format.percent(row.validationAccuracyMean))")
        }
        chart.text(left, top + height + 30, "axes: each hyperparameter's values (first at the bottom), then mean validation accuracy",
                   class: "muted")
        return chart
    }
}
