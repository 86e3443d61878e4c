"""Agreement of the greeting name the reading chooses (``analyze``'s ``greet_name``) with
the rows' ``greet_name`` label, per language.

    python benchmarks/eval_greeting.py [FILE.jsonl ...] [--split tune|test] [--show]

Rows: the given JSON Lines files, else ``labelled/*.jsonl``. Three kinds of miss are
counted apart, as a reader feels them differently: a wrong name (a surname, a mailbox,
a greeting word: the worst), a name where none can be known, and no name where one was
there to find (a plain "Hello," is never wrong, only less warm). ``--show`` lists the
misses: of the tune split only for ``labelled/`` (test rows are measured, never read to fix
a case); of every row of files named on the command line (the caller knows what they are).
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def rows(paths: list[Path], split: str | None) -> list[dict[str, object]]:
    found = [
        json.loads(line)
        for path in paths or sorted((ROOT / "labelled").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    return [r for r in found if "greet_name" in r and (split is None or r.get("split") == split)]


def main(argv: list[str] | None = None) -> int:
    import replycoach

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--split", choices=("tune", "test"))
    parser.add_argument("--show", action="store_true", help="list the misses (tune split only)")
    args = parser.parse_args(argv)
    chosen = rows(args.files, args.split)
    tally: dict[str, Counter[str]] = {}
    misses: list[tuple[str, str, object, object]] = []
    for row in chosen:
        gold = row["greet_name"] or None
        got = replycoach.analyze_text(str(row["raw"])).get("greet_name") or None
        kind = (
            "agree"
            if got == gold
            else "wrong name"
            if got and gold
            else "name, none known"
            if got
            else "no name, one known"
        )
        lang = str(row.get("lang", "?"))
        for key in (lang, "all"):
            tally.setdefault(key, Counter())[kind] += 1
        if kind != "agree" and (args.files or row.get("split") == "tune"):
            misses.append((str(row["id"]), kind, gold, got))
    kinds = ("agree", "wrong name", "name, none known", "no name, one known")
    print(f"{len(chosen)} rows" + (f" ({args.split})" if args.split else ""))
    print(f"  {'lang':5}" + "".join(f"{k:>20}" for k in kinds))
    for lang in sorted(tally, key=lambda k: (k == "all", k)):
        n = sum(tally[lang].values())
        print(f"  {lang:5}" + "".join(f"{tally[lang][k]:>14} /{n:>4}" for k in kinds))
    if args.show:
        for item in misses:
            print("  ", *item)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
