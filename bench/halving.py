"""Reads the full grid's and the successive-halving search's databases written by
bench/halving.sh, runs Optuna's SuccessiveHalvingPruner and HyperbandPruner driving
scikit-learn's MLPClassifier on the same split rows and budget, and prints one table
(docs/benchmarks.md, "Successive halving").

    python bench/halving.py WORK_DIR DATASET [DATASET ...]

PRUNERS (default "SuccessiveHalvingPruner,HyperbandPruner"; empty for none) names the peer's
pruners to run, so that each can run in its own process.

The peer searches the halving grid's configurations (every one once, in an order shuffled by
Optuna's GridSampler, as many trials as exp's search has configurations) mapped to the nearest
MLPClassifier (bench/random_search.py's mapping: activations, optimizers, learning rate, L2
penalty, batch size). It lacks the loss (always cross-entropy, so `mse` configurations train as
their cross-entropy twins) and the weight initialisation (always Glorot), so several of exp's
configurations are one MLPClassifier each. A trial trains one model per seed of the grid with
partial_fit, one epoch a step, up to the search's max_epochs, and reports the mean validation
accuracy over the seeds at each of exp's rung budgets (min_epochs x reduction_factor^k), where
the pruner (same min_epochs, reduction_factor, max_epochs) may stop it. Optuna's pruners are
asynchronous (a trial is judged against the trials that reached its rung before it), exp's
rungs synchronous.
"""
import itertools
import json
import os
import sqlite3
import sys
import time
import warnings

import numpy as np
import optuna
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

from random_search import ACTIVATIONS, best, split

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=ConvergenceWarning)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def halving_grid(name):
    """The path of the data set's successive-halving grid (as bench/halving.sh picks it)."""
    path = os.path.join(ROOT, "bench/grids", name + "_halving.json")
    return path if os.path.exists(path) else os.path.join(ROOT, "Data/grids", name + "_halving.json")


def configurations(objects):
    """Every configuration of a grid's objects (lists only), each as a dict, in the grid's order."""
    out = []
    for obj in objects:
        keys = list(obj)
        out += [dict(zip(keys, values)) for values in itertools.product(*(obj[k] for k in keys))]
    return out


def arguments(config, batch_size_default=32):
    """MLPClassifier arguments for one configuration (exp's defaults where a key is absent)."""
    optimizer = config.get("optimizer", "sgd")
    return dict(hidden_layer_sizes=tuple(config.get("hidden_layers", [3])),
                activation=ACTIVATIONS[config.get("activation", "sigmoid")],
                solver="adam" if optimizer == "adam" else "sgd", momentum=0.9 if optimizer == "momentum" else 0.0,
                nesterovs_momentum=False, learning_rate_init=config.get("learning_rate", 0.1),
                alpha=config.get("weight_decay", 0.0), batch_size=config.get("batch_size", batch_size_default),
                learning_rate="constant")


def epochs_and_count(db, sweep):
    """(epochs trained, summed over the sweep's runs; runs)."""
    con = sqlite3.connect(db)
    epochs, runs = con.execute("SELECT SUM(r.epochs_run), COUNT(*) FROM runs r JOIN sweeps s ON s.sweep_id = r.sweep_id "
                               "WHERE s.name = ?", (sweep,)).fetchone()
    con.close()
    return epochs, runs


def optuna_search(name, work, pruner_name):
    """(best mean validation, its mean test, wall seconds, CPU seconds, epochs trained, trials pruned, trials,
    the best trial's configuration)."""
    grid = json.load(open(halving_grid(name)))
    search = grid["search"]
    low, high, factor = search["min_epochs"], search["max_epochs"], search.get("reduction_factor", 3)
    rungs = set()
    budget = low
    while budget <= high:
        rungs.add(budget)
        budget *= factor
    rungs.add(high)
    configs = configurations(grid["grid"] if isinstance(grid["grid"], list) else [grid["grid"]])
    x, y, train, validation, test = split(os.path.join(work, name + ".db"))
    xs = StandardScaler().fit(x[train]).transform(x)
    classes = np.unique(y)
    tests, epochs = {}, [0]

    def objective(trial):
        config = configs[trial.suggest_categorical("configuration", list(range(len(configs))))]
        models = [MLPClassifier(random_state=seed, **arguments(config)) for seed in grid["seeds"]]
        valid = 0.0
        for epoch in range(1, high + 1):
            for model in models:
                model.partial_fit(xs[train], y[train], classes=classes)
            epochs[0] += len(models)
            if epoch in rungs:
                valid = float(np.mean([m.score(xs[validation], y[validation]) for m in models]))
                trial.report(valid, epoch)
                if trial.should_prune():
                    raise optuna.TrialPruned()
        tests[trial.number] = float(np.mean([m.score(xs[test], y[test]) for m in models]))
        return valid

    if pruner_name == "SuccessiveHalvingPruner":
        pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=low, reduction_factor=factor)
    else:
        pruner = optuna.pruners.HyperbandPruner(min_resource=low, max_resource=high, reduction_factor=factor)
    sampler = optuna.samplers.GridSampler({"configuration": list(range(len(configs)))}, seed=7)
    # A fixed name: HyperbandPruner puts a trial in a bracket by a hash of the study's name and
    # the trial's number, and an unnamed study gets a random name, so a different run each time.
    study = optuna.create_study(study_name=f"{name}_{pruner_name}", direction="maximize", sampler=sampler, pruner=pruner)
    start, cpu = time.time(), time.process_time()
    study.optimize(objective, n_trials=len(configs))
    pruned = sum(t.state == optuna.trial.TrialState.PRUNED for t in study.trials)
    return (study.best_value, tests[study.best_trial.number], time.time() - start, time.process_time() - cpu, epochs[0],
            pruned, len(configs),
            configs[study.best_trial.params["configuration"]])


def main():
    work, datasets = sys.argv[1], sys.argv[2:]
    print("| data set | search | configurations | best mean validation | its mean test | epochs trained | wall time (s) |")
    print("|---|---|---|---|---|---:|---:|")
    targets = []
    for name in datasets:
        halving = os.path.splitext(os.path.basename(halving_grid(name)))[0]
        results = {}
        for sweep in (name, halving):
            db = os.path.join(work, sweep + ".db")
            seconds = json.load(open(os.path.join(work, sweep + ".time.json")))["seconds"]
            count, valid, test, config = best(db, sweep)
            epochs, runs = epochs_and_count(db, sweep)
            results[sweep] = (valid, epochs)
            label = "exp, full grid" if sweep == name else "exp, successive halving"
            shown = count if sweep == name else f"{len(set(configurations_of(db, sweep)))} ({count} at the top rung)"
            print(f"| {name} | {label} | {shown} | {valid * 100:.2f}% | {test * 100:.2f}% | {epochs:,} | {seconds:.0f} |")
            print(f"{name} {label} best: {config}", file=sys.stderr)
        for pruner in filter(None, os.environ.get("PRUNERS", "SuccessiveHalvingPruner,HyperbandPruner").split(",")):
            valid, test, seconds, cpu, epochs, pruned, trials, config = optuna_search(name, work, pruner)
            print(f"| {name} | Optuna {pruner} + MLPClassifier | {trials} ({pruned} pruned) | {valid * 100:.2f}% | "
                  f"{test * 100:.2f}% | {epochs:,} | {seconds:.0f} ({cpu:.0f} CPU) |")
            print(f"{name} Optuna {pruner} best: {config}", file=sys.stderr)
        validation = split(os.path.join(work, name + ".db"))[3]
        gap = (results[name][0] - results[halving][0]) * 100
        tolerance = 100 / len(validation) if name == "iris" else 0.5
        share = results[halving][1] / results[name][1]
        targets.append(f"| {name} | {gap:+.2f} points (target ≤ {tolerance:.2f}): {'met' if gap <= tolerance + 1e-9 else 'not met'} "
                       f"| {share * 100:.1f}% (target ≤ 33.3%): {'met' if share <= 1 / 3 else 'not met'} |")
    print()
    print("| data set | full grid minus halving, best mean validation | halving's epochs of the full grid's |")
    print("|---|---|---|")
    print("\n".join(targets))


def configurations_of(db, sweep):
    """The configuration hashes a sweep trained (every run, pruned or not)."""
    con = sqlite3.connect(db)
    rows = [r[0] for r in con.execute("SELECT r.config_sha256 FROM runs r JOIN sweeps s ON s.sweep_id = r.sweep_id "
                                      "WHERE s.name = ?", (sweep,))]
    con.close()
    return rows


if __name__ == "__main__":
    main()
