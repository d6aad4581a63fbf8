/// How much each training row's cost counts, by its class. Key `class_weight`.
public enum ClassWeighting: String, Codable, CaseIterable, Sendable {
    /// Every row counts 1 (the seed's training).
    case none
    /// Row `x` of class `c` counts `w_c = n / (k · n_c)`, with `n` training rows, `k` classes
    /// present in them and `n_c` rows of class `c`: every class then carries the same total
    /// weight `n / k`, as scikit-learn's `class_weight="balanced"` (King & Zeng 2001).
    case balanced

    /// One weight per class `0..<classes` for rows with `labels`: all 1 for ``none``; for
    /// ``balanced``, `n / (k · n_c)` (a class without rows gets 1: no row uses it).
    ///
    /// - Parameters:
    ///   - labels: the `n` training labels, each in `0..<classes`.
    ///   - classes: the model's number of classes.
    public func weights(labels: [Int], classes: Int) -> [Double] {
        guard self == .balanced, !labels.isEmpty else { return Array(repeating: 1, count: classes) }
        var counts = Array(repeating: 0, count: classes)
        for label in labels { counts[label] += 1 }
        let present = Double(counts.filter { $0 > 0 }.count), n = Double(labels.count)
        return counts.map { $0 == 0 ? 1 : n / (present * Double($0)) }
    }
}
