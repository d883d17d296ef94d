"""
Title: The crossentropy losses, by hand
Description: NumPy versions of Keras's crossentropy and hinge losses, written
from their formulas, checked against Keras, and drawn.

Runnable companion to the first half of the post "How to use binary &
categorical crossentropy with Keras?" (2019): its formulas, its worked example
and its two pictures. Run `python losses_explained.py --help` for the flags.
"""

# %% Configuration
import argparse
import os
import sys
from pathlib import Path

# Beside this file; in a notebook, which has no __file__, beside the notebook.
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()

OUT_DIR = HERE / "figures"  # --out-dir: where the PNGs go
# The post's worked example: class 2 of three, predicted with probability 0.95.
TARGET = [0, 0, 1]
PREDICTION = [0, 0.05, 0.95]
# The worked example and two more predictions for the same target, to compare.
EXAMPLES = [
    ("worked example", PREDICTION),
    ("confident and wrong", [0.9, 0.09, 0.01]),
    ("near-perfect", [0, 0.0001, 0.9999]),
]

SCRIPT = "losses_explained"  # names the error messages


# %% Command line
def fail(message):
    """Bad input ends the run with one line on stderr and exit status 2."""
    print(f"{SCRIPT}.py: error: {message}", file=sys.stderr)
    raise SystemExit(2)


class OneLineParser(argparse.ArgumentParser):
    """argparse prints usage before an error; one line says enough."""

    def error(self, message):
        fail(message)


def parse_args(argv=None):
    parser = OneLineParser(
        description="Compute the post's loss examples by hand and with Keras; draw them.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR,
                        help="folder for the PNG figures")
    parser.add_argument("--no-show", action="store_true",
                        help="only save the figures, never open windows")
    args = parser.parse_args(argv)
    check_out_dir(args.out_dir)
    return args


def check_out_dir(out_dir):
    """Fail now, without creating anything, if the figures could not be saved there."""
    existing = out_dir.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        fail(f"argument --out-dir: {str(existing)!r} is a file, not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        fail(f"argument --out-dir: {str(existing)!r} is not writable")


if __name__ == "__main__" and "ipykernel" not in sys.modules:
    # Check the flags before the slow imports below: TensorFlow takes seconds
    # to load and logs its start-up, so bad input is answered at once, in one line.
    parse_args()


# %% Imports
import keras  # noqa: E402 (after the flag check, on purpose)
import matplotlib  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.backends import BackendFilter, backend_registry  # noqa: E402


# %% The losses, from their formulas
# Keras clips probabilities to [epsilon, 1 - epsilon], so that log(0) never
# happens, and computes in the prediction's float type: float64 stays float64,
# lists and integers become its default float32. Doing the same here is what
# makes our numbers equal to Keras's, also at p = 0 and p = 1, where the clipping
# decides the value, and near p = 1, where float32 keeps few digits of ln(p).
def as_floats(values, like=None):
    """`values` as an array of the float type Keras would compute in."""
    if like is not None:
        return np.asarray(values, dtype=like.dtype)
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.floating):
        return values
    return np.asarray(values, dtype=keras.config.floatx())


def clip(p):
    return np.clip(p, keras.backend.epsilon(), 1 - keras.backend.epsilon())


def binary_crossentropy(t, p):
    """Per-sample binary crossentropy; t (0 or 1) and p have shape (batch, outputs).

    loss = mean over outputs of  -[t * ln(p) + (1 - t) * ln(1 - p)],
    with p clipped to [epsilon, 1 - epsilon].
    """
    p = as_floats(p)
    t, p = as_floats(t, like=p), clip(p)
    return -(t * np.log(p) + (1 - t) * np.log(1 - p)).mean(axis=-1)


def categorical_crossentropy(t, p):
    """Per-sample categorical crossentropy; t one-hot, p probabilities, shape (batch, classes).

    loss = -sum over classes c of  t_c * ln(p_c),
    after p is divided by its sum (so it is a distribution) and clipped to
    [epsilon, 1 - epsilon]. Only the true class's term is not zero: loss = -ln(p_true).
    """
    p = as_floats(p)
    t, p = as_floats(t, like=p), clip(p / p.sum(axis=-1, keepdims=True))
    return -(t * np.log(p)).sum(axis=-1)


def sparse_categorical_crossentropy(labels, p):
    """Per-sample crossentropy with integer labels, shape (batch,), instead of one-hot targets.

    loss = -ln(q_label / sum over classes of q),  q = p clipped to [epsilon, 1 - epsilon].
    Keras takes ln(q) as the logits of a softmax, which is where the division comes from.
    """
    q = clip(as_floats(p))
    labels = np.asarray(labels).reshape(len(q)).astype(int)
    q_label = np.take_along_axis(q, labels[:, None], axis=-1)[:, 0]
    return -np.log(q_label / q.sum(axis=-1))


def hinge_targets(t, y):
    """Keras's hinge losses turn a batch of 0/1 labels into -1/+1; other labels stay."""
    t = as_floats(t, like=y)
    return 2 * t - 1 if np.isin(t, (0, 1)).all() else t


def hinge(t, y):
    """Per-sample hinge loss; t in {-1, +1} (or 0/1), y the raw output, shape (batch, outputs).

    loss = mean over outputs of  max(0, 1 - t * y).
    """
    y = as_floats(y)
    return np.maximum(1 - hinge_targets(t, y) * y, 0).mean(axis=-1)


def squared_hinge(t, y):
    """Per-sample squared hinge loss: mean over outputs of  max(0, 1 - t * y) ** 2."""
    y = as_floats(y)
    return (np.maximum(1 - hinge_targets(t, y) * y, 0) ** 2).mean(axis=-1)


def categorical_hinge(t, y):
    """Per-sample multiclass hinge loss; t one-hot, y one raw output per class.

    loss = max(0, 1 + max over wrong classes of y_c - y_true):
    zero once the true class's output beats every other by a margin of 1.
    """
    y = as_floats(y)
    t = as_floats(t, like=y)
    positive = (t * y).sum(axis=-1)
    negative = ((1 - t) * y).max(axis=-1)
    return np.maximum(negative - positive + 1, 0)


# %% Worked examples
def compare_with_keras():
    """Each example's loss, ours and Keras's, three ways: one-hot, sparse, binary.

    The binary view asks the sigmoid question "is it the true class?", with the
    predicted probability of the true class as p.
    """
    rows = []
    for name, prediction in EXAMPLES:
        t, p = np.array([TARGET]), np.array([prediction])
        label = np.argmax(t, axis=-1)
        t_bin, p_bin = np.ones((1, 1)), p[:, label]
        rows += [
            (name, "categorical", categorical_crossentropy(t, p)[0],
             keras.losses.categorical_crossentropy(t, p)),
            (name, "sparse categorical", sparse_categorical_crossentropy(label, p)[0],
             keras.losses.sparse_categorical_crossentropy(label, p)),
            (name, "binary", binary_crossentropy(t_bin, p_bin)[0],
             keras.losses.binary_crossentropy(t_bin, p_bin)),
        ]
    return [(name, loss, float(ours), float(np.asarray(theirs)[0]))
            for name, loss, ours, theirs in rows]


def print_table(rows):
    print(f"target {TARGET}: " + ", ".join(f"{name} {p}" for name, p in EXAMPLES))
    print(f"by hand, the worked example: -ln(0.95) = {-np.log(0.95):.6f}")
    print(f"{'example':<22}{'crossentropy':<21}{'ours':>12}{'Keras':>12}")
    for name, loss, ours, theirs in rows:
        print(f"{name:<22}{loss:<21}{ours:>12.6g}{theirs:>12.6g}")


# %% Figures
def plot_binary_crossentropy_curves():
    p = np.linspace(0.001, 0.999, 999)[:, None]
    fig, ax = plt.subplots()
    for target in (0, 1):
        ax.plot(p, binary_crossentropy(np.full_like(p, target), p), label=f"target t = {target}")
    ax.set(title="Binary crossentropy of one sample", xlabel="prediction p",
           ylabel="loss", ylim=(0, 7))
    ax.legend(loc="upper center")
    return fig


def plot_crossentropy_vs_hinge():
    # One sample of the positive class; y is the network's raw output (before
    # any activation). Hinge reads y directly, with the target as +1;
    # crossentropy reads the probability sigmoid(y).
    y = np.linspace(-3, 3, 601)[:, None]
    t = np.ones_like(y)
    fig, ax = plt.subplots()
    ax.plot(y, binary_crossentropy(t, 1 / (1 + np.exp(-y))),
            label="binary crossentropy of p = sigmoid(y)")
    ax.plot(y, hinge(t, y), label="hinge: max(0, 1 - y)")
    ax.plot(y, squared_hinge(t, y), label="squared hinge: max(0, 1 - y)²")
    ax.axvline(0, color="grey", lw=0.8, ls=":")
    ax.set(title="Loss of a positive sample (target +1, or 1)",
           xlabel="raw output y of the last layer", ylabel="loss", ylim=(0, 5))
    ax.legend()
    return fig


def plot_categorical_example():
    loss = categorical_crossentropy([TARGET], [PREDICTION])[0]
    classes = np.arange(len(TARGET))
    true_class = int(np.argmax(TARGET))
    colors = ["C1" if c == true_class else "C0" for c in classes]
    fig, (ax_t, ax_p) = plt.subplots(1, 2, sharey=True, layout="constrained")
    for ax, values, title in ((ax_t, TARGET, "target t (one-hot)"),
                              (ax_p, PREDICTION, "prediction p (softmax)")):
        bars = ax.bar(classes, values, color=colors)
        ax.bar_label(bars, labels=[f"{v:g}" for v in values])
        ax.set(title=title, xlabel="class", xticks=classes, ylim=(0, 1.15))
    ax_t.set(ylabel="probability")
    fig.suptitle(f"Categorical crossentropy = -ln({PREDICTION[true_class]}) = {loss:.4f}")
    return fig


def save_figures(figures, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fig in figures.items():
        path = out_dir / f"{name}.png"
        fig.savefig(path)
        paths.append(path)
        print(f"Saved {path}")
    return paths


# %% Run everything
def main(argv=None):
    args = parse_args(argv)
    show = not args.no_show and plt.get_backend().lower() not in backend_registry.list_builtin(
        BackendFilter.NON_INTERACTIVE
    )
    if not show:
        matplotlib.use("agg")  # draw to files only, without loading a GUI toolkit

    rows = compare_with_keras()
    print_table(rows)
    figures = {
        "binary_crossentropy_curves": plot_binary_crossentropy_curves(),
        "crossentropy_vs_hinge": plot_crossentropy_vs_hinge(),
        "categorical_crossentropy_example": plot_categorical_example(),
    }
    paths = save_figures(figures, args.out_dir)
    if show:
        plt.show()
    plt.close("all")
    return {"rows": rows, "figures": paths}


if __name__ == "__main__":
    # Inside Jupyter, sys.argv holds the kernel's own flags: use the defaults there.
    main([] if "ipykernel" in sys.modules else None)
