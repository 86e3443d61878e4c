"""Record, or compare against a record, the analysis JSON of many messages.

    python benchmarks/analysis_identity.py record OUT.json [--mailgen 400]
    python benchmarks/analysis_identity.py compare OLD.json [--mailgen 400]
    python benchmarks/analysis_identity.py record|compare FILE --listening


Run ``record`` on the code before a speed change and ``compare`` after it: every
message under tests/ and samples/, every text of the labelled eval CSVs (alone and
with a subject), and ``--mailgen`` generated emails must read exactly the same.
Prints how many messages were compared and the first differences; exit 1 on any.
``--listening`` adds the listening's keys (mode, asks, questions, deadline, repeat
contact, ... of ``reading.listening.listen``), as the draft reads them: a record taken
with it compares only with a run with it.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent.parent / "shared" / "eval"


def _eval_dir() -> Path:
    for candidate in (EVAL, ROOT.parent / "shared" / "eval"):
        if candidate.is_dir():
            return candidate
    return EVAL


def inputs(mailgen_count: int) -> Iterator[tuple[str, Any]]:
    from replycoach.message import Message, parse_message

    for folder in (ROOT / "tests", ROOT / "samples"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".eml", ".txt", ".md") and path.is_file():
                yield str(path.relative_to(ROOT)), parse_message(path.read_bytes())
    csvs = sorted((ROOT / "tests").rglob("*.csv")) + sorted(_eval_dir().glob("*.csv"))
    for path in csvs:
        with open(path, newline="", encoding="utf-8") as fh:
            for n, row in enumerate(csv.DictReader(fh)):
                text = row.get("text") or ""
                yield f"{path.name}:{n}", Message(body=text)
                # The subject path: the first words of the text as the subject.
                yield f"{path.name}:{n}:subject", Message(body=text, subject=" ".join(text.split()[:6]))
    if mailgen_count:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        import mailgen

        for n, raw in enumerate(mailgen.messages(mailgen_count)):
            yield f"mailgen:{n}", parse_message(raw)


def readings(mailgen_count: int, listening: bool = False) -> dict[str, Any]:
    from datetime import datetime

    from replycoach.playbook.registry import load_registry
    from replycoach.reading.analyze import analyze
    from replycoach.reading.listening import listen

    registry = load_registry()
    detected = registry.detected()
    needs = {pid: pb.get("needs", []) for pid, pb in registry.playbooks.items()}
    out = {}
    for name, message in inputs(mailgen_count):
        out[name] = analyze(message, detected, needs=needs)
        if listening:
            now = datetime.fromisoformat("2026-11-20T17:00:00+01:00")  # fixed: deadlines are dates
            found = out[name]
            out[name] = {
                **found,
                **listen(
                    message, message.body, found["scenario"]["id"], found["restatement"], now, found["anger"]["level"]
                ),
            }
    # Round-trip through JSON so the record and a fresh reading compare alike.
    return json.loads(json.dumps(out, ensure_ascii=False))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mode", choices=["record", "compare"])
    parser.add_argument("file")
    parser.add_argument("--mailgen", type=int, default=400)
    parser.add_argument("--listening", action="store_true", help="also the listening's keys")
    args = parser.parse_args()
    now = readings(args.mailgen, args.listening)
    if args.mode == "record":
        Path(args.file).write_text(json.dumps(now, ensure_ascii=False, sort_keys=True), encoding="utf-8")
        print(f"recorded {len(now)} readings to {args.file}")
        return 0
    old = json.loads(Path(args.file).read_text(encoding="utf-8"))
    diffs = [name for name in sorted(old.keys() | now.keys()) if old.get(name) != now.get(name)]
    print(f"compared {len(now)} readings: {len(diffs)} differ")
    for name in diffs[:10]:
        print(f"  {name}:")
        for key in sorted((old.get(name) or {}).keys() | (now.get(name) or {}).keys()):
            a, b = (old.get(name) or {}).get(key), (now.get(name) or {}).get(key)
            if a != b:
                print(f"    {key}: {a!r} -> {b!r}")
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main())
