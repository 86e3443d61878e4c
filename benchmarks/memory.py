"""Peak memory: one `replycoach draft`, and `replycoach batch` at two inbox sizes.

    python benchmarks/memory.py [--small 10000] [--large 100000] [--jobs 2]

Peak RSS of the largest single process (getrusage of the waited-for children), and
the peak of the whole process tree (parent + workers) sampled from /proc every 50 ms.
Targets: one draft <= 40 MiB; batch flat (within 10%) from the small to the large inbox.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import mailgen  # noqa: E402

ROOT = HERE.parent
NOW = "2026-11-20T17:00:00+01:00"


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        child, parent = int(entry), int(fields[1])
        children.setdefault(parent, []).append(child)
        rss[child] = int(fields[21]) * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total


def measure(cmd: list[str]) -> tuple[float, float]:
    """(peak MiB of the largest process, peak MiB of the whole tree) for one run of ``cmd``."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    env = dict(os.environ, REPLYCOACH_NO_PROGRESS="1")
    proc = subprocess.Popen([sys.executable, "-c", probe, *cmd], stdout=subprocess.PIPE, text=True, env=env)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_kib(proc.pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, _ = proc.communicate()
    done.set()
    sampler.join()
    return int(out.strip()) / 1024, peak / 1024  # the tree includes the small probe process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--small", type=int, default=10000)
    parser.add_argument("--large", type=int, default=100000)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    replycoach = shutil.which("replycoach", path=str(Path(sys.executable).parent)) or "replycoach"
    tmp = Path(tempfile.mkdtemp())

    draft = [replycoach, "draft", str(ROOT / "samples" / "damaged.eml"), "--set", "agent=Sam"]
    measure(draft)  # warm the caches first: a cold run also parses YAML
    largest, _ = measure(draft)
    print(f"one draft: peak RSS {largest:.1f} MiB (target <= 40 MiB)")

    results = {}
    for count in (args.small, args.large):
        mbox = tmp / f"inbox-{count}.mbox"
        mailgen.write_mbox(mbox, count)
        cmd = [replycoach, "batch", str(mbox), "--jobs", str(args.jobs), "--set", "agent=Sam", "--placeholders"]
        cmd += ["--now", NOW]
        started = time.perf_counter()
        results[count] = measure(cmd)
        elapsed = time.perf_counter() - started
        largest, tree = results[count]
        print(
            f"batch of {count:>7,} messages, {args.jobs} jobs: largest process {largest:6.1f} MiB, "
            f"whole tree {tree:6.1f} MiB (probe included)  [{elapsed:.0f} s]"
        )
        mbox.unlink()
    (s_largest, s_tree), (l_largest, l_tree) = results[args.small], results[args.large]
    print(
        f"flatness {args.small:,} -> {args.large:,}: largest process {l_largest / s_largest - 1:+.1%}, "
        f"whole tree {l_tree / s_tree - 1:+.1%} (target within +-10%)"
    )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
