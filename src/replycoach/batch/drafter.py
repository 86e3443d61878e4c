"""Drafting one message of a batch: the options every message shares, and a ``Drafter``
that prepares once per process what all messages use, then turns each message into
what is written (a JSONL record, or a draft file's bytes) or an error.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from typing import Any

from replycoach.batch.readers import Item
from replycoach.foundation.errors import InputError, ReplycoachError, UsageError


@dataclass
class Options:
    """What applies to every message (plain data: it is sent to worker processes)."""

    playbook: str | None = None
    customer_type: str | None = None
    answers: str | None = None
    sets: list[str] = field(default_factory=list)
    placeholders: bool = False
    lang: str | None = None
    channel: str | None = None  # email | chat | social: the form of every reply (default: each message's)
    now: str | None = None
    playbooks: list[str] = field(default_factory=list)
    fmt: str = "jsonl"  # jsonl (records on stdout), or a file format: text | json | md | eml
    sender: str | None = None  # the eml From: (default: the ``from`` setting)


class Drafter:
    """Everything shared by all messages, prepared once per process."""

    def __init__(self, options: Options) -> None:
        from replycoach.playbook.answers import collect_answers
        from replycoach.playbook.registry import load_registry
        from replycoach.reply.deadline import as_datetime as _now

        answers = collect_answers(
            options.answers,
            options.sets,
            playbook=options.playbook,
            customer_type=options.customer_type,
            channel=options.channel,
        )
        self.registry = load_registry(tuple(options.playbooks))
        if answers.playbook:
            self.registry.get(answers.playbook)  # an unknown id stops the batch before it starts
        from replycoach.foundation.config import setting

        if not setting("agent", answers.settings) and not options.placeholders:
            raise UsageError(
                "every draft needs the agent's name: give --set agent=NAME (or REPLYCOACH_AGENT), "
                "or --placeholders for visible [[markers]]; "
                'set your name once with: replycoach config set agent "Your Name"',
                field="agent",
            )
        self.answers = answers
        self.options = options
        self.sender = options.sender or setting("from", answers.settings) or None
        self.lang = options.lang or answers.language or setting("lang", answers.settings) or None
        self.now = _now(options.now)
        from replycoach.checking.checker import load_rules

        self.rules = load_rules()  # once: per message, stamping ~50 rule files cost ~0.2 ms
        self._log: Any = None
        self._log_pid = -1

    def history_log(self) -> Any:
        """The complaint log every message's history is read from: whether there is one
        is asked once, and one that exists is opened once, per process (a connection must
        not cross a fork). Asking and opening per message cost ~40 us without a log and
        a connection plus a migration check with one. ``False``: there is no log."""
        pid = os.getpid()
        if self._log_pid != pid:
            from replycoach.record import store

            self._log_pid, self._log = pid, False
            if store.exists(None):
                try:
                    self._log = store.open_store(None)
                except ReplycoachError:
                    self._log = None  # each message's history then carries the error, as in draft
        return self._log

    def close(self) -> None:
        log, self._log = self._log, None
        if log and self._log_pid == os.getpid():
            log.close()

    def draft(self, raw: bytes) -> dict[str, Any]:
        """The same result as ``api.draft_text`` with the same options (tests compare them)."""
        from replycoach.message import parse_message
        from replycoach.reply.compose import analyse, build

        message = parse_message(raw)
        answers = self.answers
        analysis = analyse(
            message,
            self.registry,
            playbook=answers.playbook,
            customer_type=answers.customer_type,
            language=self.lang,
            db=self.history_log(),
            clock=self.now,
        )
        return build(
            message,
            self.registry,
            analysis,
            answers,
            placeholders=self.options.placeholders,
            now=self.now,
            rules=self.rules,
        )

    def payload(self, item: Item) -> tuple[bool, str | bytes]:
        """(True, what to write: a JSONL line or the file's bytes), or (False, the error)."""
        try:
            if item.raw is None:
                raise InputError(item.error or "unreadable")
            return True, self.render(item, self.draft(item.raw))
        except ReplycoachError as exc:
            return False, str(exc)
        except Exception as exc:  # a bug on one message must not lose the other thousands
            return False, f"internal error: {type(exc).__name__}: {exc}"

    def render(self, item: Item, result: dict[str, Any]) -> str | bytes:
        fmt = self.options.fmt
        # A draft still holding a [[marker]] waits for the agent; it is never "ready".
        result["status"] = "needs-agent" if "[[" in result["draft"] else "ready"
        if fmt == "jsonl":
            return jsonl_record(item, result)
        from replycoach.reply import formats as output

        if fmt == "eml":
            return output.draft_email(result, self.sender)
        if fmt == "json":
            return output.to_json(result).encode("utf-8")
        if fmt == "md":
            return output.draft_markdown(result).encode("utf-8")
        draft: str = result["draft"]
        return draft.encode("utf-8")


def jsonl_record(item: Item, result: dict[str, Any]) -> str:
    """The JSONL line for a drafted message: its id and source, then the draft JSON."""
    return json.dumps({"id": item.id, "source": item.source, **result}, ensure_ascii=False) + "\n"


def error_record(item: Item, message: str) -> str:
    """The JSONL line for a message that could not be drafted."""
    return (
        json.dumps({"id": item.id, "source": item.source, "status": "error", "error": message}, ensure_ascii=False)
        + "\n"
    )


def needs_agent(payload: str | bytes) -> bool:
    """Whether a written draft waits for the agent: the status its JSON carries, or a
    [[marker]] in a plain draft file."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    if data.startswith(b"{"):
        return b'"status": "needs-agent"' in data
    return b"[[" in data
