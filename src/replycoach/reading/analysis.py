"""What the tool reads in a customer's message: scenario, anger, urgency, risks, type,
complaint, entities, wants and missing information, each with the evidence that decided it.

All cues and weights are data: built-in scenario cues in ``data/scenarios.yaml`` (a
playbook's own ``detect:`` section replaces them for that id), everything else in
``data/signals.yaml``. Both are validated strictly on a cache miss only; this module
applies them.

How it stays fast (benchmarks/bench_analysis.py): each cue is its own small regex,
tried only where a word of the message starts with one of the cue's possible first
letters (``cue_keys`` + ``word_index``); one big alternation would make Python's regex
engine try every cue at every position. Compiled regexes are rebuilt from engine code
cached next to the validated data, so a new process does not pay the compiler. A test
(tests/test_analysis_data.py) checks that this finds exactly what a plain search does.

On top of that (tests/test_analysis_fastpaths.py compares each with the plain
computation): the word index is built with a few C-level passes (``WordIndex``); a cue
whose required literals (``cue_literals``) are absent from the folded text is not tried;
cues without word keys start only on a few caseless characters found with ``str.find``,
or (in ASCII text) on per-alternative word keys and characters; results are kept per
text object for the body, the subject and the sentences a restatement is looked for in.
A cue whose first words the pattern spells out in full is tried only where such a whole
word starts (``cue_keys(words=True)``, ``WordIndex.by_word``), not at every word sharing
its first three letters. Each cue's regex is built from its cached engine code when a
message first tries it, and the lookup tables are stored with the cache entry.

Round three (the same tests compare each with the plain computation, and every match of
every corpus text checks the facts they rest on): a cue is not a candidate where a word
every match needs is missing from the text, for the whole cue (``cue_required``) or for
the way it begins at a given first word (``cue_gates``: "i" of "i demand|or else" needs
"dem"); it is tried only at the words that begin with the longer start it spells out
(``cue_leads``: "forbanna" of "forbanna\\w*", not every "for"). The word index sorts
positions by whole word, so words and keys are both slices. ASCII texts are split, and
matched by cues and entity patterns, with re.ASCII builds (``_ascii_safe``: the same
matches there, with table lookups instead of Unicode calls).
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from functools import partial
from itertools import accumulate
from operator import itemgetter
from pathlib import Path
from typing import Any

from replycoach.foundation.regexes import compiled_regexes as _compiled_regexes
from replycoach.foundation.regexes import from_engine_code, group, stored_code
from replycoach.message import Message

_CACHE: dict[str, Any] = {}

# Scenarios where the customer reports something that went wrong (a complaint by nature);
# the rest (refund, cancellation, discount, feature, manager) may be plain requests.
_PROBLEM_SCENARIOS = frozenset({"damaged-or-defective", "late-delivery", "billing-error", "outage"})


# Module regexes: compiled on first use, from cached engine code (see ``regexes``).
_Lazy = group("module", __file__)


# --- cue compilation -----------------------------------------------------------


def cue_regex(cue: str) -> str:
    """A phrase becomes a whole-word, space-flexible, apostrophe-tolerant regex;
    ``re:`` marks a raw regular expression."""
    if cue.startswith("re:"):
        return cue[3:]
    words = [re.escape(w).replace("'", "['’]?") for w in cue.split()]
    body = r"\s+".join(words)
    left = r"\b" if re.match(r"\w", cue) else ""
    right = r"\b" if re.search(r"\w$", cue) else ""
    return f"{left}{body}{right}"


def cue_keys(regex: str, split: bool = False, words: bool = False) -> tuple[list[str] | None, str | None]:
    """How to find a cue fast: ``(keys, chars)``.

    ``keys``: the lowercase word starts (up to 3 letters) a match must begin with,
    when it starts at a word boundary; the cue is then tried only where a word of
    the message starts that way. Otherwise ``chars``: the characters a match can
    start with, so the cue is skipped when the message has none of them (Hebrew
    cues on English text). Both None: search every message. This turns "every cue
    at every position" (the cost of one big alternation in Python's regex engine)
    into a few anchored ``match`` calls per message.

    ``words=True``: ``(words, keys)``, the whole lowercase first words a match can
    begin with where the pattern spells them out in full up to their end (``\b``, a
    space, an apostrophe...), and keys as above for the other starts. A match at a word
    start that begins with a whole word needs that exact word there, which is rarer
    than its first three letters ("third time" is not tried at every "this").
    ``(None, None)`` when no whole word is known or the match need not start a word.
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(regex, re.IGNORECASE)
    except Exception:  # a private API that may change: plain search is always correct
        return None, None

    def char_set(op: Any, av: Any) -> set[str] | None:
        if op is c.LITERAL:
            return {chr(av).lower()}
        out: set[str] = set()
        for iop, iav in av:
            if iop is c.LITERAL:
                out.add(chr(iav).lower())
            elif iop is c.RANGE and iav[1] - iav[0] <= 26:
                out.update(chr(x).lower() for x in range(iav[0], iav[1] + 1))
            elif iop is c.CATEGORY and iav is c.CATEGORY_DIGIT:
                out.update("0123456789")
            elif iop is c.CATEGORY and iav is c.CATEGORY_SPACE:
                out.add(" ")
            else:
                return None
        return out

    def seq(items: Any, prefixes: list[str], words_only: bool) -> tuple[list[str], bool]:
        """Extend every prefix through ``items``; True when the walk had to stop.
        A prefix that cannot be extended at all comes back as ""."""
        items = list(items)
        for i, (op, av) in enumerate(items):
            if words and words_only:
                if all(p.endswith("$") for p in prefixes):
                    return prefixes, True
            elif all(len(p) >= (3 if words_only else 1) for p in prefixes):
                return prefixes, True
            if words and words_only and op is c.AT and av is c.AT_BOUNDARY:
                # After a word character, \b means the word ends here.
                prefixes = [p + "$" if p and not p.endswith("$") else p for p in prefixes]
                continue
            if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
                continue
            if op is c.LITERAL or op is c.IN:
                chars = char_set(op, av)
                if chars is None:
                    return prefixes, True
                if words_only and not all(ch.isalnum() or ch == "_" for ch in chars):
                    if not any(ch.isalnum() or ch == "_" for ch in chars):
                        # The word ends here: a short key must be the whole word ("i$").
                        if words:
                            return [p if p.endswith("$") else p + "$" for p in prefixes], True
                        return [p + "$" if len(p) < 3 else p for p in prefixes], True
                    return prefixes, True
                if words:
                    grown = (p if p.endswith("$") else p + ch for p in prefixes for ch in chars)
                else:
                    grown = (p + ch if len(p) < 3 else p for p in prefixes for ch in chars)
                prefixes = list(dict.fromkeys(grown))
                if len(prefixes) > 400:
                    return [p[:1] for p in prefixes], True
                continue
            if op is c.SUBPATTERN:
                prefixes, stopped = seq(av[-1], prefixes, words_only)
                if stopped:
                    return prefixes, True
                continue
            if op is c.BRANCH:
                out: list[str] = []
                stopped = False
                for alt in av[1]:
                    more, stop = seq(alt, prefixes, words_only)
                    out += more
                    stopped = stopped or stop
                prefixes = list(dict.fromkeys(out))
                if stopped:
                    return prefixes, True
                continue
            if op in (c.MAX_REPEAT, c.MIN_REPEAT):
                through, stop = seq(av[2], prefixes, words_only)
                if av[0] > 0:
                    return through, True
                skipped, _ = seq(items[i + 1 :], prefixes, words_only)  # optional: or what follows
                return list(dict.fromkeys(through + skipped)), True
            return prefixes, True
        return prefixes, False

    def at_boundary(items: Any) -> bool:
        for op, av in items:
            if op is c.AT:
                return bool(av is c.AT_BOUNDARY)
            if op is c.SUBPATTERN:
                return at_boundary(av[-1])
            if op is c.BRANCH:
                return all(at_boundary(alt) for alt in av[1])
            return False
        return False

    def split_starts(items: list[Any]) -> tuple[list[str] | None, str | None]:
        # Each alternative of a leading group on its own: word keys where it starts at a
        # word boundary, else its first characters ("[$€]\d+|\d+[$€]|\bdollar…").
        while items and items[0][0] is c.SUBPATTERN and len(items) == 1:
            items = list(items[0][1][-1])
        if not items:
            return None, None
        op, av = items[0]
        rest = items[1:]
        if op is c.SUBPATTERN:
            inner = list(av[-1])
            if len(inner) != 1 or inner[0][0] is not c.BRANCH:
                return None, None
            alts = inner[0][1][1]
        elif op is c.BRANCH:
            alts = av[1]
        else:
            return None, None
        keys: set[str] = set()
        chars: set[str] = set()
        for alt in alts:
            path = [*alt, *rest]
            if at_boundary(path):
                more, _ = seq(path, [""], True)
                if more and "" not in more:
                    keys.update(more)
                    continue
            firsts, _ = seq(path, [""], False)
            if not firsts or "" in firsts:
                return None, None
            chars.update(p[0] for p in firsts)
        if not keys or not chars:
            return None, None
        return sorted(keys), "".join(sorted(chars | {ch.upper() for ch in chars}))

    if split:
        return split_starts(list(tree))
    if words:
        if not at_boundary(tree):
            return None, None
        found, _ = seq(tree, [""], True)
        plain_keys = set(cue_keys(regex)[0] or ())
        whole: set[str] = set()
        rest: set[str] = set()
        for p in found:
            word = p[:-1] if p.endswith("$") else None
            if word and word.isascii():
                # ASCII words only: no other letter folds onto them but "ſ", "ı" and "İ"
                # (``_FOLDS``), and texts holding those are not looked up by whole words.
                whole.add(word)
            elif word:
                rest.add(word[:3] if len(word) >= 3 else p)
            elif len(p) >= 3:
                rest.add(p[:3])  # the word goes on beyond what the pattern spells out
            elif p in plain_keys:
                rest.add(p)  # a short start the index knows ("no*")
            else:
                return None, None
        if not whole:
            return None, None
        return sorted(whole), sorted(rest)  # type: ignore[return-value]
    if at_boundary(tree):
        keys, _ = seq(tree, [""], True)
        if keys and "" not in keys:
            return sorted(set(keys)), None
    firsts, _ = seq(tree, [""], False)
    if firsts and "" not in firsts:
        chars = {p[0] for p in firsts}
        return None, "".join(sorted(chars | {ch.upper() for ch in chars}))
    return None, None


# The characters besides "x" and "X" that an ASCII letter or digit matches under
# IGNORECASE in Python's engine (found by trying every code point): "ſ" matches "s",
# "ı" and "İ" match "i" ("K", the Kelvin sign, lowers to "k" anyway). ``_lowered``
# maps them to their ASCII letter, so an ASCII literal of a cue occurs in the lowered
# text wherever the cue matches.
_FOLDS = {"ſ": "s", "ı": "i", "İ": "i"}
# What \s matches in ASCII text besides " ".
_ASCII_SPACES = "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"


def cue_literals(regex: str) -> list[str] | None:
    """Strings of which every match of ``regex`` (IGNORECASE) contains at least one, in
    lowercase, when some are at least three characters long: a cue whose strings are
    all absent from the lowered text cannot match, so its regex is not tried at all.
    None when no such strings are known (always correct: the cue is simply tried)."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(regex, re.IGNORECASE)
    except Exception:
        return None

    def safe_piece(run: str) -> str:
        # The longest stretch of plain ASCII: other scripts fold in more ways.
        pieces = re.split(r"[^\x00-\x7f]", run.lower())
        return max(pieces, key=len)

    def score(options: list[str] | None) -> int:
        return min((len(o) for o in options), default=0) if options else 0

    def seq(items: Any) -> list[str] | None:
        best: list[str] | None = None
        run = ""
        for op, av in [*items, (None, None)]:
            if op is c.LITERAL:
                run += chr(av)
                continue
            found: list[str] | None = None
            if run:
                piece = safe_piece(run)
                found = [piece] if piece else None
                run = ""
                if score(found) > score(best):
                    best = found
            if op is c.SUBPATTERN:
                found = seq(av[-1])
            elif op is c.BRANCH:
                alts = [seq(alt) for alt in av[1]]
                found = None if any(a is None for a in alts) else list(dict.fromkeys(x for a in alts for x in a or ()))
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT) and av[0] >= 1:
                found = seq(av[2])
            else:
                found = None
            if score(found) > score(best):
                best = found
        return best

    try:
        found = seq(tree)
    except Exception:
        return None
    return found if found and score(found) >= 3 else None


# Word keys so common that a text nearly always holds them: a key set of such words
# rules out little, so another set of the cue is preferred (``cue_required``).
_COMMON_KEYS = frozenset(
    [
        "i",
        "a",
        "to",
        "the",
        "and",
        "you",
        "my",
        "it",
        "is",
        "not",
        "no",
        "for",
        "me",
        "of",
        "in",
        "on",
        "was",
        "we",
        "be",
        "at",
        "so",
        "or",
        "but",
        "thi",
        "tha",
        "hav",
        "wit",
    ]
)


def cue_required(regex: str) -> list[list[str]] | None:
    """Sets of ``WordIndex`` keys of which every match of ``regex`` (IGNORECASE) makes
    one start a word, for each set: a cue is skipped in a text whose index lacks every
    key of one of them ("i ... (cancel|close|leave)" in a text with no word starting
    "can", "clo" or "lea"). Keys are ASCII: three letters, or a whole shorter word.
    Only for texts looked up by whole words (``WordIndex.whole``), whose keys the
    ASCII letters of a cue cannot match otherwise. The most selective set (a check
    costs a little on every text: one is enough); None when none is known (always
    correct: the cue is simply tried)."""
    return _cue_needs(regex)[0]


def cue_gates(regex: str) -> dict[str, list[str] | None] | None:
    """Per key of a word a match can begin with (as ``cue_required`` names keys), the
    keys of which a match beginning there makes one start a later word; None for a key
    with no such set. A cue of many alternatives ("i demand|or else|how dare|...") is
    thus tried at the word "i" only where "dem"... starts a word of the text. None when
    the starts are not all known."""
    return _cue_needs(regex)[1]


def cue_leads(regex: str) -> dict[str, list[str]] | None:
    """Per key of a word a match can begin with, the longer starts (four letters or more)
    that word must have, when every way of beginning there spells them out ("forbanna"
    for "for" in "faen|forbanna…"): the cue is tried only at the words of the key
    that begin so, not at every "for" and "form"."""
    return _cue_needs(regex)[2]


def _cue_needs(regex: str) -> tuple[Any, Any, Any]:
    """``cue_required``, ``cue_gates`` and ``cue_leads`` from one walk of the pattern."""
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser  # type: ignore[attr-defined]

        tree = _parser.parse(regex, re.IGNORECASE)
    except Exception:
        return None, None, None

    def kind(op: Any, av: Any) -> tuple[str, set[str]] | None:
        # ("w", chars): one ASCII word character (lowered); ("n", ∅): one non-word
        # character; None: anything else (other scripts, \w, \d: Unicode digits...).
        if op is c.LITERAL:
            members = [(c.LITERAL, av)]
        elif op is c.IN:
            members = av
        else:
            return None
        chars: set[str] = set()
        nonword = False
        for iop, iav in members:
            if iop is c.LITERAL:
                ch = chr(iav)
                if ch.isalnum() or ch == "_":
                    if not ch.isascii():
                        return None
                    chars.add(ch.lower())
                else:
                    nonword = True
            elif iop is c.RANGE and iav[1] < 128 and iav[1] - iav[0] <= 26:
                span = [chr(x) for x in range(iav[0], iav[1] + 1)]
                if not all(ch.isalnum() for ch in span):
                    return None
                chars.update(ch.lower() for ch in span)
            elif iop is c.CATEGORY and iav is c.CATEGORY_SPACE:
                nonword = True
            else:
                return None
        if chars and nonword:
            return None
        return ("w", chars) if chars else ("n", chars)

    def done(p: str) -> bool:
        return len(p) >= 3 or p.endswith("$")

    def grow(items: list[Any], prefixes: set[str]) -> set[str] | None:
        """Each prefix (the lowered start of the word a match begins with) extended
        through ``items``; complete at three letters or at the word's end ("i$")."""
        for i, (op, av) in enumerate(items):
            if all(map(done, prefixes)):
                return prefixes
            if op is c.AT:
                if av is not c.AT_BOUNDARY:
                    return None
                prefixes = {p if done(p) or not p else p + "$" for p in prefixes}
            elif op is c.ASSERT or op is c.ASSERT_NOT:
                continue
            elif op is c.LITERAL or op is c.IN:
                found = kind(op, av)
                if found is None:
                    return None
                if found[0] == "n":
                    if "" in prefixes:
                        return None  # the match would not start with a word character
                    prefixes = {p if done(p) else p + "$" for p in prefixes}
                else:
                    prefixes = {p if done(p) else p + ch for p in prefixes for ch in found[1]}
                    if len(prefixes) > 400:
                        return None
            elif op is c.SUBPATTERN:
                more = grow(list(av[-1]), prefixes)
                if more is None:
                    return None
                prefixes = more
            elif op is c.BRANCH:
                out: set[str] = set()
                for alt in av[1]:
                    more = grow(list(alt), prefixes)
                    if more is None:
                        return None
                    out |= more
                prefixes = out
            elif op is c.MAX_REPEAT or op is c.MIN_REPEAT:
                low, high, body = av
                rest = list(items[i + 1 :])
                most = min(high, low + 3)
                out = set()
                for times in range(low, most + 1):
                    more = grow(list(body) * times + rest, prefixes)
                    if more is None:
                        return None
                    out |= more
                if high > most:
                    # Even more repetitions: the word must be known by then.
                    more = grow(list(body) * most, prefixes)
                    if more is None or not all(map(done, more)):
                        return None
                return out
            else:
                return None
        return prefixes

    def ws_after(items: list[Any], ws: bool) -> bool:
        """Whether what follows ``items`` surely starts a word if it is a word character
        (after a boundary or a non-word character); ``ws``: the same before them."""
        for op, av in items:
            if op is c.AT:
                ws = av in (c.AT_BOUNDARY, c.AT_BEGINNING, c.AT_BEGINNING_STRING)
            elif op is c.ASSERT or op is c.ASSERT_NOT:
                continue
            elif op is c.LITERAL or op is c.IN:
                found = kind(op, av)
                ws = found is not None and found[0] == "n"
            elif op is c.SUBPATTERN:
                ws = ws_after(list(av[-1]), ws)
            elif op is c.BRANCH:
                ws = all(ws_after(list(alt), ws) for alt in av[1])
            elif op is c.MAX_REPEAT or op is c.MIN_REPEAT:
                ends = ws_after(list(av[2]), False)
                ws = ends if av[0] >= 1 else ws and ends
            else:
                ws = False
        return ws

    def rank(keys: frozenset[str]) -> tuple[int, int]:
        return (len(keys & _COMMON_KEYS), len(keys))

    def need(items: list[Any], ws: bool) -> list[frozenset[str]]:
        out: list[frozenset[str]] = []
        for i, (op, av) in enumerate(items):
            if ws:
                keys = grow(items[i:], {""})
                if keys and "" not in keys and all(map(done, keys)):
                    out.append(frozenset(k[:-1] if k.endswith("$") else k[:3] for k in keys))
            if op is c.SUBPATTERN:
                out += need(list(av[-1]), ws)
            elif op is c.BRANCH:
                alts = [need(list(alt), ws) for alt in av[1]]
                if all(alts):
                    out.append(frozenset().union(*(min(a, key=rank) for a in alts)))
            elif (op is c.MAX_REPEAT or op is c.MIN_REPEAT) and av[0] >= 1:
                out += need(list(av[2]), ws)  # the first repetition is always there
            ws = ws_after([(op, av)], ws)
        return out

    def best(found: list[frozenset[str]]) -> frozenset[str] | None:
        # A set with a common word in it rules out little: only the others count.
        kept = sorted((keys for keys in set(found) if not keys & _COMMON_KEYS), key=lambda k: (len(k), sorted(k)))
        return kept[0] if kept else None

    def paths(items: list[Any], out: list[list[Any]]) -> None:
        # The ways a match can begin: leading groups and alternations opened up.
        if len(items) > 1 and items[0] == (c.AT, c.AT_BOUNDARY) and items[1][0] in (c.SUBPATTERN, c.BRANCH):
            inner: list[list[Any]] = []
            paths(items[1:], inner)
            out += [[items[0], *path] for path in inner]
        elif items and items[0][0] is c.SUBPATTERN:
            paths([*items[0][1][-1], *items[1:]], out)
        elif items and items[0][0] is c.BRANCH:
            for alt in items[0][1][1]:
                paths([*alt, *items[1:]], out)
        else:
            out.append(items)
        if len(out) > 64:
            raise ValueError("too many alternatives")

    starts: set[str] = set()  # every key a match can begin with (when ``gates`` knows)
    leads: dict[str, set[str] | None] = {}  # per key, the longer starts of the first word

    def gates() -> dict[str, list[str] | None] | None:
        begins: list[list[Any]] = []
        paths(list(tree), begins)
        out: dict[str, set[str] | None] = {}
        digits = False  # some way begins with a digit of any script ("\d+ times")
        blocked: set[str] = set()
        for path in begins:
            if not path or path[0] != (c.AT, c.AT_BOUNDARY):
                return None
            path = path[1:]
            firsts = grow(path, {""})
            if not firsts or "" in firsts or not all(map(done, firsts)):
                lead = path[0] if path else None
                if lead and lead[0] in (c.MAX_REPEAT, c.MIN_REPEAT) and lead[1][0] >= 1 and len(lead[1][2]) == 1:
                    lead = lead[1][2][0]
                if lead == (c.IN, [(c.CATEGORY, c.CATEGORY_DIGIT)]):
                    digits = True  # it starts no word with an ASCII letter
                    continue
                letters = ""  # its ASCII letters before another script ("jæ" of "jævl\w*")
                for op, av in path:
                    char = kind(op, av) if op is c.LITERAL else None
                    if char is None or char[0] != "w":
                        break
                    letters += min(char[1])
                if letters:
                    blocked.add(letters)  # no gate for keys it may begin with
                    continue
                return None
            keys = frozenset(k[:-1] if k.endswith("$") else k[:3] for k in firsts)
            starts.update(keys)
            gate = best([found for found in need(path, True) if found != keys])
            lead = ""  # the letters the first word surely begins with ("forbanna" of "forbanna\w*")
            for op, av in path:
                char = kind(op, av) if op is c.LITERAL else None
                if char is None or char[0] != "w":
                    break
                lead += min(char[1])
            for key in keys:
                if len(lead) < 4 or key != lead[:3] or (key in leads and leads[key] is None):
                    leads[key] = None
                else:
                    leads[key] = (leads.get(key) or set()) | {lead}
            for key in keys:
                if gate is None or (key in out and out[key] is None):
                    out[key] = None
                else:
                    out[key] = (out.get(key) or set()) | gate

        def open_(key: str) -> bool:
            return not (digits and not key[0].isalpha()) and not any(
                key.startswith(b) or b.startswith(key) for b in blocked
            )

        for key, found in list(leads.items()):
            leads[key] = found if open_(key) else None
        return {key: sorted(gate) if gate is not None and open_(key) else None for key, gate in sorted(out.items())}

    try:
        by_first = gates()
    except Exception:
        by_first = None
    try:
        # The set of the first words holds at every start the cue is tried at anyway.
        required = best([found for found in need(list(tree), False) if by_first is None or found != starts])
    except Exception:
        required = None
    lead_words = {key: sorted(found) for key, found in sorted(leads.items()) if found} if by_first is not None else None
    return ([sorted(required)] if required else None), by_first, lead_words or None


_TOKEN = _Lazy(r"\w+")
_TOKEN_SPLIT = _Lazy(r"(\w+)")
# The same on ASCII text, where \w means the same with or without re.ASCII: the engine
# then tests a character with a table lookup instead of Unicode category calls.
_ASCII_SPLIT = _Lazy(r"(\w+)", re.ASCII)
_FIRST3 = itemgetter(slice(3))
_SHORT_KEYS: set[str] = set()  # word-start keys under three letters that some cue uses
_NONDIGIT = _Lazy(r"\D")
# The indexes of the last few texts (by identity), shared by all cue sets and entities:
# the body, the subject and the sentences a restatement is looked for in.
_INDEX: dict[int, tuple[str, Any]] = {}
_INDEX_SIZE = 16
_LOWER: dict[int, tuple[str, str]] = {}
_FOLDED: dict[int, tuple[str, str]] = {}


def _lowered(text: str) -> str:
    """``text.lower()``, once per text (by identity): the word index, the language."""
    known = _LOWER.get(id(text))
    if known is not None and known[0] is text:
        return known[1]
    low = text.lower()
    if len(_LOWER) >= _INDEX_SIZE:
        _LOWER.clear()
    _LOWER[id(text)] = (text, low)
    return low


def _folded(text: str) -> str:
    """The lowered text the literal checks of the cue sets look in: "ſ", "ı" and "İ"
    as "s", "i", "i" (``_FOLDS``), so that it holds a cue's ASCII literals wherever
    the cue matches."""
    low = _lowered(text)
    if low.isascii() or not ("ſ" in low or "ı" in low or "i\u0307" in low):
        return low
    known = _FOLDED.get(id(text))
    if known is not None and known[0] is text:
        return known[1]
    plain = text
    for odd, letter in _FOLDS.items():
        plain = plain.replace(odd, letter)
    if len(_FOLDED) >= _INDEX_SIZE:
        _FOLDED.clear()
    _FOLDED[id(text)] = (text, plain.lower())
    return _FOLDED[id(text)][1]


class WordIndex:
    """Where the words of a text start, by key: a word's first three lowercase letters
    ("ord"), a whole word shorter than that ("i", "on"), or ``"no*"`` for every word that
    starts with one of the short keys some cue uses; and by whole word. Built with a few
    calls that loop in C (split, sort, dict from pairs) rather than Python code per word:
    the positions are sorted by word, so each word and each key (a word's start: the
    words that share it sit together in word order) is a slice of them. Within a key
    the positions are in word order, not text order (readers sort them); within a
    word, in text order (the sort is stable)."""

    __slots__ = (
        "_first",
        "_last",
        "_sorted",
        "_starts",
        "_wfirst",
        "_wlast",
        "_word_starts",
        "tokens",
        "whole",
        "words",
    )

    def __init__(self, low: str, whole: bool = False, ascii_text: str | None = None) -> None:
        if ascii_text is not None:
            # An ASCII text split as it is, its words lowered one by one: the same words
            # and gaps as the lowered text's, and the words as written (``tokens``: what
            # ``anger`` counts capitals in) come with them.
            parts = _ASCII_SPLIT.split(ascii_text)  # gap, word, gap, word, ..., gap
            self.tokens: list[str] | None = parts[1::2]
            words = self.words = list(map(str.lower, self.tokens))
        else:
            parts = _TOKEN_SPLIT.split(low)
            self.tokens = None
            words = self.words = parts[1::2]
        # Whether whole-word lookups (``by_word``) may stand in for the keys: the words
        # are the lowered text's and it holds none of the letters that fold onto ASCII.
        self.whole = whole
        starts = list(accumulate(map(len, parts)))[0::2]  # the end of each gap
        self._word_starts = starts
        n = len(words)
        order = sorted(range(n), key=words.__getitem__)  # stable: a word's positions stay in order
        by_word = self._sorted = list(map(words.__getitem__, order))
        by_key = list(map(_FIRST3, by_word))  # sorted too: a prefix keeps the order
        self._starts = list(map(starts.__getitem__, order))
        backwards = range(n - 1, -1, -1)
        self._first = dict(zip(reversed(by_key), backwards, strict=True))
        self._last = dict(zip(by_key, range(1, n + 1), strict=True))
        self._wfirst = dict(zip(reversed(by_word), backwards, strict=True))
        self._wlast = dict(zip(by_word, range(1, n + 1), strict=True))
        for short in _SHORT_KEYS:
            # The words that start with a short key sit together in key order.
            lo = bisect_left(by_key, short)
            hi = bisect_left(by_key, short + "\U0010ffff", lo)
            if hi > lo:
                self._first[short + "*"] = lo
                self._last[short + "*"] = hi

    def keys(self) -> Any:
        return self._first.keys()

    def by_word(self) -> dict[str, list[int]]:
        """Where each whole (lowercase) word starts, in text order."""
        first, last, positions = self._wfirst, self._wlast, self._starts
        return {word: positions[lo : last[word]] for word, lo in first.items()}

    def __getitem__(self, key: str) -> list[int]:
        return self._starts[self._first[key] : self._last[key]]

    def get(self, key: str, default: Any = None) -> Any:
        lo = self._first.get(key)
        return default if lo is None else self._starts[lo : self._last[key]]


def index_key(key: str) -> str:
    """A cue key of ``cue_keys`` ("ord", "i$", "no") as the ``WordIndex`` names it."""
    if key.endswith("$"):
        return key[:-1]
    return key if len(key) >= 3 else key + "*"


def _indexed(text: str) -> tuple[WordIndex, frozenset[str] | None] | None:
    """``word_index(text)`` if it is already built (by identity), else None."""
    known = _INDEX.get(id(text))
    return known[1] if known is not None and known[0] is text else None  # type: ignore[no-any-return]


def word_index(text: str) -> tuple[WordIndex, frozenset[str] | None]:
    """Where words start (``WordIndex``); and which characters occur at all, or None
    for an ASCII text (a set of every character costs more than the few ``in`` tests
    that ask about its ASCII characters; no other character occurs)."""
    known = _indexed(text)
    if known is not None:
        return known
    if text.isascii():
        found: tuple[WordIndex, frozenset[str] | None] = (WordIndex("", True, text), None)
    else:
        low = _lowered(text)
        if len(low) != len(text):  # a few characters change length when lowered ("İ")
            found = (WordIndex(text), frozenset(text))
        else:
            found = (WordIndex(low, "ſ" not in low and "ı" not in low), frozenset(text))
    if len(_INDEX) >= _INDEX_SIZE:
        _INDEX.clear()
    _INDEX[id(text)] = (text, found)
    return found


def cue_facts(regex: str) -> tuple[Any, ...]:
    """What a ``CueSet`` knows of a cue besides its compiled regex: (keys, chars,
    literals, split, words, required, gates), see ``cue_keys``, ``cue_literals``,
    ``cue_required`` and ``cue_gates``."""
    keys, chars = cue_keys(regex)
    split = cue_keys(regex, split=True) if keys is None and chars else None
    return keys, chars, cue_literals(regex), split, cue_keys(regex, words=True), *_cue_needs(regex)


class CueSet:
    """Named, weighted cues, each its own small regex, tried only where it can match."""

    def __init__(
        self,
        cues: list[tuple[str, str, float]],
        compiled: list[Any] | None = None,
        tables: Any = None,
        ascii_makers: list[Any] | None = None,
    ) -> None:
        # (label, cue text, weight); the label is what a hit counts towards.
        self.cues = cues
        if compiled is None:
            compiled = []
            for _, cue, _ in cues:
                regex = cue_regex(cue)
                compiled.append((re.compile(regex, re.IGNORECASE), *cue_facts(regex)))
        # (regex, keys, chars, literals, split, words): see ``cue_sets``. The regex may be
        # a function that builds it: a message tries few of the cues, so each is built
        # on first use (``_pattern``) rather than all of them in every new process.
        self._makers: list[Any] = [c[0] for c in compiled]
        self._patterns: list[re.Pattern[str] | None] = [
            c[0] if isinstance(c[0], re.Pattern) else None for c in compiled
        ]
        self.keys: list[list[str] | None] = [c[1] for c in compiled]
        self.chars: list[frozenset[str] | None] = [frozenset(c[2]) if c[2] else None for c in compiled]
        self._ascii_chars: list[tuple[str, ...]] = [
            tuple(sorted(ch for ch in chars if ch.isascii())) if chars else () for chars in self.chars
        ]
        # Strings one of which every match holds (``cue_literals``): absent, the cue is skipped.
        self.literals: list[list[str] | None] = [c[3] for c in compiled]
        # Word keys one of each set of which every match starts a word with
        # (``cue_required``): checked against the index of texts looked up by whole words.
        self.required: list[tuple[str, ...] | None] = [
            tuple(c[6][0]) if len(c) > 6 and c[6] else None for c in compiled
        ]
        # Per first-word key, the keys a later word of a match starting there needs
        # (``cue_gates``): part of the whole-word tables, checked where a text has the key.
        self.gates: list[dict[str, list[str] | None] | None] = [c[7] if len(c) > 7 else None for c in compiled]
        # Per first-word key, the longer starts that word must have (``cue_leads``).
        self.leads: list[dict[str, list[str]] | None] = [c[8] if len(c) > 8 else None for c in compiled]
        # The results for the last few texts (by identity): the body is asked again by
        # anger, complaint, type and sentences, between the sentences a restatement tries.
        self._seen: dict[int, tuple[str, list[tuple[str, str, float, int]]]] = {}
        # Which cues each word start can begin, so a message only visits the cues its
        # words could start (built on first use).
        self._by_key: dict[str, list[int]] | None = None
        # The same for the cues whose whole first words are known (``cue_keys(words=True)``),
        # looked up by word where the index allows it, and the keys of the other cues.
        self.words: list[list[str] | None] = []
        rest_keys: list[list[str] | None] = []
        for i, c in enumerate(compiled):
            words = c[5] if self.keys[i] is not None and c[5] and c[5][0] else None
            self.words.append(words[0] if words else None)
            rest_keys.append(words[1] if words else self.keys[i])
        self._by_word: dict[str, list[int]] | None = None
        self._by_key_rest: dict[str, list[int]] | None = None
        self._rest_keys = rest_keys
        if tables is not None:
            # Built with the cache entry (``cue_sets``): what ``_build_tables(True)`` builds.
            self._by_key_rest, self._by_word = tables
        self._unkeyed = [i for i, k in enumerate(self.keys) if k is None]
        # Unkeyed cues whose first characters are all caseless and neither digits nor
        # spaces ("!", "?", "/", Hebrew letters): those characters are exactly where a
        # match can start (no case folding, no \d or \s class behind them), so they are
        # found with str.find and the regex is matched there, not searched everywhere.
        self._finds: dict[int, tuple[str, ...]] = {}
        for i in self._unkeyed:
            chars = self.chars[i]
            if chars and all(
                ch == ch.lower() == ch.upper() and ch not in "0123456789 " and len(ch) == 1 for ch in chars
            ):
                self._finds[i] = tuple(sorted(chars))
        # Unkeyed cues whose leading alternatives start either at a word boundary or on
        # given characters (``cue_keys(split=True)``): in ASCII text (no case folding
        # beyond A-Z, \d is 0-9, \s the ASCII spaces) they are tried only there.
        self._split: dict[int, tuple[list[str], tuple[str, ...]]] = {}
        for i in self._unkeyed:
            split = compiled[i][4] if len(compiled[i]) > 4 else None
            if split and split[0] and split[1] and i not in self._finds:
                chars = set(split[1])
                if " " in chars:
                    chars.update(_ASCII_SPACES)
                self._split[i] = (list(split[0]), tuple(sorted(chars)))
        self._matchers: list[Any] = [None if r is None else r.match for r in self._patterns]
        # Each cue compiled with re.ASCII too, for ASCII texts (``_ascii_pattern``): the
        # same matches there, with table lookups for \b, \w and case instead of Unicode calls.
        self._ascii_makers: list[Any] = ascii_makers if ascii_makers is not None else [None] * len(cues)
        self._ascii_patterns: list[re.Pattern[str] | None] = [None] * len(cues)
        self._ascii_matchers: list[Any] = [None] * len(cues)
        split_keys = [keys for keys, _ in self._split.values()]
        short = {k for keys in [*self.keys, *split_keys] for k in keys or () if len(k) < 3 and not k.endswith("$")}
        if not short <= _SHORT_KEYS:
            _SHORT_KEYS.update(short)
            _INDEX.clear()  # indexes built before lack the new short keys

    @property
    def regexes(self) -> list[re.Pattern[str]]:
        """Every cue's compiled regex (building the ones not used yet)."""
        return [self._pattern(i) for i in range(len(self.cues))]

    def _build_tables(self, whole: bool) -> None:
        """Which cues each key (and, for texts looked up by whole words, each word)
        can start: built on first use, only the tables the texts seen so far need."""
        if whole:
            self._by_key_rest, self._by_word = self.whole_tables()
        else:
            by_key: dict[str, list[int]] = {}
            for i, keys in enumerate(self.keys):
                for key in keys or ():
                    by_key.setdefault(index_key(key), []).append(i)
            self._by_key = by_key

    def whole_tables(self) -> tuple[dict[str, list[Any]], dict[str, list[Any]]]:
        """(by key, by whole word): the cues to try where a word has that key or is that
        word, for texts looked up by whole words (plain data: cached with the cues); each
        as (cue, gate): keys of which the text must have one (``cue_gates``), or None; by
        key also the starts one of which the word must have (``cue_leads``), or None."""
        rest: dict[str, list[Any]] = {}
        by_word: dict[str, list[Any]] = {}

        def gate(i: int, key: str) -> tuple[str, ...] | None:
            # A tuple: ``dict_keys.isdisjoint`` takes any iterable, and a few strings
            # load from the cache with less work (no hashing, no set) than a frozenset.
            found = (self.gates[i] or {}).get(key)
            return tuple(found) if found else None

        for i, keys in enumerate(self._rest_keys):
            for key in keys or ():
                lead = (self.leads[i] or {}).get(index_key(key))
                rest.setdefault(index_key(key), []).append((i, gate(i, index_key(key)), tuple(lead) if lead else None))
            for word in self.words[i] or ():
                by_word.setdefault(word, []).append((i, gate(i, word[:3])))
        return rest, by_word

    def _pattern(self, i: int) -> re.Pattern[str]:
        found = self._patterns[i]
        if found is None:
            try:
                found = self._makers[i]()
            except Exception:  # cached engine code that does not load: compile it afresh
                found = re.compile(cue_regex(self.cues[i][1]), re.IGNORECASE)
            self._patterns[i] = found
            self._matchers[i] = found.match
        return found

    def _ascii_pattern(self, i: int) -> re.Pattern[str]:
        """Cue ``i`` for ASCII text: compiled with re.ASCII where that matches the same
        in ASCII text (``_ascii_safe``), else the cue's own regex."""
        found = self._ascii_patterns[i]
        if found is None:
            maker = self._ascii_makers[i]
            try:
                found = maker() if maker is not None else None
            except Exception:  # cached engine code that does not load: compile it afresh
                found = None
            if found is None:
                regex = cue_regex(self.cues[i][1])
                try:
                    found = re.compile(regex, re.IGNORECASE | re.ASCII) if _ascii_safe(regex) else None
                except re.error:
                    found = None
            if found is None:
                found = self._pattern(i)
            self._ascii_patterns[i] = found
            self._ascii_matchers[i] = found.match
        return found

    def hits(self, text: str) -> list[tuple[str, str, float, int]]:
        """(label, matched text, weight, position) for each distinct cue found, in text order."""
        if not self.cues:
            return []
        seen = self._seen.get(id(text))
        if seen is not None and seen[0] is text:
            return seen[1]  # the same text asked again (anger, complaint, sentences)
        index, present = word_index(text)
        whole = index.whole
        if (self._by_key_rest if whole else self._by_key) is None:
            self._build_tables(whole)
        candidates: dict[int, list[int]] = {}
        # The index's slices inline: a method call per key costs more than the slice.
        first, last, positions = index._first, index._last, index._starts
        present_keys = first.keys()
        if whole:
            wfirst, wlast = index._wfirst, index._wlast
            for word in self._by_word.keys() & wfirst.keys():  # type: ignore[union-attr]
                at = positions[wfirst[word] : wlast[word]]
                for i, gate in self._by_word[word]:  # type: ignore[index]
                    if gate is not None and present_keys.isdisjoint(gate):
                        continue  # no match starting with this word can be complete here
                    known_at = candidates.get(i)
                    if known_at is None:
                        candidates[i] = at  # shared: already in order, so sorting it is harmless
                    else:
                        candidates[i] = known_at + at
            by_key = self._by_key_rest
            ordered = index._sorted
            for key in by_key.keys() & present_keys:  # type: ignore[union-attr]
                lo, hi = first[key], last[key]
                at = positions[lo:hi]
                for i, gate, leads in by_key[key]:  # type: ignore[index]
                    if gate is not None and present_keys.isdisjoint(gate):
                        continue
                    if leads is not None:
                        # Only the words of the key that begin as the cue spells out: a
                        # slice of the words in order, found by bisection.
                        starts: list[int] = []
                        for lead in leads:
                            begin = bisect_left(ordered, lead, lo, hi)
                            starts += positions[begin : bisect_left(ordered, lead + "\U0010ffff", begin, hi)]
                        if not starts:
                            continue
                        known_at = candidates.get(i)
                        candidates[i] = starts if known_at is None else known_at + starts
                        continue
                    known_at = candidates.get(i)
                    if known_at is None:
                        candidates[i] = at  # shared by this key's cues: sorting it in place is harmless
                    else:
                        candidates[i] = known_at + at
        else:
            by_key = self._by_key
            for key in by_key.keys() & present_keys:  # type: ignore[union-attr]
                at = positions[first[key] : last[key]]
                for i in by_key[key]:  # type: ignore[index]
                    known_at = candidates.get(i)
                    if known_at is None:
                        candidates[i] = at
                    else:
                        candidates[i] = known_at + at
        found = []
        ascii_text = present is None  # ``word_index``: None for ASCII text
        matchers = self._ascii_matchers if ascii_text else self._matchers
        literals = self.literals
        required = self.required if whole else ()
        low = None
        for i, starts in candidates.items():
            if required and required[i] is not None and present_keys.isdisjoint(required[i]):
                continue  # a word every match holds is missing from the text
            needed = literals[i]
            if needed is not None and len(starts) > len(needed):
                # Cheaper to rule the cue out by its literals than to try every start.
                if low is None:
                    low = _folded(text)
                if not any(map(low.__contains__, needed)):
                    continue
            match = matchers[i] or (self._ascii_pattern(i) if ascii_text else self._pattern(i)).match
            if len(starts) > 1:
                starts.sort()
            for pos in starts:
                m = match(text, pos)
                if m:
                    found.append((pos, i, m.group(0)))
                    break
        for i in self._unkeyed:
            chars = self.chars[i]
            if chars is not None and (
                # In ASCII text (``present`` None) only the cue's ASCII characters can occur.
                not any(map(text.__contains__, self._ascii_chars[i])) if present is None else chars.isdisjoint(present)
            ):
                continue
            if required and required[i] is not None and present_keys.isdisjoint(required[i]):
                continue
            needed = literals[i]
            if needed is not None:
                if low is None:
                    low = _folded(text)
                if not any(map(low.__contains__, needed)):
                    continue
            regex = self._ascii_pattern(i) if ascii_text else self._pattern(i)
            finds = self._finds.get(i)
            split = self._split.get(i)
            if finds is not None:
                m = self._first_at(regex, text, finds)
            elif split is not None and text.isascii():
                m = self._first_at(regex, text, split[1], [p for k in split[0] for p in index.get(index_key(k), ())])
            # "^..." can only match at the start: match, not a search of every position.
            elif regex.pattern.startswith("^"):
                m = regex.match(text)
            else:
                m = regex.search(text)
            if m:
                found.append((m.start(), i, m.group(0)))
        found.sort()
        out = [(self.cues[i][0], matched, self.cues[i][2], pos) for pos, i, matched in found]
        if len(self._seen) >= 8:
            self._seen.clear()
        self._seen[id(text)] = (text, out)
        return out

    def _first_at(
        self, regex: re.Pattern[str], text: str, chars: tuple[str, ...], starts: list[int] | None = None
    ) -> re.Match[str] | None:
        """The leftmost match of a cue's ``regex``, tried only where one of ``chars`` occurs (or
        at ``starts``): the same match ``search`` finds, as every match starts there."""
        starts = starts or []
        for ch in chars:
            at = text.find(ch)
            while at >= 0:
                starts.append(at)
                at = text.find(ch, at + 1)
        starts.sort()
        match = regex.match
        for pos in starts:
            m = match(text, pos)
            if m:
                return m
        return None


# The characters besides ASCII letters that match an ASCII character under IGNORECASE
# (found by trying every code point): a cue holding one matches ASCII text where its
# re.ASCII build would not.
_FOLDS_ONTO_ASCII = ("İ", "ı", "ſ", "\u212a")


def _ascii_from(plain: list[Any], flags: int, code: Any) -> re.Pattern[str]:
    """A cue's re.ASCII build from its stored flags and code and the pattern and groups
    of its plain entry (the same parse: the flags change no group)."""
    return from_engine_code([plain[0], flags, code, *plain[3:]])


def _ascii_safe(regex: str) -> bool:
    r"""Whether ``regex`` (IGNORECASE) compiled with re.ASCII matches exactly what it
    matches without, in ASCII text: \w, \b, \d, \s and case agree on ASCII characters;
    not when it holds a character that folds onto an ASCII letter, or an escape that
    may spell one (``\u0131``), or an inline flag."""
    if any(ch in regex for ch in _FOLDS_ONTO_ASCII):
        return False
    return not re.search(r"\\[uUNx0-9]|\(\?[a-zA-Z-]*[aLu]", regex)


def _weighted(items: list[Any], label: str) -> list[tuple[str, str, float]]:
    out = []
    for item in items:
        if isinstance(item, dict):
            out.append((label, item["cue"], float(item.get("weight", 1.0))))
        else:
            out.append((label, str(item), 1.0))
    return out


def _tail_pattern(items: list[str]) -> str:
    """Cues that must end right before a hit (negators, intensifiers), as one anchored regex."""
    return r"(?:" + "|".join(cue_regex(c) for c in items) + r")[\s,]*$"


# --- compiled regexes ----------------------------------------------------------------
#
# Compiling ~400 cue patterns costs tens of milliseconds, paid on every CLI start. The
# compiler's output (the engine's code list) is plain data, so it is cached next to the
# validated data and handed straight to the engine next time. The cache key holds the
# data files' state, the Python version and the engine's MAGIC; a cached entry is used
# only for the exact cue list it was built from, and any failure falls back to
# re.compile (the cache is never needed for correct results).


def compiled_regexes(
    kind: str, specs: dict[str, tuple[str, int]], files: list[Path] | None = None
) -> dict[str, re.Pattern[str]]:
    """Named regexes, their engine code cached like the cue sets, keyed by the files
    they come from (by default this module's own source)."""
    return _compiled_regexes(kind, specs, files or [Path(__file__)])


def _fingerprint(cues: list[tuple[str, str, float]]) -> int:
    """A checksum of the cue list a cached entry was built from. marshal's format 2
    (no back-references, so the bytes do not depend on reference counts) writes the
    same value the same way in every process, ~5x faster than repr: a draft asks
    for 17 lists."""
    import marshal
    import zlib

    try:
        return zlib.crc32(marshal.dumps(cues, 2))
    except ValueError:  # not plain data: repr still tells lists apart
        return zlib.crc32(repr(cues).encode())


def cue_sets(kind: str, files: list[Path], lists: dict[str, list[tuple[str, str, float]]]) -> dict[str, CueSet]:
    """A CueSet per named cue list, compiled code reused from the cache when it fits."""
    try:
        import _sre

        from replycoach.foundation.resources import cached

        def build() -> dict[str, Any]:
            out = {}
            for name, cues in lists.items():
                entries = []
                ascii_codes = []
                for _, cue, _ in cues:
                    regex = cue_regex(cue)
                    keys, chars, *more = cue_facts(regex)
                    entries.append([keys, chars, stored_code(regex, re.IGNORECASE), *more])
                    # Only the flags and code: the pattern and groups are the other entry's.
                    ascii_codes.append(
                        stored_code(regex, re.IGNORECASE | re.ASCII)[1:3] if _ascii_safe(regex) else None
                    )
                # The lookup tables too: plain data, cheaper to load than to build.
                tables = CueSet(cues, [(None, *entry[:2], *entry[3:]) for entry in entries]).whole_tables()
                for entry in entries:
                    # The gates and leads live on in the tables: not stored twice (every
                    # object stored is one more for each new process to load).
                    entry[7:9] = [None, None]
                out[name] = [_fingerprint(cues), entries, tables, ascii_codes]
            return out

        # This module's own file is part of the key: the keys are computed by its code.
        stored = cached(f"{kind}-sre{_sre.MAGIC}", [*files, Path(__file__)], build)
        engine = _sre.compile
    except Exception:
        stored, engine = {}, None
    sets = {}
    for name, cues in lists.items():
        entry = stored.get(name) if isinstance(stored, dict) else None
        compiled = tables = ascii_makers = None
        if engine is not None and entry and entry[0] == _fingerprint(cues):
            try:
                # Built on first use (``CueSet._pattern``).
                compiled = [
                    (partial(from_engine_code, code), keys, chars, *more) for keys, chars, code, *more in entry[1]
                ]
                tables = entry[2]
                ascii_makers = [
                    None if codes is None else partial(_ascii_from, plain[2], *codes)
                    for plain, codes in zip(entry[1], entry[3], strict=True)
                ]
            except Exception:
                compiled = tables = ascii_makers = None
        sets[name] = CueSet(cues, compiled, tables, ascii_makers)
    return sets


# --- the data files ------------------------------------------------------------------


def _data_path(name: str) -> Path:
    folder = _CACHE.get("data_dir")
    if folder is None:
        from replycoach.foundation.resources import builtin_dir

        folder = _CACHE["data_dir"] = builtin_dir("data")
    return folder / name  # type: ignore[no-any-return]


def _specs() -> tuple[Any, Any]:
    """Schemas of signals.yaml and scenarios.yaml (built only on a cache miss)."""
    from replycoach.foundation.schema import Field, List, Map, MapOf, Num, OneOf, Str

    cue = OneOf(
        (str, Str()),
        (dict, Map({"cue": Field(Str(), required=True), "weight": Field(Num(), default=1.0)})),
    )
    cues = List(cue)
    words = List(Str())
    lid = r"[a-z0-9][a-z0-9-]*"
    signals_spec = Map(
        {
            "anger": Field(
                Map(
                    {
                        "cues": Field(cues, required=True),
                        "negators": Field(words, default=list),
                        "intensifiers": Field(words, default=list),
                        "intensifier_boost": Field(Num(min=1), default=1.0),
                        "threats": Field(MapOf(Num(), key=lid), default=dict),
                        "levels": Field(List(Num(min=0, max=1), min_len=3), default=lambda: [0.15, 0.35, 0.6]),
                        "shouting": Field(
                            Map(
                                {
                                    "caps_ratio": Field(Num(min=0, max=1), required=True),
                                    "caps_words": Field(Num(integer=True, min=1), required=True),
                                    "weight": Field(Num(), required=True),
                                    "emphasis_words": Field(Num(integer=True, min=1), default=3),
                                }
                            ),
                            required=True,
                        ),
                    }
                ),
                required=True,
            ),
            "urgency": Field(
                Map({"high": Field(cues, default=list), "medium": Field(cues, default=list)}), required=True
            ),
            "risks": Field(MapOf(cues, key=lid), required=True),
            "types": Field(MapOf(cues, key="aggressive|rip-off|high-roller|meek|chronic"), required=True),
            "type_rules": Field(
                Map(
                    {
                        "threshold": Field(Num(min=0), default=0.8),
                        "anger_high_aggressive": Field(Num(min=0), default=0.8),
                        "history_chronic_count": Field(Num(integer=True, min=1), default=3),
                    }
                ),
                default=dict,
            ),
            "complaint": Field(
                Map({"cues": Field(cues, required=True), "threshold": Field(Num(), default=1.0)}),
                required=True,
            ),
            "wants": Field(cues, required=True),
            "languages": Field(
                MapOf(Map({"words": Field(Str(), required=True), "letters": Field(Str(), default="")}), key=lid),
                required=True,
            ),
        },
        name="signals",
    )
    scenario = Map(
        {
            "cues": Field(cues, required=True),
            "negative": Field(cues, default=list),
            "threshold": Field(Num(min=0), default=1.0),
        }
    )
    scenarios_spec = Map(
        {"scenarios": Field(MapOf(scenario, key=lid), required=True), "spelling": Field(Str(), default="")},
        name="scenarios",
    )
    return signals_spec, scenarios_spec


def load_data_file(path: Path, kind: str) -> Any:
    """Read and validate ``signals.yaml`` (kind "signals") or ``scenarios.yaml`` (kind
    "scenarios"); errors name the file, line and field."""
    from replycoach.foundation.errors import DataError
    from replycoach.foundation.schema import line_of, validate
    from replycoach.foundation.yamlio import load_yaml_file

    tree = load_yaml_file(path)
    spec = _specs()[0 if kind == "signals" else 1]
    data = validate(tree, spec, file=str(path))
    # A cue that is not a valid regex is a data error with its place, not a crash later.
    for where, item in _walk_cues(data):
        text = item["cue"] if isinstance(item, dict) else item
        try:
            re.compile(cue_regex(text))
        except re.error as exc:
            raise DataError(
                f"invalid pattern: {exc}", file=str(path), line=line_of(tree, *where), field=".".join(map(str, where))
            ) from None
    return data


def _load_validated(kind: str, name: str) -> Any:
    from replycoach.foundation.resources import cached

    path = _data_path(name)
    return cached(kind, [path], lambda: load_data_file(path, kind))


def _walk_cues(node: Any, path: tuple[Any, ...] = ()) -> Any:
    if isinstance(node, dict):
        if "cue" in node:
            yield path, node
            return
        for key, value in node.items():
            if key not in {"languages", "shouting", "levels", "type_rules"}:
                yield from _walk_cues(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, str):
                yield (*path, i), value
            else:
                yield from _walk_cues(value, (*path, i))


def signals() -> dict[str, Any]:
    """The compiled cue sets from ``data/signals.yaml``."""
    found = _CACHE.get("signals")
    if found is not None:
        return found
    data = _load_validated("signals", "signals.yaml")
    a = data["anger"]
    sets = cue_sets(
        "signals",
        [_data_path("signals.yaml")],
        {
            "anger": _weighted(a["cues"], "anger"),
            "urgency": _weighted(data["urgency"]["high"], "high") + _weighted(data["urgency"]["medium"], "medium"),
            "risks": [c for rid, cues in data["risks"].items() for c in _weighted(cues, rid)],
            "types": [c for tid, cues in data["types"].items() for c in _weighted(cues, tid)],
            "complaint": _weighted(data["complaint"]["cues"], "complaint"),
            "wants": _weighted(data["wants"], "wants"),
        },
    )
    compiled = {
        **sets,
        **{
            name: regex if a[key] else None
            for (name, key), regex in zip(
                (("anger_negators", "negators"), ("intensifiers", "intensifiers")),
                compiled_regexes(
                    "signals-tails",
                    {
                        "negators": (_tail_pattern(a["negators"] or ["re:(?!)"]), re.IGNORECASE),
                        "intensifiers": (_tail_pattern(a["intensifiers"] or ["re:(?!)"]), re.IGNORECASE),
                    },
                    [_data_path("signals.yaml")],
                ).values(),
                strict=True,
            )
        },
        "intensifier_boost": a["intensifier_boost"],
        "threats": a["threats"],
        "levels": tuple(a["levels"][:3]),
        "shouting": a["shouting"],
        "type_rules": {
            "threshold": 0.8,
            "anger_high_aggressive": 0.8,
            "history_chronic_count": 3,
            **data["type_rules"],
        },
        "complaint_threshold": data["complaint"]["threshold"],
        # Per language, its telltale letters and those an ASCII text can hold (of the
        # built-in ones: none); its words are looked up in "language_words".
        "languages": {
            lang: (v["letters"], "".join(filter(str.isascii, v["letters"]))) for lang, v in data["languages"].items()
        },
        "language_words": _language_words(data["languages"]),
    }
    _CACHE["signals"] = compiled
    return compiled


def _language_words(languages: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Which languages list each word: a text's words are looked up once, not once per
    language (25 languages)."""
    found: dict[str, list[str]] = {}
    for lang, spec in languages.items():
        for word in set(spec["words"].split()):
            found.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in found.items()}


def builtin_scenarios() -> dict[str, Any]:
    """``data/scenarios.yaml``: the built-in cues per playbook id, and the spelling list."""
    found = _CACHE.get("scenarios")
    if found is None:
        found = _CACHE["scenarios"] = _load_validated("scenarios", "scenarios.yaml")
    return found


def _scenario_cues(playbooks: list[dict[str, Any]]) -> dict[str, Any]:
    """Cue sets over every detectable id: built-in cues, replaced per id by a playbook's
    own ``detect:`` section; thresholds per id; ids in priority order (ties)."""
    overrides = {pb["id"]: pb["detect"] for pb in playbooks if pb.get("detect", {}).get("cues")}
    key = repr(sorted(overrides.items()))
    found = _CACHE.get(("scenario", key))
    if found is None:
        data = builtin_scenarios()
        specs = dict(data["scenarios"])
        specs.update(overrides)
        lists: dict[str, list[tuple[str, str, float]]] = {"": []}
        thresholds: dict[str, float] = {}
        for pid, spec in specs.items():
            lists[""] += _weighted(spec.get("cues", []), pid)
            lists[pid] = [(pid, c, -abs(w)) for _, c, w in _weighted(spec.get("negative", []), "")]
            thresholds[pid] = float(spec.get("threshold", 1.0))
        # Team overrides change the lists: their entries miss the cache and compile afresh.
        sets = cue_sets("scenarios", [_data_path("scenarios.yaml")], lists)
        speller: dict[str, str] = {}
        for word in data["spelling"].split():
            for variant in _deletions(word.lower()):
                speller.setdefault(variant, word.lower())
        found = _CACHE[("scenario", key)] = {
            # Negative cues get their own pass per id, run only for ids that scored: in
            # one shared regex a cue of another id at the same position would hide them.
            "cues": sets[""],
            "negative": {pid: sets[pid] for pid in specs},
            "thresholds": thresholds,
            "order": {pid: i for i, pid in enumerate(specs)},
            "speller": speller,
            "known": frozenset(w.lower() for w in data["spelling"].split()),
        }
    return found


def _deletions(word: str) -> list[str]:
    return [word, *(word[:i] + word[i + 1 :] for i in range(len(word)))]


_LONG_WORD = _Lazy(r"[^\W\d_]{4,}")


def _one_edit(a: str, b: str) -> bool:
    """One letter inserted, dropped or two neighbours swapped; not a changed letter,
    which turns real words into key words ("change" -> "charge")."""
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(long) - len(short) != 1:
        return False
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def respell(text: str, speller: dict[str, str], known: frozenset[str]) -> str:
    """Typos in the words scenario cues hinge on ("refnud", "acount", "pasword") fixed
    through single-deletion neighbourhoods, checked to be one edit away."""

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        low = word.lower()
        if low in known or len(low) < 5:
            return word
        for variant in _deletions(low):
            hit = speller.get(variant)
            if hit and _one_edit(low, hit):
                return hit
        return word

    return _LONG_WORD.sub(fix, text)


# --- entities -----------------------------------------------------------------

# Entity patterns are split so each starts with a literal or a character set (which the
# regex engine skips to in C) or with one of a few known words (tried only where the word
# index says such a word starts); one pattern that may start anywhere costs far more.
_ORDER_WORDS = [
    "order",
    "purchase",
    "ordre",
    "tilaus",
    "tilauksen",
    "tilaukseni",
    "tilausnumero",
    "bestilling",
    "bestillingen",
    "bestillingsnummer",
    "bestellung",
    "commande",
    "pedido",
    "заказ",
    "заказа",
    "invoice",
    "ticket",
    "case",
    "booking",
    "reference",
    "ref",
    "rma",
    "tracking",
]
_MONTH_WORDS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_CODES = ["EUR", "USD", "GBP", "NOK", "SEK", "DKK", "ILS", "NIS", "RUB"]
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_NUMBER_WORDS = ["a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def _date_words(text: str) -> list[str]:
    """The words a written date can start with, narrowed by what the text holds:
    "the", "a", "on" are common and only start a date before "yesterday", "ago", "…day"."""
    low = text.lower()
    words = [*_MONTH_WORDS, "yesterday", "today", "tomorrow"]
    if "ago" in low:
        words += _NUMBER_WORDS
    if "day" in low or "week" in low or "month" in low:
        words += ["last", "this", "next", "on"]
    if "yesterday" in low:
        words.append("the")
    return words


def _entity_regexes(ascii_text: bool = False) -> dict[str, Any]:
    """The entity patterns; for ASCII text (``ascii_text``) built with re.ASCII where
    that matches the same there (``_ascii_safe``): digits and word characters by table lookup."""
    found = _CACHE.get("entities-ascii" if ascii_text else "entities")
    if found is not None:
        return found  # type: ignore[no-any-return]
    i = re.IGNORECASE
    specs = {
        "order_hash": (r"#\s?[A-Z0-9][A-Z0-9-]{3,}\b", i),
        "order_word": (
            r"(?:" + "|".join(_ORDER_WORDS) + r")\s*(?:(?:no|nr|number|num|id|#)\.?\s*)?[:#]?\s*"
            r"([A-Z]{0,4}-?\d[A-Z0-9-]{3,})\b",
            i,
        ),
        "amount_symbol": (r"[$€£¥₪₽]\s?\d(?:[\d,.\u00a0 ]*\d)?", 0),
        "amount_number": (
            # "1 000,50 €": thousands grouped by spaces, as French or Norwegian write them.
            r"(?:\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d{1,2})?|\d[\d,.]*)\s?"
            r"(?:€|₪|₽|(?:" + "|".join(_CODES) + r"|руб\w*|euros?|dollars?|pounds?|kr|kroner)(?!\w))",
            i,
        ),
        "amount_code": (r"(?:" + "|".join(_CODES) + r"|US\$|CA\$|AU\$)\s?\d[\d,.]*\d?", i),
        "date_number": (
            rf"\d{{4}}-\d{{2}}-\d{{2}}\b|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b"
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b(?:\s+\d{{4}}\b)?|\d+\s+(?:days?|weeks?|months?)\s+ago\b",
            i,
        ),
        "date_word": (
            rf"(?:{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
            rf"|(?:last|this|next|on)\s+{_WEEKDAY}|(?:last|this|next)\s+(?:week|month|weekend)"
            r"|yesterday|today|tomorrow|the\s+day\s+before\s+yesterday"
            r"|(?:" + "|".join(_NUMBER_WORDS) + r")\s+(?:days?|weeks?|months?)\s+ago)\b",
            i,
        ),
        "email": (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0),
        "phone": (r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?![\w])", 0),
        "card": (r"\d(?:[ -]?\d){12,18}\b", 0),
        "product": (r"[\"“”«]([^\"“”«»\n]{3,60})[\"“”»]", 0),
        "nondigit": (r"\D", 0),
        # "\d\d*", not "\d+": a pattern that starts with a character class lets the
        # engine skip to the next digit in C instead of trying every position.
        "digits": (r"\d\d*", 0),
        "email_local": (r"[\w.+-]{1,64}$", 0),
        "email_domain": (r"@[\w-]+(?:\.[\w-]+)+\b", 0),
    }
    if ascii_text:
        specs = {name: (p, f | re.ASCII if _ascii_safe(p) else f) for name, (p, f) in specs.items()}
        found = _CACHE["entities-ascii"] = compiled_regexes("entities-ascii", specs)
    else:
        found = _CACHE["entities"] = compiled_regexes("entities", specs)
    return found


def _starts_word(text: str, pos: int) -> bool:
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")


_KEYS_OF: dict[tuple[str, ...], frozenset[str]] = {}


def _keys_of(words: tuple[str, ...]) -> frozenset[str]:
    """The ``WordIndex`` keys of a few fixed word lists (months, order words), once."""
    keys = _KEYS_OF.get(words)
    if keys is None:
        keys = _KEYS_OF[words] = frozenset(w.lower()[:3] for w in words)
    return keys


def _at_words(regex: re.Pattern[str], text: str, words: list[str]) -> list[re.Match[str]]:
    """Non-overlapping matches of ``regex`` tried only where one of ``words`` starts a word."""
    index, _ = word_index(text)
    # Only the keys the text has (a set intersection in C), the index's slices inline.
    first, last, positions = index._first, index._last, index._starts
    present = first.keys() & _keys_of(tuple(words))
    if not present:
        return []
    starts = sorted({p for key in present for p in positions[first[key] : last[key]]})
    out: list[re.Match[str]] = []
    end = -1
    for pos in starts:
        if pos < end:
            continue
        m = regex.match(text, pos)
        if m:
            out.append(m)
            end = m.end()
    return out


def _at_digits(regex: re.Pattern[str], text: str, starts: list[int], lead: str = "") -> list[re.Match[str]]:
    """Non-overlapping matches of ``regex`` tried only where a run of digits starts a
    word (or right before it, on one of the ``lead`` characters: "+1 415…", "(415)…")."""
    out: list[re.Match[str]] = []
    end = -1
    for pos in starts:
        if pos < end:
            continue
        tries = [pos - 1, pos] if pos and text[pos - 1] in lead else [pos]
        for at in tries:
            if at < end or not _starts_word(text, at):
                continue
            m = regex.match(text, at)
            if m:
                out.append(m)
                end = m.end()
                break
    return out


def _emails(text: str, rx: dict[str, Any]) -> list[str]:
    out: list[str] = []
    at = text.find("@")
    while at > 0:
        local = rx["email_local"].search(text, max(0, at - 64), at)
        domain = rx["email_domain"].match(text, at)
        if local and domain:
            address = local.group(0).lstrip(".") + domain.group(0)
            if address not in out:
                out.append(address)
        at = text.find("@", at + 1)
    return out


_LOCAL_CHARS = frozenset("_.+-")


def _without_emails(text: str, email: re.Pattern[str]) -> str:
    r"""``email.sub(" ", text)``, tried only at the "@" signs instead of at every position.

    Every match holds an "@" and starts where the run of ``[\w.+-]`` before it starts
    (that class holds no "@", so the local part must run right up to it, and the
    leftmost match takes the whole run); the first "@" whose run is not empty and whose
    domain matches gives the leftmost match, as an earlier "@" always has an earlier run."""
    out: list[str] = []
    done = 0  # where the text not yet copied (and the next match) starts
    at = text.find("@")
    while at >= 0:
        start = at
        while start > done and (text[start - 1].isalnum() or text[start - 1] in _LOCAL_CHARS):
            start -= 1
        m = email.match(text, start) if start < at else None
        if m:
            out.append(text[done:start])
            out.append(" ")
            done = m.end()
            at = text.find("@", done)
        else:
            at = text.find("@", at + 1)
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def _merge(*groups: list[re.Match[str]]) -> list[re.Match[str]]:
    """Matches from several patterns in text order, dropping any inside an earlier one."""
    out: list[re.Match[str]] = []
    end = -1
    for m in sorted((m for g in groups for m in g), key=lambda m: (m.start(), -m.end())):
        if m.start() >= end:
            out.append(m)
            end = m.end()
    return out


def mask_card(number: str) -> str:
    digits = _NONDIGIT.sub("", number)
    return f"**** **** **** {digits[-4:]}"


def luhn(digits: str) -> bool:
    """The card-number checksum (also the checker's card rule)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _is_card(raw: str) -> bool:
    digits = _NONDIGIT.sub("", raw)
    return 13 <= len(digits) <= 19 and luhn(digits)


def mask_cards(text: str) -> str:
    """Card numbers (Luhn-valid, 13-19 digits) masked wherever the text is shown again."""
    if not any(ch in text for ch in "0123456789"):
        return text
    card = _entity_regexes(text.isascii())["card"]
    masked = card.sub(lambda m: mask_card(m.group(0)) if _is_card(m.group(0)) else m.group(0), text)
    if masked == text:
        # No match of the card pattern is a card (a masked one never equals its digits):
        # ``entities`` need not look again in this text.
        if len(_NO_CARDS) >= _INDEX_SIZE:
            _NO_CARDS.clear()
        _NO_CARDS[id(text)] = text
        return text  # the same object: its word index is reused
    return masked


# Texts (by identity) in which ``mask_cards`` found no card.
_NO_CARDS: dict[int, str] = {}


def entities(text: str) -> dict[str, list[str]]:
    rx = _entity_regexes(text.isascii())
    has_digit = any(ch in text for ch in "0123456789")
    cards: list[str] = []
    if has_digit and _NO_CARDS.get(id(text)) is not text:
        cards = [
            mask_card(m.group(0))
            for m in rx["card"].finditer(text)
            if _starts_word(text, m.start()) and _is_card(m.group(0))
        ]
    scrubbed = rx["card"].sub(lambda m: " " if _is_card(m.group(0)) else m.group(0), text) if cards else text
    orders: list[str] = []
    if has_digit:
        hashes = [m for m in rx["order_hash"].finditer(scrubbed)]
        for m in _merge(hashes, _at_words(rx["order_word"], scrubbed, _ORDER_WORDS)):
            if m.re is rx["order_word"]:
                value = m.group(1)
                if scrubbed[m.start(1) - 1 : m.start(1)] == "#":
                    value = "#" + value  # keep the customer's own spelling: "#48213"
            else:
                value = m.group(0).replace(" ", "")
            value = value.strip()
            if value not in orders:
                orders.append(value)
    emails = _emails(scrubbed, rx) if "@" in scrubbed else []
    no_email = _without_emails(scrubbed, rx["email"]) if emails else scrubbed
    date_matches = _at_words(rx["date_word"], scrubbed, _date_words(scrubbed))
    amounts: list[str] = []
    phones: list[str] = []
    if has_digit:
        runs = [m.start() for m in rx["digits"].finditer(scrubbed)]
        date_matches = _merge(date_matches, _at_digits(rx["date_number"], scrubbed, runs))
        amounts = _unique(
            m.group(0).strip()
            for m in _merge(
                list(rx["amount_symbol"].finditer(scrubbed)),
                _at_digits(rx["amount_number"], scrubbed, runs),
                _at_words(rx["amount_code"], scrubbed, [*_CODES, "us", "ca", "au"]),
            )
        )
        order_digits = {rx["nondigit"].sub("", o) for o in orders}
        dates_text = {m.group(0) for m in date_matches}
        phone_runs = runs if no_email is scrubbed else [m.start() for m in rx["digits"].finditer(no_email)]
        for m in _at_digits(rx["phone"], no_email, phone_runs, lead="+("):
            if m.start() and no_email[m.start() - 1] in "+":
                continue
            p = m.group(0).strip()
            digits = rx["nondigit"].sub("", p)
            if 7 <= len(digits) <= 15 and digits not in order_digits and p not in dates_text and p not in phones:
                phones.append(p)
    return {
        "order_ids": orders,
        "amounts": amounts,
        "dates": _unique(m.group(0) for m in date_matches),
        "emails": emails,
        "phones": phones,
        "products": _unique(m.group(1).strip() for m in rx["product"].finditer(scrubbed))
        if '"' in scrubbed or "“" in scrubbed or "«" in scrubbed or "”" in scrubbed
        else [],
        "cards": _unique(cards),
    }


def _unique(items: Any) -> list[str]:
    out: list[str] = []
    for item in items:
        if item and item not in out:
            out.append(item)
    return out


# --- the pieces of the reading ------------------------------------------------------

# A period between digits ("12.99") does not end a sentence. Runs of ordinary
# characters are taken whole ("[^.!?\n]+", not one character per repetition): the
# same matches, as the ending after the longest run always matches, with far fewer
# steps of the regex engine.
# A full stop ends a sentence unless a word character follows at once ("e.g", "v1.2",
# "example.com") or it closes a title ("Ms. Hawkings").
_SENTENCE = _Lazy(
    r"(?:[^.!?\n]+|\.(?=\w)|(?:(?<=\bMr)|(?<=\bMs)|(?<=\bMrs)|(?<=\bDr)|(?<=\bSt)|(?<=\bvs)|(?<=\be\.g)|(?<=\bi\.e))\.)+(?:[.!?]+|$)",
    re.M,
)
_WORD = _Lazy(r"\w+")


def sentences(text: str) -> list[str]:
    return [text[start:end].strip() for start, end in _sentence_spans(text)]


_HEBREW = _Lazy(r"[\u0590-\u05ff]")
_CYRILLIC = _Lazy(r"[\u0400-\u04ff]")
_LATIN = _Lazy(r"[A-Za-z\u00c0-\u024f]")
# Scripts that name their language (kana before Han: Japanese writes both).
_SCRIPTS = (
    (_HEBREW, "he"),
    (_CYRILLIC, "ru"),
    (_Lazy(r"[\u0370-\u03ff\u1f00-\u1fff]"), "el"),
    (_Lazy(r"[\u0600-\u06ff]"), "ar"),
    (_Lazy(r"[\u0e00-\u0e7f]"), "th"),
    (_Lazy(r"[\uac00-\ud7af\u1100-\u11ff]"), "ko"),
    (_Lazy(r"[\u3040-\u30ff]"), "ja"),
    (_Lazy(r"[\u4e00-\u9fff]"), "zh"),
)
_UKRAINIAN = _Lazy(r"[іїєґІЇЄҐ]")  # letters Russian does not have


def detect_language(text: str, sig: dict[str, Any]) -> str:
    """Script first (Hebrew, Cyrillic, Greek, Arabic, Thai, Korean, Japanese, Chinese),
    then frequent words plus telltale letters."""
    sample = text[:3000]
    for script, code in () if sample.isascii() else _SCRIPTS:
        if script.search(sample):
            own = len(script.findall(sample))
            if own >= len(_LATIN.findall(sample)) * 0.3:
                return "uk" if code == "ru" and _UKRAINIAN.search(sample) else code
    low = _lowered(text) if len(text) <= 3000 else sample.lower()
    known = _indexed(text)
    if known is not None and low is not sample and len(low) == len(sample) == len(text):
        words = known[0].words[:400]  # the same words, already split out by the other readings
    else:
        words = _WORD.findall(low)[:400]  # a text read for its language only: no index
    if not words:
        return "en"
    from collections import Counter  # counts in C

    scores = dict.fromkeys(sig["languages"], 0.0)  # in the data's order: ties go to the first
    listed = sig["language_words"]
    counts = Counter(words)
    # One intersection in C with every listed word; only the few words found are visited.
    for word in listed.keys() & counts.keys():
        count = counts[word]
        for lang in listed[word]:
            scores[lang] += count
    ascii_text = low.isascii()
    for lang, (letters, ascii_letters) in sig["languages"].items():
        if ascii_text:
            letters = ascii_letters
        # A few substring searches: cheaper than the set of every character of the text.
        if letters and any(map(low.__contains__, letters)):
            scores[lang] += 0.5 * min(6, sum(low.count(ch) for ch in letters))
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else "en"


def _level(score: float, cuts: tuple[float, float, float] = (0.15, 0.35, 0.6)) -> str:
    if score < cuts[0]:
        return "none"
    if score < cuts[1]:
        return "low"
    if score < cuts[2]:
        return "medium"
    return "high"


_CAPS_WORD = _Lazy(r"\b[^\W\d_]{3,}\b")  # what ``anger`` counts as words (see there)
_LETTERS = _Lazy(r"[^\W\d_]+")


def _letters_only(word: str) -> bool:
    r"""A \w run with no digit or underscore (the characters of ``_CAPS_WORD``); letters
    are the common case, other numerics ("²") the regex decides."""
    return word.isalpha() or _LETTERS.fullmatch(word) is not None


def anger(text: str, sig: dict[str, Any]) -> dict[str, Any]:
    """Lexicon hits (negated ones dropped, intensified ones boosted), shouting and
    punctuation runs, summed and squashed to 0..1 so several mild signs add up."""
    evidence: list[str] = []
    total = 0.0
    negators = sig["anger_negators"]
    intensifiers = sig["intensifiers"]
    for _, matched, weight, pos in sig["anger"].hits(text):
        before = text[max(0, pos - 30) : pos]
        if negators is not None and weight > 0 and negators.search(before):
            continue  # "not angry", "never rude": the cue is denied
        if intensifiers is not None and weight > 0 and intensifiers.search(before):
            weight *= sig["intensifier_boost"]
        total += weight
        if weight > 0:
            evidence.append(matched)
    # The words of _CAPS_WORD are the whole \w+ runs of 3+ letters; the capitalised
    # ones are picked first (in C), and all of them are counted only when the share
    # of capitals can matter (a regex scan of every position costs several times more).
    index = word_index(text)[0]
    tokens = index.tokens if index.tokens is not None else _TOKEN.findall(text)
    caps = [w for w in filter(str.isupper, tokens) if len(w) >= 3 and _letters_only(w)]
    shout = sig["shouting"]
    # Shouting: mostly capitals, or several long words in capitals for emphasis
    # ("NOBODY answered ... a JOKE"); short all-caps words are often acronyms (PIN, ATM).
    emphatic = sum(1 for w in caps if len(w) >= 4)
    if (
        len(caps) >= shout["caps_words"]
        and len(caps) / max(sum(1 for w in tokens if len(w) >= 3 and _letters_only(w)), 1) >= shout["caps_ratio"]
    ) or (emphatic >= shout["emphasis_words"]):
        total += shout["weight"]
        evidence.append("ALL CAPS")
    if sig["threats"]:
        # A threat (lawyer, chargeback, public review, leaving) is a sign of anger too.
        for rid, ev in {r["id"]: r["evidence"] for r in risks(text, sig)}.items():
            weight = sig["threats"].get(rid, 0.0)
            if weight:
                total += weight
                evidence.append(ev[0])
    total = max(total, 0.0)
    score = round(1 - math.exp(-total), 3)
    return {"score": score, "level": _level(score, sig["levels"]), "evidence": _unique_ci(evidence)}


def urgency(text: str, sig: dict[str, Any]) -> dict[str, Any]:
    hits = sig["urgency"].hits(text)
    levels = [label for label, *_ in hits]
    level = "high" if "high" in levels else "medium" if "medium" in levels else "none"
    return {"level": level, "evidence": [m for _, m, _, _ in hits]}


def risks(text: str, sig: dict[str, Any]) -> list[dict[str, Any]]:
    found: dict[str, list[str]] = {}
    for rid, matched, _, _ in sig["risks"].hits(text):
        found.setdefault(rid, []).append(matched)
    return [{"id": rid, "evidence": ev} for rid, ev in found.items()]


def customer_type(
    text: str, sig: dict[str, Any], anger_result: dict[str, Any], history: dict[str, Any] | None = None
) -> dict[str, Any]:
    rules = sig["type_rules"]
    wording = _wording_type(text, sig, anger_result, rules)
    count = int((history or {}).get("count_90d") or 0)
    if count >= rules["history_chronic_count"]:
        # The complaint log outranks wording: it is what "chronic" means.
        dates = ", ".join((history or {}).get("dates", []))
        detail = f" (earlier: {dates})" if dates else ""
        return {"id": "chronic", "evidence": [f"complaint {count} in 90 days{detail}"], "was": wording["id"]}
    return wording


def _wording_type(
    text: str, sig: dict[str, Any], anger_result: dict[str, Any], rules: dict[str, Any]
) -> dict[str, Any]:
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for tid, matched, weight, _ in sig["types"].hits(text):
        scores[tid] = scores.get(tid, 0.0) + weight
        evidence.setdefault(tid, []).append(matched)
    # Hostility counts towards aggressive: high anger fully, medium anger half.
    hostility = {"high": 1.0, "medium": 0.5}.get(anger_result["level"], 0.0) * rules["anger_high_aggressive"]
    if hostility:
        scores["aggressive"] = scores.get("aggressive", 0.0) + hostility
        evidence.setdefault("aggressive", []).extend(anger_result["evidence"][:3])
    if not scores:
        return {"id": "neutral", "evidence": []}
    best = max(scores, key=lambda k: scores[k])
    if scores[best] < rules["threshold"]:
        return {"id": "neutral", "evidence": []}
    return {"id": best, "evidence": _unique(evidence.get(best, []))}


_SPANS: dict[int, tuple[str, list[tuple[int, int]]]] = {}


def _sentence_spans(text: str) -> list[tuple[int, int]]:
    known = _SPANS.get(id(text))
    if known is not None and known[0] is text:
        return known[1]
    spans = [m.span() for m in _SENTENCE.finditer(text) if m.group().strip()]
    if len(_SPANS) >= 4:
        _SPANS.clear()
    _SPANS[id(text)] = (text, spans)
    return spans


def _with_hits(text: str, positions: list[int]) -> list[str]:
    """The sentences that contain one of the hit positions, in order."""
    out = []
    if not positions:
        return out
    positions = sorted(positions)
    last = len(positions)
    for start, end in _sentence_spans(text):
        k = bisect_left(positions, start)
        if k < last and positions[k] < end:
            out.append(text[start:end].strip())
    return out


def wants(text: str, sig: dict[str, Any]) -> dict[str, Any]:
    found = _with_hits(text, [pos for *_, pos in sig["wants"].hits(text)])
    return {"stated": True, "text": found[0]} if found else {"stated": False, "text": ""}


def _score(text: str, cues: dict[str, Any]) -> tuple[dict[str, float], dict[str, list[str]]]:
    scores: dict[str, float] = {}
    evidence: dict[str, list[str]] = {}
    for pid, matched, weight, _ in cues["cues"].hits(text):
        scores[pid] = scores.get(pid, 0.0) + weight
        evidence.setdefault(pid, []).append(matched)
    for pid in scores:
        for _, _, weight, _ in cues["negative"][pid].hits(text):
            scores[pid] += weight
    return scores, evidence


def scenario(text: str, playbooks: list[dict[str, Any]], subject: str = "") -> dict[str, Any]:
    """The scenario the body (and subject) read as. The subject is scored on its own,
    so the body's word index is shared with every other reading of the message."""
    cues = _scenario_cues(playbooks)
    thresholds = cues["thresholds"]
    full = f"{subject}\n{text}" if subject.strip() else text
    scores, evidence = _score(text, cues)
    if subject.strip():
        more, more_evidence = _score(subject, cues)
        for pid, value in more.items():
            seen = {e.lower() for e in evidence.get(pid, [])}
            new = [e for e in more_evidence.get(pid, []) if e.lower() not in seen]
            if new:  # a cue counts once, wherever it appears
                scores[pid] = scores.get(pid, 0.0) + value
                evidence[pid] = new + evidence.get(pid, [])
    if not any(s >= thresholds.get(pid, 1.0) for pid, s in scores.items()):
        # Nothing found: try again with typos in the key words fixed.
        fixed = respell(full, cues["speller"], cues["known"])
        if fixed != full:
            scores, evidence = _score(fixed, cues)
    rank = cues["order"]
    # Highest score wins; on a tie the id listed first in scenarios.yaml does.
    ranked = sorted((s, -rank.get(pid, 99), pid) for pid, s in scores.items() if s >= thresholds.get(pid, 1.0))
    if not ranked:
        return {"id": "general", "confidence": 0.5, "evidence": []}
    best_score, _, best = ranked[-1]
    runner_up = ranked[-2][0] if len(ranked) > 1 else 0.0
    confidence = round(min(0.99, (1 - math.exp(-best_score)) * (1 - 0.5 * runner_up / best_score)), 2)
    return {"id": best, "confidence": confidence, "evidence": _unique_ci(evidence.get(best, []))}


def _unique_ci(items: list[str]) -> list[str]:
    """Evidence once, whatever its case or surrounding spaces."""
    seen: set[str] = set()
    out = []
    for item in items:
        key = item.strip().lower()
        if key and key not in seen:
            seen.add(key)
            out.append(item.strip())
    return out


def complaint(
    text: str, sig: dict[str, Any], scene: dict[str, Any], anger_result: dict[str, Any]
) -> tuple[bool, list[str]]:
    """A complaint reports something wrong or voices displeasure; a question, request or
    praise is not one. Cue weights (negative for praise and plain questions) add up."""
    total = 0.0
    evidence: list[str] = []
    for _, matched, weight, _ in sig["complaint"].hits(text):
        total += weight
        if weight > 0:
            evidence.append(matched)
    if scene["id"] in _PROBLEM_SCENARIOS and not scene.get("forced"):
        total += 1.0
        evidence.append(f"scenario: {scene['id']}")
    if anger_result["level"] in ("medium", "high"):
        total += 1.0
        evidence.append(f"anger: {anger_result['level']}")
    is_complaint = total >= sig["complaint_threshold"]
    return is_complaint, _unique(evidence) if is_complaint else []


_SWAP = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "im": "you're",
    "we": "you",
    "us": "you",
    "our": "your",
    "ours": "yours",
    "am": "are",
    "was": "were",
    "you": "we",
    "your": "our",
    "yours": "ours",
    "you're": "we're",
    "you've": "we've",
}


# Greetings and hedges that open a sentence but are not what it says.
_OPENING = _Lazy(
    r"^(?:(?:hi|hello|hey|dear\s+\w+|good\s+(?:morning|afternoon|evening))\b[\s,!.:-]*)?"
    r"(?:thanks?(?:\s+you)?(?:\s+so\s+much)?\s*[,!.:-]+\s*(?:but\s+)?)?"
    r"(?:(?:i['’]?m\s+|i\s+am\s+|so\s+)?(?:sorry|apologies)\b[^,\-–—]*[,\-–—]\s*(?:but\s+)?)?"
    r"(?:i\s+think\s+|it\s+seems\s+(?:that\s+)?|just\s+to\s+let\s+you\s+know,?\s+)?",
    re.IGNORECASE,
)


_AFTER_I = _Lazy(r"\b(?:i|I)\s+$")
# Words after which "you" is the object ("I told you" -> "you told us", never "told we").
_AFTER_VERB = _Lazy(
    r"\b(?:to|for|with|from|at|by|about|of|on|against|without|sent|send|told|tell|charged|charge|"
    r"gave|give|show|showed|let|ask|asked|call|called|email|emailed|contact|contacted|paid|pay|owe|remind|"
    r"reminded|promised|warned|assured|informed|want|need|expect|expected|trust|trusted|thank|help|helped)\s+$",
    re.I,
)
_PERSON_WORD = _Lazy(r"\b(?:i['’]m|i['’]ve|i['’]d|i['’]ll|you['’]re|you['’]ve|[A-Za-z]+)\b", re.I)
# The same tokens, only those ``_swap_person`` can change: the letter words of ``_SWAP``
# (longest first) in place of every run of letters. A match starts at a word boundary
# before a letter, never inside a run of letters, and the first alternatives are the same,
# so it matches exactly the tokens of ``_PERSON_WORD`` that are such words; the others
# came back unchanged (tests/test_analysis_fastpaths.py compares the two).
_SWAP_WORD = _Lazy(
    r"\b(?:i['’]m|i['’]ve|i['’]d|i['’]ll|you['’]re|you['’]ve|"
    r"(?:myself|mine|my|me|im|i|we|us|ours|our|am|was|yours|your|you))\b",
    re.I,
)


def _swap_person(sentence: str, m: re.Match[str]) -> str:
    """One word of ``restate``: "my" -> "your", "I was" -> "you were", "to you" -> "to us"."""
    word = m.group(0)
    low = word.lower().replace("’", "'")
    if low not in _SWAP:
        # Unchanged either way: a capital first letter stays the same capital.
        return word
    if low == "was" and not _AFTER_I.search(sentence[: m.start()]):
        return word  # only "I was" becomes "you were"
    new = _SWAP.get(low, word)
    if low == "you" and m.start() > 0 and _AFTER_VERB.search(sentence[: m.start()]):
        new = "us"
    if word[0].isupper() and m.start() == 0:
        new = new[:1].upper() + new[1:]
    return new


def restate(sentence: str) -> str:
    """The customer's sentence seen from the agent's side ("my order" -> "your order"),
    without the greeting or hedge that opened it, or the plea for help that closed it."""
    trimmed = _OPENING.sub("", sentence.strip(), count=1)
    sentence = trimmed if len(trimmed) > 12 else sentence
    # "…, can you help?" asks us; repeated back it would read "can we help".
    low = sentence.lower()
    if "help" in low or "assist" in low:  # the tail's every form says one of them
        untailed = _HELP_TAIL.sub("", sentence.strip(), count=1)
        if len(untailed.split()) >= 3:
            sentence = untailed
            low = sentence.lower()
    # A sentence shouted through is repeated back in lower case, acronyms and all: its
    # short capitals ("THIS IS THE worst") are shouting too, not acronyms.
    upper = sum(map(str.isupper, sentence))
    cased = upper + sum(map(str.islower, sentence))
    if cased >= 8 and upper > 0.5 * cased:
        sentence = low

    out = _SWAP_WORD.sub(partial(_swap_person, sentence), sentence.strip())
    if out.rstrip().endswith("?"):
        out = _indirect_question(out)
    # Shouted words are not repeated back shouted ("we STILL took" -> "we still took");
    # short all-caps words are more often acronyms (USB, PIN, VAT) and stay.
    out = _SHOUTED.sub(lambda m: m.group(0).lower() if m.group(0).isupper() else m.group(0), out)
    first = out.split(" ", 1)[0]
    if first != "I" and not (len(first) > 1 and first.isupper()):  # "OP", "PIN" keep their capitals
        out = out[:1].lower() + out[1:]
    order = _IMPERATIVE.match(out)
    if order and not out.rstrip().endswith("?"):
        # "Edit the address on my account" -> "you asked me to edit the address on your account".
        out = "you asked me to " + out[order.end(1) :]
    elif _DROPPED_SUBJECT.match(out) and not _FINITE_BE.search(out):
        # "Still waiting for my refund" -> "you are still waiting …"; not where the words
        # are the subject ("waiting for both is torture").
        out = "you are " + out
    return out.rstrip(" .!?")


# A request put as an order: a bare verb first, perhaps after "please".
_IMPERATIVE = _Lazy(
    r"((?:please\s+|pls\s+|kindly\s+)?)(?=(?:edit|change|update|cancel|close|delete|remove|check|reset|track|"
    r"open|add|transfer|activate|unblock|unlock|refund|replace|fix|switch|modify|submit|send|show|tell|give|"
    r"explain|confirm|verify|correct|stop|return|resend|reissue|reverse|deactivate|freeze|unfreeze)"
    # Not a noun: "Check is in the mail", "Return policy is a joke".
    r"\s+(?!(?:is|was|are|were|of|has|had|and|or)\b)(?!\S+\s+(?:is|was|are|were|has|had)\b))",
    re.I,
)
_FINITE_BE = _Lazy(r"\b(?:is|was|are|were|isn['’]t|wasn['’]t)\b", re.I)
# A note-style sentence that leaves out "I am": "Still waiting for my refund."
_DROPPED_SUBJECT = _Lazy(
    r"(?:still\s+|now\s+)?(?:waiting\s+(?:for|on|since)|trying\s+to|hoping\s+(?:for|to)|looking\s+for)\b"
)


# A closing plea that asks the reader for help: "…, can you help?", "… please help me!".
_HELP_TAIL = _Lazy(
    r"[\s,;:.!-]*(?:(?:so\s+)?(?:can|could|would|will)\s+(?:you|someone|anyone|somebody)\s+(?:please\s+)?"
    r"(?:help|assist)(?:\s+(?:me|us))?(?:\s+(?:with\s+(?:this|that|it)|please))?|please\s+help(?:\s+me)?)"
    r"\s*[?!.]*\s*$",
    re.IGNORECASE,
)


_SHOUTED = _Lazy(r"\b[^\W\d_]{5,}\b")


_SUBJECT = r"(there|it|this|that|they|we|you|I|he|she)"
_YES_NO = _Lazy(r"^(is|are|was|were)\s+" + _SUBJECT + r"\s+(.+?)\s*\?+$", re.I)
_MODAL = _Lazy(r"^(can|could|will|would|should)\s+" + _SUBJECT + r"\s+(.+?)\s*\?+$", re.I)
_DO = _Lazy(r"^do\s+(we|you|they|I)\s+(.+?)\s*\?+$", re.I)
_WH = r"(how|what|when|where|why|which|who)"
_WH_MODAL = _Lazy(r"^" + _WH + r"\s+(can|could|will|would|should)\s+" + _SUBJECT + r"\s+(.+?)\s*\?+$", re.I)
_WH_DO = _Lazy(r"^" + _WH + r"\s+do\s+(we|you|they|I)\s+(.+?)\s*\?+$", re.I)
# Not when it ends on a preposition: "what is the figure based on" is left as it is.
_WH_BE = _Lazy(
    r"^(what|when|where|who|how)\s+(is|are)\s+((?:the|our|your|my|this|that)\s+.+?)"
    r"(?<!\bon)(?<!\bfor)(?<!\bwith)(?<!\babout)(?<!\bto)(?<!\bfrom)(?<!\bof)(?<!\bin)(?<!\bat)(?<!\bby)\s*\?+$",
    re.I,
)


def _indirect_question(question: str) -> str:
    """'is there any discount …?' -> 'you asked whether there is any discount …': a question
    restated as a question reads as if the agent were asking it back. Forms it cannot
    turn round come back as they are."""
    m = _YES_NO.match(question) or _MODAL.match(question)
    if m:
        return f"you asked whether {_pronoun(m.group(2))} {m.group(1).lower()} {m.group(3)}"
    m = _DO.match(question)
    if m:
        return f"you asked whether {_pronoun(m.group(1))} {m.group(2)}"
    m = _WH_MODAL.match(question)
    if m:
        return f"you asked {m.group(1).lower()} {_pronoun(m.group(3))} {m.group(2).lower()} {m.group(4)}"
    m = _WH_DO.match(question)
    if m:
        # The customer's "how do I …" (swapped to "you"): how to do it.
        if m.group(1).lower() == "how" and m.group(2).lower() == "you":
            return f"you asked how to {m.group(3)}"
        return f"you asked {m.group(1).lower()} {_pronoun(m.group(2))} {m.group(3)}"
    m = _WH_BE.match(question)
    if m:
        return f"you asked {m.group(1).lower()} {m.group(3)} {m.group(2).lower()}"
    return question


def _pronoun(word: str) -> str:
    return word if word == "I" else word.lower()


def restatement_source(text: str, scenario_evidence: list[str], picked: list[str]) -> str:
    """The sentence to restate: what happened (scenario evidence) before how it felt
    ("This is UNACCEPTABLE" restates nothing), and a sentence, not a fragment.

    A threat ("or I dispute the charge") or a demand ("give me 30% off") says what they
    will do or want; restated back it reads as an order, so it is used only when nothing
    else is left."""
    low = _lowered(text)
    positions = [at for at in (low.find(e.lower()) for e in scenario_evidence) if at >= 0]
    evidence = _with_hits(text, positions)
    candidates: list[str] | None = None  # built only when the evidence sentences do not do
    sig = signals()

    def demand(sentence: str) -> bool:
        # "Give me …", "Please cancel …": a want stated as an order. "I want …" and
        # "I'd like …" restate well ("you'd like …"), so they are not demands.
        return any(pos <= 8 and not _FIRST_PERSON.match(hit) for _, hit, _, pos in sig["wants"].hits(sentence))

    for threats, orders, words, first_pool in (
        (True, True, 4, True),  # the sentence that decided the scenario
        (True, True, 5, False),
        (True, False, 5, False),
        (False, False, 5, False),
    ):
        if first_pool:
            pool = evidence
        else:
            if candidates is None:
                candidates = [*evidence, *picked, *sentences(text)]
            pool = candidates
        for sentence in pool:
            if len(sentence.split()) < words:
                continue
            if (threats and sig["risks"].hits(sentence)) or (orders and demand(sentence)):
                continue
            return sentence
    if candidates is None:
        candidates = [*evidence, *picked, *sentences(text)]
    # Nothing long enough: the longest of three words or more ("Someone stole my card"),
    # never a fragment ("Help!" restated reads "you correctly, help").
    return max((c for c in candidates if len(c.split()) >= 3), key=lambda c: len(c.split()), default="")


_FIRST_PERSON = _Lazy(r"(?:i|i['’]d|i['’]m|we|we['’]d|my|our)\b", re.I)


def complaint_sentences(text: str, sig: dict[str, Any], scenario_evidence: list[str]) -> list[str]:
    """Sentences that carry the scenario evidence, anger or a complaint cue (positive weight)."""
    positions = [pos for _, _, w, pos in sig["anger"].hits(text) if w > 0]
    positions += [pos for _, _, w, pos in sig["complaint"].hits(text) if w > 0]
    low = _lowered(text)
    for e in scenario_evidence:
        at = low.find(e.lower())
        if at >= 0:
            positions.append(at)
    return _with_hits(text, positions)


# --- the whole reading ------------------------------------------------------------


def analyze(
    message: Message,
    playbooks: list[dict[str, Any]],
    *,
    needs: dict[str, list[dict[str, Any]]] | None = None,
    forced_playbook: str | None = None,
    forced_type: str | None = None,
    forced_language: str | None = None,
    history: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The analysis JSON of CONTRACT.md, plus ``complaint``, ``complaint_evidence``,
    ``complaint_sentences`` and ``restatement``. ``history`` is the sender's record from
    the complaint log (``{"count_90d": int, ...}``)."""
    sig = signals()
    text = mask_cards(message.body)
    scene = scenario(text, playbooks, message.subject)
    if forced_playbook:
        scene = {**scene, "id": forced_playbook, "confidence": 1.0, "forced": True}
    ang = anger(text, sig)
    ctype = customer_type(text, sig, ang, history)
    if forced_type:
        ctype = {"id": forced_type, "evidence": ["chosen by the agent"]}
    ents = entities(message.body)  # cards are read from the unmasked text
    if message.subject.strip():
        for key, values in entities(message.subject).items():
            ents[key] = _unique([*values, *ents[key]])
    is_complaint, complaint_evidence = complaint(text, sig, scene, ang)
    picked = complaint_sentences(text, sig, scene["evidence"])
    first = restatement_source(text, scene["evidence"], picked)
    missing = []
    for need in (needs or {}).get(scene["id"], []):
        entity = need.get("entity")
        if entity and not ents.get(entity):
            missing.append(need["id"])
    shown = message.to_dict()
    shown["body"] = text
    language = forced_language or detect_language(text, sig)
    return {
        "language": language,
        "message": shown,
        "scenario": scene,
        "customer_type": ctype,
        "anger": ang,
        "urgency": urgency(text, sig),
        "risks": risks(text, sig),
        "entities": ents,
        "wants": wants(text, sig),
        "missing": missing,
        "complaint": is_complaint,
        "complaint_evidence": complaint_evidence,
        "complaint_sentences": picked,
        # Told back in English only: the replies are English, and turning "my" into
        # "your" is English grammar ("meine Bestellung" would come back as it is).
        "restatement": restate(first) if first and language == "en" else "",
    }
