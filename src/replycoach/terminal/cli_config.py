"""``config get | set | unset | list``: the agent's settings file (foundation/config.py)."""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from replycoach.foundation import config
from replycoach.terminal.boundary import warn, write

app = typer.Typer(
    help="The agent's settings (agent, company, from, timezone, country, hours, lang, register), "
    "kept in a TOML file (see `replycoach paths`); --set and the environment win over it.",
    no_args_is_help=True,
)


def _complete_key(incomplete: str) -> list[str]:
    return [key for key in config.KEYS if key.startswith(incomplete)]


KeyArg = Annotated[
    str,
    typer.Argument(
        metavar="KEY",
        help=f"One of: {', '.join(config.KEYS)}.",
        show_default=False,
        autocompletion=_complete_key,
    ),
]


class ConfigFormat(StrEnum):
    text = "text"
    json = "json"


@app.command("get")
def config_get(key: KeyArg) -> None:
    """Print a setting's value as a draft sees it (environment first, then the file); exit 1 when unset."""
    value = config.setting(config.known(key))
    if not value:
        raise typer.Exit(1)
    write(value + "\n")


@app.command("set")
def config_set(
    key: KeyArg,
    value: Annotated[str, typer.Argument(metavar="VALUE", help="The value.", show_default=False)],
) -> None:
    """Store a setting in the config file."""
    path = config.set_value(key, value)
    write(f"{key} = {config.load(path)[key]}  ({path})\n")
    if os.environ.get(config.ENV[key], "").strip():
        warn(f"replycoach: note: {config.ENV[key]} is set and wins over the file")


@app.command("unset")
def config_unset(key: KeyArg) -> None:
    """Remove a setting from the config file."""
    removed = config.unset_value(key)
    write(f"{key} {'removed' if removed else 'was not set'}  ({config.config_path()})\n")


@app.command("list")
def config_list(
    fmt: Annotated[ConfigFormat, typer.Option("--format", help="text or json.")] = ConfigFormat.text,
) -> None:
    """Every setting with its value and where it comes from (environment or file)."""
    from replycoach.reply.formats import to_json

    stored = config.load()
    rows = []
    for key in config.KEYS:
        env = os.environ.get(config.ENV[key], "").strip()
        source = config.ENV[key] if env else ("file" if key in stored else None)
        rows.append({"key": key, "value": env or stored.get(key), "source": source})
    if fmt is ConfigFormat.json:
        write(to_json({"file": config.config_path(), "settings": rows}))
        return
    width = max(len(k) for k in config.KEYS)
    lines = [f"# {config.config_path()}\n"]
    for key, row in zip(config.KEYS, rows, strict=True):
        shown = f"{row['value']}  ({row['source']})" if row["source"] else f"(not set: {config.MEANING[key]})"
        lines.append(f"{key:<{width}}  {shown}\n")
    write("".join(lines))
