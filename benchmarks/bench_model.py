"""What the reading model costs at run time: loading it, scoring a 1 KB email, and a draft's start.

    python benchmarks/bench_model.py [--runs 2000] [--starts 20]

Prints, in process: the median time of ``model.scores`` for all three tasks on a 1 KB
email (the text's features made once, as ``analyze`` would), of ``explain`` for one
label, and of ``analyze`` itself on the same email for scale; the shipped file's size
and weight count. In fresh processes (taking turns, medians): loading the model
(marshal cache warm, as after the first run) on top of a bare import of the reading
package, and a whole ``replycoach draft`` with and without the model loaded and
applied to the message first: the start-up a draft would pay once ``analyze`` uses it
(the draft guard of benchmarks/startup.py: draft <= 0.8 x a bare jinja2-cli render).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "damaged.eml"
CACHE = tempfile.mkdtemp(prefix="replycoach-model-bench-")
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_analysis import EMAIL  # noqa: E402  (the 1 KB email the analysis benchmark uses)
from startup import ensure_bytecode  # noqa: E402  (modules compiled as an install has them)

LOAD = """
import time
t0 = time.perf_counter()
from replycoach.reading import model
model.model()
print((time.perf_counter() - t0) * 1e3)
"""
BARE = """
import time
t0 = time.perf_counter()
from replycoach.reading import model
print((time.perf_counter() - t0) * 1e3)
"""
DRAFT = """
import sys
from replycoach.terminal.entry import main
code = main(sys.argv[1:])
{after}
sys.exit(code)
"""
# After the draft, so that only what the model adds to it is paid on top (the modules it
# needs, pathlib and json among them, a draft has imported already).
WITH_MODEL = """
from replycoach.message import parse_message
from replycoach.reading import model
text = parse_message(open(sys.argv[2], "rb").read()).body
for task in model.tasks():
    model.scores(task, text)
"""


def median_us(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e6


def in_process(runs: int) -> None:
    from replycoach.message import Message
    from replycoach.playbook.registry import load_registry
    from replycoach.reading import model
    from replycoach.reading.analyze import analyze

    weights = model.model()
    names = model.tasks()

    fresh = iter(range(10**9))

    def score() -> None:
        text = f"{EMAIL} {next(fresh)}"  # a different text: the per-text memo compares texts
        for task in names:
            model.scores(task, text)

    def explain() -> None:
        model.explain("scenario", f"{EMAIL} {next(fresh)}", "damaged-or-defective", 3)

    detected = load_registry().detected()

    def read() -> None:
        analyze(Message(body=f"{EMAIL} {next(fresh)}"), detected)

    read()
    entries = len(weights["slot_of"])
    path = ROOT / "src" / "replycoach" / "data" / "model.json"
    print(
        f"model file: {path.stat().st_size / 1024:.0f} KB, {entries} weights, "
        f"{len(weights['words'])} word and {len(weights['grams'])} character-gram features"
    )
    s, e, a = median_us(score, runs), median_us(explain, runs // 4), median_us(read, runs // 4)
    print(f"1 KB email ({len(EMAIL.encode())} bytes), in process, medians:")
    print(f"  model.scores, {len(names)} tasks        {s:8.0f} us")
    print(f"  model.explain, one label         {e:8.0f} us")
    print(f"  analyze (cues, as it is)         {a:8.0f} us")
    print(f"  scores / analyze                 {s / a:8.2f}")


def starts(count: int) -> None:
    env = dict(os.environ, NO_COLOR="1", REPLYCOACH_CACHE=CACHE)
    draft_args = [str(SAMPLE), "--set", "agent=Sam", "--format", "text"]
    commands = {
        "import reading.model": [sys.executable, "-c", BARE],
        "import + load model": [sys.executable, "-c", LOAD],
    }
    timed = {
        "draft": [sys.executable, "-c", DRAFT.format(after=""), "draft", *draft_args],
        "draft + model": [sys.executable, "-c", DRAFT.format(after=WITH_MODEL), "draft", *draft_args],
    }
    inner: dict[str, list[float]] = {name: [] for name in commands}
    wall: dict[str, list[float]] = {name: [] for name in timed}
    for i in range(count + 3):
        for name, cmd in commands.items():
            out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout
            if i >= 3:
                inner[name].append(float(out.strip()))
        for name, cmd in timed.items():
            t0 = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
            if i >= 3:
                wall[name].append((time.perf_counter() - t0) * 1e3)
    print(f"fresh processes ({count} each, taking turns, medians):")
    load = statistics.median(inner["import + load model"]) - statistics.median(inner["import reading.model"])
    print(f"  loading the model (marshal cache warm)  {load:6.2f} ms  (pathlib included: a draft imports it anyway)")
    d, dm = statistics.median(wall["draft"]), statistics.median(wall["draft + model"])
    print(f"  replycoach draft                        {d:6.1f} ms")
    print(f"  replycoach draft, model loaded + run    {dm:6.1f} ms  (+{dm - d:.1f} ms, x{dm / d:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--starts", type=int, default=20)
    args = parser.parse_args()
    print(ensure_bytecode())
    in_process(args.runs)
    starts(args.starts)


if __name__ == "__main__":
    main()
