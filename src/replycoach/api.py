"""The Python API and the one core entry point per command (the CLI calls these).

Every function returns plain data shaped like the CLI's JSON output and raises
``ReplycoachError`` subclasses; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from replycoach.foundation.config import setting
from replycoach.foundation.errors import UsageError
from replycoach.message import Message, parse_message
from replycoach.playbook.answers import check_type as _check_type
from replycoach.playbook.answers import collect_answers as collect_answers  # also for scripts
from replycoach.playbook.registry import Registry, load_registry
from replycoach.reply.deadline import as_datetime


def _registry(playbooks: list[str] | tuple[str, ...] | None) -> Registry:
    return load_registry(tuple(playbooks or ()))


def _message(text: str | bytes | Message) -> Message:
    return text if isinstance(text, Message) else parse_message(text)


def analyze_text(
    text: str | bytes | Message,
    *,
    playbook: str | None = None,
    customer_type: str | None = None,
    lang: str | None = None,
    playbooks: list[str] | tuple[str, ...] | None = None,
    db: Any = None,  # the complaint log: URL/path or an open store.Store (issue 7)
    now: str | datetime | None = None,
) -> dict[str, Any]:
    """What ``replycoach analyze --format json`` prints."""
    from replycoach.reply.compose import analyse

    _check_type(customer_type)
    registry = _registry(playbooks)
    return analyse(
        _message(text),
        registry,
        playbook=playbook,
        customer_type=customer_type,
        language=lang or setting("lang") or None,
        db=db,
        now=as_datetime(now),
    )


def draft_text(
    text: str | bytes | Message,
    *,
    playbook: str | None = None,
    customer_type: str | None = None,
    answers: str | Path | dict[str, Any] | None = None,
    sets: list[str] | tuple[str, ...] | dict[str, Any] = (),
    placeholders: bool = False,
    lang: str | None = None,
    now: str | datetime | None = None,
    playbooks: list[str] | tuple[str, ...] | None = None,
    db: Any = None,  # the complaint log: URL/path or an open store.Store (issue 7)
    channel: str | None = None,
) -> dict[str, Any]:
    """What ``replycoach draft --format json`` prints. ``channel`` (email, chat or social)
    is the reply's form, as ``--channel``; the result's ``channel`` stays the one read."""
    from replycoach.reply.compose import analyse, build

    collected = collect_answers(answers, sets, playbook=playbook, customer_type=customer_type, channel=channel)
    registry = _registry(playbooks)
    message = _message(text)
    analysis = analyse(
        message,
        registry,
        playbook=collected.playbook,
        customer_type=collected.customer_type,
        language=lang or collected.language or setting("lang", collected.settings) or None,
        db=db,
        now=as_datetime(now) or as_datetime(collected.now),
    )
    return build(message, registry, analysis, collected, placeholders=placeholders, now=as_datetime(now))


def check_text(
    reply: str,
    message: str | bytes | None = None,
    *,
    rules: list[str] | tuple[str, ...] | None = None,
    subject: str | None = None,
) -> list[dict[str, Any]]:
    """Findings for a reply (``replycoach check --format json`` gives ``{"findings": …}``);
    ``subject``, the reply's Subject header, is checked too, its findings on line 0."""
    from replycoach.checking.checker import check, load_rules

    body = parse_message(message).body if message is not None else None
    loaded = load_rules(tuple(rules or ()))
    findings = check(reply, message=body, rules=loaded)
    if subject and subject.strip():
        # The reply's Subject header is read as line 0: a card number there leaks as well.
        head = [{**f, "line": 0} for f in check(subject, rules=loaded) if f["line"] == 1]
        findings = head + findings
    return findings


def reply_subject(data: bytes) -> str | None:
    """The Subject of a reply given as an email (``draft --format eml``), else None."""
    from replycoach.message import looks_like_email

    return parse_message(data).subject if looks_like_email(data) else None


def read_reply(data: bytes, *, name: str = "<stdin>", fixing: bool = False) -> str:
    """A reply to check, from the bytes of a file: text in any common encoding, not empty.

    A reply email (``draft --format eml``) is checked by its decoded body, so line
    numbers count from the body's first line; it cannot be fixed in place.
    """
    from replycoach.foundation.errors import InputError
    from replycoach.message import decode_text, looks_like_email

    if b"\x00" in data:
        raise InputError("the reply is binary data (NUL bytes), not text", file=name)
    if looks_like_email(data):
        if fixing:
            raise UsageError(
                "--fix rewrites plain-text replies, and this is an email; fix the text, then build the email",
                field="--fix",
            )
        reply = parse_message(data).full_text
    else:
        reply = decode_text(data)
    if not reply.strip():
        raise InputError("empty reply", file=name)
    return reply


def fix_text(
    reply: str,
    message: str | bytes | None = None,
    *,
    rules: list[str] | tuple[str, ...] | None = None,
    accept: Callable[..., list[dict[str, Any]]] | None = None,
    name: str = "<reply>",
) -> dict[str, Any]:
    """Apply the rules' replacements to ``reply`` and check the result again.

    ``accept(reply, candidates, name=...)`` picks which fixes to apply (the CLI's
    interactive fixer); without it every fix is applied. Returns the fixed reply, how
    many fixes were offered and applied, and the findings that remain.
    """
    from replycoach.checking.checker import check, fix, fixable, load_rules

    loaded = load_rules(tuple(rules or ()))
    body = parse_message(message).body if message is not None else None
    candidates = fixable(check(reply, message=body, rules=loaded))
    chosen = candidates if accept is None else accept(reply, candidates, name=name)
    fixed = fix(reply, chosen)
    return {
        "reply": fixed,
        "offered": len(candidates),
        "applied": len(chosen),
        "findings": check(fixed, message=body, rules=loaded),
    }


def draft_and_record(
    text: str | bytes,
    *,
    keep_message: bool = False,
    db: str | None = None,
    **options: Any,
) -> tuple[dict[str, Any], int]:
    """``draft_text`` then ``logbook.record``: what ``draft --log`` and ``log add`` do.

    One connection serves the history lookup and the write (a PostgreSQL connect
    costs more than the whole lookup)."""
    from replycoach.record.logbook import record
    from replycoach.record.store import open_store

    answers = collect_answers(options.get("answers"), options.get("sets") or (), channel=options.get("channel"))
    now = as_datetime(options.get("now")) or (datetime.fromisoformat(answers.now) if answers.now else None)
    with open_store(db) as store:
        result = draft_text(text, db=store, **options)
        return result, record(result, answers.to_dict(), keep_message=keep_message, db=store, now=now)


def report(
    *, since: str | None = None, by: str = "scenario", now: str | datetime | None = None, db: Any = None
) -> dict[str, Any]:
    """What ``replycoach report --format json`` prints: the log grouped ``by`` a field."""
    from replycoach.record import logbook
    from replycoach.record import report as rp

    start = rp.parse_since(since)
    rows = logbook.rows(db=db, since=start)
    return rp.build(rows, by=by, since=start, now=as_datetime(now), tz=_reader_zone(), labels=_cause_labels())


def _reader_zone() -> Any:
    """The zone the report's times are shown in: the agent's (``REPLYCOACH_TZ``), else None
    (``--now``'s zone, else the machine's)."""
    import os

    from replycoach.reply.deadline import resolve_timezone

    return resolve_timezone(os.environ.get("REPLYCOACH_TZ"))


def _cause_labels() -> dict[tuple[str, str], str]:
    """(playbook id, cause id) -> the label the playbook's Diagnose step gives that cause."""
    registry = _registry(None)
    return {
        (pid, cause["id"]): cause["label"]
        for pid, pb in registry.playbooks.items()
        for cause in pb["steps"]["diagnose"]["causes"]
    }


def paths(db: str | None = None) -> list[tuple[str, str]]:
    """Where replycoach keeps its settings, log, playbooks, templates, rules and cache, as
    ``replycoach paths`` lists them: (what, where)."""
    from replycoach.checking.checker import rule_dirs
    from replycoach.foundation.config import config_path
    from replycoach.foundation.resources import cache_dir
    from replycoach.playbook.registry import playbook_dirs, template_dirs
    from replycoach.record import store

    pdirs = playbook_dirs()
    url = store.resolve(db)
    note = "" if store.is_postgres(url) or store.sqlite_path(url).is_file() else "  (not created yet)"
    settings = config_path()
    return [
        ("config", settings + ("" if Path(settings).is_file() else "  (not created yet)")),
        ("data", str(store.data_dir())),
        ("log", f"{store.display(url)}{note}"),
        *(("playbooks", str(d)) for d in pdirs),
        *(("templates", str(d)) for d in template_dirs(pdirs)),
        *(("rules", str(d)) for d in rule_dirs()),
        ("cache", str(cache_dir() or "off")),
    ]
