import Foundation
import Testing
import TestSupport
@testable import Sweep

/// The field cases of `shared/cases/grids` (copied to Fixtures/cases/grids), each with the
/// behaviour its README lists.
@Suite struct GridCaseTests {
    @Test func duplicateKeyIsAnError() {
        let problems = gridProblems(fixture("cases/grids/g01_duplicate_keys.json"))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("grid: duplicate key \"learning_rate\"") == true)
        #expect(problems.first?.hasPrefix("line ") == true)
    }

    @Test func wrongTypesAreReportedByPath() {
        let problems = gridProblems(fixture("cases/grids/g02_wrong_types.json"))
        let expected = ["seeds[1]: expected an integer, found the string \"2\"",
                        "grid.learning_rate[0]: expected a number, found the string \"0.1\"",
                        "grid.hidden_layers: must be a list of layer lists",
                        "grid.epochs[0]: expected an integer, found the string \"50\"",
                        "grid.batch_size[1]: expected an integer, found the number 32.5"]
        for text in expected {
            #expect(problems.contains { $0.contains(text) }, "missing: \(text) in \(problems)")
        }
        #expect(problems.count == expected.count)
        // Reported in file order.
        #expect(problems.map { $0.prefix(7) } == ["line 4,", "line 6,", "line 7,", "line 8,", "line 9,"])
    }

    @Test func emptyListIsAnError() {
        let problems = gridProblems(fixture("cases/grids/g03_empty_list.json"))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("grid.learning_rate: is empty") == true)
    }

    @Test func nestedListsAreLayerChoices() throws {
        let grid = try GridFile.load(fixture("cases/grids/g04_nested_lists.json"))
        #expect(grid.configurations.count == 8)
        #expect(Set(grid.configurations.map { $0["hidden_layers"]! }) == [.integers([8]), .integers([16, 8])])
        #expect(grid.seeds == [1, 2, 3])
    }

    @Test func missingSeedsUseTheDocumentedDefault() throws {
        let grid = try GridFile.load(fixture("cases/grids/g05_no_seeds.json"))
        #expect(grid.seeds == GridFile.defaultSeeds)
        #expect(grid.notes.contains { $0.contains("default seeds 1, 2, 3, 4, 5") })
    }

    @Test func repeatedValuesCountOnceAndAreReported() throws {
        let grid = try GridFile.load(fixture("cases/grids/g06_duplicate_values.json"))
        #expect(grid.configurations.count == 2)
        #expect(grid.seeds == [1, 2])
        #expect(grid.notes.contains { $0.contains("grid.learning_rate: 0.1 is listed more than once") })
        #expect(grid.notes.contains { $0.contains("grid.hidden_layers: [8] is listed more than once") })
        #expect(grid.notes.contains { $0.contains("seeds: 1 is listed more than once") })
    }

    @Test func unknownKeyListsTheValidOnes() {
        let problems = gridProblems(fixture("cases/grids/g07_unknown_key_and_divergence.json"))
        #expect(problems.count == 1)
        #expect(problems.first?.contains("grid.hiden_layers: unknown key \"hiden_layers\"; valid keys: hidden_layers, activation") == true)
    }
}

/// Values no machine could train (a billion epochs, ten-billion-unit layers) are refused by path
/// before anything is stored, instead of crashing every resume with a failed allocation.
@Test func impossiblyLargeValuesAreRefused() {
    let text = gridText(name: "huge", seeds: [1], grid: #"{"epochs": [1000000000], "hidden_layers": [[10000000000]], "batch_size": [32]}"#)
    do {
        _ = try grid(text)
        Issue.record("accepted")
    } catch let error as GridError {
        #expect(error.problems.contains { $0.path == "grid.epochs[0]" && $0.message == "must be from 1 to 10000000, found 1000000000" })
        #expect(error.problems.contains { $0.path == "grid.hidden_layers[0][0]" && $0.message == "must be from 1 to 100000, found 10000000000" })
    } catch {
        Issue.record("\(error)")
    }
}

/// `momentum: 1.0` was accepted by the grid check and refused by training, so every such run was
/// stored `failed` and failed again on every resume. The grid check now refuses it, with the
/// range training enforces, before anything is stored.
@Test func momentumOneIsRefusedByTheGridCheck() throws {
    let url = fixture("cases/grids/g11_momentum_one.json")
    do {
        _ = try GridFile.load(url)
        Issue.record("accepted")
    } catch let error as GridError {
        #expect(error.problems == [GridError.Problem(line: 7, column: 23, path: "grid.momentum[1]", message: "must be in [0, 1), found 1")])
        #expect(error.description == "\(url.path): line 7, column 23: grid.momentum[1]: must be in [0, 1), found 1")
    }
    let db = temporaryDirectory().appendingPathComponent("runs.db").path
    #expect(throws: GridError.self) { try runSweep(GridFile.load(url), db: db, jobs: 1) }
    #expect(!FileManager.default.fileExists(atPath: db))
}

/// Listing several values of a hyperparameter that some configurations ignore is allowed (as it
/// always was); the cells that differ only in it are kept once, and noted.
@Test func valuesOfAnIgnoredHyperparameterAreNoted() throws {
    let mixed = try grid(gridText(name: "m", seeds: [1], grid: #"{"optimizer": ["momentum", "adam"], "momentum": [0.5, 0.9]}"#))
    #expect(mixed.configurations.count == 3)
    #expect(mixed.notes == ["1 cells differ only in ignored hyperparameters (momentum only with optimizer momentum): "
                            + "trained once, the ignored value stored at its default"])
    let used = try grid(gridText(name: "u", seeds: [1], grid: #"{"optimizer": ["momentum"], "momentum": [0.5, 0.9]}"#))
    #expect(used.notes.isEmpty)
}

/// g09: trailing commas are not JSON, though Foundation's and Yams' parsers accept them.
@Test func trailingCommaIsRefusedWhereItIs() throws {
    let url = fixture("cases/grids/g09_trailing_commas.json")
    #expect(gridProblems(url) == ["line 4, column 13: not valid JSON: trailing comma before ']'"])
    let db = temporaryDirectory().appendingPathComponent("runs.db").path
    #expect(throws: GridError.self) { try runSweep(GridFile.load(url), db: db, jobs: 1) }
    #expect(!FileManager.default.fileExists(atPath: db))
    #expect(gridProblems(inline("{\"a\": 1,\n}")) == ["line 1, column 8: not valid JSON: trailing comma before '}'"])
}

/// g10: a syntax error gives the line and column where the unexpected text starts.
@Test func missingCommaGivesLineAndColumn() {
    #expect(gridProblems(fixture("cases/grids/g10_missing_comma.json"))
        == [#"line 4, column 34: not valid JSON: expected ',' or '}' after the value of "learning_rate", found '"'"#])
}

/// Other JSON syntax errors, each with its line and column.
@Test(arguments: [
    ("{\"a\": [1 2]}", "line 1, column 10: not valid JSON: expected ',' or ']' after a list element, found '2'"),
    ("{\"a\": 01}", "line 1, column 8: not valid JSON: a number must not start with 0 followed by a digit"),
    ("{\"a\": tru}", "line 1, column 7: not valid JSON: expected true (JSON has true, false and null), found '}'"),
    ("{\"a\": \"x}", "line 1, column 10: not valid JSON: unterminated string (opened at line 1, column 7)"),
    ("{'a': 1}", "line 1, column 2: not valid JSON: expected a key in double quotes, found '''"),
    ("{}\n{}", "line 2, column 1: not valid JSON: unexpected '{' after the end of the JSON value"),
    ("  \n", "line 1, column 1: not valid JSON: the file is empty"),
    ("{\"a\": .5}", "line 1, column 7: not valid JSON: expected a value, found '.'"),
])
func syntaxErrorsGiveLineAndColumn(text: String, expected: String) {
    #expect(gridProblems(inline(text)) == [expected])
}

/// A repeated key is reported with every other problem of the file, all at once.
@Test func duplicateKeysAndOtherProblemsAreReportedTogether() {
    let text = """
        {"name": "d", "dataset": "data/iris.data", "seeds": [1, "2"],
         "grid": {"learning_rate": [0.1], "epochs": [5],
                  "learning_rate": [0.5], "hiden_layers": [[8]]}}
        """
    let problems = gridProblems(inline(text))
    #expect(problems.count == 3, "\(problems)")
    #expect(problems.contains { $0.hasPrefix("line 1, column ") && $0.contains("seeds[1]: expected an integer") })
    #expect(problems.contains { $0.hasPrefix("line 3, column 11: grid: duplicate key \"learning_rate\"") })
    #expect(problems.contains { $0.hasPrefix("line 3, column ") && $0.contains("grid.hiden_layers: unknown key") })
}

/// `text` written to a file in a fresh folder.
func inline(_ text: String) -> URL {
    let url = temporaryDirectory().appendingPathComponent("grid.json")
    try! text.write(to: url, atomically: true, encoding: .utf8)
    return url
}
