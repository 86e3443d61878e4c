"""What share of a batch worker's per-message work is regex matching, under callgrind.

    python benchmarks/batch_callgrind.py [--count 300]

Runs ``batch.Drafter.payload`` (parse, analyse, build, check, JSONL: all a worker does
for a message) over ``--count`` generated emails after 50 unmeasured ones, once with
none, and counts instructions both times; the difference over the count is the cost of
one message, start-up and warm-up cancelling out. It then splits that cost by where
the instructions ran: inside CPython's regex engine (``Modules/_sre``), or elsewhere
(the interpreter running our Python, dicts, strings, allocation, ``json``...).

The regex share bounds what any faster matcher (RE2 or Hyperscan sets, a merged
pattern) could save: with matching free, the rest is still there. Needs ``valgrind``
and ``callgrind_annotate`` on PATH.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

CHILD = r"""
import sys
sys.path.insert(0, {here!r})
import mailgen
from replycoach.batch.pipeline import Drafter, Item, Options

n = int(sys.argv[1])
drafter = Drafter(Options(sets=["agent=Sam"], placeholders=True, now="2026-11-20T17:00:00+01:00"))
raws = list(mailgen.messages(50 + n))
for raw in raws[:50]:
    drafter.payload(Item("warm", "bench", raw))
for raw in raws[50:]:
    drafter.payload(Item("m", "bench", raw))
"""


def profile(n: int, out: Path) -> tuple[int, int]:
    """(all instructions, those in the regex engine) of a run drafting ``n`` messages."""
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            "-c",
            CHILD.format(here=str(HERE)),
            str(n),
        ],
        capture_output=True,
        env=env,
        check=True,
    )
    report = subprocess.run(
        ["callgrind_annotate", "--inclusive=no", "--threshold=100", str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    total = regex = 0
    for line in report.splitlines():
        m = re.match(r"\s*([\d,]+) .*?(\S+):(\S+)", line)
        if not m or "PROGRAM TOTALS" in line:
            continue
        cost = int(m.group(1).replace(",", ""))
        total += cost
        if "/_sre/" in m.group(2):
            regex += cost
    return total, regex


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        profile(1, Path(tmp) / "warm.out")  # builds the data caches a changed tree needs
        base_all, base_re = profile(0, Path(tmp) / "base.out")
        full_all, full_re = profile(args.count, Path(tmp) / "full.out")
    per_all = (full_all - base_all) / args.count
    per_re = (full_re - base_re) / args.count
    print(f"per message ({args.count} generated emails): {per_all / 1e6:.2f} M instructions")
    print(f"  in the regex engine:   {per_re / 1e6:.2f} M ({per_re / per_all:.0%})")
    print(f"  everything else:       {(per_all - per_re) / 1e6:.2f} M ({1 - per_re / per_all:.0%})")
    print(f"a free regex engine would leave {1 - per_re / per_all:.0%} of the per-message cost")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
