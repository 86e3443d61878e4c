"""The ``customer`` the templates greet: the reading's addressee (reading/names.py), or
the name the agent gave (``--set customer_name=...``), in parts. Each language's
``greeting.j2`` turns the parts into its own convention; nothing here knows a language."""

from __future__ import annotations

from typing import Any

from replycoach.message import Message

_PARTS = ("given", "surname", "patronymic", "initials", "title", "honorific", "gender")


def customer(analysis: dict[str, Any], message: Message, override: str) -> dict[str, Any]:
    """``name`` and ``first_name`` (the given name), ``full_name`` ("Lena Kraus"), the
    name's other parts ("" when unknown) and ``formal``: the customer wrote formally."""
    from replycoach.reading.listening import addressee, name_parser

    read = analysis["addressee"] if "addressee" in analysis else addressee(message)
    person = dict(read or {})
    if override:
        # The agent's name for the customer replaces the read one; how they wrote stays.
        person = {**(name_parser()(override) or {"given": override.strip()}), "formal": person.get("formal")}
    parts = {k: str(person.get(k) or "") for k in _PARTS}
    full = " ".join(p for p in (parts["given"], parts["surname"]) if p)
    return {
        "name": parts["given"],
        "first_name": parts["given"],
        "full_name": full,
        **parts,
        "formal": bool(person.get("formal")),
        "email": message.from_email,
    }
