import Foundation
import NeuralNet
import Testing
import TestSupport
@testable import Sweep

/// Every grid in the repository's `Data/grids/` is valid, reads its data set and can split it.
@Suite struct ShippedGridTests {
    static let folder = repositoryRoot.appendingPathComponent("Data/grids")

    static let grids = ["iris", "bezdek_iris", "wine", "breast_cancer", "digits"]
    static let nestedGrids = ["iris-nested", "wine-nested", "breast_cancer-nested", "digits-nested"]
    /// Random searches over the nearest space of a shipped grid (docs/benchmarks.md).
    static let randomGrids = ["iris", "breast_cancer", "digits"]

    @Test func oneGridPerShippedDataSet() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.folder.path).filter { $0.hasSuffix(".json") }
        #expect(Set(files) == Set((Self.grids + Self.nestedGrids + Self.randomGrids.map { "\($0)_random" } + ["iris_halving", "iris_hyperband"])
            .map { "\($0).json" }))
    }

    /// The successive-halving Iris grid searches the shipped Iris grid's space, every epoch count
    /// left to its rungs (125 to 1,000 epochs, the shipped grid's epochs for 72 of its 81
    /// configurations, factor 2: 81 configurations -> 40 -> 20 -> 10).
    @Test func halvingIrisGridIsTheShippedSpace() throws {
        let shipped = try GridFile.load(Self.folder.appendingPathComponent("iris.json"))
        let halving = try GridFile.load(Self.folder.appendingPathComponent("iris_halving.json"))
        #expect(halving.search?.method == .successiveHalving)
        #expect(halving.search?.rungBudgets == [125, 250, 500, 1000])
        func withoutEpochs(_ grid: GridFile) throws -> Set<String> {
            Set(try grid.configurations.map { configuration in
                var c = configuration
                c["epochs"] = nil
                return try canonicalJSON(c)
            })
        }
        #expect(halving.configurations.count == 81)
        #expect(try withoutEpochs(halving) == withoutEpochs(shipped))
        #expect(halving.datasetURL == shipped.datasetURL && halving.evaluation == shipped.evaluation && halving.seeds == shipped.seeds)
    }

    /// The Hyperband Iris grid draws 81 trials from the random Iris grid's space (the epochs
    /// left to its rungs: 30, 90, 270, 810) and splits them into Li et al.'s 4 brackets
    /// (n_s = 27, 12, 6, 4, scaled to 81 by largest remainders: 44.6, 19.8, 9.9, 6.6 -> 45, 20, 10, 6).
    @Test func hyperbandIrisGridDrawsTheRandomSpace() throws {
        let random = try GridFile.load(Self.folder.appendingPathComponent("iris_random.json"))
        let hyperband = try GridFile.load(Self.folder.appendingPathComponent("iris_hyperband.json"))
        let search = try #require(hyperband.search)
        #expect(search.method == .hyperband && search.trials == 81 && search.seed == random.search?.seed)
        #expect(search.rungBudgets == [30, 90, 270, 810])
        #expect(hyperband.configurations.count == 81)
        #expect(hyperband.datasetURL == random.datasetURL && hyperband.evaluation == random.evaluation && hyperband.seeds == random.seeds)
        let plan = try #require(HalvingPlan(search: search, groups: [hyperband.configurations.indices.map(String.init)],
                                            runsPerConfiguration: hyperband.seeds.count))
        #expect(plan.brackets.map(\.configurations.count) == [45, 20, 10, 6])
        #expect(plan.brackets.map { plan.budgets[$0.firstRung] } == [30, 90, 270, 810])
    }

    /// Each random grid draws as many trials as its shipped grid has configurations, on the
    /// same data set, protocol and seeds.
    @Test(arguments: randomGrids)
    func randomGridsMatchTheirShippedGrids(_ name: String) throws {
        let shipped = try GridFile.load(Self.folder.appendingPathComponent("\(name).json"))
        let random = try GridFile.load(Self.folder.appendingPathComponent("\(name)_random.json"))
        #expect(random.search?.method == .random)
        #expect(random.search?.trials == shipped.configurations.count)
        #expect(random.configurations.count == shipped.configurations.count)
        #expect(random.datasetURL == shipped.datasetURL && random.evaluation == shipped.evaluation && random.seeds == shipped.seeds)
    }

    @Test(arguments: grids)
    func loadsReadsAndSplits(_ name: String) throws {
        let grid = try GridFile.load(Self.folder.appendingPathComponent("\(name).json"))
        #expect(grid.name == name)
        #expect(grid.seeds.count == 5)
        let dataset = try loadDataset(grid)
        let splits = try SweepPlanner.splits(for: grid.evaluation, dataset: dataset)
        #expect(splits.count == 1)
        #expect(!splits[0].rows.test.isEmpty && !splits[0].rows.validation.isEmpty)
    }

    /// The nested Iris search space measured by scripts/nested_baselines.py, fixed before any
    /// outer score was seen: 17 configurations x 2 seeds on 3 repeats x 10 outer x 5 inner folds.
    @Test func nestedIrisGridIsTheFixedSearchSpace() throws {
        let grid = try GridFile.load(Self.folder.appendingPathComponent("iris-nested.json"))
        #expect(grid.name == "iris-nested")
        #expect(grid.configurations.count == 17 && grid.seeds == [1, 2])
        #expect(grid.evaluation.outerFolds == 10 && grid.evaluation.innerFolds == 5 && grid.evaluation.repeats == 3)
        let splits = try SweepPlanner.splits(for: grid.evaluation, dataset: try loadDataset(grid))
        #expect(splits.count == 3 * 10 * 5 + 3 * 10)
        #expect(splits.filter { $0.phase == .refit }.allSatisfy { $0.rows.test.count == 15 })
    }

    /// The nested search spaces of Wine, Breast Cancer and Digits, fixed before any outer score
    /// was seen: the baseline, softmax regression (no hidden layer) and tanh (Xavier) and ReLU
    /// (He) networks, 19 configurations x 2 seeds; Digits with one repeat, as it is long.
    @Test(arguments: [("wine-nested", 3), ("breast_cancer-nested", 3), ("digits-nested", 1)])
    func nestedGridsAreTheFixedSearchSpaces(_ name: String, repeats: Int) throws {
        let grid = try GridFile.load(Self.folder.appendingPathComponent("\(name).json"))
        #expect(grid.name == name)
        #expect(grid.configurations.count == 19 && grid.seeds == [1, 2])
        #expect(grid.evaluation.outerFolds == 10 && grid.evaluation.innerFolds == 5 && grid.evaluation.repeats == repeats)
        #expect(grid.configurations.filter { $0["init"] == .text("normal") }.count == 1)
        let splits = try SweepPlanner.splits(for: grid.evaluation, dataset: try loadDataset(grid))
        #expect(splits.count == repeats * 10 * 5 + repeats * 10)
    }

    /// N(0, 1) weights (Nielsen ch. 1) now and then leave a seed stuck: every shipped grid draws
    /// its networks' weights with a scaled init (Xavier, He or N(0, 1/n_in)), except the seed
    /// network itself (4-3-3 sigmoid, quadratic cost, SGD), which stays the schema's default.
    @Test(arguments: grids + nestedGrids)
    func onlyTheSeedNetworkKeepsTheUnscaledInit(_ name: String) throws {
        #expect(HyperparameterSchema.current.defaults["init"] == .text("normal"))
        let grid = try GridFile.load(Self.folder.appendingPathComponent("\(name).json"))
        let unscaled = grid.configurations.filter { $0["init"] == .text("normal") }
        #expect(unscaled.count < grid.configurations.count)
        for configuration in unscaled {
            #expect(configuration["hidden_layers"] == .integers([3]) && configuration["activation"] == .text("sigmoid")
                    && configuration["loss"] == .text("mse") && configuration["optimizer"] == .text("sgd"), "\(configuration)")
        }
    }
}
