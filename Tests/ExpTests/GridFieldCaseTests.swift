import Foundation
import Testing
import TestSupport

/// The refused grid field cases (shared cases README, section grids/) as a user meets them:
/// `exp sweep` on the repository's copy of each file exits 2 with one line naming the file and
/// the place, and leaves no database behind.
@Suite struct GridFieldCaseTests {
    @Test(arguments: [
        ("g01_duplicate_keys.json", #"grid: duplicate key "learning_rate""#),
        ("g02_wrong_types.json", #"seeds[1]: expected an integer, found the string "2""#),
        ("g03_empty_list.json", "grid.learning_rate: is empty"),
        ("g07_unknown_key_and_divergence.json", #"unknown key "hiden_layers"; valid keys: hidden_layers"#),
        ("g09_trailing_commas.json", "line 4, column 13: not valid JSON: trailing comma"),
        ("g10_missing_comma.json", "line 4, column 34: not valid JSON"),
        ("g11_momentum_one.json", "line 7, column 23: grid.momentum[1]: must be in [0, 1), found 1"),
    ])
    func refusedGridsStoreNothing(file: String, message: String) throws {
        let dir = temporaryDirectory()
        let grid = repositoryRoot.appendingPathComponent("Tests/SweepTests/Fixtures/cases/grids/\(file)")
        let db = dir.appendingPathComponent("runs.db").path
        let result = try exp(["sweep", grid.path, "--db", db, "--quiet"], in: dir)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("\(grid.path): "), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}
