"""From a message and the agent's answers to a checked draft reply.

This is the one drafting pipeline: ``draft`` fills answers from defaults, files and
``--set``; ``coach`` fills the same ``Answers`` interactively and calls the same
functions, so ``coach --save-answers`` + ``draft --answers`` give the same bytes.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Protocol

from replycoach.foundation import templating as _render
from replycoach.foundation.config import setting
from replycoach.foundation.errors import AnswersError, MissingAnswersError
from replycoach.message import Message
from replycoach.playbook.answers import Answers, coerce, from_message
from replycoach.playbook.registry import STEPS, Registry
from replycoach.reply import deadline as _deadline
from replycoach.reply import greeting as _greeting
from replycoach.reply import listen as _listen
from replycoach.reply import modes as _modes


class Session:
    """Everything known about one message while a reply is being drafted."""

    def __init__(self, message: Message, registry: Registry, analysis: dict[str, Any]) -> None:
        self.message = message
        self.registry = registry
        self.analysis = analysis


def analyse(
    message: Message,
    registry: Registry,
    *,
    playbook: str | None = None,
    customer_type: str | None = None,
    language: str | None = None,
    db: Any = None,  # the complaint log: URL/path or an open store.Store (issue 7)
    now: datetime | None = None,
    clock: datetime | None = None,  # the message's "now" for its own dates, when ``now`` is not given
) -> dict[str, Any]:
    from replycoach.reading.analyze import analyze
    from replycoach.reading.entities import mask_cards
    from replycoach.record.history import for_analysis, lookup, message_key

    if playbook:
        registry.get(playbook)  # unknown id: a clear error before any work
    needs = {pid: pb.get("needs", []) for pid, pb in registry.playbooks.items()}
    # The sender's record in the complaint log (cheap: nothing is opened when there is no log).
    # Its key is over the body as the result shows it (cards masked): what the log hashes.
    key = message_key(message.message_id, mask_cards(message.body)) if db is not False else ""
    history = lookup(message.from_email, db=db, now=now, key=key)
    result = analyze(
        message,
        registry.detected(),
        needs=needs,
        forced_playbook=playbook,
        forced_type=customer_type,
        forced_language=language,
        history=for_analysis(history),
    )
    result["history"] = history
    from replycoach.reading.listening import listen

    result.update(
        listen(
            message,
            message.body,
            result["scenario"]["id"],
            result.get("restatement") or "",
            now or clock,
            result["anger"]["level"],
        )
    )
    return result


class Asker(Protocol):
    """How the coach asks for an answer the pipeline needs (the draft command has none)."""

    def __call__(self, question: dict[str, Any], problem: str | None) -> Any: ...


def choose_option(
    pb: dict[str, Any], step: str, answers: Answers, ctype: str, types: dict[str, Any]
) -> dict[str, Any] | None:
    """The option for ``step``: the agent's choice, else the type's preference, else the default."""
    by_id: dict[str, dict[str, Any]] = {o["id"]: o for o in pb["steps"][step]["options"]}
    chosen = answers.steps.get(step)
    if chosen is not None:
        if chosen not in by_id:
            raise AnswersError(
                f"unknown option {chosen!r} for {step} in playbook {pb['id']!r} (options: {', '.join(by_id)})",
                field=f"steps.{step}",
            )
        return by_id[chosen]
    return by_id[default_option_id(pb, step, ctype, types)]


def default_option_id(pb: dict[str, Any], step: str, ctype: str, types: dict[str, Any]) -> str:
    options = pb["steps"][step]["options"]
    ids: list[str] = [o["id"] for o in options]
    for prefer in (pb.get("types", {}).get(ctype, {}).get("prefer", {}), types.get(ctype, {}).get("prefer", {})):
        if prefer.get(step) in ids:
            return str(prefer[step])
    for option in options:
        if ctype in option.get("types", []):
            return str(option["id"])
    for option in options:
        if option.get("default"):
            return str(option["id"])
    return ids[0]


def needed_questions(
    pb: dict[str, Any], chosen: dict[str, dict[str, Any] | None], values: dict[str, Any], env: Any
) -> list[dict[str, Any]]:
    """Questions that apply: asked by a chosen option, or free-standing and ``when`` holds."""
    steps = pb["steps"]
    asked_by_any = {q for step in STEPS for o in steps[step]["options"] for q in o.get("asks", [])}
    asked_now = {q for o in chosen.values() if o for q in o.get("asks", ())}
    comp_now = {o["compensation"]["question"] for o in chosen.values() if o and "compensation" in o}
    out = []
    for q in pb.get("questions", []):
        if q["id"] in asked_by_any and q["id"] not in asked_now and q["id"] not in comp_now:
            continue
        if "when" in q:
            ctx = {**values, "steps": {s: (o or {}).get("id") for s, o in chosen.items()}}
            for s, o in chosen.items():
                ctx.setdefault(s, (o or {}).get("id"))
            if not _render.evaluate(env, q["when"], ctx, where=f"questions.{q['id']}.when"):
                continue
        out.append(q)
    return out


def build(
    message: Message,
    registry: Registry,
    analysis: dict[str, Any],
    answers: Answers,
    *,
    placeholders: bool = False,
    now: datetime | None = None,
    ask: Asker | None = None,
    template_env: Any = None,
    rules: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """Render the draft for the answers given; the ``draft`` JSON (analysis + draft keys).

    ``rules`` are the checker's (default: the built-in pack and ``REPLYCOACH_RULES``); a
    batch loads them once instead of checking every rule file's stamp per message."""
    # Module attributes looked up per call (not imported names): tests swap them.
    render_string, render_template = _render.render_string, _render.render_template
    env = template_env or registry.template_env()
    pid = answers.playbook or analysis["scenario"]["id"]
    if not answers.playbook and pid not in registry.playbooks:
        pid = "general"  # a detected scenario whose playbook is not installed: the plain HEARD walk
    elif not answers.playbook and _listen.mode_of(analysis) not in registry.get(pid).get("modes", _listen.MODES):
        pid = "general"  # a question or request read into a playbook written for a failure
    pb = registry.get(pid)
    check_answer_keys(pb, answers, registry)
    types = registry.types
    lang, locale = reply_language(analysis, registry)
    if locale is not None:
        from replycoach.playbook import locales

        pb = locales.translated(pb, locale)
        types = locales.translated_types(types, locale)
        if template_env is None:
            env = _locale_env(registry, lang)
    ctype = answers.customer_type or analysis["customer_type"]["id"]
    chosen: dict[str, dict[str, Any] | None] = {}
    # A routed playbook is written for its scenario, requests included: the reply's kind
    # changes with the mode only where no specific playbook applies, and for thanks.
    mode = _listen.mode_of(analysis)
    if pb["id"] != "general" and mode != "praise":
        mode = "complaint"
    granted_by_reading = False
    defaulted: dict[str, bool] = {}  # steps left at the playbook's or the type's choice
    frame = _listen.problem_frame(pb, message.body)
    for step in STEPS:
        if step in answers.skip:
            chosen[step] = None
        elif step in answers.custom:
            chosen[step] = {"id": "custom", "label": "the agent's own words", "text": ""}
        elif step in answers.steps:
            chosen[step] = choose_option(pb, step, answers, ctype, types)
        elif mode != "complaint" and step != "resolve":
            # A question, a request or thanks: no apology for nothing, no invented fault.
            chosen[step] = None
        elif step == "resolve":
            # What the customer asked for, when an option grants it; else the playbook's choice.
            options = pb["steps"]["resolve"]["options"]
            resolve_by_id = {o["id"]: o for o in options}
            preferred = resolve_by_id[default_option_id(pb, step, ctype, types)]
            said = _said_option(pb, step, message.body, ctype, types)
            granting = _listen.granted_choice(options, _listen.ask_ids(analysis), preferred, said)
            if granting is not None:
                chosen[step] = resolve_by_id[granting]
                granted_by_reading = True
            elif said is not None:
                chosen[step] = said
            elif mode in ("complaint", "request"):
                chosen[step] = choose_option(pb, step, answers, ctype, types)
            else:
                chosen[step] = None  # a question is answered by the answer slots, not a fix
        else:
            said = _said_option(pb, step, message.body, ctype, types)
            chosen[step] = said or choose_option(pb, step, answers, ctype, types)
            defaulted[step] = said is None and bool((chosen[step] or {}).get("default"))

    # Answers to the playbook's questions, each validated whatever its source.
    values: dict[str, Any] = {}
    missing: list[str] = []
    entities = analysis["entities"]
    # Compensation caps by question, (the lowest cap, its option's label), unless a reason
    # to go over is on record. A customer's own figure above one is not taken as the
    # answer (the agent decides, or a [[marker]] shows it is still open); the agent's is
    # refused below.
    caps: dict[str, tuple[float, str]] = {}
    if not answers.compensation_reason:
        for picked in filter(None, chosen.values()):
            comp = picked.get("compensation")
            if comp and comp["cap"] < caps.get(comp["question"], (float("inf"), ""))[0]:
                caps[comp["question"]] = (comp["cap"], picked["label"])
    resolve_option = chosen.get("resolve") or {}
    soft = set(resolve_option.get("asks", ())) | (
        {resolve_option["compensation"]["question"]} if "compensation" in resolve_option else set()
    )
    open_answers: list[str] = []
    # "£25 for each returned payment plus £18 ... I'd like all £68 refunded": the amount in
    # the sentence asking for what this option grants is the one the customer means.
    asked_here = " ".join(
        str(a.get("text", "")) for a in analysis.get("asks") or () if a.get("id") in resolve_option.get("grants", ())
    )
    amounts = sorted(entities.get("amounts") or (), key=lambda amount: str(amount) not in asked_here)
    entities = {**entities, "amounts": amounts}
    for q in needed_questions(pb, chosen, answers.values, env):
        raw = answers.values.get(q["id"])
        source = f"values.{q['id']}"
        if raw is None:
            found = from_message(q, {n["id"]: n for n in pb.get("needs", [])}.get(q["id"]), entities)
            if found is not None:
                raw, source = found  # the message's, not the agent's
        if raw is None and "default" in q:
            raw, source = q["default"], f"questions.{q['id']}.default"
        problem = None
        while True:
            if raw is None and ask is not None:
                raw = ask(q, problem)
            if raw is None:
                if q.get("required", True) and granted_by_reading and q["id"] in soft and not entities.get("amounts"):
                    # The tool chose this option from the customer's ask and they named no figure:
                    # the amount is the agent's to fill ([[marker]], needs-agent), not a usage error.
                    values[q["id"]] = f"[[{q.get('placeholder') or q['prompt'].rstrip('?: ')}]]"
                    open_answers.append(q["id"])
                elif q.get("required", True):
                    missing.append(q["id"])
                    values[q["id"]] = f"[[{q.get('placeholder') or q['prompt'].rstrip('?: ')}]]"
                else:
                    values[q["id"]] = ""
                break
            try:
                value = coerce(q, raw)
            except ValueError as exc:
                if source.startswith("entities."):
                    # What the reading took from the message does not fit the question: the
                    # customer's text is not the agent's mistake; ask, or leave the marker.
                    raw, source = (q["default"], f"questions.{q['id']}.default") if "default" in q else (None, source)
                    continue
                if ask is None:
                    raise AnswersError(str(exc), field=source) from None
                problem, raw, source = str(exc), None, f"values.{q['id']}"
                continue
            capped = caps.get(q["id"])
            if capped and source.startswith("entities.") and isinstance(value, (int, float)) and value > capped[0]:
                problem = f"the message's {raw} is above the policy cap of {capped[0]}: how much will you give?"
                raw, source = None, f"values.{q['id']}"
                continue
            values[q["id"]] = value
            break
    # The agent's compensation above the policy cap needs a reason on record.
    for qid, (cap, label) in caps.items():
        amount = values.get(qid)
        if isinstance(amount, (int, float)) and amount > cap:
            raise AnswersError(
                f"{amount} is above the policy cap of {cap}"
                f" for {label!r}: give compensation_reason (--set compensation_reason=…) to go over it",
                field=f"values.{qid}",
            )

    settings = answers.settings
    agent = setting("agent", settings)
    if not agent:
        missing.insert(0, "agent")
        agent = "[[agent name]]"
    if missing and not placeholders:
        raise MissingAnswersError(missing, playbook=pb["id"])

    # The promise and its deadline.
    resolve = chosen.get("resolve") or {}
    spec = resolve.get("deadline") or pb.get("deadline") or {"business_days": 1}
    clock = now or (_deadline.parse_now(answers.now) if answers.now else None) or datetime.now().astimezone()
    if "resolve" not in answers.steps and not answers.playbook:
        # The agent's own choice of playbook or option keeps the deadline it gives.
        spec = _deadline.sized(spec, pb.get("deadline"), analysis, message.body, clock, settings)
    due, due_words = _deadline.promise_due(spec, clock, settings)
    # A promise after the customer's own date is said to be one (listen.j2), not silently rushed.
    due_text = spec.get("text") or due_words
    if locale is not None and not spec.get("text"):
        from replycoach.playbook.locales import format_deadline

        due_text = format_deadline(due, lang, locale["meta"]["date_format"])
    due_iso = due.isoformat()

    # Whom the reply greets: the reading's addressee (a team mailbox is no one; the
    # signature names the person) or the agent's ``customer_name``.
    customer = _greeting.customer(analysis, message, str(settings.get("customer_name") or ""))
    restatement = answers.restatement if answers.restatement is not None else _listen.trusted_problem(analysis)
    offered = frozenset(g for o in pb["steps"]["resolve"]["options"] for g in o.get("grants", ()))
    listen = _listen.context(analysis, chosen.get("resolve"), due, settings, clock, offered)
    listen["customer_deadline"] = _deadline.customer_promise(analysis, due, clock, lang)
    listen["mode"] = mode
    # Thanks, information asks, the questions left to answer, auto-replies.
    listen.update(_modes.context(analysis, listen["questions"], (chosen.get("resolve") or {}).get("grants", ())))
    if pb["id"] != "general":
        # A routed playbook's texts answer its scenario, not this customer's other words.
        _listen.routed(listen, pb["id"], analysis, chosen=bool(answers.playbook))
    if "resolve" in answers.steps or "resolve" in answers.custom:
        listen["open_asks"] = []  # the agent chose what to offer: their choice answers the asks
    asks = [
        n["ask"]
        for n in _listen.still_missing(pb.get("needs", []), analysis, f"{message.subject}\n{message.body}")
        if n["id"] not in answers.values
    ]
    type_info = types.get(ctype, {"label": ctype})
    context: dict[str, Any] = {
        **values,
        "customer": customer,
        "agent": {"name": agent},
        "company": setting("company", settings),
        "restatement": restatement,
        "other_issues": answers.other_issues or "",
        "wants": analysis["wants"],
        "entities": entities,
        # The order the message names, for texts that say "your order #48213".
        "order": (entities.get("order_ids") or [""])[0],
        "missing": asks,
        "deadline": {"iso": due_iso, "text": due_text},
        "playbook": {"id": pb["id"], "title": pb["title"]},
        "type": _type_context(ctype, type_info, pb.get("types", {}).get(ctype, {}), message.body),
        "snippets": pb.get("snippets", {}),
        "analysis": {k: analysis[k] for k in ("scenario", "anger", "urgency", "risks", "language")},
        "skipped": [s for s in STEPS if chosen[s] is None],
        "answers": values,
        "listen": listen,
        "language": {
            "code": lang,
            "rtl": bool(locale and locale["meta"]["rtl"]),
            "register": setting("register", settings) or (locale["meta"]["register"] if locale else "formal"),
        },
    }
    if restatement == _listen.RESTATE_MARKER and frame is not None:
        # The customer's own sentence could not be told back (another language, a
        # fragment): the playbook's frame for what they describe, filled from the message.
        told = render_string(env, frame["text"], context, where=f"{pb['id']}: problems.{frame['id']}")
        restatement = context["restatement"] = listen["problem"] = " ".join(told.split()).rstrip(".")
    # What is at stake for this customer (the wedding, a mother without heating) is more
    # theirs than any stock line: it wins over the playbook's and the type's choice, never
    # over the agent's (another option than the recommended one, their own words, or a
    # playbook only an agent picks: part-ways, incident-followup ... keep their texts).
    # The coach's Enter keeps the recommended option: the same draft as ``draft``.
    # Only for a complaint: a question or a request routed to a playbook has nothing to put right.
    feel_choice = answers.steps.get("empathize")
    stake_line = ""
    if (
        analysis.get("stake")
        and _listen.mode_of(analysis) == "complaint"
        and chosen.get("empathize") is not None
        and (feel_choice is None or feel_choice == default_option_id(pb, "empathize", ctype, types))
        and pb["id"] in {p["id"] for p in registry.detected()}
    ):
        stake_line = " ".join(
            render_string(env, _STAKE_LINE, {"stake": analysis["stake"]}, where="stakes.j2: line").split()
        )
    context["stake"] = analysis.get("stake") if stake_line else None
    rendered: dict[str, str] = {}
    for step in STEPS:
        option = chosen[step]
        if option is None:
            rendered[step] = ""
        elif step in answers.custom:
            rendered[step] = answers.custom[step].strip()  # the agent's words are data, not a template
        elif step == "empathize" and stake_line:
            rendered[step] = stake_line
        elif step == "empathize" and defaulted.get(step) and frame is not None and frame.get("feel"):
            # The frame knows what this customer went through ("one date after another"):
            # its line is more theirs than the step's stock default.
            rendered[step] = render_string(
                env, frame["feel"], context, where=f"{pb['id']}: problems.{frame['id']}.feel"
            )
        else:
            rendered[step] = render_string(
                env, option["text"], context, where=f"{pb['id']}: steps.{step}.{option['id']}"
            ).strip()
    context["steps"] = rendered
    template = (
        "auto-reply.j2" if listen["auto_reply"] else "short.j2" if listen["short"] else pb.get("template", "base.j2")
    )
    text = render_template(env, template, context)
    draft_text = _tidy(text)
    if locale is not None and locale["meta"]["rtl"]:
        from replycoach.reply.bidi import isolate_ltr

        draft_text = isolate_ltr(draft_text)
    if answers.edited_draft is not None:
        draft_text = answers.edited_draft  # the agent's hand edit is data, kept as written

    # The checker reads the restatement this draft used (the agent's, when they wrote one).
    findings = _checker().check(draft_text, analysis={**analysis, "restatement": restatement}, rules=rules)
    result = dict(analysis)
    result["customer_type"] = (
        analysis["customer_type"]
        if ctype == analysis["customer_type"]["id"]
        else {"id": ctype, "evidence": ["chosen by the agent"]}
    )
    result.update(
        {
            "playbook": pb["id"],
            # The language the reply is written in (the customer's, --lang's or English).
            "reply_language": {"code": lang, "rtl": bool(locale and locale["meta"]["rtl"])},
            "steps": {
                **rendered,
                "diagnose": {"cause": answers.cause or "", "note": answers.note or ""},
            },
            "choices": {s: (o or {}).get("id") for s, o in chosen.items()},
            "promise": _promise(env, pb, resolve, context, values),
            "deadline": due_iso,
            "draft": draft_text,
            "findings": findings,
            "missing_answers": missing + open_answers,
        }
    )
    return result


# The stake's line in the reply's language (templates/stakes.j2, a locale's first).
_STAKE_LINE = '{% import "stakes.j2" as stakes %}{{ stakes.line(stake) }}'


def check_answer_keys(pb: dict[str, Any], answers: Answers, registry: Registry) -> None:
    """Answers the draft would silently ignore are errors: a value for no playbook's
    question (a typo like ``--set resovle=refund``), a ``--set cause=`` the playbook
    does not list."""
    from replycoach.playbook.answers import SET_KEYS

    own = _question_ids(pb)
    unknown = [key for key in answers.values if key not in own]
    if unknown:
        # A value for another playbook's question is kept (one --set serves a whole batch).
        anywhere = set().union(*(_question_ids(p) for p in registry.playbooks.values()))
        unknown = [key for key in unknown if key not in anywhere]
    if unknown:
        import difflib

        questions = f"; questions of {pb['id']!r}: {', '.join(sorted(own))}" if own else ""
        close = difflib.get_close_matches(unknown[0], [*SET_KEYS, *own], n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise AnswersError(
            f"unknown key {unknown[0]!r} ({hint}known: {', '.join(SET_KEYS)}{questions})",
            field=unknown[0],
        )
    causes = [c["id"] for c in pb["steps"].get("diagnose", {}).get("causes", ())]
    if answers.cause_by_id and answers.cause is not None and causes and answers.cause not in causes:
        raise AnswersError(
            f"{answers.cause!r} is not one of the causes of {pb['id']!r}: {', '.join(causes)}",
            field="cause",
        )


def _question_ids(pb: dict[str, Any]) -> set[str]:
    return {str(q["id"]) for q in pb.get("questions", ())} | {str(n["id"]) for n in pb.get("needs", ())}


def _promise(
    env: Any, pb: dict[str, Any], resolve: dict[str, Any], context: dict[str, Any], values: dict[str, Any]
) -> str:
    """What the agent commits to, for the log: amounts with their currency ("Refund €149.00"),
    as the reply writes them, whether or not the promise's template says ``|money``."""
    if not resolve.get("promise"):
        return ""
    money = env.filters["money"]
    currency = str(values.get("currency") or "$")
    amounts = {
        q["id"]: money(values[q["id"]], currency)
        for q in pb.get("questions", [])
        if q.get("type") == "money" and isinstance(values.get(q["id"]), (int, float))
    }
    return _render.render_string(env, resolve["promise"], {**context, **amounts}, where=f"{pb['id']}: promise").strip()


def reply_language(analysis: dict[str, Any], registry: Registry) -> tuple[str, dict[str, Any] | None]:
    """The reply's language and its locale: the customer's (or ``--lang``'s) when a
    locale for it exists, else English (the checker then says the reply is in another
    language than the message)."""
    from replycoach.playbook import locales

    wanted = str(analysis.get("language") or locales.ENGLISH)
    if wanted == locales.ENGLISH or wanted not in locales.available(registry.dirs):
        return locales.ENGLISH, None
    return wanted, locales.load_locale(wanted, registry.dirs, registry.playbooks)


def locale_template_dirs(registry: Registry, lang: str) -> list[Any]:
    """The template folders for a reply in ``lang``: its locale's first, then the usual ones."""
    from replycoach.playbook import locales
    from replycoach.playbook.registry import template_dirs

    dirs = [d / lang / "templates" for d in locales.locale_dirs(registry.dirs) if (d / lang / "templates").is_dir()]
    return [*dirs, *template_dirs(registry.dirs)]


def _locale_env(registry: Registry, lang: str) -> Any:
    from replycoach.playbook import locales

    env = _render.environment(locale_template_dirs(registry, lang))
    env.filters["money"] = locales.money_filter(lang)
    return env


_CHECKER: list[Any] = []


def _checker() -> Any:
    # Imported on first use: ``analyse`` alone (``replycoach analyze``) never needs it.
    if not _CHECKER:
        from replycoach.checking import checker

        _CHECKER.append(checker)
    return _CHECKER[0]


def _type_context(ctype: str, info: dict[str, Any], override: dict[str, Any], body: str) -> dict[str, Any]:
    """The complainant type as the templates see it; a playbook's ``types:`` entry wins."""
    cues = info.get("pushback", [])
    return {
        "id": ctype,
        "label": info.get("label", ctype),
        "layout": override.get("layout") or info.get("layout", "heard"),
        "snippets": {**info.get("snippets", {}), **override.get("snippets", {})},
        # The customer already turned an offer down ("not good enough"): the method's
        # next move is to ask what would make it right, not to repeat the offer.
        "pushback": bool(cues) and _listen.says(cues, body),
    }


def _said_option(pb: dict[str, Any], step: str, body: str, ctype: str, types: dict[str, Any]) -> dict[str, Any] | None:
    """The first option of ``step`` whose ``said:`` phrases the customer's message uses,
    unless the complainant type has an option of its own here (a chronic customer's
    "the same fault again" outranks "it stopped working")."""
    options: list[dict[str, Any]] = pb["steps"][step]["options"]
    preferred = default_option_id(pb, step, ctype, types)
    if not next(o for o in options if o["id"] == preferred).get("default"):
        return None  # the type's own choice (or the first option, for a playbook with no default)
    for option in options:
        if option.get("said") and _listen.says(option["said"], body):
            return option
    return None


def _tidy(text: str) -> str:
    """Collapse blank-line runs left by empty blocks; one trailing newline."""
    lines = [ln.rstrip() for ln in text.strip().split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"
