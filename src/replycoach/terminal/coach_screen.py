"""The terminal side of ``replycoach coach``: draws each HEARD step with rich and
reads the agent's keys from the terminal (``/dev/tty``), so the customer's message
can still come through a pipe, as with ``fzf`` or ``git add -p``.

All decisions are made by ``walk.Walk``; this module only shows and asks. Customer
text is always drawn as ``rich.text.Text`` after ``output.terminal_safe`` (the console
has markup off): it is never read as markup or as terminal escapes.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from typing import IO, Any

from rich.console import Console
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from replycoach.foundation.errors import NoTerminalError
from replycoach.reply.formats import terminal_safe
from replycoach.terminal.coach_walk import CUSTOM, STAGES, STEPS, Back, Jump, Quit, Skip, Walk

NAV = "b back · s skip · q quit"
STYLE_COMPLAINT = "underline"
STYLE_ANGER = "bold reverse red"
STYLE_ENTITY = "bold cyan"
STYLE_WANTS = "italic green"
TITLES = {
    "hear": "Hear",
    "empathize": "Empathize",
    "apologize": "Apologize",
    "resolve": "Resolve",
    "diagnose": "Diagnose",
    "finish": "Finish",
}


def safe(text: Any, style: str = "") -> Text:
    """Customer-derived text, inert: control characters made visible, no markup."""
    return Text(terminal_safe(str(text)), style=style)


class Terminal:
    """The agent's terminal: rich output and line input, both on the tty."""

    def __init__(self, inp: IO[str], out: IO[str]) -> None:
        self.inp = inp
        self.out = out
        try:
            width = os.get_terminal_size(out.fileno()).columns
        except (OSError, ValueError):
            width = 80
        self.console = Console(
            file=out,
            width=max(40, min(width, 120)),
            markup=False,
            emoji=False,
            highlight=False,
            soft_wrap=False,
        )

    def print(self, *items: Any, **kwargs: Any) -> None:
        self.console.print(*items, **kwargs)

    def line(self, prompt: str | Text, default: Any = None, *, nav: bool = True) -> str:
        """One line from the agent; ``b``/``s``/``q`` move instead of answering."""
        text = prompt.copy() if isinstance(prompt, Text) else Text(prompt, style="bold")
        if default not in (None, ""):
            text.append(" [", style="dim")
            text.append_text(safe(default, "dim"))
            text.append("]", style="dim")
        text.append(": ")
        self.console.print(text, end="")
        self.out.flush()
        raw = self.inp.readline()
        if raw == "":  # Ctrl-D at a prompt: leave, as with q
            self.console.print()
            raise Quit
        answer = raw.rstrip("\r\n")
        if nav:
            _navigate(answer)
        return answer

    @property
    def keys_live(self) -> bool:
        """Arrow keys need key-at-a-time input and cursor moves: a real, non-dumb terminal."""
        return self.console.is_terminal and not self.console.is_dumb_terminal and os.name == "posix"

    def pick(self, prompt: Text, default: str | None, items: list[tuple[str, str]]) -> str:
        """Like ``line``, but ↑/↓ walk through ``items`` (key, label), showing the label."""
        if not self.keys_live:
            return self.line(prompt, default)
        import codecs
        import select
        import termios
        import tty

        from rich.cells import cell_len

        text = prompt.copy()
        if default not in (None, ""):
            text.append(f" [{default}]", style="dim")
        text.append(": ")
        self.console.print(text, end="")
        room = self.console.width - cell_len(text.plain) % self.console.width - 1
        labels = dict(items)
        keys = [k for k, _ in items]
        index = keys.index(default) if default in keys else -1
        buffer = ""
        fd = self.inp.fileno()
        saved = termios.tcgetattr(fd)
        decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")

        def redraw() -> None:
            shown = Text(terminal_safe(buffer))
            if buffer in labels:
                shown.append_text(safe(f"  {labels[buffer]}", "dim"))
            shown.truncate(max(room, 1))
            self.out.write("\x1b8\x1b[K")  # back to just after the prompt, clear the rest
            self.console.print(shown, end="", no_wrap=True, overflow="crop")
            self.out.flush()

        self.out.write("\x1b7")  # remember where the answer starts
        self.out.flush()
        try:
            tty.setcbreak(fd, termios.TCSANOW)  # keeps ISIG (Ctrl-C interrupts); TCSANOW keeps typed-ahead keys
            while True:
                byte = os.read(fd, 1)
                if not byte or (byte == b"\x04" and not buffer):
                    self.out.write("\n")
                    raise Quit
                if byte in (b"\r", b"\n"):
                    break
                if byte == b"\x1b":
                    seq = b""
                    while select.select([fd], [], [], 0.05)[0] and len(seq) < 8:
                        seq += os.read(fd, 1)
                        if seq[-1:].isalpha() or seq[-1:] == b"~":
                            break
                    if seq in (b"[A", b"OA", b"[B", b"OB") and keys:
                        step = -1 if seq[-1:] == b"A" else 1
                        index = (index + step) % len(keys) if index >= 0 else (0 if step > 0 else len(keys) - 1)
                        buffer = keys[index]
                elif byte in (b"\x7f", b"\x08"):
                    buffer = buffer[:-1]
                elif byte == b"\x15":  # Ctrl-U
                    buffer = ""
                elif byte >= b" ":
                    buffer += decoder.decode(byte)
                redraw()
        finally:
            termios.tcsetattr(fd, termios.TCSADRAIN, saved)
        self.out.write("\n")
        self.out.flush()
        _navigate(buffer)
        return buffer

    def note(self, text: str, style: str = "dim") -> None:
        self.console.print(Text(text, style=style))

    def problem(self, text: str) -> None:
        self.console.print(Text.assemble(("✗ ", "bold red"), safe(text)))


def open_terminal() -> Terminal:
    """The controlling terminal, or ``NoTerminalError`` at once (never wait for input)."""
    message = (
        "coach needs a terminal to ask its questions; "
        "for pipes and scripts use `replycoach draft` (with --set/--answers)"
    )
    try:
        inp = open("/dev/tty", encoding="utf-8", errors="replace")  # noqa: SIM115 (lives for the walk)
        out = open("/dev/tty", "w", encoding="utf-8", errors="replace")  # noqa: SIM115
    except OSError:
        raise NoTerminalError(message) from None
    if not inp.isatty():
        raise NoTerminalError(message)
    return Terminal(inp, out)


def read_message(path: str | None, term: Terminal) -> bytes:
    """The message from FILE, a pipe, or pasted at the terminal."""
    from replycoach.message import read_input

    if (path is None or path == "-") and sys.stdin is not None and sys.stdin.isatty():
        term.print(Text("Paste the customer's message, then Ctrl-D on an empty line:", style="bold"))
        term.out.flush()
        return sys.stdin.buffer.read()
    return read_input(path)


# --- drawing ------------------------------------------------------------------------


def _spans(body: str, needle: str) -> list[tuple[int, int]]:
    if not needle.strip():
        return []
    return [(m.start(), m.end()) for m in re.finditer(re.escape(needle), body, re.IGNORECASE)]


def marked_message(walk: Walk) -> Text:
    """The cleaned message with the analysis marked on it."""
    body = terminal_safe(walk.message.body)
    text = Text(body)
    analysis = walk.analysis
    for sentence in analysis.get("complaint_sentences", []):
        for start, end in _spans(body, terminal_safe(sentence)):
            text.stylize(STYLE_COMPLAINT, start, end)
    wants = analysis["wants"]
    if wants["stated"]:
        for start, end in _spans(body, terminal_safe(wants["text"])):
            text.stylize(STYLE_WANTS, start, end)
    for values in analysis["entities"].values():
        for value in values:
            for start, end in _spans(body, terminal_safe(value)):
                text.stylize(STYLE_ENTITY, start, end)
    for word in analysis["anger"]["evidence"]:
        if word not in ("ALL CAPS",):
            for start, end in _spans(body, terminal_safe(word)):
                text.stylize(STYLE_ANGER, start, end)
    return text


def _evidence(items: list[str]) -> Text:
    if not items:
        return Text("")
    out = Text(" — because of ", style="dim")
    for i, item in enumerate(items):
        if i:
            out.append(", ", style="dim")
        out.append_text(safe(f"'{item}'", "dim"))
    return out


def _row(label: str, value: Text | str, evidence: list[str] | None = None) -> Text:
    row = Text(f"{label:<10}", style="bold")
    row.append_text(value if isinstance(value, Text) else Text(value))
    if evidence:
        row.append_text(_evidence(evidence))
    return row


class CoachUI:
    """Draws the walk on a ``Terminal`` and feeds the agent's answers to a ``Walk``."""

    def __init__(self, walk: Walk, term: Terminal) -> None:
        self.walk = walk
        self.term = term

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

    def header(self, stage: str) -> None:
        walk = self.walk
        number = STAGES.index(stage) + 1
        title = f"{number}/{len(STAGES)} {TITLES[stage]}"
        self.term.print()
        self.term.print(Rule(Text(title, style="bold magenta"), style="magenta"))
        if stage in (*STEPS, "diagnose"):
            why = walk.why(stage)
            if why:
                self.term.print(Text.assemble(("Why: ", "bold"), why))
            tip = walk.tip(stage)
            if tip:
                self.term.print(Text.assemble((f"Tip ({walk.type_label()}): ", "bold"), tip))

    def draft_panel(self, text: str, title: str = "Draft so far") -> None:
        self.term.print(Panel(safe(text.rstrip("\n")), title=title, title_align="left", border_style="blue"))

    def menu(
        self,
        items: list[tuple[str, str, str]],
        default: str | None,
        prompt: str = "Choose",
        after: Callable[[], None] | None = None,
    ) -> str:
        """A numbered list; Enter takes the default. ``items`` are (key, label, note);
        ``after`` draws what goes between the list and the prompt (the live draft)."""
        for key, label, note in items:
            mark = "›" if key == default else " "
            row = Text(f" {mark} {key:>2}  ", style="bold" if key == default else "")
            row.append_text(safe(label))
            if note:
                row.append(f"  {note}", style="dim")
            self.term.print(row)
        keys = [k for k, _, _ in items]
        numbers = [k for k in keys if k.isdigit()]
        spans = [f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else numbers[0]] if numbers else []
        legend = ", ".join(spans + [k for k in keys if not k.isdigit()])
        if self.term.keys_live:
            legend += " or ↑↓"
        legend += f"; Enter takes › · {NAV}"
        if after is not None:
            after()
        while True:
            self.term.note(legend)
            answer = (
                self.term.pick(Text(prompt, style="bold"), default, [(k, lbl) for k, lbl, _ in items]).strip().lower()
            )
            if not answer and default is not None:
                return default
            if answer in keys:
                return answer
            self.term.problem(f"choose one of {', '.join(keys)}")

    # --- Hear -----------------------------------------------------------------------

    def show_reading(self) -> None:
        walk, a = self.walk, self.walk.analysis
        pb = walk.playbook
        scenario = a["scenario"]
        scen = safe(f"{pb['id']} ({pb['title']})")
        if scenario.get("forced"):
            scen.append(" chosen by you", style="dim")
        else:
            scen.append(f" {scenario['confidence']:.2f}", style="dim")
        self.term.print(_row("Scenario", scen, None if scenario.get("forced") else scenario["evidence"]))
        ctype = a["customer_type"]
        forced = walk.answers.customer_type is not None
        self.term.print(
            _row(
                "Type",
                Text(walk.type_label()) + Text(" chosen by you" if forced else "", style="dim"),
                None if forced else ctype["evidence"],
            )
        )
        anger = a["anger"]
        self.term.print(_row("Anger", f"{anger['level']} {anger['score']:.2f}", anger["evidence"]))
        ents = [(k, v) for k, vs in a["entities"].items() for v in vs]
        found = Text()
        for i, (kind, value) in enumerate(ents):
            if i:
                found.append(" · ", style="dim")
            found.append(kind.rstrip("s").replace("_", " ") + " ", style="dim")
            found.append_text(safe(value, STYLE_ENTITY))
        self.term.print(_row("Found", found if ents else Text("nothing specific", style="dim")))
        wants = a["wants"]
        if wants["stated"]:
            self.term.print(_row("Wants", safe(wants["text"], STYLE_WANTS)))
        else:
            self.term.print(
                _row("Wants", Text("not stated: the draft will ask what would make it right", style="yellow"))
            )
        missing = walk.missing_needs()
        if missing:
            self.term.print(_row("Missing", Text(", ".join(n["label"] for n in missing), style="yellow")))

    def hear(self) -> None:
        walk, term = self.walk, self.term
        self.header("hear")
        msg = walk.message
        title = Text("Customer's message")
        who = msg.from_name or msg.from_email
        if who:
            title.append(" from ")
            title.append_text(safe(who))
        term.print(Panel(marked_message(walk), title=title, title_align="left", border_style="cyan"))
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
            key = term.line("Enter keeps this reading · p change scenario · t change type").strip().lower()
            if not key:
                break
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
                term.problem("press Enter, p or t")
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

    # --- Empathize, Apologize, and the option list of Resolve ------------------------

    def choose_option(self, step: str) -> None:
        walk, term = self.walk, self.term
        options = walk.options(step)
        recommended = walk.recommended(step)
        cannot = walk.cannot_hint() if step == "resolve" else None
        items = []
        for i, option in enumerate(options, 1):
            notes = []
            if option["id"] == recommended:
                notes.append(f"recommended for {walk.type_label()}")
            if cannot is not None and option["id"] == cannot["id"]:
                notes.append("if you can't give what they asked")
            if option.get("why"):
                notes.append(option["why"])
            items.append((str(i), option["label"], "; ".join(notes)))
        items.append(("w", "Write my own", ""))
        borrowed = self.walk.cannot_template() if step == "resolve" else None
        if borrowed is not None:
            note = "if you can't give what they asked" if walk.analysis["wants"]["stated"] else ""
            items.append(("c", borrowed[0]["label"], note))
            if walk.analysis["wants"]["stated"]:
                cannot = borrowed[0]
        if cannot is not None:
            term.print(
                Text.assemble(
                    ("They asked: ", "bold"),
                    safe(walk.analysis["wants"]["text"], STYLE_WANTS),
                    (" If you cannot give that, say so and offer what you can.", ""),
                )
            )
        choice = walk.choice(step)
        ids = [o["id"] for o in options]
        default = "w" if choice == CUSTOM else str(ids.index(choice) + 1) if choice in ids else "1"
        picked = self.menu(items, default, TITLES[step], after=lambda: self.draft_panel(walk.preview(upto=step)))
        if picked == "c" and borrowed is not None:
            values = {}
            for q in borrowed[1]:
                answer = ""
                while not answer.strip():
                    answer = term.line(q["prompt"])
                values[q["id"]] = answer.strip().rstrip(".")
            walk.write_cannot(values)
        elif picked == "w":
            current = walk.answers.custom.get(step)
            text = term.line(f"Your own words for {TITLES[step]}", current)
            if not text.strip() and current:
                text = current
            if not text.strip():
                term.problem("nothing written: keeping the playbook's option")
                walk.choose(step, ids[int(default) - 1] if default.isdigit() else recommended)
            else:
                walk.write_own(step, text)
        else:
            walk.choose(step, ids[int(picked) - 1])

    def reply_step(self, step: str) -> None:
        self.header(step)
        self.choose_option(step)

    # --- Resolve ---------------------------------------------------------------------

    def resolve(self) -> None:
        walk = self.walk
        self.header("resolve")
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
        causes = walk.causes()
        items = [(str(i), c["label"], "") for i, c in enumerate(causes, 1)]
        items.append(("w", "Write my own", ""))
        ids = [c["id"] for c in causes]
        current = walk.answers.cause
        if current in ids:
            default = str(ids.index(current) + 1)
        elif current:
            default = "w"
        else:
            default = str(ids.index("unknown") + 1) if "unknown" in ids else "1"
        picked = self.menu(items, default, "Root cause")
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
            clip = clipboard_command()
            keys = "Enter writes it · e edit in $EDITOR · c re-check · 1-5 go to a step"
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
        self.term.print(_row("Playbook", f"{result['playbook']} · {walk.type_label(result['customer_type']['id'])}"))
        self.term.print(_row("Steps", parts))
        skipped = walk.skipped()
        if skipped:
            self.term.print(
                _row("Skipped", Text(f"{', '.join(skipped)}: the reply has no paragraph for it", style="yellow"))
            )
        self.term.print(_row("Deadline", result["deadline"]))
        diag = result["steps"]["diagnose"]
        self.term.print(_row("Diagnose", safe(f"{diag['cause'] or '-'}: {diag['note'] or '-'} (internal)")))


# --- helpers --------------------------------------------------------------------------


def edit_text(term: Terminal, text: str) -> str | None:
    """Open ``text`` in $VISUAL/$EDITOR on the terminal; None when no editor is set."""
    import shlex
    import subprocess
    import tempfile

    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        return None
    fd, path = tempfile.mkstemp(prefix="replycoach-", suffix=".txt")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        term.out.flush()
        try:
            subprocess.run([*shlex.split(editor), path], stdin=term.inp, stdout=term.out, check=False)
        except OSError as exc:
            term.problem(f"cannot start the editor {editor!r}: {exc.strerror}")
            return text
        with open(path, encoding="utf-8") as fh:
            return fh.read()
    finally:
        os.unlink(path)


def clipboard_command() -> list[str] | None:
    """The first clipboard tool that can work here, or None."""
    import shutil

    candidates: list[list[str]] = []
    if os.environ.get("WAYLAND_DISPLAY"):
        candidates.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        candidates += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if sys.platform == "darwin":
        candidates.append(["pbcopy"])
    for cmd in candidates:
        if shutil.which(cmd[0]):
            return cmd
    return None


def coach(raw: bytes, term: Terminal, walk_options: dict[str, Any]) -> tuple[dict[str, Any], Walk]:
    """Run the whole walk; the final result and the walk (for --save-answers)."""
    walk = Walk(raw, **walk_options)
    result = CoachUI(walk, term).run()
    term.print(Rule(style="magenta"))
    term.out.flush()
    return result, walk


def _navigate(answer: str) -> None:
    """b, s and q at any prompt move the walk instead of answering."""
    command = answer.strip().lower()
    if command == "b":
        raise Back
    if command == "s":
        raise Skip
    if command == "q":
        raise Quit
