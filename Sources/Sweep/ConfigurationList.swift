import NeuralNet

/// One object of a grid's `grid` (or the whole `grid` when it is an object): a list of values
/// per hyperparameter, in schema order, repeats removed. Its cross product is its
/// configurations, the last list varying fastest.
struct GridObject: Sendable, Equatable {
    struct Axis: Sendable, Equatable {
        var name: String
        var values: [GridValue]
    }

    var axes: [Axis]

    /// Configurations in the cross product, `Int.max` when that overflows.
    var count: Int { axes.reduce(1) { $0.saturatingMultiply($1.values.count) } }

    /// The configuration at `ordinal` of the cross product (each value's index in its list,
    /// the last list varying fastest), every other key at its default, not yet normalized.
    func values(at ordinal: Int, schema: HyperparameterSchema) -> [String: GridValue] {
        var configuration = schema.defaults
        var rest = ordinal
        for axis in axes.reversed() {
            configuration[axis.name] = axis.values[rest % axis.values.count]
            rest /= axis.values.count
        }
        return configuration
    }

    /// True when some configuration of this object is `configuration` once normalized: every
    /// key that applies in it holds one of this object's values (or the default, when the
    /// object has no list for it). A key that does not apply is at its default in a
    /// normalized configuration, whatever the list held.
    func produces(_ configuration: [String: GridValue], schema: HyperparameterSchema) -> Bool {
        for p in schema.hyperparameters where p.appliesWhen.holds(in: configuration) {
            guard let value = configuration[p.name] else { return false }
            if let axis = axes.first(where: { $0.name == p.name }) {
                if !axis.values.contains(value) { return false }
            } else if value != p.defaultValue {
                return false
            }
        }
        return true
    }
}

/// A grid's configurations, in the stable cell order, computed when asked for: the
/// configurations of each grid object in turn (the cross product, the last list varying
/// fastest), normalized (``NeuralNet/HyperparameterSchema/normalized(_:)``), each kept at its
/// first occurrence. A million configurations take a few bytes each until they are read.
/// A random search's configurations are drawn when the grid is read and kept
/// (``SearchSpace/configurations(trials:seed:schema:)``).
///
/// Configurations that differ only in a hyperparameter they do not use (momentum with
/// optimizer `adam`, activation without a hidden layer) normalize to one configuration,
/// kept once: ``collapsed`` counts the others.
public struct ConfigurationList: RandomAccessCollection, Sendable {
    let objects: [GridObject]
    let schema: HyperparameterSchema
    /// The first ordinal of each object in the concatenation of their cross products.
    let offsets: [Int]
    /// The ordinals of the configurations kept, or nil when every one is.
    let kept: [Int]?
    /// Configurations left out because they differ from a kept one of the same object only in
    /// hyperparameters they do not use.
    public let collapsed: Int
    /// The names of those hyperparameters, in schema order.
    public let collapsedKeys: [String]
    /// A random search's drawn configurations (normalized, distinct), in trial order; nil for
    /// a grid's product.
    let drawn: [[String: GridValue]]?
    /// The drawn configurations, to look one up.
    private let drawnSet: Set<[String: GridValue]>
    /// Values every configuration holds whatever its grid object says: a halving search's
    /// `epochs`, its top rung's budget (``SearchSpec/rungBudgets``); empty otherwise. Kept out
    /// of the objects and the drawn configurations, so the grid's canonical form and its draws
    /// are the grid as written.
    var fixed: [String: GridValue] = [:]
    public let startIndex = 0
    public let endIndex: Int

    /// A random search's configurations: `drawn`, normalized and distinct, in trial order.
    init(drawn: [[String: GridValue]], schema: HyperparameterSchema = .current) {
        (objects, offsets, kept, collapsed, collapsedKeys) = ([], [], nil, 0, [])
        self.schema = schema
        self.drawn = drawn
        self.drawnSet = Set(drawn)
        self.endIndex = drawn.count
    }

    /// The configurations of `objects`, which must have fewer configurations in all than
    /// `Int.max` (grids are counted against `--max-cells` first).
    init(objects: [GridObject], schema: HyperparameterSchema = .current) {
        self.objects = objects
        self.schema = schema
        (drawn, drawnSet) = (nil, [])
        var offsets: [Int] = []
        var total = 0
        for object in objects {
            offsets.append(total)
            total = total.saturatingAdd(object.count)
        }
        self.offsets = offsets
        let conditional = objects.contains { object in
            object.axes.contains { $0.values.count > 1 && schema[$0.name]?.appliesWhen != .always }
        }
        guard objects.count > 1 || conditional else {
            (kept, collapsed, collapsedKeys, endIndex) = (nil, 0, [], total)
            return
        }
        var kept: [Int] = []
        var collapsed = 0
        var keys = Set<String>()
        for (o, object) in objects.enumerated() {
            for ordinal in 0..<object.count {
                let raw = object.values(at: ordinal, schema: schema)
                if let ignored = Self.ignoredRepeat(object, ordinal: ordinal, raw: raw, schema: schema) {
                    collapsed += 1
                    keys.formUnion(ignored)
                    continue
                }
                if o > 0 {
                    let configuration = schema.normalized(raw)
                    if objects[..<o].contains(where: { $0.produces(configuration, schema: schema) }) { continue }
                }
                kept.append(offsets[o] + ordinal)
            }
        }
        self.kept = kept
        self.collapsed = collapsed
        self.collapsedKeys = schema.names.filter(keys.contains)
        self.endIndex = kept.count
    }

    /// The lists of `object` that hold a value other than their first in the configuration at
    /// `ordinal` although it does not use them; nil when there is none (the configuration is
    /// the first of those that normalize alike, and is kept).
    private static func ignoredRepeat(_ object: GridObject, ordinal: Int, raw: [String: GridValue],
                                      schema: HyperparameterSchema) -> [String]? {
        var ignored: [String] = []
        var rest = ordinal
        for axis in object.axes.reversed() {
            let index = rest % axis.values.count
            rest /= axis.values.count
            if index > 0, let p = schema[axis.name], !p.appliesWhen.holds(in: raw) { ignored.append(axis.name) }
        }
        return ignored.isEmpty ? nil : ignored
    }

    /// The configuration at `position`, every hyperparameter set, normalized.
    public subscript(position: Int) -> [String: GridValue] {
        if let drawn { return drawn[position].merging(fixed) { $1 } }
        let ordinal = kept?[position] ?? position
        var o = objects.count - 1
        while offsets[o] > ordinal { o -= 1 }
        return schema.normalized(objects[o].values(at: ordinal - offsets[o], schema: schema)).merging(fixed) { $1 }
    }

    /// True when `configuration` (normalized) is one of these.
    public func includes(_ configuration: [String: GridValue]) -> Bool {
        var configuration = configuration
        for (key, value) in fixed {
            guard configuration[key] == value else { return false }
            configuration[key] = schema[key]?.defaultValue
        }
        if drawn != nil { return drawnSet.contains(configuration) }
        return objects.contains { $0.produces(configuration, schema: schema) }
    }
}
