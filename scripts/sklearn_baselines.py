#!/usr/bin/env python3
"""Scikit-learn baselines on the exact rows of each sweep in runs.db, beside exp's best configuration.

For every holdout sweep: the data set's stored canonical CSV (so rows and values are exactly what
exp trained on), the sweep's stored split, and
  - exp: the configuration ranked first by mean validation accuracy (the leaderboard's order),
    its mean validation accuracy and mean test accuracy ± standard deviation over its seeds;
  - scikit-learn LogisticRegression and MLPClassifier (defaults: one hidden layer of 100 ReLU
    units, Adam), each after a StandardScaler, fitted on the same training rows (not the
    validation rows) and scored on the same test rows; the MLP over random_state 1..5;
  - for scale, LogisticRegression's stratified 5-fold cross-validation accuracy on all rows
    (shuffled with random_state 0), mean ± standard deviation over the folds: one small test
    split is a noisy estimate.
No scikit-learn hyperparameter is tuned. Needs numpy and scikit-learn:

    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install scikit-learn
    /tmp/venv/bin/python scripts/sklearn_baselines.py runs.db
"""
import csv
import io
import json
import sqlite3
import statistics
import sys
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

warnings.filterwarnings("ignore", category=ConvergenceWarning)


def pct(values):
    """Mean ± sample standard deviation, in percent."""
    mean = 100 * statistics.mean(values)
    sd = 100 * statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{mean:.1f} ± {sd:.1f}"


def main(db):
    con = sqlite3.connect(db)
    print(f"scikit-learn {sklearn.__version__}")
    print("| data set | rows (train / val / test) | exp best: validation | exp best: test | scikit-learn LogisticRegression: test | scikit-learn MLPClassifier: test | LogisticRegression, 5-fold CV |")
    print("|---|---|---:|---:|---:|---:|---:|")
    sweeps = con.execute("""
        SELECT s.sweep_id, s.name, d.name, d.version, d.content FROM sweeps s JOIN datasets d USING (dataset_id)
        WHERE json_extract(s.protocol, '$.folds') IS NULL ORDER BY s.sweep_id""").fetchall()
    for sweep_id, sweep, dataset, version, content in sweeps:
        best = con.execute("""
            SELECT config_sha256 FROM leaderboard WHERE sweep_id = ?
            ORDER BY (diverged_runs + failed_runs > 0), validation_accuracy_mean IS NULL, validation_accuracy_mean DESC,
                     validation_accuracy_std IS NULL, validation_accuracy_std, config_sha256 LIMIT 1""", (sweep_id,)).fetchone()
        if best is None:
            continue
        runs = con.execute("""
            SELECT final_validation_accuracy, test_accuracy, split_id FROM runs
            WHERE sweep_id = ? AND config_sha256 = ? AND status = 'finished'""", (sweep_id, best[0])).fetchall()
        train, validation, test = (json.loads(t) for t in con.execute(
            "SELECT train_rows, validation_rows, test_rows FROM splits WHERE split_id = ?", (runs[0][2],)).fetchone())
        rows = list(csv.reader(io.StringIO(content)))[1:]
        x = np.array([[float(v) for v in row[:-1]] for row in rows])
        y = np.array([row[-1] for row in rows])
        logistic = make_pipeline(StandardScaler(), LogisticRegression(max_iter=10000)).fit(x[train], y[train])
        mlp = [make_pipeline(StandardScaler(), MLPClassifier(max_iter=2000, random_state=seed)).fit(x[train], y[train])
               .score(x[test], y[test]) for seed in range(1, 6)]
        folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
        cv = cross_val_score(make_pipeline(StandardScaler(), LogisticRegression(max_iter=10000)), x, y, cv=folds)
        print(f"| {dataset}@{version} (sweep {sweep}) | {len(rows)} ({len(train)} / {len(validation)} / {len(test)}) "
              f"| {pct([r[0] for r in runs])} | {pct([r[1] for r in runs])} "
              f"| {100 * logistic.score(x[test], y[test]):.1f} | {pct(mlp)} | {pct(list(cv))} |")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "runs.db")
