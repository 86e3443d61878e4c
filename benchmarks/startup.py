"""Start-up cost: `replycoach draft` and `--help` against `python -c pass` and a bare
jinja2-cli render of a comparable template from a YAML file. Prints medians and ratios.

    python benchmarks/startup.py [--runs 30] [--breakdown] [--no-compile] [--instructions]
    python benchmarks/startup.py --against SRC [--runs 30] [--only draft|help] [--draft-arg ARG ...]

Needs `jinja2-cli` in the same environment (pip install jinja2-cli) for the reference.

Bytecode: pip compiles an installed package's modules to .pyc at install time, and
the reference (jinja2, yaml) runs from such bytecode. An editable checkout gets .pyc
only when Python writes them on import, which PYTHONDONTWRITEBYTECODE=1 turns off:
then every start recompiles every replycoach module (~55 ms on the 2-core dev box).
So replycoach's modules are compiled first, as pip would (`--no-compile` skips that
and measures the checkout as it is).

`--against SRC` runs each replycoach command twice over, once with this checkout's
`src` and once with SRC (another checkout's `src`, e.g. one with a speed mechanism
taken out) first on `PYTHONPATH`, each with a cache folder of its own, all taking
turns; it prints both medians and their ratio (what the mechanism buys).
`--draft-arg` adds arguments to the draft command (e.g. `--set=country=FI`).

`--instructions` also counts each command's instructions with valgrind's callgrind:
steady from run to run on a busy machine, where wall times swing by a third. It does
not see waiting on files and page faults, so it flatters the side that opens more
files; the wall-time ratio stays the target.
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
CACHE = tempfile.mkdtemp(prefix="replycoach-startup-cache-")
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


def medians_ms(
    commands: dict[str, list[str]], runs: int, envs: dict[str, dict[str, str]] | None = None
) -> dict[str, float]:
    """Median wall time of each command. The commands take turns, run after run, so a
    burst of load on this shared machine slows all of them alike and ratios stay fair.
    ``envs`` adds variables for some commands (by name)."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    # A cache folder of its own, filled by the warm-up runs: what a user's cache holds
    # after a few drafts, not whatever a developer's experiments left in ~/.cache.
    env = dict(os.environ, NO_COLOR="1", REPLYCOACH_CACHE=CACHE)
    for i in range(runs + 3):
        for name, cmd in commands.items():
            start = time.perf_counter()
            run_env = dict(env, **(envs or {}).get(name, {}))
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=run_env)
            if i >= 3:  # warm-up runs fill the OS page cache and replycoach's caches
                times[name].append((time.perf_counter() - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


PHASES = """
import sys, time
t = [time.perf_counter()]
def lap(name):
    now = time.perf_counter(); print(f"{name}\t{(now - t[0]) * 1000:.2f}"); t[0] = now
from replycoach import api; lap("import replycoach.api (message, answers, playbooks, schema)")
from replycoach.message import parse_message; raw = open(sys.argv[1], "rb").read(); m = parse_message(raw)
lap("parse_message (email package imports + message regexes)")
from replycoach.playbook.registry import load_registry, template_dirs; reg = load_registry(()); lap("load_registry (cached)")
from replycoach.reply.compose import analyse, build; lap("import replycoach.reply.compose")
a = analyse(m, reg); lap("analyse (analysis cue regexes compiled + run)")
answers = api.collect_answers(None, ["agent=Sam"])
from replycoach.foundation.templating import environment; env = environment(template_dirs(reg.dirs)); lap("render.environment (jinja2 import)")
build(m, reg, a, answers); lap("build (templates from bytecode cache, deadline, checker)")
"""


def breakdown(runs: int) -> None:
    """Where one draft's time goes, phase by phase (medians), for the module owners."""
    samples: dict[str, list[float]] = {}
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", PHASES, str(SAMPLE)], capture_output=True, text=True, check=True
        ).stdout
        for line in out.splitlines():
            name, ms = line.split("\t")
            samples.setdefault(name, []).append(float(ms))
    print("\none draft, phase by phase (after interpreter start-up):")
    for name, values in samples.items():
        print(f"  {statistics.median(values):6.1f} ms  {name}")


def instructions(commands: dict[str, list[str]]) -> dict[str, int]:
    """Instructions of one run of each command (after a run that fills the caches)."""
    import re

    counts = {}
    for name, cmd in commands.items():
        env = dict(os.environ, NO_COLOR="1", REPLYCOACH_CACHE=CACHE)
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            env=env,
        ).stderr
        found = re.search(r"Collected : (\d+)", out)
        if found:
            counts[name] = int(found.group(1))
    return counts


def ensure_bytecode(package: Path | None = None) -> str:
    """Compile replycoach's modules the way ``pip install`` does; say what was found."""
    import compileall
    import importlib.util

    if package is None:
        spec = importlib.util.find_spec("replycoach")
        if spec is None or spec.origin is None:
            return "replycoach not importable here"
        package = Path(spec.origin).parent
    sources = sorted(package.rglob("*.py"))
    fresh = [p for p in sources if Path(importlib.util.cache_from_source(str(p))).is_file()]
    compileall.compile_dir(str(package), quiet=1)  # rewrites only missing or stale .pyc
    return f"bytecode: {len(fresh)}/{len(sources)} modules had .pyc, now compiled like an install"


def against(replycoach: str, src: str, runs: int, only: str | None, draft_args: list[str]) -> None:
    """Each replycoach command with this checkout's ``src`` and with ``src``, taking turns."""
    trees = {"this": str(ROOT / "src"), "against": str(Path(src).resolve())}
    commands: dict[str, list[str]] = {}
    envs: dict[str, dict[str, str]] = {}
    shown = {
        "--help": [replycoach, "--help"],
        "draft (text)": [replycoach, "draft", str(SAMPLE), "--set", "agent=Sam", "--format", "text", *draft_args],
    }
    for label, tree in trees.items():
        print(f"{label}: {tree}  ({ensure_bytecode(Path(tree) / 'replycoach')})")
        for what, cmd in shown.items():
            if only is None or only in what:
                commands[f"{what} [{label}]"] = cmd
                envs[f"{what} [{label}]"] = {"PYTHONPATH": tree, "REPLYCOACH_CACHE": os.path.join(CACHE, label)}
    results = medians_ms(commands, runs, envs)
    for what in shown:
        if only is None or only in what:
            this, other = results[f"{what} [this]"], results[f"{what} [against]"]
            print(f"{what:<16} this {this:7.1f} ms  against {other:7.1f} ms  against/this {other / this:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--breakdown", action="store_true", help="also time each phase of one draft")
    parser.add_argument("--no-compile", action="store_true", help="do not compile replycoach's modules first")
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    parser.add_argument("--against", metavar="SRC", help="compare with another checkout's src, taking turns")
    parser.add_argument("--only", choices=("draft", "help"), help="with --against: only this command")
    parser.add_argument("--draft-arg", action="append", default=[], help="an extra argument for the draft command")
    args = parser.parse_args()
    if args.against:
        bindir = Path(sys.executable).parent
        replycoach = shutil.which("replycoach", path=str(bindir)) or "replycoach"
        against(replycoach, args.against, args.runs, args.only, args.draft_arg)
        return
    if not args.no_compile:
        print(ensure_bytecode())
    elif os.environ.get("PYTHONDONTWRITEBYTECODE"):
        print("bytecode: not compiled, and PYTHONDONTWRITEBYTECODE is set: modules are recompiled on every start")
    bindir = Path(sys.executable).parent
    replycoach = shutil.which("replycoach", path=str(bindir)) or "replycoach"
    jinja = shutil.which("jinja2", path=str(bindir))
    tmp = Path(tempfile.mkdtemp())
    (tmp / "t.j2").write_text(TEMPLATE)
    (tmp / "d.yaml").write_text(DATA)

    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "replycoach --help": [replycoach, "--help"],
        "replycoach draft (text)": [replycoach, "draft", str(SAMPLE), "--set", "agent=Sam", "--format", "text"],
    }
    if jinja:
        commands["jinja2-cli render (reference)"] = [jinja, str(tmp / "t.j2"), str(tmp / "d.yaml")]
    results = medians_ms(commands, args.runs)
    ref = results.get("jinja2-cli render (reference)")
    for name, ms in results.items():
        ratio = f"{ms / ref:5.2f} x jinja2-cli" if ref else ""
        print(f"{name:<32} {ms:7.1f} ms  {ratio}")
    if ref:
        print(
            f"targets: draft <= 0.80 x ({results['replycoach draft (text)'] / ref:.2f}), "
            f"--help <= 0.50 x ({results['replycoach --help'] / ref:.2f})"
        )
    else:
        print("jinja2-cli not installed: pip install jinja2-cli for the reference ratio")
    if args.instructions:
        if shutil.which("valgrind") is None:
            print("--instructions needs valgrind")
        else:
            counts = instructions(commands)
            ref_count = counts.get("jinja2-cli render (reference)")
            print("\ninstructions (callgrind, one run each):")
            for name, count in counts.items():
                ratio = f"{count / ref_count:5.2f} x jinja2-cli" if ref_count else ""
                print(f"{name:<32} {count / 1e6:7.1f} M   {ratio}")
    if args.breakdown:
        breakdown(args.runs)


if __name__ == "__main__":
    main()
