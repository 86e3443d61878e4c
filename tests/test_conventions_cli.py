"""What a command-line user expects: --version, shell completion, help text, one-line usage errors."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from replycoach.foundation.version import __version__

SRC = str(Path(__file__).resolve().parents[1] / "src")


def console(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The console script's path (``python -m replycoach``: entry, fast paths, typer)."""
    full = {**os.environ, "PYTHONPATH": SRC, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "replycoach", *args], capture_output=True, text=True, env=full, timeout=60
    )


def test_version(run) -> None:
    r = run("--version")
    assert (r.code, r.out, r.err) == (0, f"replycoach {__version__}\n", "")
    p = console("--version")
    assert (p.returncode, p.stdout, p.stderr) == (0, f"replycoach {__version__}\n", "")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_prints_a_script_per_shell(run, shell: str) -> None:
    r = run("completion", shell)
    assert r.code == 0 and r.err == ""
    assert "_REPLYCOACH_COMPLETE=complete_" + shell in r.out
    assert "replycoach" in r.out


def test_bash_completes_commands_and_options(tmp_path: Path) -> None:
    """The bash script, sourced in bash, completes through the console script."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "replycoach"
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH={SRC} exec {sys.executable} -m replycoach "$@"\n')
    wrapper.chmod(0o755)
    script = console("completion", "bash").stdout
    (tmp_path / "complete.bash").write_text(script)
    probe = (
        f"source {tmp_path / 'complete.bash'}\n"
        'COMP_WORDS=(replycoach co); COMP_CWORD=1; _replycoach_completion replycoach; echo "${COMPREPLY[*]}"\n'
        "COMP_WORDS=(replycoach draft --form); COMP_CWORD=2; _replycoach_completion replycoach;"
        ' echo "${COMPREPLY[*]}"\n'
        "COMP_WORDS=(replycoach config set ag); COMP_CWORD=3; _replycoach_completion replycoach;"
        ' echo "${COMPREPLY[*]}"\n'
    )
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    p = subprocess.run(["bash", "--norc", "-c", probe], capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["coach completion config", "--format", "agent"]


def test_zsh_and_fish_protocols_answer() -> None:
    zsh = console(env={"_REPLYCOACH_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "replycoach draft --for"})
    assert zsh.returncode == 0
    assert zsh.stdout == '_arguments \'*: :(("--format":"Output format."))\'\n'
    fish = console(
        env={
            "_REPLYCOACH_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
            "_TYPER_COMPLETE_ARGS": "replycoach playbooks l",
        }
    )
    assert fish.returncode == 0
    assert fish.stdout.startswith("list\t")


def _all_commands() -> list[list[str]]:
    import typer.main

    from replycoach.terminal.app import app

    found: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        found.append(path)
        for name, child in getattr(command, "commands", {}).items():
            walk(child, [*path, name])

    walk(typer.main.get_command(app), [])
    return found


@pytest.mark.parametrize("path", _all_commands(), ids=lambda p: " ".join(p) or "replycoach")
def test_help_reads_as_written_with_an_example(run, monkeypatch, path: list[str]) -> None:
    monkeypatch.setenv("COLUMNS", "100")
    r = run(*path, "--help")
    assert r.code == 0 and r.err == ""
    for python in ("<str>", "<bool>", "<list[", "<int", "<path>", "range]", "[x>=", "<text|"):
        assert python not in r.out
    assert " Example: " in r.out
    assert "…" not in r.out.replace("postgresql://…", "")  # nothing cut short


def test_draft_help_shows_markers_choices_and_placeholders(run, monkeypatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run("draft", "--help").out
    assert "[[markers]]" in out
    assert "Usage: replycoach draft [OPTIONS] [FILE]" in out
    flat = " ".join(line.strip("│ ") for line in out.splitlines())
    assert "meek, aggressive, high-roller, rip-off, chronic or neutral" in " ".join(flat.split())
    assert "text|json|md|eml" in out
    assert "KEY=VALUE" in out


@pytest.mark.parametrize(
    ("args", "err"),
    [
        (
            ("draft", "--format", "bogus"),
            "replycoach: error: --format: 'bogus' is not one of: text, json, md, eml\n",
        ),
        (
            ("draft", "--formt", "json"),
            "replycoach: error: --formt: no such option for replycoach draft (did you mean --format?)\n",
        ),
        (("draft", "--set"), "replycoach: error: --set: requires a value\n"),
        (
            ("check", "--min-level", "loud"),
            "replycoach: error: --min-level: 'loud' is not one of: suggestion, warning, error\n",
        ),
        (("completion", "tcsh"), "replycoach: error: SHELL: 'tcsh' is not one of: bash, zsh, fish\n"),
        (
            ("config", "set", "agent"),
            "replycoach: error: VALUE: missing (usage: replycoach config set [OPTIONS] KEY VALUE)\n",
        ),
        (("batch", "--jobs", "0", "x"), "replycoach: error: --jobs: input should be greater than or equal to 1\n"),
        (
            ("report", "--by", "colour"),
            "replycoach: error: --by: 'colour' is not one of: scenario, cause, type, week, agent\n",
        ),
        (
            ("drafts",),
            "replycoach: error: no such command 'drafts' for replycoach (did you mean draft?)\n",
        ),
        (
            ("bogus",),
            "replycoach: error: no such command 'bogus' for replycoach (commands: draft, coach, analyze, check,"
            " report, paths, batch, completion, playbooks, log, followups, config)\n",
        ),
    ],
)
def test_usage_errors_are_one_line(run, args: tuple[str, ...], err: str) -> None:
    r = run(*args)
    assert (r.code, r.out, r.err) == (2, "", err)


def test_usage_error_is_one_line_through_the_console_script() -> None:
    # The fast draft path leaves a bad choice to typer: the same one line.
    for _ in range(2):  # the first run learns the spec, the second uses it
        p = console("draft", "--format", "bogus")
        assert (p.returncode, p.stdout, p.stderr) == (
            2,
            "",
            "replycoach: error: --format: 'bogus' is not one of: text, json, md, eml\n",
        )
