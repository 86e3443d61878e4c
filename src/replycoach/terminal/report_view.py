"""The report on a terminal: rich tables and bar charts (CLI side; imports rich).

Stored text (scenario ids, causes, notes, agent names) goes into rich ``Text``
objects, never into markup strings, so a ``[bold]`` in a note is printed as typed.
"""

from __future__ import annotations

from typing import Any


def render(data: dict[str, Any], console: Any = None) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from replycoach.reply.formats import terminal_safe

    console = console or Console(highlight=False)

    def t(value: Any, style: str = "") -> Text:
        return Text(terminal_safe(str(value)), style=style)

    if not data["total"]:
        console.print(Text("No complaints logged" + (f" since {data['since'][:10]}" if data["since"] else "") + "."))
        return
    from replycoach.record.report import cause_name, group_name, kept_text, who_text

    p = data["promises"]
    console.print(
        Text.assemble(
            (f"{data['total']}", "bold"),
            f" complaint(s) from {data['senders']} sender(s), "
            f"{data['first_local'][:10]} to {data['last_local'][:10]}; ",
            "average anger ",
            (f"{data['anger_avg']:.2f}", "bold"),
        )
    )
    console.print(
        Text.assemble(
            f"promises: {p['total']}, ",
            (f"kept on time {p['kept_on_time']}", "green"),
            ", ",
            (f"late {p['late']}", "yellow"),
            ", ",
            (f"overdue {p['overdue']}", "red"),
            f", pending {p['pending']}",
        )
    )
    console.print(Text.assemble((kept_text(data), "bold"), f", as of {data['generated_local']}"))
    if data["overdue_promises"]:
        late = Table(title="overdue promises", title_justify="left")
        for name in ("#", "customer", "agent", "promise", "due"):
            late.add_column(name, justify="right" if name == "#" else "left")
        for item in data["overdue_promises"]:
            late.add_row(
                str(item["id"]),
                t(who_text(item)),
                t(item["agent"] or "—"),
                t(item["promise"]),
                Text(f"{item['due_local']} ({item['days_overdue']} d)", style="red"),
            )
        console.print(late)
    most = max(g["count"] for g in data["groups"])
    table = Table(title=f"complaints by {data['by']}", title_justify="left")
    longest = max(len(group_name(data, g)) for g in data["groups"])
    table.add_column(data["by"], min_width=min(longest, 22))
    for name in ("count", "share", "anger", "promises", "on time", "overdue"):
        table.add_column(name, justify="right")
    table.add_column("", min_width=8, no_wrap=True, overflow="crop")
    for g in data["groups"]:
        bar = "█" * max(1, round(24 * g["count"] / most))
        colour = "red" if g["anger_avg"] >= 0.6 else "yellow" if g["anger_avg"] >= 0.35 else "green"
        table.add_row(
            t(group_name(data, g)),
            str(g["count"]),
            f"{g['share'] * 100:.0f}%",
            Text(f"{g['anger_avg']:.2f}", style=colour),
            str(g["promises"]),
            str(g["kept_on_time"]),
            Text(str(g["overdue"]), style="red" if g["overdue"] else ""),
            Text(bar, style="cyan"),
        )
    console.print(table)
    causes = [c for c in data["causes"] if c["notes"]]
    if causes:
        notes = Table(title="prevention notes by root cause", title_justify="left")
        notes.add_column("root cause")
        notes.add_column("n", justify="right")
        notes.add_column("notes")
        for c in causes:
            notes.add_row(t(cause_name(data, c["cause"])), str(c["count"]), t("\n".join(c["notes"])))
        console.print(notes)
