import NeuralNet
import Yams

extension GridParser {
    /// A grid value written as an object: a distribution (`{"log_uniform": [0.0001, 1]}`), or
    /// for `hidden_layers` a depth and a width (`{"depth": ..., "width": ...}`), each checked
    /// against the hyperparameter's range.
    mutating func parseDomain(_ node: Node, _ path: String, _ hyperparameter: Hyperparameter) -> SearchDomain? {
        switch hyperparameter.kind {
        case .layers:
            guard let entries = mapping(node, path, allowed: ["depth", "width"]) else { return nil }
            for key in ["depth", "width"] where entries[key] == nil {
                problem(node, path, "missing key \"\(key)\" (a list of integers or an integer distribution)")
            }
            let depth = entries["depth"].flatMap { parseIntegerDomain($0, "\(path).depth") {
                (0...SearchDomain.maximumDepth).contains($0) ? nil : "must be from 0 to \(SearchDomain.maximumDepth), found \($0)"
            } }
            let width = entries["width"].flatMap { parseIntegerDomain($0, "\(path).width", hyperparameter.widthProblem) }
            guard let depth, let width else { return nil }
            return .layers(depth: depth, width: width)
        case .choice(let names):
            problem(node, path, "expected a list of names (\(names.joined(separator: ", "))), found \(describe(node)): "
                    + "names are chosen from a list, not drawn from a distribution")
            return nil
        case .integer:
            return parseDistribution(node, path, integers: true) { hyperparameter.problem(with: $0) }.map(SearchDomain.distribution)
        case .number:
            return parseDistribution(node, path, integers: false) { hyperparameter.problem(with: $0) }.map(SearchDomain.distribution)
        }
    }

    /// A depth or a width of `hidden_layers`: a non-empty list of integers or an integer
    /// distribution, each value checked by `check`.
    private mutating func parseIntegerDomain(_ node: Node, _ path: String, _ check: (Int) -> String?) -> SearchDomain? {
        if case .mapping = node {
            return parseDistribution(node, path, integers: true) { value in
                if case .integer(let v) = value { return check(v) }
                return nil
            }.map(SearchDomain.distribution)
        }
        guard let items = list(node, path, what: "integers") else { return nil }
        if items.isEmpty { problem(node, path, "is empty; list at least one integer"); return nil }
        var values: [GridValue] = []
        var ok = true
        for (i, item) in items.enumerated() {
            guard let v = integer(item, "\(path)[\(i)]") else { ok = false; continue }
            if let message = check(v) { problem(item, "\(path)[\(i)]", message); ok = false; continue }
            if !values.contains(.integer(v)) { values.append(.integer(v)) }
        }
        return ok ? .choices(values) : nil
    }

    /// `{"NAME": [a, b]}` with NAME one of ``Distribution/names`` (the integer ones when
    /// `integers`, else the real ones), `a <= b`, both allowed by `check`, and both above 0 for
    /// a log distribution.
    private mutating func parseDistribution(_ node: Node, _ path: String, integers: Bool,
                                            _ check: (GridValue) -> String?) -> Distribution? {
        let allowed = integers ? ["int_uniform", "log_int_uniform"] : ["uniform", "log_uniform"]
        guard case .mapping(let mapping) = node, mapping.count == 1, let (keyNode, bounds) = mapping.first else {
            problem(node, path, "expected a list or one distribution, e.g. {\"\(allowed[1])\": [a, b]} (\(allowed.joined(separator: ", "))), "
                    + "found \(describe(node))\(describeCount(node))")
            return nil
        }
        let name = keyNode.scalar?.string ?? ""
        let keyPath = "\(path).\(name)"
        guard allowed.contains(name) else {
            let why = Distribution.names.contains(name)
                ? (integers ? "takes integers: use \(allowed.joined(separator: " or "))" : "takes real numbers: use \(allowed.joined(separator: " or "))")
                : "unknown distribution \"\(name)\"; valid distributions: \(allowed.joined(separator: ", "))"
            problem(keyNode, keyPath, why)
            return nil
        }
        guard let items = list(bounds, keyPath, what: "two bounds [a, b]") else { return nil }
        guard items.count == 2 else {
            problem(bounds, keyPath, "expected two bounds [a, b], found \(items.count) values")
            return nil
        }
        let log = name.hasPrefix("log_")
        var values: [GridValue] = []
        for (i, item) in items.enumerated() {
            let value: GridValue
            if integers {
                guard let v = integer(item, "\(keyPath)[\(i)]") else { return nil }
                value = .integer(v)
            } else {
                guard let v = number(item, "\(keyPath)[\(i)]") else { return nil }
                value = .number(v)
            }
            if log, let v = value.number, v <= 0 {
                problem(item, "\(keyPath)[\(i)]", "a log distribution needs bounds above 0, found \(value)")
                return nil
            }
            if let message = check(value) {
                problem(item, "\(keyPath)[\(i)]", message)
                return nil
            }
            values.append(value)
        }
        guard let a = values[0].number, let b = values[1].number, a <= b else {
            problem(bounds, keyPath, "the lower bound \(values[0]) is above the upper bound \(values[1])")
            return nil
        }
        switch (name, values[0], values[1]) {
        case ("uniform", _, _): return .uniform(a, b)
        case ("log_uniform", _, _): return .logUniform(a, b)
        case ("int_uniform", .integer(let x), .integer(let y)): return .intUniform(x, y)
        case ("log_int_uniform", .integer(let x), .integer(let y)): return .logIntUniform(x, y)
        default: return nil
        }
    }

    private func describeCount(_ node: Node) -> String {
        if case .mapping(let mapping) = node, mapping.count != 1 { return " with \(mapping.count) keys" }
        return ""
    }
}
