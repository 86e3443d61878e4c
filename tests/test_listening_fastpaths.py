"""The listening's cue lists tried at word starts (``reading.anyof.AnyOf``) against the
joined regexes they stand for, on every fixture, sample, eval and generated text, each
text's sentences, and texts made to defeat the word index."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from replycoach.foundation.errors import DataError
from replycoach.reading import listening
from replycoach.reading.anyof import _FOLDS, AnyOf
from replycoach.reading.prefilter import match_starts
from tests.test_analysis_fastpaths import TEXTS

ODD = [
    "ıt was a refund I wanted, ſecond time I write",  # IGNORECASE folds the index does not
    "İ want a REFUND. İ am writing the second time",  # lowers to more characters
    "Верните мне деньги! Это уже второй раз, пишу снова. До завтра.",
    "אני רוצה החזר כספי. כבר כתבתי. עד מחר",
    "Ich möchte mein Geld zurück, bis Freitag. Schreibe schon wieder!",
    "not not never again, still broken; by today or tomorrow or monday, 3rd time",
    "",
    "refund",
]


def _shape(m: re.Match[str] | None) -> Any:
    # A group of another alternative is absent from the fast match, None in the joined one.
    found = None if m is None else {k: v for k, v in m.groupdict().items() if v is not None}
    return None if m is None else (m.span(), m.group(0), m.lastgroup, found)


def _lists() -> dict[str, AnyOf]:
    cues = listening._cues()
    # The asking frames are plain regexes (searched between positions): not an AnyOf.
    out = {f"asks.{aid}": rx for aid, rx in cues["asks"].items() if isinstance(rx, AnyOf)}
    out.update({name: cues[name] for name in ("praise", "trouble", "repeat", "day")})
    return out


def _texts() -> list[str]:
    texts = [*ODD, *TEXTS]
    for text in list(texts):
        texts += listening.sentences(text)
    return texts


def test_search_and_finditer_are_the_joined_regexes() -> None:
    texts = _texts()
    checked = 0
    for name, rx in _lists().items():
        for text in texts:
            assert _shape(rx.search(text)) == _shape(rx.plain.search(text)), (name, text)
            fast = [_shape(m) for m in rx.finditer(text)]
            assert fast == [_shape(m) for m in rx.plain.finditer(text)], (name, text)
            checked += 1
    assert checked > 50000


def test_the_plain_regexes_are_the_cue_lists_joined() -> None:
    data = listening.load_cues(Path(listening.__file__).parent.parent / "data" / "listening.yaml")
    cues = listening._cues()
    joined = "|".join(f"(?:{p})(?!\\w)" for p in data["asks"]["refund"])
    assert cues["asks"]["refund"].plain.pattern == joined
    assert cues["trouble"].plain.pattern == "|".join(f"(?:{p})(?!\\w)" for p in data["trouble"])
    assert cues["day"].plain.pattern == listening._day_words(data["deadline"]).pattern
    m = cues["day"].search("I need it by Friday")
    assert m is not None and m.lastgroup == "d4" and m.group(0) == "Friday"


def test_cached_starts_are_the_walked_ones() -> None:
    for rx in _lists().values():
        walked = AnyOf(rx.alternatives, [match_starts(a) for a in rx.alternatives])
        assert walked._by_key == rx._by_key and walked._chars == rx._chars


def test_the_word_index_is_left_where_it_could_miss() -> None:
    rx = AnyOf([r"(?:\brefund)(?!\w)", r"(?:верн\w*)(?!\w)"], [match_starts(r"\brefund"), match_starts(r"верн\w*")])
    assert rx._keyed("I want a refund") and rx._keyed("a refund, merci à vous")
    for text in ("верните refund", "ıt is a refund", "İ want a refund"):
        assert not rx._keyed(text)
        assert _shape(rx.search(text)) == _shape(rx.plain.search(text))
    # An unkeyed alternative starting with an ASCII character is tried in ASCII texts too.
    dollars = AnyOf([r"\$\d+", r"\brefund\b"], [match_starts(r"\$\d+"), match_starts(r"\brefund\b")])
    assert not dollars._keyed("a $40 refund") and dollars._keyed("a refund")
    assert _shape(dollars.search("a $40 refund")) == ((2, 5), "$40", None, {})


def test_folds_leave_one_lowercase_of_each_ignorecase_class() -> None:
    """A text character and a cue character that IGNORECASE matches with each other, but
    whose lowercases differ, always have one of the two in ``_FOLDS`` (the text then
    uses the plain regex, the cue has no word keys)."""
    from re import _casefix  # type: ignore[attr-defined]

    for low, others in _casefix._EXTRA_CASES.items():
        members = [chr(c) for c in (low, *others)]
        unfolded = {ch.lower() for ch in members if not _FOLDS.match(ch)}
        assert len(unfolded) <= 1, members


def test_cues_that_do_not_join_into_one_regex_are_a_data_error(tmp_path: Path) -> None:
    src = (Path(listening.__file__).parent.parent / "data" / "listening.yaml").read_text(encoding="utf-8")
    # Each cue alone is a valid regex; joined, group "n" is defined twice.
    bad = src.replace("repeat:\n", "repeat:\n  - '\\b(?P<n>again) and again'\n", 1)
    assert bad != src
    path = tmp_path / "listening.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError, match=r"listening\.yaml: repeat: the cues do not join into one pattern"):
        listening.load_cues(path)
