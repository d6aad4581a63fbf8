import Datasets
import Foundation
import NeuralNet

/// Why a grid cannot continue the stored sweep of its name: each difference names the key path
/// and the stored and new values.
public struct GridChangeError: Error, CustomStringConvertible, Equatable {
    /// One difference: the key path (`protocol.folds`, `seeds`, `grid.learning_rate`) and what
    /// differs.
    public struct Difference: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var message: String
        public var description: String { "\(path): \(message)" }
    }

    /// The grid file, as given.
    public var file: String
    public var sweep: String
    public var differences: [Difference]

    /// `FILE: sweep 'NAME' cannot take this grid: protocol.folds: stored 5, now 10; ...`, and
    /// what to do instead.
    public var description: String {
        "\(file): sweep '\(sweep)' cannot take this grid: " + differences.map(\.description).joined(separator: "; ")
            + ". A grid under a stored sweep's name may only add cells (values, seeds or grid objects) and keep its data set "
            + "and protocol; to start a new sweep, change \"name\" in the grid file (or use another --db)"
    }
}

/// The rule for a grid under the name of a stored sweep: it continues the sweep when its cells
/// include every stored cell, over the same data set and protocol; its new cells are appended.
enum GridExtension {
    /// What in `now` keeps it from continuing a sweep whose latest grid is `stored`: a changed
    /// protocol key or import option, stored seeds missing, seeds added to a halving search,
    /// stored configurations missing (named by the values no longer listed). Empty when `now`
    /// may continue it.
    static func differences(from stored: GridFile, to now: GridFile) -> [GridChangeError.Difference] {
        var found: [GridChangeError.Difference] = []
        let before = protocolValues(stored.evaluation), after = protocolValues(now.evaluation)
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            found.append(.init(path: "protocol.\(key)", message: "stored \(before[key] ?? "not given"), now \(after[key] ?? "not given")"))
        }
        let options = [("header", { (o: ImportOptions) in o.header.rawValue }), ("label_column", { "\($0.labelColumn)" }),
                       ("delimiter", { $0.delimiter.map { "\"\($0)\"" } ?? "detected" }), ("decimal_comma", { "\($0.decimalComma)" })]
        for (key, read) in options where read(stored.datasetOptions) != read(now.datasetOptions) {
            found.append(.init(path: "dataset.\(key)", message: "stored \(read(stored.datasetOptions)), now \(read(now.datasetOptions))"))
        }
        found += searchDifferences(from: stored.search, to: now.search)
        if stored.space != nil || now.space != nil, stored.space != now.space {
            found.append(.init(path: "grid", message: "the space the trials are drawn from changed; a random search may only add trials "
                               + "(search.trials) or seeds"))
        }
        if found.contains(where: { $0.path.hasPrefix("search") || $0.path == "grid" }) { return found }
        let missingSeeds = stored.seeds.filter { !now.seeds.contains($0) }
        if !missingSeeds.isEmpty {
            found.append(.init(path: "seeds", message: "\(missingSeeds.map(String.init).joined(separator: ", ")) stored, missing now"))
        }
        if let search = now.search, search.method.isHalving, case let added = now.seeds.filter({ !stored.seeds.contains($0) }),
           !added.isEmpty {
            found.append(.init(path: "seeds", message: "\(added.map(String.init).joined(separator: ", ")) added; a "
                               + "\(search.method.rawValue) search ranks each configuration over all of its seeds at every rung, "
                               + "decided on the stored seeds: it may only add configurations (grid values or search.trials)"))
        }
        var missing: [[String: GridValue]] = []
        var missingCount = 0
        for configuration in stored.configurations where !now.configurations.includes(configuration) {
            missingCount += 1
            if missing.count < 1000 { missing.append(configuration) }
        }
        guard missingCount > 0 else { return found }
        let named = now.configurations.drawn == nil ? missingValues(missing, in: now.configurations) : []
        found += named
        if named.isEmpty {
            let example = (try? canonicalJSON(missing[0])) ?? "\(missing[0])"
            found.append(.init(path: "grid", message: "\(missingCount) stored configurations missing now, e.g. \(example)"))
        }
        return found
    }

    /// For each hyperparameter, the values of `missing` configurations that no configuration of
    /// `now` can hold: `grid.learning_rate: 0.01 stored, missing now`.
    private static func missingValues(_ missing: [[String: GridValue]], in now: ConfigurationList) -> [GridChangeError.Difference] {
        var found: [GridChangeError.Difference] = []
        for p in now.schema.hyperparameters {
            var listed = Set(now.objects.flatMap { object in object.axes.first { $0.name == p.name }?.values ?? [p.defaultValue] })
            listed.insert(p.defaultValue)  // where it does not apply
            var gone: [GridValue] = []
            for configuration in missing {
                if let value = configuration[p.name], !listed.contains(value), !gone.contains(value) { gone.append(value) }
            }
            if !gone.isEmpty {
                found.append(.init(path: "grid.\(p.name)", message: "\(gone.map(\.description).joined(separator: ", ")) stored, missing now"))
            }
        }
        return found
    }

    /// What changed in `search`: anything but more `trials` (which draws trials after the
    /// stored ones) is refused, naming the key.
    private static func searchDifferences(from stored: SearchSpec?, to now: SearchSpec?) -> [GridChangeError.Difference] {
        guard let stored, let now else {
            guard stored != nil || now != nil else { return [] }
            let describe = { (spec: SearchSpec?) in spec.map { "method \($0.method.rawValue)" } ?? "not given (the full grid)" }
            return [.init(path: "search", message: "stored \(describe(stored)), now \(describe(now))")]
        }
        var found: [GridChangeError.Difference] = []
        let before = stored.keyValues, after = now.keyValues
        for key in Set(before.keys).union(after.keys).sorted() where before[key] != after[key] {
            if key == "trials", let old = stored.trials, let new = now.trials, new > old { continue }
            let hint = key == "trials" && stored.trials != nil && now.trials != nil ? " (trials can only be added)" : ""
            found.append(.init(path: "search.\(key)", message: "stored \(before[key] ?? "not given"), now \(after[key] ?? "not given")\(hint)"))
        }
        return found
    }

    /// The protocol's keys and values as its canonical JSON writes them.
    private static func protocolValues(_ evaluation: EvaluationProtocol) -> [String: String] {
        let data = (try? JSONEncoder().encode(evaluation)) ?? Data()
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
        return object.mapValues { "\($0)" }
    }

    /// The cells of `now` that `stored` does not have, as (configuration, seed) ordinals
    /// `configuration index x seeds + seed index` in cell order (each stands for one cell per
    /// search split).
    static func newPairs(from stored: GridFile, to now: GridFile) -> [Int] {
        var pairs: [Int] = []
        let storedSeeds = Set(stored.seeds)
        for (c, configuration) in now.configurations.enumerated() {
            let known = stored.configurations.includes(configuration)
            for (s, seed) in now.seeds.enumerated() where !(known && storedSeeds.contains(seed)) {
                pairs.append(c * now.seeds.count + s)
            }
        }
        return pairs
    }
}
