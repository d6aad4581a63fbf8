import Determinism
import Foundation
import NeuralNet
import Tracker

/// The space a random search draws from: the grid's objects, each a list of choices or a
/// distribution per hyperparameter, in schema order (docs/grid.md, "Search").
public struct SearchSpace: Sendable, Equatable {
    struct Axis: Sendable, Equatable {
        var name: String
        var domain: SearchDomain
    }

    /// One grid object's axes.
    struct Object: Sendable, Equatable {
        var axes: [Axis]
    }

    var objects: [Object]

    /// The grid's product when nothing is drawn from a distribution (every axis a list), else nil.
    var gridObjects: [GridObject]? {
        var result: [GridObject] = []
        for object in objects {
            var axes: [GridObject.Axis] = []
            for axis in object.axes {
                guard let values = axis.domain.choices else { return nil }
                axes.append(GridObject.Axis(name: axis.name, values: values))
            }
            result.append(GridObject(axes: axes))
        }
        return result
    }

    /// The hyperparameters drawn from a distribution somewhere in the space, in schema order,
    /// each with whether it is drawn on a log scale in every object that draws it (a report's
    /// log axis); for `hidden_layers`, its width's distribution.
    public var sampledHyperparameters: [(name: String, log: Bool)] {
        var found: [(name: String, log: Bool)] = []
        for object in objects {
            for axis in object.axes {
                guard let distribution = axis.domain.distribution else { continue }
                if let i = found.firstIndex(where: { $0.name == axis.name }) {
                    found[i].log = found[i].log && distribution.isLog
                } else {
                    found.append((axis.name, distribution.isLog))
                }
            }
        }
        return found
    }

    /// The grid as its canonical form writes it: a list of objects, each key's list or
    /// distribution.
    var jsonObject: [[String: Any]] {
        objects.map { object in Dictionary(uniqueKeysWithValues: object.axes.map { ($0.name, $0.domain.jsonObject) }) }
    }

    /// The generator of trial `trial` of a search seeded `seed`: xoshiro256** seeded with the
    /// first 16 hexadecimal digits (64 bits) of the SHA-256 of `"search_seed <seed> trial <trial>"`,
    /// so that a trial depends on nothing but the two.
    static func generator(seed: Int, trial: Int) -> Xoshiro256StarStar {
        Xoshiro256StarStar(seed: UInt64(sha256Hex("search_seed \(seed) trial \(trial)").prefix(16), radix: 16)!)
    }

    /// Trial `trial`'s configuration, normalized: with more than one object, one uniform
    /// bounded integer picks the object; then each of its axes, in schema order, is drawn
    /// (``SearchDomain/draw(using:)``); keys it does not list keep their defaults.
    func trial(_ trial: Int, seed: Int, schema: HyperparameterSchema) -> [String: GridValue] {
        var generator = Self.generator(seed: seed, trial: trial)
        let object = objects.count == 1 ? objects[0] : objects[generator.nextIntByMultiplyShift(below: objects.count)]
        var configuration = schema.defaults
        for axis in object.axes { configuration[axis.name] = axis.domain.draw(using: &generator) }
        return schema.normalized(configuration)
    }

    /// The configurations of `trials` trials, each kept at its first draw, and how many trials
    /// drew a configuration drawn before. When every axis is a list and the product has at
    /// most `trials` configurations, the product itself (each configuration once) instead.
    func configurations(trials: Int, seed: Int, schema: HyperparameterSchema) -> (list: ConfigurationList, repeats: Int, product: Bool) {
        if let gridObjects {
            let product = ConfigurationList(objects: gridObjects, schema: schema)
            if product.count <= trials { return (product, 0, true) }
        }
        var seen = Set<[String: GridValue]>()
        var drawn: [[String: GridValue]] = []
        for i in 0..<trials {
            let configuration = self.trial(i, seed: seed, schema: schema)
            if seen.insert(configuration).inserted { drawn.append(configuration) }
        }
        return (ConfigurationList(drawn: drawn, schema: schema), trials - drawn.count, false)
    }
}

extension SearchSpace {
    /// The space the stored sweep `name` draws its trials from, read from its latest grid
    /// version; nil when the sweep is not stored, draws nothing, or its grid cannot be read
    /// by this `exp`.
    /// - Throws: `SQLiteError`.
    public static func stored(sweep name: String, store: RunStore) throws -> SearchSpace? {
        guard let sweep = try store.sweep(named: name) else { return nil }
        let latest = try store.gridVersions(sweepID: sweep.id!).last
        let url = URL(fileURLWithPath: latest?.gridPath ?? sweep.gridPath ?? "grid.json")
        return (try? GridFile.parse(latest?.grid ?? sweep.grid, url: url, maxCells: .max))?.space
    }
}
