"""Per-message cost of ``draft.build`` without the checker, and of formatting the result.

    python benchmarks/bench_build.py [--count 500] [--runs 7] [--profile] [--against SRC ...]

Messages come from ``benchmarks/mailgen.py`` and are parsed and analysed up front (as
``batch.Drafter.draft`` does), so only ``build`` is timed. ``checker.check`` is replaced
by a stub returning the findings computed beforehand: what is left is choosing options,
questions, deadlines, rendering and the result dict ("build minus check"). Then the
result is formatted as ``output.to_json``, ``output.draft_markdown`` and the batch's
JSONL line. CPU time (``time.process_time``), median over ``--runs`` passes after a
warm-up pass.

``--instructions`` counts instructions instead (valgrind's callgrind, deterministic on a
busy machine), only inside the loop of builds (see ``builds_in_reduce``).

``--against SRC`` (e.g. a checkout of main's ``src``) runs the same measurement with that
source tree first on ``sys.path`` in a child process, taking turns with this tree run
after run, so load on the shared machine hits both alike.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

NOW = "2026-11-20T17:00:00+01:00"
SETS = ["agent=Sam"]


def prepare(count: int) -> tuple[object, list[tuple[object, dict, list]]]:
    import mailgen
    from replycoach.batch.drafter import Drafter, Options
    from replycoach.checking import checker
    from replycoach.message import parse_message
    from replycoach.reply.compose import analyse

    drafter = Drafter(Options(sets=SETS, placeholders=True, now=NOW))
    cases = []
    for raw in mailgen.messages(count):
        message = parse_message(raw)
        answers = drafter.answers
        analysis = analyse(message, drafter.registry, playbook=answers.playbook, customer_type=answers.customer_type)
        cases.append((message, analysis, None))
    # The real findings, computed once, so the stubbed check returns the same data.

    out = []
    for message, analysis, _ in cases:
        findings = build_for(drafter, message, analysis)["findings"]
        out.append((message, analysis, findings))
    assert checker  # imported so the stub below replaces the module attribute build() uses
    return drafter, out


def build_for(drafter: object, message: object, analysis: dict) -> dict:
    """``draft.build`` as a batch worker calls it (``batch.Drafter.draft``)."""
    from replycoach.reply.compose import build

    d = drafter
    return build(message, d.registry, analysis, d.answers, placeholders=True, now=d.now, rules=d.rules)  # type: ignore[attr-defined]


def measure(count: int, runs: int) -> dict[str, float]:
    from replycoach.checking import checker
    from replycoach.reply import formats as output

    drafter, cases = prepare(count)
    real_check = checker.check
    pending: list[list] = []

    def stub(text: str, **_: object) -> list:
        return pending.pop()

    checker.check = stub  # type: ignore[assignment]
    try:
        build_times, fmt_times = [], []
        for run in range(runs + 1):
            results = []
            start = time.process_time()
            for message, analysis, findings in cases:
                pending.append(findings)
                results.append(build_for(drafter, message, analysis))
            mid = time.process_time()
            for n, result in enumerate(results):
                output.to_json(result)
                output.draft_markdown(result)
                json.dumps({"id": str(n), "source": "bench", **result}, ensure_ascii=False)
            end = time.process_time()
            if run:  # the first pass is the warm-up
                build_times.append((mid - start) / len(cases))
                fmt_times.append((end - mid) / len(cases))
    finally:
        checker.check = real_check  # type: ignore[assignment]
    if not build_times:
        return {}
    return {
        "build_minus_check_us": statistics.median(build_times) * 1e6,
        "format_us": statistics.median(fmt_times) * 1e6,
    }


def profile(count: int) -> None:
    import cProfile
    import pstats

    from replycoach.checking import checker
    from replycoach.reply.compose import build

    drafter, cases = prepare(count)
    checker.check = lambda text, **_: []  # type: ignore[assignment]

    def loop() -> None:
        for message, analysis, _ in cases:
            build(message, drafter.registry, analysis, drafter.answers, placeholders=True, now=drafter.now)

    loop()
    profiler = cProfile.Profile()
    profiler.enable()
    loop()
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def child(src: str | None, count: int, runs: int) -> dict[str, float]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    out = subprocess.run(
        [sys.executable, __file__, "--count", str(count), "--runs", str(runs), "--json"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def builds_in_reduce(count: int, runs: int) -> None:
    """``runs`` passes of ``build`` over the messages, all inside one ``functools.reduce``
    call: callgrind counts only there (``--toggle-collect``), so preparing the messages,
    start-up and caches on disk do not blur the figure."""
    import functools

    from replycoach.checking import checker

    drafter, cases = prepare(count)
    checker.check = lambda text, **_: []  # type: ignore[assignment]

    def one(done: int, case: tuple[object, dict, list]) -> int:
        message, analysis, _ = case
        build_for(drafter, message, analysis)
        return done + 1

    for case in cases:  # warm-up: compiled templates, memos
        one(0, case)
    builds = functools.reduce(one, cases * runs, 0)
    print(json.dumps({"builds": builds}))


VALGRIND = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--toggle-collect=functools_reduce"]


def instructions(src: str | None, count: int, runs: int) -> float:
    """Instructions per build, counted by callgrind inside ``builds_in_reduce``."""
    import re

    env = dict(os.environ, PYTHONMALLOC="malloc", PYTHONHASHSEED="0")
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    done = subprocess.run(
        [*VALGRIND, sys.executable, __file__, "--count", str(count), "--runs", str(runs), "--reduce"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    total = int(re.search(r"Collected : (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    return total / json.loads(done.stdout.strip().splitlines()[-1])["builds"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3, help="alternating child runs with --against")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--reduce", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--instructions", action="store_true", help="count instructions with callgrind")
    parser.add_argument("--against", nargs="*", default=[], help="other src trees to compare with")
    args = parser.parse_args()
    if args.profile:
        profile(args.count)
        return
    if args.json:
        print(json.dumps(measure(args.count, args.runs)))
        return
    if args.reduce:
        builds_in_reduce(args.count, args.runs)
        return
    if args.instructions:
        trees = {"this tree": None, **{src: src for src in args.against}}
        print(f"instructions per build (check stubbed), {args.count} messages x {args.runs} passes:")
        for name, src in trees.items():
            print(f"  {name:<40} {instructions(src, args.count, args.runs):12,.0f}")
        return
    if not args.against:
        figures = measure(args.count, args.runs)
        print(f"{args.count} mailgen messages, median of {args.runs} passes (CPU time per message):")
        print(f"  build minus check  {figures['build_minus_check_us']:8.1f} us")
        print(f"  formatting         {figures['format_us']:8.1f} us  (to_json + draft_markdown + JSONL line)")
        return
    trees = {"this tree": None, **{src: src for src in args.against}}
    samples: dict[str, list[dict[str, float]]] = {name: [] for name in trees}
    for _ in range(args.rounds):
        for name, src in trees.items():
            samples[name].append(child(src, args.count, args.runs))
    print(
        f"{args.count} mailgen messages, {args.rounds} alternating rounds x median of {args.runs} passes (CPU us/msg):"
    )
    for name, values in samples.items():
        b = statistics.median(v["build_minus_check_us"] for v in values)
        f = statistics.median(v["format_us"] for v in values)
        print(f"  {name:<40} build minus check {b:8.1f} us   formatting {f:8.1f} us")


if __name__ == "__main__":
    main()
