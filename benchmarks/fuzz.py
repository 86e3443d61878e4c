"""Long fuzz campaigns over analyze_text, draft_text and check_text with the hostile
generators of tests/fuzz_shapes.py (deep nesting, long headers and lines, many parts,
mixed charsets, control characters in every header, random bytes).

    python benchmarks/fuzz.py [--seconds 600] [--engine random|hypothesis] [--seed N] [--out crashes/]

``--engine random`` (the default) draws the same shapes with ``random.Random``
(benchmarks/fuzz_random.py) without Hypothesis's drawing cost, and
adds byte mutations of the test fixtures, bare HTML and YAML alias bombs (through the
data loader, with a one-second budget). ``--engine hypothesis`` draws them with
Hypothesis (atheris is not required). A crash is any exception that is not the project's
own ReplycoachError, a raw control character in a drafted email's headers, or an input
that takes over 5 s; each
distinct one is saved (with --out) and counted, and the run goes on. Prints the inputs
run per function and the crashes found; several processes with different seeds can run
side by side.
"""

from __future__ import annotations

import argparse
import hashlib
import re
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
    parser.add_argument("--engine", choices=["random", "hypothesis"], default="random")
    parser.add_argument("--seed", type=int, default=0, help="random engine seed")
    parser.add_argument("--memory", type=int, default=1500, help="address-space cap in MiB (random engine)")
    parser.add_argument("--every", type=float, default=30.0, help="seconds between progress lines (random engine)")
    args = parser.parse_args()
    if args.engine == "random":
        return random_campaign(args)

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


_RAW = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\xc2[\x80-\x9f]")


def random_campaign(args: argparse.Namespace) -> int:
    import random
    import resource

    # The machine is shared: an input that blows up memory fails here, not the neighbours.
    resource.setrlimit(resource.RLIMIT_AS, (args.memory << 20, args.memory << 20))
    from benchmarks import fuzz_random as shapes

    import replycoach
    from replycoach.foundation.errors import ReplycoachError
    from replycoach.foundation.yamlio import load_yaml_text
    from replycoach.reply.formats import draft_email

    r = random.Random(args.seed)
    runs: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    crashes: dict[str, tuple[str, bytes]] = {}
    names = [name for name, _, w in shapes.SHAPES for _ in range(w)]
    make = {name: fn for name, fn, _ in shapes.SHAPES}
    limit = sys.getrecursionlimit()  # the command line's

    def crash(name: str, what: str, detail: str, data: bytes, kind: str = "") -> None:
        key = hashlib.sha1((name + (kind or what[:200])).encode()).hexdigest()[:12]
        if key not in crashes:
            crashes[key] = (f"{name}: {what}", data)
            print(f"CRASH {key} {name}: {what}", flush=True)
            if args.out:
                args.out.mkdir(parents=True, exist_ok=True)
                (args.out / f"{key}.bin").write_bytes(data)
                (args.out / f"{key}.txt").write_text(detail)

    def attempt(name: str, data: bytes) -> None:
        runs[name] += 1
        sys.setrecursionlimit(limit)
        started = time.monotonic()
        try:
            if name == "analyze":
                replycoach.analyze_text(data, now=NOW)
            elif name == "draft":
                result = replycoach.draft_text(data, placeholders=True, now=NOW)
                # The body's controls come out as they went in (the terminal boundary makes
                # them visible); the reply's headers must carry none.
                head = draft_email(result).partition(b"\n\n")[0]
                raw = _RAW.search(head)
                if raw:
                    crash(
                        name,
                        f"raw control {raw.group(0)!r} in --format eml headers",
                        head.decode(errors="replace"),
                        data,
                        kind="raw eml",
                    )
            elif name == "check":
                replycoach.check_text(shapes.body_text(r), data)
            else:
                load_yaml_text(data.decode("utf-8", "replace"), file="answers.yaml")
                if time.monotonic() - started > 1.0:
                    crash(name, "YAML took over a second", "", data)
        except ReplycoachError:
            refused[name] += 1
        except Exception:  # the finding: anything but the project's own error
            tb = traceback.format_exc()
            crash(name, tb.splitlines()[-1], tb, data)
        if time.monotonic() - started > 5.0:
            seconds = time.monotonic() - started
            crash(
                name, "took over 5 s", f"{seconds:.1f} s, {len(data)} bytes", data, kind=f"slow {len(data) // 100000}"
            )

    start = last = time.monotonic()
    while time.monotonic() - start < args.seconds:
        if r.random() < 0.03:
            kinds["yaml"] += 1
            attempt("yaml", shapes.yaml_bomb(r).encode("utf-8", "surrogatepass"))
        else:
            kind = r.choice(names)
            kinds[kind] += 1
            attempt(r.choice(["analyze", "draft", "check"]), make[kind](r))
        if time.monotonic() - last > args.every:
            last = time.monotonic()
            total = sum(runs.values())
            print(
                f"seed {args.seed}: {total} inputs ({dict(runs)}) shapes {dict(kinds)}, "
                f"{sum(refused.values())} refused, {len(crashes)} distinct crashes, "
                f"{last - start:.0f} s, {total / (last - start):.0f}/s",
                flush=True,
            )
    total = sum(runs.values())
    print(f"seed {args.seed}: inputs {total} {dict(runs)} shapes {dict(kinds)} in {time.monotonic() - start:.0f} s")
    print(f"refused with ReplycoachError: {sum(refused.values())}")
    print(f"crashes: {len(crashes)}")
    for key, (what, _) in sorted(crashes.items()):
        print(f"  {key} {what}")
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
