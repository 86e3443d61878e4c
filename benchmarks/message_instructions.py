"""Instructions per ``parse_message`` call on mailgen emails, counted by callgrind:
steadier than timings on a shared machine.

    .venv/bin/python benchmarks/message_instructions.py [SRC ...]     # default: this checkout's src

For each source tree, two runs under ``valgrind --tool=callgrind`` read 1,000 and 3,000
fresh mailgen emails after the same 200-message warm-up; the difference over 2,000 is
the cost of one message. Every email is read once (as in ``replycoach batch``), so
multipart boundaries are never in ``re``'s cache from an earlier round.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHILD = """
import sys
sys.path.insert(0, {src!r})
sys.path.insert(0, {bench!r})
import mailgen
from replycoach.message import parse_message
msgs = list(mailgen.messages(3200))
for m in msgs[:200]:
    parse_message(m)
for m in msgs[200:200 + {count}]:
    parse_message(m)
"""


def instructions(src: str, count: int) -> int:
    code = CHILD.format(src=src, bench=str(ROOT / "benchmarks"), count=count)
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, "-c", code]
    # A fixed hash seed: with a random one, set and dict layouts (and so the counts)
    # moved by several percent from run to run of the same tree.
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    out = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env).stderr
    return int(re.search(r"Collected : (\d+)", out).group(1))  # type: ignore[union-attr]


def main() -> None:
    for src in sys.argv[1:] or [str(ROOT / "src")]:
        per = (instructions(src, 3000) - instructions(src, 1000)) / 2000
        print(f"{src}: {per:,.0f} instructions per parse_message")


if __name__ == "__main__":
    main()
