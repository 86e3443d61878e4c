"""The interactive HEARD walk as plain logic: which stage comes next, what each step
offers, which questions apply, and the ``Answers`` the agent has built so far.

No terminal code lives here (``coach_screen`` draws, ``coach_tty`` reads); the walk only decides.
Everything it produces is an ``Answers`` object, and the final draft is made by the
same ``api.draft_text`` that ``replycoach draft --answers`` calls, from the same
answers mapping, so a saved walk replays byte for byte.
"""

from __future__ import annotations

import copy
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from replycoach.foundation.errors import ReplycoachError
from replycoach.message import Message, parse_message
from replycoach.playbook.answers import Answers, coerce, from_message
from replycoach.playbook.registry import STEPS, TYPES, Registry, load_registry

# The stages of a walk: the four reply steps, Diagnose (internal), then Finish.
STAGES = (*STEPS, "diagnose", "finish")
CUSTOM = "custom"  # the choice id for "write my own"


class Navigate(Exception):
    """Raised by a prompt when the agent asks to move instead of answering."""


class Back(Navigate):
    """Go to the previous stage."""


class Skip(Navigate):
    """Leave this stage out (a skipped reply step has no paragraph in the draft)."""


class Quit(Navigate):
    """Leave the walk; nothing is written."""


class Jump(Navigate):
    """Go to a named stage (from the Finish screen)."""

    def __init__(self, stage: str) -> None:
        super().__init__(stage)
        self.stage = stage


class Walk:
    """One message, one agent, one walk through HEARD."""

    def __init__(
        self,
        raw: bytes,
        *,
        answers: Answers | None = None,
        playbooks: list[str] | tuple[str, ...] | None = None,
        lang: str | None = None,
        now: str | None = None,
        db: Any = None,
    ) -> None:
        from replycoach.reply.deadline import parse_now

        self.raw = raw
        # The complaint log whose history feeds the reading (None: REPLYCOACH_DB or the
        # default file), the same one the finished walk is logged to.
        self.db = db
        self.message: Message = parse_message(raw)
        self.playbook_dirs = tuple(playbooks or ())
        self.registry: Registry = load_registry(self.playbook_dirs)
        self.answers = answers or Answers()
        if lang:
            self.answers.language = lang
        # The clock is fixed once, at the start, and saved with the answers: the
        # deadline in a replayed draft is the one the agent saw.
        clock = parse_now(now) or parse_now(self.answers.now) or datetime.now().astimezone().replace(microsecond=0)
        self.answers.now = clock.isoformat()
        from replycoach.foundation.config import setting

        for key in ("agent", "company"):
            # The environment's or the config file's, saved with the answers so that a
            # replay depends on neither.
            if not self.answers.settings.get(key) and (value := setting(key)):
                self.answers.settings[key] = value
        if not self.answers.language and (configured := setting("lang")):
            self.answers.language = configured  # as `draft` reads it: config lang forces the reply's
        self.analysis: dict[str, Any] = {}
        self.detected: dict[str, Any] = {}
        self.reanalyse()
        self.detected = {k: self.analysis[k] for k in ("scenario", "customer_type")}
        self.stage = 0

    # --- reading ----------------------------------------------------------------

    def reanalyse(self) -> None:
        from replycoach.reply.compose import analyse
        from replycoach.reply.deadline import parse_now

        self.analysis = analyse(
            self.message,
            self.registry,
            playbook=self.answers.playbook,
            customer_type=self.answers.customer_type,
            language=self.answers.language,
            db=self.db,
            now=parse_now(self.answers.now),  # the walk's clock, as `draft --answers` uses it
        )

    @property
    def playbook(self) -> dict[str, Any]:
        return self.registry.get(self.answers.playbook or self.analysis["scenario"]["id"])

    @property
    def ctype(self) -> str:
        return self.answers.customer_type or self.analysis["customer_type"]["id"]

    def type_label(self, tid: str | None = None) -> str:
        tid = tid or self.ctype
        return str(self.registry.types.get(tid, {}).get("label", tid))

    def playbook_choices(self) -> list[tuple[str, str]]:
        """(id, title) for every playbook, the detected ones first."""
        pbs = self.registry.playbooks
        ordered = sorted(pbs, key=lambda p: (not pbs[p]["detected"], p))
        return [(pid, pbs[pid]["title"]) for pid in ordered]

    def type_choices(self) -> list[tuple[str, str]]:
        return [(tid, str(self.registry.types.get(tid, {}).get("signs", ""))) for tid in TYPES]

    def set_playbook(self, pid: str) -> None:
        self.registry.get(pid)
        if pid != self.playbook["id"]:
            # Option ids and question answers belong to the old playbook.
            self.answers.steps.clear()
            self.answers.values.clear()
            self.answers.cause = self.answers.note = None
            self.answers.compensation_reason = None
        self.answers.playbook = pid
        self.reanalyse()

    def set_type(self, tid: str) -> None:
        if tid not in TYPES:
            raise ValueError(f"unknown customer type {tid!r}")
        self.answers.customer_type = tid
        self.reanalyse()

    # --- Hear ---------------------------------------------------------------------

    @property
    def restatement(self) -> str:
        if self.answers.restatement is not None:
            return self.answers.restatement
        return str(self.analysis.get("restatement", ""))

    def set_restatement(self, text: str) -> None:
        self.answers.restatement = " ".join(text.split()).rstrip(".")

    def set_other_issues(self, text: str) -> None:
        self.answers.other_issues = text.strip() or None

    def missing_needs(self) -> list[dict[str, Any]]:
        """The playbook's needs the message did not give (order number, account…)."""
        missing = set(self.analysis.get("missing", []))
        return [n for n in self.playbook.get("needs", []) if n["id"] in missing]

    def set_need(self, need_id: str, value: str) -> None:
        """A value the agent looked up; empty means 'ask the customer in the draft'."""
        if value.strip():
            self.answers.values[need_id] = value.strip()
        else:
            self.answers.values.pop(need_id, None)

    # --- the reply steps ---------------------------------------------------------------

    def tip(self, step: str) -> str:
        """The one-line coaching tip for ``step``, fitted to the customer type."""
        pb_type = self.playbook.get("types", {}).get(self.ctype, {})
        type_info = self.registry.types.get(self.ctype, {})
        for source in (pb_type.get("tips", {}), type_info.get("tips", {})):
            if source.get(step):
                return str(source[step])
        return str(pb_type.get("tip") or type_info.get("tip") or "")

    def why(self, step: str) -> str:
        """Why the step matters: the playbook's step tip, else the plain HEARD walk's."""
        spec = self.playbook["steps"].get(step, {})
        if spec.get("tip"):
            return str(spec["tip"])
        base = self.registry.playbooks.get("general", {}).get("steps", {}).get(step, {})
        return str(base.get("tip", ""))

    def options(self, step: str) -> list[dict[str, Any]]:
        return list(self.playbook["steps"][step]["options"])

    def recommended(self, step: str) -> str:
        from replycoach.reply.compose import default_option_id

        return default_option_id(self.playbook, step, self.ctype, self.registry.types)

    def choice(self, step: str) -> str | None:
        """The current choice: an option id, ``custom``, or None when skipped."""
        if step in self.answers.skip:
            return None
        if step in self.answers.custom:
            return CUSTOM
        chosen = self.answers.steps.get(step)
        if chosen in {o["id"] for o in self.options(step)}:
            return chosen
        return self.recommended(step)

    def choose(self, step: str, option_id: str) -> None:
        if option_id not in {o["id"] for o in self.options(step)}:
            raise ValueError(f"no option {option_id!r} for {step}")
        self.answers.steps[step] = option_id
        self.answers.custom.pop(step, None)
        self._unskip(step)

    def write_own(self, step: str, text: str) -> None:
        self.answers.custom[step] = text.strip()
        self.answers.steps.pop(step, None)
        self._unskip(step)

    def skip(self, stage: str) -> None:
        if stage in STEPS and stage not in self.answers.skip:
            self.answers.skip.append(stage)
        elif stage == "diagnose":
            self.answers.cause = self.answers.note = None

    def _unskip(self, step: str) -> None:
        if step in self.answers.skip:
            self.answers.skip.remove(step)

    def cannot_hint(self) -> dict[str, Any] | None:
        """The "I can't do X; what I can do is Y" option, when the customer asked for something."""
        if not self.analysis["wants"]["stated"]:
            return None
        return next((o for o in self.options("resolve") if o.get("cannot")), None)

    def cannot_template(self) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
        """For a playbook without a ``cannot: true`` option: the plain HEARD walk's one
        and its questions, so "I can't do X; what I can do is Y" is always on offer."""
        if any(o.get("cannot") for o in self.options("resolve")):
            return None
        base = self.registry.playbooks.get("general")
        if not base:
            return None
        option = next((o for o in base["steps"]["resolve"]["options"] if o.get("cannot")), None)
        if option is None:
            return None
        questions = {q["id"]: q for q in base.get("questions", [])}
        return option, [questions[q] for q in option.get("asks", []) if q in questions]

    def write_cannot(self, values: dict[str, str]) -> str:
        """Render the borrowed "I can't …" option with the agent's answers and keep it as
        the agent's own Resolve text (so a saved walk replays it word for word)."""
        from replycoach.foundation.templating import environment, render_string
        from replycoach.playbook.registry import template_dirs
        from replycoach.reply.compose import build
        from replycoach.reply.deadline import human, parse_now

        found = self.cannot_template()
        if found is None:
            raise ValueError("this playbook has its own 'I can't' option")
        option, _ = found
        probe = copy.deepcopy(self.answers)
        probe.custom["resolve"] = "-"  # the deadline for the agent's own words: the playbook's
        probe.steps.pop("resolve", None)
        due = build(self.message, self.registry, self.analysis, probe, placeholders=True)["deadline"]
        spec = self.playbook.get("deadline") or {}
        due_text = spec.get("text") or human(datetime.fromisoformat(due), parse_now(self.answers.now))
        env = environment(template_dirs(self.registry.dirs))
        text = render_string(
            env, option["text"], {**values, "deadline": {"text": due_text, "iso": due}}, where="general: cannot"
        )
        text = " ".join(text.split())
        self.write_own("resolve", text)
        return text

    # --- Resolve questions -----------------------------------------------------------

    def _chosen_options(self) -> dict[str, dict[str, Any] | None]:
        out: dict[str, dict[str, Any] | None] = {}
        for step in STEPS:
            choice = self.choice(step)
            if choice is None:
                out[step] = None
            elif choice == CUSTOM:
                out[step] = {"id": CUSTOM}
            else:
                out[step] = next(o for o in self.options(step) if o["id"] == choice)
        return out

    def questions(self) -> list[dict[str, Any]]:
        """The playbook questions the current choices need, in playbook order."""
        from replycoach.foundation.templating import environment
        from replycoach.playbook.registry import template_dirs
        from replycoach.reply.compose import needed_questions

        env = environment(template_dirs(self.registry.dirs))
        chosen = self._chosen_options()
        used = " ".join(str(o.get(k, "")) for o in chosen.values() if o for k in ("text", "promise"))
        asked = {q for o in chosen.values() if o for q in o.get("asks", [])}
        return [
            q
            for q in needed_questions(self.playbook, chosen, self.answers.values, env)
            # A free-standing question with a default (the currency) only matters when
            # a chosen text uses it; asking it anyway costs the agent a keystroke.
            if "default" not in q or q["id"] in asked or re.search(rf"\b{q['id']}\b", used)
        ]

    def resolve_questions(self, asked: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
        """The questions Resolve still has to ask. A need (order number, amount…) was
        settled at Hear, by a value or "ask for it in the reply", unless the chosen text
        cannot go without it: a required answer with nothing to fill it is asked here."""
        need_ids = {n["id"] for n in self.playbook.get("needs", [])}
        return [
            q
            for q in self.questions()
            if q["id"] not in asked
            and (q["id"] not in need_ids or (q.get("required", True) and self.default_for(q) is None))
        ]

    def default_for(self, question: dict[str, Any]) -> Any:
        """What Enter means: the agent's earlier answer, the message's entity, the default."""
        qid = question["id"]
        if qid in self.answers.values:
            return self.answers.values[qid]
        need = next((n for n in self.playbook.get("needs", []) if n["id"] == qid), None)
        found = from_message(question, need, self.analysis["entities"])
        if found is not None:
            return found[0]
        if "default" in question:
            return question["default"]
        if question.get("type") == "money" and self.analysis["entities"].get("amounts"):
            # The amount the customer paid is the likeliest refund; Enter takes it.
            return self.analysis["entities"]["amounts"][0]
        return None

    def answer(self, question: dict[str, Any], raw: Any) -> Any:
        """Validate and keep one answer; ``ValueError`` carries the reason to show."""
        value = coerce(question, raw)
        self.answers.values[question["id"]] = value
        return value

    def clear_answer(self, question: dict[str, Any]) -> None:
        self.answers.values.pop(question["id"], None)

    def over_cap(self, question: dict[str, Any], value: Any) -> dict[str, Any] | None:
        """The chosen option's compensation rule when ``value`` goes over its cap."""
        for option in self._chosen_options().values():
            comp = (option or {}).get("compensation")
            if comp and comp["question"] == question["id"] and isinstance(value, (int, float)) and value > comp["cap"]:
                return {**comp, "label": option["label"]}  # type: ignore[index]
        return None

    def set_compensation_reason(self, reason: str) -> None:
        self.answers.compensation_reason = reason.strip() or None

    # --- Diagnose -------------------------------------------------------------------

    def causes(self) -> list[dict[str, Any]]:
        return list(self.playbook["steps"]["diagnose"]["causes"])

    def set_diagnose(self, cause: str, note: str) -> None:
        self.answers.cause = cause.strip() or None
        self.answers.note = note.strip() or None

    def prevention_for(self, cause: str | None) -> str:
        found = next((c for c in self.causes() if c["id"] == cause), None)
        return str((found or {}).get("prevention", ""))

    # --- drafts -----------------------------------------------------------------------

    def preview(self, upto: str | None = None) -> str:
        """The draft so far: steps after ``upto`` are left out, gaps show as [[markers]]."""
        from replycoach.reply.compose import build

        answers = copy.deepcopy(self.answers)
        if upto in STEPS:
            for later in STEPS[STEPS.index(upto) + 1 :]:
                if later not in answers.skip:
                    answers.skip.append(later)
        try:
            return str(build(self.message, self.registry, self.analysis, answers, placeholders=True)["draft"])
        except ReplycoachError as exc:
            return f"(no preview: {exc})"

    def option_texts(self, step: str) -> dict[str, str]:
        """What each option of ``step`` adds to the reply, rendered as the draft would
        have it (answers not given yet show as [[markers]])."""
        from replycoach.reply.compose import build

        out = {}
        for option in self.options(step):
            answers = copy.deepcopy(self.answers)
            answers.steps[step] = option["id"]
            answers.custom.pop(step, None)
            if step in answers.skip:
                answers.skip.remove(step)
            questions = {q["id"]: q for q in self.playbook.get("questions", [])}
            for qid in option.get("asks", []):
                # What Enter would give (the amount they paid…) rather than a [[marker]].
                default = self.default_for(questions[qid]) if qid in questions else None
                if qid not in answers.values and default is not None:
                    try:
                        answers.values[qid] = coerce(questions[qid], default)
                    except ValueError:
                        pass
            # Each option's own words: the stake's line (reply/compose.py), which Enter's
            # recommended option gives in the draft, is not the option's.
            plain = {**self.analysis, "stake": None}
            try:
                result = build(self.message, self.registry, plain, answers, placeholders=True)
            except ReplycoachError:
                continue
            out[option["id"]] = " ".join(str(result["steps"][step]).split())
        return out

    def language_line(self) -> str:
        """The customer's language and the reply's: "fi (Suomi): the reply is in Suomi"."""
        from replycoach.reply.compose import reply_language

        found = str(self.analysis.get("language") or "en")
        lang, locale = reply_language(self.analysis, self.registry)
        name = str(locale["meta"]["name"]) if locale else "English"
        if lang == found:
            return f"{found} ({name}): the reply is in {name}"
        return f"{found}: no locale for it, so the reply is in English (the checker will say so)"

    def day_words(self, iso_day: str) -> str:
        """A date as drafts write it: "Sunday, 22 November"."""
        from datetime import date

        from replycoach.reply.deadline import day_words, parse_now

        clock = parse_now(self.answers.now)
        return day_words(date.fromisoformat(iso_day), clock.date() if clock else None)

    def deadline_words(self, iso: str) -> str:
        """A deadline as drafts write it: "Monday, 23 November, 5 pm"."""
        from replycoach.reply.deadline import human, parse_now

        if not iso:
            return "none"
        return human(datetime.fromisoformat(iso), parse_now(self.answers.now))

    def needs_agent(self) -> bool:
        return not str(self.answers.settings.get("agent") or "").strip()

    def set_agent(self, name: str) -> None:
        self.answers.settings["agent"] = name.strip()

    def result(self) -> dict[str, Any]:
        """The final draft, made exactly as ``replycoach draft --answers`` makes it."""
        from replycoach.api import draft_text

        result = draft_text(
            self.raw,
            answers=self.saved_answers(),
            playbooks=self.playbook_dirs,
            db=self.db,
        )
        if self.edited_draft is not None:
            result["edited"] = True
        return result

    @property
    def edited_draft(self) -> str | None:
        """The reply as edited by hand in $EDITOR; part of the answers, so saved and replayed."""
        return self.answers.edited_draft

    @edited_draft.setter
    def edited_draft(self, text: str | None) -> None:
        self.answers.edited_draft = text

    def saved_answers(self) -> dict[str, Any]:
        """Every choice, in the answers-file shape; playbook and type are pinned so a
        replay does not depend on detection."""
        data = self.answers.to_dict()
        data["playbook"] = self.playbook["id"]
        data["customer_type"] = self.ctype
        if self.answers.restatement is None and self.analysis.get("restatement"):
            data["restatement"] = self.analysis["restatement"]
        return data

    def answers_yaml(self) -> str:
        import yaml

        class NoAliases(yaml.SafeDumper):
            # A value used twice would be written as &id001/*id001, which the reader refuses.
            def ignore_aliases(self, data: object) -> bool:
                return True

        return yaml.dump(self.saved_answers(), Dumper=NoAliases, sort_keys=False, allow_unicode=True, width=100)

    def skipped(self) -> list[str]:
        return [s for s in STEPS if s in self.answers.skip]

    # --- moving around -----------------------------------------------------------

    @property
    def current(self) -> str:
        return STAGES[self.stage]

    def advance(self) -> None:
        self.stage = min(self.stage + 1, len(STAGES) - 1)

    def back(self) -> None:
        self.stage = max(self.stage - 1, 0)

    def jump(self, stage: str) -> None:
        self.stage = STAGES.index(stage)


@contextmanager
def atomic_path(path: str) -> Iterator[Path]:
    """A temporary path beside ``path`` that replaces it only when the block succeeds,
    so Ctrl-C or an error never leaves a half-written file."""
    import tempfile

    from replycoach.foundation.errors import UsageError

    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        os.close(fd)
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror}", file=path) from None
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror}", file=path) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def write_atomically(path: str, data: bytes) -> None:
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)
