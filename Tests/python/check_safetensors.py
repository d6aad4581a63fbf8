#!/usr/bin/env python3
"""Check a model written by exp's NeuralNet module (Model.safetensors()).

Usage: check_safetensors.py MODEL.safetensors EXPECTED.json

EXPECTED.json holds {"features": [[...], ...], "probabilities": [[...], ...]}:
raw feature rows and the probabilities the Swift code computed for them.
The script loads the tensors with safetensors.numpy.load_file and the metadata
with safe_open, runs the forward pass in NumPy (scaling, hidden activation,
sigmoid-normalised or softmax output) and exits 0 when every probability is
within 1e-12 of the expected value, 1 otherwise.
"""
import json
import sys

import numpy as np
from safetensors import safe_open
from safetensors.numpy import load_file

TOLERANCE = 1e-12


def sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main(model_path, expected_path):
    tensors = load_file(model_path)
    with safe_open(model_path, framework="numpy") as f:
        meta = f.metadata()
    sizes = json.loads(meta["layer_sizes"])
    activation = meta["activation"]
    loss = meta["loss"]
    classes = json.loads(meta["class_names"])
    features = json.loads(meta["feature_names"])
    assert meta["format_version"] == "1", meta["format_version"]
    assert len(classes) == sizes[-1], (classes, sizes)
    assert len(features) in (0, sizes[0]), (features, sizes)
    for name, t in tensors.items():
        assert t.dtype == np.float64, (name, t.dtype)

    with open(expected_path) as f:
        expected = json.load(f)
    x = np.asarray(expected["features"], dtype=np.float64)
    want = np.asarray(expected["probabilities"], dtype=np.float64)

    a = (x - tensors["scaler.shift"]) / tensors["scaler.scale"]
    layers = len(sizes) - 1
    for i in range(layers):
        w = tensors[f"layers.{i}.weight"]
        b = tensors[f"layers.{i}.bias"]
        assert w.shape == (sizes[i + 1], sizes[i]), (i, w.shape)
        z = a @ w.T + b
        if i < layers - 1:
            if activation == "sigmoid":
                a = sigmoid(z)
            elif activation == "tanh":
                a = np.tanh(z)
            elif activation == "relu":
                a = np.maximum(z, 0.0)
            else:
                raise ValueError(activation)
        elif loss == "cross_entropy":
            a = softmax(z)
        elif loss == "mse":
            s = sigmoid(z)
            a = s / s.sum(axis=1, keepdims=True)
        else:
            raise ValueError(loss)

    if a.shape != want.shape:
        print(f"shape {a.shape} != expected {want.shape}")
        return 1
    err = float(np.max(np.abs(a - want))) if a.size else 0.0
    print(f"layers={sizes} activation={activation} loss={loss} max_abs_error={err:.3e}")
    return 0 if err <= TOLERANCE else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
