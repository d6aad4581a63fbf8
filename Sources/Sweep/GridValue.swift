import NeuralNet

/// One choice of a hyperparameter in a grid file, with the JSON type it was written with
/// (NeuralNet's ``NeuralNet/HyperparameterValue``, under the name grid code has always used).
public typealias GridValue = HyperparameterValue
