import Foundation
import Testing
@testable import ReportFixtures
@testable import Report

/// `exp compare --html`'s page: differing hyperparameters marked, names escaped, the curves
/// overlaid in one inline chart, nothing loaded from elsewhere.
@Test func comparisonPageMarksDifferencesEscapesNamesAndOverlaysTheCurves() throws {
    let fixture = try Fixture()
    try hostileSweep(fixture)
    // Runs 1 and 3: activations "<img src=x>" and "a|b", the same in everything else the schema has.
    let details = try [1, 3].map { try #require(try fixture.store.runDetail(id: $0)) }
    let comparison = RunComparison(details: details)
    #expect(comparison.runIDs == [1, 3])
    #expect(comparison.hyperparameters.filter(\.differs).map(\.name) == ["activation"])
    #expect(comparison.metrics.first { $0.name == "sweep" }?.differs == false)

    let page = comparison.html(databasePath: "runs.db", generatedAt: Date(timeIntervalSince1970: 0))
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(page.contains("<title>Runs 1, 3 compared</title>"))
    #expect(occurrences(of: "<tr class=\"differs\">", in: page) == 1)
    #expect(page.contains("* activation"))
    #expect(!page.contains("* epochs"))
    // Names from the database are escaped, in the table and in the chart's legend.
    #expect(page.contains("&lt;img src=x&gt;"))
    #expect(!page.contains("<img"))
    #expect(page.contains("sweep|&lt;b&gt;bold&lt;/b&gt;&amp;&#39;"))
    #expect(page.contains("activation=&lt;img src=x&gt;"))
    // One inline chart: validation and training, loss and accuracy, for each of the two runs.
    #expect(occurrences(of: "<svg ", in: page) == 1)
    #expect(occurrences(of: "<polyline ", in: page) == 8)
    #expect(occurrences(of: "class=\"s1 train\"", in: page) == 2)
    // Accuracies as percentages, the footer names the database.
    #expect(page.contains("Generated 1970-01-01T00:00:00Z from runs.db."))
    #expect(page.range(of: #"<td class="num">\d+\.\d\d%</td>"#, options: .regularExpression) != nil)
    // Self-contained: no address to load anything from.
    for reference in ["src=\"", "href=\"", "http://", "https://", "@import"] {
        #expect(!page.contains(reference), "\(reference)")
    }
}

@Test func comparisonWithoutStoredEpochsSaysSo() throws {
    let fixture = try Fixture()
    try fixture.sweep("queued", runs: [RunSpec(parameters: baseline(), seed: 1, status: .queued),
                                       RunSpec(parameters: baseline(["learning_rate": "0.5"]), seed: 1, status: .queued)])
    let details = try [1, 2].map { try #require(try fixture.store.runDetail(id: $0)) }
    let page = RunComparison(details: details).html(databasePath: "runs.db")
    #expect(page.contains("No epoch of these runs is stored."))
    #expect(!page.contains("<svg"))
    #expect(page.contains("* learning_rate"))
}
