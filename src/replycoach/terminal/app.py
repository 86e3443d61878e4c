"""The command line: the typer app, with each command group in a module of its own.

A command parses its options, calls one core function (``api`` and the stages below
it), renders the result and maps errors to exit codes; nothing here knows how a message
is read or a draft is built. Adding a command is a module with its function (or its
``typer.Typer`` group) and one line below; the order below is the order of ``--help``.
"""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated

import typer

from replycoach.terminal import cli_batch, cli_coach, cli_config, cli_playbooks, cli_record, cli_reply
from replycoach.terminal.boundary import warn, write

app = typer.Typer(
    name="replycoach",
    help="A reply coach for customer-support agents: read the customer's message, "
    "walk Hear-Empathize-Apologize-Resolve-Diagnose, draft a checked reply.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
COMPLETE_VAR = "_REPLYCOACH_COMPLETE"  # how the shell's completion script asks for words


def _version(value: bool) -> None:
    if value:
        from replycoach.foundation.version import __version__

        write(f"replycoach {__version__}\n")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option("--version", help="Show the version and exit.", callback=_version, is_eager=True),
    ] = False,
) -> None:
    """A reply coach for customer-support agents: read the customer's message,
    walk Hear-Empathize-Apologize-Resolve-Diagnose, draft a checked reply."""


class Shell(StrEnum):
    bash = "bash"
    zsh = "zsh"
    fish = "fish"


def completion(
    shell: Annotated[Shell, typer.Argument(metavar="SHELL", help="bash, zsh or fish.", show_default=False)],
) -> None:
    """Print the shell completion script for bash, zsh or fish (see the README to install it)."""
    from typer._completion_shared import get_completion_script  # typer's own scripts

    script = get_completion_script(prog_name="replycoach", complete_var=COMPLETE_VAR, shell=shell.value)
    write(script.strip("\n") + "\n")  # zsh's ``#compdef`` must be the first line


app.command()(cli_reply.draft)
app.command()(cli_coach.coach)
app.command()(cli_reply.analyze)
app.command()(cli_reply.check)
app.command()(cli_record.report)
app.command()(cli_record.paths)
app.command()(cli_batch.batch)
app.add_typer(cli_playbooks.app, name="playbooks")
app.add_typer(cli_record.log_app, name="log")
app.add_typer(cli_record.followups_app, name="followups")
app.add_typer(cli_config.app, name="config")
app.command()(completion)


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; the one place where errors become exit codes and one-line messages."""
    from replycoach.terminal.boundary import guarded

    return guarded(lambda: _main(argv))  # ReplycoachError, Ctrl-C, broken pipe: shared with ``entry``


def _main(argv: list[str] | None) -> int:
    from replycoach.terminal.help_text import readable, usage_line

    command = readable(typer.main.get_command(app))
    if os.environ.get(COMPLETE_VAR):
        from typer._completion_classes import completion_init

        completion_init()  # typer's completion protocol, which the scripts of ``completion`` speak
    try:
        # Without standalone mode the parser returns an Exit's code instead of raising it.
        code = command.main(args=argv, prog_name="replycoach", standalone_mode=False)
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        warn("replycoach: interrupted")
        return 130
    except typer.TyperException as exc:  # usage errors from the option parser
        from typer._click.exceptions import NoArgsIsHelpError, UsageError

        if isinstance(exc, NoArgsIsHelpError):
            exc.show()  # a bare group: its help
        elif isinstance(exc, UsageError):
            warn(f"replycoach: error: {usage_line(exc)}")
        else:
            warn(f"replycoach: error: {exc.format_message()}")
        return exc.exit_code
    return code if isinstance(code, int) else 0
