"""check() remembers what it found per block and per sentence of a reply (the
paragraphs of a batch's drafts recur); its findings must be exactly those of the
plain path (_check_plain: every rule over the whole reply), on the golden drafts, drafts of generated emails, the labelled
replies, the rules' examples and texts made to sit on the edges of a block."""

from __future__ import annotations

import copy
import importlib.util
from typing import Any

import pytest

from replycoach.checking import checker, engine
from replycoach.checking.checker import _check_plain, check, load_rules

from .conftest import NOW, ROOT
from .test_checker_speedpaths import TRICKY, _corpus


def _module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(f"replycoach_memo_{name}", ROOT / "benchmarks" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# Where a block break could change what a splitter or a rule sees.
EDGES = [
    "Hi Ana,\n\nI will send it soon.\n\nSorry, but we can't.\n\nSam",
    "We will\n\nnever ask for it. We\n\nwill send it.",  # a swap across a break
    "As I said\n\nin my last email, calm down.",
    "I will call you.\n\n- by Monday\n\n2.\n\nThanks",  # bullets ending a block
    "Steps:\n- one\n-\n\nI will fix it soon.\n\n3)\n\nI don't know why.",
    "e.g.\n\nI will write soon.\n\ni.e.\n\nNo, we can't.",
    "Hi,\n\n\nI will look into it.\n\n\n\nSorry for any inconvenience.",  # runs of blank lines
    "Hi,\n\n  indented: I will refund you.\n\t\nNo idea.\n \nwe will help",  # whitespace at the edges
    "Hi,\r\n\r\nI will reply soon.\r\n\r\nWe apologise for any inconvenience.",
    "I don't know.\n\nI will find out and get back to you by Monday.",
    "Unfortunately not.\n\nWhat I can do is send a new one.",
    "I will send it.\n\nBy Tuesday, 3 pm.\n\nWe will call.\u2028\n\nOur policy is 30 days.",
    "I'm sorry\n\nyou feel that way. Due to\n\nhigh volume we are behind on emails.",
    "Card 4111 1111\n\n1111 1111 and 4111 1111 1111 1111.\n\nYour new password is Summer2026!",
    "\n\nI will send it soon.\n\n",
    "",
    "Sorry.\n\n> As I already said, calm down\n\nOn Mon, Ana wrote:\n> we will\n\n-- \nSam",
    "Hi José,\n\nI’ll send the replacement soon.\n\nWe’re going to fix it, I promise this won’t happen again.",
    "We value your business.\u00a0\n\nWe will send it.\n\nwe we we I",
]


def _drafts() -> list[tuple[str, dict[str, Any]]]:
    """(draft, analysis) for every scenario sample (the golden drafts) and 150
    generated emails, as a batch drafts them."""
    from replycoach.batch.pipeline import Drafter, Options

    samples = _module("scenario_samples")

    def draft_all() -> None:
        samples.draft_samples(NOW)
        drafter = Drafter(Options(sets=["agent=Sam"], placeholders=True, now=NOW))
        for raw in _module("mailgen").messages(150):
            drafter.draft(raw)

    return samples.checks_made(draft_all)


@pytest.fixture(scope="module")
def drafts() -> list[tuple[str, dict[str, Any]]]:
    return _drafts()


@pytest.mark.parametrize("memo", [True, False])
def test_memo_gives_the_plain_paths_findings(monkeypatch: pytest.MonkeyPatch, drafts, memo: bool) -> None:
    """Block by block (memo) and the program's own whole-reply path (for replies that
    share little) against _check_plain."""
    monkeypatch.setattr(checker._Program, "memo_pays", lambda self: memo)
    rules = load_rules()
    items: list[tuple[str, str | None, dict[str, Any] | None]] = [(r, None, a) for r, a in drafts]
    items += [(r, m, None) for r, m in _corpus()]
    items += [(t, m, None) for t in EDGES for m in (None, "My blender arrived cracked. When will you fix it?")]
    assert len(drafts) > 150 and len(items) > 500
    checker._PROGRAMS.clear()
    # Twice: first the blocks and sentences are new, then remembered.
    found = [[check(r, message=m, analysis=a, rules=rules) for r, m, a in items] for _ in range(2)]
    program = checker._program(rules)
    assert bool(program.memo and program.sentences) == memo  # the path asked for was taken
    plain = [_check_plain(r, message=m, analysis=a, rules=rules) for r, m, a in items]
    fired = 0
    for (reply, _, _), first, second, want in zip(items, *found, plain, strict=True):
        assert first == want, reply
        assert second == want, reply
        fired += bool(want)
    assert fired > 200  # the corpus has findings to get wrong


def test_a_batch_turns_to_the_memo_and_keeps_the_findings(drafts) -> None:
    """As it comes: the first checks whole, then block by block once blocks recur."""
    rules = load_rules()
    checker._PROGRAMS.clear()
    for reply, analysis in drafts:
        assert check(reply, analysis=analysis, rules=rules) == _check_plain(reply, analysis=analysis, rules=rules)
    program = checker._program(rules)
    assert program.memo_pays() and program.hit_rate > 0.5


def _texts(drafts: list[tuple[str, dict[str, Any]]]) -> list[str]:
    texts = [r for r, _ in drafts] + [r for r, _ in _corpus()] + EDGES + TRICKY
    return [checker.checkable(t.replace("\r\n", "\n")) for t in texts]


def test_blocks_cut_only_where_the_splitters_cut_alike(drafts) -> None:
    """The construction check() rests on: a reply is the blocks joined by "\\n\\n", and
    the sentence and paragraph spans inside a block are the reply's spans there."""
    for text in _texts(drafts):
        blocks = checker._blocks(text)
        assert "\n\n".join(blocks) == text
        for scope in ("sentence", "paragraph"):
            whole = checker._spans(text, scope)
            pieced = []
            offset = 0
            for block in blocks:
                pieced += [(offset + s, offset + e) for s, e in checker._spans(block, scope)]
                offset += len(block) + 2
            assert pieced == whole, (scope, text)
    assert checker._blocks("a\n\n- b\n\nc") == ["a", "- b", "c"]
    assert checker._blocks("a\n-\n\nc") == ["a\n-\n\nc"]  # a bullet ends the block: kept whole
    assert checker._blocks("a\n\n\nb\n\n c") == ["a\n\n\nb\n\n c"]


def test_the_memo_stays_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(checker._Program, "memo_pays", lambda self: True)
    monkeypatch.setattr(engine, "_MEMO_SIZE", 8)
    monkeypatch.setattr(engine, "_SENTENCE_MEMO_SIZE", 16)
    rules = load_rules()
    checker._PROGRAMS.clear()
    for n in range(100):
        reply = f"Hi {n},\n\nI will refund order #{n} soon. Sorry.\n\nWe will call you on day {n}.\n\nSam"
        assert check(reply, rules=rules) == _check_plain(reply, rules=rules)
    program = checker._program(rules)
    assert len(program.memo) == 8
    assert len(program.sentences) == 16
    assert len(checker._PROGRAMS) <= 8


def test_a_rule_list_changed_in_place_is_not_mistaken() -> None:
    rules = copy.deepcopy(load_rules())  # not the cached payload
    reply = "Hi,\n\nKindly calm down.\n\nSam"
    assert [f["rule"] for f in check(reply, rules=rules)] == ["calm-down"]
    by_id = {r["id"]: r for r in rules}
    by_id["calm-down"]["patterns"].append("kindly")
    assert check(reply, rules=rules) == _check_plain(reply, rules=rules)
    assert [f["rule"] for f in check(reply, rules=rules)] == ["calm-down", "calm-down"]


def test_findings_handed_out_are_copies() -> None:
    rules = load_rules()
    reply = "Hi,\n\nPlease calm down.\n\nSam"
    first = check(reply, rules=rules)
    first[0]["line"] = 99
    assert check(reply, rules=rules)[0]["line"] == 3
