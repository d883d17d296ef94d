"""The scikit-learn peer of a script's training; print its fit time as one JSON line.

    python bench/sklearn_peer.py binary_crossentropy

Same data and split as the script (its own make_dataset and split_dataset),
the same network (hidden layers 12 and 8, relu), Adam with the same learning
rate, batch size 5, 30 epochs over the same first 80% of the training points
that Keras trains on, standardised inputs: the same 3,600 Adam steps.
"""

import argparse
import json
import math
import sys
import time
import warnings
from pathlib import Path

from sklearn.exceptions import ConvergenceWarning
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("script", choices=["binary_crossentropy", "categorical_crossentropy"])
    args = parser.parse_args()
    module = __import__(args.script)

    extra = (module.CENTERS, module.CLUSTER_STD) if hasattr(module, "CENTERS") else ()
    x, labels = module.make_dataset(module.SAMPLES, module.SEED, *extra)
    (x_train, labels_train), (x_test, labels_test) = module.split_dataset(x, labels,
                                                                          module.TEST_SIZE)
    n_fit = math.floor(len(x_train) * (1 - module.VALIDATION_SPLIT))
    classifier = make_pipeline(
        StandardScaler(),
        MLPClassifier(hidden_layer_sizes=(12, 8), activation="relu", solver="adam",
                      learning_rate_init=module.LEARNING_RATE, batch_size=module.BATCH_SIZE,
                      max_iter=module.EPOCHS, alpha=0.0, tol=0.0,
                      n_iter_no_change=module.EPOCHS + 1, random_state=module.SEED),
    )
    start = time.perf_counter()
    with warnings.catch_warnings():
        # max_iter is reached on purpose: 30 epochs, as in the script.
        warnings.simplefilter("ignore", ConvergenceWarning)
        classifier.fit(x_train[:n_fit], labels_train[:n_fit])
    fit = time.perf_counter() - start
    mlp = classifier[-1]
    print(json.dumps({"fit": fit, "accuracy": classifier.score(x_test, labels_test),
                      "epochs": mlp.n_iter_, "steps": mlp.n_iter_ * math.ceil(n_fit / mlp.batch_size)}))


if __name__ == "__main__":
    main()
