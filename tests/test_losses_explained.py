import math

import keras
import numpy as np
import pytest
from sklearn.metrics import log_loss

import losses_explained as script

RTOL = 1e-6
FIGURES = ["binary_crossentropy_curves", "crossentropy_vs_hinge",
           "categorical_crossentropy_example"]


def random_probabilities(rng, shape):
    p = rng.uniform(0.01, 1, size=shape)
    return p / p.sum(axis=-1, keepdims=True) if shape[-1] > 1 else p


def one_hot(labels, num_classes):
    return np.eye(num_classes)[labels]


def with_edges(p):
    """Put exact zeros and ones in the predictions, where Keras's clipping decides."""
    p = p.copy()
    p[0, :] = 0.0
    p[1, :] = 1.0
    p[2, 0] = 1.0
    p[2, 1:] = 0.0
    return p


def assert_same_as_keras(ours, function, loss_class, t, p):
    """Per sample against the keras.losses function; batch value against the Loss class.

    The class computes in float32, so it gets float32 inputs, and so do we.
    """
    np.testing.assert_allclose(ours(t, p), function(t, p), rtol=RTOL, atol=0)
    t32, p32 = t.astype("float32"), p.astype("float32")
    assert float(np.mean(ours(t32, p32))) == pytest.approx(float(loss_class()(t32, p32)), rel=RTOL)


# %% Binary crossentropy
@pytest.mark.parametrize("outputs", [1, 3])
@pytest.mark.parametrize("edges", [False, True])
def test_binary_crossentropy_equals_keras(outputs, edges):
    rng = np.random.default_rng(0)
    t = rng.integers(0, 2, size=(64, outputs)).astype(float)
    p = rng.uniform(0, 1, size=(64, outputs))
    p = with_edges(p) if edges else p
    assert_same_as_keras(script.binary_crossentropy, keras.losses.binary_crossentropy,
                         keras.losses.BinaryCrossentropy, t, p)


def test_binary_crossentropy_equals_sklearn_log_loss():
    rng = np.random.default_rng(1)
    t = rng.integers(0, 2, size=(200, 1))
    p = random_probabilities(rng, (200, 1))
    ours = script.binary_crossentropy(t, p).mean()
    assert ours == pytest.approx(log_loss(t[:, 0], p[:, 0]), rel=RTOL)


def test_binary_crossentropy_is_minus_log_of_the_right_probability():
    t = np.array([[1.0], [0.0]])
    p = np.array([[0.8], [0.3]])
    np.testing.assert_allclose(script.binary_crossentropy(t, p), [-math.log(0.8), -math.log(0.7)])


# %% Categorical crossentropy
@pytest.mark.parametrize("edges", [False, True])
def test_categorical_crossentropy_equals_keras(edges):
    rng = np.random.default_rng(2)
    t = one_hot(rng.integers(0, 4, size=64), 4)
    p = random_probabilities(rng, (64, 4))
    p = with_edges(p) if edges else p
    p[0, :] = 0.25 if edges else p[0, :]  # a row of zeros would divide 0 by 0, in Keras too
    assert_same_as_keras(script.categorical_crossentropy, keras.losses.categorical_crossentropy,
                         keras.losses.CategoricalCrossentropy, t, p)


def test_categorical_crossentropy_normalises_predictions_like_keras():
    t = one_hot(np.array([0, 2]), 3)
    scores = np.array([[2.0, 1.0, 1.0], [0.5, 0.5, 3.0]])  # not summing to 1
    np.testing.assert_allclose(script.categorical_crossentropy(t, scores),
                               keras.losses.categorical_crossentropy(t, scores), rtol=RTOL)
    np.testing.assert_allclose(script.categorical_crossentropy(t, scores),
                               [-math.log(0.5), -math.log(0.75)], rtol=RTOL)


def test_categorical_crossentropy_equals_sklearn_log_loss():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 5, size=300)
    p = random_probabilities(rng, (300, 5))
    ours = script.categorical_crossentropy(one_hot(labels, 5), p).mean()
    assert ours == pytest.approx(log_loss(labels, p, labels=range(5)), rel=RTOL)


def test_worked_example_is_minus_log_of_095():
    loss = script.categorical_crossentropy([[0, 0, 1]], [[0, 0.05, 0.95]])[0]
    assert loss == pytest.approx(-math.log(0.95), rel=1e-6)
    assert round(float(loss), 4) == 0.0513


# %% Sparse categorical crossentropy
@pytest.mark.parametrize("edges", [False, True])
@pytest.mark.parametrize("label_shape", [(64,), (64, 1)])
def test_sparse_categorical_crossentropy_equals_keras(edges, label_shape):
    rng = np.random.default_rng(4)
    labels = rng.integers(0, 4, size=label_shape)
    p = random_probabilities(rng, (64, 4))
    p = with_edges(p) if edges else p
    assert_same_as_keras(script.sparse_categorical_crossentropy,
                         keras.losses.sparse_categorical_crossentropy,
                         keras.losses.SparseCategoricalCrossentropy, labels, p)


def test_sparse_and_one_hot_agree_away_from_the_edges():
    rng = np.random.default_rng(5)
    labels = rng.integers(0, 3, size=50)
    p = random_probabilities(rng, (50, 3))
    np.testing.assert_allclose(script.sparse_categorical_crossentropy(labels, p),
                               script.categorical_crossentropy(one_hot(labels, 3), p), rtol=1e-5)


# %% Hinge losses
HINGE_LOSSES = [
    (script.hinge, keras.losses.hinge, keras.losses.Hinge),
    (script.squared_hinge, keras.losses.squared_hinge, keras.losses.SquaredHinge),
]


@pytest.mark.parametrize("ours, function, loss_class", HINGE_LOSSES)
@pytest.mark.parametrize("labels", [(0, 1), (-1, 1)])
def test_hinge_losses_equal_keras(ours, function, loss_class, labels):
    rng = np.random.default_rng(6)
    t = rng.choice(labels, size=(64, 2)).astype(float)
    y = rng.normal(0, 2, size=(64, 2))
    assert_same_as_keras(ours, function, loss_class, t, y)


def test_hinge_turns_zero_one_labels_into_minus_one_plus_one():
    y = np.array([[0.5], [0.5]])
    np.testing.assert_allclose(script.hinge([[0.0], [1.0]], y), [1.5, 0.5])
    np.testing.assert_allclose(script.hinge([[-1.0], [1.0]], y), [1.5, 0.5])
    np.testing.assert_allclose(script.squared_hinge([[0.0], [1.0]], y), [2.25, 0.25])


def test_categorical_hinge_equals_keras():
    rng = np.random.default_rng(7)
    t = one_hot(rng.integers(0, 4, size=64), 4)
    y = rng.normal(0, 2, size=(64, 4))
    assert_same_as_keras(script.categorical_hinge, keras.losses.categorical_hinge,
                         keras.losses.CategoricalHinge, t, y)


def test_categorical_hinge_is_zero_beyond_the_margin():
    t = one_hot(np.array([1, 1]), 3)
    y = np.array([[0.0, 1.5, 0.4], [0.0, 1.0, 0.5]])
    np.testing.assert_allclose(script.categorical_hinge(t, y), [0.0, 0.5])


# %% The script
def test_compare_with_keras_rows_match():
    rows = script.compare_with_keras()
    assert len(rows) == 9
    for name, loss, ours, theirs in rows:
        assert ours == pytest.approx(theirs, rel=RTOL), (name, loss)
    worked = {loss: ours for name, loss, ours, _ in rows if name == "worked example"}
    assert worked["categorical"] == pytest.approx(0.0513, abs=5e-5)
    wrong = {loss: ours for name, loss, ours, _ in rows if name == "confident and wrong"}
    assert wrong["categorical"] == pytest.approx(-math.log(0.01), rel=1e-5)


def test_command_line_run_prints_the_examples_and_saves_three_pngs(run_script, tmp_path,
                                                                   assert_png):
    run = run_script("losses_explained.py", "--no-show", "--out-dir", tmp_path)
    assert run.returncode == 0, run.stderr
    assert "-ln(0.95) = 0.051293" in run.stdout
    assert "worked example        categorical             0.0512933   0.0512933" in run.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.png" for n in FIGURES)
    for path in tmp_path.iterdir():
        assert_png(path)


@pytest.mark.parametrize("args, flag", [
    (["--out-dir"], "--out-dir"),
    (["--show"], "--show"),
])
def test_bad_input_fails_with_one_line(args, flag, bad_input):
    assert bad_input(script.main, args, flag).startswith("losses_explained.py: error: ")


def test_out_dir_under_a_file_is_refused_and_nothing_written(run_script, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    run = run_script("losses_explained.py", "--out-dir", blocker / "figures")
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == (f"losses_explained.py: error: argument --out-dir: "
                          f"{str(blocker)!r} is a file, not a folder\n")
    assert list(tmp_path.iterdir()) == [blocker]
