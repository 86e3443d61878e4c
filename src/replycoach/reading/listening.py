"""A model of what the customer said: the mode of the message, the problem, what they ask
for, their questions, their own deadline, whether they wrote before, the channel and the
name to greet them by. The draft answers each of these (reply/listen.py).

The cues are data (``src/replycoach/data/listening.yaml``), validated strictly on a cache
miss and compiled once per process; this module only applies them.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from replycoach.message import Message
from replycoach.reading import customer_deadline as _deadline
from replycoach.reading.anyof import AnyOf

_COMPILED: dict[str, Any] = {}
_HANDLES = re.compile(r"(?:^|\s)[@#][\w.]+|https?://\S+|www\.\S+|&(?:amp|lt|gt|quot|#\d+);")
_SENTENCES = re.compile(r"[^.!?\n]+[.!?]*")
_NEGATED = re.compile(
    r"\b(?:don.?t|do not|not|no|never|nicht|kein\w*|pas|ne|no quiero|не|ikke|en halua|לא)\b[^.,;]*$", re.I
)
_NOT_ENOUGH = re.compile(
    r"^\W*(?:\w+\s+){0,2}(?:is|are|was|would be)?\s*(?:not|n.t|no longer)\s+(?:good\s+)?enough", re.I
)
_GREETING = re.compile(
    r"^(?:hi|hello|hey|dear \w+|good (?:morning|afternoon|evening)|hallo|guten (?:tag|morgen|abend)|moin|servus"
    r"|hei|moi|terve|hej|god (?:morgen|dag|kveld)|bonjour|bonsoir|salut|hola|buenos días|buenas(?: tardes| noches)?"
    r"|здравствуйте|добрый (?:день|вечер)|доброе утро|привет|שלום|היי|בוקר טוב|ערב טוב)"
    # "Hello team, do you ...?" and "hey does it ...?": the question starts after the greeting.
    r"(?:(?: there| team| all| \w+)?\s*[,!:.-]+\s*|(?: there)?\s+)",
    re.I,
)
_PROBLEM_SCENARIOS = frozenset({"damaged-or-defective", "late-delivery", "billing-error", "outage"})
# Asks for something done, which thanks never make (they may say "tell your manager", "get in touch").
_ACTIONS = frozenset({"refund", "replacement", "repair", "return", "collection", "cancel"})
_ASKISH = re.compile(
    r"\b(?:please|pls|plz|could you|can you|i want|i need|i would like|i'd like|let (?:me|us) know (?:how|wh\w+|if))\b",
    re.I,
)


def _schema() -> Any:
    from replycoach.foundation.schema import Field, List, Map, MapOf, Num, Str

    cues = List(Str())
    return Map(
        {
            "asks": MapOf(cues, key=r"[a-z]+"),
            "praise": cues,
            "irony": cues,
            "trouble": cues,
            "trouble_weak": cues,
            "request": cues,
            "other": cues,
            "autoreply": Map({"subject": cues, "body": cues}),
            "slip": cues,
            "thanks": Map({"staff": cues, "plan": cues}),
            "question_start": cues,
            "repeat": cues,
            "ordinals": MapOf(Num(integer=True), key=r"\w+"),
            "deadline": Map(
                {
                    "today": cues,
                    "tomorrow": cues,
                    "lead": cues,
                    "weekdays": List(List(Str(), min_len=7)),
                    "events": Field(MapOf(cues, key=r"[a-z]+"), required=True),
                    "past": Field(cues, required=True),
                    "stopped": Field(cues, required=True),
                }
            ),
            # What depends on it for the customer (reading/stakes.py): kind -> items, unless.
            "stakes": Field(
                MapOf(
                    Map(
                        {
                            "items": Field(MapOf(List(Str(), min_len=1), key=r"[a-z][a-z_]*"), required=True),
                            "unless": Field(cues, default=list),
                        }
                    ),
                    key=r"[a-z][a-z_]*",
                ),
                default=dict,
            ),
            "mailboxes": Str(),
            "names": Map(
                {
                    "honorifics": Map({"female": List(Str()), "male": List(Str())}),
                    "degrees": List(Str()),
                    "particles": List(Str()),
                    "before_name": cues,
                    "not_names": cues,
                    "roles": cues,
                    "introduced": cues,
                    "formal": cues,
                }
            ),
            "channel": Map(
                {
                    **{k: cues for k in ("social", "salutation", "greeting", "signoff", "device")},
                    "max_chars": Num(integer=True, min=1),
                    "max_lines": Num(integer=True, min=1),
                }
            ),
        }
    )


def load_cues(path: Path) -> Any:
    """``listening.yaml`` validated; a cue that is no valid regex is an error with its place."""
    from replycoach.foundation.errors import DataError
    from replycoach.foundation.schema import validate
    from replycoach.foundation.yamlio import load_yaml_file

    tree = load_yaml_file(path)
    data = validate(tree, _schema(), file=str(path))
    for where, cue in _walk(data):
        try:
            re.compile(cue)
        except re.error as exc:
            raise DataError(f"invalid pattern: {exc}", file=str(path), field=where) from None
    # Each list is also one regex (the plain path, ``AnyOf.plain``): a group name used
    # by two of its cues must fail here, not on the first message that needs it.
    lists = {name: "|".join(alts) for name, alts in _alternatives(data).items() if name != "day"}
    lists["question_start"] = "|".join(_whole(p) for p in data["question_start"])
    for where, joined in lists.items():
        try:
            re.compile(joined)
        except re.error as exc:
            raise DataError(f"the cues do not join into one pattern: {exc}", file=str(path), field=where) from None
    try:
        _day_words(data["deadline"])
    except re.error as exc:
        raise DataError(
            f"the day words do not join into one pattern: {exc}", file=str(path), field="deadline"
        ) from None
    return data


def _walk(node: Any, where: str = "") -> Any:
    if isinstance(node, dict):
        for k, v in node.items():
            if k not in ("ordinals", "weekdays"):
                yield from _walk(v, f"{where}.{k}".lstrip("."))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _walk(v, f"{where}.{i}")
    elif isinstance(node, str):
        yield where, node


def _cues() -> dict[str, Any]:
    if not _COMPILED:
        from replycoach.foundation.resources import builtin_dir, cached
        from replycoach.reading.channel import channel_cues
        from replycoach.reading.names import name_cues

        path = builtin_dir("data") / "listening.yaml"
        data = cached("listening", [path], lambda: load_cues(path))
        lists = _alternatives(data)
        starts = _starts(path, lists)

        def one(patterns: list[str]) -> re.Pattern[str]:
            return re.compile("|".join(_whole(p) for p in patterns), re.IGNORECASE)

        def any_of(name: str, plain: str | None = None) -> AnyOf:
            return AnyOf(lists[name], [(s[0], s[1]) for s in starts[name]], plain=plain)

        dl = data["deadline"]
        _COMPILED.update(
            {
                # The frames are searched between positions, which a plain regex does.
                "asks": {
                    aid: one(data["asks"][aid]) if aid in _FRAMES else any_of(f"asks.{aid}") for aid in data["asks"]
                },
                "praise": any_of("praise"),
                "irony": one(data["irony"]),
                "trouble": any_of("trouble"),
                "trouble_weak": one(data["trouble_weak"]),
                "request": one(data["request"]),
                "other": one(data["other"]),
                "autoreply": {part: one(data["autoreply"][part]) for part in ("subject", "body")},
                "slip": one(data["slip"]),
                "thanks_data": data["thanks"],  # reading/praise.py compiles them for thanks only
                "question_start": one(data["question_start"]),
                "repeat": any_of("repeat"),
                "ordinals": data["ordinals"],
                # "It arrived today" is no deadline: "by today", "I need it today" are.
                # The day words are found first (one regex), then a lead is looked for in
                # the few words before each: the lead alternation at every position of
                # every message cost a batch ~14 ms a message.
                "day": any_of("day", plain=_day_words(dl).pattern),
                "lead": _lead_before([*dl["lead"], *(p for ps in dl["events"].values() for p in ps)]),
                # Compiled on first use (_lazy): ~4 ms a draft's start-up would pay for nothing.
                "deadline_data": dl,
                "channel": channel_cues(data["channel"]),
                "names": name_cues(data["names"], re.compile(data["mailboxes"], re.IGNORECASE)),
            }
        )
    return _COMPILED


def _lazy(name: str) -> Any:
    """``events`` (id -> pattern), ``past`` or ``stopped`` of the deadline cues, compiled once."""
    cues = _cues()
    if name not in cues:
        dl = cues["deadline_data"]

        def one(patterns: list[str]) -> re.Pattern[str]:
            return re.compile("|".join(_whole(p) for p in patterns or [r"(?!)"]), re.IGNORECASE)

        cues[name] = {eid: one(ps) for eid, ps in dl["events"].items()} if name == "events" else one(dl[name])
    return cues[name]


def _whole(pattern: str) -> str:
    # A cue is a whole word or phrase: "ei" must not match the start of "Einbau".
    return f"(?:{pattern})(?!\\w)"


def _alternatives(data: dict[str, Any]) -> dict[str, list[str]]:
    """The alternatives of each cue list matched with ``AnyOf``, in the order the joined
    regex tries them (the day words: each day cue in its named group)."""
    lists = {f"asks.{aid}": [_whole(p) for p in patterns] for aid, patterns in data["asks"].items()}
    for name in ("praise", "trouble", "repeat"):
        lists[name] = [_whole(p) for p in data[name]]
    dl = data["deadline"]
    day = [f"(?P<today>{p})" for p in dl["today"]] + [f"(?P<tomorrow>{p})" for p in dl["tomorrow"]]
    for n in range(7):
        words = "|".join(days[n] for days in dl["weekdays"])
        day.append(rf"(?P<d{n}>\b(?:{words})\w*)")
    lists["day"] = day
    return lists


def _starts(path: Path, lists: dict[str, list[str]]) -> dict[str, list[Any]]:
    """``prefilter.match_starts`` of every alternative, cached with the data: walking
    them all costs more than a draft's start-up may."""
    from replycoach.foundation.resources import cached
    from replycoach.reading import prefilter

    def build() -> dict[str, Any]:
        return {name: [alts, [prefilter.match_starts(a) for a in alts]] for name, alts in lists.items()}

    stored = cached("listening-starts", [path, Path(prefilter.__file__)], build)
    if any(stored.get(name, [None])[0] != alts for name, alts in lists.items()):
        stored = build()  # the alternatives are built differently now (this module changed)
    return {name: stored[name][1] for name in lists}


def _lead_before(lead: list[str]) -> re.Pattern[str]:
    """A lead ("by", "before", "I need it", "to send") up to eight words before a day word, in its sentence."""
    leads = "|".join(
        [
            *lead,
            r"\bneed\w*",
            r"\bdue\b",
            # "an invoice to send a client TODAY": the customer's own errand with a date.
            r"\bto (?:send|pay|submit|file|deliver|finish|present|sign)\b",
            r"\bbrauche\w*",
            r"\bbesoin\b",
            r"\bnecesit\w*",
            r"\btarvit\w*",
            r"\btrenger\b",
            r"нужн\w*",
            r"צריך",
        ]
    )
    return re.compile(rf"(?:{leads})\s+(?:[^\s.!?]+\s+){{0,7}}$", re.IGNORECASE)


def _day_words(dl: dict[str, Any]) -> re.Pattern[str]:
    """One regex for every day word: group ``today``, ``tomorrow`` or ``d0`` (Monday) .. ``d6``."""
    parts = [f"(?P<today>{'|'.join(dl['today'])})", f"(?P<tomorrow>{'|'.join(dl['tomorrow'])})"]
    for n in range(7):
        words = "|".join(days[n] for days in dl["weekdays"])
        parts.append(rf"(?P<d{n}>\b(?:{words})\w*)")
    return re.compile("|".join(parts), re.IGNORECASE)


def _clean(text: str) -> str:
    return re.sub(r"\s+", " ", _HANDLES.sub(" ", text)).strip(" ,;:-")


def sentences(body: str) -> list[str]:
    return [s for s in (_clean(m.group(0)) for m in _SENTENCES.finditer(body)) if len(s) > 1]


# Keys of the ``asks:`` cues that name no ask: what makes a sentence ask for the thing a
# cue names, or tell of it instead (listening.yaml).
_FRAMES = ("asking", "please", "telling")
# Cues that are asking phrases of their own ("why did ...", "make sure it never happens
# again", "would be great if", "tell me"): no frame needed.
_SELF_FRAMED = ("explanation", "prevention", "feature", "information")


def asks(body: str) -> list[dict[str, str]]:
    found: list[dict[str, str]] = []
    cues = _cues()["asks"]
    for sentence in sentences(body):
        frames: list[re.Match[str]] | None = None  # the sentence's asking frames, found once
        for aid, rx in cues.items():
            if aid in _FRAMES or aid in {a["id"] for a in found}:
                continue
            if aid == "information" and not sentence.endswith("?") and not _ASKISH.search(sentence):
                continue
            for m in rx.finditer(sentence):
                if frames is None and aid not in _SELF_FRAMED:
                    frames = list(cues["asking"].finditer(sentence))
                if _asked(sentence, m, cues, None if aid in _SELF_FRAMED else frames or []):
                    break
            else:
                continue
            found.append({"id": aid, "text": sentence.rstrip(".!")})
    return found


def _asked(
    sentence: str, m: re.Match[str], cues: dict[str, re.Pattern[str]], frames: list[re.Match[str]] | None
) -> bool:
    """Whether the cue found at ``m`` asks for its thing, rather than names it (``frames``:
    the sentence's asking frames; None for a cue that asks by its own words)."""
    if _NOT_ENOUGH.search(sentence[m.end() :]):
        return False  # "a replacement is not good enough": turned down, not asked for
    if _NEGATED.search(sentence[max(0, m.start() - 25) : m.start()]):
        return False  # "I don't want a refund" asks for no refund
    if frames is None:
        return True
    # The frame nearest before the cue (or on it: "отмените", "annulez" are the cue and
    # the asking at once); "Geld zurück bitte" asks after the cue.
    frame = next((f for f in reversed(frames) if f.end() <= m.end()), None)
    if frame is None:
        after = cues["please"].search(sentence, m.end(), m.end() + 30)
        return after is not None and not re.search(r"[,;]", sentence[m.end() : after.start()])
    # "I want to know why you cancelled", "if I cancel ...": told of, not asked for.
    return not cues["telling"].search(sentence, max(0, frame.start() - 15), m.start())


def questions(body: str) -> list[str]:
    start = _cues()["question_start"]
    out = []
    for sentence in sentences(body):
        words = sentence.split()
        if (sentence.endswith("?") and len(words) >= 3) or (
            len(words) >= 4 and start.search(sentence) and not sentence.endswith("!")
        ):
            # "Hello, do you deliver ...?": the greeting is not part of the question.
            text = _GREETING.sub("", sentence).rstrip("?!") + "?"
            text = text[:1].upper() + text[1:]
            if text not in out:
                out.append(text)
    return out[:4]


def mode(
    body: str,
    subject: str,
    scenario: str,
    found_asks: list[dict[str, str]],
    anger: str = "none",
    found_questions: list[str] | None = None,
    wrote_before: bool | None = None,
) -> tuple[str, list[str]]:
    """complaint, question, request, praise or other, and the words that decided it. The cue lists are
    searched only where they can change the answer (a batch reads every message, and each list costs a
    pass over the text); ``found_questions``/``wrote_before``: ``questions``/``repeat_contact`` if known."""
    cues = _cues()
    # A machine's reply; a slip ("wrong window, please ignore") that asks for nothing.
    if machine := autoreply(body, subject) or (None if found_asks else cues["slip"].search(body)):
        return "other", [machine if isinstance(machine, str) else machine.group(0)]
    if found_questions is None:
        found_questions = questions(body)
    text = f"{subject}\n{body}"
    trouble = [m.group(0) for m in cues["trouble"].finditer(text)]
    upset = anger in ("medium", "high")
    problem_scenario = scenario in _PROBLEM_SCENARIOS
    weak: list[str] | None = None

    def weak_words() -> list[str]:
        nonlocal weak
        if weak is None:
            weak = [m.group(0) for m in cues["trouble_weak"].finditer(text)]
        return weak

    def complaint(why: str) -> tuple[str, list[str]]:
        return "complaint", trouble[:3] or weak_words()[:3] or [why]

    if upset:
        return complaint(f"anger: {anger}")
    asked = "?" in body or bool(found_questions)
    wants = [a for a in found_asks if a["id"] != "information"]
    # Thanks for something (no sign-off, no notice's "thank you for the service"), with nothing
    # asked; a past problem told as the reason ("your engineer fixed the washer") stays praise.
    praise: list[str] = []
    acts = any(a["id"] in _ACTIONS for a in wants)  # (an explanation may be told of: "jaksoi selittää")
    if not (asked or acts or len(trouble) >= 3 or cues["irony"].search(text)):
        # ("great job, 3 weeks and still no parcel 🙄": the praise words are sarcasm.)
        praise = [m.group(0) for m in cues["praise"].finditer(text)]
    requested = [m.group(0) for m in cues["request"].finditer(body)] if praise or not wants else []
    if praise and len(praise) > len(requested):
        return "praise", praise[:3]
    acting = bool(wants or requested)
    if len(trouble) < 2 and (repeat_contact(body) is not None if wrote_before is None else wrote_before):
        trouble.append("written before")
    # A word that says something went wrong on its own; "not", "still", "again" only beside
    # one, or twice beside a problem scenario: a question about a new fee is no complaint.
    if (
        len(trouble) >= 2
        or (trouble and (problem_scenario or acting or anger == "low" or weak_words()))
        or (problem_scenario and (acting or len(weak_words()) >= 2))
        or (anger == "low" and (acting or weak_words()))
    ):
        return complaint(f"scenario: {scenario}" if problem_scenario else f"anger: {anger}")
    other = cues["other"].search(text)
    if other and not acting:
        return "other", [other.group(0)]
    if acting:
        return "request", ([a["text"] for a in wants] or requested)[:2]
    if asked:
        return "question", found_questions[:2] or ["?"]
    if trouble:
        return "complaint", trouble[:3]
    if praise:
        return "praise", praise[:3]
    if len(body.split()) < 4:
        return "other", []
    return "complaint", weak_words()[:3]


def autoreply(body: str, subject: str, header: str = "") -> str | None:
    """What shows a machine wrote the message (an out-of-office): its ``Auto-Submitted``
    header (``Message.auto_submitted``), its subject's start or its body's words; else None
    (short and on one line: the draft's note to the agent names it inside a [[marker]])."""
    cues = _cues()["autoreply"]
    found = header or next((m.group(0) for m in (cues["subject"].search(subject), cues["body"].search(body)) if m), "")
    return " ".join(found.strip(" :-").split())[:40] or None


def customer_deadline(body: str, now: datetime | None) -> dict[str, str] | None:
    """The customer's own date ("the party is on Sunday"): reading/customer_deadline.py."""
    return _deadline.customer_deadline(body, now, _cues(), _lazy("events"), _lazy("past"))


def cannot_wait(body: str) -> bool:
    """Whether the customer's own work or home has stopped ("customers waiting at the till",
    "no heating", "locked out with bills due"): a promise for the next business day is too late."""
    return _lazy("stopped").search(body) is not None


def stake(body: str) -> dict[str, Any] | None:
    """What is at stake for the customer (reading/stakes.py), by the ``stakes:`` cues."""
    from replycoach.reading import stakes

    cues = _cues()
    if "stakes" not in cues:
        from replycoach.foundation.resources import builtin_dir, cached

        path = builtin_dir("data") / "listening.yaml"
        cues["stakes"] = stakes.compile_stakes(cached("listening", [path], lambda: load_cues(path))["stakes"], [path])
    return stakes.read_stake(body, cues["stakes"])


def repeat_contact(body: str) -> dict[str, Any] | None:
    cues = _cues()
    m = cues["repeat"].search(body)
    if not m:
        return None
    word = (m.groupdict().get("n") or "").lower()
    count = cues["ordinals"].get(word)
    if count is None and not word:
        # "zum dritten Mal", "kolmatta kertaa": the ordinal word of another language.
        count = next(
            (cues["ordinals"][w] for w in re.findall(r"\w+", m.group(0).lower()) if w in cues["ordinals"]), None
        )
    if count is None and word[:1].isdigit():
        count = int(re.match(r"\d+", word).group(0))  # type: ignore[union-attr]
    return {"text": m.group(0), "count": count}


def channel(message: Message, body: str) -> str:
    """The form of the reply the message calls for: email, chat or social (reading/channel.py)."""
    from replycoach.reading.channel import read_channel

    return read_channel(message, body, _cues()["channel"])


def addressee(message: Message) -> dict[str, Any] | None:
    """The person the reply greets and their name's parts (reading/names.py)."""
    from replycoach.reading.names import addressee as _addressee

    cues = _cues()
    return _addressee(message, cues["names"], cues["channel"]["signoff"])


def name_parser() -> Any:
    """A written name to its parts (reading/names.py ``parse``), for a name the agent gives."""
    from replycoach.reading.names import parse

    cues = _cues()["names"]
    return lambda name: parse(name, cues)


def problem(restatement: str, found_mode: str) -> dict[str, Any] | None:
    """The problem clause the draft restates: the reading's restatement when it is a
    statement of what went wrong (questions and praise state none)."""
    if found_mode not in ("complaint", "request") or not restatement:
        return None
    return {"text": restatement, "evidence": []}


def _complaint_evidence(found_mode: str, evidence: list[str], scenario: str, anger: str) -> list[str]:
    """The words that made it a complaint, then the scenario and the anger that did."""
    if found_mode != "complaint":
        return []
    found = [*evidence]
    if scenario in _PROBLEM_SCENARIOS:
        found.append(f"scenario: {scenario}")
    if anger in ("medium", "high"):
        found.append(f"anger: {anger}")
    return list(dict.fromkeys(found))


def listen(
    message: Message, body: str, scenario: str, restatement: str, now: datetime | None, anger: str = "none"
) -> dict[str, Any]:
    """Every key of the message model, for ``analyze``'s JSON."""
    from replycoach.reading import blend
    from replycoach.reading.cuedata import signals
    from replycoach.reading.language import detect_language
    from replycoach.reading.praise import praise

    found_asks = asks(body)
    found_questions = questions(body)
    person = addressee(message)
    repeat = repeat_contact(body)
    machine = autoreply(body, message.subject, message.auto_submitted)
    if machine is not None:  # a machine's reply: no one to answer, whatever the model says
        found_mode, evidence = "other", [machine]
    else:
        found_mode, evidence = mode(
            body, message.subject, scenario, found_asks, anger, found_questions, wrote_before=repeat is not None
        )
        # The language decides only for a calm message (blend.mode: anger makes a complaint).
        language = "" if anger in ("medium", "high") else detect_language(body, signals())
        found_mode, evidence = blend.mode(
            blend.model_text(body, message.subject), found_mode, evidence, anger, language=language
        )
    return {
        "mode": found_mode,
        "mode_evidence": evidence,
        # One answer to "is it a complaint?": the analysis's own flag (signals.yaml) read
        # thanks with a past problem in it as one, and a question about a fee too.
        "complaint": found_mode == "complaint",
        "complaint_evidence": _complaint_evidence(found_mode, evidence, scenario, anger),
        "problem": problem(restatement, found_mode),
        "asks": found_asks,
        "questions": found_questions,
        "customer_deadline": customer_deadline(body, now),
        "repeat_contact": repeat,
        "channel": channel(message, body),
        # The given name to greet ("Sunita", "Odd Arne", "Анна"), and whom and how: a
        # formal letter is answered in the language's formal form (templates/greeting.j2).
        "greet_name": (person or {}).get("given"),
        "addressee": person,
        "auto_reply": machine is not None,  # its draft: a note to the agent (auto-reply.j2)
        "praise": praise(body, _cues()["thanks_data"], message.from_name) if found_mode == "praise" else None,
    }
