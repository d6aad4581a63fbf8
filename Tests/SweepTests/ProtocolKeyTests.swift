import Foundation
import Testing
@testable import Sweep
@testable import Tracker

/// The protocol keys `repeats`, `outer_folds`, `inner_folds` and `refit` (docs/grid.md).
@Suite struct ProtocolKeyTests {
    func problems(_ protocolJSON: String) -> [String] {
        do {
            _ = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#, protocolJSON: protocolJSON))
            return []
        } catch let error as GridError {
            return error.problems.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test func existingProtocolsAreStoredAsBefore() throws {
        let kFold = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#,
                                      protocolJSON: #"{"test_fraction": 0.2, "folds": 3, "split_seed": 0}"#))
        #expect(SweepPlanner.canonicalProtocolJSON(kFold.evaluation) == #"{"folds":3,"split_seed":0,"test_fraction":0.2}"#)
        let holdout = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#))
        #expect(SweepPlanner.canonicalProtocolJSON(holdout.evaluation)
            == #"{"split_seed":0,"test_fraction":0.2,"validation_fraction":0.2}"#)
        #expect(!holdout.evaluation.refits)
    }

    @Test func nestedProtocolHasNoHoldoutAndRefits() throws {
        let nested = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#,
                                       protocolJSON: #"{"outer_folds": 10, "inner_folds": 5, "repeats": 3}"#))
        #expect(nested.evaluation.testFraction == 0)
        #expect(nested.evaluation.refits)
        #expect(nested.evaluation.repeatNumbers == [0, 1, 2])
        #expect(SweepPlanner.canonicalProtocolJSON(nested.evaluation)
            == #"{"inner_folds":5,"outer_folds":10,"repeats":3,"split_seed":0,"test_fraction":0}"#)
    }

    @Test func impossibleCombinationsAreRefusedWithTheirKey() {
        #expect(problems(#"{"outer_folds": 5}"#) == ["line 1, column 72: protocol.outer_folds: nested cross-validation needs both outer_folds and inner_folds"])
        #expect(problems(#"{"outer_folds": 5, "inner_folds": 1}"#) == ["line 1, column 90: protocol.inner_folds: must be at least 2, found 1"])
        #expect(problems(#"{"outer_folds": 5, "inner_folds": 3, "test_fraction": 0.2}"#)
            == ["line 1, column 110: protocol.test_fraction: must be 0 with outer_folds: the outer folds are the test rows"])
        #expect(problems(#"{"outer_folds": 5, "inner_folds": 3, "refit": false}"#)
            == ["line 1, column 102: protocol.refit: must be true with outer_folds: each outer fold scores its refitted choice"])
        #expect(problems(#"{"outer_folds": 5, "inner_folds": 3, "folds": 3}"#)
            == ["line 1, column 56: protocol: nested cross-validation (outer_folds, inner_folds) takes neither folds nor validation_fraction"])
        #expect(problems(#"{"repeats": 3}"#) == ["line 1, column 68: protocol.repeats: needs folds or outer_folds (a holdout is one split)"])
        #expect(problems(#"{"folds": 3, "repeats": 0}"#) == ["line 1, column 80: protocol.repeats: must be at least 1, found 0"])
        #expect(problems(#"{"refit": true}"#)
            == ["line 1, column 66: protocol.refit: needs folds or outer_folds (a holdout's validation rows choose, and it has no other training rows)"])
        #expect(problems(#"{"folds": 3, "refit": "yes"}"#) == [#"line 1, column 78: protocol.refit: expected true or false, found the string "yes""#])
        #expect(problems(#"{"folds": 3, "repeats": 2, "refit": true}"#) == [])
    }
}

@Suite struct RepeatedSplitTests {
    @Test func repeatZeroIsTodaysSplitAndLaterRepeatsRepartitionTheSameNonTestRows() throws {
        let plain = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#,
                                      protocolJSON: #"{"test_fraction": 0.2, "folds": 3, "split_seed": 4}"#))
        let repeated = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#,
                                         protocolJSON: #"{"test_fraction": 0.2, "folds": 3, "split_seed": 4, "repeats": 2}"#))
        let dataset = try loadDataset(plain)
        let before = try SweepPlanner.splits(for: plain.evaluation, dataset: dataset)
        let after = try SweepPlanner.splits(for: repeated.evaluation, dataset: dataset)
        #expect(after.count == 6)
        #expect(after.prefix(3).map(\.rows) == before.map(\.rows))
        #expect(after.prefix(3).allSatisfy { $0.repeat == 0 && $0.splitSeed == 4 })
        let second = after.suffix(3)
        #expect(second.allSatisfy { $0.repeat == 1 && $0.splitSeed == repeated.evaluation.splitSeed(repeat: 1) })
        #expect(second.map(\.rows.validation) != before.map(\.rows.validation))
        #expect(Set(second.map(\.rows.test)) == [before[0].rows.test])
        #expect(Set(second.flatMap(\.rows.validation)) == Set(before.flatMap(\.rows.validation)))
    }

    @Test func repeatSeedsAreDerivedFromTheSweepsSeed() {
        let evaluation = EvaluationProtocol(testFraction: 0.2, validationFraction: nil, folds: 3, splitSeed: 4, repeats: 3)
        #expect(evaluation.splitSeed(repeat: 0) == 4)
        // First 13 hex digits of SHA-256("split_seed 4 repeat 1").
        #expect(evaluation.splitSeed(repeat: 1) == 1085815149577521)
        #expect(evaluation.splitSeed(repeat: 1) != evaluation.splitSeed(repeat: 2))
        #expect(evaluation.splitSeed(repeat: 2) < 1 << 52)
    }
}

@Suite struct NestedSplitTests {
    @Test func innerFoldsUseOuterTrainingRowsOnly() throws {
        let nested = try grid(gridText(name: "p", seeds: [1], grid: #"{"epochs": [5]}"#,
                                       protocolJSON: #"{"outer_folds": 5, "inner_folds": 3, "repeats": 2}"#))
        let dataset = try loadDataset(nested)
        let splits = try SweepPlanner.splits(for: nested.evaluation, dataset: dataset)
        let search = splits.filter { $0.phase == .search }, refit = splits.filter { $0.phase == .refit }
        #expect(search.count == 2 * 5 * 3)
        #expect(refit.count == 2 * 5)
        for r in [0, 1] {
            let outerTests = refit.filter { $0.repeat == r }.map(\.rows.test)
            #expect(outerTests.flatMap { $0 }.sorted() == Array(0..<150))
        }
        for fold in refit {
            #expect(fold.rows.validation.isEmpty)
            #expect(Set(fold.rows.train).isDisjoint(with: fold.rows.test))
            let inner = search.filter { $0.repeat == fold.repeat && $0.outerFold == fold.outerFold }
            #expect(inner.count == 3)
            for split in inner {
                #expect(split.rows.test.isEmpty)
                #expect(Set(split.rows.train + split.rows.validation) == Set(fold.rows.train))
                #expect(Set(split.rows.validation).isDisjoint(with: fold.rows.test))
            }
        }
    }
}
