import Foundation
import NeuralNet
import Testing
import TestSupport
@testable import Sweep

/// Random search in the grid file: distributions, the sampler's draws (pinned, so that a later
/// version draws the same configurations), rounding, finite spaces and refusals.
@Suite struct RandomSearchTests {
    static let space = #"{"hidden_layers": {"depth": {"int_uniform": [0, 2]}, "width": {"log_int_uniform": [4, 64]}}, "#
        + #""activation": ["relu", "tanh"], "learning_rate": {"log_uniform": [0.0001, 1]}, "momentum": {"uniform": [0, 0.5]}, "#
        + #""optimizer": ["momentum"], "batch_size": {"int_uniform": [8, 128]}}"#

    static func text(trials: Int, seed: Int = 7, grid: String = space) -> String {
        #"{"name": "r", "dataset": "data/iris.data", "seeds": [1], "search": {"method": "random", "trials": \#(trials), "seed": \#(seed)}, "grid": \#(grid)}"#
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

    /// The first trials of a fixed file, pinned: the draws are part of what is stored, so no
    /// later version may change them.
    @Test func drawsArePinned() throws {
        let g = try grid(Self.text(trials: 3))
        let json = try g.configurations.map { try canonicalJSON($0) }
        #expect(json == Self.pinned)
    }

    static let pinned = [
        #"{"activation":"sigmoid","batch_size":108,"early_stopping_patience":0,"epochs":3000,"hidden_layers":[],"init":"normal","learning_rate":0.0401089,"loss":"mse","momentum":0.349809,"optimizer":"momentum","scaling":"standard","weight_decay":0}"#,
        #"{"activation":"sigmoid","batch_size":96,"early_stopping_patience":0,"epochs":3000,"hidden_layers":[],"init":"normal","learning_rate":0.00487878,"loss":"mse","momentum":0.0813979,"optimizer":"momentum","scaling":"standard","weight_decay":0}"#,
        #"{"activation":"relu","batch_size":92,"early_stopping_patience":0,"epochs":3000,"hidden_layers":[59],"init":"normal","learning_rate":0.00129252,"loss":"mse","momentum":0.248063,"optimizer":"momentum","scaling":"standard","weight_decay":0}"#,
    ]

    @Test func aTrialDependsOnTheSeedAndItsIndexAlone() throws {
        let few = try grid(Self.text(trials: 20))
        let more = try grid(Self.text(trials: 30))
        #expect(Array(more.configurations.prefix(20)) == Array(few.configurations))
        #expect(GridExtension.differences(from: few, to: more).isEmpty)
        #expect(GridExtension.newPairs(from: few, to: more) == Array(20..<30))
        let other = try grid(Self.text(trials: 20, seed: 8))
        #expect(Array(other.configurations) != Array(few.configurations))
        #expect(few.canonicalJSON.contains(#""grid":[{"activation":["relu","tanh"],"batch_size":{"int_uniform":[8,128]},"#))
        #expect(few.canonicalJSON != more.canonicalJSON)
    }

    /// Every draw is within its bounds and allowed by the schema, reals have at most 6
    /// significant digits, and a log distribution draws its small values as often as its large.
    @Test func drawsStayInRangeAndAreRounded() throws {
        let g = try grid(Self.text(trials: 2000))
        #expect(g.configurations.count == 2000)
        var belowHundredth = 0
        for configuration in g.configurations {
            for (key, value) in configuration { #expect(HyperparameterSchema.current[key]!.problem(with: value) == nil) }
            let rate = configuration["learning_rate"]!.number!
            #expect(rate >= 0.0001 && rate <= 1)
            #expect(Distribution.rounded(rate) == rate)
            if rate < 0.01 { belowHundredth += 1 }
            let momentum = configuration["momentum"]!.number!
            #expect(momentum >= 0 && momentum <= 0.5 && Distribution.rounded(momentum) == momentum)
            guard case .integers(let layers) = configuration["hidden_layers"]!, case .integer(let batch) = configuration["batch_size"]! else {
                Issue.record("wrong types")
                continue
            }
            #expect(layers.count <= 2 && layers.allSatisfy { (4...64).contains($0) })
            #expect((8...128).contains(batch))
        }
        // Half the log range lies below 0.01: about 1000 of 2000 (binomial sd 22).
        #expect((880...1120).contains(belowHundredth))
        #expect(Distribution.rounded(0.123456789) == 0.123457)
        #expect(Distribution.rounded(123456789) == 123457000)
        #expect(Distribution.rounded(1e-7 * 1.23456789) == 1.23457e-7)
    }

    /// Bounds are reached: a small integer range draws each value, a log-integer range its ends.
    @Test func integerDistributionsReachTheirBounds() throws {
        let g = try grid(Self.text(trials: 200, grid: #"{"batch_size": {"log_int_uniform": [1, 4]}, "epochs": {"int_uniform": [1, 3]}}"#))
        #expect(Set(g.configurations.map { $0["batch_size"]! }) == [.integer(1), .integer(2), .integer(3), .integer(4)])
        #expect(g.configurations.count == 12)
        #expect(g.notes.contains { $0.contains("search.trials: 188 of 200 trials drew a configuration an earlier trial drew") })
    }

    /// Lists only, more trials than points: each point once, with a note; fewer trials: drawn.
    @Test func aFiniteSpaceGivesEachPointOnce() throws {
        let lists = #"{"learning_rate": [0.1, 0.5], "activation": ["relu", "tanh", "sigmoid"]}"#
        let all = try grid(Self.text(trials: 10, grid: lists))
        #expect(all.configurations.count == 6)
        #expect(all.notes.contains("search.trials: 10 trials over a space of lists with 6 configurations: each configuration is trained once"))
        let some = try grid(Self.text(trials: 3, grid: lists))
        #expect(some.configurations.count <= 3)
        #expect(Set(some.configurations).isSubset(of: Set(all.configurations)))
        #expect(GridExtension.differences(from: some, to: all).isEmpty)
        #expect(GridExtension.newPairs(from: some, to: all).count == 6 - some.configurations.count)
    }

    /// A list of objects: each trial picks an object, so every object's values appear.
    @Test func aListOfObjectsIsPickedPerTrial() throws {
        let g = try grid(Self.text(trials: 40, grid: #"[{"optimizer": ["adam"], "learning_rate": {"log_uniform": [0.001, 0.01]}}, "#
                                   + #"{"optimizer": ["sgd"], "learning_rate": {"uniform": [0.1, 0.5]}}]"#))
        let adam = g.configurations.filter { $0["optimizer"] == .text("adam") }
        #expect(!adam.isEmpty && adam.count < g.configurations.count)
        #expect(adam.allSatisfy { $0["learning_rate"]!.number! <= 0.01 })
        #expect(g.configurations.filter { $0["optimizer"] == .text("sgd") }.allSatisfy { $0["learning_rate"]!.number! >= 0.1 })
        #expect(g.space?.sampledHyperparameters.map(\.name) == ["learning_rate"])
        #expect(g.space?.sampledHyperparameters.first?.log == false)
    }

    @Test func badDistributionsAreRefusedByKey() {
        let cases: [(String, String)] = [
            (#"{"learning_rate": {"log_uniform": [0, 1]}}"#, "grid.learning_rate.log_uniform[0]: a log distribution needs bounds above 0, found 0"),
            (#"{"learning_rate": {"uniform": [0, 1]}}"#, "grid.learning_rate.uniform[0]: must be finite and > 0, found 0"),
            (#"{"momentum": {"uniform": [0, 1]}}"#, "grid.momentum.uniform[1]: must be in [0, 1), found 1"),
            (#"{"momentum": {"uniform": [0.9, 0.1]}}"#, "grid.momentum.uniform: the lower bound 0.9 is above the upper bound 0.1"),
            (#"{"momentum": {"uniform": [0.1]}}"#, "grid.momentum.uniform: expected two bounds [a, b], found 1 values"),
            (#"{"momentum": {"normal": [0, 1]}}"#, "grid.momentum.normal: unknown distribution \"normal\"; valid distributions: uniform, log_uniform"),
            (#"{"momentum": {"int_uniform": [0, 1]}}"#, "grid.momentum.int_uniform: takes real numbers: use uniform or log_uniform"),
            (#"{"batch_size": {"uniform": [8, 64]}}"#, "grid.batch_size.uniform: takes integers: use int_uniform or log_int_uniform"),
            (#"{"batch_size": {"int_uniform": [0, 64]}}"#, "grid.batch_size.int_uniform[0]: must be from 1 to 10000000, found 0"),
            (#"{"batch_size": {"int_uniform": [8.5, 64]}}"#, "grid.batch_size.int_uniform[0]: expected an integer, found the number 8.5"),
            (#"{"batch_size": {"int_uniform": [8, 64], "uniform": [1, 2]}}"#, "grid.batch_size: expected a list or one distribution"),
            (#"{"activation": {"uniform": [0, 1]}}"#, "grid.activation: expected a list of names (sigmoid, tanh, relu), found an object"),
            (#"{"hidden_layers": {"depth": [1]}}"#, "grid.hidden_layers: missing key \"width\""),
            (#"{"hidden_layers": {"depth": [-1], "width": [8]}}"#, "grid.hidden_layers.depth[0]: must be from 0 to 100, found -1"),
            (#"{"hidden_layers": {"depth": {"int_uniform": [0, 9223372036854775807]}, "width": [8]}}"#,
             "grid.hidden_layers.depth.int_uniform[1]: must be from 0 to 100, found 9223372036854775807"),
            (#"{"hidden_layers": {"depth": [1], "width": {"log_int_uniform": [0, 8]}}}"#,
             "grid.hidden_layers.width.log_int_uniform[0]: a log distribution needs bounds above 0, found 0"),
            (#"{"hidden_layers": {"depth": [1], "width": {"int_uniform": [1, 100001]}}}"#,
             "grid.hidden_layers.width.int_uniform[1]: must be from 1 to 100000, found 100001"),
            (#"{"hidden_layers": {"depth": [1], "width": [8], "height": [2]}}"#, "grid.hidden_layers.height: unknown key \"height\""),
        ]
        for (space, expected) in cases {
            let found = Self.problems(Self.text(trials: 3, grid: space))
            #expect(found.count == 1 && found[0].contains(expected), "\(space): \(found)")
            #expect(found.first?.hasPrefix("line 1, column ") == true)
        }
    }

    /// A distribution needs drawn trials: a full grid, or a halving method without `trials`,
    /// refuses it, naming the key and what to add.
    @Test func aDistributionNeedsDrawnTrials() {
        let plain = Self.problems(#"{"name": "r", "dataset": "data/iris.data", "grid": {"learning_rate": {"log_uniform": [0.001, 1]}}}"#)
        #expect(plain.count == 1)
        #expect(plain.first?.contains("grid.learning_rate: a distribution is drawn from only by a random search; add \"search\"") == true)
        let halving = Self.problems(#"{"name": "r", "dataset": "data/iris.data", "search": {"method": "hyperband", "min_epochs": 1, "max_epochs": 9}, "#
                                    + #""grid": {"learning_rate": {"log_uniform": [0.001, 1]}}}"#)
        #expect(halving.count == 1)
        #expect(halving.first?.contains("grid.learning_rate: a distribution is drawn from only by a random search; give search.trials and search.seed") == true)
    }

    /// More trials than `--max-cells` allows is refused before anything is drawn.
    @Test func trialsCountAgainstTheCellLimit() throws {
        #expect(throws: GridError.self) { try GridFile.parse(Self.text(trials: 1_000_000), url: fixture("inline.json"), maxCells: 1000) }
        let problems = (try? GridFile.parse(Self.text(trials: 2000), url: fixture("inline.json"), maxCells: 1000)).map { _ in [String]() }
        #expect(problems == nil)
    }

    /// docs/grid.md's random-search example is a valid grid that draws what it says.
    @Test func theDocumentedExampleIsValid() throws {
        let markdown = try String(contentsOf: repositoryRoot.appendingPathComponent("docs/grid.md"), encoding: .utf8)
        let example = try #require(fencedBlocks(in: markdown, language: "json").first { $0.contains(#""search""#) })
        let g = try GridFile.parse(example, url: repositoryRoot.appendingPathComponent("Data/grids/example.json"))
        #expect(g.search == SearchSpec(method: .random, trials: 81, seed: 7))
        #expect(g.configurations.count == 81)
        #expect(g.space?.sampledHyperparameters.map(\.name) == ["hidden_layers", "learning_rate", "batch_size"])
    }
}
