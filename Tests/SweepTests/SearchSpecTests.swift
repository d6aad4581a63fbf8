import Foundation
import Testing
@testable import Sweep

/// The grid's `search` object: every key of every method, its refusals with their paths, and
/// the integer rung and bracket arithmetic.
@Suite struct SearchSpecTests {
    static let lists = #"{"learning_rate": [0.1, 0.5], "batch_size": [16]}"#

    /// Grid text over the fixture Iris with `search` as given.
    static func text(search: String, grid: String = lists) -> String {
        #"{"name": "s", "dataset": "data/iris.data", "seeds": [1], "search": \#(search), "grid": \#(grid)}"#
    }

    static func problems(_ text: String) -> [String] {
        do {
            _ = try grid(text)
            return []
        } catch let error as GridError {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func rungsAndBracketsAreCountedInIntegers() {
        let spec = SearchSpec(method: .hyperband, minEpochs: 1, maxEpochs: 81, reductionFactor: 3)
        #expect(spec.rungBudgets == [1, 3, 9, 27, 81])
        #expect(spec.bracketCount == 5)
        #expect(SearchSpec.rungBudgets(minEpochs: 10, maxEpochs: 810, reductionFactor: 3) == [10, 30, 90, 270, 810])
        // 243 = 3^5: a floating-point log(243)/log(3) is 4.999...; integers give 6 rungs.
        #expect(SearchSpec.rungBudgets(minEpochs: 1, maxEpochs: 243, reductionFactor: 3).count == 6)
        #expect(SearchSpec.rungBudgets(minEpochs: 10, maxEpochs: 800, reductionFactor: 3) == [10, 30, 90, 270])
        #expect(SearchSpec.rungBudgets(minEpochs: 5, maxEpochs: 5, reductionFactor: 2) == [5])
        #expect(SearchSpec.rungBudgets(minEpochs: 1, maxEpochs: .max, reductionFactor: 2).count == 63)
        #expect(SearchSpec.rungBudgets(minEpochs: 0, maxEpochs: 9, reductionFactor: 3).isEmpty)
        #expect(SearchSpec(method: .random, trials: 3, seed: 0).rungBudgets.isEmpty)
    }

    @Test func randomSearchIsRead() throws {
        let g = try grid(Self.text(search: #"{"method": "random", "trials": 20, "seed": 7}"#))
        #expect(g.search == SearchSpec(method: .random, trials: 20, seed: 7))
        #expect(g.canonicalJSON.contains(#""search":{"method":"random","seed":7,"trials":20}"#))
    }

    @Test func halvingMethodsAreReadWithTheFactorFilledIn() throws {
        let g = try grid(Self.text(search: #"{"method": "successive_halving", "min_epochs": 10, "max_epochs": 810}"#))
        #expect(g.search == SearchSpec(method: .successiveHalving, minEpochs: 10, maxEpochs: 810, reductionFactor: 3))
        #expect(g.search?.rungBudgets == [10, 30, 90, 270, 810])
        #expect(g.canonicalJSON.contains(#""search":{"max_epochs":810,"method":"successive_halving","min_epochs":10,"reduction_factor":3}"#))
        let h = try grid(Self.text(search: #"{"method": "hyperband", "min_epochs": 1, "max_epochs": 81, "reduction_factor": 3, "trials": 9, "seed": 0}"#))
        #expect(h.search?.bracketCount == 5)
        #expect(h.search?.trials == 9)
        let uneven = try grid(Self.text(search: #"{"method": "hyperband", "min_epochs": 10, "max_epochs": 800}"#))
        #expect(uneven.notes.contains { $0.contains("search.max_epochs: 800 is not min_epochs x reduction_factor^k; the top rung trains 270 epochs") })
    }

    @Test func aGridWithoutSearchKeepsItsCanonicalForm() throws {
        let g = try grid(#"{"name": "s", "dataset": "data/iris.data", "seeds": [1], "grid": \#(Self.lists)}"#)
        #expect(g.search == nil)
        #expect(!g.canonicalJSON.contains("search"))
    }

    @Test func everyBadKeyIsNamed() {
        let cases: [(String, String)] = [
            (#"{"trials": 3, "seed": 1}"#, "search: missing key \"method\""),
            (#"{"method": "grid"}"#, "search.method: unknown value \"grid\"; valid values: random, successive_halving, hyperband"),
            (#"{"method": "random", "seed": 1}"#, "search: missing key \"trials\""),
            (#"{"method": "random", "trials": 3}"#, "search: missing key \"seed\""),
            (#"{"method": "random", "trials": 0, "seed": 1}"#, "search.trials: must be at least 1, found 0"),
            (#"{"method": "random", "trials": 3, "seed": -1}"#, "search.seed: must be at least 0, found -1"),
            (#"{"method": "random", "trials": 3.5, "seed": 1}"#, "search.trials: expected an integer, found the number 3.5"),
            (#"{"method": "random", "trials": 3, "seed": 1, "min_epochs": 2}"#, "search.min_epochs: applies only to successive_halving and hyperband"),
            (#"{"method": "random", "trials": 3, "seed": 1, "rungs": 2}"#, "search.rungs: unknown key \"rungs\"; valid keys: method, trials"),
            (#"{"method": "hyperband", "max_epochs": 81}"#, "search: missing key \"min_epochs\""),
            (#"{"method": "hyperband", "min_epochs": 1}"#, "search: missing key \"max_epochs\""),
            (#"{"method": "hyperband", "min_epochs": 0, "max_epochs": 81}"#, "search.min_epochs: must be at least 1, found 0"),
            (#"{"method": "hyperband", "min_epochs": 9, "max_epochs": 3}"#, "search.max_epochs: must be at least min_epochs (9), found 3"),
            (#"{"method": "hyperband", "min_epochs": 1, "max_epochs": 10000001}"#,
             "search.max_epochs: must be at most 10000000 (the most epochs a configuration may train), found 10000001"),
            (#"{"method": "hyperband", "min_epochs": 1, "max_epochs": 9, "reduction_factor": 1}"#, "search.reduction_factor: must be at least 2, found 1"),
            (#"{"method": "successive_halving", "min_epochs": 1, "max_epochs": 9, "trials": 5}"#, "search.trials: needs \"seed\" too"),
            (#"{"method": "successive_halving", "min_epochs": 1, "max_epochs": 9, "seed": 5}"#, "search.seed: needs \"trials\" too"),
            (#"[1]"#, "search: expected an object, found a list"),
        ]
        for (search, expected) in cases {
            let found = Self.problems(Self.text(search: search))
            #expect(found.count == 1 && found[0].contains(expected), "\(search): \(found)")
            #expect(found.first?.hasPrefix("line 1, column ") == true, "\(search): \(found)")
        }
    }

    @Test func halvingRefusesTheKeysItsRungsDecide() {
        let found = Self.problems(Self.text(search: #"{"method": "successive_halving", "min_epochs": 1, "max_epochs": 9}"#,
                                            grid: #"[{"epochs": [10]}, {"early_stopping_patience": [0]}]"#))
        #expect(found.count == 2)
        #expect(found.contains { $0.contains("grid[0].epochs: is decided by the rungs under successive_halving") })
        #expect(found.contains { $0.contains("grid[1].early_stopping_patience: is decided by the rungs under successive_halving") })
        let random = Self.problems(Self.text(search: #"{"method": "random", "trials": 2, "seed": 0}"#, grid: #"{"epochs": [10]}"#))
        #expect(random.isEmpty)
    }

    @Test func searchChangesAreRefusedExceptMoreTrials() throws {
        let base = try grid(Self.text(search: #"{"method": "random", "trials": 2, "seed": 7}"#))
        let more = try grid(Self.text(search: #"{"method": "random", "trials": 3, "seed": 7}"#))
        #expect(GridExtension.differences(from: base, to: more).allSatisfy { !$0.path.hasPrefix("search") })
        let fewer = GridExtension.differences(from: more, to: base).map(\.description)
        #expect(fewer.contains("search.trials: stored 3, now 2 (trials can only be added)"))
        let reseeded = try grid(Self.text(search: #"{"method": "random", "trials": 2, "seed": 8}"#))
        #expect(GridExtension.differences(from: base, to: reseeded).map(\.description).contains("search.seed: stored 7, now 8"))
        let plain = try grid(#"{"name": "s", "dataset": "data/iris.data", "seeds": [1], "grid": \#(Self.lists)}"#)
        #expect(GridExtension.differences(from: plain, to: base).map(\.description)
                    .contains("search: stored not given (the full grid), now method random"))
    }
}
