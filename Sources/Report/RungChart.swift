import Foundation

extension ReportCharts {
    // MARK: Halving searches

    /// Validation accuracy against epochs for every run of a successive-halving or Hyperband
    /// search, on a logarithmic epoch axis (the rung budgets grow geometrically): runs that
    /// reached the top rung in the first series' colour, pruned runs in grey (a run of one
    /// epoch as a point), and a dashed vertical line at each rung's budget. Nil for other
    /// sweeps.
    static func rungCurves(_ report: SweepReport) -> SVGChart? {
        guard let (budgets, runs) = report.rungCurves, let top = budgets.last,
              !runs.isEmpty else { return nil }
        let frame = (x: left, y: 64.0, w: width - left - right, h: 300.0)
        var chart = SVGChart(width: width, height: frame.y + frame.h + 96,
                             title: "Validation accuracy against epochs of every run of sweep \(report.info.name), rungs marked")
        chart.text(left, 20, "Every run's validation accuracy by epoch; dashed: the rungs", class: "heading")
        let xDomain = (0.0, log10(Double(max(top, 2))))
        func px(_ epoch: Int) -> Double { Scale.map(log10(Double(epoch)), xDomain, (frame.x, frame.x + frame.w)) }
        let accuracies = runs.flatMap { $0.points.map(\.accuracy) }
        let yDomain = (accuracyFloor(accuracies), 1.0)
        func py(_ v: Double) -> Double { Scale.map(v, yDomain, (frame.y + frame.h, frame.y)) }
        axes(&chart, frame: frame, x: nil, y: yDomain, xLabel: "epoch (logarithmic)", yLabel: "validation accuracy (%)",
             yFormat: { Format.tick($0 * 100) })
        for epoch in Array(Set([1] + budgets)).sorted() {
            chart.line(px(epoch), frame.y + frame.h, px(epoch), frame.y + frame.h + 4, class: "axis")
            chart.text(px(epoch), frame.y + frame.h + 16, "\(epoch)", anchor: .middle)
        }
        for (index, budget) in budgets.enumerated() {
            chart.line(px(budget), frame.y, px(budget), frame.y + frame.h, class: "ref")
            chart.text(px(budget) - 3, frame.y - 6, "rung \(index)", class: "muted", anchor: .end)
        }
        // Pruned runs first, so the runs that reached the top rung are drawn over them.
        // A run of one epoch (pruned at a first rung of 1 epoch) is a point, not a line.
        for run in runs.sorted(by: { ($0.status != .pruned ? 1 : 0, $0.runID) < ($1.status != .pruned ? 1 : 0, $1.runID) }) {
            let cls = run.status == .pruned ? "pruned" : "s0 top"
            if run.points.count == 1, let point = run.points.first {
                chart.circle(px(point.epoch), py(point.accuracy), r: 2.5, class: cls + " point",
                             tooltip: "run \(run.runID): \(Format.tick(point.accuracy * 100))% after epoch \(point.epoch)")
            } else {
                chart.polyline(run.points.map { (px($0.epoch), py($0.accuracy)) }, class: cls)
            }
        }
        let pruned = runs.filter { $0.status == .pruned }.count
        let legend = frame.y + frame.h + 56
        chart.line(left, legend, left + 24, legend, class: "s0")
        chart.text(left + 30, legend + 4, "\(runs.count - pruned) run\(runs.count - pruned == 1 ? "" : "s") not pruned")
        chart.line(left + 250, legend, left + 274, legend, class: "pruned")
        chart.text(left + 280, legend + 4, "\(pruned) pruned run\(pruned == 1 ? "" : "s")")
        chart.text(left, legend + 24, "rungs at " + budgets.map(String.init).joined(separator: ", ") + " epochs", class: "muted")
        return chart
    }
}
