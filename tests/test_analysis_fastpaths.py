"""The analysis fast paths against the plain computations they stand for, on every
fixture and sample message, labelled eval texts and generated emails: the cue sets'
word-start keys, the entity patterns tried at word starts and digit runs, and the
re.ASCII builds of the entity patterns."""

from __future__ import annotations

import csv
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from replycoach.message import parse_message
from replycoach.reading import entities
from replycoach.reading.cuedata import scenario_cues, signals
from replycoach.reading.cues import CueSet, cue_regex
from replycoach.reading.prefilter import match_starts, matches_at_words, word_start_keys

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"  # the labelled sets beside the repository, when present
ODD = [
    "f*** this!!! ?! «Ok» ‘quoted’ İstanbul 100% off 5 days ago",
    "I was ſo ANNOYED, İ İNSİST on a refund. ıt never came!!",
    "לא מרוצה בכלל!! אתבע אתכם / עורך דין",
    "Это возмутительно!!! Я в ярости. Заказ №4821",
    "$49 fee charged twice?! 12.99€ charge, 30 dollars charged :) /s",
    "mail me at a.b+c@example.com.x@y.org or @home; x@y z@w.co",
    "wow!really.no?yes\n\n...\n1.5 and 2. then",
    # The money cue: alternatives at word starts ("dollars") and on "$" or digits.
    "a12$ then x charged; 30 dollars fee; Euro2 charge",
    "you took 4\t$ and then\x0b charged me",
    "pounds, pounds... POUNDS were charged!",
    "x9€ fee",
    "ab 7 fee for $ 3 charge",
    # Entities at word starts and digit runs: "reorder 12345" is no order number.
    "reorder 12345, order #A-4821 and ORDER NO. 55-1234; +1 (415) 555-0199 x+44 20 7946 0958",
    "on Monday, last week, 3 days ago, the day before yesterday, May 3rd 2024, 12/05/2024",
    "USD 40, US$12.50, 1 000,50 €, 20kr, 7 dollars, eur5, a5 USD",
]


def _texts() -> list[str]:
    texts = list(ODD)
    for folder in (ROOT / "tests", ROOT / "samples"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".eml", ".txt") and path.is_file():
                message = parse_message(path.read_bytes())
                texts += [message.body, message.subject]
            elif path.suffix == ".csv":
                with open(path, encoding="utf-8", newline="") as fh:
                    texts += [row.get("text") or "" for row in csv.DictReader(fh)]
    for path in sorted(EVAL.glob("*.csv")) if EVAL.is_dir() else []:
        with open(path, encoding="utf-8", newline="") as fh:
            texts += [row.get("text") or "" for row in csv.DictReader(fh)][:150]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import mailgen

    texts += [parse_message(raw).body for raw in mailgen.messages(60)]
    return texts


TEXTS = _texts()


def _cue_sets() -> list[CueSet]:
    sets = [v for v in signals().values() if isinstance(v, CueSet)]
    cues = scenario_cues([])
    return [*sets, cues["cues"], *cues["negative"].values()]


def test_cue_sets_find_what_plain_search_finds() -> None:
    checked = 0
    for cues in _cue_sets():
        for text in TEXTS:
            if len(text.lower()) != len(text):
                # "İ" lowers to two characters: the index then keys the text as it is, so
                # capitalised cue words are not found (as before; left alone on purpose).
                continue
            assert cues.hits(text) == cues.hits_plain(text), text
            checked += 1
    assert checked > 10000


def test_plain_search_is_a_search_for_every_cue() -> None:
    cues = CueSet([("a", "refund", 1.0), ("b", "re:!{2,}", 0.5), ("a", "money back", 2.0)])
    text = "I want my MONEY back!! And a Refund."
    plain = [re.compile(cue_regex(c), re.IGNORECASE).search(text) for _, c, _ in cues.cues]
    expected = sorted((m.start(), i, m.group(0)) for i, m in enumerate(plain) if m)
    assert cues.hits_plain(text) == [(cues.cues[i][0], s, cues.cues[i][2], pos) for pos, i, s in expected]
    assert cues.hits(text) == [("a", "MONEY back", 2.0, 10), ("b", "!!", 0.5, 20), ("a", "Refund", 1.0, 29)]


def test_keyed_cues_match_only_at_words_with_their_keys() -> None:
    """The fact ``hits`` rests on: wherever a keyed cue matches (any start, not only the
    first), the lowered word there has one of its keys."""
    checked = 0
    for cues in _cue_sets():
        for (_, cue, _), keys in zip(cues.cues, cues.keys, strict=True):
            if keys is None:
                continue
            compiled = re.compile(cue_regex(cue), re.IGNORECASE)
            for text in TEXTS:
                low = text.lower()
                if len(low) != len(text):
                    continue
                for m in compiled.finditer(text):
                    word = re.match(r"\w*", low[m.start() :]).group(0)  # type: ignore[union-attr]
                    assert any(word == k[:-1] if k.endswith("$") else word.startswith(k) for k in keys), (cue, word)
                    checked += 1
    assert checked > 1000


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"\bthird time\b", ["thi"]),
        (cue_regex("don't care"), ["don"]),
        (r"\b(?:i demand|or else)\b", ["i$", "or$"]),  # a whole short word
        (r"\bno\w*", ["no"]),  # a short start: every word beginning "no"
        (r"\b\d+ times", list("0123456789")),
        (r"!{2,}|\?!", None),  # need not start a word: searched
        (r"(?:foo|bar)\b", None),
    ],
)
def test_word_start_keys_examples(regex: str, expected: list[str] | None) -> None:
    assert word_start_keys(regex) == expected


def test_cached_cue_starts_are_the_walked_ones() -> None:
    """The cue sets come from the cache with their keys and first characters; those are
    what ``match_starts`` gives, and a cue set built without them walks the same."""
    for cues in _cue_sets():
        walked = [match_starts(cue_regex(c)) for _, c, _ in cues.cues]
        assert list(zip(cues.keys, cues.chars, strict=True)) == walked
        fresh = CueSet(cues.cues)
        assert (fresh.keys, fresh.chars) == (cues.keys, cues.chars)


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"\bthird time\b", (["thi"], None)),
        (r"!{2,}|\?!", (None, "!?")),
        (r"(?:в ярости|\bбесит)", (None, "БВбв")),
        (r"(?<!\w)/s\b", (None, "/")),
        (r"\W*hi", (None, None)),  # may start with any non-word character: searched
    ],
)
def test_match_starts_examples(regex: str, expected: tuple[list[str] | None, str | None]) -> None:
    assert match_starts(regex) == expected


def test_unkeyed_cues_are_skipped_only_where_none_of_their_first_characters_occurs() -> None:
    """What the characters skip rests on: wherever an unkeyed cue matches, the text there
    starts with one of its characters."""
    checked = 0
    for cues in _cue_sets():
        for (_, cue, _), chars in zip(cues.cues, cues.chars, strict=True):
            if chars is None:
                continue
            compiled = re.compile(cue_regex(cue), re.IGNORECASE)
            for text in TEXTS:
                for m in compiled.finditer(text):
                    assert text[m.start()] in chars, (cue, m.group(0))
                    checked += 1
    assert checked > 50


def test_entity_patterns_at_word_starts_and_digit_runs_are_the_anchored_searches() -> None:
    r"""``matches_at_words`` and ``_at_digits`` (entity patterns tried where a listed word or a
    run of digits starts a word) find what a search of the pattern anchored there
    (``\b``, ``(?<!\w)``) finds."""
    rng = random.Random(17)
    alphabet = "0123456789 -.,/#:$€+()kKrEURusdorder No\n"
    extra = ["".join(rng.choice(alphabet) for _ in range(60)) for _ in range(3000)]
    words = {
        "order_word": entities._ORDER_WORDS,
        "date_word": entities._DATE_WORDS,
        "amount_code": [*entities._CODES, "us", "ca", "au"],
    }
    checked = 0
    for ascii_text in (False, True):
        rx = entities._entity_regexes(ascii_text)
        anchored = {
            name: re.compile(
                (r"\b(?:" if name in words else r"(?<!\w)(?:") + rx[name].pattern + ")",
                rx[name].flags,
            )
            for name in [*words, "date_number", "amount_number", "phone"]
        }
        for text in [*TEXTS, *extra]:
            if text.isascii() != ascii_text or len(text.lower()) != len(text):
                continue
            runs = [m.start() for m in rx["digits"].finditer(text)]
            for name, plain in anchored.items():
                if name in words:
                    fast = matches_at_words(rx[name], text, words[name])
                else:
                    fast = entities._at_digits(rx[name], text, runs, lead="+(" if name == "phone" else "")
                assert [m.span() for m in fast] == [m.span() for m in plain.finditer(text)], (name, text)
            checked += 1
    # The 3,000 random texts and the fixtures (../shared/eval adds more where it is present:
    # a clone elsewhere has none of it).
    assert checked > 3500


def test_ascii_entity_patterns_match_as_the_plain_ones_in_ascii_text() -> None:
    """``_entity_regexes(True)`` (re.ASCII, used on ASCII texts): the same matches as the
    plain patterns, in every ASCII text (at every position of the shorter ones)."""
    plain, fast = entities._entity_regexes(), entities._entity_regexes(True)
    rng = random.Random(13)
    extra = ["".join(rng.choice("0123456789 -.,/#:$@+()kKrEURusd_ab\n") for _ in range(60)) for _ in range(2000)]
    checked = 0
    for text in [t for t in [*TEXTS, *extra] if t.isascii()]:
        for name, regex in plain.items():
            assert [m.span() for m in fast[name].finditer(text)] == [m.span() for m in regex.finditer(text)], name
            if len(text) <= 300:
                for at in range(len(text)):
                    found, expected = fast[name].match(text, at), regex.match(text, at)
                    assert (found and found.span()) == (expected and expected.span()), (name, text, at)
            checked += 1
    assert checked > 10000


def test_ascii_safe_patterns() -> None:
    assert entities._ascii_safe(r"\b(?:refund|money back)\b")
    for odd in (r"\bſo\b", "\u212aelvin", r"x\u0131", r"(?u)\w+", r"\x41"):
        assert not entities._ascii_safe(odd), odd


def test_entities_are_read_alike_from_equal_texts() -> None:
    """What is kept per text object (the word index, the hits) never leaks into the
    reading of another text: a fresh copy reads the same."""
    texts = [*TEXTS, "card 4111 1111 1111 1111 and 4111 1111 1111 1112", "4012888888881881"]
    for text in texts:
        fresh = "".join(list(text))
        entities.mask_cards(text)
        assert entities.entities(text) == entities.entities(fresh), text


def _cue_sets_and_fresh_ones() -> Iterator[tuple[CueSet, CueSet]]:
    for cues in _cue_sets():
        if cues.cues:
            yield cues, CueSet(cues.cues)


def test_hits_kept_per_text_are_the_fresh_hits() -> None:
    for cues, fresh in _cue_sets_and_fresh_ones():
        for text in TEXTS[:300]:
            first = cues.hits(text)
            assert cues.hits(text) is first  # kept for the same text object
            assert fresh.hits("".join(list(text))) == first


def test_cue_regexes_are_compiled_on_first_use_as_re_compile_would() -> None:
    cues = CueSet([("x", "refund", 1.0), ("y", "re:!{2,}", 1.0), ("z", "money back", 2.0)])
    assert cues._regexes == [None, None, None]  # nothing compiled before a text is read
    cues.hits("I want a Refund!!")
    assert cues._regexes[2] is None  # "money back": no word "mon" in the text, never tried
    for (_, cue, _), regex in zip(cues.cues, cues.regexes, strict=True):
        assert regex == re.compile(cue_regex(cue), re.IGNORECASE)
