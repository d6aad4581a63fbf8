import Foundation

/// How a command prints records as JSON: `json` is one document (an array of the records),
/// `jsonl` one record per line (JSON Lines), for output read while it streams.
enum JSONOutput: String {
    case json, jsonl

    /// Prints `records` as this format asks, keys sorted.
    func print(_ records: [Any]) throws {
        switch self {
        case .json: printJSON(records)
        case .jsonl: for record in records { Swift.print(try jsonText(record, pretty: false)) }
        }
    }
}

/// `object` as JSON text, keys sorted.
func jsonText(_ object: Any, pretty: Bool) throws -> String {
    let options: JSONSerialization.WritingOptions = pretty ? [.sortedKeys, .prettyPrinted] : [.sortedKeys]
    return String(decoding: try JSONSerialization.data(withJSONObject: object, options: options), as: UTF8.self)
}

/// Prints `object` as one JSON document, keys sorted.
func printJSON(_ object: Any) {
    // Objects made by exp hold only JSON values.
    Swift.print(try! jsonText(object, pretty: true))
}
