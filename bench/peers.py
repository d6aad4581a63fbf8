"""The peers of bench/run.py: the same training as `exp-bench train`, in NumPy, scikit-learn
and PyTorch, one thread each. Prints one JSON object: {peer: {"times": [wall s], "cpu_times":
[CPU s of the process]} or {"error": ...}}.

    python bench/peers.py --data iris --hidden 8 --batch 16 --epochs 1000 --repeats 7 [--peers numpy,sklearn,torch]

Same work as exp: the same rows (Iris without every fifth row = 120 rows, or all 1,797 Digits
rows), standardised features (mean / population std of the training rows), a sigmoid hidden
layer, a softmax output with the cross-entropy cost averaged over the mini-batch, plain SGD
(learning rate 0.1, no momentum, no weight decay), the rows reshuffled every epoch, the last
shorter batch used, float64. exp (and the C loop, bench/c/mlp.c) additionally measure the
training loss and accuracy over all rows after every epoch; the peers do not (which favours them).
"""
import argparse
import json
import os
import sys
import time
import warnings

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def load(name):
    import numpy as np
    if name == "iris":
        rows = [line.strip().split(",") for line in open(os.path.join(ROOT, "Data", "iris.data")) if line.strip()]
        x = np.array([[float(v) for v in r[:4]] for r in rows])
        names = sorted({r[4] for r in rows})
        y = np.array([names.index(r[4]) for r in rows])
        keep = np.arange(len(y)) % 5 != 4
        x, y = x[keep], y[keep]
    else:
        data = np.loadtxt(os.path.join(ROOT, "Data", "digits.csv"), delimiter=",", skiprows=1)
        x, y = data[:, :-1], data[:, -1].astype(int)
    std = x.std(axis=0)
    std[std == 0] = 1
    return (x - x.mean(axis=0)) / std, y


def numpy_mlp(x, y, hidden, batch, epochs, lr, seed):
    """The NumPy reference: the update rule of NeuralNet.train, batch form, one row per example."""
    import numpy as np
    rng = np.random.default_rng(seed)
    n, p = x.shape
    k = int(y.max()) + 1
    sizes = [p] + hidden + [k]
    ws = [rng.standard_normal((sizes[i + 1], sizes[i])) for i in range(len(sizes) - 1)]
    bs = [rng.standard_normal(sizes[i + 1]) for i in range(len(sizes) - 1)]
    onehot = np.eye(k)[y]
    for _ in range(epochs):
        order = rng.permutation(n)
        for first in range(0, n, batch):
            idx = order[first:first + batch]
            a = [x[idx]]
            for l in range(len(ws)):
                z = a[-1] @ ws[l].T + bs[l]
                if l < len(ws) - 1:
                    a.append(1 / (1 + np.exp(-z)))
                else:
                    z = z - z.max(axis=1, keepdims=True)
                    e = np.exp(z)
                    a.append(e / e.sum(axis=1, keepdims=True))
            d = (a[-1] - onehot[idx]) / len(idx)
            for l in range(len(ws) - 1, -1, -1):
                gw = d.T @ a[l]
                gb = d.sum(axis=0)
                if l > 0:
                    d = (d @ ws[l]) * a[l] * (1 - a[l])
                ws[l] -= lr * gw
                bs[l] -= lr * gb
    return ws, bs


def sklearn_mlp(x, y, hidden, batch, epochs, lr, seed):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.neural_network import MLPClassifier
    model = MLPClassifier(hidden_layer_sizes=tuple(hidden), activation="logistic", solver="sgd",
                          learning_rate="constant", learning_rate_init=lr, momentum=0.0,
                          nesterovs_momentum=False, alpha=0.0, batch_size=batch, max_iter=epochs,
                          tol=0.0, n_iter_no_change=epochs, shuffle=True, early_stopping=False,
                          random_state=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model.fit(x, y)
    assert model.n_iter_ == epochs, model.n_iter_
    return model


def torch_mlp(x, y, hidden, batch, epochs, lr, seed, dtype="float64"):
    import torch
    torch.manual_seed(seed)
    dt = getattr(torch, dtype)
    xt = torch.tensor(x, dtype=dt)
    yt = torch.tensor(y, dtype=torch.long)
    sizes = [x.shape[1]] + hidden + [int(y.max()) + 1]
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(torch.nn.Linear(sizes[i], sizes[i + 1]).to(dt))
        if i < len(sizes) - 2:
            layers.append(torch.nn.Sigmoid())
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    n = len(yt)
    for _ in range(epochs):
        order = torch.randperm(n)
        for first in range(0, n, batch):
            idx = order[first:first + batch]
            opt.zero_grad()
            loss = loss_fn(model(xt[idx]), yt[idx])
            loss.backward()
            opt.step()
    return model


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="iris")
    ap.add_argument("--hidden", default="8")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--epochs", type=int, default=1000)
    ap.add_argument("--lr", type=float, default=0.1)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--peers", default="numpy,sklearn,torch")
    args = ap.parse_args()
    hidden = [int(h) for h in args.hidden.split(",")]
    x, y = load(args.data)
    batch = min(args.batch, len(y))
    out = {}
    for peer in args.peers.split(","):
        try:
            if peer == "numpy":
                fn = numpy_mlp
            elif peer == "sklearn":
                fn = sklearn_mlp
            elif peer in ("torch", "torch-float32"):
                import torch
                torch.set_num_threads(1)
                dtype = "float32" if peer == "torch-float32" else "float64"
                fn = lambda *a, dtype=dtype: torch_mlp(*a, dtype=dtype)
            else:
                raise ValueError("unknown peer " + peer)
            times, cpu_times = [], []
            for r in range(args.repeats + 1):   # one untimed run first
                start, cpu_start = time.perf_counter(), time.process_time()
                fn(x, y, hidden, batch, args.epochs, args.lr, r + 1)
                if r > 0:
                    times.append(time.perf_counter() - start)
                    cpu_times.append(time.process_time() - cpu_start)
            out[peer] = {"times": times, "cpu_times": cpu_times}
        except Exception as error:  # a peer that is not installed is reported, not fatal
            out[peer] = {"error": f"{type(error).__name__}: {error}"}
    json.dump(out, sys.stdout)
    print()


if __name__ == "__main__":
    main()
