import Foundation
import Testing
@testable import Report

/// Three finished configurations and one without a finished run, over three hyperparameters.
private func handReport() -> SweepReport {
    func row(_ rank: Int, _ sha: String, _ parameters: [String: String], _ accuracy: Double?) -> LeaderboardRow {
        LeaderboardRow(rank: rank, configSHA256: sha, config: "{}", parameters: parameters, runs: 3,
                       finishedRuns: accuracy == nil ? 0 : 3, divergedRuns: 0, failedRuns: 0, pendingRuns: accuracy == nil ? 3 : 0,
                       validationAccuracyMean: accuracy, validationAccuracyStd: nil, testAccuracyMean: nil, bestEpochMean: nil,
                       durationSecondsMean: nil, isBaseline: false)
    }
    let rows = [
        row(1, "a", ["hidden_layers": "[8]", "learning_rate": "0.1", "activation": "relu"], 0.90),
        row(2, "b", ["hidden_layers": "[16]", "learning_rate": "0.1", "activation": "relu"], 0.80),
        row(3, "c", ["hidden_layers": "[8]", "learning_rate": "0.5", "activation": "relu"], 0.70),
        row(4, "d", ["hidden_layers": "[16]", "learning_rate": "0.5", "activation": "tanh"], nil),
    ]
    let dataset = DatasetInfo(id: 1, name: "iris", version: 1, rows: 150, features: 4, classes: 3,
                              featureNames: ["a", "b", "c", "d"], classNames: ["x", "y", "z"])
    let info = SweepInfo(id: 1, name: "hand", createdAt: "", protocolJSON: "{}", dataset: dataset,
                         statusCounts: [("finished", 9), ("queued", 3)], testRowCounts: [30])
    let parameters = ParameterSummary(varying: ["hidden_layers", "learning_rate", "activation"], constant: [],
                                      values: ["hidden_layers": ["[8]", "[16]"], "learning_rate": ["0.1", "0.5"],
                                               "activation": ["relu", "tanh"]])
    return SweepReport(info: info, rows: rows, parameters: parameters, curves: [], dots: [], confusion: nil, slug: "hand")
}

/// By hand: learning_rate 0.1 → (0.90 + 0.80) / 2 = 0.85 over 2 configurations, 0.5 → 0.70 over
/// 1 (the unfinished one left out): spread 0.15. hidden_layers [8] → (0.90 + 0.70) / 2 = 0.80
/// over 2, [16] → 0.80 over 1: spread 0. activation: only relu has finished configurations: no spread.
@Test func importanceIsTheSpreadOfValueMeansOverConfigurations() throws {
    let importance = handReport().importance
    #expect(importance.map(\.name) == ["learning_rate", "hidden_layers", "activation"], "largest spread first, none last")
    let rate = importance[0], hidden = importance[1], activation = importance[2]
    #expect(abs(rate.spread! - 0.15) < 1e-12)
    #expect(rate.values.map(\.text) == ["0.1", "0.5"])
    #expect(abs(rate.values[0].mean - 0.85) < 1e-12 && abs(rate.values[1].mean - 0.70) < 1e-12)
    #expect(rate.values.map(\.configurations) == [2, 1])
    #expect(abs(hidden.spread!) < 1e-12)
    #expect(hidden.values.map(\.configurations) == [2, 1])
    #expect(activation.spread == nil)
    #expect(activation.values.map(\.text) == ["relu"] && activation.values[0].configurations == 3)
    #expect(rate.cells == ["learning_rate", "15.0 pp", "0.1: 85.0% (2); 0.5: 70.0% (1)"])
    #expect(activation.cells[1] == "–")
}

/// One polyline per finished configuration, through its value on every axis and its mean
/// validation accuracy; the best one marked.
@Test func parallelCoordinatesDrawOneLinePerConfigurationThroughItsValues() throws {
    let report = handReport()
    let svg = try #require(ReportCharts.parallelCoordinates(report)).render(standalone: true)
    let pattern = try Regex(#"<polyline points="([^"]*)" class="([^"]*)"><title>([^<]*)</title></polyline>"#)
    let lines = svg.matches(of: pattern).map { match in
        (points: String(match.output[1].substring!).split(separator: " ").map { pair in
            pair.split(separator: ",").map { Double($0)! }
         },
         cls: String(match.output[2].substring!), title: String(match.output[3].substring!))
    }
    #expect(lines.count == 3, "the configuration without a finished run has no line")
    #expect(lines.last?.cls == "pc best" && lines.filter { $0.cls == "pc best" }.count == 1, "the best drawn last")
    // Axes at x = 104, 287.3, 470.7, 654 (550 px over 3 gaps); categories: first value at the bottom (y 378), last at the top (78);
    // accuracy from 70% (y 378) to 100% (y 78).
    let expected: [String: [[Double]]] = [
        "#1 hidden_layers=[8], learning_rate=0.1, activation=relu: mean validation accuracy 90.0%":
            [[104, 378], [287.3, 378], [470.7, 378], [654, 178]],
        "#2 hidden_layers=[16], learning_rate=0.1, activation=relu: mean validation accuracy 80.0%":
            [[104, 78], [287.3, 378], [470.7, 378], [654, 278]],
        "#3 hidden_layers=[8], learning_rate=0.5, activation=relu: mean validation accuracy 70.0%":
            [[104, 378], [287.3, 78], [470.7, 378], [654, 378]],
    ]
    for line in lines {
        let points = try #require(expected[line.title], "unexpected line \(line.title)")
        #expect(line.points == points, "\(line.title)")
    }
    #expect(Set(lines.map(\.title)) == Set(expected.keys))
    #expect(svg.contains(">learning_rate</text>") && svg.contains(">mean val. acc. (%)</text>"))
}

@Test func noParallelCoordinatesWithoutAVaryingHyperparameter() {
    var report = handReport()
    report.parameters = ParameterSummary(varying: [], constant: [], values: [:])
    #expect(ReportCharts.parallelCoordinates(report) == nil)
    #expect(report.importance.isEmpty)
}
