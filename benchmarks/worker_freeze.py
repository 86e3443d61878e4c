"""CPU per message of a batch worker with and without freezing its warm heap.

    .venv/bin/python benchmarks/worker_freeze.py [--count 1600] [--runs 3]

Each run is a fresh process that drafts mailgen messages chunk by chunk through
``batch._worker_chunk`` as a worker does, with the freeze after the first chunk on
(``_FREEZE_PENDING``, as ``_worker_init`` sets it) or off; the two alternate run by
run so load on a shared machine hits both alike. Prints the median CPU (process
time) per message after the first chunk.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
NOW = "2026-11-20T17:00:00+01:00"


def child(count: int, freeze: bool) -> float:
    sys.path.insert(0, str(HERE))
    import mailgen
    from replycoach.batch import pipeline as batch

    batch._WORKER = batch.Drafter(batch.Options(sets=["agent=Sam"], placeholders=True, now=NOW))
    batch._FREEZE_PENDING = freeze
    fields = [(str(n), "bench", raw, None) for n, raw in enumerate(mailgen.messages(count))]
    chunks = [fields[k : k + batch.CHUNK] for k in range(0, len(fields), batch.CHUNK)]
    batch._worker_chunk(chunks[0])  # warm-up, and the freeze when on
    start = time.process_time()
    for chunk in chunks[1:]:
        batch._worker_chunk(chunk)
    return (time.process_time() - start) / (count - len(chunks[0]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1600)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", choices=("on", "off"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(child(args.count, args.child == "on"))
        return
    seen: dict[str, list[float]] = {"off": [], "on": []}
    for _ in range(args.runs):
        for mode in seen:
            cmd = [sys.executable, __file__, "--child", mode, "--count", str(args.count)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            seen[mode].append(float(out.strip().splitlines()[-1]))
    for mode, values in seen.items():
        runs = ", ".join(f"{v * 1e6:.0f}" for v in values)
        print(f"freeze {mode:3}: {statistics.median(values) * 1e6:6.0f} us/msg CPU (median; runs: {runs})")


if __name__ == "__main__":
    main()
