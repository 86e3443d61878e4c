"""Hostile inputs from issue 18: each one is refused with one line and exit 2, or made
harmless, never a traceback, a hang or a leak."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import replycoach
from replycoach.foundation.errors import InputError

DEPTH = 1000


def rfc822_nested(depth: int) -> bytes:
    wrapper = "From: a@example.com\nSubject: fwd\nContent-Type: message/rfc822\n\n"
    inner = "From: a@example.com\nSubject: lamp\n\nMy lamp arrived broken, I want a refund.\n"
    return (wrapper * depth + inner).encode()


def multipart_nested(depth: int) -> bytes:
    head = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth))
    tail = "".join(f"--b{i}--\n" for i in reversed(range(depth)))
    body = "Content-Type: text/plain\n\nMy lamp arrived broken, I want a refund.\n"
    return ("From: a@example.com\nSubject: lamp\n" + head + body + tail).encode()


@pytest.mark.parametrize("make", [rfc822_nested, multipart_nested])
@pytest.mark.parametrize("command", ["draft", "analyze", "check"])
def test_deep_nesting_is_one_line_exit_2(run, tmp_path, make, command) -> None:
    mail = tmp_path / "deep.eml"
    mail.write_bytes(make(DEPTH))
    args = ["check", "--message", str(mail), "-"] if command == "check" else [command, str(mail)]
    r = run(*args, stdin="Thank you for writing.\n")
    assert r.code == 2
    assert r.err.count("\n") == 1 and "nested too deeply" in r.err
    assert "Traceback" not in r.err


def test_deep_nesting_api_raises_input_error() -> None:
    with pytest.raises(InputError, match="nested too deeply"):
        replycoach.analyze_text(rfc822_nested(DEPTH))
    with pytest.raises(InputError, match="nested too deeply"):
        replycoach.check_text("Thanks.", multipart_nested(DEPTH))


def test_nesting_within_the_limit_is_read() -> None:
    from replycoach.message.mime import MAX_NESTING

    result = replycoach.analyze_text(rfc822_nested(MAX_NESTING - 1))
    assert "broken" in result["message"]["body"]


def test_batch_says_the_same_as_draft(run, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "deep.eml").write_bytes(multipart_nested(DEPTH))
    r = run("batch", "--placeholders", str(folder))
    assert "nested too deeply" in r.out + r.err


def alias_bomb(levels: int = 9) -> str:
    """550 bytes that expand to 9**10 scalars when walked (the validator walks them)."""
    lines = ["values:", "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_in_answers_is_refused_fast(run, tmp_path) -> None:
    bomb = tmp_path / "answers.yaml"
    bomb.write_text(alias_bomb())
    r = run("draft", "--answers", str(bomb), "--placeholders", "-", stdin="My lamp arrived broken.\n")
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert f"{bomb}:2:" in r.err and "anchors and aliases are not allowed" in r.err


@pytest.mark.parametrize(
    "text, line",
    [("a: &x 1\nb: 2\n", 1), ("a: 1\nb:\n  - &x [1]\n", 3), ("base: &b {k: 1}\nother:\n  <<: *b\n", 1)],
)
def test_yaml_loader_refuses_any_anchor_or_alias(text: str, line: int) -> None:
    from replycoach.foundation.errors import DataError
    from replycoach.foundation.yamlio import load_yaml_text

    with pytest.raises(DataError) as caught:
        load_yaml_text(text, file="x.yaml")
    assert caught.value.file == "x.yaml" and caught.value.line == line


def test_yaml_bomb_in_rules_and_playbooks_is_refused(run, tmp_path, monkeypatch) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bomb.yaml").write_text(alias_bomb())
    monkeypatch.setenv("REPLYCOACH_RULES", str(rules))
    r = run("check", "-", stdin="Thanks for writing.\n")
    assert r.code == 2 and "anchors and aliases are not allowed" in r.err
    books = tmp_path / "books"
    books.mkdir()
    (books / "bomb.yaml").write_text(alias_bomb())
    r = run("playbooks", "validate", str(books / "bomb.yaml"))
    assert r.code == 2 and "anchors and aliases are not allowed" in r.err


def test_saved_answers_never_hold_aliases() -> None:
    import yaml

    from replycoach.foundation.yamlio import load_yaml_text

    shared = ["a", "b"]

    class Walk:
        saved_answers = staticmethod(lambda: {"one": shared, "two": shared})

    from replycoach.terminal.coach_walk import Walk as Real

    text = Real.answers_yaml(Walk())  # type: ignore[arg-type]
    assert "&" not in text and "*" not in text
    assert load_yaml_text(text, file="saved.yaml") == yaml.safe_load(text)


CONTROL_MAIL = (
    b'From: "Ana\x1b]0;pwned\x07 L\xc3\xb3pez" <ana@example.com>\n'
    b"Subject: R\xc3\xa9clamation: lamp \x1b[2J broken \xc2\x9b31m\n"
    b"Message-ID: <x1@example.com>\n"
    b"Content-Type: text/plain; charset=utf-8\n\n"
    b"Hi, my lamp arrived broken. I want a full refund before Sunday.\nAna\n"
)
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


# The body's controls come out as they went in (test_customer_text_is_data_in_every_format);
# the terminal boundary makes them visible. Headers have no business carrying any.
@pytest.mark.parametrize("fmt", ["text", "md", "eml", "json"])
def test_no_raw_control_character_from_the_headers_in_any_format(run, tmp_path, fmt) -> None:
    mail = tmp_path / "ctl.eml"
    mail.write_bytes(CONTROL_MAIL)
    r = run("draft", "--placeholders", "--format", fmt, str(mail))
    assert r.code in (0, 1)
    assert not RAW_CONTROL.search(r.out), repr(RAW_CONTROL.search(r.out))
    if fmt == "eml":
        import email
        from email import policy

        headers = [ln for ln in r.out.splitlines() if ln.startswith(("Subject:", "To:"))]
        assert all(ln.isascii() for ln in headers)  # RFC 2047 encoded words for the non-ASCII
        reply = email.message_from_string(r.out, policy=policy.default)
        assert reply["Subject"] == "Re: Réclamation: lamp [2J broken 31m"
        assert reply["To"].addresses[0].display_name == "Ana]0;pwned López"


def test_json_escapes_every_control_character() -> None:
    import json

    from replycoach.reply.formats import to_json

    value = {"s": "a\x1bb\x07c\x9bd\x7fe\x85"}
    text = to_json(value)
    assert not RAW_CONTROL.search(text)
    assert json.loads(text) == value


def test_eml_from_an_api_message_with_controls_is_clean() -> None:
    from replycoach.message import Message
    from replycoach.reply.formats import draft_email

    message = Message(
        body="My lamp arrived broken.", subject="lamp \x1b[2J", from_name="Ana\x07", from_email="ana@example.com"
    )
    result = replycoach.draft_text(message, placeholders=True)
    out = draft_email(result).decode("ascii")
    assert not RAW_CONTROL.search(out)


def test_eml_to_a_non_ascii_address() -> None:
    mail = "From: José <josé@exämple.com>\nSubject: lamp\n\nMy lamp arrived broken.\n".encode()
    from replycoach.reply.formats import draft_email

    out = draft_email(replycoach.draft_text(mail, placeholders=True))
    assert "To: José <josé@exämple.com>".encode() in out


CARD_MAIL = (
    b"From: Ana <ana@example.com>\nSubject: double charge on card 4111 1111 1111 1111\n\n"
    b"You charged my card 4111 1111 1111 1111 twice! Refund me.\n"
)


@pytest.mark.parametrize("fmt", ["eml", "json", "md", "text"])
def test_card_number_in_the_subject_is_masked(run, tmp_path, fmt) -> None:
    mail = tmp_path / "card.eml"
    mail.write_bytes(CARD_MAIL)
    r = run("draft", "--placeholders", "--format", fmt, str(mail))
    assert "4111 1111 1111 1111" not in r.out
    if fmt == "eml":
        assert "Subject: Re: double charge on card **** **** **** 1111" in r.out
    if fmt == "json":
        assert json.loads(r.out)["message"]["subject"] == "double charge on card **** **** **** 1111"


def test_checker_reads_the_subject_of_a_reply_email(run, tmp_path) -> None:
    leak = tmp_path / "reply.eml"
    leak.write_bytes(b"From: sam@example.com\nSubject: Re: card 4111 1111 1111 1111\n\nI have refunded you.\n")
    r = run("check", str(leak))
    assert r.code == 1
    assert f"{leak}:0:10 error card-number" in r.out
    clean = tmp_path / "clean.eml"
    clean.write_bytes(b"From: sam@example.com\nSubject: Re: card ending in 1111\n\nI have refunded you.\n")
    assert "card-number" not in run("check", str(clean)).out
    assert [f["rule"] for f in replycoach.check_text("Done.", subject="Re: 4111 1111 1111 1111")] == ["card-number"]


def test_a_message_over_the_size_limit_is_one_line_exit_2(run, tmp_path) -> None:
    from replycoach.message import DEFAULT_MAX_SIZE

    assert DEFAULT_MAX_SIZE == 10 * 1024 * 1024
    big = b"From: a@example.com\nSubject: big\n\n" + b"My lamp arrived broken.\n" * (DEFAULT_MAX_SIZE // 24 + 1)
    mail = tmp_path / "big.eml"
    mail.write_bytes(big)
    for args, stdin in ((["draft", "--placeholders", str(mail)], b""), (["analyze", "-"], big)):
        r = run(*args, stdin=stdin)
        assert r.code == 2
        assert r.err.count("\n") == 1 and "larger than 10 MiB" in r.err and "REPLYCOACH_MAX_SIZE" in r.err
    with pytest.raises(InputError, match="larger than"):
        replycoach.analyze_text(big)


def test_the_size_limit_is_configurable(run, tmp_path, monkeypatch) -> None:
    mail = tmp_path / "m.eml"
    mail.write_bytes(b"From: a@example.com\nSubject: lamp\n\n" + b"My lamp arrived broken. " * 100)
    monkeypatch.setenv("REPLYCOACH_MAX_SIZE", "1K")
    r = run("analyze", str(mail))
    assert r.code == 2 and "larger than 1024 bytes" in r.err
    monkeypatch.setenv("REPLYCOACH_MAX_SIZE", "0")  # no limit
    assert run("analyze", str(mail)).code == 0
    monkeypatch.setenv("REPLYCOACH_MAX_SIZE", "lots")
    r = run("analyze", str(mail))
    assert r.code == 2 and "REPLYCOACH_MAX_SIZE: not a size" in r.err


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads the process tree from /proc")
def test_batch_workers_exit_when_the_parent_is_killed(tmp_path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "PYTHONPATH": str(Path(replycoach.__file__).parent.parent)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "replycoach", "batch", "--jobs", "2", "--placeholders", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stdin is not None
    record = json.dumps({"id": "m", "message": "My lamp arrived broken, I want a refund."}) + "\n"
    proc.stdin.write(record.encode() * 70)  # one chunk goes to the workers; the pipe stays open
    proc.stdin.flush()

    def children(pid: int) -> list[int]:
        out = []
        for entry in Path("/proc").iterdir():
            try:
                if entry.name.isdigit() and (entry / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                    out.append(int(entry.name))
            except OSError:
                continue
        return out

    def running(pid: int) -> bool:
        try:
            return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            return False

    deadline = time.monotonic() + 60
    while len(children(proc.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    workers = children(proc.pid)
    assert len(workers) >= 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 10
    alive = workers
    while alive and time.monotonic() < deadline:
        time.sleep(0.1)
        alive = [w for w in alive if running(w)]
    for w in alive:  # leave nothing behind, even when the test fails
        os.kill(w, signal.SIGKILL)
    assert alive == []


def test_masking_before_storage_keeps_ids_and_masks_agent_text(tmp_path) -> None:
    from replycoach.record import logbook

    mail = b"From: Ana <ana@example.com>\nSubject: login\n\nI cannot log in, my password is hunter2.\n"
    result = replycoach.draft_text(mail, placeholders=True)
    result["findings"].append(
        {"rule": "password-echo", "severity": "error", "line": 1, "column": 1, "text": "pw x9", "message": "m"}
    )
    result["steps"]["diagnose"]["note"] = "pw Hunter2!secret and CVV 123"  # typed by the agent
    row = logbook.row_from_result(result, {})
    findings = json.loads(row["findings"])
    assert "password-echo" in [f["rule"] for f in findings]
    assert {"rule": "password-echo", "text": "pw [password]"}.items() <= findings[-1].items()
    assert "Hunter2" not in row["note"] and "123" not in row["note"]
    assert row["note"] == "pw [password] and CVV [cvv]"


@pytest.mark.parametrize(
    "text, masked",
    [
        ("CVV 123", "CVV [cvv]"),
        ("my cvc is 1234", "my cvc is [cvv]"),
        ("CVV2: 987", "CVV2: [cvv]"),
        ("the security code 321", "the security code [cvv]"),
        ("the CVV was wrong", "the CVV was wrong"),
        ("password-echo", "password-echo"),
        ("my password was reset", "my password was reset"),
    ],
)
def test_privacy_mask_shapes(text: str, masked: str) -> None:
    from replycoach.record.privacy import mask

    assert mask(text) == masked


@pytest.mark.parametrize("message_id", ["Message-ID: <same-1@example.com>\n", ""])
def test_the_same_message_logged_four_times_is_one_complaint(run, tmp_path, message_id) -> None:
    mail = tmp_path / "m.eml"
    mail.write_text(
        f"From: Ana Lopez <ana@example.com>\n{message_id}Subject: lamp\n\nMy lamp arrived broken. I want a refund.\n"
    )
    db = str(tmp_path / "log.db")
    draft = ("draft", "--log", "--db", db, "--set", "agent=Sam", "--placeholders", "--format", "json")
    for hour in range(10, 14):
        r = run(*draft, "--now", f"2026-11-2{hour - 10}T{hour}:00:00+00:00", str(mail))
        assert r.code in (0, 1), r.err
    result = json.loads(r.out)
    assert result["customer_type"]["id"] != "chronic"
    assert result["history"]["complaints"] == 0
    from replycoach.record import logbook

    assert len(logbook.rows(db=db)) == 1
    other = tmp_path / "other.eml"
    other.write_text("From: Ana Lopez <ana@example.com>\nSubject: lamp\n\nThe replacement lamp is broken too.\n")
    r = run(*draft, "--now", "2026-11-25T10:00:00+00:00", str(other))
    assert json.loads(r.out)["history"]["complaints"] == 1  # a new message still counts the earlier one
    assert len(logbook.rows(db=db)) == 2


def test_an_amount_from_the_message_that_is_no_number_leaves_the_marker(run) -> None:
    # "$1,2,3" is read as an amount; as the refund's figure it is no number. That is the
    # customer's text, not the agent's answer: the draft keeps the marker (exit 0 with
    # the unfilled-marker finding); before, the draft failed with exit 2.
    r = run(
        "draft", "--placeholders", "--set", "agent=Sam",
        stdin="You charged me $1,2,3 twice for the same order, I want a refund of it.\n",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert "I am refunding the full [[refund amount]] to your original payment method" in r.out
    assert "error unfilled-marker" in r.err
