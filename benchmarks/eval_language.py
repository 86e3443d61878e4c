"""Language detection: ours against lingua-language-detector, on the team's labelled rows.

    python benchmarks/eval_language.py [--split tune|test|all] [--labelled DIR]

Each labelled row (key ``lang``) is read as a draft reads it (``message.parse_message``:
headers, quoted history and signature stripped), then detected three ways:

- ``body``: the whole new text;
- ``sentence``: its first sentence of at least 3 words (a chat line's length);
- ``words``: its first 4 words (the shortest texts a tweet gives).

``ours`` is ``reading.language.detect_language``. ``lingua`` (if the package is installed;
it is not a dependency of replycoach) is asked among the same languages ours knows, once
with its low-accuracy mode (its fast one) and once with full accuracy, and its time per
text is printed beside ours. Hebrew and Russian are recognised by script by both.
"""

from __future__ import annotations

import argparse
import glob
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from replycoach.message import parse_message  # noqa: E402
from replycoach.reading.cuedata import signals  # noqa: E402
from replycoach.reading.language import detect_language  # noqa: E402


def _cuts(body: str) -> dict[str, str]:
    text = " ".join(body.split())
    first = next((s for s in re.split(r"(?<=[.!?])\s+", text) if len(s.split()) >= 3), text)
    return {"body": text, "sentence": first, "words": " ".join(text.split()[:4])}


def _lingua(codes: list[str], low: bool):  # type: ignore[no-untyped-def]
    try:
        from lingua import IsoCode639_1, LanguageDetectorBuilder
    except ImportError:
        return None
    langs = [getattr(IsoCode639_1, c.upper()) for c in codes if hasattr(IsoCode639_1, c.upper())]
    builder = LanguageDetectorBuilder.from_iso_codes_639_1(*langs)
    detector = (builder.with_low_accuracy_mode() if low else builder).build()

    def detect(text: str) -> str:
        found = detector.detect_language_of(text)
        code = found.iso_code_639_1.name.lower() if found else "en"
        return "nb" if code in ("nb", "no", "nn") else code

    return detect


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", choices=["tune", "test", "all"], default="test")
    ap.add_argument("--labelled", default=str(ROOT / "labelled"))
    args = ap.parse_args()
    rows = [
        json.loads(line)
        for f in sorted(glob.glob(f"{args.labelled}/*.jsonl"))
        for line in Path(f).read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    rows = [r for r in rows if r.get("lang") and (args.split == "all" or r.get("split") == args.split)]
    sig = signals()
    codes = sorted(set(sig["languages"]) | {"he", "ru"})
    detectors = {"ours": lambda t: detect_language(t, sig)}
    for name, low in (("lingua-fast", True), ("lingua", False)):
        found = _lingua(codes, low)
        if found:
            detectors[name] = found
    if len(detectors) == 1:
        print("(lingua-language-detector is not installed: only ours is measured)")
    texts = [(r["lang"], _cuts(parse_message(r["raw"].encode()).body)) for r in rows]
    print(
        f"{len(texts)} rows ({args.split}): "
        + ", ".join(f"{k} {v}" for k, v in sorted(Counter(g for g, _ in texts).items()))
    )
    print(f"{'detector':12} {'body':>7} {'sentence':>9} {'words':>7} {'ms/text':>8}")
    for name, detect in detectors.items():
        right = Counter[str]()
        start = time.perf_counter()
        for gold, cuts in texts:
            for cut, text in cuts.items():
                right[cut] += detect(text) == gold
        ms = (time.perf_counter() - start) * 1000 / (3 * max(len(texts), 1))
        n = max(len(texts), 1)
        print(f"{name:12} {right['body'] / n:7.3f} {right['sentence'] / n:9.3f} {right['words'] / n:7.3f} {ms:8.3f}")
    by_lang: dict[str, Counter[str]] = {}
    for gold, cuts in texts:
        for name, detect in detectors.items():
            by_lang.setdefault(gold, Counter())[name] += detect(cuts["sentence"]) == gold
    print(
        "first sentence, by language: "
        + "; ".join(
            f"{g} " + " ".join(f"{k} {c[k]}/{sum(1 for x, _ in texts if x == g)}" for k in detectors)
            for g, c in sorted(by_lang.items())
        )
    )


if __name__ == "__main__":
    main()
