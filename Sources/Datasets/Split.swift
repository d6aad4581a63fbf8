/// A partition of a data set's rows into training, validation and test rows.
///
/// Each array holds row indices into the data set, sorted ascending; the three are disjoint
/// and together hold every row. Codable so that a run can store exactly which rows it used.
public struct Split: Sendable, Equatable, Codable {
    /// Training row indices, ascending.
    public var train: [Int]
    /// Validation row indices, ascending (empty when the validation fraction is 0).
    public var validation: [Int]
    /// Test row indices, ascending (empty when the test fraction is 0).
    public var test: [Int]

    /// Creates a split from three index lists (kept as given).
    public init(train: [Int], validation: [Int], test: [Int]) {
        self.train = train
        self.validation = validation
        self.test = test
    }
}
