"""Instructions per ``analyze`` under callgrind: a steadier figure than CPU time on a
shared machine (small differences drown in the noise of a loaded 2-core VM).

    python benchmarks/analysis_callgrind.py [--runs 20] [--what email|mailgen|first]

``email``: the bench_analysis email, a fresh copy per run; ``mailgen``: as many
generated emails (after 20 unmeasured ones); ``first``: the first analysis in a new
process (imports and the registry are paid in both runs and cancel out). Each figure
is (instructions with N readings - instructions with none) / N, so start-up and
imports cancel out. ``first`` is one reading: when the garbage collector runs shifts
it by a few million instructions. Needs ``valgrind`` on PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import sys
sys.path.insert(0, {here!r})
from replycoach.reading import analyze as analysis
from replycoach.message import Message, parse_message
from replycoach.playbook.registry import load_registry

what, n = sys.argv[1], int(sys.argv[2])
detected = load_registry().detected()
if what == "first":
    from bench_analysis import EMAIL
    for _ in range(n):
        analysis.analyze(Message(body=EMAIL), detected)
elif what == "email":
    from bench_analysis import EMAIL
    subject = "Broken lamp, order #48213"
    analysis.analyze(Message(body=EMAIL, subject=subject), detected)
    copies = [Message(body="".join(list(EMAIL)), subject="".join(list(subject))) for _ in range(n)]
    for message in copies:
        analysis.analyze(message, detected)
else:
    import mailgen
    parsed = [parse_message(raw) for raw in mailgen.messages(20 + n)]
    for m in parsed[:20]:
        analysis.analyze(Message(body="".join(list(m.body)), subject="".join(list(m.subject))), detected)
    copies = [Message(body="".join(list(m.body)), subject="".join(list(m.subject))) for m in parsed[20:]]
    for message in copies:
        analysis.analyze(message, detected)
"""


def instructions(what: str, n: int) -> int:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--callgrind-out-file=/dev/null",
            sys.executable,
            "-c",
            CHILD.format(here=str(HERE)),
            what,
            str(n),
        ],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    ).stderr
    return int(re.findall(r"Collected : (\d+)", out)[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--what", choices=("email", "mailgen", "first"), default="email")
    args = parser.parse_args()
    runs = 1 if args.what == "first" else args.runs
    instructions(args.what, 1)  # warm the data cache (a changed prefilter.py rebuilds it)
    base = instructions(args.what, 0)
    full = instructions(args.what, runs)
    print(f"{args.what}: {(full - base) / runs / 1e6:.3f} M instructions per analyze ({runs} runs)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
