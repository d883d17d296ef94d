"""Time the steps of one script's run in this process; print them as one JSON line.

    python bench/pieces.py binary_crossentropy [--samples N] [--test-size N]

The steps are the script's own functions, called in the order its main() calls
them; only the timing is added. Used by bench/run.py.
"""

import argparse
import contextlib
import functools
import io
import json
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("script", choices=["binary_crossentropy", "categorical_crossentropy"])
    parser.add_argument("--samples", type=int, default=1000)
    parser.add_argument("--test-size", type=int, default=250)
    args = parser.parse_args()

    import matplotlib

    matplotlib.use("agg")
    module = __import__(args.script)
    import keras

    if args.script == "categorical_crossentropy":
        num_classes = len(module.CENTERS)
        make_dataset = functools.partial(module.make_dataset, centers=module.CENTERS,
                                         cluster_std=module.CLUSTER_STD)
        make_targets = functools.partial(module.make_targets, num_classes=num_classes)
        build_model = functools.partial(module.build_model, num_classes=num_classes)
    else:
        make_dataset, make_targets = module.make_dataset, module.make_targets
        build_model = module.build_model

    times = {}
    keras.utils.set_random_seed(module.SEED)
    x, labels = make_dataset(args.samples, module.SEED)
    (x_train, labels_train), (x_test, labels_test) = module.split_dataset(x, labels,
                                                                          args.test_size)
    model = build_model(x_train, learning_rate=module.LEARNING_RATE)

    with contextlib.redirect_stdout(io.StringIO()):  # the progress bar is timed, not shown
        start = time.perf_counter()
        history = module.train_model(model, x_train, make_targets(labels_train),
                                     module.EPOCHS, module.BATCH_SIZE)
        times["fit"] = time.perf_counter() - start

        start = time.perf_counter()
        _, accuracy = module.evaluate_model(model, x_test, make_targets(labels_test),
                                            module.BATCH_SIZE)
        times["evaluate"] = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        module.plot_decision_regions(model, x_test, labels_test).savefig(Path(tmp) / "r.png")
        times["regions"] = time.perf_counter() - start

        start = time.perf_counter()
        module.plot_data(x_train, labels_train).savefig(Path(tmp) / "d.png")
        module.plot_loss(history).savefig(Path(tmp) / "l.png")
        times["other_figures"] = time.perf_counter() - start

    steps = math.ceil(math.floor(len(x_train) * (1 - module.VALIDATION_SPLIT))
                      / module.BATCH_SIZE) * module.EPOCHS
    print(json.dumps({**times, "accuracy": float(accuracy), "steps": steps}))


if __name__ == "__main__":
    main()
