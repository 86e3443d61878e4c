"""The Python API and the one core entry point per command (the CLI calls these).

Every function returns plain data shaped like the CLI's JSON output and raises
``ReplycoachError`` subclasses; nothing here prints.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from .answers import Answers, load_answers_file, parse_sets
from .errors import AnswersError, UsageError
from .message import Message, parse_message
from .playbooks import TYPES, Registry, load_registry


def _registry(playbooks: list[str] | tuple[str, ...] | None) -> Registry:
    return load_registry(tuple(playbooks or ()))


def _message(text: str | bytes | Message) -> Message:
    return text if isinstance(text, Message) else parse_message(text)


def _now(now: str | datetime | None) -> datetime | None:
    if now is None or isinstance(now, datetime):
        return now
    from .deadline import parse_now

    return parse_now(now)


def _check_type(customer_type: str | None) -> None:
    if customer_type is not None and customer_type not in TYPES:
        raise UsageError(f"unknown customer type {customer_type!r} (known: {', '.join(TYPES)})", field="--type")


def collect_answers(
    answers: str | Path | dict[str, Any] | None = None,
    sets: list[str] | tuple[str, ...] | dict[str, Any] = (),
    *,
    playbook: str | None = None,
    customer_type: str | None = None,
) -> Answers:
    """Answers from a file (or mapping in the file's shape), then ``--set`` pairs, then
    the forced ``--playbook`` / ``--type``; the customer type is checked whatever its source."""
    _check_type(customer_type)
    result = Answers()
    if isinstance(answers, (str, Path)):
        result.update(load_answers_file(str(answers)))
    elif isinstance(answers, dict):
        from .answers import ANSWERS_FILE
        from .schema import validate

        result.update(validate(answers, ANSWERS_FILE, file="<answers>", error_class=AnswersError))
    if isinstance(sets, dict):
        sets = [f"{k}={v}" for k, v in sets.items()]
    result.update(parse_sets(list(sets)))
    result.playbook = playbook or result.playbook
    result.customer_type = customer_type or result.customer_type
    _check_type(result.customer_type)
    return result


def analyze_text(
    text: str | bytes | Message,
    *,
    playbook: str | None = None,
    customer_type: str | None = None,
    lang: str | None = None,
    playbooks: list[str] | tuple[str, ...] | None = None,
    db: Any = None,  # the complaint log: URL/path or an open store.Store (issue 7)
    now: str | datetime | None = None,
    **_: Any,
) -> dict[str, Any]:
    """What ``replycoach analyze --format json`` prints."""
    from .draft import analyse

    _check_type(customer_type)
    registry = _registry(playbooks)
    return analyse(
        _message(text), registry, playbook=playbook, customer_type=customer_type, language=lang, db=db, now=_now(now)
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
    **_: Any,
) -> dict[str, Any]:
    """What ``replycoach draft --format json`` prints."""
    from .draft import analyse, build

    collected = collect_answers(answers, sets, playbook=playbook, customer_type=customer_type)
    registry = _registry(playbooks)
    message = _message(text)
    analysis = analyse(
        message,
        registry,
        playbook=collected.playbook,
        customer_type=collected.customer_type,
        language=lang or collected.language,
        db=db,
        now=_now(now) or _now(collected.now),
    )
    return build(message, registry, analysis, collected, placeholders=placeholders, now=_now(now))


def check_text(
    reply: str,
    message: str | bytes | None = None,
    *,
    rules: list[str] | tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    """Findings for a reply (``replycoach check --format json`` gives ``{"findings": …}``)."""
    from .checker import check, load_rules

    body = parse_message(message).body if message is not None else None
    return check(reply, message=body, rules=load_rules(tuple(rules or ())))


def read_reply(data: bytes, *, name: str = "<stdin>", fixing: bool = False) -> str:
    """A reply to check, from the bytes of a file: text in any common encoding, not empty.

    A reply email (``draft --format eml``) is checked by its decoded body, so line
    numbers count from the body's first line; it cannot be fixed in place.
    """
    from .errors import InputError
    from .message import decode_text, looks_like_email

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
    from .checker import check, fix, fixable, load_rules

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
