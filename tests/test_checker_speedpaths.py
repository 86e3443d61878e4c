"""The checker's fast paths (literal prefilters, word-start keys, required words) only
skip work: with them switched off, every reply gets the very same findings."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from replycoach.checking import checker
from replycoach.checking.checker import check, load_rules

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("replycoach_eval_checker_sp", ROOT / "benchmarks" / "eval_checker.py")
assert _spec is not None and _spec.loader is not None
eval_checker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_checker)

# Characters that fold to ASCII letters under re.IGNORECASE, curly apostrophes,
# words glued to punctuation, and a card number: where a prefilter could go wrong.
TRICKY = [
    "I’m ſorry, but we can’t refund it. As I ſaid, calm down.",
    "İ don't know. I WİLL GET BACK TO YOU SOON.",
    "ı will send it soon; we’ll see. We will never share it.",
    "Your card 4111 1111 1111 1111 was charged; your new password is Summer2026!",
    "We apologise for any inconvenience this may have caused. Sorry if you feel let down.",
    "—I'll look into it.\n\n> As I already said, calm down\n\n-- \nSam",
    "No, we can't.\n1) Unfortunately not.\n2) That's impossible, it's user error.",
    "weWILL;we'll:I'LL,someone will — our team will get back to you (tomorrow).",
]


def _slow(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every prefilter says 'maybe' and every rule scans every sentence."""
    monkeypatch.setattr(checker._Plan, "possible", lambda self, folded: True)
    monkeypatch.setattr(checker._Plan, "present", lambda self, folded: None)
    monkeypatch.setattr(checker, "_starts", lambda plan, ctx: None)
    monkeypatch.setattr(checker._Plan, "exists", lambda self, text, folded: self.regex.search(text) is not None)


def _corpus() -> list[tuple[str, str | None]]:
    items: list[tuple[str, str | None]] = [(c["reply"], c.get("message")) for c in eval_checker.load_cases()]
    for rule in load_rules():
        for want in ("bad", "good"):
            for item in rule.get("examples", {}).get(want, []):
                items.append((item, None) if isinstance(item, str) else (item["reply"], item.get("message")))
    items += [(t, None) for t in TRICKY]
    return items


def test_fast_and_slow_paths_give_the_same_findings(monkeypatch: pytest.MonkeyPatch) -> None:
    rules = load_rules()
    items = _corpus()
    fast: list[list[dict[str, Any]]] = [check(r, message=m, rules=rules) for r, m in items]
    with monkeypatch.context() as m:
        _slow(m)
        slow = [check(r, message=msg, rules=rules) for r, msg in items]
    assert len(items) > 300
    for (reply, _), a, b in zip(items, fast, slow, strict=True):
        assert a == b, reply


def test_keys_and_words_are_derived_for_most_patterns() -> None:
    """Not a timing: the fast paths must actually apply to the built-in pack."""
    patterns = [p for rule in load_rules() for p in rule.get("patterns", [])]
    keyed = [p for p in patterns if checker._cue_start_keys(p) is not None]
    assert len(keyed) >= 0.9 * len(patterns)
    assert checker._cue_start_keys("re:\\bwe\\b") == {"we$"}
    assert checker._cue_start_keys("@apology") == {"sor", "apo"}
    assert checker._cue_start_keys("re:foo") is None  # may start inside a word
    assert checker._cue_words("re:\\bI\\s+(?:do\\s+not|don['’]?t)\\s+have\\s+(?:that|any)\\s+information\\b") == {
        "information"
    }


def test_exists_is_a_search_of_the_whole_regex() -> None:
    """_Plan.exists asks each top-level alternative on its own: the same answer as
    searching the combined regex, for every pattern list of the pack, on every
    sentence and paragraph of the corpus."""
    rules = load_rules()
    lists = {("@date",), ("@commitment",), ("@apology",)}
    for rule in rules:
        for field in ("patterns", "requires", "unless", "against"):
            if rule.get(field):
                lists.add(tuple(rule[field]))
    texts = [r for r, _ in _corpus()] + [m for _, m in _corpus() if m]
    pieces = {t for text in texts for scope in ("sentence", "paragraph", "text") for t in _pieces(text, scope)}
    split = 0
    for patterns in sorted(lists):
        for case in (False, True):
            plan = checker._plan(list(patterns), case)
            split += bool(plan._split())
            for text in pieces:
                assert plan.exists(text, checker._folded(text)) == bool(plan.regex.search(text)), (patterns, text)
    assert split >= 20  # most lists are split
    assert checker._branches(r"a(b|c)|[|)]|\\|d") == ["a(b|c)", "[|)]", "\\\\", "d"]
    assert checker._branches(r"[]|]x|y") == ["[]|]x", "y"]
    for whole in (r"(a)|\1", r"(?i)a|b", r"(?P<x>a)|(?P=x)", r"(a)?(?(1)b|c)", "(a|b", r"a(?#x(y)|b"):
        assert checker._branches(whole) is None


def _pieces(text: str, scope: str) -> list[str]:
    text = checker.checkable(text.replace("\r\n", "\n"))
    return [text[s:e] for s, e in checker._spans(text, scope)]


def test_branches_read_from_the_rule_cache_are_worked_out_afresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """The alternatives and literals kept in the rule cache (a new process reads them
    instead of running re's parser) are exactly what the derivation gives."""
    load_rules()  # fills the cache
    monkeypatch.setattr(checker, "_LOADED", None)
    monkeypatch.setattr(checker, "_BRANCHES", {})
    load_rules()  # a new process: from the cache file
    cached = dict(checker._BRANCHES)
    assert len(cached) > 50 and sum(b is not None for b in cached.values()) > 10
    monkeypatch.setattr(checker, "_BRANCHES", {})
    for cue, branches in cached.items():
        assert checker._cue_branches(cue) == branches, cue
