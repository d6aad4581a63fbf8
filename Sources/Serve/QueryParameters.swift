import Foundation
import Tracker

/// A request's query string, decoded (`+` as a space, then percent-decoding), with typed
/// readers that refuse a bad value with 400 and a message naming the parameter.
struct QueryParameters {
    private(set) var values: [String: String] = [:]

    /// Parses `query` (without the `?`).
    /// - Throws: ``Refusal`` 400 for malformed percent-encoding or a parameter given twice.
    init(_ query: String?) throws {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ text: Substring) throws -> String {
                guard let decoded = text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding else {
                    throw Refusal.badRequest("query parameter '\(text)': malformed percent-encoding")
                }
                return decoded
            }
            let name = try decode(parts[0])
            let value = parts.count > 1 ? try decode(parts[1]) : ""
            if values[name] != nil { throw Refusal.badRequest("query parameter '\(name)' is given twice") }
            values[name] = value
        }
    }

    /// Refuses any parameter not in `allowed`.
    func allowOnly(_ allowed: [String]) throws {
        if let unknown = values.keys.sorted().first(where: { !allowed.contains($0) }) {
            let expected = allowed.isEmpty ? "this path takes none" : "expected: " + allowed.joined(separator: ", ")
            throw Refusal.badRequest("unknown query parameter '\(unknown)' (\(expected))")
        }
    }

    /// An integer in `range`, or `fallback` when absent.
    func integer(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
        guard let text = values[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw Refusal.badRequest("query parameter \(name)=\(text): expected a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }

    /// One of `choices`, or `fallback` when absent.
    func choice(_ name: String, _ choices: [String], default fallback: String) throws -> String {
        guard let text = values[name] else { return fallback }
        guard choices.contains(text) else {
            throw Refusal.badRequest("query parameter \(name)=\(text): expected one of \(choices.joined(separator: ", "))")
        }
        return text
    }

    /// A comma-separated list of run ids (positive integers), `count` of them.
    func runIDs(_ name: String, count: ClosedRange<Int>) throws -> [Int64] {
        guard let text = values[name] else {
            throw Refusal.badRequest("query parameter '\(name)' is required: \(count.lowerBound) or more run ids, e.g. \(name)=3,7")
        }
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        let ids = parts.compactMap { Self.runID($0.trimmingCharacters(in: .whitespaces)) }
        guard ids.count == parts.count, count.contains(ids.count) else {
            throw Refusal.badRequest("query parameter \(name)=\(text): expected \(count.lowerBound) to \(count.upperBound) run ids (positive whole numbers) separated by commas")
        }
        if let twice = ids.first(where: { id in ids.filter { $0 == id }.count > 1 }) {
            throw Refusal.badRequest("query parameter \(name)=\(text): run \(twice) is given twice")
        }
        return ids
    }

    /// A run id as written in a path or a list: digits only, without a sign or leading zeros
    /// (one run has one address), and positive; nil for any other text.
    static func runID(_ text: String) -> Int64? {
        guard let first = text.first, first != "0", text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return Int64(text)
    }

    /// The ranking metric (`metric=`), accuracy when absent.
    func metric() throws -> RankingMetric {
        let name = try choice("metric", RankingMetric.allCases.map(\.rawValue), default: RankingMetric.accuracy.rawValue)
        return RankingMetric(rawValue: name)!
    }
}
