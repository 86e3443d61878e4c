"""The agent's answers: which option per HEARD step, question values, Diagnose.

Answers come from (lowest to highest priority) the playbook's defaults, an answers
file (``--answers``, also what ``coach --save-answers`` writes) and ``--set KEY=VALUE``.
Every value goes through the question's validator, whatever path it came by.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from replycoach.foundation.errors import AnswersError, UsageError
from replycoach.playbook.registry import STEPS, TYPES

_re = re.compile

# Settings the drafting pipeline reads besides the playbook's own questions.
# The config file's settings (foundation/config.py) may be given per draft too.
SETTINGS = (
    "agent",
    "company",
    "from",
    "customer_name",
    "timezone",
    "country",
    "hours",
    "lang",
    "register",
    "language",
    "channel",
)

# The forms of reply (``--channel``, ``--set channel=``); without one, the reading's.
CHANNELS = ("email", "chat", "social")

# What ``--set`` takes besides the playbook's question ids (listed when a key is unknown).
SET_KEYS = (*STEPS, "cause", "note", *SETTINGS, "restatement", "other_issues", "compensation_reason")

_ANSWERS_FILE: list[Any] = []


def answers_schema() -> Any:
    """The answers-file schema, built on first use: a draft without ``--answers`` never
    validates one, and building it (and importing ``schema``) cost ~1 ms of every start."""
    if not _ANSWERS_FILE:
        _ANSWERS_FILE.append(_build_schema())
    return _ANSWERS_FILE[0]


def __getattr__(name: str) -> Any:
    # ``from replycoach.playbook.answers import ANSWERS_FILE`` still works (PEP 562).
    if name == "ANSWERS_FILE":
        return answers_schema()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _build_schema() -> Any:
    from replycoach.foundation.schema import AnyValue, Enum, Field, List, Map, MapOf, Num, OneOf, Str

    return Map(
        {
            "version": Field(Num(integer=True, min=1, max=1), default=1),
            "playbook": Str(),
            "customer_type": Enum(*TYPES),
            "language": Str(),
            "restatement": Str(nonempty=False),
            "other_issues": Str(nonempty=False),
            "steps": MapOf(
                OneOf((str, Str()), (dict, Map({"text": Field(Str(), required=True)}))),
                key="|".join(STEPS),
            ),
            "skip": List(Enum(*STEPS)),
            "values": MapOf(AnyValue()),
            "settings": MapOf(AnyValue(), key="|".join(SETTINGS)),
            "diagnose": Map({"cause": Str(), "note": Str(nonempty=False)}),
            "compensation_reason": Str(),
            "now": Str(),
            # The whole reply as the agent edited it by hand in the coach's $EDITOR: kept
            # word for word, so `draft --answers` gives the bytes the coach wrote.
            "edited_draft": Str(),
        },
        name="answers",
    )


class Answers:
    """Everything the agent decided, in one place; serialisable to the answers file."""

    def __init__(self) -> None:
        self.playbook: str | None = None
        self.customer_type: str | None = None
        self.language: str | None = None
        self.restatement: str | None = None
        self.other_issues: str | None = None
        self.steps: dict[str, str] = {}  # step -> option id
        self.custom: dict[str, str] = {}  # step -> the agent's own text
        self.skip: list[str] = []
        self.values: dict[str, Any] = {}
        self.settings: dict[str, Any] = {}
        self.cause: str | None = None
        self.cause_by_id = False  # given by ``--set cause=``: one of the playbook's causes
        self.note: str | None = None
        self.compensation_reason: str | None = None
        self.now: str | None = None
        self.edited_draft: str | None = None

    def update(self, data: dict[str, Any]) -> None:
        """Merge a validated answers mapping (file shape) over these answers."""
        for key in (
            "playbook",
            "customer_type",
            "language",
            "restatement",
            "other_issues",
            "compensation_reason",
            "now",
            "edited_draft",
        ):
            if key in data:
                setattr(self, key, data[key])
        for step, choice in data.get("steps", {}).items():
            if isinstance(choice, dict):
                self.custom[step] = choice["text"]
                self.steps.pop(step, None)
            else:
                self.steps[step] = choice
                self.custom.pop(step, None)
        if "skip" in data:
            self.skip = list(data["skip"])
        self.values.update(data.get("values", {}))
        self.settings.update(data.get("settings", {}))
        diagnose = data.get("diagnose", {})
        self.cause = diagnose.get("cause", self.cause)
        self.note = diagnose.get("note", self.note)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"version": 1}
        for key in ("playbook", "customer_type", "language", "now", "restatement", "other_issues"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        steps: dict[str, Any] = {}
        for step in STEPS:
            if step in self.custom:
                steps[step] = {"text": self.custom[step]}
            elif step in self.steps:
                steps[step] = self.steps[step]
        if steps:
            out["steps"] = steps
        if self.skip:
            out["skip"] = list(self.skip)
        if self.values:
            out["values"] = dict(self.values)
        if self.settings:
            out["settings"] = dict(self.settings)
        if self.cause is not None or self.note is not None:
            out["diagnose"] = {k: v for k, v in (("cause", self.cause), ("note", self.note)) if v is not None}
        if self.compensation_reason:
            out["compensation_reason"] = self.compensation_reason
        if self.edited_draft is not None:
            out["edited_draft"] = self.edited_draft
        return out


def load_answers_file(path: str) -> dict[str, Any]:
    from replycoach.foundation.schema import validate
    from replycoach.foundation.yamlio import load_yaml_file

    file = Path(path)
    if not file.is_file():
        raise AnswersError("no such answers file", file=path)
    tree = load_yaml_file(file)
    if tree is None:
        tree = {}
    answers: dict[str, Any] = validate(tree, answers_schema(), file=path, error_class=AnswersError)
    return answers


def parse_sets(pairs: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """``--set`` pairs to the answers-file shape.

    ``hear=ID`` … ``resolve=ID`` choose options, ``cause=`` and ``note=`` fill Diagnose,
    ``agent=``, ``company=``, ``timezone=``, ``country=``, ``hours=`` are settings,
    ``restatement=`` replaces the proposed restatement, and anything else answers the
    playbook question of that id.
    """
    out: dict[str, Any] = {}
    for pair in pairs:
        if "=" not in pair:
            raise UsageError(f"expected KEY=VALUE, got {pair!r}", field="--set")
        key, value = pair.split("=", 1)
        key = key.strip()
        if not re.fullmatch(r"[a-z][a-z0-9_.-]*", key):
            raise UsageError(f"invalid key {key!r}", field="--set")
        if key in STEPS:
            out.setdefault("steps", {})[key] = value
        elif key.startswith("steps.") and key[6:] in STEPS:
            out.setdefault("steps", {})[key[6:]] = value
        elif key in ("cause", "note"):
            out.setdefault("diagnose", {})[key] = value
        elif key in SETTINGS:
            out.setdefault("settings", {})[key] = value
        elif key in ("restatement", "other_issues", "compensation_reason"):
            out[key] = value
        elif key in ("playbook", "customer_type"):
            raise UsageError(f"use --{key.replace('_', '-')} instead of --set {key}=", field="--set")
        else:
            out.setdefault("values", {})[key.removeprefix("values.")] = value
    return out


# --- question validators ------------------------------------------------------

# An amount as agents type it and as the analysis finds it in a message ("€79.99",
# "79.99 euros", "USD 50", "US$ 20", "250 kr", "1 000,50 €"): a number, with a currency
# symbol, code or word before or after it. Group 1 is the number.
_CURRENCY = r"(?:[$€£¥₪₽]|[A-Z]{2}\$|[A-Z]{3}|kr|kroner|zł|euros?|dollars?|pounds?|руб\w*)"
_MONEY = _re(
    rf"^\s*(?:{_CURRENCY}\s?)?\s*(-?\d{{1,3}}(?:[ ,.\u00a0]\d{{3}})*(?:[.,]\d{{1,2}})?|-?\d+(?:[.,]\d{{1,2}})?)"
    rf"\s*{_CURRENCY}?\s*$",
    re.IGNORECASE,
)
# The symbol the playbooks' currency choices use, by how an amount names its currency.
_SYMBOLS = {
    "$": "$", "usd": "$", "dollar": "$", "dollars": "$", "us$": "$", "ca$": "$", "au$": "$",
    "€": "€", "eur": "€", "euro": "€", "euros": "€",
    "£": "£", "gbp": "£", "pound": "£", "pounds": "£",
    "¥": "¥", "jpy": "¥",
    "kr": "kr", "kroner": "kr", "nok": "kr", "sek": "kr", "dkk": "kr",
    "₪": "₪", "ils": "₪", "nis": "₪",
    "₽": "₽", "rub": "₽", "руб": "₽",
}  # fmt: skip
_CURRENCY_IN = _re(rf"^\s*({_CURRENCY})?[\s\d.,\u00a0-]*?({_CURRENCY})?\s*$", re.IGNORECASE)


def from_message(
    question: dict[str, Any], need: dict[str, Any] | None, entities: dict[str, Any]
) -> tuple[Any, str] | None:
    """What the message answers a question with, when the agent has not, and the
    entities it came from: the first of the entity its ``need`` names; for a question
    with ``from_message: currency``, the symbol of the first amount whose currency is
    one of its choices; for ``from_message: amount``, the first amount. None: the
    message does not say."""
    entity = need.get("entity") if need else None
    if question.get("from_message") == "amount":
        entity = "amounts"
    if entity and entities.get(entity):
        return entities[entity][0], f"entities.{entity}"
    if question.get("from_message") == "currency":
        choices = _choice_values(question)
        for amount in entities.get("amounts", ()):
            symbol = currency_of(amount)
            if symbol is not None and (not choices or symbol in choices):
                return symbol, "entities.amounts"
    return None


def _choice_values(question: dict[str, Any]) -> list[Any]:
    return [c["value"] if isinstance(c, dict) else c for c in question.get("choices", ())]


def _plain_number(raw: str, *, money: bool) -> str:
    """A number as written ("1,299.00", "1.299,00", "1 299,50", "12,50") as float() reads it.
    The last of "," and "." is the decimal mark when both occur; a lone "," before one or
    two digits is one; in an amount a lone "." before three digits groups thousands
    ("1.299 €" is 1299: no price has three decimals)."""
    raw = raw.replace("\u00a0", "").replace(" ", "")
    if "," in raw and "." in raw:
        decimal = "," if raw.rfind(",") > raw.rfind(".") else "."
        return raw.replace("." if decimal == "," else ",", "").replace(",", ".")
    if "," in raw:
        return raw.replace(",", ".") if _DECIMAL_COMMA.match(raw) else raw.replace(",", "")
    if money and (raw.count(".") > 1 or _THOUSANDS_DOT.match(raw)):
        return raw.replace(".", "")
    return raw


_DECIMAL_COMMA = _re(r"^-?\d+,\d{1,2}$")
_THOUSANDS_DOT = _re(r"^-?[1-9]\d{0,2}\.\d{3}$")


def currency_of(amount: str) -> str | None:
    """The currency symbol of an amount ("79.99 euros" -> "€", "USD 5" -> "$"), or None
    when it names none or one this table does not know."""
    m = _CURRENCY_IN.match(amount)
    if not m:
        return None
    named = (m.group(1) or m.group(2) or "").lower()
    return _SYMBOLS.get("руб" if named.startswith("руб") else named)


_EMAIL = _re(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def coerce(question: dict[str, Any], value: Any) -> Any:
    """Validate and convert one answer; raise ``ValueError`` with the reason."""
    kind = question.get("type", "text")
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError("an answer is required")
    if kind in ("number", "money", "int"):
        if isinstance(value, bool):
            raise ValueError("expected a number")
        if isinstance(value, (int, float)):
            number: float = value
        else:
            text = str(value).strip()
            m = _MONEY.match(text) if kind == "money" else None
            raw = _plain_number(m.group(1) if m else text, money=kind == "money")
            try:
                number = float(raw)
            except ValueError:
                raise ValueError(f"{value!r} is not a number") from None
        if kind == "int":
            if number != int(number):
                raise ValueError(f"{value!r} is not a whole number")
            number = int(number)
        elif kind == "money":
            number = round(number, 2)
        value = number
    elif kind == "bool":
        if not isinstance(value, bool):
            text = str(value).strip().lower()
            if text in {"y", "yes", "true", "1", "on"}:
                value = True
            elif text in {"n", "no", "false", "0", "off"}:
                value = False
            else:
                raise ValueError("answer yes or no")
    elif kind == "choice":
        choices = question.get("choices", [])
        values = _choice_values(question)
        labels = {str(c["label"]).lower(): c["value"] for c in choices if isinstance(c, dict)}
        if value in values:
            pass
        elif str(value) in [str(v) for v in values]:
            value = values[[str(v) for v in values].index(str(value))]
        elif str(value).lower() in labels:
            value = labels[str(value).lower()]
        else:
            raise ValueError(f"choose one of: {', '.join(str(v) for v in values)}")
    elif kind == "date":
        from datetime import date

        if not isinstance(value, date):
            try:
                value = date.fromisoformat(str(value).strip())
            except ValueError:
                raise ValueError("expected a date as YYYY-MM-DD") from None
        value = value.isoformat()
    elif kind == "email":
        value = str(value).strip()
        if not _EMAIL.match(value):
            raise ValueError(f"{value!r} is not an email address")
    else:
        value = str(value).strip() if not isinstance(value, str) else value.strip()
    rules = question.get("validate", {})
    if "pattern" in rules and not re.fullmatch(rules["pattern"], str(value)):
        raise ValueError(rules.get("message") or f"{value!r} does not have the expected form")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "min" in rules and value < rules["min"]:
            raise ValueError(rules.get("message") or f"must be at least {rules['min']}")
        if "max" in rules and value > rules["max"]:
            raise ValueError(rules.get("message") or f"must be at most {rules['max']}")
    return value


def check_channel(channel: Any, field: str = "--channel", error: type[UsageError | AnswersError] = UsageError) -> None:
    if channel is not None and channel not in CHANNELS:
        raise error(f"{channel!r} is not one of: {', '.join(CHANNELS)}", field=field)


def check_type(customer_type: str | None) -> None:
    if customer_type is not None and customer_type not in TYPES:
        raise UsageError(f"unknown customer type {customer_type!r} (known: {', '.join(TYPES)})", field="--type")


def collect_answers(
    answers: str | Path | dict[str, Any] | None = None,
    sets: list[str] | tuple[str, ...] | dict[str, Any] = (),
    *,
    playbook: str | None = None,
    customer_type: str | None = None,
    channel: str | None = None,
) -> Answers:
    """Answers from a file (or mapping in the file's shape), then ``--set`` pairs, then
    the forced ``--playbook`` / ``--type`` / ``--channel``; the customer type and the
    channel are checked whatever their source. ``--channel X`` is ``--set channel=X``
    given last: it wins over the others, and is saved with the answers like them."""
    check_type(customer_type)
    check_channel(channel)
    result = Answers()
    if isinstance(answers, (str, Path)):
        result.update(load_answers_file(str(answers)))
    elif isinstance(answers, dict):
        from replycoach.foundation.schema import validate

        result.update(validate(answers, answers_schema(), file="<answers>", error_class=AnswersError))
    if isinstance(sets, dict):
        sets = [f"{k}={v}" for k, v in sets.items()]
    given = parse_sets(list(sets))
    result.update(given)
    # The coach's answers file may name a cause in the agent's own words; --set names an id.
    result.cause_by_id = result.cause_by_id or "cause" in given.get("diagnose", {})
    result.playbook = playbook or result.playbook
    result.customer_type = customer_type or result.customer_type
    check_type(result.customer_type)
    if channel:
        result.settings["channel"] = channel
    check_channel(result.settings.get("channel"), field="channel", error=AnswersError)
    return result
