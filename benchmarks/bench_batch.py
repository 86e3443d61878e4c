"""Batch throughput against the floor: stdlib `email` merely parsing the same messages.

    python benchmarks/bench_batch.py [--count 10000] [--jobs 2] [--runs 3] [--profile]
    python benchmarks/bench_batch.py --against SRC [--count 10000] [--jobs 2] [--runs 5]
    python benchmarks/bench_batch.py --stages-against OTHER-CHECKOUT/src [--count 1500] [--runs 3]
    python benchmarks/bench_batch.py --machinery-against OTHER-CHECKOUT/src [--count 3000] [--runs 3]

Generates a varied mbox of 1-3 KB emails (benchmarks/mailgen.py), then, taking turns
run after run so load on a shared machine hits both alike:
- floor: `email.message_from_bytes` (compat32) + `get_payload(decode=True)` of every
  text part, in this one process, on the messages already split in memory;
- batch: `replycoach batch MBOX --jobs N` as a command (start-up, reading, drafting,
  JSONL written to /dev/null), wall time.
Prints medians, messages/s and the two target ratios. `--profile` adds where the
per-message time goes inside one process: CPU per stage, and cProfile's own time
grouped by module. `--against SRC` times the whole command with this checkout's `src`
and with SRC (another checkout's, e.g. one with a speed mechanism taken out) first on
`PYTHONPATH`, taking turns, and prints both rates and their ratio, and the CPU per
message of the command and its workers (steadier than wall time when other work
shares the CPUs). `--stages-against SRC` prints the per-stage CPU of this checkout
and of another source tree (fresh processes taking turns) and nothing else;
`--machinery-against SRC` the same for the machinery line, with the CPU of the parent
process and of its workers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mailgen  # noqa: E402

NOW = "2026-11-20T17:00:00+01:00"
ARGS = ["--set", "agent=Sam", "--placeholders", "--now", NOW]


def split(mbox: Path) -> list[bytes]:
    try:
        from replycoach.batch.readers import mbox_split
    except ImportError:  # an older tree (--stages-against)
        from replycoach.batch.pipeline import _mbox_split as mbox_split  # type: ignore[attr-defined,no-redef]

    with open(mbox, "rb") as fh:
        return list(mbox_split(fh))


def floor_seconds(messages: list[bytes]) -> float:
    import email

    start = time.perf_counter()
    for raw in messages:
        msg = email.message_from_bytes(raw)
        for part in msg.walk():
            if part.get_content_maintype() == "text":
                part.get_payload(decode=True)
    return time.perf_counter() - start


def batch_seconds(replycoach: str, mbox: Path, jobs: int, extra_env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(
        [replycoach, "batch", str(mbox), "--jobs", str(jobs), *ARGS],
        stdout=subprocess.DEVNULL,
        check=True,
        env=dict(os.environ, REPLYCOACH_NO_PROGRESS="1", **(extra_env or {})),
    )
    return time.perf_counter() - start


def against(replycoach: str, src: str, count: int, jobs: int, runs: int) -> None:
    """The whole command's msg/s with this checkout's ``src`` and with ``src``, taking turns."""
    import compileall
    import resource

    trees = {"this": str(HERE.parent / "src"), "against": str(Path(src).resolve())}
    seen: dict[str, list[float]] = {label: [] for label in trees}
    # CPU per message, steadier than wall time on a loaded machine: with 2 free CPUs the
    # rate follows it (the workers are CPU-bound).
    cpu: dict[str, list[float]] = {label: [] for label in trees}
    with tempfile.TemporaryDirectory() as tmp:
        mbox = Path(tmp) / "inbox.mbox"
        mailgen.write_mbox(mbox, count)
        for label, tree in trees.items():
            compileall.compile_dir(tree, quiet=1)  # as pip would: no recompiling on every start
            env = {"PYTHONPATH": tree, "REPLYCOACH_CACHE": os.path.join(tmp, label)}
            batch_seconds(replycoach, mbox, jobs, env)  # warm: fills the cache
        for _ in range(runs):
            for label, tree in trees.items():
                env = {"PYTHONPATH": tree, "REPLYCOACH_CACHE": os.path.join(tmp, label)}
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                seen[label].append(count / batch_seconds(replycoach, mbox, jobs, env))
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                used = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
                cpu[label].append(used / count * 1e6)
    for label, tree in trees.items():
        rates = ", ".join(f"{r:,.0f}" for r in seen[label])
        print(
            f"  {label}: {tree}: {statistics.median(seen[label]):7,.0f} msg/s (runs: {rates}); "
            f"CPU of the command and its workers {statistics.median(cpu[label]):,.0f} us/msg"
        )
    this, other = statistics.median(seen["this"]), statistics.median(seen["against"])
    cpu_ratio = statistics.median(cpu["against"]) / statistics.median(cpu["this"])
    print(
        f"batch --jobs {jobs}, {count} messages: msg/s this/against {this / other:5.2f}; CPU against/this {cpu_ratio:5.2f}"
    )


def machinery_seconds(mbox: Path, jobs: int) -> float:
    """The batch machinery alone: read and split the mbox, chunk, send to the workers,
    parse each message (message.py), collect in order, write JSONL; no analysis or
    drafting. Shows what the pipeline around the per-message work costs."""
    import io

    from replycoach.batch import pipeline
    from replycoach.batch.pipeline import Drafter, Item, Options
    from replycoach.message import parse_message

    try:
        from replycoach.batch.readers import open_sources
        from replycoach.batch.sinks import StreamSink
    except ImportError:  # an older tree (--machinery-against)
        from replycoach.batch.pipeline import StreamSink, open_sources  # type: ignore[attr-defined,no-redef]

    def payload(self: Drafter, item: Item) -> tuple[bool, str]:
        message = parse_message(item.raw or b"")
        return True, f'{{"id": "{item.id}", "subject": {len(message.subject)}}}\n'

    real = Drafter.payload
    Drafter.payload = payload  # type: ignore[method-assign,assignment]  # forked workers inherit it
    try:
        sink = StreamSink(io.StringIO(), terminal=False)
        options = Options(sets=["agent=Sam"], placeholders=True, now=NOW)
        start = time.perf_counter()
        summary = pipeline.run(open_sources([str(mbox)]), options, sink, jobs=jobs)
        assert summary.drafted == summary.total
        return time.perf_counter() - start
    finally:
        Drafter.payload = real  # type: ignore[method-assign]


def profile(messages: list[bytes], count: int) -> None:
    import collections
    import cProfile
    import pstats

    from replycoach.batch.pipeline import Drafter, Item, Options  # also in older trees (--stages-against)

    drafter = Drafter(Options(sets=["agent=Sam"], placeholders=True, now=NOW))
    items = [Item(str(n), "bench", raw) for n, raw in enumerate(messages[:count])]
    for item in items[:20]:
        drafter.payload(item)  # warm: compiled regexes and templates
    start = time.perf_counter()
    for item in items:
        drafter.payload(item)
    per = (time.perf_counter() - start) / len(items)
    profiler = cProfile.Profile()
    profiler.enable()
    for item in items:
        drafter.payload(item)
    profiler.disable()
    by_module: collections.Counter[str] = collections.Counter()
    for (file, _, func), (_, _, own, _, _) in pstats.Stats(profiler).stats.items():  # type: ignore[attr-defined]
        if "/replycoach/" in file:
            key = "replycoach/" + file.rsplit("/replycoach/", 1)[1]
        elif file == "~":
            key = "builtins (" + func.split(" of ")[0].strip("<>{}") + ")"
        else:
            key = file.rsplit("/lib/python3", 1)[-1].split("/", 1)[-1]
        by_module[key] += own
    total = sum(by_module.values())
    print(f"\nper message in one process: {per * 1e6:,.0f} us (unprofiled); own time by module (profiled):")
    for key, own in by_module.most_common(14):
        print(f"  {own / total * 100:5.1f}%  {key}")


def stages(messages: list[bytes], count: int) -> dict[str, float]:
    """CPU time per message of each stage a worker runs (after a warm-up), as
    ``batch.Drafter.draft`` runs them: parse, analyse, build (of which check), JSONL."""
    from replycoach.batch.pipeline import Drafter, Item, Options  # also in older trees (--stages-against)
    from replycoach.checking import checker
    from replycoach.message import parse_message
    from replycoach.reply.compose import analyse, build

    drafter = Drafter(Options(sets=["agent=Sam"], placeholders=True, now=NOW))
    sample = messages[: count + 50]
    for raw in sample[:50]:
        drafter.draft(raw)  # warm: compiled regexes, templates, the checker's memo
    spent = dict.fromkeys(("parse", "analyse", "build minus check", "check", "JSONL"), 0.0)
    real_check = checker.check

    def timed_check(*args: object, **kwargs: object) -> object:
        start = time.process_time()
        try:
            return real_check(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            spent["check"] += time.process_time() - start

    checker.check = timed_check  # type: ignore[assignment]
    try:
        log = drafter.history_log()
        for raw in sample[50:]:
            t0 = time.process_time()
            message = parse_message(raw)
            t1 = time.process_time()
            analysis = analyse(message, drafter.registry, db=log)
            t2 = time.process_time()
            result = build(
                message,
                drafter.registry,
                analysis,
                drafter.answers,
                placeholders=True,
                now=drafter.now,
                rules=drafter.rules,
            )
            t3 = time.process_time()
            drafter.render(Item("x", "bench", raw), result)  # the JSONL line, as a worker writes it
            t4 = time.process_time()
            spent["parse"] += t1 - t0
            spent["analyse"] += t2 - t1
            spent["build minus check"] += t3 - t2
            spent["JSONL"] += t4 - t3
    finally:
        checker.check = real_check  # type: ignore[assignment]
    spent["build minus check"] -= spent["check"]
    n = len(sample) - 50
    total = sum(spent.values())
    print(f"\nCPU per message by stage, one worker ({n} messages after 50 warm-up):")
    for name, seconds in spent.items():
        print(f"  {seconds / n * 1e6:7.0f} us  {name}")
    print(f"  {total / n * 1e6:7.0f} us  total: at most {2 / (total / n):,.0f} msg/s with 2 jobs on 2 free CPUs")
    return {name: seconds / n * 1e6 for name, seconds in spent.items()}


def budget(spent: dict[str, float], floor_rate: float, jobs: int) -> None:
    """The CPU a message may cost for each target, with ``jobs`` workers each on a CPU of
    its own (the best case: no parent, no start-up), and the stages that alone exceed it."""
    cpus = min(jobs, os.cpu_count() or 1)
    print(f"\nCPU per message each target allows with {jobs} jobs on {cpus} CPU(s), at best:")
    for name, rate in (
        ("5,000 msg/s", 5000.0),
        (f"0.25 x the floor ({0.25 * floor_rate:,.0f} msg/s)", 0.25 * floor_rate),
    ):
        allowed = cpus / rate * 1e6
        running, over = 0.0, []
        for stage, us in spent.items():
            running += us
            over.append(stage)
            if running > allowed:
                break
        what = f"parse to {over[-1]} alone is {running:,.0f} us" if running > allowed else "met by the stages"
        print(f"  {allowed:7.0f} us  for {name}: {what}")


def machinery_child(mbox: Path, count: int, jobs: int) -> dict[str, float]:
    """machinery_seconds, with the CPU of the parent and of its workers, per message."""
    import resource

    cpu = time.process_time()
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = machinery_seconds(mbox, jobs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    workers = (after.ru_utime + after.ru_stime) - (kids.ru_utime + kids.ru_stime)
    return {
        "wall": wall / count * 1e6,
        "parent CPU": (time.process_time() - cpu) / count * 1e6,
        "workers CPU": workers / count * 1e6,
    }


def _alternating(child: str, extra: list[str], src: str, messages: int, runs: int) -> dict[str, dict[str, float]]:
    """Run ``--CHILD`` for this checkout and for another source tree, taking turns run
    after run over one generated mbox; the median of each figure the child prints."""
    import json

    trees = {"this": str(HERE.parent / "src"), "against": src}
    seen: dict[str, list[dict[str, float]]] = {label: [] for label in trees}
    with tempfile.TemporaryDirectory() as tmp:
        mbox = Path(tmp) / "inbox.mbox"
        mailgen.write_mbox(mbox, messages)
        for _ in range(runs):
            for label, tree in trees.items():
                cmd = [sys.executable, __file__, f"--{child}", str(mbox), "--src", tree, *extra]
                out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
                seen[label].append(json.loads(out.strip().splitlines()[-1]))
    for label, tree in trees.items():
        print(f"  {label}: {tree}")
    return {label: {name: statistics.median(r[name] for r in rows) for name in rows[0]} for label, rows in seen.items()}


def _table(first: str, medians: dict[str, dict[str, float]], digits: int) -> None:
    print(f"  {first:<18} {'this':>8} {'against':>8}")
    for name, this in medians["this"].items():
        print(f"  {name:<18} {this:8.{digits}f} {medians['against'][name]:8.{digits}f}  us")


def machinery_against(src: str, count: int, jobs: int, runs: int) -> None:
    """The batch machinery line (wall, and CPU of the parent and of the workers) for
    this checkout and another source tree, in fresh processes taking turns."""
    print(
        f"batch machinery + message parsing only, --jobs {jobs}, median of {runs} alternating runs ({count} messages):"
    )
    medians = _alternating("machinery-child", ["--count", str(count), "--jobs", str(jobs)], src, count, runs)
    _table("per message", medians, 1)


def stages_against(src: str, count: int, runs: int) -> None:
    """The per-stage CPU of this checkout and of another source tree (e.g. main's
    ``src``), in fresh processes taking turns, run after run; medians per stage."""
    print(f"CPU per message by stage, median of {runs} alternating runs ({count} messages each):")
    medians = _alternating("stages-child", ["--count", str(count)], src, count + 50, runs)
    _table("stage", medians, 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--against", metavar="SRC", help="the whole command's msg/s for this tree and SRC")
    parser.add_argument("--stages-against", metavar="SRC", help="per-stage CPU of this tree and SRC, alternating")
    parser.add_argument("--machinery-against", metavar="SRC", help="the machinery line for this tree and SRC")
    parser.add_argument("--stages-child", metavar="MBOX", help=argparse.SUPPRESS)
    parser.add_argument("--machinery-child", metavar="MBOX", help=argparse.SUPPRESS)
    parser.add_argument("--src", help=argparse.SUPPRESS)  # the tree a child imports
    args = parser.parse_args()
    if args.stages_child or args.machinery_child:
        import json

        sys.path.insert(0, args.src)
        import replycoach

        assert replycoach.__file__.startswith(args.src), replycoach.__file__
        if args.stages_child:
            print(json.dumps(stages(split(Path(args.stages_child)), args.count)))
        else:
            print(json.dumps(machinery_child(Path(args.machinery_child), args.count, args.jobs)))
        return
    if args.stages_against:
        stages_against(args.stages_against, min(args.count, 1500), args.runs)
        return
    if args.machinery_against:
        machinery_against(args.machinery_against, args.count, args.jobs, args.runs)
        return
    replycoach = shutil.which("replycoach", path=str(Path(sys.executable).parent)) or "replycoach"
    if args.against:
        against(replycoach, args.against, args.count, args.jobs, args.runs)
        return
    tmp = Path(tempfile.mkdtemp())
    mbox = tmp / "inbox.mbox"
    size = mailgen.write_mbox(mbox, args.count)
    messages = split(mbox)
    assert len(messages) == args.count, len(messages)
    print(f"{args.count} messages, {size / args.count:,.0f} bytes on average; {os.cpu_count()} CPUs")

    floors, batches, machinery = [], [], []
    for _ in range(args.runs):
        floors.append(floor_seconds(messages))
        batches.append(batch_seconds(replycoach, mbox, args.jobs))
        machinery.append(machinery_seconds(mbox, args.jobs))
    floor, batch = statistics.median(floors), statistics.median(batches)
    bare = statistics.median(machinery)
    floor_rate, batch_rate = args.count / floor, args.count / batch
    print(
        f"floor: stdlib email parse + decode, 1 process  {floor / args.count * 1e6:8.1f} us/msg  {floor_rate:9,.0f} msg/s"
    )
    print(
        f"replycoach batch --jobs {args.jobs} (whole command)     {batch / args.count * 1e6:8.1f} us/msg  {batch_rate:9,.0f} msg/s"
    )
    print(
        f"batch machinery + message parsing only, --jobs {args.jobs}  {bare / args.count * 1e6:8.1f} us/msg  "
        f"{args.count / bare:9,.0f} msg/s  (no analysis, no drafting)"
    )
    print(f"target: >= 5,000 msg/s with 2 jobs: {batch_rate:,.0f} msg/s ({batch_rate / 5000:.2f} x the target)")
    print(f"target: >= 0.25 x the floor's throughput: {batch_rate / floor_rate:.3f} x")
    if args.profile:
        spent = stages(messages, min(1500, args.count))
        budget(spent, floor_rate, args.jobs)
        profile(messages, min(1000, args.count))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
