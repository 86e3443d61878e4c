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
    p = data["promises"]
    console.print(
        Text.assemble(
            (f"{data['total']}", "bold"),
            f" complaint(s) from {data['senders']} sender(s), {data['first'][:10]} to {data['last'][:10]}; ",
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
    most = max(g["count"] for g in data["groups"])
    table = Table(title=f"complaints by {data['by']}", title_justify="left")
    table.add_column(data["by"])
    for name in ("count", "share", "anger", "promises", "on time", "overdue"):
        table.add_column(name, justify="right")
    table.add_column("", min_width=20)
    for g in data["groups"]:
        bar = "█" * max(1, round(24 * g["count"] / most))
        colour = "red" if g["anger_avg"] >= 0.6 else "yellow" if g["anger_avg"] >= 0.35 else "green"
        table.add_row(
            t(g["key"]),
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
            notes.add_row(t(c["cause"]), str(c["count"]), t("\n".join(c["notes"])))
        console.print(notes)
