import Foundation

extension ReportCharts {
    /// A random search's scatter (as Optuna's slice plot): one panel per hyperparameter drawn
    /// from a distribution, one dot per configuration with finished runs at (its value, its
    /// mean validation accuracy), on a log axis where the distribution is log-uniform (and
    /// every value is above 0). `hidden_layers` is placed by its total hidden units. Nil when
    /// nothing is drawn or no configuration has finished.
    static func sampledScatter(_ report: SweepReport) -> SVGChart? {
        let rows = report.rows.filter { $0.finishedRuns > 0 && $0.validationAccuracyMean != nil && $0.ensembleOf == nil }
        let panels: [(name: String, label: String, log: Bool, points: [(x: Double, y: Double, rank: Int)])] = report.sampled.compactMap { p in
            let points = rows.compactMap { row -> (x: Double, y: Double, rank: Int)? in
                guard let text = row.parameters[p.name], let x = scatterValue(text) else { return nil }
                return (x, row.validationAccuracyMean!, row.rank)
            }
            guard !points.isEmpty else { return nil }
            let log = p.log && points.allSatisfy { $0.x > 0 }
            let label = p.name == "hidden_layers" ? "hidden_layers (total hidden units)" : p.name
            return (p.name, label + (log ? ", log scale" : ""), log, points)
        }
        guard !panels.isEmpty else { return nil }
        let panelHeight = 170.0, gap = 72.0, top = 44.0
        var chart = SVGChart(width: width, height: top + Double(panels.count) * (panelHeight + gap) + 8,
                             title: "Validation accuracy against each sampled hyperparameter, sweep \(report.info.name)")
        chart.text(left, 18, "Random search: mean validation accuracy of each configuration against its drawn values", class: "heading")
        chart.text(left, 34, "one dot per configuration with finished runs; hover for its rank", class: "muted")
        let domain = (accuracyFloor(panels.flatMap { $0.points.map(\.y) }), 1.0)
        for (index, panel) in panels.enumerated() {
            let frame = (x: left, y: top + 16 + Double(index) * (panelHeight + gap), w: width - left - right, h: panelHeight)
            chart.text(left, frame.y - 6, panel.label, class: "heading")
            let xs = panel.points.map(\.x)
            let low = xs.min()!, high = xs.max()!
            let forward: (Double) -> Double = panel.log ? { Foundation.log10($0) } : { $0 }
            let pad = low == high ? 1.0 : (forward(high) - forward(low)) * 0.04
            let xDomain = (forward(low) - pad, forward(high) + pad)
            axes(&chart, frame: frame, x: nil, y: domain, xLabel: nil, yLabel: "validation accuracy (%)",
                 yFormat: { Format.tick($0 * 100) })
            benchmarkLine(&chart, frame: frame, y: domain, benchmark: report.benchmark?.testAccuracy)
            let ticks = panel.log ? logTicks(pow(10, xDomain.0), pow(10, xDomain.1)) : Scale.ticks(xDomain.0, xDomain.1, count: 8)
            for tick in ticks {
                let px = Scale.map(forward(tick), xDomain, (frame.x, frame.x + frame.w))
                chart.line(px, frame.y + frame.h, px, frame.y + frame.h + 4, class: "axis")
                chart.text(px, frame.y + frame.h + 16, Format.tick(tick), anchor: .middle)
            }
            chart.text(frame.x + frame.w / 2, frame.y + frame.h + 32, panel.label, anchor: .middle)
            for point in panel.points {
                chart.circle(Scale.map(forward(point.x), xDomain, (frame.x, frame.x + frame.w)),
                             Scale.map(point.y, domain, (frame.y + frame.h, frame.y)), r: 3.5, class: "dot",
                             tooltip: "#\(point.rank): \(panel.name) \(Format.tick(point.x)), validation \(Format.percent(point.y))")
            }
        }
        return chart
    }

    /// The number a stored parameter text stands for on a scatter's axis: the number itself,
    /// or for a layer list (`[16,8]`) its total width; nil for a name.
    static func scatterValue(_ text: String) -> Double? {
        if let number = Double(text) { return number }
        guard text.hasPrefix("["), text.hasSuffix("]") else { return nil }
        let widths = text.dropFirst().dropLast().split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        return widths.reduce(0, +)
    }

    /// Ticks of a log axis over `low...high` (both above 0): 1, 2 and 5 times each power of ten
    /// in range, or only the powers of ten when that gives more than 8.
    static func logTicks(_ low: Double, _ high: Double) -> [Double] {
        guard low > 0, high >= low else { return [] }
        let first = Int(Foundation.floor(Foundation.log10(low))), last = Int(Foundation.ceil(Foundation.log10(high)))
        let candidates = (first...last).flatMap { e in [1.0, 2, 5].map { $0 * pow(10, Double(e)) } }.filter { $0 >= low && $0 <= high }
        let powers = candidates.filter { Foundation.log10($0) == Foundation.log10($0).rounded() }
        return candidates.count > 8 ? powers : candidates
    }
}
