import Determinism
import Foundation

/// A tabular classification data set held in memory: a matrix of numeric features and one
/// class label per row.
///
/// Shapes: ``features`` is row-major with ``rowCount`` x ``featureCount`` entries
/// (row `r`, feature `j` is `features[r * featureCount + j]`); ``labels`` has ``rowCount``
/// entries, each in `0..<classNames.count`.
///
/// Invariants (checked with preconditions by ``init(name:featureNames:classNames:features:labels:)``):
/// - ``classNames`` has no duplicates; label `i` means `classNames[i]`. ``DataFile`` lists the
///   classes that occur in the data in ``ClassOrder`` (by value when every name is a number,
///   else by `String <`); a stored data set keeps the order it was stored with.
/// - every feature value is finite.
///
/// ``contentHash`` identifies the content independently of how the file was written
/// (line ends, byte order mark, quoting, spacing): it is the SHA-256 of ``canonicalCSV``.
/// The ``name`` and the order of ``classNames`` are not part of the content (the canonical CSV
/// writes each row's class by name). Changing a content property recomputes the hash.
public struct Dataset: Sendable, Equatable {
    /// A short name for the data set, usually the file name without extension. Not hashed.
    public var name: String
    /// One name per feature column, `featureCount` entries.
    public var featureNames: [String] { didSet { rehash() } }
    /// The class names without duplicates, in ``ClassOrder`` or as stored; label `i` means `classNames[i]`.
    public var classNames: [String] { didSet { rehash() } }
    /// The feature matrix, row-major, `rowCount` x `featureCount` finite values.
    public var features: [Double] { didSet { rehash() } }
    /// One class index per row, `rowCount` entries in `0..<classNames.count`.
    public var labels: [Int] { didSet { rehash() } }
    /// Lowercase hexadecimal SHA-256 of ``canonicalCSV`` (64 characters).
    public private(set) var contentHash: String

    /// The number of rows (samples): `labels.count`.
    public var rowCount: Int { labels.count }
    /// The number of feature columns: `featureNames.count`.
    public var featureCount: Int { featureNames.count }

    /// Creates a data set and computes its ``contentHash``.
    ///
    /// - Parameters:
    ///   - name: a short name; not part of the hash.
    ///   - featureNames: `featureCount` names.
    ///   - classNames: no duplicates, in the order of the model's outputs (``ClassOrder`` for new data).
    ///   - features: row-major `rowCount` x `featureCount` finite values.
    ///   - labels: `rowCount` class indices in `0..<classNames.count`.
    /// - Precondition: the shapes agree, `classNames` has no duplicates, labels are in range
    ///   and features are finite. Violations are programming errors and stop the program; data
    ///   read from files is checked by ``DataFile`` and reported as ``DataImportError`` instead.
    public init(name: String, featureNames: [String], classNames: [String], features: [Double], labels: [Int]) {
        precondition(features.count == labels.count * featureNames.count,
                     "features has \(features.count) values, expected \(labels.count) rows x \(featureNames.count) features")
        precondition(Set(classNames).count == classNames.count, "classNames must not repeat a name")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classNames.count }, "labels must be in 0..<classNames.count")
        precondition(features.allSatisfy { $0.isFinite }, "features must be finite")
        self.name = name
        self.featureNames = featureNames
        self.classNames = classNames
        self.features = features
        self.labels = labels
        self.contentHash = ""
        rehash()
    }

    private mutating func rehash() {
        contentHash = sha256Hex(canonicalCSV)
    }

    /// The same data set with its classes in `order`: every row keeps its class, labels are
    /// renumbered. The content hash does not change.
    ///
    /// A data set read again from a file that is already stored takes the stored order, so its
    /// splits (drawn class by class) and its models' outputs are those of the stored runs.
    /// - Returns: `nil` when `order` is not a permutation of ``classNames``.
    public func withClassOrder(_ order: [String]) -> Dataset? {
        guard order.count == classNames.count, Set(order) == Set(classNames) else { return nil }
        if order == classNames { return self }
        let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        let renumbered = classNames.map { position[$0]! }
        return Dataset(name: name, featureNames: featureNames, classNames: order, features: features,
                       labels: labels.map { renumbered[$0] })
    }

    /// The rows at `indices`, in the order given (duplicates allowed).
    ///
    /// - Returns: `features`, row-major `indices.count` x `featureCount`, and `labels`,
    ///   `indices.count` entries.
    /// - Precondition: every index is in `0..<rowCount`.
    public func rows(_ indices: [Int]) -> (features: [Double], labels: [Int]) {
        let width = featureCount
        var subsetFeatures: [Double] = []
        subsetFeatures.reserveCapacity(indices.count * width)
        var subsetLabels: [Int] = []
        subsetLabels.reserveCapacity(indices.count)
        for index in indices {
            precondition(index >= 0 && index < rowCount, "row index \(index) out of range 0..<\(rowCount)")
            subsetFeatures.append(contentsOf: features[(index * width)..<((index + 1) * width)])
            subsetLabels.append(labels[index])
        }
        return (subsetFeatures, subsetLabels)
    }

    /// The number of rows of each class: `classNames.count` entries, `classCounts[i]` rows have label `i`.
    public var classCounts: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for label in labels { counts[label] += 1 }
        return counts
    }
}
