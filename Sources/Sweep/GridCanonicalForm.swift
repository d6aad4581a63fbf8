import Foundation
import NeuralNet

extension GridFile {
    /// The grid as canonical JSON: what identifies a grid version of a sweep (`sweep_grids`),
    /// the same for a file reformatted (spacing, key order, `[1, 2]` or `[1,2]`).
    ///
    /// An object with sorted keys and no spaces: `protocol` as parsed (defaults filled in),
    /// `seeds` as parsed (repeats removed), `grid` as a list of objects of value lists (repeats
    /// removed, in the order given) and distributions, `search` as parsed (the reduction factor filled in); every
    /// other top-level key (`name`, `dataset`, and any key that does not change the cells) as
    /// written, its keys sorted. Written by Foundation's
    /// `JSONSerialization` (`.sortedKeys`).
    public var canonicalJSON: String {
        var document = (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) as? [String: Any] ?? [:]
        document["name"] = name
        let protocolData = (try? JSONEncoder().encode(evaluation)) ?? Data("{}".utf8)
        document["protocol"] = (try? JSONSerialization.jsonObject(with: protocolData)) ?? [:]
        document["seeds"] = seeds
        if let search { document["search"] = search.jsonObject }
        document["grid"] = space?.jsonObject ?? configurations.objects.map { object in
            Dictionary(uniqueKeysWithValues: object.axes.map { axis in (axis.name, axis.values.map(\.jsonObject)) })
        }
        let data = (try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

extension GridValue {
    /// The value as a `JSONSerialization` object.
    var jsonObject: Any {
        switch self {
        case .integer(let v): return v
        case .number(let v): return v
        case .text(let v): return v
        case .integers(let v): return v
        }
    }
}
