"""The playbook schema: what a playbook file and a ``_types.yaml`` may hold (the steps,
types, question types, entity kinds, grantable asks and layouts), built on first use."""

from __future__ import annotations

from typing import Any

STEPS = ("hear", "empathize", "apologize", "resolve")
ALL_STEPS = (*STEPS, "diagnose")
TYPES = ("meek", "aggressive", "high-roller", "rip-off", "chronic", "neutral")
QUESTION_TYPES = ("text", "choice", "number", "money", "int", "date", "bool", "email")
ENTITY_KINDS = ("order_ids", "amounts", "dates", "emails", "phones", "products", "cards")
# Names the templates see at the top level; a question id may not shadow them.
RESERVED = frozenset(
    {
        "customer",
        "agent",
        "company",
        "steps",
        "missing",
        "deadline",
        "answers",
        "analysis",
        "entities",
        "playbook",
        "type",
        "skipped",
        "restatement",
        "wants",
        "language",
        "now",
        "hear",
        "empathize",
        "apologize",
        "resolve",
        "diagnose",
        "cause",
        "note",
        "settings",
        "promise",
        "history",
        "other_issues",
    }
)
ID = r"[a-z0-9][a-z0-9-]*"
# Asks a resolve option can grant (``grants:``); the rest are answered by the draft's own
# lines (information and explanation by an answer slot, prevention and manager by a promise).
GRANTABLE = (
    "refund",
    "replacement",
    "repair",
    "return",
    "collection",
    "cancel",
    "compensation",
    "discount",
    "callback",
)
QID = r"[a-z][a-z0-9_]*"

# Why a case cannot wait for the regular promise (``deadline.urgent.when``): the reading's
# urgency is high, a threat was read, the customer's own work or home has stopped
# (reading/listening.py ``cannot_wait``), the regular promise misses the customer's own day.
URGENT_WHEN = ("high-urgency", "risk", "stopped", "customer-date")

# How the reply is laid out for a type: the plain HEARD order, or the resolution
# ("what and when") first for customers who want results before sympathy.
LAYOUTS = ("heard", "results-first")


def _build_schemas() -> dict[str, Any]:
    """The playbook and ``_types.yaml`` schemas. Built on first use, not at import:
    only a cache miss validates YAML, and building them cost ~1 ms of every start."""
    from replycoach.foundation.schema import AnyValue, Bool, Enum, Field, List, Map, MapOf, Num, OneOf, Str

    _CUE = OneOf(
        (str, Str()),
        (dict, Map({"cue": Field(Str(), required=True), "weight": Field(Num(), default=1.0)})),
    )
    _DEADLINE = Map(
        {
            "business_hours": Num(min=0, max=24 * 30),
            "business_days": Num(integer=True, min=0, max=60),
            # Wall-clock hours, nights and weekends included: an outage update cannot wait for Monday.
            "clock_hours": Num(min=0, max=24 * 7),
            "at": Str(pattern=r"([01]?\d|2[0-3]):[0-5]\d"),
            "text": Str(),  # overrides the computed wording, e.g. "within the hour"
        }
    )
    # The playbook's own deadline may say how soon the promise falls when the case cannot
    # wait (reply/deadline.py ``sized``): the reasons that count, and the sooner spec.
    _PLAYBOOK_DEADLINE = Map(
        {
            **_DEADLINE.fields,
            "urgent": Map(
                {
                    "business_hours": Num(min=0, max=24 * 30),
                    "business_days": Num(integer=True, min=0, max=60),
                    "clock_hours": Num(min=0, max=24 * 7),
                    "at": Str(pattern=r"([01]?\d|2[0-3]):[0-5]\d"),
                    # Late in a business day, the promise is still that day (its close).
                    "same_day": Bool(),
                    "when": Field(List(Enum(*URGENT_WHEN), min_len=1), required=True),
                }
            ),
        }
    )
    _OPTION = Map(
        {
            "id": Field(Str(pattern=ID), required=True),
            "label": Field(Str(), required=True),
            "text": Field(Str(), required=True),
            "why": Str(),  # coaching: when this option is the right one
            "types": List(Enum(*TYPES)),  # recommended for these complainant types
            "default": Bool(),
            "asks": List(Str(pattern=QID)),  # questions that must be answered for this option
            "promise": Str(),  # what the agent commits to (for the complaint log)
            "deadline": _DEADLINE,
            "compensation": Map(
                {
                    "question": Field(Str(pattern=QID), required=True),
                    "cap": Field(Num(min=0), required=True),
                    "currency": Str(),
                }
            ),
            "cannot": Bool(),  # the "I can't do X; what I can do is Y" shape
            # What the customer may ask for that this option gives them: asked -> chosen by default.
            "grants": List(Enum(*GRANTABLE)),
            # Phrases (the cue syntax of data/signals.yaml; ``re:`` for a regex): when the
            # customer's message says one, this option is chosen over the type's default.
            "said": List(Str(), min_len=1),
        }
    )
    _STEP = Map({"tip": Str(), "options": Field(List(_OPTION, min_len=1), required=True)})
    _CHOICE = OneOf(
        ((str, int, float), AnyValue()),
        (dict, Map({"value": Field(AnyValue(), required=True), "label": Field(Str(), required=True)})),
    )
    _QUESTION = Map(
        {
            "id": Field(Str(pattern=QID), required=True),
            "prompt": Field(Str(), required=True),
            "type": Field(Enum(*QUESTION_TYPES), default="text"),
            "choices": List(_CHOICE, min_len=1),
            "default": AnyValue(),
            "required": Field(Bool(), default=True),
            "validate": Map({"pattern": Str(), "min": Num(), "max": Num(), "message": Str()}),
            "when": Str(),  # a Jinja expression over the answers
            "help": Str(),
            "placeholder": Str(),  # the visible [[marker]] text with --placeholders
            # Answered from the message when the agent has not: "currency", the one the
            # customer's first amount is in ("79.99 euros": "€"), if it is a choice;
            # "amount", the customer's first amount itself, where a ``needs:`` entry
            # would also ask every customer who gave none for one.
            "from_message": Enum("currency", "amount"),
        }
    )
    _TYPE_OVERRIDE = Map(
        {
            "tip": Str(),
            "tips": MapOf(Str(), key="|".join(ALL_STEPS)),
            "prefer": MapOf(Str(pattern=ID), key="|".join(STEPS)),
            "layout": Enum(*LAYOUTS),
            "snippets": MapOf(Str(), key=QID),
        }
    )
    PLAYBOOK = Map(
        {
            "id": Field(Str(pattern=ID), required=True),
            "title": Field(Str(), required=True),
            "summary": Str(),
            "detected": Field(Bool(), default=True),
            # The kinds of message this playbook answers when the reading routes one to it;
            # another kind gets the plain reply ("does the SIM work abroad?" read as billing
            # is a question to answer, not a wrong charge to refund). Default: every kind.
            "modes": List(Enum("complaint", "question", "request", "praise", "other"), min_len=1),
            "extends": Str(pattern=ID),
            "template": Str(pattern=r"[A-Za-z0-9_./-]+\.j2"),
            "detect": Map(
                {
                    "cues": List(_CUE),
                    "negative": List(_CUE),  # cues that speak against this scenario
                    "threshold": Num(min=0),
                }
            ),
            "needs": List(
                Map(
                    {
                        "id": Field(Str(pattern=QID), required=True),
                        "label": Field(Str(), required=True),
                        "entity": Enum(*ENTITY_KINDS),
                        "ask": Field(Str(), required=True),
                    }
                )
            ),
            "questions": List(_QUESTION),
            "steps": Map(
                {
                    "hear": _STEP,
                    "empathize": _STEP,
                    "apologize": _STEP,
                    "resolve": _STEP,
                    "diagnose": Map(
                        {
                            "tip": Str(),
                            "causes": Field(
                                List(
                                    Map(
                                        {
                                            "id": Field(Str(pattern=ID), required=True),
                                            "label": Field(Str(), required=True),
                                            "prevention": Str(),
                                        }
                                    ),
                                    min_len=1,
                                ),
                                required=True,
                            ),
                        }
                    ),
                }
            ),
            # The problem told back when the customer's own sentence cannot be (another
            # language, a fragment): the first frame whose ``said:`` phrases the message
            # uses, else the first without any. Second person, no full stop: the hear
            # options write "If I have understood you correctly, {{ restatement }}."
            "problems": List(
                Map(
                    {
                        "id": Field(Str(pattern=ID), required=True),
                        "text": Field(Str(), required=True),
                        # The empathy line for this frame, used where the step's default stands.
                        "feel": Str(),
                        "said": List(Str(), min_len=1),
                    }
                )
            ),
            "deadline": _PLAYBOOK_DEADLINE,
            "types": MapOf(_TYPE_OVERRIDE, key="|".join(TYPES)),
            "snippets": MapOf(Str(), key=QID),
        },
        name="playbook",
    )
    TYPES_FILE = MapOf(
        Map(
            {
                "label": Field(Str(), required=True),
                "signs": Str(),
                "tip": Str(),
                "tips": MapOf(Str(), key="|".join(ALL_STEPS)),
                "prefer": MapOf(Str(pattern=ID), key="|".join(STEPS)),
                "layout": Enum(*LAYOUTS),
                "snippets": MapOf(Str(), key=QID),
                # Cues (as in signals.yaml) showing an offer was already turned down.
                "pushback": List(Str()),
            }
        ),
        key="|".join(TYPES),
    )
    return {"PLAYBOOK": PLAYBOOK, "TYPES_FILE": TYPES_FILE}


_SCHEMAS: dict[str, Any] = {}


def schema(name: str) -> Any:
    """``PLAYBOOK`` or ``TYPES_FILE``, built once."""
    if not _SCHEMAS:
        _SCHEMAS.update(_build_schemas())
    return _SCHEMAS[name]
