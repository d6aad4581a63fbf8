import Foundation

/// A data set as stored: its canonical CSV content and what describes it.
public struct DatasetRecord: Sendable, Equatable {
    /// Row id in `datasets` (nil before it is stored).
    public var id: Int64?
    /// Lowercase hex SHA-256 of ``content``.
    public var sha256: String
    /// The data set's name, e.g. `iris`.
    public var name: String
    /// 1 for the first content stored under ``name``, then 2, 3, ...
    public var version: Int
    /// The file it was imported from, as given (nil when unknown).
    public var sourcePath: String?
    /// The number of data rows (without the header); at least 1.
    public var rowCount: Int
    /// The feature columns' names, in order; at least one.
    public var featureNames: [String]
    /// Label i is `classNames[i]`.
    public var classNames: [String]
    /// The canonical CSV text: a header, then one row per line, label last.
    public var content: String
    /// When it was first stored, UTC ISO 8601 (nil before it is stored).
    public var importedAt: String?

    /// A data set to store; ``version`` is set by ``RunStore/storeDataset(_:)``.
    public init(sha256: String, name: String, sourcePath: String?, rowCount: Int,
                featureNames: [String], classNames: [String], content: String) {
        self.sha256 = sha256
        self.name = name
        self.version = 0
        self.sourcePath = sourcePath
        self.rowCount = rowCount
        self.featureNames = featureNames
        self.classNames = classNames
        self.content = content
    }
}

extension RunStore {
    /// Stores a data set unless the same content is already stored.
    ///
    /// Content is identified by its SHA-256: importing the same content twice returns the
    /// existing row. New content under an existing name becomes its next version; runs keep
    /// pointing at the version they used.
    /// - Returns: the stored record, with its id and version.
    /// - Throws: ``SQLiteError`` when the record breaks a constraint (no rows, no features,
    ///   fewer than two classes, a hash that is not 64 characters).
    @discardableResult
    public func storeDataset(_ record: DatasetRecord) throws -> DatasetRecord {
        try write {
            if let existing = try dataset(sha256: record.sha256) { return existing }
            let version = (try connection.scalar(
                "SELECT MAX(version) FROM datasets WHERE name = ?", [.text(record.name)])?.int ?? 0) + 1
            try connection.run("""
                INSERT INTO datasets (sha256, name, version, source_path, row_count, feature_count, class_count,
                                      feature_names, class_names, content, imported_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(record.sha256), .text(record.name), .of(version), .of(record.sourcePath),
                      .of(record.rowCount), .of(record.featureNames.count), .of(record.classNames.count),
                      .text(jsonText(record.featureNames)), .text(jsonText(record.classNames)),
                      .text(record.content), .text(timestamp())])
            return try dataset(sha256: record.sha256)!
        }
    }

    static let datasetColumns = """
        dataset_id, sha256, name, version, source_path, row_count, feature_names, class_names, content, imported_at
        """

    static func readDataset(_ s: Statement) throws -> DatasetRecord {
        var record = DatasetRecord(
            sha256: try s.required(s.string, "sha256"), name: try s.required(s.string, "name"),
            sourcePath: try s.string("source_path"), rowCount: try s.required(s.int, "row_count"),
            featureNames: try decodeJSON([String].self, try s.string("feature_names")),
            classNames: try decodeJSON([String].self, try s.string("class_names")), content: try s.required(s.string, "content"))
        record.id = try s.id("dataset_id")
        record.version = try s.required(s.int, "version")
        record.importedAt = try s.string("imported_at")
        return record
    }

    /// The data set with this content hash, if stored.
    /// - Throws: ``SQLiteError``.
    public func dataset(sha256: String) throws -> DatasetRecord? {
        try connection.query("SELECT \(Self.datasetColumns) FROM datasets WHERE sha256 = ?", [.text(sha256)], Self.readDataset).first
    }

    /// The data set with this row id, if stored.
    /// - Throws: ``SQLiteError``.
    public func dataset(id: Int64) throws -> DatasetRecord? {
        try connection.query("SELECT \(Self.datasetColumns) FROM datasets WHERE dataset_id = ?", [.integer(id)], Self.readDataset).first
    }

    /// The newest version of the data set called `name`, if any.
    /// - Throws: ``SQLiteError``.
    public func dataset(named name: String) throws -> DatasetRecord? {
        try connection.query("SELECT \(Self.datasetColumns) FROM datasets WHERE name = ? ORDER BY version DESC LIMIT 1",
                             [.text(name)], Self.readDataset).first
    }

    /// The given version of the data set called `name`, if stored.
    /// - Throws: ``SQLiteError``.
    public func dataset(named name: String, version: Int) throws -> DatasetRecord? {
        try connection.query("SELECT \(Self.datasetColumns) FROM datasets WHERE name = ? AND version = ?",
                             [.text(name), .of(version)], Self.readDataset).first
    }

    /// Every stored data set, by name and version.
    /// - Throws: ``SQLiteError``.
    public func datasets() throws -> [DatasetRecord] {
        try connection.query("SELECT \(Self.datasetColumns) FROM datasets ORDER BY name, version", [], Self.readDataset)
    }
}
