"""check(): every rule of a list over a reply, block by block with what each block gave
remembered (the plain path, every rule over the whole reply, beside it: _check_plain).

The block memo is the one speed mechanism of the checking stage: a batch's drafts come
from a few templates and share most paragraphs (measured: 1.27x batch msg/s,
bench_batch.py --against). test_checker_memo compares it with the plain path.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from typing import Any

from replycoach.checking.context import _Context
from replycoach.checking.kinds import _excused, _existence, _existence_hits, _occurrence, _substitution
from replycoach.checking.rules import _regex, load_rules, trusted
from replycoach.checking.structure import STRUCTURAL_CHECKS, _card_number
from replycoach.checking.text import _SEVERITY_ORDER, _finding, _spans, checkable
from replycoach.checking.topics import _keywords

_re = re.compile
_Check = Callable[[dict[str, Any], _Context], list[dict[str, Any]]]


def check(
    reply: str,
    *,
    message: str | None = None,
    analysis: dict[str, Any] | None = None,
    rules: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Findings for ``reply``, sorted by position.

    ``message`` (the customer's message body) or ``analysis`` (a draft's reading of
    it) enables the structural checks that compare the reply with the message.

    Block by block (see _Program): what a block of the reply gives is remembered, so
    the paragraphs a batch's drafts share are checked once. The same findings as
    checking the whole reply at once (_check_plain; tests compare the two).
    """
    rules = load_rules() if rules is None else rules
    return _program(rules).check(reply, message, analysis)


def _check_plain(
    reply: str,
    *,
    message: str | None = None,
    analysis: dict[str, Any] | None = None,
    rules: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """check() without the block memo: every rule over the whole reply."""
    rules = load_rules() if rules is None else rules
    context = _Context(checkable(reply.replace("\r\n", "\n")), message, analysis)
    results = [(i, _rule_check(rule)(rule, context)) for i, rule in enumerate(rules)]
    return _sorted_findings(results, [])


def _rule_check(rule: dict[str, Any]) -> _Check:
    kind = rule["kind"]
    if kind == "existence":
        return _existence
    if kind == "substitution":
        return _substitution
    if kind == "occurrence":
        return _occurrence
    return STRUCTURAL_CHECKS[rule["check"]]


# --- checking block by block -------------------------------------------------------
#
# A batch's drafts come from a few templates: most paragraphs recur verbatim, and only
# the greeting, the restatement, ids, amounts and dates differ. So a reply is cut into
# blocks at its paragraph breaks, and what the rules find in a block is remembered by
# the block's text.
#
# The same findings as checking the whole reply, by construction. A reply is cut only
# at a "clean" break: exactly "\n\n" between two characters that are not whitespace.
# - Both splitters (_PARAGRAPH_END, _SENTENCE_END) match exactly that "\n\n" there, and
#   their other matches lie inside one block and are found alike in the block alone:
#   they consume only whitespace, and their lookbehinds at a block's start (which see
#   "\n" in the reply, nothing in the block) fail in both. The one lookahead that could
#   look past a block's end, a list item's bullet ending it, keeps the break uncut
#   (_open_tail). So the sentences and paragraphs inside a block are the block's own.
# - An existence rule matches, requires and (in its sentence or paragraph) is excused
#   within one span, a slice of the text: its findings in a block are the block's own,
#   moved down by the lines before the block (a block starts a line: columns stand).
# - Excused by the whole text or by what follows: the block keeps the hits, and the
#   reply is asked whether each is excused.
# - Words (\w+) and topic words (_WORD) never run across a break: the reply's are the
#   union of its blocks'.
# - The other rules (substitution, occurrence, the structural checks, text scope) look
#   at the whole reply.
# The order of findings is the plain path's: sorted by position, severity and rule,
# then by rule order and the order each rule found them (Python's sort is stable).

_MEMO_SIZE = 1024  # blocks per rule list: a few hundred recur, the rest are one-offs
_SENTENCE_MEMO_SIZE = 4096  # sentences per rule list, likewise
_OPEN_TAIL = _re(r"\n\s*(?:[-*•]|\d+[.)])\Z")
_LOCAL_SCOPES = ("sentence", "paragraph")


def _open_tail(block: str) -> bool:
    """Whether ``block`` ends with a list item's bullet ("\\n- ", "\\n2."): _SENTENCE_END's
    lookahead there would see the break after it in the reply, the end in the block."""
    last = block[-1]
    if last in ".)":
        if not block[-2:-1].isdigit():  # every \d is a digit to str.isdigit()
            return False
    elif last not in "-*•":
        return False
    return _OPEN_TAIL.search(block) is not None


def _blocks(text: str) -> list[str]:
    """``text`` cut at its clean breaks ("\\n\\n".join gives it back)."""
    pieces = text.split("\n\n")
    blocks = []
    current = pieces[0]
    for piece in pieces[1:]:
        if current and piece and not current[-1].isspace() and not piece[0].isspace() and not _open_tail(current):
            blocks.append(current)
            current = piece
        else:
            current = f"{current}\n\n{piece}"
    blocks.append(current)
    return blocks


class _Sentence:
    """What the sentence-scope rules find in one sentence (offsets relative to it):
    a sentence's matches, requires and same-sentence unless need nothing else."""

    __slots__ = ("hits", "keywords")

    def __init__(self, text: str, program: _Program) -> None:
        self.keywords = frozenset(_keywords(text))
        # (slot in program.sentence_rules, match start, match end), by slot: the span
        # loop of _existence_hits for a text that is this one span.
        hits: list[tuple[int, int, int]] = []
        for slot, (_, _, regex, requires, unless, mode) in enumerate(program.sentence_rules):
            found = list(regex.finditer(text))
            if not found:
                continue
            if requires is not None and requires.search(text) is None:
                continue
            if mode == "here" and unless is not None and unless.search(text) is not None:
                continue
            hits.extend((slot, m.start(), m.end()) for m in found)
        self.hits = hits


class _Block:
    """What a rule list finds in one block, offsets and lines relative to the block."""

    __slots__ = ("found", "keywords", "lines", "pending")

    def __init__(self, text: str, program: _Program) -> None:
        spans = _spans(text, "sentence")
        sentences = [program.sentence(text[start:end]) for start, end in spans]
        ctx: _Context | None = None  # the block itself, for a paragraph's unless and paragraph rules
        by_slot: dict[int, list[dict[str, Any]]] = {}
        # (rule index, span start, span end, match start, match end): hits whose
        # unless looks beyond the block.
        self.pending: list[tuple[int, int, int, int, int]] = []
        for (start, end), sentence in zip(spans, sentences, strict=True):
            for slot, m_start, m_end in sentence.hits:
                i, rule, _, _, unless, mode = program.sentence_rules[slot]
                if mode == "beyond":
                    self.pending.append((i, start, end, m_start, m_end))
                    continue
                if mode == "paragraph":
                    if ctx is None:
                        ctx = _Context(text, None, None)
                    assert unless is not None
                    if _excused(ctx, unless, "paragraph", "sentence", start, end, m_start, m_end):
                        continue
                by_slot.setdefault(slot, []).append(_finding(rule, text, start + m_start, start + m_end))
        # (rule index, finding), each rule's in text order.
        self.found = [(program.sentence_rules[slot][0], f) for slot in sorted(by_slot) for f in by_slot[slot]]
        if program.block_local or program.block_pending:
            if ctx is None:
                ctx = _Context(text, None, None)
            self.found += [(i, f) for i, rule, spec in program.block_local for f in _existence(rule, ctx, spec)]
            self.pending += [
                (i, start, end, m.start(), m.end())
                for i, rule, spec in program.block_pending
                for start, end, m in _existence_hits(rule, ctx, spec)
            ]
        for i, rule, fn in program.block_checks:
            if ctx is None:
                ctx = _Context(text, None, None)
            self.found += [(i, f) for f in fn(rule, ctx)]
        self.lines = text.count("\n")
        # A block's topic words are its sentences' (the rest is whitespace).
        self.keywords = frozenset().union(*(sentence.keywords for sentence in sentences))


_SentenceRule = tuple[int, dict[str, Any], re.Pattern[str], "re.Pattern[str] | None", "re.Pattern[str] | None", str]


class _Program:
    """A rule list, sorted by what each rule needs to see, and the blocks and sentences
    it has checked."""

    def __init__(self, rules: list[dict[str, Any]]) -> None:
        self.rules = rules
        # The cached payload is read-only by contract; any other list is compared with
        # a copy on each call, so a rule changed in place is not mistaken.
        self.snapshot = None if trusted(rules) else copy.deepcopy(rules)
        # Sentence-scope existence rules: (rule index, rule, plan, requires, unless,
        # where unless looks: "here" (none, or the sentence), "paragraph" (the block)
        # or "beyond" (the whole reply: asked in check())).
        self.sentence_rules: list[_SentenceRule] = []
        self.sentence_rules_specs: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        # Paragraph scope: checked per block.
        self.block_local: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        self.block_pending: list[tuple[int, dict[str, Any], dict[str, Any]]] = []
        # Every rule whose unless looks beyond a block, for check().
        self.pending: list[tuple[int, dict[str, Any], dict[str, Any], re.Pattern[str], str]] = []
        self.whole: list[tuple[int, dict[str, Any], _Check]] = []
        # Structural checks whose findings in a block are the block's own: checked per block.
        self.block_checks: list[tuple[int, dict[str, Any], _Check]] = []
        for i, rule in enumerate(rules):
            kind = rule["kind"]
            if kind == "existence":
                spec = rule
            elif kind == "substitution":
                self.whole.append((i, rule, _substitution))
                continue
            elif kind == "occurrence":
                self.whole.append((i, rule, _occurrence))
                continue
            elif rule["check"] == "commitment-no-date":
                spec = {  # as _commitment_no_date makes it
                    "patterns": rule.get("patterns") or ["@commitment"],
                    "unless": rule.get("unless") or ["@date"],
                    "unless_scope": rule.get("unless_scope", "paragraph"),
                }
            elif rule["check"] == "card-number":
                # A card number is digits, spaces and hyphens: never across a break, and
                # its look-arounds see the same at a block's edge ("\n" or nothing).
                self.block_checks.append((i, rule, _card_number))
                continue
            else:
                self.whole.append((i, rule, STRUCTURAL_CHECKS[rule["check"]]))
                continue
            scope = rule["scope"]
            case = rule["case_sensitive"]
            unless_scope = spec.get("unless_scope", scope)
            unless = _regex(spec["unless"], case) if spec.get("unless") else None
            if scope not in _LOCAL_SCOPES:
                self.whole.append((i, rule, functools.partial(_existence, spec=spec)))
                continue
            beyond = unless is not None and unless_scope not in _LOCAL_SCOPES
            if beyond:
                assert unless is not None
                self.pending.append((i, rule, spec, unless, unless_scope))
            if scope == "sentence":
                mode = "beyond" if beyond else "paragraph" if unless is not None and unless_scope != scope else "here"
                requires = _regex(rule["requires"], case) if rule.get("requires") else None
                self.sentence_rules.append((i, rule, _regex(spec["patterns"], case), requires, unless, mode))
                self.sentence_rules_specs.append((i, rule, spec))
            elif beyond:
                self.block_pending.append((i, rule, spec))
            else:
                self.block_local.append((i, rule, spec))
        self.memo: dict[str, _Block] = {}
        self.sentences: dict[str, _Sentence] = {}
        # Every rule on the whole reply, in order: for replies that share little with
        # those before (a single `replycoach draft`, unrelated replies), where working
        # block by block only adds bookkeeping.
        self.plain: list[tuple[int, dict[str, Any], _Check]] = [
            *self.whole,
            *self.block_checks,
            *((i, rule, functools.partial(_existence, spec=spec)) for i, rule, spec, *_ in self.sentence_rules_specs),
            *((i, rule, functools.partial(_existence, spec=spec)) for i, rule, spec in self.block_local),
            *((i, rule, functools.partial(_existence, spec=spec)) for i, rule, spec in self.block_pending),
        ]
        self.plain.sort(key=lambda entry: entry[0])
        self.calls = 0
        self.hit_rate = 0.0  # of blocks found in the memo, averaged over recent checks

    def sentence(self, text: str) -> _Sentence:
        found = self.sentences.pop(text, None)
        if found is None:
            found = _Sentence(text, self)
            if len(self.sentences) >= _SENTENCE_MEMO_SIZE:
                del self.sentences[next(iter(self.sentences))]  # the least recently used
        self.sentences[text] = found
        return found

    def check(self, reply: str, message: str | None, analysis: dict[str, Any] | None) -> list[dict[str, Any]]:
        reply = reply.replace("\r\n", "\n")
        text = checkable(reply)
        self.calls += 1
        if not self.memo_pays():
            ctx = _Context(text, message, analysis)
            return _sorted_findings([(i, fn(rule, ctx)) for i, rule, fn in self.plain], [])
        memo = self.memo
        found: list[tuple[Any, ...]] = []
        n = 0  # emission order, for equal sort keys
        known = 0  # blocks found in the memo
        pending: dict[int, list[tuple[int, int, int, int]]] = {}
        blocks = 0
        keywords: list[frozenset[str]] = []
        offset = line = 0
        for block in _blocks(text):
            entry = memo.pop(block, None)
            if entry is None:
                entry = _Block(block, self)
                if len(memo) >= _MEMO_SIZE:
                    del memo[next(iter(memo))]  # the least recently used
            else:
                known += 1
            memo[block] = entry
            for i, f in entry.found:
                f = dict(f)  # the remembered finding stays as it was
                f["line"] += line
                found.append((f["line"], f["column"], _SEVERITY_ORDER[f["severity"]], f["rule"], i, n, f))
                n += 1
            for i, start, end, m_start, m_end in entry.pending:
                pending.setdefault(i, []).append((offset + start, offset + end, m_start, m_end))
            blocks += 1
            keywords.append(entry.keywords)
            offset += len(block) + 2
            line += entry.lines + 2
        ctx = _Context(text, message, analysis)
        ctx._keywords = set().union(*keywords)
        results: list[tuple[int, list[dict[str, Any]]]] = []
        for i, rule, _, unless, unless_scope in self.pending:
            hits = pending.get(i)
            if hits:
                results.append(
                    (
                        i,
                        [
                            _finding(rule, text, start + m_start, start + m_end)
                            for start, end, m_start, m_end in hits
                            if not _excused(ctx, unless, unless_scope, rule["scope"], start, end, m_start, m_end)
                        ],
                    )
                )
        for i, rule, fn in self.whole:
            results.append((i, fn(rule, ctx)))
        self.hit_rate += 0.5 * (known / blocks - self.hit_rate)
        return _sorted_findings(results, found)

    def memo_pays(self) -> bool:
        """Whether to work block by block: while most blocks are found in the memo, and
        on every 4th check to keep learning (the first check of a process is plain)."""
        return self.hit_rate >= 0.4 or self.calls % 4 == 0


def _sorted_findings(
    results: list[tuple[int, list[dict[str, Any]]]], found: list[tuple[Any, ...]]
) -> list[dict[str, Any]]:
    """The findings of ``results`` ((rule index, findings) pairs) and ``found`` (sort
    keys already made), in the plain path's order: by position, severity and rule id,
    then by rule order, then as each rule found them."""
    n = len(found)
    for i, fs in results:
        for f in fs:
            found.append((f["line"], f["column"], _SEVERITY_ORDER[f["severity"]], f["rule"], i, n, f))
            n += 1
    found.sort()
    return [item[-1] for item in found]


_PROGRAMS: dict[int, _Program] = {}


def _program(rules: list[dict[str, Any]]) -> _Program:
    """The program for a rule list, kept while the list is the same (see _Program)."""
    found = _PROGRAMS.get(id(rules))
    if found is not None and found.rules is rules and (found.snapshot is None or found.snapshot == rules):
        return found
    if len(_PROGRAMS) >= 8:  # lists made per call: never grow without bound
        _PROGRAMS.clear()
    found = _PROGRAMS[id(rules)] = _Program(rules)
    return found
