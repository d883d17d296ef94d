import re

import keras
import numpy as np
import pytest

import binary_crossentropy as script

TINY = ["--samples", "120", "--test-size", "40", "--epochs", "2", "--no-show"]
FIGURES = ["data", "decision_regions", "loss"]


# %% Data
def test_make_dataset_draws_two_seeded_circles():
    x, labels = script.make_dataset(200, seed=0)
    assert x.shape == (200, 2)
    assert sorted(set(labels)) == [0, 1]
    radii = np.hypot(x[:, 0], x[:, 1])
    np.testing.assert_allclose(radii[labels == 0], 1.0)
    np.testing.assert_allclose(radii[labels == 1], script.CIRCLE_FACTOR)
    np.testing.assert_array_equal(script.make_dataset(200, seed=0)[0], x)
    assert not np.array_equal(script.make_dataset(200, seed=1)[0], x)


def test_split_holds_out_the_first_points():
    x, labels = np.arange(20).reshape(10, 2), np.arange(10)
    (x_train, labels_train), (x_test, labels_test) = script.split_dataset(x, labels, 3)
    np.testing.assert_array_equal(labels_test, [0, 1, 2])
    np.testing.assert_array_equal(labels_train, np.arange(3, 10))
    np.testing.assert_array_equal(x_test, x[:3])
    np.testing.assert_array_equal(x_train, x[3:])


def test_targets_are_the_labels_as_floats():
    targets = script.make_targets(np.array([0, 1, 1, 0]))
    assert targets.dtype == np.float32
    np.testing.assert_array_equal(targets, [0.0, 1.0, 1.0, 0.0])


# %% Model
def test_model_has_one_sigmoid_output_and_binary_crossentropy():
    x, _ = script.make_dataset(100, seed=0)
    model = script.build_model(x, learning_rate=0.001)
    assert model.output_shape == (None, 1)
    assert model.layers[-1].activation is keras.activations.sigmoid
    assert [layer.units for layer in model.layers if hasattr(layer, "units")] == [12, 8, 1]
    assert model.loss == "binary_crossentropy"
    assert model.optimizer.learning_rate.numpy() == pytest.approx(0.001)
    probabilities = model.predict(x, verbose=0)
    assert probabilities.shape == (100, 1)
    assert ((probabilities > 0) & (probabilities < 1)).all()


def test_model_standardises_its_inputs():
    x, _ = script.make_dataset(100, seed=0)
    model = script.build_model(x * 30 + 15, learning_rate=0.001)
    standardised = model.layers[0](x * 30 + 15).numpy()
    np.testing.assert_allclose(standardised.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(standardised.std(axis=0), 1, atol=1e-3)


def test_predicted_labels_are_integer_classes():
    x, _ = script.make_dataset(100, seed=0)
    model = script.build_model(x, learning_rate=0.001)
    labels = script.LabelClassifier(model).predict(x)
    assert labels.shape == (100,)
    assert np.issubdtype(labels.dtype, np.integer)
    expected = (model.predict(x, verbose=0)[:, 0] > 0.5).astype(int)
    np.testing.assert_array_equal(labels, expected)


# %% Whole runs
def test_default_run_classifies_every_test_point(tmp_path, assert_png):
    result = script.main(["--no-show", "--out-dir", str(tmp_path)])
    assert result["test_accuracy"] == 1.0
    assert len(result["history"]["loss"]) == script.EPOCHS
    assert result["history"]["loss"][-1] < result["history"]["loss"][0]
    assert result["figures"] == [tmp_path / f"binary_crossentropy_{name}.png" for name in FIGURES]
    for path in result["figures"]:
        assert_png(path)


def test_command_line_run_is_headless_and_saves_three_pngs(headless_run):
    headless_run("binary_crossentropy", *TINY)


def test_same_seed_gives_the_same_numbers(tmp_path):
    runs = [script.main([*TINY, "--seed", seed, "--out-dir", str(tmp_path)])
            for seed in ("7", "7", "8")]
    assert runs[0]["history"] == runs[1]["history"]
    assert runs[0]["test_loss"] == runs[1]["test_loss"]
    assert runs[0]["history"] != runs[2]["history"]


# %% Bad input
BAD_INPUT = [
    (["--samples", "0"], "--samples"),
    (["--samples", "many"], "--samples"),
    (["--test-size", "0"], "--test-size"),
    (["--test-size", "1000"], "--test-size"),
    (["--samples", "12", "--test-size", "11"], "--test-size"),
    (["--test-size", "1"], "--test-size"),  # one test point cannot hold both classes
    (["--epochs", "0"], "--epochs"),
    (["--epochs", "2.5"], "--epochs"),
    (["--batch-size", "-5"], "--batch-size"),
    (["--learning-rate", "0"], "--learning-rate"),
    (["--learning-rate", "nan"], "--learning-rate"),
    (["--learning-rate", "fast"], "--learning-rate"),
    (["--seed", "-1"], "--seed"),
    (["--no-such-flag"], "--no-such-flag"),
]


@pytest.mark.parametrize("args, flag", BAD_INPUT)
def test_bad_input_fails_with_one_line_and_writes_nothing(args, flag, tmp_path, bad_input):
    out_dir = tmp_path / "figures"
    line = bad_input(script.main, [*args, "--no-show", "--out-dir", str(out_dir)], flag)
    assert line.startswith("binary_crossentropy.py: error: ")
    assert not out_dir.exists()


def test_out_dir_under_a_file_is_refused(tmp_path, bad_input):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    bad_input(script.main, ["--out-dir", str(blocker / "figures")], "argument --out-dir")
    assert list(tmp_path.iterdir()) == [blocker]


def test_bad_input_on_the_command_line_is_one_line_without_traceback(run_script, tmp_path):
    run = run_script("binary_crossentropy.py", "--epochs", "0", "--out-dir", tmp_path / "out")
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr == (
        "binary_crossentropy.py: error: argument --epochs: must be greater than 0, got '0'\n"
    )
    assert not (tmp_path / "out").exists()


def test_help_lists_every_flag_with_its_default(run_script):
    run = run_script("binary_crossentropy.py", "--help")
    assert run.returncode == 0
    for flag, default in [("--samples", 1000), ("--test-size", 250), ("--epochs", 30),
                          ("--batch-size", 5), ("--learning-rate", 0.001), ("--seed", 42)]:
        assert re.search(rf"{flag} \S+\s+.*\(default: {default}\)", run.stdout), flag
    assert "--out-dir" in run.stdout and "--no-show" in run.stdout


def test_script_is_a_percent_format_notebook_with_a_cell_per_step():
    source = (script.HERE / "binary_crossentropy.py").read_text()
    headings = re.findall(r"^# %% (.+)$", source, re.M)
    assert headings == ["Configuration", "Command line", "Imports", "Data", "Model",
                        "Training", "Evaluation", "Figures", "Run everything"]
