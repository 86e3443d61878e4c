"""Long fuzz campaigns over analyze_text, draft_text and check_text with the hostile
generators of tests/fuzz_shapes.py (deep nesting, long headers and lines, many parts,
mixed charsets, control characters in every header, random bytes).

    python benchmarks/fuzz.py [--seconds 600] [--batch 500] [--out crashes/]

Hypothesis draws the inputs (atheris is not required). A crash is any exception that is
not the project's own ReplycoachError; each distinct one is saved (with --out) and
counted, and the run goes on. Prints the inputs run per function and the crashes found.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

NOW = "2026-11-20T17:00:00+01:00"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=600.0, help="how long to run (default 600)")
    parser.add_argument("--batch", type=int, default=500, help="inputs per hypothesis round")
    parser.add_argument("--out", type=Path, help="folder for the inputs that crashed")
    args = parser.parse_args()

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
    from tests.fuzz_shapes import body_text, cli_stack, messages

    import replycoach
    from replycoach.foundation.errors import ReplycoachError

    runs: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    crashes: dict[str, tuple[str, bytes]] = {}

    def attempt(name: str, call, data: bytes) -> None:  # type: ignore[no-untyped-def]
        runs[name] += 1
        try:
            with cli_stack():  # the command line's recursion limit, not Hypothesis's raised one
                call()
        except ReplycoachError:
            refused[name] += 1
        except Exception:  # the finding: anything but the project's own error
            tb = traceback.format_exc()
            key = hashlib.sha1((name + tb.splitlines()[-1][:200]).encode()).hexdigest()[:12]
            if key not in crashes:
                crashes[key] = (f"{name}: {tb.splitlines()[-1]}", data)
                if args.out:
                    args.out.mkdir(parents=True, exist_ok=True)
                    (args.out / f"{key}.bin").write_bytes(data)
                    (args.out / f"{key}.txt").write_text(tb)

    @settings(
        max_examples=args.batch,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        derandomize=False,
    )
    @given(messages, body_text, st.integers(0, 2))
    def one(data: bytes, reply: str, which: int) -> None:
        if which == 0:
            attempt("analyze", lambda: replycoach.analyze_text(data, now=NOW), data)
        elif which == 1:
            attempt("draft", lambda: replycoach.draft_text(data, placeholders=True, now=NOW), data)
        else:
            attempt("check", lambda: replycoach.check_text(reply, data), data)

    start = time.monotonic()
    rounds = 0
    while time.monotonic() - start < args.seconds:
        one()
        rounds += 1
        total = sum(runs.values())
        print(
            f"round {rounds}: {total} inputs ({dict(runs)}), {sum(refused.values())} refused, "
            f"{len(crashes)} distinct crashes, {time.monotonic() - start:.0f} s",
            flush=True,
        )
    print(f"inputs: {sum(runs.values())} (analyze {runs['analyze']}, draft {runs['draft']}, check {runs['check']})")
    print(f"refused with ReplycoachError: {sum(refused.values())}")
    print(f"crashes: {len(crashes)}")
    for key, (what, _) in sorted(crashes.items()):
        print(f"  {key} {what}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
