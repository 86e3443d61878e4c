"""Shared fixtures: an isolated cache and home, and a helper to run the CLI in-process."""

from __future__ import annotations

import io
import signal
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
NOW = "2026-11-20T17:00:00+01:00"  # a Friday afternoon: deadlines cross a weekend


def ctrl_c_reaches_it() -> None:
    """``preexec_fn`` for a child process a test interrupts with Ctrl-C: SIGINT at its
    default, as for a command in a terminal. A test run started as a background job of
    a script inherits SIGINT ignored (the shell's rule for background jobs); Python then
    installs no KeyboardInterrupt handler in the child, which rightly ignores Ctrl-C."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    # A home per test: a complaint logged by one test (coach logs by default) must not
    # become "history" that turns the next test's customer chronic.
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setenv("REPLYCOACH_HOME", str(home))
    # The agent's config file (replycoach config) lives in the test's own home too.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for var in (
        "REPLYCOACH_PLAYBOOKS",
        "REPLYCOACH_RULES",
        "REPLYCOACH_AGENT",
        "REPLYCOACH_COMPANY",
        "REPLYCOACH_TZ",
        "REPLYCOACH_COUNTRY",
        "REPLYCOACH_HOURS",
        "REPLYCOACH_FROM",
        "REPLYCOACH_LANG",
        "REPLYCOACH_REGISTER",
        "REPLYCOACH_CONFIG",
        "REPLYCOACH_DB",
        "NO_COLOR",
    ):
        monkeypatch.delenv(var, raising=False)


@dataclass
class Result:
    code: int
    out: str
    err: str


@pytest.fixture
def run(monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]):
    """Run ``replycoach ARGS`` in-process with ``stdin`` bytes; returns code, stdout, stderr."""
    from replycoach.terminal.app import main

    def _run(*args: str, stdin: bytes | str = b"") -> Result:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))
        code = main(list(args))
        captured = capfd.readouterr()
        return Result(code, captured.out, captured.err)

    return _run
