import Foundation
import Plot
import Tracker

extension RunComparison {
    /// The comparison as one self-contained HTML5 page (`exp compare --html OUT`): the
    /// hyperparameters side by side with those that differ marked `*` and highlighted, the
    /// summary metrics, and the learning curves of every run overlaid in one inline SVG chart.
    /// It has the leaderboard's styles and escaping and loads nothing from a network.
    public func html(databasePath: String, generatedAt: Date = Date()) -> String {
        func t<Context>(_ string: String) -> Node<Context> { .raw(Escape.html(string)) }
        let heading = "Runs " + runIDs.map(String.init).joined(separator: ", ") + " compared"
        let runHeaders: [Node<HTML.TableRowContext>] = runIDs.map { .th(.attribute(named: "scope", value: "col"), t("run \($0)")) }
        /// A side-by-side table; with `marking`, the rows whose values differ are marked.
        func table(_ caption: String, _ nameHeader: String, _ rows: [Row], marking: Bool,
                   format: @escaping (String, SQLValue) -> String) -> Node<HTML.BodyContext> {
            .div(.class("table-wrap"), .table(
                .class("compare"),
                .caption(t(caption)),
                .thead(.tr(.th(.attribute(named: "scope", value: "col"), t(nameHeader)), .group(runHeaders))),
                .tbody(.group(rows.map { row in
                    .tr(.class(marking && row.differs ? "differs" : ""),
                        .th(.attribute(named: "scope", value: "row"), t((marking && row.differs ? "* " : "") + row.name)),
                        .group(row.values.map { value in
                            .td(.class(value.double != nil && value.string == nil ? "num" : ""), t(format(row.name, value)))
                        }))
                }))
            ))
        }
        let differing = hyperparameters.filter(\.differs).count
        let figure: Node<HTML.BodyContext> = ComparisonChart.curves(self).map { chart in
            .element(named: "figure", nodes: [Node<HTML.BodyContext>.raw(chart.render(standalone: false))])
        } ?? .p("No epoch of these runs is stored.")
        let html = HTML(
            .lang(.english),
            HTMLReport.head(title: heading, css: HTMLReport.css + Self.css + chartCSS),
            .body(
                .header(.h1(t(heading))),
                .main(
                    .section(
                        .h2("Hyperparameters"),
                        table("\(differing) of \(hyperparameters.count) hyperparameters differ (marked * and highlighted).",
                              "hyperparameter", hyperparameters, marking: true) { _, value in Self.cellText(value) }
                    ),
                    .section(
                        .h2("Summary metrics"),
                        table("Accuracies in %, losses per row, durations in seconds.", "metric", metrics, marking: false,
                              format: Self.metricText)
                    ),
                    .section(
                        .h2("Learning curves"),
                        figure
                    )
                ),
                .footer(.p(t(ReportText.footer(databasePath: databasePath, generatedAt: generatedAt))))
            )
        )
        return html.render() + "\n"
    }

    /// A metric's cell: accuracies as percentages with two decimals, other numbers with five
    /// significant digits, missing values as an en dash.
    static func metricText(_ name: String, _ value: SQLValue) -> String {
        if name.hasSuffix("_accuracy") { return Format.percent(value.double, digits: 2) }
        if case .real(let v) = value { return v.isFinite ? String(format: "%.5g", v) : "\(v)" }
        return cellText(value)
    }

    /// A stored value as text; NULL as an en dash.
    static func cellText(_ value: SQLValue) -> String {
        switch value {
        case .null: return "–"
        case .integer(let v): return String(v)
        case .real(let v): return String(v)
        case .text(let v): return v
        case .blob(let v): return "\(v.count) bytes"
        }
    }

    static let css = """
    table.compare tr.differs>*{background:var(--mark)}
    table.compare tbody th{text-align:left;font-weight:600}

    """
}

/// The comparison's chart: the loss and accuracy of every run per epoch, overlaid.
enum ComparisonChart {
    /// Two panels, loss above accuracy, one colour per run: validation solid, training dashed.
    /// Nil when no run has a stored epoch.
    static func curves(_ comparison: RunComparison) -> SVGChart? {
        let curves = comparison.curves
        guard curves.contains(where: { !$0.isEmpty }) else { return nil }
        let (width, left, right) = (ReportCharts.width, ReportCharts.left, ReportCharts.right)
        let panelHeight = 220.0, top = 60.0, gap = 70.0
        let legendTop = top + 2 * panelHeight + gap + 64
        let differing = comparison.hyperparameters.filter(\.differs)
        var chart = SVGChart(width: width, height: legendTop + Double(curves.count) * 18 + 16,
                             title: "Learning curves of runs " + comparison.runIDs.map(String.init).joined(separator: ", "))
        chart.text(left, 20, "Learning curves: loss and accuracy per epoch", class: "heading")
        let maxEpoch = Double(curves.flatMap { $0.map(\.epoch) }.max() ?? 1)
        let xDomain = (1.0, max(2.0, maxEpoch))
        let plotWidth = width - left - right
        let lossFrame = (x: left, y: top, w: plotWidth, h: panelHeight)
        let losses = curves.joined().flatMap { [$0.trainLoss, $0.validationLoss].compactMap { $0 } }.filter(\.isFinite)
        let lossTop = max(losses.max() ?? 1, 1e-9) * 1.05
        ReportCharts.axes(&chart, frame: lossFrame, x: xDomain, y: (0, lossTop), xLabel: nil, yLabel: "loss (mean per row)",
                          yFormat: Format.tick)
        let accuracyFrame = (x: left, y: top + panelHeight + gap, w: plotWidth, h: panelHeight)
        let accuracies = curves.joined().flatMap { [$0.trainAccuracy, $0.validationAccuracy].compactMap { $0 } }
        let accuracyDomain = (ReportCharts.accuracyFloor(accuracies), 1.0)
        ReportCharts.axes(&chart, frame: accuracyFrame, x: xDomain, y: accuracyDomain, xLabel: "epoch", yLabel: "accuracy (%)",
                          yFormat: { Format.tick($0 * 100) })
        chart.text(left, top - 8, "Loss", class: "heading")
        chart.text(left, accuracyFrame.y - 8, "Accuracy", class: "heading")
        let panels: [((x: Double, y: Double, w: Double, h: Double), (Double, Double), [(KeyPath<EpochRow, Double?>, Bool)])] = [
            (lossFrame, (0, lossTop), [(\.validationLoss, false), (\.trainLoss, true)]),
            (accuracyFrame, accuracyDomain, [(\.validationAccuracy, false), (\.trainAccuracy, true)]),
        ]
        for (index, curve) in curves.enumerated() {
            let series = "s\(index % 4)"
            for (frame, domain, metrics) in panels {
                for (path, isTraining) in metrics {
                    let points = curve.compactMap { row -> (Int, Double)? in
                        guard let value = row[keyPath: path], value.isFinite else { return nil }
                        return (row.epoch, value)
                    }
                    chart.polyline(points.map { epoch, value in
                        (Scale.map(Double(epoch), xDomain, (frame.x, frame.x + frame.w)), Scale.map(value, domain, (frame.y + frame.h, frame.y)))
                    }, class: isTraining ? "\(series) train" : series)
                }
            }
        }
        chart.text(left, legendTop - 12, "solid: validation; dashed: training", class: "muted")
        for (index, id) in comparison.runIDs.enumerated() {
            let y = legendTop + Double(index) * 18
            chart.line(left, y, left + 24, y, class: "s\(index % 4)")
            let names = differing.map { "\($0.name)=\(RunComparison.cellText($0.values[index]))" }.joined(separator: ", ")
            let epochs = curves[index].count
            chart.text(left + 30, y + 4, "run \(id) (\(epochs) epoch\(epochs == 1 ? "" : "s"))" + (names.isEmpty ? "" : " " + names),
                       maxCharacters: 95)
        }
        return chart
    }
}
