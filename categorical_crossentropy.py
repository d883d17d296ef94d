"""
Title: Categorical crossentropy with Keras
Description: Train a small network with a softmax output and categorical
crossentropy to sort the points of four clusters into their clusters.

Runnable companion to the post "How to use binary & categorical crossentropy
with Keras?" (2019). Run `python categorical_crossentropy.py --help` for the flags;
each one overrides a constant of the configuration block below.
"""

# %% Configuration
import argparse
import math
import os
import sys
from pathlib import Path

# Beside this file; in a notebook, which has no __file__, beside the notebook.
HERE = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()

# The post's experiment. Edit a constant, or pass the flag named beside it.
SAMPLES = 1000  # --samples: points drawn in total
TEST_SIZE = 250  # --test-size: the first points are held out for the final test
EPOCHS = 30  # --epochs: passes over the training data
BATCH_SIZE = 5  # --batch-size: samples per Adam step; small batches, many steps
LEARNING_RATE = 0.001  # --learning-rate: Adam's step size
SEED = 42  # --seed: one seed for the data and for Keras, so a run repeats exactly
OUT_DIR = HERE / "figures"  # --out-dir: where the PNGs go
CENTERS = [(15, 0), (15, 15), (0, 15), (30, 15)]  # --centers: one class per center
CLUSTER_STD = 1.5  # --cluster-std: spread of each cluster; larger ones overlap
LOSS = "categorical_crossentropy"
VALIDATION_SPLIT = 0.2  # Keras holds back the last 20% of the training data
# How the work is run; the learning is the same whatever these are.
STEPS_PER_EXECUTION = 32  # batches per call into the backend: less Python overhead

SCRIPT = "categorical_crossentropy"  # names the figures and the error messages


# %% Command line
def fail(message):
    """Bad input ends the run with one line on stderr and exit status 2."""
    print(f"{SCRIPT}.py: error: {message}", file=sys.stderr)
    raise SystemExit(2)


class OneLineParser(argparse.ArgumentParser):
    """argparse prints usage before an error; one line says enough."""

    def error(self, message):
        fail(message)


def positive(cast):
    """An argparse type: `cast` the text, then insist the value is finite and > 0."""

    def convert(text):
        try:
            value = cast(text)
        except ValueError:
            kind = "an integer" if cast is int else "a number"
            raise argparse.ArgumentTypeError(f"expected {kind}, got {text!r}") from None
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(f"must be greater than 0, got {text!r}")
        return value

    return convert


def seed(text):
    """An argparse type: NumPy accepts seeds from 0 to 2**32 - 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer, got {text!r}") from None
    if not 0 <= value < 2**32:
        raise argparse.ArgumentTypeError(f"must be between 0 and 2**32 - 1, got {text!r}")
    return value


def center(text):
    """An argparse type: a cluster center written as x,y."""
    try:
        x, y = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a center as x,y, got {text!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise argparse.ArgumentTypeError(f"expected finite coordinates, got {text!r}")
    return x, y


def parse_args(argv=None):
    parser = OneLineParser(
        description="Train a softmax network with categorical crossentropy on clusters.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    parser.add_argument("--samples", type=positive(int), default=SAMPLES,
                        help="points in the whole data set")
    parser.add_argument("--test-size", type=positive(int), default=TEST_SIZE,
                        help="first points kept apart as the test set")
    parser.add_argument("--epochs", type=positive(int), default=EPOCHS,
                        help="passes over the training data")
    parser.add_argument("--batch-size", type=positive(int), default=BATCH_SIZE,
                        help="samples per gradient step")
    parser.add_argument("--learning-rate", type=positive(float), default=LEARNING_RATE,
                        help="Adam learning rate")
    parser.add_argument("--seed", type=seed, default=SEED,
                        help="seed for the data and for Keras")
    parser.add_argument("--out-dir", type=Path, default=OUT_DIR,
                        help="folder for the PNG figures")
    parser.add_argument("--centers", type=center, nargs="+", metavar="X,Y",
                        default=CENTERS, help="cluster centers, one class each")
    parser.add_argument("--cluster-std", type=positive(float), default=CLUSTER_STD,
                        help="standard deviation of each cluster")
    parser.add_argument("--no-show", action="store_true",
                        help="only save the figures, never open windows")
    args = parser.parse_args(argv)

    if len(args.centers) < 2:
        fail(f"argument --centers: needs at least 2 centers, got {len(args.centers)}")
    if args.test_size >= args.samples:
        fail(f"argument --test-size: must be smaller than --samples ({args.samples}), "
             f"got {args.test_size}")
    n_train = args.samples - args.test_size
    if not 0 < math.floor(n_train * (1 - VALIDATION_SPLIT)) < n_train:  # as Keras splits
        fail(f"argument --test-size: leaves {n_train} training point(s), too few to "
             f"split off a validation set")
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
from mlxtend import plotting as mlxtend_plotting  # noqa: E402
from sklearn.datasets import make_blobs  # noqa: E402


# %% Data
def make_dataset(samples, seed, centers, cluster_std):
    """Gaussian clusters of 2-D points; a point's label is the index of its center."""
    return make_blobs(n_samples=samples, centers=np.array(centers, dtype=float),
                      cluster_std=cluster_std, random_state=seed)


def split_dataset(x, labels, test_size):
    """Hold out the first `test_size` points; make_blobs has already shuffled them."""
    return (x[test_size:], labels[test_size:]), (x[:test_size], labels[:test_size])


def check_test_set(labels_test, num_classes):
    """mlxtend can only colour regions of classes that appear among the test points."""
    missing = sorted(set(range(num_classes)) - set(labels_test.tolist()))
    if missing:
        fail(f"argument --test-size: the {len(labels_test)} test points hold no point "
             f"of class {missing}; use a larger --test-size")


def make_targets(labels, num_classes):
    """Categorical crossentropy compares a probability per class with a one-hot target."""
    return keras.utils.to_categorical(labels, num_classes)


# %% Model
def build_model(x_train, num_classes, learning_rate):
    # Standardising the inputs inside the model (mean 0, variance 1, learned from
    # the training data only) makes training robust to the data's scale and
    # offset, while every plot keeps the data's own coordinates.
    normalizer = keras.layers.Normalization()
    normalizer.adapt(x_train)
    model = keras.Sequential(
        [
            keras.Input(shape=(x_train.shape[1],)),
            normalizer,
            keras.layers.Dense(12, activation="relu", kernel_initializer="he_uniform"),
            keras.layers.Dense(8, activation="relu", kernel_initializer="he_uniform"),
            # One unit per class; softmax turns them into probabilities summing to 1.
            keras.layers.Dense(num_classes, activation="softmax"),
        ]
    )
    model.compile(
        loss=LOSS,
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        metrics=["accuracy"],
        steps_per_execution=STEPS_PER_EXECUTION,
    )
    return model


def predict_probabilities(model, x):
    # One call on all of x (a whole plotting grid fits in memory): Keras advises
    # model(x) over model.predict for data that fits in one batch; no progress bar.
    return keras.ops.convert_to_numpy(model(x))


def predict_labels(model, x):
    """Class labels: the index of the most probable class."""
    return predict_probabilities(model, x).argmax(axis=1)


# %% Training
def train_model(model, x_train, targets_train, epochs, batch_size):
    return model.fit(
        x_train,
        targets_train,
        epochs=epochs,
        batch_size=batch_size,
        validation_split=VALIDATION_SPLIT,
        verbose=1,
    )


# %% Evaluation
def evaluate_model(model, x_test, targets_test, batch_size):
    # Batches of the validation's size let Keras reuse the function it compiled
    # for validation; the result is the same for any batch size.
    loss, accuracy = model.evaluate(x_test, targets_test, batch_size=batch_size, verbose=0)
    print(f"Test results - Loss: {loss:.4g} - Accuracy: {accuracy:.2%}")
    return loss, accuracy


# %% Figures
def plot_data(x, labels):
    fig, ax = plt.subplots(layout="constrained")
    for label in np.unique(labels):
        ax.scatter(*x[labels == label].T, s=12, label=f"class {label}")
    ax.set(title=f"Training data ({len(x)} points)", xlabel="x1", ylabel="x2", aspect="equal")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1))  # beside the data, not on it
    return fig


class LabelClassifier:
    """What mlxtend expects of a classifier: `predict` returning integer labels."""

    def __init__(self, model):
        self.model = model

    def predict(self, x):
        return predict_labels(self.model, x)


def plot_decision_regions(model, x_test, labels_test):
    # mlxtend colours every grid point by the label `predict` returns: one point
    # per pixel of the current figure, so `fig` must be the current figure.
    fig, ax = plt.subplots()
    # Filled markers only: mlxtend's default "x" draws a warning with its black edges.
    mlxtend_plotting.plot_decision_regions(x_test, labels_test, clf=LabelClassifier(model),
                                           ax=ax, legend=3, markers="s^ovD<>p")
    ax.set(title=f"Decision regions on the test set ({len(x_test)} points)",
           xlabel="x1", ylabel="x2")
    return fig


def plot_loss(history):
    epochs = np.arange(1, len(history.history["loss"]) + 1)
    fig, ax = plt.subplots()
    ax.plot(epochs, history.history["loss"], label="training")
    ax.plot(epochs, history.history["val_loss"], label="validation")
    ax.set(title=f"{LOSS} per epoch", xlabel="epoch", ylabel=f"{LOSS} (log scale)",
           yscale="log")
    ax.yaxis.set_major_formatter("{x:g}")  # 0.001 rather than 10^-3
    ax.legend()
    return fig


def save_figures(figures, out_dir):
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, fig in figures.items():
        path = out_dir / f"{SCRIPT}_{name}.png"
        fig.savefig(path)
        paths.append(path)
        print(f"Saved {path}")
    return paths


# %% Run everything
def main(argv=None):
    args = parse_args(argv)
    num_classes = len(args.centers)
    x, labels = make_dataset(args.samples, args.seed, args.centers, args.cluster_std)
    (x_train, labels_train), (x_test, labels_test) = split_dataset(x, labels, args.test_size)
    check_test_set(labels_test, num_classes)

    show = not args.no_show and plt.get_backend().lower() not in backend_registry.list_builtin(
        BackendFilter.NON_INTERACTIVE
    )
    if not show:
        matplotlib.use("agg")  # draw to files only, without loading a GUI toolkit
    keras.utils.set_random_seed(args.seed)

    targets_train = make_targets(labels_train, num_classes)
    targets_test = make_targets(labels_test, num_classes)
    model = build_model(x_train, num_classes, args.learning_rate)
    history = train_model(model, x_train, targets_train, args.epochs, args.batch_size)
    test_loss, test_accuracy = evaluate_model(model, x_test, targets_test, args.batch_size)

    figures = {
        "data": plot_data(x_train, labels_train),
        "decision_regions": plot_decision_regions(model, x_test, labels_test),
        "loss": plot_loss(history),
    }
    paths = save_figures(figures, args.out_dir)
    if show:
        plt.show()
    plt.close("all")
    return {"history": history.history, "test_loss": test_loss,
            "test_accuracy": test_accuracy, "figures": paths}


if __name__ == "__main__":
    # Inside Jupyter, sys.argv holds the kernel's own flags: use the defaults there.
    main([] if "ipykernel" in sys.modules else None)
