"""What `replycoach check` costs: the checker's own share and the whole command.

    python benchmarks/check_speed.py [--runs 15]

Prints medians of fresh processes (the first check in a process pays for compiling
the rules' regular expressions; the rules themselves come from the data cache), the
warm per-reply cost over the labelled replies, and the whole `check` command against
`replycoach --help` (the command-line floor) and `python -c pass`.
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
GOOD = "Hi Ana,\n\nI'm sorry the jug arrived cracked. I will send a new one by Monday, 3 pm.\n\nSam\n"
BAD = (
    "Dear customer,\n\nWe are experiencing unusually high call volume. Sorry if you feel let down; "
    "we will get back to you soon. Please calm down, this will never happen again.\n"
)
FIRST_CHECK = """
import sys, time
t0 = time.perf_counter()
from replycoach import api
t1 = time.perf_counter()
api.check_text(sys.argv[1])
t2 = time.perf_counter()
api.check_text(sys.argv[1])
t3 = time.perf_counter()
print(f"{(t1 - t0) * 1000:.3f} {(t2 - t1) * 1000:.3f} {(t3 - t2) * 1000:.3f}")
"""


def median_ms(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for i in range(runs + 2):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        if i >= 2:  # warm-up: page cache and the rules' data cache
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, NO_COLOR="1", REPLYCOACH_CACHE=str(Path(tmp) / "cache"))
        for label, reply in (("clean reply", GOOD), ("reply with 8 habits", BAD)):
            rows = []
            for _ in range(args.runs):
                out = subprocess.run(
                    [sys.executable, "-c", FIRST_CHECK, reply], capture_output=True, text=True, env=env, check=True
                ).stdout.split()
                rows.append([float(x) for x in out])
            imp, first, second = (statistics.median(col) for col in zip(*rows, strict=True))
            print(
                f"{label:<20} import api {imp:6.1f} ms | first check {first:6.1f} ms | "
                f"next check {second:5.2f} ms (first/next = {first / second:.0f}x)"
            )

        sys.path.insert(0, str(ROOT / "benchmarks"))
        import eval_checker
        from replycoach.checker import check, load_rules

        rules = load_rules()
        cases = eval_checker.load_cases()
        check(GOOD, rules=rules)
        start = time.perf_counter()
        for case in cases:
            check(case["reply"], message=case.get("message"), rules=rules)
        warm = (time.perf_counter() - start) * 1000 / len(cases)
        print(f"warm check() over {len(cases)} labelled replies: {warm:.2f} ms per reply")

        reply = Path(tmp) / "reply.txt"
        reply.write_text(GOOD, encoding="utf-8")
        exe = [sys.executable, "-m", "replycoach"]
        base = median_ms([sys.executable, "-c", "pass"], args.runs, env)
        helpt = median_ms([*exe, "--help"], args.runs, env)
        checkt = median_ms([*exe, "check", str(reply)], args.runs, env)
        print(f"python -c pass          {base:6.1f} ms")
        print(f"replycoach --help       {helpt:6.1f} ms")
        print(
            f"replycoach check FILE   {checkt:6.1f} ms  (check - --help = {checkt - helpt:+.1f} ms, "
            f"check/--help = {checkt / helpt:.2f}x)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
