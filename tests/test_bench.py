import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import run as bench  # noqa: E402


def run_json(*args):
    result = subprocess.run([sys.executable, *map(str, args)], capture_output=True, text=True,
                            cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_sklearn_peer_takes_the_same_3600_adam_steps():
    peer = run_json(ROOT / "bench" / "sklearn_peer.py", "binary_crossentropy")
    assert peer["epochs"] == 30
    assert peer["steps"] == 3600
    assert peer["accuracy"] == 1.0
    assert peer["fit"] > 0


def test_pieces_times_each_step_of_a_small_run():
    pieces = run_json(ROOT / "bench" / "pieces.py", "categorical_crossentropy",
                      "--samples", 200, "--test-size", 50)
    assert set(pieces) == {"fit", "evaluate", "regions", "other_figures", "accuracy", "steps"}
    assert pieces["steps"] == 30 * 24  # floor(150 * 0.8) = 120 points in batches of 5
    assert all(pieces[key] > 0 for key in ("fit", "evaluate", "regions", "other_figures"))


def test_report_checks_each_target():
    def samples(end_to_end, fit, regions, rss):
        values = {("import keras", None): [3.0, 3.2, 3.1]}
        for script in bench.SCRIPTS:
            values.update({("end to end", script): [end_to_end], ("fit", script): [fit],
                           ("scikit-learn fit", script): [0.5], ("peak RSS", script): [rss],
                           ("decision-region figure", script): [regions],
                           ("evaluate", script): [0.05], ("accuracy", script): [1.0],
                           ("scikit-learn accuracy", script): [1.0]})
        return values

    good = bench.report(samples(6.0, 2.4, 0.2, 800), [], 1)
    assert good.count("NOT met") == 0 and good.count(" met ") == 8
    assert "| a. `python -c \"import keras\"` | 3.10 (3.00-3.20) | |" in good
    bad = bench.report(samples(6.4, 2.6, 0.6, 1200), [], 1)
    assert bad.count("NOT met") == 8
    assert "| b / a: end to end over import keras | 2.06 NOT met |" in bad
