#!/usr/bin/env python3
"""Nested estimates of scikit-learn models on exactly the outer folds of each nested sweep in runs.db.

For every nested sweep (`outer_folds` in its protocol): the data set's stored canonical CSV (the
rows and values exp trained on) and, for each repeat and outer fold, the refit split exp stored
(its outer training rows and outer test rows). On each outer fold, fitted on the outer training
rows and scored once on the outer test rows:
  - LinearDiscriminantAnalysis (no hyperparameters);
  - LogisticRegression, SVC (RBF kernel) and MLPClassifier, each after a StandardScaler, at
    scikit-learn's defaults (max_iter raised so they converge; the MLP with random_state 1).
No scikit-learn hyperparameter is tuned, so no inner folds are needed. Each figure is outer test
rows right / outer test rows scored, pooled over outer folds and repeats (each row once per
repeat), with the exact Clopper-Pearson 95% interval on those counts, the same level as the
outer estimate `exp report` gives for the sweep; exp's own figure is printed beside them from the
refit runs' stored test confusion matrices (pooled over its seeds, so each row counts once per
seed and repeat: `exp report` combines the seeds per row for its headline).

    scripts/nested.sh nested.db reports-nested      # every step below, for Iris, Wine and Breast Cancer

    swift build -c release --product exp
    .build/release/exp sweep Data/grids/iris-nested.json --db nested.db
    .build/release/exp report --db nested.db --out reports-nested
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scikit-learn scipy
    /tmp/venv/bin/python scripts/nested_baselines.py nested.db
"""
import csv
import io
import json
import sqlite3
import sys
import warnings

import numpy as np
import sklearn
from scipy.stats import beta
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

warnings.filterwarnings("ignore", category=ConvergenceWarning)

MODELS = {
    "LDA": lambda: LinearDiscriminantAnalysis(),
    "LogisticRegression": lambda: make_pipeline(StandardScaler(), LogisticRegression(max_iter=10000)),
    "SVC (RBF)": lambda: make_pipeline(StandardScaler(), SVC(kernel="rbf")),
    "MLPClassifier": lambda: make_pipeline(StandardScaler(), MLPClassifier(max_iter=2000, random_state=1)),
}


def clopper_pearson(k, n, level=0.95):
    """The exact two-sided interval for k successes in n trials, as exp's AccuracyInference."""
    a = 1 - level
    lower = 0.0 if k == 0 else beta.ppf(a / 2, k, n - k + 1)
    upper = 1.0 if k == n else beta.ppf(1 - a / 2, k + 1, n - k)
    return lower, upper


def figure(k, n):
    lower, upper = clopper_pearson(k, n)
    return f"{k}/{n} = {100 * k / n:.1f} [{100 * lower:.1f}, {100 * upper:.1f}]"


def main(db):
    con = sqlite3.connect(db)
    print(f"scikit-learn {sklearn.__version__}")
    print("| sweep | outer folds x repeats | exp (refit runs, seeds pooled) | " + " | ".join(MODELS) + " |")
    print("|---|---:|---:|" + "---:|" * len(MODELS))
    sweeps = con.execute("""
        SELECT s.sweep_id, s.name, d.content FROM sweeps s JOIN datasets d USING (dataset_id)
        WHERE json_extract(s.protocol, '$.outer_folds') IS NOT NULL ORDER BY s.sweep_id""").fetchall()
    for sweep_id, name, content in sweeps:
        rows = list(csv.reader(io.StringIO(content)))[1:]
        x = np.array([[float(v) for v in row[:-1]] for row in rows])
        y = np.array([row[-1] for row in rows])
        # The refit splits the sweep's refit runs used: one per repeat and outer fold.
        splits = con.execute("""
            SELECT DISTINCT p.repeat, p.outer_fold, p.train_rows, p.test_rows FROM runs r JOIN splits p USING (split_id)
            WHERE r.sweep_id = ? AND r.phase = 'refit' ORDER BY p.repeat, p.outer_fold""", (sweep_id,)).fetchall()
        if not splits:
            continue
        right = {model: 0 for model in MODELS}
        scored = 0
        for _, _, train_text, test_text in splits:
            train, test = json.loads(train_text), json.loads(test_text)
            scored += len(test)
            for model, make in MODELS.items():
                right[model] += int((make().fit(x[train], y[train]).predict(x[test]) == y[test]).sum())
        exp_right = exp_scored = 0
        for (confusion,) in con.execute("""
                SELECT test_confusion FROM runs WHERE sweep_id = ? AND phase = 'refit' AND status = 'finished'
                  AND test_confusion IS NOT NULL""", (sweep_id,)):
            matrix = json.loads(confusion)
            exp_right += sum(matrix[i][i] for i in range(len(matrix)))
            exp_scored += sum(map(sum, matrix))
        repeats = len({s[0] for s in splits})
        exp_text = figure(exp_right, exp_scored) if exp_scored else "–"
        print(f"| {name} | {len(splits) // repeats} x {repeats} | {exp_text} | "
              + " | ".join(figure(right[m], scored) for m in MODELS) + " |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs.db")
