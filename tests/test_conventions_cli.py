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
