"""What every screen of the coach draws: step headers, the live draft, numbered menus
(the option menu of a reply step among them), and the message marked with what the
reading found. All decisions are the ``Walk``'s; this only shows and asks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from replycoach.playbook.registry import STEPS
from replycoach.reply.formats import terminal_safe
from replycoach.terminal.coach_tty import Terminal, safe
from replycoach.terminal.coach_walk import CUSTOM, STAGES, Walk

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


def row(label: str, value: Text | str, evidence: list[str] | None = None) -> Text:
    row = Text(f"{label:<10}", style="bold")
    row.append_text(value if isinstance(value, Text) else Text(value))
    if evidence:
        row.append_text(_evidence(evidence))
    return row


class Screen:
    """Draws on a ``Terminal`` and feeds the agent's answers to a ``Walk``."""

    def __init__(self, walk: Walk, term: Terminal) -> None:
        self.walk = walk
        self.term = term

    def header(self, stage: str) -> None:
        """A clean screen (on a real terminal) headed by the stage, why it matters and the tip."""
        walk = self.walk
        number = STAGES.index(stage) + 1
        title = f"{number}/{len(STAGES)} {TITLES[stage]}"
        self.term.clear()
        if not self.term.full_screen:
            self.term.print()
        self.term.print(Rule(Text(title, style="bold magenta"), style="magenta"))
        if stage in (*STEPS, "diagnose"):
            why = walk.why(stage)
            if why:
                self.term.print(Text.assemble(("Why: ", "bold"), why))
            tip = walk.tip(stage)
            if tip:
                self.term.print(Text.assemble((f"Tip ({walk.type_label()}): ", "bold"), tip))

    def draft_panel(self, text: str, title: str = "Draft so far", max_lines: int | None = None) -> None:
        """The draft in a panel; with ``max_lines`` only its last lines (where the step's
        paragraph goes), so a full-screen step keeps its heading on the screen."""
        body = safe(text.rstrip("\n"))
        if max_lines is not None:
            width = self.term.console.width - 4
            lines = body.wrap(self.term.console, width)
            if len(lines) > max_lines:
                kept = lines[len(lines) - max(max_lines - 1, 1) :]
                body = Text(f"… ({len(lines) - len(kept)} lines above)\n", style="dim")
                body.append_text(Text("\n").join(kept))
        self.term.print(Panel(body, title=title, title_align="left", border_style="blue"))

    def menu(
        self,
        items: list[tuple[str, str, str]],
        default: str | None,
        prompt: str = "Choose",
        before: Callable[[int | None], None] | None = None,
        details: dict[str, str] | None = None,
    ) -> str:
        """A numbered list; Enter takes the default. ``items`` are (key, label, note);
        ``details`` the sentence an item adds, shown under it shortened to one line;
        ``before`` draws what goes above the list (the live draft), given how many lines
        it may take on a full screen."""
        keys = [k for k, _, _ in items]
        numbers = [k for k in keys if k.isdigit()]
        spans = [f"{numbers[0]}-{numbers[-1]}" if len(numbers) > 1 else numbers[0]] if numbers else []
        legend = ", ".join(spans + [k for k in keys if not k.isdigit()])
        if self.term.keys_live:
            legend += " or ↑↓"
        legend += f"; Enter takes › · {NAV}"
        rows = self._rows(items, default, details)
        term = self.term
        room = None
        if term.full_screen:
            # What fits under the heading: on a short screen the draft so far goes first
            # (Finish shows it whole), then, only if the list still does not fit, the sentences.
            fixed = term.used + term.height_of(Text(legend)) + 2  # the legend, the prompt, a spare line
            if details and fixed + sum(term.height_of(r) for r in rows) > term.height:
                rows = self._rows(items, default, None)
            room = term.height - fixed - sum(term.height_of(r) for r in rows) - 2  # 2: the panel's borders
        if before is not None and (room is None or room >= 3):
            before(room)
        at: dict[str, int] = {}
        for key, row in zip(keys, rows, strict=True):
            at[key] = self.term.used
            self.term.print(row)
        while True:
            self.term.note(legend)
            answer = (
                self.term.pick(Text(prompt, style="bold"), default, [(k, lbl) for k, lbl, _ in items], rows=at)
                .strip()
                .lower()
            )
            if not answer and default is not None:
                return default
            if answer in keys:
                return answer
            self.term.problem(f"choose one of {', '.join(keys)}")

    def _rows(
        self, items: list[tuple[str, str, str]], default: str | None, details: dict[str, str] | None
    ) -> list[Text]:
        width = self.term.console.width
        rows = []
        for key, label, note in items:
            mark = "›" if key == default else " "
            row = Text(f" {mark} {key:>2}  ", style="bold" if key == default else "")
            row.append_text(safe(label))
            if note:
                row.append(f"  {note}", style="dim")
            sentence = (details or {}).get(key)
            if sentence:
                shown = safe(f"      {sentence}", "dim")
                shown.truncate(width - 1, overflow="ellipsis")
                row = Text("\n").join([row, shown])
            rows.append(row)
        return rows

    # --- Hear -----------------------------------------------------------------------

    def choose_option(self, step: str) -> None:
        walk, term = self.walk, self.term
        options = walk.options(step)
        recommended = walk.recommended(step)
        cannot = walk.cannot_hint() if step == "resolve" else None
        sentences = walk.option_texts(step)
        items = []
        details = {}
        for i, option in enumerate(options, 1):
            notes = []
            if option["id"] == recommended:
                notes.append(f"recommended for {walk.type_label()}")
            if cannot is not None and option["id"] == cannot["id"]:
                notes.append("if you can't give what they asked")
            if option.get("why"):
                notes.append(option["why"])
            items.append((str(i), option["label"], "; ".join(notes)))
            if sentences.get(option["id"]):
                details[str(i)] = sentences[option["id"]]
        items.append(("w", "Write my own", ""))
        if walk.answers.custom.get(step):
            details["w"] = walk.answers.custom[step]
        borrowed = self.walk.cannot_template() if step == "resolve" else None
        if borrowed is not None:
            note = "if you can't give what they asked" if walk.analysis["wants"]["stated"] else ""
            items.append(("c", borrowed[0]["label"], note))
            if walk.analysis["wants"]["stated"]:
                cannot = borrowed[0]
        choice = walk.choice(step)
        ids = [o["id"] for o in options]
        default = "w" if choice == CUSTOM else str(ids.index(choice) + 1) if choice in ids else "1"
        problem = None
        while True:
            self.header(step)  # the options on a page of their own, under the step's why and tip
            if problem:
                term.problem(problem)
            if cannot is not None:
                term.print(
                    Text.assemble(
                        ("They asked: ", "bold"),
                        safe(walk.analysis["wants"]["text"], STYLE_WANTS),
                        (" If you cannot give that, say so and offer what you can.", ""),
                    )
                )
            picked = self.menu(
                items,
                default,
                TITLES[step],
                before=lambda room: self.draft_panel(walk.preview(upto=step), max_lines=room),
                details=details,
            )
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
                    # Nothing written is not a choice: the list again, not a silent default.
                    problem = "nothing written: choose an option, or w and type your words"
                    continue
                walk.write_own(step, text)
            else:
                walk.choose(step, ids[int(picked) - 1])
            return
