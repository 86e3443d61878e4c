"""Which language a text is in: its script first (Hebrew, Cyrillic, Greek, Arabic, Thai,
Korean, Japanese, Chinese), then its frequent words and telltale letters
(``languages`` in data/signals.yaml)."""

from __future__ import annotations

import re

from replycoach.reading.cuedata import Signals

_WORD = re.compile(r"\w+")

_HEBREW = re.compile(r"[\u0590-\u05ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Scripts that name their language (kana before Han: Japanese writes both).
_SCRIPTS = (
    (_HEBREW, "he"),
    (_CYRILLIC, "ru"),
    (re.compile(r"[\u0370-\u03ff\u1f00-\u1fff]"), "el"),
    (re.compile(r"[\u0600-\u06ff]"), "ar"),
    (re.compile(r"[\u0e00-\u0e7f]"), "th"),
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"), "ko"),
    (re.compile(r"[\u3040-\u30ff]"), "ja"),
    (re.compile(r"[\u4e00-\u9fff]"), "zh"),
)
_UKRAINIAN = re.compile(r"[іїєґІЇЄҐ]")  # letters Russian does not have


def detect_language(text: str, sig: Signals) -> str:
    """Script first (Hebrew, Cyrillic, Greek, Arabic, Thai, Korean, Japanese, Chinese),
    then frequent words plus telltale letters."""
    sample = text[:3000]
    for script, code in () if sample.isascii() else _SCRIPTS:
        if script.search(sample):
            own = len(script.findall(sample))
            if own >= len(_LATIN.findall(sample)) * 0.3:
                return "uk" if code == "ru" and _UKRAINIAN.search(sample) else code
    low = sample.lower()
    words = _WORD.findall(low)[:400]
    if not words:
        return "en"
    from collections import Counter

    scores = dict.fromkeys(sig["languages"], 0.0)  # in the data's order: ties go to the first
    listed = sig["language_words"]
    counts = Counter(words)
    for word in listed.keys() & counts.keys():
        count = counts[word]
        for lang in listed[word]:
            scores[lang] += count
    for lang, letters in sig["languages"].items():
        if letters and any(ch in low for ch in letters):
            scores[lang] += 0.5 * min(6, sum(low.count(ch) for ch in letters))
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else "en"
