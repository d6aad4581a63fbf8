import Datasets
import Foundation
import Tracker

/// Reading a data file and keeping it in `runs.db`, the same way for `exp data import` and
/// `exp sweep`: content is stored once (by its SHA-256), and new content under a stored name
/// becomes that name's next version.
public enum DatasetImport {
    /// The outcome of ``store(_:sourcePath:in:)``.
    public struct Stored: Sendable {
        /// The stored record: the new one, or the one that already held this content.
        public var record: DatasetRecord
        /// False when the same content was already stored (under ``record``'s name and version).
        public var isNew: Bool
    }

    /// Reads a data file as `exp data import` does.
    /// - Parameters:
    ///   - url: the file.
    ///   - name: the data set name; default: the file name without its extension.
    ///   - options: how to read the file.
    /// - Throws: `DataImportError` with every problem found.
    public static func read(_ url: URL, name: String? = nil, options: ImportOptions = .init()) throws -> Dataset {
        try DataFile.read(url, name: name, options: options)
    }

    /// Reads a data file as ``read(_:name:options:)`` does, with the reader's notes (one line
    /// each) on what it read in a way the file's author may not expect.
    /// - Throws: `DataImportError` with every problem found.
    public static func readNoted(_ url: URL, name: String? = nil, options: ImportOptions = .init()) throws
        -> (dataset: Dataset, notes: [String]) {
        try DataFile.readNoted(url, name: name, options: options)
    }

    /// The record that stores `dataset`: its canonical CSV and what describes it.
    public static func record(_ dataset: Dataset, sourcePath: String?) -> DatasetRecord {
        DatasetRecord(sha256: dataset.contentHash, name: dataset.name, sourcePath: sourcePath, rowCount: dataset.rowCount,
                      featureNames: dataset.featureNames, classNames: dataset.classNames, content: dataset.canonicalCSV)
    }

    /// `dataset` with its classes in the order of the stored data set of the same content, if
    /// one is stored (the content hash does not depend on the class order): stored data is
    /// forever, so a data set stored when numeric class names were sorted as text (`10`
    /// before `2`) keeps that order, and with it its splits, which are drawn class by class,
    /// and the meaning of its runs' confusion matrices.
    /// - Throws: `SQLiteError`.
    public static func inStoredClassOrder(_ dataset: Dataset, in store: RunStore) throws -> Dataset {
        guard let stored = try store.dataset(sha256: dataset.contentHash) else { return dataset }
        return dataset.withClassOrder(stored.classNames) ?? dataset
    }

    /// Stores `dataset` unless its content is already stored.
    /// - Throws: `SQLiteError`.
    @discardableResult
    public static func store(_ dataset: Dataset, sourcePath: String?, in store: RunStore) throws -> Stored {
        let known = try store.dataset(sha256: dataset.contentHash) != nil
        let record = try store.storeDataset(record(dataset, sourcePath: sourcePath))
        return Stored(record: record, isNew: !known)
    }
}
