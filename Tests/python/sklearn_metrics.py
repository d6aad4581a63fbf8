#!/usr/bin/env python3
"""Compute scikit-learn's figures for the predictions NeuralNet's ClassificationMetrics scored.

Usage: sklearn_metrics.py CASES.json

CASES.json is a list of {"classes": k, "labels": [...], "predictions": [...],
"probabilities": [[...], ...]}. For each case the script prints, as one JSON list,
{"balanced_accuracy": balanced_accuracy_score(labels, predictions),
 "macro_f1": f1_score(labels, predictions, average="macro", zero_division=0),
 "log_loss": log_loss(labels, probabilities, labels=range(k))}.
"""
import json
import sys
import warnings

from sklearn.metrics import balanced_accuracy_score, f1_score, log_loss


def logloss(labels, probabilities, k):
    try:
        return log_loss(labels, y_proba=probabilities, labels=list(range(k)))
    except TypeError:  # scikit-learn before 1.9 names it y_pred
        return log_loss(labels, probabilities, labels=list(range(k)))


def main(path):
    with open(path) as f:
        cases = json.load(f)
    warnings.simplefilter("ignore")  # a class missing from y_true warns, as intended here
    out = []
    for case in cases:
        y, p, k = case["labels"], case["predictions"], case["classes"]
        out.append({
            "balanced_accuracy": float(balanced_accuracy_score(y, p)),
            "macro_f1": float(f1_score(y, p, average="macro", zero_division=0)),
            "log_loss": float(logloss(y, case["probabilities"], k)),
        })
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1])
