"""Hostile inputs from issue 18: each one is refused with one line and exit 2, or made
harmless, never a traceback, a hang or a leak."""

from __future__ import annotations

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
