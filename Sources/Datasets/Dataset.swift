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
/// - ``classNames`` is sorted ascending by `String <` with no duplicates; label `i` means
///   `classNames[i]`. ``DataFile`` only lists classes that occur in the data.
/// - every feature value is finite.
///
/// ``contentHash`` identifies the content independently of how the file was written
/// (line ends, byte order mark, quoting, spacing): it is the SHA-256 of ``canonicalCSV``.
/// The ``name`` is not part of the content. Changing a content property recomputes the hash.
public struct Dataset: Sendable, Equatable {
    /// A short name for the data set, usually the file name without extension. Not hashed.
    public var name: String
    /// One name per feature column, `featureCount` entries.
    public var featureNames: [String] { didSet { rehash() } }
    /// The class names, sorted ascending by `String <` without duplicates; label `i` means `classNames[i]`.
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
    ///   - classNames: sorted ascending (`String <`), no duplicates.
    ///   - features: row-major `rowCount` x `featureCount` finite values.
    ///   - labels: `rowCount` class indices in `0..<classNames.count`.
    /// - Precondition: the shapes agree, `classNames` is strictly ascending, labels are in range
    ///   and features are finite. Violations are programming errors and stop the program; data
    ///   read from files is checked by ``DataFile`` and reported as ``DataImportError`` instead.
    public init(name: String, featureNames: [String], classNames: [String], features: [Double], labels: [Int]) {
        precondition(features.count == labels.count * featureNames.count,
                     "features has \(features.count) values, expected \(labels.count) rows x \(featureNames.count) features")
        precondition(zip(classNames, classNames.dropFirst()).allSatisfy { $0 < $1 },
                     "classNames must be sorted ascending without duplicates")
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
