import Foundation
import Testing
import TestSupport

/// `exp compare`: hyperparameters side by side with the differing ones marked, metrics, curves.
@Suite struct CompareTests {
    @Test func differingHyperparametersAreMarked() throws {
        let dir = try sweptIrisFolder(name: "pair", seeds: [1], grid: #"{"epochs": [6], "learning_rate": [0.05, 0.5]}"#)
        let compared = try exp(["compare", "1", "2"], in: dir)
        #expect(compared.status == 0, "\(compared.stderr)")
        let lines = compared.stdout.split(separator: "\n").map(String.init)
        let rate = try #require(lines.first { $0.contains("learning_rate") })
        #expect(rate.hasPrefix("*"))
        #expect(rate.contains("0.05") && rate.contains("0.5"))
        let epochs = try #require(lines.first { $0.contains(" epochs ") })
        #expect(!epochs.hasPrefix("*"))
        #expect(lines.contains { $0.contains("validation_accuracy") && $0.contains("%") })
        let curves = lines.filter { $0.hasPrefix("  run ") }
        #expect(curves.count == 4)  // two runs x (accuracy, loss)
        #expect(curves.allSatisfy { $0.contains("(6 epochs)") && $0.unicodeScalars.contains { isSparkBlock($0) } })

        // --html: the same comparison as a self-contained page with the curves as a chart.
        let page = try exp(["compare", "1", "2", "--html", "pair.html"], in: dir)
        #expect(page.status == 0, "\(page.stderr)")
        #expect(page.stdout.hasSuffix("wrote pair.html\n") && page.stdout.contains("learning_rate"))
        let html = try String(contentsOf: dir.appendingPathComponent("pair.html"), encoding: .utf8)
        #expect(html.contains("<title>Runs 1, 2 compared</title>") && html.contains("* learning_rate"))
        #expect(occurrences(in: html, of: "<polyline ") == 8)
        #expect(!html.contains("src=\"") && !html.contains("href=\""))
        let unwritable = try exp(["compare", "1", "2", "--html", "no-such-folder/pair.html"], in: dir)
        #expect(unwritable.status == 1 && unwritable.stderr.contains("cannot write no-such-folder/pair.html"), "\(unwritable.stderr)")

        let one = try exp(["compare", "1"], in: dir)
        #expect(one.status == 2)
        let missing = try exp(["compare", "1", "99"], in: dir)
        #expect(missing.status == 2 && missing.stderr.contains("no run 99"), "\(missing.stderr)")
    }
}

/// How often `needle` occurs in `text`.
private func occurrences(in text: String, of needle: String) -> Int { text.components(separatedBy: needle).count - 1 }

/// One of the eight block characters `▁`...`█` of a sparkline.
private func isSparkBlock(_ scalar: Unicode.Scalar) -> Bool { (0x2581...0x2588).contains(scalar.value) }
