extension Model {
    /// Counts of `data`'s rows by true class (row) and predicted class (column):
    /// a `classes x classes` matrix whose diagonal holds the correct predictions.
    public func confusionMatrix(_ data: LabeledData) -> [[Int]] {
        let k = classNames.count
        var counts = Array(repeating: Array(repeating: 0, count: k), count: k)
        for (truth, guess) in zip(data.labels, predict(data.features)) { counts[truth][guess] += 1 }
        return counts
    }
}
