import Datasets
import NeuralNet

extension Dataset {
    /// Rows `indices` of the data set as the network reads them: `indices.count x features` raw
    /// features and their labels.
    public func labeled(_ indices: [Int]) -> LabeledData {
        let subset = rows(indices)
        return LabeledData(features: Matrix(rows: indices.count, columns: featureCount, values: subset.features),
                           labels: subset.labels)
    }
}
