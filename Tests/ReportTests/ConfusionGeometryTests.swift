import Foundation
import Testing
@testable import ReportFixtures
@testable import Report

/// A `<text>` of a chart and the box its glyphs may fill, from its position, anchor, rotation
/// and length, for 12 px text: up to 0.93 em above the baseline and 0.24 em below it (the line
/// metrics of DejaVu Sans, the widest of the usual system-ui fonts), 0.6 em per character.
struct TextBox: CustomStringConvertible {
    var text: String
    var minX: Double, minY: Double, maxX: Double, maxY: Double

    static let size = 12.0

    init(text: String, x: Double, y: Double, anchor: String, rotated: Bool) {
        self.text = text
        let width = Double(text.count) * 0.6 * Self.size
        let start = anchor == "middle" ? -width / 2 : (anchor == "end" ? -width : 0)
        // Along the baseline: start...start + width; across it: -ascent...descent.
        let (along, across) = ((start, start + width), (-0.93 * Self.size, 0.24 * Self.size))
        if rotated {
            // rotate(-90) about (x, y): the baseline runs upwards and "above" becomes "left".
            (minX, maxX) = (x + across.0, x + across.1)
            (minY, maxY) = (y - along.1, y - along.0)
        } else {
            (minX, maxX) = (x + along.0, x + along.1)
            (minY, maxY) = (y + across.0, y + across.1)
        }
    }

    /// True when the two boxes overlap or come closer than `margin`.
    func touches(_ other: TextBox, margin: Double = 2) -> Bool {
        minX < other.maxX + margin && other.minX < maxX + margin && minY < other.maxY + margin && other.minY < maxY + margin
    }

    var description: String {
        String(format: "'%@' [%.1f...%.1f] x [%.1f...%.1f]", text, minX, maxX, minY, maxY)
    }

    /// Every `<text>` element of an SVG document (its tooltip left out), entities decoded.
    static func all(in svg: String) throws -> [TextBox] {
        let element = try Regex(#"<text x="([-0-9.]+)" y="([-0-9.]+)" text-anchor="(\w+)"([^>]*)>(?:<title>.*?</title>)?(.*?)</text>"#)
        return svg.matches(of: element).map { match in
            let content = String(match.output[5].substring ?? "")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
            return TextBox(text: content, x: Double(match.output[1].substring!)!, y: Double(match.output[2].substring!)!,
                           anchor: String(match.output[3].substring!),
                           rotated: match.output[4].substring?.contains("rotate(-90") == true)
        }
    }
}

/// The confusion matrix's class labels keep clear of its axis titles, for few and many classes
/// and for long class names.
@Test(arguments: [2, 3, 5, 10])
func confusionMatrixLabelsKeepClearOfTheAxisTitles(classes: Int) throws {
    let fixture = try Fixture()
    let names = (0..<classes).map { "Iris-class-\($0)-with-a-long-name" }
    let identity = (0..<classes).map { row in (0..<classes).map { $0 == row ? 5 : 0 } }
    try fixture.sweep("geometry", runs: [RunSpec(parameters: baseline(), seed: 1, validation: 0.9, test: 0.9, confusion: identity)],
                      classNames: names)
    _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output, formats: [.markdown]))
    let svg = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard-geometry-confusion.svg"), encoding: .utf8)
    let boxes = try TextBox.all(in: svg)
    let predicted = try #require(boxes.first { $0.text == "predicted class" })
    let truth = try #require(boxes.first { $0.text == "true class" })
    // Class labels are the names, whole or cut with an ellipsis.
    let labels = boxes.filter { box in names.contains { $0 == box.text || (box.text.hasSuffix("…") && $0.hasPrefix(box.text.dropLast())) } }
    #expect(labels.count == 2 * classes, "\(boxes)")
    for label in labels {
        #expect(!label.touches(predicted), "\(label) touches \(predicted)")
        #expect(!label.touches(truth), "\(label) touches \(truth)")
    }
    // The measure itself finds an overlap: the old layout's title at y = 56 over a label at y = 70.
    let oldTitle = TextBox(text: "predicted class", x: 300, y: 56, anchor: "middle", rotated: false)
    let oldLabel = TextBox(text: "Iris-versicolor", x: 300, y: 70, anchor: "middle", rotated: false)
    #expect(oldTitle.touches(oldLabel))
}
