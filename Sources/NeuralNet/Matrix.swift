/// A dense matrix of `Double` stored in row-major order.
///
/// Element `(i, j)` lives at `values[i * columns + j]`. Mini-batches use the
/// convention *rows = examples, columns = features* (a batch of `B` rows with
/// `n` features is `B x n`); weight matrices are `n_out x n_in` as in Nielsen's
/// `w^l_jk` (row `j` = neuron in layer `l`, column `k` = neuron in layer `l-1`).
public struct Matrix: Equatable, Sendable {
    /// Number of rows (`>= 0`).
    public var rows: Int
    /// Number of columns (`>= 0`).
    public var columns: Int
    /// The `rows * columns` elements in row-major order.
    public var values: [Double]

    /// Creates a `rows x columns` matrix from row-major `values`.
    ///
    /// - Precondition: `rows >= 0`, `columns >= 0` and `values.count == rows * columns`
    ///   (a violation traps: it is a programming error, not a data error).
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        precondition(values.count == rows * columns,
                     "Matrix \(rows)x\(columns) needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Creates a `rows x columns` matrix with every element equal to `repeating`.
    public init(rows: Int, columns: Int, repeating: Double) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.init(rows: rows, columns: columns, values: Array(repeating: repeating, count: rows * columns))
    }

    /// Element at (`row`, `column`), both 0-based.
    ///
    /// - Precondition: `0 <= row < rows` and `0 <= column < columns` (traps otherwise).
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            return values[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns, "Matrix index out of range")
            values[row * columns + column] = newValue
        }
    }

    /// Row `i` as an array of `columns` values.
    public func row(_ i: Int) -> [Double] {
        precondition(i >= 0 && i < rows, "Matrix row out of range")
        return Array(values[(i * columns)..<((i + 1) * columns)])
    }
}
