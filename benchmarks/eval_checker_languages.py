"""The checker per language: its rule examples flagged, and the built-in drafts kept clean.

    python benchmarks/eval_checker_languages.py [--examples DIR] [--drafts] [--verbose]

1. Every rule example carries its language (``lang:``, English when absent). Per
   language, prints how many bad examples the rules flag and how many good ones they
   pass. ``--examples DIR`` reads the examples from another rules folder than the one
   checked with, so the examples of a newer pack can be run against an older checker:
   ``PYTHONPATH=<old checkout>/src python benchmarks/eval_checker_languages.py
   --examples rules``.
2. ``--drafts`` drafts every scenario sample (tests/fixtures/scenarios) in every
   built-in locale (``lang`` forced) and lists each finding above suggestion level
   other than ``unfilled-marker``, the drafter and checker disagreeing.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "fixtures" / "scenarios"
NOW = "2026-11-23T09:00:00+02:00"


def examples(folder: Path) -> list[tuple[str, str, str, str, str | None]]:
    """(rule id, bad/good, language, reply, message) for every example in ``folder``."""
    from replycoach.foundation.schema import plain
    from replycoach.foundation.yamlio import load_yaml_file

    out = []
    for path in sorted(folder.glob("*.yaml")):
        rule = plain(load_yaml_file(path))
        for want in ("bad", "good"):
            for item in rule.get("examples", {}).get(want, []):
                if isinstance(item, str):
                    item = {"reply": item}
                out.append((rule["id"], want, item.get("lang", "en"), item["reply"], item.get("message")))
    return out


def run_examples(folder: Path, verbose: bool) -> None:
    from replycoach.checking.checker import check

    caught: Counter[tuple[str, str]] = Counter()
    total: Counter[tuple[str, str]] = Counter()
    for rid, want, lang, reply, message in examples(folder):
        fired = any(f["rule"] == rid for f in check(reply, message=message))
        total[lang, want] += 1
        right = fired if want == "bad" else not fired
        caught[lang, want] += right
        if verbose and not right:
            print(f"  {lang} {want:<4} {rid:<22} {reply[:90]!r}")
    print(f"{'lang':<5} {'bad flagged':>12} {'good passed':>12}")
    for lang in sorted({k[0] for k in total}, key=lambda x: (x != "en", x)):
        bad = f"{caught[lang, 'bad']}/{total[lang, 'bad']}"
        good = f"{caught[lang, 'good']}/{total[lang, 'good']}"
        print(f"{lang:<5} {bad:>12} {good:>12}")


def run_drafts() -> None:
    import replycoach
    from replycoach.playbook import locales
    from replycoach.playbook.registry import load_registry

    registry = load_registry(())
    langs = ["en", *locales.available(registry.dirs)[1:]]
    samples = sorted(SAMPLES.glob("*/*.txt"))
    for lang in langs:
        dirty: list[tuple[str, str, str]] = []
        for sample in samples:
            answers = sample.with_suffix(".yaml")
            draft: dict[str, Any] = replycoach.draft_text(
                sample.read_bytes(),
                playbook=sample.parent.name,
                answers=str(answers) if answers.is_file() else None,
                sets={"agent": "Sam Carter"},
                placeholders=True,
                lang=lang,
                now=NOW,
            )
            for f in draft["findings"]:
                if f["severity"] in ("warning", "error") and f["rule"] != "unfilled-marker":
                    dirty.append((f"{sample.parent.name}/{sample.stem}", f["rule"], f["text"]))
        print(f"{lang}: {len(samples)} drafts, {len(dirty)} findings above suggestion")
        for name, rid, text in dirty:
            print(f"  {name:<40} {rid:<22} {text!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=Path, default=ROOT / "rules", help="rules folder to read examples from")
    parser.add_argument("--drafts", action="store_true", help="also draft every scenario sample in every locale")
    parser.add_argument("--verbose", "-v", action="store_true", help="list every example the rules get wrong")
    args = parser.parse_args(argv)
    run_examples(args.examples, args.verbose)
    if args.drafts:
        run_drafts()
    return 0


if __name__ == "__main__":
    sys.exit(main())
