"""``playbooks list | show | validate | new``."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from replycoach.terminal.boundary import warn, write
from replycoach.terminal.cli_options import PlaybooksOpt

app = typer.Typer(help="List, show, validate and start playbooks.", no_args_is_help=True)


class ShowFormat(StrEnum):
    text = "text"
    json = "json"


FormatOpt = Annotated[ShowFormat, typer.Option("--format", help="text or json (for scripts).")]


@app.command("list")
def playbooks_list(playbooks: PlaybooksOpt = None, fmt: FormatOpt = ShowFormat.text) -> None:
    """List every playbook id with its title."""
    from replycoach.playbook.registry import load_registry

    registry = load_registry(tuple(playbooks or ()))
    if fmt is ShowFormat.json:
        from replycoach.reply.formats import to_json

        listed = [
            {
                "id": pid,
                "title": registry.playbooks[pid]["title"],
                "detected": bool(registry.playbooks[pid]["detected"]),
                "file": str(registry.files[pid]),
            }
            for pid in registry.ids()
        ]
        write(to_json(listed))
        return
    width = max(len(i) for i in registry.ids())
    for pid in registry.ids():
        pb = registry.playbooks[pid]
        how = "detected" if pb["detected"] else "chosen"
        write(f"{pid:<{width}}  {how:<8}  {pb['title']}\n")


@app.command("show")
def playbooks_show(
    playbook_id: Annotated[str, typer.Argument(help="Playbook id.")],
    playbooks: PlaybooksOpt = None,
    fmt: FormatOpt = ShowFormat.text,
) -> None:
    """Show one playbook: needs, questions, each step's options (ids for --set), causes, types."""
    from replycoach.playbook.registry import describe, load_registry

    registry = load_registry(tuple(playbooks or ()))
    pb = registry.get(playbook_id)
    if fmt is ShowFormat.json:
        from replycoach.reply.formats import to_json

        # The playbook as drafting sees it (``extends`` resolved), and the file it came from.
        write(to_json({**pb, "file": str(registry.files[pb["id"]])}))
        return
    write(describe(pb, registry.files[pb["id"]]))


@app.command("validate")
def playbooks_validate(
    paths: Annotated[list[str] | None, typer.Argument(help="Playbook files or folders (default: all visible).")] = None,
    playbooks: PlaybooksOpt = None,
) -> None:
    """Validate playbook files strictly; one line per problem with file and line."""
    from replycoach.playbook.registry import load_registry, playbook_dirs, validate_paths

    targets = paths or [str(d) for d in playbook_dirs(tuple(playbooks or ()))]
    results = validate_paths(targets)
    bad = [(f, e) for f, e in results if e]
    for _, error in bad:
        warn(f"replycoach: error: {error}")
    if not paths:
        registry = load_registry(tuple(playbooks or ()))  # cross-file checks: extends, references
        if not bad:
            from replycoach.playbook.locales import untranslated

            # Loading each locale checks its keys against the playbooks (unknown: exit 2).
            for file, keys in untranslated(registry):
                warn(f"replycoach: warning: {file}: not translated, English is used: {', '.join(keys)}")
    if bad:
        raise typer.Exit(2)
    write(f"{len(results)} file(s) valid\n")


@app.command("new")
def playbooks_new(
    playbook_id: Annotated[str, typer.Argument(help="Id of the new playbook, e.g. lost-parcel.")],
    folder: Annotated[Path, typer.Option("--dir", help="Team playbook folder to write into.")] = Path("."),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter playbook (DIR/ID.yaml) that validates, ready to edit."""
    from replycoach.playbook.registry import new_playbook

    path = new_playbook(playbook_id, folder, force=force)
    write(f"wrote {path}\n")
