"""The screens of ``replycoach coach``, stage by stage: Hear, Empathize, Apologize,
Resolve (with its questions), Diagnose and Finish, and the driver that moves between
them as the agent answers, goes back, skips or jumps.

All decisions are made by ``walk.Walk``; this module only shows and asks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from replycoach.playbook.registry import STEPS
from replycoach.terminal.coach_tty import Terminal, clipboard_command, edit_text, safe
from replycoach.terminal.coach_walk import STAGES, Back, Jump, Skip, Walk
from replycoach.terminal.coach_widgets import (
    STYLE_ANGER,
    STYLE_COMPLAINT,
    STYLE_ENTITY,
    STYLE_WANTS,
    TITLES,
    Screen,
    marked_message,
    row,
)

RISKS = {
    "legal-threat": "legal threat",
    "chargeback": "chargeback",
    "public-review": "public review",
    "cancellation-threat": "threat to leave",
}
MODES = {"question": "a question", "request": "a request", "praise": "praise", "other": "no complaint"}


def _quoted(items: list[str]) -> Text:
    out = Text()
    for item in items:
        out.append_text(safe(f" '{item}'", "dim"))
    return out


class CoachUI(Screen):
    """The whole walk on a ``Terminal``; ``log``: the finished walk is logged."""

    def __init__(self, walk: Walk, term: Terminal, *, log: bool = True) -> None:
        super().__init__(walk, term)
        self.log = log

    def log_note(self) -> str:
        # `draft` logs only with --log; the coach's Diagnose step is its record, so it logs
        # unless told not to. Said on the screen, so nobody logs a complaint unawares.
        if self.log:
            return "When you finish, the complaint is logged (replycoach report, followups); --no-log turns that off."
        return "--no-log: this complaint is not logged."

    # --- the driver -----------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        stages: dict[str, Callable[[], dict[str, Any] | None]] = {
            "hear": self.hear,
            "empathize": lambda: self.reply_step("empathize"),
            "apologize": lambda: self.reply_step("apologize"),
            "resolve": self.resolve,
            "diagnose": self.diagnose,
            "finish": self.finish,
        }
        walk = self.walk
        while True:
            stage = walk.current
            try:
                result = stages[stage]()
            except Back:
                walk.back()
                continue
            except Skip:
                if stage == "finish":
                    self.term.note("Nothing to skip here: write the draft, or go back to a step.")
                    continue
                walk.skip(stage)
                self.term.note(f"Skipped {TITLES[stage]}.", style="yellow")
                walk.advance()
                continue
            except Jump as jump:
                walk.jump(jump.stage)
                continue
            if stage == "finish" and result is not None:
                return result
            walk.advance()

    # --- Hear -----------------------------------------------------------------------

    def reading_rows(self) -> list[Text]:
        """What the reading found, one row per line (shown under the message)."""
        walk, a = self.walk, self.walk.analysis
        out: list[Text] = []
        pb = walk.playbook
        scenario = a["scenario"]
        scen = safe(f"{pb['id']} ({pb['title']})")
        if scenario.get("forced"):
            scen.append(" chosen by you", style="dim")
        else:
            scen.append(f" {scenario['confidence']:.2f}", style="dim")
        out.append(row("Scenario", scen, None if scenario.get("forced") else scenario["evidence"]))
        ctype = a["customer_type"]
        forced = walk.answers.customer_type is not None
        out.append(
            row(
                "Type",
                Text(walk.type_label()) + Text(" chosen by you" if forced else "", style="dim"),
                None if forced else ctype["evidence"],
            )
        )
        anger = a["anger"]
        out.append(row("Anger", f"{anger['level']} {anger['score']:.2f}", anger["evidence"]))
        ents = [(k, v) for k, vs in a["entities"].items() for v in vs]
        found = Text()
        for i, (kind, value) in enumerate(ents):
            if i:
                found.append(" · ", style="dim")
            found.append(kind.rstrip("s").replace("_", " ") + " ", style="dim")
            found.append_text(safe(value, STYLE_ENTITY))
        out.append(row("Found", found if ents else Text("nothing specific", style="dim")))
        wants = a["wants"]
        if wants["stated"]:
            out.append(row("Wants", safe(wants["text"], STYLE_WANTS)))
        else:
            out.append(row("Wants", Text("not stated: the draft will ask what would make it right", style="yellow")))
        missing = walk.missing_needs()
        if missing:
            out.append(row("Missing", Text(", ".join(n["label"] for n in missing), style="yellow")))
        return out + self.listening_rows()

    def listening_rows(self) -> list[Text]:
        """What the listening model heard: risks, language, asks, questions, their deadline."""
        a = self.walk.analysis
        out: list[Text] = []
        risks = a.get("risks") or []
        if risks:
            found = Text()
            for i, risk in enumerate(risks):
                if i:
                    found.append(" · ", style="dim")
                found.append(RISKS.get(risk["id"], risk["id"].replace("-", " ")), style="bold red")
                found.append_text(_quoted(list(dict.fromkeys(risk.get("evidence") or []))))
            out.append(row("Risks", found))
        out.append(row("Language", self.walk.language_line()))
        if a.get("mode") and a["mode"] != "complaint":
            out.append(row("Reads as", MODES.get(a["mode"], a["mode"]), a.get("mode_evidence") or None))
        asks = a.get("asks") or []
        if asks:
            found = Text()
            for i, ask in enumerate(asks):
                if i:
                    found.append(" · ", style="dim")
                found.append(ask["id"].replace("_", " "), style="bold")
                found.append_text(_quoted([ask["text"]]))
            out.append(row("Asks", found))
        for i, question in enumerate(a.get("questions") or []):
            out.append(row("Questions" if not i else "", safe(question, STYLE_WANTS)))
        due = a.get("customer_deadline")
        if due:
            out.append(
                row("Wanted by", Text.assemble(safe(due["text"], "bold"), f" ({self.walk.day_words(due['date'])})"))
            )
        repeat = a.get("repeat_contact")
        if repeat:
            times = f"contact {repeat['count']}" if repeat.get("count") else "not the first contact"
            out.append(row("Repeat", Text.assemble(times, _quoted([repeat["text"]]))))
        return out

    def show_reading(self) -> None:
        for line in self.reading_rows():
            self.term.print(line)

    def show_message(self) -> None:
        """The marked message; on a full screen cut to what fits under the heading with the
        reading below it (``m`` shows all of it)."""
        walk, term = self.walk, self.term
        msg = walk.message
        title = Text("Customer's message")
        who = msg.from_name or msg.from_email
        if who:
            title.append(" from ")
            title.append_text(safe(who))
        body = marked_message(walk)
        if term.full_screen:
            below = sum(term.height_of(r) for r in self.reading_rows()) + 2 + 1  # the key line, the prompt
            room = max(term.height - term.used - below - 2, 4)  # 2: the panel's borders
            lines = body.wrap(term.console, term.console.width - 4)
            if len(lines) > room:
                body = Text("\n").join(lines[: room - 1])
                body.append(f"\n… {len(lines) - room + 1} more lines: m shows the whole message", style="dim")
        term.print(Panel(body, title=title, title_align="left", border_style="cyan"))

    def hear(self) -> None:
        walk, term = self.walk, self.term
        self.header("hear")
        self.show_message()
        term.print(
            Text.assemble(
                ("Marked: ", "dim"),
                ("complaint", STYLE_COMPLAINT),
                "  ",
                ("anger words", STYLE_ANGER),
                "  ",
                ("order numbers, amounts, dates", STYLE_ENTITY),
                "  ",
                ("what they want", STYLE_WANTS),
            )
        )
        self.show_reading()
        while True:
            key = term.line("Enter keeps this reading · p change scenario · t change type · m message").strip().lower()
            if not key:
                break
            if key == "m":
                term.print(Panel(marked_message(walk), border_style="cyan"))
                continue
            if key == "p":
                items = [(str(i), title, pid) for i, (pid, title) in enumerate(walk.playbook_choices(), 1)]
                current = next((k for k, _, pid in items if pid == walk.playbook["id"]), None)
                picked = self.menu(items, current, "Scenario")
                walk.set_playbook(items[int(picked) - 1][2])
            elif key == "t":
                choices = walk.type_choices()
                items = [(str(i), walk.type_label(tid), signs) for i, (tid, signs) in enumerate(choices, 1)]
                current = next((str(i) for i, (tid, _) in enumerate(choices, 1) if tid == walk.ctype), None)
                picked = self.menu(items, current, "Customer type")
                walk.set_type(choices[int(picked) - 1][0])
            else:
                term.problem("press Enter, p, t or m")
                continue
            self.show_reading()

        # The restatement: in the customer's terms, so they know all of it was read.
        while True:
            proposed = walk.restatement
            term.print(Text.assemble(("Restatement: ", "bold"), safe(proposed or "(none proposed)", "italic")))
            key = term.line("Enter accepts · e edit · r rewrite").strip().lower()
            if not key:
                break
            if key == "e":
                edited = edit_text(term, proposed)
                if edited is None:
                    term.note("No $VISUAL or $EDITOR set: type it instead.")
                    edited = term.line("Restatement", proposed)
                walk.set_restatement(edited or proposed)
            elif key == "r":
                walk.set_restatement(
                    term.line("Restatement (from 'If I have understood you correctly, …')") or proposed
                )
            else:
                term.problem("press Enter, e or r")

        # "What else?" (seed 002): the message may only hint at another problem.
        term.print(
            Text(
                "What else? Is anything else wrong that the message only hints at? "
                "Type a sentence for the reply, or Enter for nothing.",
                style="bold",
            )
        )
        other = term.line("What else", walk.answers.other_issues)
        if other.strip():
            walk.set_other_issues(other)

        # Missing information: the agent looks it up, or the draft asks politely.
        for need in walk.missing_needs():
            value = term.line(
                f"No {need['label'].removeprefix('the ')} in the message: type it, or Enter to ask for it in the reply",
                walk.answers.values.get(need["id"]),
            )
            walk.set_need(need["id"], value)

        self.choose_option("hear")

    def reply_step(self, step: str) -> None:
        self.choose_option(step)

    # --- Resolve ---------------------------------------------------------------------

    def resolve(self) -> None:
        walk = self.walk
        self.choose_option("resolve")
        asked: set[str] = set()
        while True:
            # Recomputed after each answer: a `when:` may depend on an earlier one.
            pending = walk.resolve_questions(asked)
            if not pending:
                break
            question = pending[0]
            asked.add(question["id"])
            self.ask_question(question)

    def ask_question(self, q: dict[str, Any]) -> None:
        walk, term = self.walk, self.term
        kind = q.get("type", "text")
        hints = {
            "money": "an amount",
            "number": "a number",
            "int": "a whole number",
            "date": "YYYY-MM-DD",
            "bool": "y/n",
            "email": "an email address",
        }
        if q.get("help"):
            term.note(q["help"])
        choices = [c["value"] if isinstance(c, dict) else c for c in q.get("choices", [])]
        if choices:
            labels = [c["label"] if isinstance(c, dict) else str(c) for c in q.get("choices", [])]
            term.print(Text("   " + "   ".join(f"{i}) {label}" for i, label in enumerate(labels, 1)), style="dim"))
        prompt = q["prompt"].rstrip()
        if kind in hints:
            prompt += f" ({hints[kind]})"
        while True:
            default = walk.default_for(q)
            raw: Any = term.line(prompt, default)
            if not raw.strip():
                raw = default
                if raw is None:
                    if not q.get("required", True):
                        walk.clear_answer(q)
                        return
                    term.problem("an answer is required")
                    continue
            elif (
                choices
                and raw.strip().isdigit()
                and 1 <= int(raw) <= len(choices)
                and raw.strip() not in map(str, choices)
            ):
                raw = choices[int(raw) - 1]
            try:
                value = walk.answer(q, raw)
            except ValueError as exc:
                term.problem(str(exc))
                continue
            comp = walk.over_cap(q, value)
            if comp is None:
                return
            term.print(
                Text(
                    f"⚠ {value:,.2f} is above the policy cap of {comp['cap']:,.2f} for '{comp['label']}'. "
                    "Going over it needs a reason on record.",
                    style="bold yellow",
                )
            )
            if term.line("Go over the cap? (y/N)").strip().lower() not in ("y", "yes"):
                walk.clear_answer(q)
                continue
            while True:
                reason = term.line("Why? (kept on record, not in the reply)", walk.answers.compensation_reason)
                if reason.strip() or walk.answers.compensation_reason:
                    walk.set_compensation_reason(reason or walk.answers.compensation_reason or "")
                    return
                term.problem("a reason is required to go over the cap")

    # --- Diagnose -------------------------------------------------------------------

    def diagnose(self) -> None:
        walk, term = self.walk, self.term
        self.header("diagnose")
        term.print(Text("Internal only: this never goes into the reply.", style="yellow"))
        term.note(self.log_note())
        causes = walk.causes()
        items = [(str(i), c["label"], "") for i, c in enumerate(causes, 1)]
        prevention = {str(i): f"Prevention: {c['prevention']}" for i, c in enumerate(causes, 1) if c.get("prevention")}
        items.append(("w", "Write my own", ""))
        ids = [c["id"] for c in causes]
        current = walk.answers.cause
        if current in ids:
            default = str(ids.index(current) + 1)
        elif current:
            default = "w"
        else:
            default = str(ids.index("unknown") + 1) if "unknown" in ids else "1"
        picked = self.menu(items, default, "Root cause", details=prevention)
        if picked == "w":
            cause = ""
            while not cause.strip():
                cause = term.line("Root cause, in your words", current if current not in ids else None) or (
                    current if current and current not in ids else ""
                )
        else:
            cause = ids[int(picked) - 1]
        note_default = walk.answers.note if walk.answers.cause == cause else None
        note = term.line("Prevention note", note_default or walk.prevention_for(cause) or None)
        walk.set_diagnose(cause, note or note_default or walk.prevention_for(cause))

    # --- Finish ----------------------------------------------------------------------

    def finish(self) -> dict[str, Any] | None:
        walk, term = self.walk, self.term
        self.header("finish")
        while walk.needs_agent():
            name = term.line("Sign the reply as (your name; REPLYCOACH_AGENT sets it for next time)")
            if name.strip():
                walk.set_agent(name)
        while True:
            result = walk.result()
            self.draft_panel(result["draft"], "Draft reply" + (" (edited by hand)" if result.get("edited") else ""))
            self.show_findings(result["findings"])
            self.show_summary(result)
            term.note(self.log_note())
            clip = clipboard_command()
            keys = "Enter writes it" + (" and logs it" if self.log else "") + " · e edit in $EDITOR · c re-check"
            keys += " · 1-5 go to a step"
            if clip:
                keys += " · y copy to clipboard"
            key = term.line(keys).strip().lower()
            if not key or key == "w":
                return result
            if key in {"1", "2", "3", "4", "5"}:
                walk.edited_draft = None  # the steps rebuild the draft; hand edits would be lost silently
                raise Jump(STAGES[int(key) - 1])
            if key == "e":
                edited = edit_text(term, result["draft"])
                if edited is None:
                    term.problem("no $VISUAL or $EDITOR set")
                elif edited != result["draft"]:
                    walk.edited_draft = edited if edited.endswith("\n") else edited + "\n"
                    term.note("Edited. Checking again…")
            elif key == "c":
                term.note("Checking again…")
            elif key == "y" and clip:
                import subprocess

                try:
                    subprocess.run(clip, input=result["draft"].encode(), check=True, timeout=5)
                    term.note("Copied to the clipboard.", style="green")
                except (OSError, subprocess.SubprocessError) as exc:
                    term.problem(f"could not copy: {exc}")
            else:
                term.problem("press Enter, e, c, a step number" + (" or y" if clip else ""))

    def show_findings(self, findings: list[dict[str, Any]]) -> None:
        if not findings:
            self.term.print(Text("✓ The checker found nothing to fix.", style="green"))
            return
        self.term.print(Text(f"The checker found {len(findings)} thing(s) to look at:", style="bold yellow"))
        for f in findings:
            row = Text(f"  line {f['line']}:{f['column']} {f['severity']} ", style="bold")
            row.append_text(safe(f"{f['message']}"))
            if f.get("suggestion"):
                row.append_text(safe(f" (try: {f['suggestion']})", "dim"))
            self.term.print(row)

    def show_summary(self, result: dict[str, Any]) -> None:
        walk = self.walk
        choices = result.get("choices", {})
        parts = Text()
        for i, step in enumerate(STEPS):
            if i:
                parts.append(" · ")
            parts.append(f"{step} ", style="dim")
            chosen = choices.get(step)
            parts.append(chosen or "SKIPPED", style="" if chosen else "bold yellow")
        self.term.print(row("Playbook", f"{result['playbook']} · {walk.type_label(result['customer_type']['id'])}"))
        self.term.print(row("Steps", parts))
        skipped = walk.skipped()
        if skipped:
            self.term.print(
                row("Skipped", Text(f"{', '.join(skipped)}: the reply has no paragraph for it", style="yellow"))
            )
        self.term.print(row("Deadline", walk.deadline_words(result["deadline"])))
        diag = result["steps"]["diagnose"]
        self.term.print(row("Diagnose", safe(f"{diag['cause'] or '-'}: {diag['note'] or '-'} (internal)")))


def coach(raw: bytes, term: Terminal, walk_options: dict[str, Any], *, log: bool = True) -> tuple[dict[str, Any], Walk]:
    """Run the whole walk; the final result and the walk (for --save-answers)."""
    walk = Walk(raw, **walk_options)
    result = CoachUI(walk, term, log=log).run()
    term.print(Rule(style="magenta"))
    term.out.flush()
    return result, walk
