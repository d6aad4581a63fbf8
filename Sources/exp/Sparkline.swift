/// A series as one line of block characters (`▁▂▃▄▅▆▇█`), for learning curves in a terminal.
enum Sparkline {
    static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// `values` resampled to at most `width` points (each the mean of its bucket), scaled so
    /// `range` spans the eight blocks; a missing or non-finite point is a space.
    static func line(_ values: [Double?], width: Int, range: ClosedRange<Double>) -> String {
        guard !values.isEmpty, width > 0 else { return "" }
        let points = min(width, values.count)
        return String((0..<points).map { i -> Character in
            let bucket = values[(i * values.count / points)..<((i + 1) * values.count / points)].compactMap { $0 }.filter(\.isFinite)
            guard !bucket.isEmpty else { return " " }
            let mean = bucket.reduce(0, +) / Double(bucket.count)
            let span = range.upperBound - range.lowerBound
            let level = span > 0 ? Int(((mean - range.lowerBound) / span * Double(blocks.count - 1)).rounded()) : blocks.count - 1
            return blocks[max(0, min(blocks.count - 1, level))]
        })
    }

    /// The range of every finite value in `series`, nil when there is none.
    static func range(_ series: [[Double?]]) -> ClosedRange<Double>? {
        let finite = series.joined().compactMap { $0 }.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max() else { return nil }
        return low...high
    }
}
