import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import ReportFixtures
@testable import Tracker
@testable import Report

/// The report shows each sweep's tags and note, escaped, and nothing when it has none.
@Suite struct SweepAnnotationTests {
    func fixture() throws -> Fixture {
        let fixture = try Fixture()
        try fixture.sweep("tagged", runs: [
            RunSpec(parameters: baseline(["learning_rate": "0.5"]), seed: 1, validation: 0.9, test: 0.9),
            RunSpec(parameters: baseline(), seed: 1, validation: 0.8, test: 0.8),
        ])
        try fixture.sweep("plain", runs: [RunSpec(parameters: baseline(), seed: 1, validation: 0.8, test: 0.8)])
        return fixture
    }

    @Test func tagsAndNoteAppearEscapedInMarkdownAndHTML() throws {
        let fixture = try fixture()
        try fixture.store.setTags([("stage", "<b>final</b>"), ("owner", "a|b")], on: .sweep("tagged"))
        try fixture.store.setNote("First line & *more*\n# not a heading\n<script>alert(1)</script>", on: .sweep("tagged"))
        _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))

        let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
        #expect(markdown.contains("- Tags: owner=a\\|b, stage=&lt;b>final&lt;/b>"), "\(markdown)")
        #expect(markdown.contains("> **Note:** First line &amp; \\*more\\*\n>\n> \\# not a heading\n>\n> &lt;script>alert(1)&lt;/script>"),
                "\(markdown)")
        // Only the tagged sweep's section has tags or a note.
        #expect(markdown.components(separatedBy: "- Tags:").count == 2)
        #expect(markdown.components(separatedBy: "**Note:**").count == 2)

        let html = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.html"), encoding: .utf8)
        #expect(html.contains("<strong>Tags: </strong>owner=a|b, stage=&lt;b&gt;final&lt;/b&gt;"), "\(html)")
        #expect(html.contains("<blockquote class=\"sweep-note\"><p><strong>Note: </strong>First line &amp; *more*\n# not a heading\n&lt;script&gt;"),
                "\(html)")
        #expect(html.components(separatedBy: "<script").count == 2)  // the page's own script only
        let parser = XMLParser(data: Data(html.replacingOccurrences(of: "<!DOCTYPE html>", with: "").utf8))
        #expect(parser.parse(), "\(String(describing: parser.parserError))")
    }

    @Test func aSweepWithoutTagsOrNoteShowsNeither() throws {
        let fixture = try fixture()
        _ = try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))
        let markdown = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.md"), encoding: .utf8)
        let html = try String(contentsOf: fixture.output.appendingPathComponent("leaderboard.html"), encoding: .utf8)
        #expect(!markdown.contains("Tags:") && !markdown.contains("Note:"))
        #expect(!html.contains("Tags: ") && !html.contains("sweep-note\""))
    }
}
