"""How long a `replycoach coach` walk takes: keystrokes the agent types, and the tool's
own latency (start-up to the first screen, each step's redraw) against `replycoach draft`.

    python benchmarks/coach_walk.py [--runs 5]

Drives the walk in a pseudo-terminal with pexpect (pip install pexpect). Prints medians.
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

import pexpect

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "damaged.eml"
NOW = "2026-11-20T17:00:00+01:00"

# (prompt to wait for, what the agent types) for an all-defaults walk of the sample,
# and for a walk where the agent changes things (refund, a 'what else', a cause).
DEFAULTS = [
    ("Enter keeps this reading", ""),
    ("Enter accepts", ""),
    ("What else", ""),
    ("Hear ", ""),
    ("Empathize ", ""),
    ("Apologize ", ""),
    ("Resolve ", ""),
    ("Root cause ", ""),
    ("Prevention note", ""),
    ("Enter writes it", ""),
]
CHANGED = [
    ("Enter keeps this reading", ""),
    ("Enter accepts", ""),
    ("What else", "The box also had no manual, so I am putting one in with the replacement."),
    ("Hear ", ""),
    ("Empathize ", ""),
    ("Apologize ", ""),
    ("Resolve ", "2"),
    ("How much will you refund?", ""),
    ("Currency symbol", ""),
    ("Root cause ", "1"),
    ("Prevention note", ""),
    ("Enter writes it", ""),
]


def walk(script: list[tuple[str, str]]) -> tuple[float, list[float], float]:
    """(ms to the first screen, ms per step redraw, ms for the whole walk)."""
    env = {**os.environ, "TERM": "xterm-256color", "REPLYCOACH_AGENT": "Sam"}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        child = pexpect.spawn(
            sys.executable,
            ["-m", "replycoach", "coach", str(SAMPLE), "--now", NOW, "--out", f"{tmp}/r.txt"],
            env=env,
            dimensions=(45, 80),
            encoding="utf-8",
            timeout=30,
        )
        steps = []
        first = sent = 0.0
        for i, (prompt, answer) in enumerate(script):
            # Menus: wait for the key legend (one colour span), then for the prompt's name.
            if prompt.endswith(" "):
                child.expect_exact("Enter takes ›")
                child.expect_exact(prompt.strip())
            else:
                child.expect_exact(prompt)
            now = time.perf_counter()
            if i == 0:
                first = (now - start) * 1000
            else:
                steps.append((now - sent) * 1000)
            child.sendline(answer)
            sent = time.perf_counter()
        child.expect(pexpect.EOF)
        total = (time.perf_counter() - start) * 1000
        child.close()
    return first, steps, total


def keystrokes(script: list[tuple[str, str]]) -> tuple[int, int]:
    """(Enter presses, characters typed including Enter)."""
    return len(script), sum(len(a) + 1 for _, a in script)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    draft_ms = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "replycoach", "draft", str(SAMPLE), "--set", "agent=Sam", "--now", NOW],
            capture_output=True,
            check=True,
        )
        draft_ms.append((time.perf_counter() - start) * 1000)
    draft = statistics.median(draft_ms)
    print(f"{'replycoach draft (reference)':<36} {draft:7.1f} ms")
    for name, script in (("all defaults", DEFAULTS), ("refund + what else + cause", CHANGED)):
        runs = [walk(script) for _ in range(args.runs)]
        first = statistics.median(r[0] for r in runs)
        step = statistics.median(s for r in runs for s in r[1])
        worst = max(s for r in runs for s in r[1])
        total = statistics.median(r[2] for r in runs)
        enters, chars = keystrokes(script)
        print(f"coach walk: {name}")
        print(f"  {'keystrokes (Enter presses / chars)':<34} {enters:4d} / {chars}")
        print(f"  {'first screen':<34} {first:7.1f} ms  {first / draft:5.2f} x draft")
        print(f"  {'step redraw (median / worst)':<34} {step:7.1f} ms  / {worst:.1f} ms")
        print(f"  {'whole walk, machine time':<34} {total:7.1f} ms  {total / draft:5.2f} x draft")


if __name__ == "__main__":
    main()
