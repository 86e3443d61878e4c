"""Start-up cost: `replycoach draft` and `--help` against `python -c pass` and a bare
jinja2-cli render of a comparable template from a YAML file. Prints medians and ratios.

    python benchmarks/startup.py [--runs 30]

Needs `jinja2-cli` in the same environment (pip install jinja2-cli) for the reference.
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

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "damaged.eml"

TEMPLATE = """Hi {{ customer.first_name }},

Thank you for telling me about {{ problem }}. {{ empathy }} {{ apology }}

{{ resolution }} I will write to you by {{ deadline }}.

Best regards,
{{ agent }}
"""
DATA = """customer: {first_name: Ana}
problem: "the blender that arrived cracked"
empathy: "Waiting for something and finding it broken is a real letdown."
apology: "I am sorry: we sent it to you damaged, and that is on us."
resolution: "I am sending you a replacement at no cost."
deadline: "Monday, 23 November, 3 pm"
agent: Sam
"""


def median_ms(cmd: list[str], runs: int, stdin: bytes | None = None) -> float:
    times = []
    env = dict(os.environ, NO_COLOR="1")
    for i in range(runs + 3):
        start = time.perf_counter()
        subprocess.run(cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        if i >= 3:  # warm-up runs fill the OS page cache and replycoach's data cache
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    bindir = Path(sys.executable).parent
    replycoach = shutil.which("replycoach", path=str(bindir)) or "replycoach"
    jinja = shutil.which("jinja2", path=str(bindir))
    tmp = Path(tempfile.mkdtemp())
    (tmp / "t.j2").write_text(TEMPLATE)
    (tmp / "d.yaml").write_text(DATA)

    rows = [
        ("python -c pass", median_ms([sys.executable, "-c", "pass"], args.runs)),
        ("replycoach --help", median_ms([replycoach, "--help"], args.runs)),
        (
            "replycoach draft (text)",
            median_ms([replycoach, "draft", str(SAMPLE), "--set", "agent=Sam", "--format", "text"], args.runs),
        ),
    ]
    ref = None
    if jinja:
        ref = median_ms([jinja, str(tmp / "t.j2"), str(tmp / "d.yaml")], args.runs)
        rows.append(("jinja2-cli render (reference)", ref))
    for name, ms in rows:
        ratio = f"{ms / ref:5.2f} x jinja2-cli" if ref else ""
        print(f"{name:<32} {ms:7.1f} ms  {ratio}")
    if not jinja:
        print("jinja2-cli not installed: pip install jinja2-cli for the reference ratio")


if __name__ == "__main__":
    main()
