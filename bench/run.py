"""Side-by-side benchmark of the scripts, on the TensorFlow backend.

    python bench/run.py [--reps 5] [--growth 1000 5000 25000] [--out bench/results.md]

Each repetition runs every measured command once, in turn, so that a slow
moment of a shared machine hits all of them alike. The tables report medians
with min-max, and the ratios the targets are set on; absolute times vary from
machine to machine, the ratios are what to compare. The result goes to stdout
and to bench/results.md.
"""

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ["binary_crossentropy", "categorical_crossentropy"]
ENV = {**os.environ, "KERAS_BACKEND": "tensorflow", "MPLBACKEND": "agg"}


def run(*command):
    """Run a Python command in the repository; return (wall s, peak RSS MB, last stdout line)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        start = time.perf_counter()
        pid = os.posix_spawn(sys.executable, [sys.executable, *map(str, command)], ENV,
                             file_actions=[(os.POSIX_SPAWN_DUP2, out.fileno(), 1),
                                           (os.POSIX_SPAWN_DUP2, err.fileno(), 2)])
        # wait4 gives this child's own resource usage, including its peak RSS (KB).
        _, status, usage = os.wait4(pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            err.seek(0)
            sys.exit(f"bench: {' '.join(map(str, command))} failed:\n{err.read()[-3000:]}")
        out.seek(0)
        lines = out.read().strip().splitlines()
    return wall, usage.ru_maxrss / 1024, lines[-1] if lines else ""


def median_range(values, digits=2):
    return (f"{statistics.median(values):.{digits}f} "
            f"({min(values):.{digits}f}-{max(values):.{digits}f})")


def machine():
    cpuinfo = Path("/proc/cpuinfo")
    cpu = platform.processor() or platform.machine()
    if cpuinfo.exists():
        names = [line.split(":", 1)[1].strip() for line in cpuinfo.read_text().splitlines()
                 if line.startswith("model name")]
        cpu = names[0] if names else cpu
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in
                         ("tensorflow", "keras", "numpy", "scikit-learn", "matplotlib", "mlxtend"))
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}; {versions}")


def measure(reps, out_dir):
    """The side-by-side runs: a list of samples per (measure, script)."""
    samples = {}

    def add(key, value):
        samples.setdefault(key, []).append(value)

    for rep in range(reps):
        print(f"repetition {rep + 1}/{reps}", file=sys.stderr)
        add(("import keras", None), run("-c", "import keras")[0])
        for script in SCRIPTS:
            wall, rss, _ = run(ROOT / f"{script}.py", "--no-show", "--out-dir", out_dir)
            add(("end to end", script), wall)
            add(("peak RSS", script), rss)
            pieces = json.loads(run(ROOT / "bench" / "pieces.py", script)[2])
            add(("fit", script), pieces["fit"])
            add(("evaluate", script), pieces["evaluate"])
            add(("decision-region figure", script), pieces["regions"])
            add(("accuracy", script), pieces["accuracy"])
            peer = json.loads(run(ROOT / "bench" / "sklearn_peer.py", script)[2])
            add(("scikit-learn fit", script), peer["fit"])
            add(("scikit-learn accuracy", script), peer["accuracy"])
    return samples


def measure_growth(sizes):
    """One run per size: each step's seconds per 1,000 samples; test set = a quarter."""
    rows = []
    for script in SCRIPTS:
        for size in sizes:
            print(f"growth: {script} --samples {size}", file=sys.stderr)
            pieces = json.loads(run(ROOT / "bench" / "pieces.py", script, "--samples", size,
                                    "--test-size", size // 4)[2])
            rows.append((script, size, pieces))
    return rows


def report(samples, growth, reps):
    med = {key: statistics.median(values) for key, values in samples.items()}
    floor = med[("import keras", None)]
    lines = [
        f"Machine: {machine()}.",
        "",
        f"{reps} repetitions, commands alternated; median (min-max), seconds unless noted.",
        "",
        "| measure | binary_crossentropy | categorical_crossentropy |",
        "| --- | --- | --- |",
        f"| a. `python -c \"import keras\"` | {median_range(samples[('import keras', None)])} | |",
    ]
    for label, key, digits in [
        ("b. script end to end, headless, defaults", "end to end", 2),
        ("c. fit alone (30 epochs, batch 5, validation)", "fit", 2),
        ("d. scikit-learn MLPClassifier fit, same steps", "scikit-learn fit", 2),
        ("e. decision-region figure (predict, plot, save)", "decision-region figure", 3),
        ("f. peak RSS of b (MB)", "peak RSS", 0),
        ("test evaluation", "evaluate", 3),
        ("test accuracy, Keras", "accuracy", 3),
        ("test accuracy, scikit-learn", "scikit-learn accuracy", 3),
    ]:
        cells = [median_range(samples[(key, s)], digits) for s in SCRIPTS]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")

    lines += ["", "| target | binary_crossentropy | categorical_crossentropy | limit |",
              "| --- | --- | --- | --- |"]
    checks = [
        ("b / a: end to end over import keras", lambda s: med[("end to end", s)] / floor, 2.0),
        ("c / d: Keras fit over scikit-learn fit",
         lambda s: med[("fit", s)] / med[("scikit-learn fit", s)], 5.0),
        ("e: decision-region figure (s)", lambda s: med[("decision-region figure", s)], 0.5),
        ("f: peak RSS (MB)", lambda s: med[("peak RSS", s)], 1000),
    ]
    for label, value, limit in checks:
        cells = [f"{value(s):.{0 if limit >= 100 else 2}f} "
                 f"{'met' if value(s) <= limit else 'NOT met'}" for s in SCRIPTS]
        lines.append(f"| {label} | {cells[0]} | {cells[1]} | <= {limit:g} |")

    if growth:
        lines += ["", "Growth, one run per size, test set a quarter of the samples; "
                  "seconds, and milliseconds per 1,000 samples in brackets.", "",
                  "| script | samples | fit | evaluate | decision-region figure | other figures |",
                  "| --- | --- | --- | --- | --- | --- |"]
        for script, size, pieces in growth:
            cells = [f"{pieces[k]:.2f} ({1e6 * pieces[k] / size:.0f})"
                     for k in ("fit", "evaluate", "regions", "other_figures")]
            lines.append(f"| {script} | {size:,} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reps", type=int, default=5, help="repetitions of each command")
    parser.add_argument("--growth", type=int, nargs="*", default=[1000, 5000, 25000],
                        help="sample counts for the growth table (none to skip)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as out_dir:
        samples = measure(args.reps, out_dir)
    growth = measure_growth(args.growth)
    table = report(samples, growth, args.reps)
    print(table)
    args.out.write_text("# Benchmark results\n\nWritten by `python bench/run.py`.\n\n" + table)


if __name__ == "__main__":
    main()
