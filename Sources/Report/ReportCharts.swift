import Foundation

/// The charts of one sweep's section, built from its ``SweepReport``.
enum ReportCharts {
    static let width = 720.0
    static let left = 64.0, right = 16.0

    /// The lower end of an accuracy axis: the tenth below the lowest value shown, at most 0.9 so
    /// the benchmark line is always in view.
    static func accuracyFloor(_ values: [Double]) -> Double {
        guard let lowest = values.filter(\.isFinite).min() else { return 0 }
        return max(0, min(0.9, (lowest * 10).rounded(.down) / 10))
    }

    /// Every chart of a sweep's section, in the page's order: learning curves, accuracy by
    /// hyperparameter value, a random search's sampled scatter, a halving search's rungs, parallel
    /// coordinates, confusion matrix (the empty ones left out).
    static func all(_ report: SweepReport) -> [SVGChart] {
        [learningCurves(report), accuracyByParameter(report), sampledScatter(report), rungCurves(report), parallelCoordinates(report),
         confusionMatrix(report)].compactMap { $0 }
    }

    /// Draws axes, grid lines and tick labels for a panel whose plot area is `frame`.
    static func axes(_ chart: inout SVGChart, frame: (x: Double, y: Double, w: Double, h: Double),
                     x: (Double, Double)?, y: (Double, Double), xLabel: String?, yLabel: String,
                     yFormat: (Double) -> String) {
        for tick in Scale.ticks(y.0, y.1, count: 5) {
            let py = Scale.map(tick, y, (frame.y + frame.h, frame.y))
            chart.line(frame.x, py, frame.x + frame.w, py, class: "grid")
            chart.text(frame.x - 6, py + 4, yFormat(tick), anchor: .end)
        }
        chart.line(frame.x, frame.y, frame.x, frame.y + frame.h, class: "axis")
        chart.line(frame.x, frame.y + frame.h, frame.x + frame.w, frame.y + frame.h, class: "axis")
        if let x {
            for tick in Scale.ticks(x.0, x.1, count: 8) {
                let px = Scale.map(tick, x, (frame.x, frame.x + frame.w))
                chart.line(px, frame.y + frame.h, px, frame.y + frame.h + 4, class: "axis")
                chart.text(px, frame.y + frame.h + 16, Format.tick(tick), anchor: .middle)
            }
        }
        if let xLabel { chart.text(frame.x + frame.w / 2, frame.y + frame.h + 32, xLabel, anchor: .middle) }
        chart.text(16, frame.y + frame.h / 2, yLabel, anchor: .middle, rotate: -90)
    }

    /// A dashed horizontal reference line at the benchmark accuracy, labelled.
    static func benchmarkLine(_ chart: inout SVGChart, frame: (x: Double, y: Double, w: Double, h: Double),
                              y: (Double, Double), benchmark: Double?) {
        guard let benchmark, benchmark >= y.0, benchmark <= y.1 else { return }
        let py = Scale.map(benchmark, y, (frame.y + frame.h, frame.y))
        chart.line(frame.x, py, frame.x + frame.w, py, class: "ref")
        // The key sits above the panel's top right corner, clear of the data.
        let label = "benchmark \(Format.percent(benchmark)) (test accuracy)"
        let labelWidth = Double(label.count) * 6.6
        chart.line(frame.x + frame.w - labelWidth - 34, frame.y - 10, frame.x + frame.w - labelWidth - 8, frame.y - 10, class: "ref")
        chart.text(frame.x + frame.w, frame.y - 6, label, class: "muted", anchor: .end)
    }

    // MARK: Learning curves

    /// Training (dashed) and validation (solid) loss and accuracy per epoch of the top
    /// configurations: the mean over their finished runs, with a min–max band.
    static func learningCurves(_ report: SweepReport) -> SVGChart? {
        let curves = report.curves.filter { !$0.points.isEmpty }
        guard !curves.isEmpty else { return nil }
        // The legend names the hyperparameters in which the plotted configurations differ, and
        // lists those they share once, so that labels cut to the chart's width still tell the
        // lines apart.
        let plotted = curves.map { curve in report.rows.first { $0.configSHA256 == curve.configSHA256 } }
        let varying = report.parameters.varying
        let differing = curves.count < 2 ? varying : varying.filter { name in
            Set(plotted.map { $0?.parameters[name] ?? "–" }).count > 1
        }
        let shared = curves.count < 2 ? [] : varying.filter { !differing.contains($0) }
        let labels = plotted.map { row in
            differing.map { "\($0)=\(row?.parameters[$0] ?? "–")" }.joined(separator: ", ")
        }
        let panelHeight = 220.0, top = 60.0, gap = 70.0
        let legendTop = top + 2 * panelHeight + gap + 64
        let sharedLine = shared.isEmpty ? 0.0 : 18.0
        var chart = SVGChart(width: width, height: legendTop + Double(curves.count) * 18 + sharedLine + 30,
                             title: "Learning curves of the top \(curves.count) configurations of sweep \(report.info.name)")
        chart.text(left, 20, "Learning curves of the top configurations: mean over finished runs", class: "heading")
        let maxEpoch = Double(curves.flatMap(\.points).map(\.epoch).max() ?? 1)
        let xDomain = (1.0, max(2.0, maxEpoch))
        let plotWidth = width - left - right

        // Loss panel: from 0 to the highest mean loss (bands are clipped to it).
        let lossFrame = (x: left, y: top, w: plotWidth, h: panelHeight)
        let lossMeans = curves.flatMap(\.points).flatMap { [$0.trainLoss?.mean, $0.validationLoss?.mean].compactMap { $0 } }
            .filter(\.isFinite)
        let lossTop = max(lossMeans.max() ?? 1, 1e-9) * 1.05
        axes(&chart, frame: lossFrame, x: xDomain, y: (0, lossTop), xLabel: nil, yLabel: "loss (mean per row)",
             yFormat: Format.tick)
        // Accuracy panel.
        let accuracyFrame = (x: left, y: top + panelHeight + gap, w: plotWidth, h: panelHeight)
        let accuracyMeans = curves.flatMap(\.points).flatMap { [$0.trainAccuracy?.mean, $0.validationAccuracy?.mean].compactMap { $0 } }
        let accuracyDomain = (accuracyFloor(accuracyMeans), 1.0)
        axes(&chart, frame: accuracyFrame, x: xDomain, y: accuracyDomain, xLabel: "epoch", yLabel: "accuracy (%)",
             yFormat: { Format.tick($0 * 100) })
        benchmarkLine(&chart, frame: accuracyFrame, y: accuracyDomain, benchmark: report.benchmark?.testAccuracy)
        chart.text(left, top - 8, "Loss", class: "heading")
        chart.text(left, accuracyFrame.y - 8, "Accuracy", class: "heading")

        for (index, curve) in curves.enumerated() {
            let series = "s\(index % 3)", fill = "band b\(index % 3)"
            for (frame, domain, metrics) in [
                (lossFrame, (0.0, lossTop), [(\CurvePoint.validationLoss, false), (\CurvePoint.trainLoss, true)]),
                (accuracyFrame, accuracyDomain, [(\CurvePoint.validationAccuracy, false), (\CurvePoint.trainAccuracy, true)]),
            ] {
                for (path, isTraining) in metrics {
                    let present = curve.points.compactMap { p in p[keyPath: path].map { (p.epoch, $0) } }
                    func px(_ epoch: Int) -> Double { Scale.map(Double(epoch), xDomain, (frame.x, frame.x + frame.w)) }
                    func py(_ v: Double) -> Double { Scale.map(v, domain, (frame.y + frame.h, frame.y)) }
                    if !isTraining {
                        chart.band(upper: present.map { (px($0.0), py($0.1.max)) }, lower: present.map { (px($0.0), py($0.1.min)) },
                                   class: fill)
                    }
                    chart.polyline(present.map { (px($0.0), py($0.1.mean)) }, class: isTraining ? "\(series) train" : series)
                }
            }
        }
        // Legend.
        chart.text(left, legendTop - 12, "solid: validation; dashed: training; shaded: validation min–max over runs",
                   class: "muted")
        for (index, label) in labels.enumerated() {
            let y = legendTop + Double(index) * 18
            chart.line(left, y, left + 24, y, class: "s\(index % 3)")
            let runs = curves[index].points.map(\.runs).max() ?? 0
            let prefix = "#\(curves[index].rank) (\(runs) run\(runs == 1 ? "" : "s"))"
            chart.text(left + 30, y + 4, label.isEmpty ? prefix : prefix + " " + label, maxCharacters: 95)
        }
        if !shared.isEmpty, let first = plotted.first {
            let common = shared.map { "\($0)=\(first?.parameters[$0] ?? "–")" }.joined(separator: ", ")
            chart.text(left, legendTop + Double(curves.count) * 18 + 4, "all \(curves.count): " + common, class: "muted",
                       maxCharacters: 105)
        }
        return chart
    }

    // MARK: Accuracy by hyperparameter

    /// One panel per varying hyperparameter: each value's finished runs as dots at their
    /// validation accuracy (area ∝ runs), with the mean marked. Hyperparameters a random
    /// search drew from a distribution are left to ``sampledScatter(_:)``.
    static func accuracyByParameter(_ report: SweepReport) -> SVGChart? {
        let drawn = Set(report.sampled.map(\.name))
        let panels = report.dots.filter { !drawn.contains($0.name) && $0.values.contains { !$0.dots.isEmpty } }
        guard !panels.isEmpty else { return nil }
        let panelHeight = 170.0, gap = 72.0, top = 44.0
        var chart = SVGChart(width: width, height: top + Double(panels.count) * (panelHeight + gap) + 8,
                             title: "Validation accuracy by hyperparameter value, sweep \(report.info.name)")
        chart.text(left, 18, "Validation accuracy of each finished run by hyperparameter value", class: "heading")
        chart.text(left, 34, "dot area ∝ runs at that accuracy; bar = mean", class: "muted")
        let all = panels.flatMap { $0.values.flatMap { $0.dots.map(\.accuracy) } }
        let domain = (accuracyFloor(all), 1.0)
        let maxCount = Double(panels.flatMap { $0.values.flatMap { $0.dots.map(\.count) } }.max() ?? 1)
        for (index, panel) in panels.enumerated() {
            let frame = (x: left, y: top + 16 + Double(index) * (panelHeight + gap), w: width - left - right, h: panelHeight)
            chart.text(left, frame.y - 6, panel.name, class: "heading")
            axes(&chart, frame: frame, x: nil, y: domain, xLabel: nil, yLabel: "validation accuracy (%)",
                 yFormat: { Format.tick($0 * 100) })
            benchmarkLine(&chart, frame: frame, y: domain, benchmark: report.benchmark?.testAccuracy)
            let slot = frame.w / Double(max(1, panel.values.count))
            let maxCharacters = max(4, Int(slot / 7))
            for (position, value) in panel.values.enumerated() {
                let cx = frame.x + slot * (Double(position) + 0.5)
                for dot in value.dots {
                    let r = 2 + 7 * (Double(dot.count) / maxCount).squareRoot()
                    chart.circle(cx, Scale.map(dot.accuracy, domain, (frame.y + frame.h, frame.y)), r: r, class: "dot",
                                 tooltip: "\(panel.name) = \(value.text): \(dot.count) run\(dot.count == 1 ? "" : "s") at \(Format.percent(dot.accuracy))")
                }
                if value.runs > 0 {
                    let my = Scale.map(value.mean, domain, (frame.y + frame.h, frame.y))
                    chart.line(cx - min(18, slot / 3), my, cx + min(18, slot / 3), my, class: "meanmark")
                }
                chart.text(cx, frame.y + frame.h + 16, value.text, anchor: .middle, maxCharacters: maxCharacters)
                chart.text(cx, frame.y + frame.h + 30, "n=\(value.runs)", class: "muted", anchor: .middle)
            }
        }
        return chart
    }

    // MARK: Confusion matrix

    /// The best configuration's test confusion matrix summed over its runs; shading is the
    /// share of the true class's rows.
    static func confusionMatrix(_ report: SweepReport) -> SVGChart? {
        guard let confusion = report.confusion, !confusion.counts.isEmpty else { return nil }
        let classes = confusion.counts.count
        let cell = max(28, min(64, 420 / Double(classes)))
        // Vertical layout, baselines of 12 px text (about 11 px above the baseline and 3 below):
        // the axis title at 58, the column labels' two lines at top - 24 and top - 8, so the
        // upper line's tallest letters stay 8 px clear of the title's descenders.
        let labelWidth = 130.0, top = 104.0, axisTitle = 58.0
        let gridLeft = labelWidth + 40
        let w = max(460, gridLeft + cell * Double(classes) + 20)
        var chart = SVGChart(width: w, height: top + cell * Double(classes) + 60,
                             title: "Test confusion matrix of configuration #\(confusion.rank), sweep \(report.info.name)")
        let total = confusion.counts.joined().reduce(0, +)
        let correct = (0..<classes).reduce(0) { $0 + confusion.counts[$1][$1] }
        chart.text(16, 18, "Test confusion matrix of #\(confusion.rank), summed over \(confusion.runs) run\(confusion.runs == 1 ? "" : "s")",
                   class: "heading")
        chart.text(16, 34, "\(correct) of \(total) test rows correct (\(Format.percent(total > 0 ? Double(correct) / Double(total) : nil)))",
                   class: "muted")
        chart.text(gridLeft + cell * Double(classes) / 2, axisTitle, "predicted class", anchor: .middle)
        chart.text(14, top + cell * Double(classes) / 2, "true class", anchor: .middle, rotate: -90)
        // Column labels alternate between two lines, so each may be twice as wide as a cell.
        let maxCharacters = max(4, Int(2 * cell / 7) - 1)
        for j in 0..<classes {
            chart.text(gridLeft + cell * (Double(j) + 0.5), top - (j.isMultiple(of: 2) ? 8 : 24), confusion.classNames[j],
                       anchor: .middle, maxCharacters: maxCharacters)
        }
        for i in 0..<classes {
            let rowTotal = confusion.counts[i].reduce(0, +)
            let y = top + cell * Double(i)
            chart.text(gridLeft - 8, y + cell / 2 + 4, confusion.classNames[i], anchor: .end, maxCharacters: 18)
            for j in 0..<classes {
                let count = confusion.counts[i][j]
                let x = gridLeft + cell * Double(j)
                let share = rowTotal > 0 ? Double(count) / Double(rowTotal) : 0
                chart.rect(x, y, cell, cell, class: "cell", opacity: 0.08 + 0.8 * share,
                           tooltip: "true \(confusion.classNames[i]), predicted \(confusion.classNames[j]): \(count)")
                chart.rect(x, y, cell, cell, class: "cellframe")
                // On a strong shade the count takes the background colour to stay readable.
                chart.text(x + cell / 2, y + cell / 2 + 4, String(count), class: share > 0.45 ? "count on-dark" : "count",
                           anchor: .middle)
            }
        }
        chart.text(16, top + cell * Double(classes) + 36, "rows: true class; columns: predicted; shade: share of the true class",
                   class: "muted")
        return chart
    }
}
