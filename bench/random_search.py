"""Reads the full grid's and the random search's leaderboards written by bench/random_search.sh,
runs Optuna's RandomSampler driving scikit-learn's MLPClassifier on the same split rows, and
prints one table (docs/benchmarks.md, "Random search").

    python bench/random_search.py WORK_DIR DATASET [DATASET ...]

Environment: OPTUNA_SEEDS (how many of the grid's seeds each trial trains, default all),
OPTUNA_TRIALS (default as many as the full grid's configurations), JOBS (worker processes that
train the (trial, seed) fits, default 2).

Why the peer is slow: scikit-learn's MLPClassifier pays Python overhead on every minibatch
(about 1-2 ms per update on this machine, several times the arithmetic of a 4-8-3 network on
16 rows), and the grids train every run to its last epoch (tol=0, no early stop), so an Iris
trial is 5 seeds x up to 1000 epochs x 6 minibatches = 30,000 updates. BLAS threads are set to
1 before numpy loads (tiny matrices gain nothing from threads, and two workers on two cores
would oversubscribe them). cProfile of one Iris fit (4-8-3, batch 16): about 0.5 ms of CPU per
update, nearly half of it in _safe_indexing's data-frame checks on each minibatch, which _index
below skips for numpy arrays (same rows, same fits). All trials are drawn first (RandomSampler's draws do not depend on
results), their fits run in JOBS processes, and the results are told to the study in order, so
the outcome does not depend on JOBS.

The peer's space is the nearest MLPClassifier can express to the random grid's
(Data/grids/D_random.json): the same hidden layer lists, activations (sigmoid is "logistic"),
optimizers (sgd; momentum is sgd with momentum 0.9; adam), learning rate and L2 penalty ranges,
batch size and epochs (max_iter, no early stopping by tolerance). It lacks the loss (always
cross-entropy), the weight initialisation (always Glorot), early_stopping_patience (it cannot
watch our validation rows) and exp's weight-decay form (alpha is added to the mean loss's
gradient as alpha * W / n_rows, not as exp's weight_decay). Each trial is scored as exp scores a
configuration: the mean validation accuracy over the grid's five seeds, and the best trial's mean
test accuracy is reported beside it.
"""
import os

for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"

import csv
import io
import json
import multiprocessing
import sqlite3
import sys
import time
import warnings

import numpy as np
import optuna
from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.neural_network import _multilayer_perceptron
from sklearn.preprocessing import StandardScaler

optuna.logging.set_verbosity(optuna.logging.WARNING)
warnings.filterwarnings("ignore", category=ConvergenceWarning)

_safe_indexing = _multilayer_perceptron._safe_indexing


def _index(x, rows, *rest, **options):
    """MLPClassifier's per-minibatch _safe_indexing, which checks for data frames (narwhals,
    inspect.getattr_static) on every minibatch: plain numpy indexing for numpy arrays, the same rows
    in the same order, so the fits are unchanged."""
    if isinstance(x, np.ndarray) and not rest and not options:
        return x[rows]
    return _safe_indexing(x, rows, *rest, **options)


_multilayer_perceptron._safe_indexing = _index

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ACTIVATIONS = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}


def best(db, sweep):
    """(configurations, best mean validation accuracy, its mean test accuracy, its config)."""
    con = sqlite3.connect(db)
    rows = con.execute("SELECT validation_accuracy_mean, test_accuracy_mean, config FROM leaderboard WHERE sweep = ? "
                       "AND finished_runs > 0", (sweep,)).fetchall()
    con.close()
    return len(rows), rows[0][0], rows[0][1], rows[0][2]


def split(db):
    """Features and labels of the stored data set, and its holdout split's row indices."""
    con = sqlite3.connect(db)
    content, = con.execute("SELECT content FROM datasets").fetchone()
    train, validation, test = (json.loads(x) for x in con.execute(
        "SELECT train_rows, validation_rows, test_rows FROM splits WHERE fold = 0").fetchone())
    con.close()
    rows = list(csv.reader(io.StringIO(content)))[1:]
    x = np.array([[float(v) for v in r[:-1]] for r in rows])
    labels = sorted(set(r[-1] for r in rows))
    y = np.array([labels.index(r[-1]) for r in rows])
    return x, y, np.array(train), np.array(validation), np.array(test)


def draw(trial, objects):
    """One configuration from the random grid's objects, as MLPClassifier arguments."""
    obj = objects[trial.suggest_int("object", 0, len(objects) - 1)] if len(objects) > 1 else objects[0]
    prefix = f"o{objects.index(obj)}_"

    def choose(key, default):
        value = obj.get(key, [default])
        if isinstance(value, list):
            if len(value) == 1:
                return value[0]
            return value[trial.suggest_categorical(prefix + key, list(range(len(value))))]
        (kind, (low, high)), = value.items()
        if kind == "log_uniform":
            return trial.suggest_float(prefix + key, low, high, log=True)
        if kind == "uniform":
            return trial.suggest_float(prefix + key, low, high)
        return trial.suggest_int(prefix + key, low, high, log=kind == "log_int_uniform")

    layers = obj.get("hidden_layers", [[3]])
    if isinstance(layers, dict):
        depth = trial.suggest_int(prefix + "depth", *layers["depth"]["int_uniform"])
        (kind, (low, high)), = layers["width"].items()
        hidden = tuple(trial.suggest_int(f"{prefix}width{i}", low, high, log=kind.startswith("log")) for i in range(depth))
    else:
        hidden = tuple(layers[trial.suggest_categorical(prefix + "hidden_layers", list(range(len(layers))))]) \
            if len(layers) > 1 else tuple(layers[0])
    optimizer = choose("optimizer", "sgd")
    return dict(hidden_layer_sizes=hidden, activation=ACTIVATIONS[choose("activation", "sigmoid")],
                solver="adam" if optimizer == "adam" else "sgd", momentum=0.9 if optimizer == "momentum" else 0.0,
                nesterovs_momentum=False, learning_rate_init=choose("learning_rate", 0.1), alpha=choose("weight_decay", 0.0),
                batch_size=choose("batch_size", 32), max_iter=choose("epochs", 3000), tol=0.0, n_iter_no_change=10 ** 9,
                learning_rate="constant")


def fit(job):
    """Trains one (trial, seed) fit; returns its validation and test accuracy and CPU seconds."""
    arguments, seed = job
    start = time.process_time()
    model = MLPClassifier(random_state=seed, **arguments).fit(DATA["xs"][DATA["train"]], DATA["y"][DATA["train"]])
    valid = model.score(DATA["xs"][DATA["validation"]], DATA["y"][DATA["validation"]])
    tested = model.score(DATA["xs"][DATA["test"]], DATA["y"][DATA["test"]])
    return valid, tested, time.process_time() - start


DATA = {}


def optuna_search(name, work, trials, seeds, jobs):
    """(best mean validation, its mean test, wall seconds, CPU seconds of the fits, best params)."""
    x, y, train, validation, test = split(os.path.join(work, name + ".db"))
    scaler = StandardScaler().fit(x[train])
    DATA.update(xs=scaler.transform(x), y=y, train=train, validation=validation, test=test)
    objects = json.load(open(os.path.join(ROOT, "Data/grids", name + "_random.json")))["grid"]
    objects = objects if isinstance(objects, list) else [objects]
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(seed=7))
    start = time.time()
    drawn = [study.ask() for _ in range(trials)]
    arguments = [draw(trial, objects) for trial in drawn]
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        results = pool.map(fit, [(a, seed) for a in arguments for seed in seeds], chunksize=1)
    tests, cpu = {}, 0.0
    for i, trial in enumerate(drawn):
        mine = results[i * len(seeds):(i + 1) * len(seeds)]
        cpu += sum(r[2] for r in mine)
        tests[trial.number] = float(np.mean([r[1] for r in mine]))
        study.tell(trial, float(np.mean([r[0] for r in mine])))
    return study.best_value, tests[study.best_trial.number], time.time() - start, cpu, study.best_trial.params


def main():
    work, datasets = sys.argv[1], sys.argv[2:]
    print("| data set | search | configurations | best mean validation | its mean test | wall time (s) |")
    print("|---|---|---|---|---|---|")
    for name in datasets:
        results = {}
        for grid in (name, name + "_random"):
            seconds = json.load(open(os.path.join(work, grid + ".time.json")))["seconds"]
            count, valid, test, config = best(os.path.join(work, grid + ".db"), grid)
            results[grid] = (valid, test)
            label = "exp, full grid" if grid == name else "exp, random search"
            print(f"| {name} | {label} | {count} | {valid * 100:.2f}% | {test * 100:.2f}% | {seconds:.0f} |")
            print(f"|  | best: `{config}` | | | | |", file=sys.stderr)
        count, _, _, _ = best(os.path.join(work, name + ".db"), name)
        seeds = json.load(open(os.path.join(ROOT, "Data/grids", name + "_random.json")))["seeds"]
        seeds = seeds[:int(os.environ.get("OPTUNA_SEEDS", len(seeds)))]
        trials = int(os.environ.get("OPTUNA_TRIALS", count))
        jobs = int(os.environ.get("JOBS", 2))
        valid, test, seconds, cpu, params = optuna_search(name, work, trials, seeds, jobs)
        print(f"| {name} | Optuna RandomSampler + MLPClassifier, {trials} trials x seeds {seeds} | {trials} | "
              f"{valid * 100:.2f}% | {test * 100:.2f}% | {seconds:.0f} (fits' CPU {cpu:.0f}) |")
        print(f"|  | Optuna best: {params} | | | | |", file=sys.stderr)
        gap = (results[name][0] - results[name + "_random"][0]) * 100
        print(f"|  | grid minus random (validation points) | | {gap:+.2f} | | |")


if __name__ == "__main__":
    main()
