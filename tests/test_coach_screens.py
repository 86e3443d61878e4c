"""What the coach shows and keeps (issue 19, point 8), in a real pseudo-terminal:
the listening model at Hear, the sentence each option adds, deadlines in words, an
empty `w` asking again, a hand edit in $EDITOR saved for replay, logging said on screen.
Full-screen drawing (clean screens, the moving `›`) is tried in tmux: test_coach_tmux.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import NOW, SAMPLES
from .test_coach_walks import Coach

pytest.importorskip("pexpect")

DAMAGED = SAMPLES / "damaged.eml"
THREAT = (
    "Hello,\n\nI am writing for the third time about order #55120. The blender arrived with a cracked jug.\n"
    "I have waited a week, and I paid $129.00 for it.\n"
    "My lawyer says this breaks consumer protection law, and I will leave a one-star review on Trustpilot.\n"
    "Can you tell me why nobody answered my emails?\n"
    "I want a full refund by Friday.\n\nRegards,\nPat\n"
)


def _to_finish(c: Coach) -> str:
    for prompt in ("Enter keeps this reading", "Enter accepts", "What else", "Hear [", "Empathize [", "Apologize ["):
        c.step(prompt)
    c.step("Resolve [")
    c.step("Root cause [")
    c.step("Prevention note")
    return c.wait("Enter writes it")


def test_hear_shows_risks_language_asks_questions_and_their_date(tmp_path: Path) -> None:
    message = tmp_path / "threat.txt"
    message.write_text(THREAT, encoding="utf-8")
    c = Coach([str(message), "--now", NOW, "--set", "agent=Sam", "--no-log"])
    hear = c.wait("Enter keeps this reading")
    assert "Risks legal threat 'lawyer' 'consumer protection' · threat to leave 'I will leave'" in hear
    assert "· public review 'one-star review' 'Trustpilot' Language" in hear  # each piece of evidence once
    assert "Language en (English): the reply is in English" in hear
    assert "Asks information 'Can you tell me why nobody answered my emails?' · refund 'I want a full refund by" in hear
    assert "Questions Can you tell me why nobody answered my emails?" in hear
    assert "Wanted by by Friday (Friday, 27 November)" in hear  # in words, as drafts write dates
    assert "Repeat contact 3 'third time'" in hear
    assert "2026-11-27" not in hear
    c.send("q")
    assert c.end()[0] == 130


def test_a_language_without_a_locale_is_said_at_hear(tmp_path: Path) -> None:
    message = tmp_path / "pt.txt"
    message.write_text(
        "Olá, o meu liquidificador chegou partido e estou muito chateado. Quero o meu dinheiro de volta.\n",
        encoding="utf-8",
    )
    c = Coach([str(message), "--now", NOW, "--set", "agent=Sam", "--no-log"])
    hear = c.wait("Enter keeps this reading")
    assert "Language pt: no locale for it, so the reply is in English (the checker will say so)" in hear
    c.send("q")
    c.end()


def test_each_option_shows_the_sentence_it_adds(tmp_path: Path) -> None:
    c = Coach([str(DAMAGED), "--now", NOW, "--set", "agent=Sam", "--no-log"])
    for prompt in ("Enter keeps this reading", "Enter accepts", "What else", "Hear ["):
        c.step(prompt)
    empathize = c.step("Empathize [")
    assert (
        "› 5 One short line (aggressive customers) recommended for Aggressive You have every reason to be annoyed."
        in (empathize)
    )
    # Shortened to one line of the 80-column screen, with an ellipsis.
    assert "1 The letdown of opening it broken Waiting for something and then finding it damaged when you open" in (
        empathize
    )
    c.step("Apologize [")
    resolve = c.wait("Resolve [")
    # The refund's amount is the one Enter would take (what they paid), not a [[marker]].
    assert "2 Full refund to the original payment I am refunding the full $79.99 to your original payment" in resolve
    c.send("q")
    c.end()


def test_empty_write_my_own_asks_again(tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    c = Coach([str(DAMAGED), "--now", NOW, "--set", "agent=Sam", "--no-log", "--out", str(out)])
    for prompt in ("Enter keeps this reading", "Enter accepts", "What else", "Hear ["):
        c.step(prompt)
    c.step("Empathize [", "w")
    c.step("Your own words for Empathize:", "")
    again = c.step("Empathize [", "4")  # the list again, not the playbook's option kept silently
    assert "✗ nothing written: choose an option, or w and type your words" in again
    assert "2/6 Empathize" in again
    c.step("Apologize [")
    c.step("Resolve [")
    c.step("Root cause [")
    c.step("Prevention note")
    finish = c.step("Enter writes it")
    assert "empathize plans" in finish
    assert c.end()[0] == 0
    assert "I can see this has upset your plans." in out.read_text(encoding="utf-8")


def test_deadline_on_finish_is_in_words(tmp_path: Path) -> None:
    c = Coach([str(DAMAGED), "--now", NOW, "--set", "agent=Sam", "--no-log"])
    finish = _to_finish(c)
    assert "Deadline Monday, 23 November, 3 pm" in finish
    assert "2026-11-23T15:00" not in finish
    c.send("q")
    c.end()


def test_editor_edit_is_saved_and_replays_to_the_same_bytes(tmp_path: Path, run) -> None:
    out = tmp_path / "reply.txt"
    saved = tmp_path / "answers.yaml"
    editor = tmp_path / "editor.sh"
    editor.write_text("#!/bin/sh\nsed -i -e 's/^Regards,$/With kind regards,/' \"$1\"\n")
    editor.chmod(0o755)
    c = Coach(
        [str(DAMAGED), "--now", NOW, "--set", "agent=Sam", "--no-log", "--out", str(out), "--save-answers", str(saved)],
        env={"EDITOR": str(editor)},
    )
    _to_finish(c)
    c.send("e")
    assert "Draft reply (edited by hand)" in c.step("Enter writes it")
    assert c.end()[0] == 0
    written = out.read_bytes()
    assert b"\nWith kind regards,\nSam\n" in written
    assert "edited_draft:" in saved.read_text(encoding="utf-8")
    replay = run("draft", str(DAMAGED), "--answers", str(saved))
    assert replay.code == 0, replay.err
    assert replay.out.encode("utf-8") == written


def test_logging_is_said_on_screen(tmp_path: Path) -> None:
    c = Coach([str(DAMAGED), "--now", NOW, "--set", "agent=Sam", "--out", str(tmp_path / "a.txt")])
    for prompt in ("Enter keeps this reading", "Enter accepts", "What else", "Hear [", "Empathize [", "Apologize ["):
        c.step(prompt)
    c.step("Resolve [")
    diagnose = c.step("Root cause [")
    said = "When you finish, the complaint is logged (replycoach report, followups); --no-log turns that off."
    assert said in diagnose
    c.step("Prevention note")
    finish = c.wait("1-5 go to a step")
    assert said in finish and "Enter writes it and logs it · e edit in $EDITOR" in finish
    c.send()
    code, rest = c.end()
    assert code == 0 and "replycoach: logged as complaint #1 (--no-log to skip)" in rest

    c = Coach([str(DAMAGED), "--now", NOW, "--set", "agent=Sam", "--no-log", "--out", str(tmp_path / "b.txt")])
    finish = _to_finish(c)
    assert "--no-log: this complaint is not logged." in finish
    assert c.wait("1-5 go to a step").startswith("· e edit in $EDITOR")  # "Enter writes it", no "and logs it"
    c.send("")
    code, rest = c.end()
    assert code == 0 and "logged" not in rest
