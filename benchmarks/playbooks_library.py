"""What the playbook library costs: loading 15 playbooks instead of the foundation's 2,
with and without the marshal cache, and drafting every sample in-process.
Prints medians and ratios; no assertions.

    python benchmarks/playbooks_library.py [--runs 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "tests" / "fixtures" / "scenarios"
NOW = "2026-11-20T17:00:00+01:00"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    os.environ["REPLYCOACH_CACHE"] = tempfile.mkdtemp()
    sys.path.insert(0, str(ROOT / "src"))
    from replycoach.playbook.registry import _yaml_files, build_registry_data, load_registry, playbook_dirs

    dirs = playbook_dirs()
    every = _yaml_files(dirs)
    foundation = [f for f in every if f.stem in {"_types", "general", "damaged-or-defective"}]
    playbooks = len([f for f in every if not f.name.startswith("_")])

    # Validation from YAML (what a cache miss costs), foundation set against the library.
    small = median_ms(lambda: build_registry_data(dirs, foundation), args.runs)
    full = median_ms(lambda: build_registry_data(dirs, every), args.runs)
    load_registry()  # fill the cache
    warm = median_ms(load_registry, args.runs)
    print(f"validate 2 playbooks from YAML        {small:8.2f} ms")
    print(f"validate {playbooks} playbooks from YAML       {full:8.2f} ms  {full / small:5.1f} x the foundation")
    print(f"load {playbooks} playbooks from the cache      {warm:8.2f} ms  {full / warm:5.0f} x faster than YAML")

    samples = sorted(SCENARIOS.glob("*/*.txt"))

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from scenario_samples import draft_samples

    def draft_all() -> None:
        draft_samples(NOW)

    draft_all()  # compile templates and regexes once, as a long-running batch would
    total = median_ms(draft_all, max(3, args.runs // 5))
    print(
        f"draft {len(samples)} samples in-process (warm)    {total:8.1f} ms  {total / len(samples):5.2f} ms per draft"
    )


if __name__ == "__main__":
    main()
