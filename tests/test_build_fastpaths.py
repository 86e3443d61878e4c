"""Drafting's shortcut gives exactly what the plain way gives.

A process keeps each option text's compiled template (``templating.render_string``),
and compiled templates come back from Jinja's bytecode cache. Here both are swapped
for the plain way (a fresh ``env.from_string`` per render, an environment without a
bytecode cache) and both ways draft the same messages with many answers: the results,
or the errors, must be equal. Also: the sandbox stays shut.
"""

from __future__ import annotations

import copy
import csv
import itertools
import sys
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from replycoach.checking import checker
from replycoach.foundation import templating as render
from replycoach.foundation.errors import ReplycoachError, TemplateError
from replycoach.message import parse_message
from replycoach.playbook.answers import Answers
from replycoach.playbook.registry import STEPS, TYPES, load_registry
from replycoach.reply import compose as draft
from replycoach.reply import deadline

from .conftest import FIXTURES, NOW, ROOT, SAMPLES

# --- the plain code the shortcuts replaced -----------------------------------------------


def plain_render_string(env: Any, source: str, context: dict[str, Any], *, where: str) -> str:
    from jinja2 import TemplateError as JinjaError

    try:
        return env.from_string(source).render(context)
    except JinjaError as exc:
        raise TemplateError(render._describe(exc), field=where) from None


@contextmanager
def plain_paths():
    """Every shortcut swapped for the plain code, for the duration."""
    swaps = [(render, "render_string", plain_render_string)]
    saved = [(module, name, getattr(module, name)) for module, name, _ in swaps]
    for module, name, value in swaps:
        setattr(module, name, value)
    try:
        yield
    finally:
        for module, name, value in saved:
            setattr(module, name, value)


@pytest.fixture(autouse=True)
def _no_checker(monkeypatch: pytest.MonkeyPatch) -> None:
    # The checker is not under test here (and is most of a draft's time).
    monkeypatch.setattr(checker, "check", lambda text, **_: [])


# --- inputs ------------------------------------------------------------------------------


def _eval_dir() -> Path | None:
    for candidate in (ROOT.parent / "shared" / "eval", ROOT.parent.parent / "shared" / "eval"):
        if candidate.is_dir():
            return candidate
    return None


@cache
def messages() -> list[tuple[str, bytes]]:
    found = [(p.name, p.read_bytes()) for p in sorted(SAMPLES.glob("*.eml"))]
    found += [(f"{p.parent.name}/{p.name}", p.read_bytes()) for p in sorted((FIXTURES / "scenarios").glob("*/*.txt"))]
    found += [(p.name, p.read_bytes()) for p in sorted((FIXTURES / "emails").glob("*.eml"))]
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import mailgen
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    found += [(f"mailgen.{n}", raw) for n, raw in enumerate(mailgen.messages(120, seed=11))]
    folder = _eval_dir()
    if folder is not None:  # the labelled sets next to the repository, when present
        for path in sorted(folder.glob("*.csv")):
            with open(path, newline="", encoding="utf-8") as fh:
                rows = list(csv.DictReader(fh))
            found += [(f"{path.stem}.{row['id']}", row["text"].encode()) for row in rows[::25]]
    return found


@cache
def registry():
    return load_registry(())


@cache
def analysed() -> list[tuple[str, Any, dict[str, Any]]]:
    out = []
    for name, raw in messages():
        message = parse_message(raw)
        out.append((name, message, draft.analyse(message, registry())))
    return out


def outcome(fn: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return ("ok", fn(*args, **kwargs))
    except (ReplycoachError, ValueError) as exc:
        return ("error", type(exc).__name__, str(exc))


def both_ways(message: Any, analysis: dict[str, Any], answers: Answers, **kwargs: Any) -> tuple[Any, Any]:
    reg = registry()
    fast = outcome(draft.build, message, reg, analysis, answers, **kwargs)
    lang, locale = draft.reply_language(analysis, reg)
    plain_env = render.new_environment(draft.locale_template_dirs(reg, lang))
    if locale is not None:
        from replycoach.playbook.locales import money_filter

        plain_env.filters["money"] = money_filter(lang)
    plain_env.bytecode_cache = None  # every template compiled afresh
    with plain_paths():
        plain = outcome(draft.build, message, reg, analysis, answers, template_env=plain_env, **kwargs)
    return fast, plain


def answers_for(**fields: Any) -> Answers:
    answers = Answers()
    answers.update(fields)
    return answers


# --- whole drafts ------------------------------------------------------------------------


def test_every_message_drafts_the_same_both_ways() -> None:
    # The labelled eval sets sit beside the repository, not in it (a clean clone lacks them).
    assert len(analysed()) >= (250 if _eval_dir() is not None else 200)
    now = datetime.fromisoformat(NOW)
    drafted = 0
    for name, message, analysis in analysed():
        for answers in (answers_for(settings={"agent": "Sam"}), answers_for()):
            fast, plain = both_ways(message, analysis, answers, placeholders=True, now=now)
            assert fast == plain, name
            drafted += fast[0] == "ok"  # some fail alike ("299 dollars" is not an amount)
        # Once more with every cache warm: still the same.
        again = outcome(draft.build, message, registry(), analysis, answers_for(), placeholders=True, now=now)
        assert again == plain, name
    assert drafted >= 1.8 * len(analysed())


def _options() -> list[tuple[str, str, str]]:
    return [
        (pid, step, option["id"])
        for pid, pb in sorted(registry().playbooks.items())
        for step in STEPS
        for option in pb["steps"][step]["options"]
    ]


def test_every_option_and_type_drafts_the_same_both_ways() -> None:
    now = datetime.fromisoformat(NOW)
    sample = analysed()[:: max(1, len(analysed()) // 7)]
    cases = itertools.cycle(sample)
    for (pid, step, option), ctype in itertools.product(_options(), ("neutral", "aggressive", "rip-off")):
        name, message, analysis = next(cases)
        answers = answers_for(
            playbook=pid,
            customer_type=ctype,
            steps={step: option},
            settings={"agent": "Sam", "company": "Acme"},
            values={"refund_amount": "12.50"},
        )
        fast, plain = both_ways(message, analysis, answers, placeholders=True, now=now)
        assert fast == plain, (name, pid, step, option, ctype)
    for pid, ctype in itertools.product(sorted(registry().playbooks), TYPES):
        name, message, analysis = next(cases)
        answers = answers_for(playbook=pid, customer_type=ctype, skip=["empathize"], steps={"hear": {"text": "Mine."}})
        for placeholders in (True, False):  # without placeholders: the same missing-answers error
            fast, plain = both_ways(message, analysis, answers, placeholders=placeholders, now=now)
            assert fast == plain, (name, pid, ctype, placeholders)


def test_bad_answers_fail_the_same_both_ways() -> None:
    now = datetime.fromisoformat(NOW)
    _, message, analysis = analysed()[0]
    for fields in (
        {"playbook": "billing-error", "values": {"refund_amount": "lots"}, "settings": {"agent": "Sam"}},
        {"playbook": "billing-error", "steps": {"resolve": "nope"}, "settings": {"agent": "Sam"}},
        {"settings": {"agent": "Sam", "timezone": "Mars/Olympus"}},
        {"settings": {"agent": "Sam", "hours": "all day"}},
        {"settings": {"agent": "Sam", "country": "XX"}},
    ):
        fast, plain = both_ways(message, analysis, answers_for(**fields), placeholders=True, now=now)
        assert fast == plain, fields
        assert fast[0] == "error", fields


CLOCKS = [
    datetime.fromisoformat(NOW),
    datetime.fromisoformat("2026-11-21T10:00:00+00:00"),  # a Saturday
    datetime.fromisoformat("2026-12-24T16:59:00-05:00"),  # before a holiday
    datetime(2026, 10, 25, 3, 30, tzinfo=ZoneInfo("Europe/Helsinki")),  # in the autumn fold: twice
    datetime(2026, 10, 25, 3, 30, fold=1, tzinfo=ZoneInfo("Europe/Helsinki")),
    datetime(2026, 11, 20, 8, 0, tzinfo=timezone(timedelta(hours=1), "A")),
    datetime(2026, 11, 20, 8, 0, tzinfo=timezone(timedelta(hours=1), "B")),
    datetime(2026, 12, 31, 16, 0),  # naive
]
SETTINGS = [
    {},
    {"timezone": "Europe/Helsinki"},
    {"timezone": "America/New_York", "country": "us", "hours": "08:30-16:30"},
    {"country": "FI", "hours": "9-17"},
    {"hours": "10-12"},
    {"timezone": "Europe/Helsinki", "hours": "7-19"},
    {"timezone": "Europe/Helsinki", "country": "FI"},
    {"timezone": "America/New_York", "country": "us", "hours": "08:30-16:30"},
    {"timezone": "America/New_York", "hours": "08:30-16:30"},
    {"timezone": "Asia/Tokyo"},
]
SPECS = [
    {"business_days": 1},
    {"business_days": 0},
    {"business_days": 3, "at": "12:00"},
    {"business_hours": 4},
    {"business_hours": 30},
    {"clock_hours": 2},
    {"clock_hours": 2.0, "text": "within two hours"},
    {},
]


def test_promised_deadlines_follow_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    clock = CLOCKS[0]
    first = deadline.promise_due({"business_hours": 4}, clock, {})
    monkeypatch.setenv("REPLYCOACH_HOURS", "12-14")
    monkeypatch.setenv("REPLYCOACH_TZ", "Asia/Tokyo")
    second = deadline.promise_due({"business_hours": 4}, clock, {})
    assert second != first


def test_whole_drafts_with_clocks_and_settings_are_the_same_both_ways() -> None:
    cases = itertools.cycle(analysed()[3::11])
    for clock, settings in itertools.product(CLOCKS, SETTINGS):
        name, message, analysis = next(cases)
        answers = answers_for(settings={"agent": "Sam", **settings})
        fast, plain = both_ways(message, analysis, answers, placeholders=True, now=clock)
        assert fast == plain, (name, clock, settings)


# --- pieces ------------------------------------------------------------------------------


def test_option_texts_render_as_a_fresh_jinja_compile_renders_them() -> None:
    env = render.environment()
    texts = [
        option["text"]
        for pb in registry().playbooks.values()
        for step in STEPS
        for option in pb["steps"][step]["options"]
        if "{" not in option["text"]
    ]
    texts += ["", "\n", "\n\n", "a\n", "a\n\n", " a } %} }} #} ", "line\nline\n", "tab\t\n", "ü\u2028x\n"]
    texts += ["a\r\nb\r\n", "a\rb"]  # with "\r": left to Jinja
    for text in texts:
        for ctx in ({}, {"restatement": "x"}):
            assert render.render_string(env, text, ctx, where="t") == env.from_string(text).render(ctx), repr(text)


def test_when_conditions_are_evaluated_in_the_sandbox() -> None:
    env = render.environment()
    ctx = {"resolve": "refund", "steps": {"resolve": "refund"}, "amount": 12}
    assert render.evaluate(env, "resolve == 'refund'", ctx, where="w") is True
    assert render.evaluate(env, "steps.resolve == 'refund' and amount > 10", ctx, where="w") is True
    assert render.evaluate(env, "amount|money", ctx, where="w") == "$12.00"
    assert render.evaluate(env, "steps.__class__", ctx, where="w") is None  # unsafe: nothing comes back
    for bad in ("nope.x", "1 +"):  # strict undefined, a syntax error
        with pytest.raises(TemplateError):
            render.evaluate(env, bad, {"steps": {}}, where="w")


# --- the sandbox ----------------------------------------------------------------------


class Boom:
    """A value whose text stops an iteration: Jinja turns that into an undefined."""

    def __str__(self) -> str:
        raise StopIteration


TEMPLATES = {
    "base.j2": (ROOT / "templates" / "base.j2").read_text(),
    "outage.j2": (ROOT / "templates" / "outage.j2").read_text(),
    "child.j2": '{% extends "base.j2" %}{% block hear %}[{{ super() }}|{{ self.resolve() }}]{% endblock %}',
    "loops.j2": "{% for k, v in steps.items() %}{{ loop.index }}{{ k }}={{ v }};{% endfor %}{{ steps.keys()|list }}",
    "methods.j2": "{{ steps.get('hear') }} {{ steps.get('x', 'd') }} {{ steps['hear'] }} {{ customer.first_name }}",
    "macros.j2": "{% macro m(a, b=2) %}{{ a }}{{ b }}{{ caller() if caller }}{% endmacro %}"
    "{{ m(1) }}{{ m(1, b=3) }}{% call m(0) %}in{% endcall %}{% block x %}X{{ self.y() }}{% endblock %}"
    "{% block y %}Y{% endblock %}",
    "namespace.j2": "{% set ns = namespace(n=0) %}{% for s in steps %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}"
    "{{ range(3)|list }}{{ dict(a=1).a }}",
    "stop_block.j2": "{% block b %}{{ boom }}{% endblock %}[{{ self.b() }}]",
    "stop_macro.j2": "{% macro m() %}{{ boom }}{% endmacro %}[{{ m() }}]",
    "missing_attr.j2": "{{ steps.nothing }}",
    "missing_block.j2": "{{ self.nothing() }}",
    "dict_attr_name.j2": "{{ steps.items }}{{ steps.update }}",
    "shadowed.j2": "{{ shadow.items }} {{ shadow.keys }} {{ shadow.mro }}",
    "private.j2": "{{ steps.__class__ }}",
    "private_self.j2": "{{ self._TemplateReference__context }}",
    "private_block.j2": "{{ self.hear.__call__ }}",
    "globals.j2": "{{ steps.__init__.__globals__ }}",
    "format.j2": "{{ 'x{0.__class__}'.format(steps) }}",
    "mutate.j2": "{{ steps.update({'hear': 'changed'}) }}{{ steps.hear }}",
    "int_key.j2": "{{ numbers.get(1) }}{{ numbers[1] }}",
    "sub_dict.j2": "{{ ordered.hear }}",
}


def _contexts() -> list[dict[str, Any]]:
    from collections import OrderedDict

    base = {
        "customer": {"first_name": "Ana", "name": "Ana Lopez", "email": "a@example.com"},
        "steps": {"hear": "H.", "empathize": "E.", "apologize": "A.", "resolve": "R."},
        "missing": ["your order number"],
        "other_issues": "",
        "type": {"id": "aggressive", "label": "A", "layout": "results-first", "snippets": {}, "pushback": False},
        "agent": {"name": "Sam"},
        "company": "Acme",
        "snippets": {"next_step": "Write back."},
        "status_url": "https://status.example.com",
        "boom": Boom(),
        "shadow": {"items": "own items", "keys": "own keys", "mro": "own mro"},
        "numbers": {1: "one"},
        "ordered": OrderedDict(hear="ordered"),
    }
    heard = {**base, "type": {**base["type"], "id": "meek", "layout": "heard"}, "company": "", "missing": []}
    empty = {**base, "steps": {"hear": "", "empathize": "", "apologize": "A.", "resolve": ""}, "customer": {}}
    return [base, heard, empty]


def _render(env: Any, name: str, context: dict[str, Any]) -> Any:
    import re

    def same(text: str) -> str:  # object addresses differ from run to run
        return re.sub(r"0x[0-9a-f]+", "0x?", text)

    try:
        context = copy.deepcopy(context)
        return ("ok", same(env.get_template(name).render(context)))
    except Exception as exc:  # any exception at all: the same type and words both ways
        return ("error", type(exc).__name__, same(str(exc)))


def test_the_sandbox_stays_shut(tmp_path: Path) -> None:
    for file, text in TEMPLATES.items():
        (tmp_path / file).write_text(text)
    env = render.new_environment([tmp_path])
    context = _contexts()[0]
    for name in ("private.j2", "private_self.j2", "private_block.j2", "globals.j2"):
        outcome_ = _render(env, name, context)
        assert outcome_[0] == "error" and outcome_[1] == "SecurityError", (name, outcome_)
    assert _render(env, "format.j2", context)[1] == "SecurityError"
    assert _render(env, "missing_attr.j2", context) == (
        "error",
        "UndefinedError",
        "'dict object' has no attribute 'nothing'",
    )
    assert _render(env, "stop_block.j2", context)[0] == "error"  # strict: the undefined it becomes fails
