"""Smoke test in tmux (a real terminal emulator, colours on): at 80 columns every
screen of the walk is readable: no line overflows, panels close, no stray escapes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import NOW, SAMPLES

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None,
    reason="tmux is not installed (apt-get install -y tmux) so the 80-column smoke test cannot run",
)


@pytest.fixture
def session(tmp_path: Path) -> Iterator[str]:
    name = f"rc-{uuid.uuid4().hex[:8]}"
    socket = str(tmp_path / "tmux.sock")
    yield f"{socket}|{name}"
    subprocess.run(["tmux", "-S", socket, "kill-server"], capture_output=True, check=False)


def _tmux(target: str, *args: str) -> str:
    socket, _ = target.split("|")
    return subprocess.run(["tmux", "-S", socket, *args], capture_output=True, text=True, check=True).stdout


def _capture(target: str) -> list[str]:
    name = target.split("|")[1]
    return _tmux(target, "capture-pane", "-p", "-J", "-t", name).split("\n")


def _wait_for(target: str, text: str, timeout: float = 15.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = _capture(target)
        if any(text in line for line in lines):
            return lines
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared; screen:\n" + "\n".join(_capture(target)))


def _readable(lines: list[str]) -> None:
    for line in lines:
        assert len(line) <= 80, line
        assert "\x1b" not in line and "[0m" not in line and "^[" not in line, line
        if line.startswith("│"):
            assert len(line) == 80 and line.endswith("│"), f"panel line broken at 80 columns: {line!r}"


def test_walk_is_readable_at_80_columns(session: str, tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    command = (
        f"{sys.executable} -m replycoach coach {SAMPLES / 'damaged.eml'} --now {NOW} --set agent=Sam --out {out};"
        " echo EXIT=$?; sleep 30"
    )
    name = session.split("|")[1]
    subprocess.run(
        [
            "tmux",
            "-S",
            session.split("|")[0],
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            "80",
            "-y",
            "45",
            command,
        ],
        env={**env, "TERM": "xterm-256color"},
        check=True,
    )
    screens = []
    for prompt, keys in (
        ("Enter keeps this reading", ["Enter"]),
        ("Enter accepts", ["Enter"]),
        ("What else", ["Enter"]),
        ("Hear [", ["Enter"]),
        ("Empathize [", ["Enter"]),
        ("Apologize [", ["Enter"]),
        ("Resolve [", ["Down", "Down", "Up"]),  # arrow keys: 1 -> 2 -> 3 -> 2
        ("2  Full refund to the original payment", ["Enter"]),
        ("How much will you refund?", ["Enter"]),
        ("Currency symbol", ["Enter"]),
        ("Root cause [", ["Enter"]),
        ("Prevention note", ["Enter"]),
        ("Enter writes it", ["Enter"]),
    ):
        lines = _wait_for(session, prompt)
        _readable(lines)
        screens.append("\n".join(lines))
        for key in keys:
            _tmux(session, "send-keys", "-t", name, key)
    _wait_for(session, "EXIT=0")
    hear = screens[0]
    assert "╭─ Customer's message from Ana Lopez ─" in hear
    assert "│ My blender arrived today with the jug cracked right down the side. This is   │" in hear
    assert "Found     order id #48213 · amount $79.99 · date today" in hear
    assert "1-6, w, c or ↑↓; Enter takes › · b back · s skip · q quit" in screens[6]  # six resolve options
    finish = screens[-1]
    assert "I am refunding the full $79.99" in finish
    assert "╭─ Draft reply ─" in finish
    assert "✓ The checker found nothing to fix." in finish
    assert out.read_text(encoding="utf-8").startswith("Hi Ana,\n\nI am refunding the full $79.99")  # results-first


def _start(session: str, args: str, rows: int = 45) -> str:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    name = session.split("|")[1]
    command = f"{sys.executable} -m replycoach coach {args}; echo EXIT=$?; sleep 30"
    subprocess.run(
        ["tmux", "-S", session.split("|")[0], "-f", "/dev/null", "new-session", "-d", "-s", name,
         "-x", "80", "-y", str(rows), command],
        env={**env, "TERM": "xterm-256color"},
        check=True,
    )  # fmt: skip
    return name


def _marked(lines: list[str]) -> list[str]:
    """The menu rows carrying the `›` marker."""
    return [line.strip() for line in lines if line.startswith(" › ")]


def test_each_step_is_a_clean_screen_under_its_heading(session: str, tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    name = _start(session, f"{SAMPLES / 'damaged.eml'} --now {NOW} --set agent=Sam --no-log --out {out}")
    for prompt, heading, keys in (
        ("Enter keeps this reading", "1/6 Hear", ["Enter"]),
        ("Enter accepts", None, ["Enter"]),
        ("What else", None, ["Enter"]),
        ("Hear [", "1/6 Hear", ["Enter"]),
        ("Empathize [", "2/6 Empathize", ["Enter"]),
        ("Apologize [", "3/6 Apologize", ["Enter"]),
        ("Resolve [", "4/6 Resolve", ["Enter"]),
        ("Root cause [", "5/6 Diagnose", ["Enter"]),
        ("Prevention note", None, ["Enter"]),
        ("Enter writes it", "6/6 Finish", ["Enter"]),
    ):
        lines = _wait_for(session, prompt)
        _readable(lines)
        if heading:
            # The screen starts with the step's heading: the previous step is gone from it.
            assert heading in lines[0], "\n".join(lines)
            screen = "\n".join(lines)
            assert sum(("/6 " in line and "─" in line) for line in lines) == 1, screen
            if heading[4:] in ("Hear", "Empathize", "Apologize", "Resolve", "Diagnose"):
                assert lines[1].startswith("Why: ") and any(x.startswith("Tip (Aggressive): ") for x in lines), screen
        for key in keys:
            _tmux(session, "send-keys", "-t", name, key)
    _wait_for(session, "EXIT=0")


def _wait_marked(target: str, row: str, timeout: float = 20.0) -> list[str]:
    """Waits until the marker sits on `row`: the row's text is on screen before the key
    press is drawn, so waiting for the text alone races the redraw."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = _capture(target)
        if _marked(lines) == [row]:
            return lines
        time.sleep(0.05)
    raise AssertionError(f"the marker never reached {row!r}; screen:\n" + "\n".join(_capture(target)))


def test_arrows_move_the_marker(session: str) -> None:
    name = _start(session, f"{SAMPLES / 'damaged.eml'} --now {NOW} --set agent=Sam --no-log")
    for prompt in ("Enter keeps this reading", "Enter accepts", "What else", "Hear ["):
        _wait_for(session, prompt)
        _tmux(session, "send-keys", "-t", name, "Enter")
    lines = _wait_for(session, "Empathize [5]")
    assert _marked(lines) == ["›  5  One short line (aggressive customers)  recommended for Aggressive"]
    _tmux(session, "send-keys", "-t", name, "Down")
    _wait_marked(session, "›  w  Write my own")
    _tmux(session, "send-keys", "-t", name, "Up", "Up", "Up")
    lines = _wait_marked(session, "›  3  The same fault again")
    assert any(line.startswith("Empathize [5]: 3  The same fault again") for line in lines)
    _readable(lines)


def test_a_long_message_is_cut_to_keep_the_heading(session: str, tmp_path: Path) -> None:
    message = tmp_path / "long.txt"
    message.write_text(
        "My blender arrived broken, order #55120.\n"
        + "".join(f"Line {i} of a long message about it.\n" for i in range(40))
        + "I want a refund.\n",
        encoding="utf-8",
    )
    name = _start(session, f"{message} --now {NOW} --set agent=Sam --no-log", rows=40)
    lines = _wait_for(session, "Enter keeps this reading")
    _readable(lines)
    assert "1/6 Hear" in lines[0] and lines[1].startswith("Why: ")
    assert any("more lines: m shows the whole message" in line for line in lines)
    _tmux(session, "send-keys", "-t", name, "m", "Enter")
    lines = _wait_for(session, "Line 39 of a long message about it.")
    assert any("I want a refund." in line for line in lines)


def test_a_short_screen_keeps_the_heading_and_the_sentences(session: str) -> None:
    # 80x24: the draft so far gives way (Finish shows it whole); heading, why, tip and each
    # option's sentence stay.
    name = _start(session, f"{SAMPLES / 'damaged.eml'} --now {NOW} --set agent=Sam --no-log", rows=24)
    for prompt in ("Enter keeps this reading", "Enter accepts", "What else", "Hear [", "Empathize [", "Apologize ["):
        _wait_for(session, prompt)
        _tmux(session, "send-keys", "-t", name, "Enter")
    lines = _wait_for(session, "Resolve [1]")
    _readable(lines)
    assert "4/6 Resolve" in lines[0] and lines[1].startswith("Why: ")
    assert any(line.startswith("Tip (Aggressive): ") for line in lines)
    assert "      I am refunding the full $79.99 to your original payment method by Monday…" in lines
