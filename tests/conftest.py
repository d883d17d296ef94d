"""Shared fixtures: run a script the way a user does, and check PNG files."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

# Tests never open windows; set before anything imports pyplot.
os.environ["MPLBACKEND"] = "agg"

ROOT = Path(__file__).resolve().parent.parent
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RESULT_LINE = re.compile(r"^Test results - Loss: [0-9.e+-]+ - Accuracy: [0-9.]+%$", re.M)


@pytest.fixture
def run_script():
    """Run `python <script> <args>` from a neutral folder, headless; return the result."""

    def run(script, *args, cwd=None):
        return subprocess.run(
            [sys.executable, str(ROOT / script), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd or ROOT.parent,
            env={**os.environ, "MPLBACKEND": "agg"},
            timeout=600,
        )

    return run


@pytest.fixture
def assert_png():
    """Assert that `path` is a PNG that decodes to a picture with more than one colour."""
    import matplotlib.image

    def check(path):
        assert path.read_bytes()[:8] == PNG_SIGNATURE, f"{path} is not a PNG"
        pixels = matplotlib.image.imread(path)
        assert pixels.ndim == 3 and pixels.shape[0] >= 100 and pixels.shape[1] >= 100
        assert pixels.std() > 0, f"{path} is blank"

    return check


@pytest.fixture
def bad_input(capsys):
    """Call `main(args)`; assert exit status 2 and one stderr line naming `flag`; return it."""

    def check(main, args, flag):
        with pytest.raises(SystemExit) as exit_info:
            main(args)
        assert exit_info.value.code == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert captured.err.count("\n") == 1, captured.err
        assert flag in captured.err
        return captured.err

    return check


@pytest.fixture
def headless_run(run_script, assert_png, tmp_path):
    """Run a training script from the command line with tiny settings, headless, into
    tmp_path; assert it succeeds, prints its result line and saves three real PNGs."""

    def check(script, *tiny_args):
        run = run_script(f"{script}.py", *tiny_args, "--out-dir", tmp_path)
        assert run.returncode == 0, run.stderr
        assert RESULT_LINE.search(run.stdout), run.stdout
        assert "Epoch 2/2" in run.stdout
        assert sorted(p.name for p in tmp_path.iterdir()) == [
            f"{script}_{name}.png" for name in ("data", "decision_regions", "loss")
        ]
        for path in tmp_path.iterdir():
            assert_png(path)

    return check
