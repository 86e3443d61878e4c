"""What `replycoach check` costs: the checker's own share and the whole command.

    python benchmarks/check_speed.py [--runs 15] [--baseline REV] [--only-warm]
    python benchmarks/check_speed.py --mailgen 1000 [--runs 3] [--baseline REV]
    python benchmarks/check_speed.py --compiles [--src DIR]

Prints the warm cost of one check() (median µs over ``--runs`` passes) on (a) the
drafts of the 41 playbook samples, checked as a draft checks them (with its
analysis), and (b) the labelled replies of tests/fixtures/replies with their
messages; "before" is checker.py at git revision ``--baseline`` (default main),
loaded beside the current one, and both must give identical findings. Then medians
of fresh processes (the first check in a process pays for compiling the rules'
regular expressions; the rules themselves come from the data cache), and the whole
`check` command against `replycoach --help` (the command-line floor) and
`python -c pass`. check() remembers what it found per block of a reply (paragraphs
recur across drafts); each timed pass starts with that memo empty.

``--mailgen N``: the batch's case. N varied emails (benchmarks/mailgen.py) are
drafted as `replycoach batch` drafts them (one batch.Drafter), and the CPU time
(time.process_time) spent inside checker.check is summed per pass; passes take
turns between this checker and the one at ``--baseline`` (the draft keeps this
checker's findings; both must agree), each pass a fresh batch (empty memo).
Prints the median µs per check and per whole draft.

``--mailgen N --instructions``: the same batch case counted by callgrind (deterministic
on a busy machine): N drafts warm the process (memo, caches), then the next N are
drafted and only the instructions inside checker.check are counted (each call runs
inside ``functools.reduce``, callgrind's ``--toggle-collect``). ``--src DIR`` counts
another source tree (e.g. a checkout of main's src/) the same way.

``--compiles``: how many regexes a fresh `replycoach draft samples/damaged.eml`
compiles from scratch (calls to re._compiler.compile, by file) once the caches are
warm; ``--src DIR`` runs another source tree (e.g. a checkout of main's src/).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType
from typing import Any

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


def baseline_checker(rev: str, folder: Path) -> ModuleType | None:
    """checker.py as it was at ``rev``, importable beside the current one (None without git)."""
    try:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{rev}:src/replycoach/checker.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    path = folder / "checker_baseline.py"
    path.write_text(source, encoding="utf-8")
    # Inside the package, so its relative imports (.errors, .analysis) resolve.
    spec = importlib.util.spec_from_file_location("replycoach._checker_baseline", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def sample_drafts() -> list[tuple[str, dict[str, Any]]]:
    """(draft text, check keywords) for every playbook sample, as draft_text checks it."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import scenario_samples

    return [
        (reply, {"analysis": analysis})
        for reply, analysis in scenario_samples.checks_made(scenario_samples.draft_samples)
    ]


def per_check_us(check: Any, items: list[tuple[str, dict[str, Any]]], rules: Any, runs: int) -> float:
    for reply, kwargs in items:  # warm: compile what this corpus needs
        check(reply, rules=rules, **kwargs)
    times = []
    for _ in range(runs):
        clear_memo(check)
        start = time.perf_counter()
        for reply, kwargs in items:
            check(reply, rules=rules, **kwargs)
        times.append((time.perf_counter() - start) * 1e6 / len(items))
    return statistics.median(times)


def warm_table(runs: int, rev: str, folder: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import eval_checker
    from replycoach.checking import checker

    rules = checker.load_rules()
    drafts = sample_drafts()
    replies = [(case["reply"], {"message": case.get("message")}) for case in eval_checker.load_cases()]
    corpora = {f"{len(drafts)} sample drafts": drafts, f"{len(replies)} labelled replies": replies}
    before = baseline_checker(rev, folder)
    for label, items in corpora.items():
        after_us = per_check_us(checker.check, items, rules, runs)
        if before is None:
            print(f"check() on {label:<22} {after_us:8.1f} µs per check (no git: no baseline)")
            continue
        differ = sum(before.check(r, rules=rules, **kw) != checker.check(r, rules=rules, **kw) for r, kw in items)
        before_us = per_check_us(before.check, items, rules, runs)
        print(
            f"check() on {label:<22} {rev} {before_us:8.1f} µs | now {after_us:8.1f} µs | "
            f"{before_us / after_us:5.2f}x faster | findings differ on {differ} of {len(items)}"
        )


# What a checker remembers across checks in a process: blocks and sentences (per rule
# list) and facts of the customer's messages.
MEMOS = ("_PROGRAMS", "_MESSAGE_KEYWORDS", "_VENTS", "_ASKS", "_KEYWORD_OF")


def clear_memo(check: Any) -> None:
    """A fresh batch: forget what this checker has seen (no-op for memos it lacks)."""
    module = sys.modules.get(getattr(check, "__module__", ""))
    for name in MEMOS:
        memo = getattr(module, name, None)
        if memo is not None:
            memo.clear()


def mailgen_table(count: int, runs: int, rev: str, folder: Path) -> None:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import mailgen
    from replycoach.batch.pipeline import Drafter, Options
    from replycoach.checking import checker

    before = baseline_checker(rev, folder)
    messages = list(mailgen.messages(count))
    drafter = Drafter(Options(sets=["agent=Sam"], placeholders=True, now="2026-11-20T17:00:00+01:00"))
    real = checker.check
    spent = [0.0, 0.0]  # inside check(); comparing with this checker (left out of the draft's time)
    differ = [0]

    def timed(other: Any) -> Any:
        def spy(reply: str, **kwargs: Any) -> list[dict[str, Any]]:
            start = time.process_time()
            found = real(reply, **kwargs) if other is None else other(reply, **kwargs)
            spent[0] += time.process_time() - start
            if other is not None:
                start = time.process_time()
                differ[0] += found != real(reply, **kwargs)
                spent[1] += time.process_time() - start
            return found

        return spy

    variants = {"now": None} if before is None else {rev: before.check, "now": None}
    per_check: dict[str, list[float]] = {k: [] for k in variants}
    per_draft: dict[str, list[float]] = {k: [] for k in variants}
    try:
        for _ in range(runs):
            for label, other in variants.items():  # taking turns: load hits both alike
                clear_memo(real)
                if other is not None:
                    clear_memo(other)
                checker.check = timed(other)  # type: ignore[assignment]
                spent[:] = [0.0, 0.0]
                start = time.process_time()
                for raw in messages:
                    drafter.draft(raw)
                whole = time.process_time() - start - spent[1]
                per_check[label].append(spent[0] * 1e6 / count)
                per_draft[label].append(whole * 1e6 / count)
    finally:
        checker.check = real  # type: ignore[assignment]
    for label in variants:
        print(
            f"mailgen {count} drafts, {label:>6}: check() {statistics.median(per_check[label]):7.1f} µs per draft "
            f"(runs: {', '.join(f'{x:.0f}' for x in per_check[label])}) | "
            f"whole draft {statistics.median(per_draft[label]):7.1f} µs"
        )
    if before is not None:
        ratio = statistics.median(per_check[rev]) / statistics.median(per_check["now"])
        print(f"check() {ratio:.2f}x faster than {rev}; findings differ on {differ[0]} of {count * runs} drafts")


def checks_in_reduce(count: int) -> None:
    """Child of --instructions: draft ``count`` messages to warm up, then ``count`` more
    with every check() call made inside functools.reduce (what callgrind counts)."""
    import functools
    import json

    sys.path.insert(0, str(ROOT / "benchmarks"))
    import mailgen
    from replycoach.batch.pipeline import Drafter, Options
    from replycoach.checking import checker

    messages = list(mailgen.messages(2 * count))
    drafter = Drafter(Options(sets=["agent=Sam"], placeholders=True, now="2026-11-20T17:00:00+01:00"))
    for raw in messages[:count]:
        drafter.draft(raw)
    real = checker.check
    calls = [0]

    def spy(reply: str, **kwargs: Any) -> list[dict[str, Any]]:
        calls[0] += 1
        return functools.reduce(lambda _, __: real(reply, **kwargs), [0], [])

    checker.check = spy  # type: ignore[assignment]
    for raw in messages[count:]:
        drafter.draft(raw)
    print(json.dumps({"checks": calls[0]}))


def instructions_table(count: int, src: str | None, folder: Path) -> None:
    import json
    import re

    env = dict(os.environ, PYTHONMALLOC="malloc", PYTHONHASHSEED="0", REPLYCOACH_CACHE=str(folder / "ins-cache"))
    if src:
        env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    child = [sys.executable, __file__, "--mailgen", str(count), "--reduce"]
    subprocess.run(child, capture_output=True, text=True, env=env, check=True)  # fills the data caches
    valgrind = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", "--toggle-collect=functools_reduce"]
    done = subprocess.run([*valgrind, *child], capture_output=True, text=True, env=env, check=True)
    total = int(re.search(r"Collected : (\d+)", done.stderr).group(1))  # type: ignore[union-attr]
    checks = json.loads(done.stdout.strip().splitlines()[-1])["checks"]
    print(
        f"mailgen {count} drafts after {count} warm ({src or 'this tree'}): {total / checks:,.0f} instructions per check()"
    )


COMPILES = """
import contextlib, io, sys
from re import _compiler
real = _compiler.compile
who = {}
def spy(pattern, flags=0):
    frame = sys._getframe(1)
    while frame is not None and "replycoach" not in frame.f_code.co_filename:
        frame = frame.f_back
    name = frame.f_code.co_filename.split("replycoach")[-1].strip("/") if frame else "?"
    who[name] = who.get(name, 0) + 1
    return real(pattern, flags)
_compiler.compile = spy
from replycoach.terminal.entry import main
with contextlib.redirect_stdout(io.StringIO()):
    main(["draft", sys.argv[1], "--set", "agent=Sam", "--now", "2026-11-20T17:00:00+01:00"])
print(sum(who.values()), " ".join(f"{k}={v}" for k, v in sorted(who.items())))
"""


def compiles_table(src: str | None, folder: Path) -> None:
    env = dict(os.environ, REPLYCOACH_CACHE=str(folder / "compiles-cache"))
    if src:
        env["PYTHONPATH"] = src
    cmd = [sys.executable, "-c", COMPILES, str(ROOT / "samples" / "damaged.eml")]
    for run in ("cold cache", "warm cache", "warm cache"):
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True).stdout.strip()
        print(f"fresh `replycoach draft` ({src or 'this tree'}), {run}: regexes compiled from scratch: {out}")


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
    parser.add_argument("--baseline", default="main", help="git revision of the 'before' checker")
    parser.add_argument("--only-warm", action="store_true", help="only the warm check() table")
    parser.add_argument("--mailgen", type=int, default=0, metavar="N", help="only: check() inside batch drafting")
    parser.add_argument("--compiles", action="store_true", help="only: regexes a fresh draft compiles")
    parser.add_argument("--src", help="with --compiles or --instructions: the source tree to run (default: this one)")
    parser.add_argument("--instructions", action="store_true", help="with --mailgen: count instructions (callgrind)")
    parser.add_argument("--reduce", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.reduce:
        checks_in_reduce(args.mailgen)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, NO_COLOR="1", REPLYCOACH_CACHE=str(Path(tmp) / "cache"))
        os.environ["REPLYCOACH_CACHE"] = env["REPLYCOACH_CACHE"]
        if args.compiles:
            compiles_table(args.src, Path(tmp))
            return 0
        if args.mailgen and args.instructions:
            instructions_table(args.mailgen, args.src, Path(tmp))
            return 0
        if args.mailgen:
            mailgen_table(args.mailgen, args.runs, args.baseline, Path(tmp))
            return 0
        warm_table(args.runs, args.baseline, Path(tmp))
        if args.only_warm:
            return 0
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
        from replycoach.checking.checker import check, load_rules

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
