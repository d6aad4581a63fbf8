import Foundation
import Testing
@testable import Report
@testable import ReportFixtures
@testable import Tracker

/// A random search's scatter of validation accuracy against each drawn hyperparameter.
@Suite struct SampledScatterTests {
    /// Eight configurations with drawn learning rates and widths, two seeds each.
    static func randomSweep(_ fixture: Fixture) throws {
        var runs: [RunSpec] = []
        let rates = ["0.000123", "0.00451", "0.0132", "0.0457", "0.101", "0.234", "0.502", "0.9"]
        for (i, rate) in rates.enumerated() {
            for seed in 1...2 {
                runs.append(RunSpec(parameters: baseline(["learning_rate": rate, "hidden_layers": "[\(4 + 4 * i),\(3 + i)]"]), seed: seed,
                                    validation: 0.8 + Double(i) / 50 + Double(seed) / 100, test: 0.9))
            }
        }
        try fixture.sweep("random", runs: runs)
    }

    @Test func aRandomSearchGetsOneScatterPanelPerDrawnHyperparameter() throws {
        let fixture = try Fixture()
        try Self.randomSweep(fixture)
        var options = ReportOptions(outputDirectory: fixture.output, formats: [.html])
        options.sampledHyperparameters = ["random": [SampledHyperparameter(name: "hidden_layers", log: true),
                                                     SampledHyperparameter(name: "learning_rate", log: true)]]
        let files = try ReportWriter.write(store: fixture.store, options: options)
        let html = try String(contentsOf: files[0], encoding: .utf8)
        #expect(html.contains("Validation accuracy against each sampled hyperparameter, sweep random"))
        #expect(html.contains(">learning_rate, log scale</text>"))
        #expect(html.contains(">hidden_layers (total hidden units), log scale</text>"))
        // One dot per configuration and panel, its rank and value in the tooltip (the parallel
        // coordinates' lines carry such titles too, so only the scatter's section is counted).
        let scatter = try #require(html.components(separatedBy: "<svg").first {
            $0.contains("Validation accuracy against each sampled hyperparameter")
        })
        #expect(occurrences(of: "<title>#", in: scatter) == 16)
        #expect(html.contains(": learning_rate 0.000123, validation "))
        // Log axis ticks at powers of ten (more than 8 candidates over four decades).
        for tick in [">0.001</text>", ">0.01</text>", ">0.1</text>"] { #expect(html.contains(tick), "\(tick)") }
        // The drawn hyperparameters have no per-value panel in the other chart.
        #expect(!html.contains("learning_rate = 0.000123"))
    }

    @Test func aGridSweepHasNoScatter() throws {
        let fixture = try Fixture()
        try Self.randomSweep(fixture)
        let files = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output, formats: [.html]))
        let html = try String(contentsOf: files[0], encoding: .utf8)
        #expect(!html.contains("against each sampled hyperparameter"))
        #expect(html.contains("learning_rate = 0.000123"))
    }

    @Test func logTicksAndScatterValues() {
        #expect(ReportCharts.logTicks(0.01, 0.5) == [0.01, 0.02, 0.05, 0.1, 0.2, 0.5])
        #expect(ReportCharts.logTicks(0.0001, 1) == [0.0001, 0.001, 0.01, 0.1, 1])
        #expect(ReportCharts.scatterValue("[16,8]") == 24)
        #expect(ReportCharts.scatterValue("[]") == 0)
        #expect(ReportCharts.scatterValue("0.25") == 0.25)
        #expect(ReportCharts.scatterValue("relu") == nil)
    }
}
