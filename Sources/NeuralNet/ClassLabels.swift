/// Labels a model was never trained on, found when mapping a file's labels to its classes.
public struct UnknownLabelsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The labels not among the model's classes, sorted, each once.
    public var labels: [String]
    /// The model's classes, in its order.
    public var classes: [String]

    /// `labels the model never saw: 'a', 'b'; the model's classes are 'x', 'y'`.
    public var description: String {
        let quoted = { (names: [String]) in names.map { "'\($0)'" }.joined(separator: ", ") }
        return "labels the model never saw: \(quoted(labels)); the model's classes are \(quoted(classes))"
    }
}

extension Model {
    /// The class index (into ``classNames``) of each label, in order.
    /// - Throws: ``UnknownLabelsError`` naming every label that is not a class name.
    public func classIndices(ofLabels labels: [String]) throws -> [Int] {
        let index = Dictionary(classNames.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let unknown = Set(labels).subtracting(classNames).sorted()
        guard unknown.isEmpty else { throw UnknownLabelsError(labels: unknown, classes: classNames) }
        return labels.map { index[$0]! }
    }
}
