/// How ``DataFile`` reads a delimited text file. The defaults read the common cases
/// (comma-separated, optional header, label in the last column) without options.
public struct ImportOptions: Sendable, Equatable {
    /// Whether the first record is a header row.
    public enum Header: String, Sendable {
        /// Detect: the first record is a header when one of its feature fields is not a number
        /// and could be a name (it does not start like a number and is not a missing-value
        /// marker) while most later records have a number in that column.
        case auto
        /// The first record is a header (column names).
        case yes
        /// There is no header: every record is data; features are named `x1`, `x2`, ...
        case no
    }

    /// Which column holds the class label.
    public enum LabelColumn: Sendable, Equatable {
        /// The last column.
        case last
        /// The column at this 0-based position among the file's columns (a dropped row-index
        /// column still counts).
        case index(Int)
        /// The column whose header field has this name (implies a header row).
        case name(String)
        /// No label column: every column (but a dropped row-number column) is a feature. Only
        /// for ``DataFile/readTable(_:name:options:)`` and ``DataFile/parseTable(_:file:name:options:)``,
        /// which read rows to score with a trained model; a ``Dataset`` needs labels, so
        /// ``DataFile/read(_:name:options:)`` refuses it.
        case none
    }

    /// Header handling; default ``Header/auto``.
    public var header: Header
    /// The label column; default ``LabelColumn/last``.
    public var labelColumn: LabelColumn
    /// The field delimiter. `nil` (the default) means `,`, but a file that looks `;`- or
    /// tab-separated is then refused with a message naming the option to use.
    public var delimiter: Character?
    /// Whether numbers use a decimal comma (`5,0` is 5.0). Needs a delimiter other than `,`.
    public var decimalComma: Bool

    /// Creates options; every parameter has the default described on its property.
    public init(header: Header = .auto, labelColumn: LabelColumn = .last,
                delimiter: Character? = nil, decimalComma: Bool = false) {
        self.header = header
        self.labelColumn = labelColumn
        self.delimiter = delimiter
        self.decimalComma = decimalComma
    }
}
