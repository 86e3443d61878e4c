"""The analysis fast paths against the plain computations they replace, on every
fixture and sample message, labelled eval texts and generated emails: the word index,
the cue sets (literal checks, str.find starts), email masking and sentence spans."""

from __future__ import annotations

import csv
import random
import re
import sys
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest

from replycoach.message import parse_message
from replycoach.reading import analysis
from replycoach.reading.analysis import CueSet, cue_literals, cue_regex

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


def _plain_index(text: str) -> dict[str, list[int]]:
    """The word index as the per-word loop computed it before ``WordIndex``."""
    index: dict[str, list[int]] = {}
    low = text.lower()
    if len(low) != len(text):
        low = text
    for m in re.finditer(r"\w+", low):
        word = m.group()
        key = word[:3] if len(word) > 2 else word
        index.setdefault(key, []).append(m.start())
    for key, found_at in list(index.items()):
        for n in (1, 2):
            if len(key) >= n and key[:n] in analysis._SHORT_KEYS:
                index.setdefault(key[:n] + "*", []).extend(found_at)
    return index


def test_word_index_agrees_with_a_per_word_loop() -> None:
    analysis.signals()  # the short keys the cue sets use
    for text in TEXTS:
        fast, present = analysis.word_index(text)
        plain = _plain_index(text)
        assert set(fast.keys()) == set(plain), text
        for key, found_at in plain.items():
            assert sorted(fast[key]) == sorted(found_at), (key, text)
        # Every character; None for ASCII text (the cue sets ask ``in`` about those).
        assert present == (None if text.isascii() else frozenset(text))
        if text.isascii():
            assert fast.tokens == re.findall(r"\w+", text)  # the words as written (anger)
            assert fast.words == re.findall(r"\w+", text.lower())


def _cue_sets() -> list[CueSet]:
    sets = [v for v in analysis.signals().values() if isinstance(v, CueSet)]
    cues = analysis._scenario_cues([])
    return [*sets, cues["cues"], *cues["negative"].values()]


def _cue_regexes() -> Iterator[tuple[str, str]]:
    """(cue, its regex) for every cue of the built-in cue sets."""
    for cues in _cue_sets():
        for _, cue, _ in cues.cues:
            yield cue, cue_regex(cue)


def _whole_indexed() -> Iterator[tuple[str, analysis.WordIndex]]:
    """(text, its word index) for each of TEXTS looked up by whole words."""
    for text in TEXTS:
        index, _ = analysis.word_index(text)
        if index.whole:
            yield text, index


def test_cue_sets_find_what_plain_search_finds() -> None:
    for cues in _cue_sets():
        plain = [re.compile(cue_regex(c), re.IGNORECASE) for _, c, _ in cues.cues]
        for text in TEXTS:
            if len(text.lower()) != len(text):
                # "İ" lowers to two characters: the index then keys the text as it is, so
                # capitalised cue words are not found (as before; left alone on purpose).
                continue
            slow = []
            for i, ((label, _, weight), regex) in enumerate(zip(cues.cues, plain, strict=True)):
                m = regex.search(text)
                if m:
                    slow.append((m.start(), i, label, m.group(0), weight))
            expected = [(label, matched, weight, pos) for pos, _, label, matched, weight in sorted(slow)]
            assert cues.hits(text) == expected, text


def test_whole_word_keys_hold_every_match_at_a_word_start() -> None:
    """``cue_keys(words=True)``: wherever a cue matches (any start, not only the first),
    the lowered word there is one of its whole words or begins with one of its keys."""
    checked = 0
    for cue, regex in _cue_regexes():
        whole, keys = analysis.cue_keys(regex, words=True)
        if whole is None:
            continue
        compiled = re.compile(regex, re.IGNORECASE)
        for text in TEXTS:
            low = text.lower()
            if len(low) != len(text) or "ſ" in low or "ı" in low:
                continue  # such texts are not looked up by whole words
            for at in range(len(text)):
                m = compiled.match(text, at)
                if not m:
                    continue
                word = re.match(r"\w*", low[at:]).group(0)  # type: ignore[union-attr]
                starts = [k[:-1] if k.endswith("$") else k for k in keys or ()]
                assert word in whole or any(
                    word == k if len(k) < 3 and (k + "$") in (keys or ()) else word.startswith(k) for k in starts
                ), (cue, text[at : at + 40])
                checked += 1
    assert checked > 1000


def test_whole_word_keys_examples() -> None:
    assert analysis.cue_keys(r"\bthird time\b", words=True) == (["third"], [])
    assert analysis.cue_keys(cue_regex("don't care"), words=True) == (["don", "dont"], [])
    # "\d+" and "scam\w*" do not end within the pattern: their starts stay keys.
    assert analysis.cue_keys(r"\b(?:each time|(?:two|\d+) times)\b", words=True)[0] == ["each"]
    assert analysis.cue_keys(r"\b(?:scam\w*|rip off)\b", words=True) == (["rip"], ["sca"])
    assert analysis.cue_keys(r"\b(?:faen|satan)", words=True) == (None, None)


def test_cue_literals_occur_wherever_the_cue_matches() -> None:
    checked = 0
    for cue, regex in _cue_regexes():
        literals = cue_literals(regex)
        if not literals:
            continue
        compiled = re.compile(regex, re.IGNORECASE)
        for text in TEXTS:
            if compiled.search(text):
                folded = analysis._folded(text)
                assert any(lit in folded for lit in literals), (cue, text)
                checked += 1
    assert checked > 100


def test_required_keys_start_words_within_every_match() -> None:
    """``cue_required`` and ``cue_gates``: every match (of finditer, in every text
    looked up by whole words) has a word starting inside it whose index key is in the
    cue's required set, and in the gate of the key of the word it begins with; so a
    text whose index lacks a whole set holds no match (starting at such a word)."""
    checked = gated = 0
    for cue, regex in _cue_regexes():
        required = analysis.cue_required(regex) or []
        gates = analysis.cue_gates(regex) or {}
        if not required and not any(gates.values()):
            continue
        compiled = re.compile(regex, re.IGNORECASE)
        for text, index in _whole_indexed():
            starts = index._word_starts
            word_starts = set(starts)
            for m in compiled.finditer(text):
                inside = [
                    word[:3]
                    for word, at in zip(index.words, starts, strict=False)
                    if m.start() <= at < max(m.end(), m.start() + 1)
                ]
                for keys in required:
                    assert set(inside) & set(keys), (cue, keys, m.group(0))
                    checked += 1
                # The gate of the word the match begins with (when it begins one).
                gate = gates.get(inside[0]) if m.start() in word_starts else None
                if gate:
                    assert set(inside) & set(gate), (cue, gate, m.group(0))
                    gated += 1
    assert checked > 500
    assert gated > 500


def test_ascii_builds_match_as_the_cues_do_in_ascii_text() -> None:
    """``CueSet._ascii_pattern`` (re.ASCII, used on ASCII texts): at every word start and
    in a search, the same match as the cue's own regex, in every ASCII text."""
    checked = 0
    fuzz = random.Random(11)
    extra = ["".join(fuzz.choice("ab I'm not_9 ,.!?-\t\nxyzK") for _ in range(40)) for _ in range(300)]
    ascii_texts = [t for t in [*TEXTS, *extra] if t.isascii()]
    for cues in _cue_sets():
        for i in range(len(cues.cues)):
            plain, fast = cues._pattern(i), cues._ascii_pattern(i)
            for text in ascii_texts:
                found, expected = fast.search(text), plain.search(text)
                assert (found and found.span()) == (expected and expected.span()), (cues.cues[i][1], text)
                for word in re.finditer(r"\b", text):
                    found, expected = fast.match(text, word.start()), plain.match(text, word.start())
                    assert (found and found.span()) == (expected and expected.span()), (cues.cues[i][1], text)
                checked += 1
    assert checked > 10000


def test_ascii_entity_patterns_match_as_the_plain_ones_in_ascii_text() -> None:
    """``_entity_regexes(True)`` (re.ASCII, used on ASCII texts): the same matches as the
    plain patterns, in every ASCII text (at every position of the shorter ones)."""
    plain, fast = analysis._entity_regexes(), analysis._entity_regexes(True)
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


def test_ascii_safe_cues() -> None:
    assert analysis._ascii_safe(r"\b(?:refund|money back)\b")
    for odd in (r"\bſo\b", "\u212aelvin", r"x\u0131", r"(?u)\w+", r"\x41"):
        assert not analysis._ascii_safe(odd), odd


def test_leads_begin_the_word_of_every_match() -> None:
    """``cue_leads``: a match (of finditer, or at any word start) beginning at a word of a
    key with leads begins at a word that starts with one of them."""
    checked = 0
    for cue, regex in _cue_regexes():
        leads = analysis.cue_leads(regex)
        if not leads:
            continue
        compiled = re.compile(regex, re.IGNORECASE)
        for text, index in _whole_indexed():
            for word, at in zip(index.words, index._word_starts, strict=False):
                key = word[:3]
                if key in leads and compiled.match(text, at):
                    assert any(word.startswith(lead) for lead in leads[key]), (cue, word)
                    checked += 1
    assert checked > 300


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"\b(?:faen|jævl\w*|forbanna\w*|fy faen)", {"fae": ["faen"], "for": ["forbanna"]}),
        (r"\b(?:for|forbanna)\b", None),  # "for" itself begins no longer
        (r"\b(?:dick\w*|prick)\b", {"dic": ["dick"], "pri": ["prick"]}),
        (r"\b(?:jævl|jeg vil)\b", None),  # "j" then another script: the starts are not known
    ],
)
def test_cue_leads_examples(regex: str, expected: dict[str, list[str]] | None) -> None:
    assert analysis.cue_leads(regex) == expected


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"\b(?:i demand|or else|how dare)\b", {"how": ["dar"], "i": ["dem"], "or": ["els"]}),
        (r"\b(?:every time|\d+ times|3rd time)\b", {"3rd": None, "eve": ["tim"]}),  # a digit may begin "3rd"
        (r"\b(?:faen|satan)", {"fae": None, "sat": None}),
        (r"\b(?:a)\b|\bnot\s+(?:here|arrived)\s+yet\b", {"a": None, "not": ["yet"]}),
        (r"(?:foo|bar)\b", None),  # need not begin a word
    ],
)
def test_cue_gates_examples(regex: str, expected: dict[str, list[str] | None] | None) -> None:
    assert analysis.cue_gates(regex) == expected


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"\bi\s+(?:\w+\s+){0,2}(?:cancel|close|leave)\b", [["can", "clo", "lea"]]),
        (r"\bthird\s+time\b", [["tim"]]),  # "thi" starts too many words
        (r"\bwhy\s+(?:is|was)\s+my\s+(?:card|bill)\b", [["bil", "car"]]),  # not the first word's
        (r"\b(?:no rush|not a big deal)\b", [["big", "rus"]]),
        (r"\b(?:faen|satan)", None),  # the first words: true wherever the cue is tried
        (r"\bi(?:'m)?\b", None),  # only common words
        (r"\d+ (?:days?|weeks?)", [["day", "wee"]]),  # after a space: a word starts
        (r"x(?:foo)", None),  # "foo" need not start a word
        (r"\b(?:håp\w*|x)", None),  # not ASCII
    ],
)
def test_cue_required_examples(regex: str, expected: list[list[str]] | None) -> None:
    assert analysis.cue_required(regex) == expected


@pytest.mark.parametrize(
    ("regex", "expected"),
    [
        (r"\b(?:charged?|fee)\b", ["charge", "fee"]),
        (r"\bwhat the (?:hell|heck)\b", ["what the he"]),  # the parser moves "he" out of the branch
        (r"\b(?:a|bc)\b", None),  # too short to be worth a check
        (r"\b(?:foo\w*|x)", None),  # one alternative without a literal of three
    ],
)
def test_cue_literals_examples(regex: str, expected: list[str] | None) -> None:
    assert cue_literals(regex) == expected


def test_special_folds_are_found_in_the_folded_text() -> None:
    # "ſ" matches "s" and "ı"/"İ" match "i" under IGNORECASE: the folded text holds the
    # ASCII letters, so a literal check never rules such a match out.
    for odd, letter in analysis._FOLDS.items():
        assert re.fullmatch(letter, odd, re.IGNORECASE)
        assert letter in analysis._folded(f"x{odd}x")


def test_email_masking_agrees_with_sub() -> None:
    email = analysis._entity_regexes()["email"]
    rng = random.Random(7)
    alphabet = "ab.+-_@ x1é\n,;:!İ٣"
    fuzz = ["".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))) for _ in range(20000)]
    for text in [*TEXTS, *fuzz]:
        assert analysis._without_emails(text, email) == email.sub(" ", text), text


def test_sentence_spans_agree_with_the_one_character_pattern() -> None:
    title = r"(?:(?<=\bMr)|(?<=\bMs)|(?<=\bMrs)|(?<=\bDr)|(?<=\bSt)|(?<=\bvs)|(?<=\be\.g)|(?<=\bi\.e))\."
    plain = re.compile(r"(?:[^.!?\n]|\.(?=\w)|" + title + r")+(?:[.!?]+|$)", re.M)
    rng = random.Random(3)
    fuzz = ["".join(rng.choice("ab .!?\n5\tMrsDtvegi") for _ in range(rng.randrange(0, 25))) for _ in range(20000)]
    fuzz += ["See Mr. Jones, e.g. today. Ms. Li vs. Dr. No i.e. St. Ives.", "Mrs. X", "v1.2 example.com. Mr."]
    for text in [*TEXTS, *fuzz]:
        spans = [(m.start(), m.end()) for m in plain.finditer(text) if m.group().strip()]
        assert analysis._sentence_spans(text) == spans, text
        assert analysis.sentences(text) == [s.strip() for s in plain.findall(text) if s.strip()]


def test_capital_words_agree_with_the_caps_pattern() -> None:
    caps_word = re.compile(r"\b[^\W\d_]{3,}\b")
    extra = ["ABC x² X²Y ÀÉÎ_ABC A1B ABCD5 Ⅻ ÉTÉ ŁÓDŹ", "HELLO_WORLD hi THERE", "ǅUNGLA DŽDŽD ʰʰʰ"]
    for text in [*TEXTS, *extra]:
        words = caps_word.findall(text)
        tokens = re.findall(r"\w+", text)
        assert [w for w in tokens if len(w) >= 3 and analysis._letters_only(w)] == words, text
        assert [w for w in filter(str.isupper, tokens) if len(w) >= 3 and analysis._letters_only(w)] == [
            w for w in words if w.isupper()
        ]


def _plain_swap(sentence: str) -> str:
    """restate's person swap as it was, without the early return for other words."""

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower().replace("’", "'")
        if low == "was" and not analysis._AFTER_I.search(sentence[: m.start()]):
            return word
        new = analysis._SWAP.get(low, word)
        if low == "you" and m.start() > 0 and analysis._AFTER_VERB.search(sentence[: m.start()]):
            new = "us"
        if word[0].isupper() and m.start() == 0:
            new = new[:1].upper() + new[1:]
        return new

    return analysis._PERSON_WORD.sub(swap, sentence.strip())


def test_restate_swap_agrees_with_the_plain_swap() -> None:
    extra = [
        *["Ünd İstanbul was KELVIN here", "Kelvin İ ſo my order", "İ was sent to you", "ſtill you", " I was"],
        *["I'mm I'me you'rex uſ ıt my2 2my Amy i'dd MY-self yours' you’ve Wasn't was_ I'LL", "ı İm mY Myself"],
    ]
    rng = random.Random(5)
    pieces = ["i", "I", "m", "'", "’", "me", "my", "y", "self", "you", "re", "ve", "was", "us", "ll", "d", "ine"]
    pieces += ["ſ", "ı", "İ", "2", "_", " ", " ", ",", "A", "ours", "our", "am", "we", "im", "-"]
    extra += ["".join(rng.choice(pieces) for _ in range(rng.randrange(1, 12))) for _ in range(5000)]
    checked = 0
    for text in [*TEXTS, *extra]:
        for sentence in [*analysis.sentences(text), text]:
            fast = analysis._PERSON_WORD.sub(partial(analysis._swap_person, sentence), sentence.strip())
            assert fast == _plain_swap(sentence), sentence
            # Only the swappable words: the same result.
            only = analysis._SWAP_WORD.sub(partial(analysis._swap_person, sentence), sentence.strip())
            assert only == fast, sentence
            checked += 1
    assert checked > 1000


def test_cue_regexes_built_on_first_use_are_the_compiled_ones() -> None:
    """Cue sets from the cache build each regex when a message first needs it; what they
    build is what re.compile gives, and engine code that fails to load falls back to it."""
    for cues in _cue_sets():
        for (_, cue, _), regex in zip(cues.cues, cues.regexes, strict=True):
            plain = re.compile(cue_regex(cue), re.IGNORECASE)
            assert (regex.pattern, regex.flags, regex.groups) == (plain.pattern, plain.flags, plain.groups)

    # The built-in cue sets come from the cache: their engine code (stored as bytes)
    # loads without falling back to re.compile.
    for cues in _cue_sets():
        for make in cues._makers:
            assert isinstance(make, partial) and isinstance(make(), re.Pattern)

    # The lookup tables stored with the cache entry are the ones the cues give.
    for cues in _cue_sets():
        cues.hits("a text looked up by whole words")
        assert (cues._by_key_rest, cues._by_word) == CueSet(cues.cues).whole_tables()

    def broken() -> re.Pattern[str]:
        raise RuntimeError("stale engine code")

    plain = CueSet([("x", "refund", 1.0)])
    entry = (broken, *[plain.keys[0], None, plain.literals[0], None, None])
    lazy = CueSet([("x", "refund", 1.0)], [entry])
    assert lazy.hits("I want a Refund now") == plain.hits("I want a Refund now") == [("x", "Refund", 1.0, 9)]


def test_entities_after_card_masking_agree_with_a_fresh_reading() -> None:
    """``entities`` skips the card search in a text ``mask_cards`` found no card in."""
    texts = [*TEXTS, "card 4111 1111 1111 1111 and 4111 1111 1111 1112", "4012888888881881"]
    for text in texts:
        fresh = "".join(list(text))
        analysis.mask_cards(text)
        assert analysis.entities(text) == analysis.entities(fresh), text
