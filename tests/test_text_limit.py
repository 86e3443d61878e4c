"""The new-text limit (REPLYCOACH_MAX_TEXT): a body of prose far past what any customer
writes is refused in a moment, one line, exit 2, instead of a reading that takes
minutes; an attachment of megabytes does not count."""

from __future__ import annotations

import base64

import pytest

import replycoach
from replycoach.foundation.errors import InputError
from replycoach.message import DEFAULT_MAX_TEXT

PROSE = b"My lamp arrived broken and I want a full refund. " * 20 + b"\n"


def mail(size: int) -> bytes:
    return b"From: Ana <ana@example.com>\nSubject: lamp\n\n" + (PROSE * (size // len(PROSE) + 1))[:size]


def test_a_megabyte_of_prose_is_one_line_exit_2(run, tmp_path) -> None:
    assert DEFAULT_MAX_TEXT == 256 * 1024
    path = tmp_path / "big.eml"
    path.write_bytes(mail(1024 * 1024))
    for args in (["draft", "--placeholders", str(path)], ["analyze", str(path)]):
        r = run(*args)
        assert r.code == 2
        assert r.err.count("\n") == 1 and "longer than 256K characters" in r.err and "REPLYCOACH_MAX_TEXT" in r.err
    with pytest.raises(InputError, match="REPLYCOACH_MAX_TEXT"):
        replycoach.analyze_text(mail(1024 * 1024))


def test_text_under_the_limit_and_a_big_attachment_are_read() -> None:
    assert replycoach.analyze_text(mail(DEFAULT_MAX_TEXT - 4096))["message"]["body"]
    attachment = base64.encodebytes(bytes(range(256)) * 8192)  # 2 MiB, 2.7 MB encoded
    data = (
        b'From: Ana <ana@example.com>\nSubject: lamp\nContent-Type: multipart/mixed; boundary="zz"\n\n'
        b"--zz\nContent-Type: text/plain\n\nMy lamp arrived broken.\n--zz\nContent-Type: image/jpeg\n"
        b"Content-Transfer-Encoding: base64\n\n" + attachment + b"--zz--\n"
    )
    assert "lamp" in replycoach.analyze_text(data)["message"]["body"]


def test_the_text_limit_is_configurable(run, tmp_path, monkeypatch) -> None:
    path = tmp_path / "m.eml"
    path.write_bytes(mail(4000))
    monkeypatch.setenv("REPLYCOACH_MAX_TEXT", "2K")
    r = run("analyze", str(path))
    assert r.code == 2 and "longer than 2K characters" in r.err
    monkeypatch.setenv("REPLYCOACH_MAX_TEXT", "0")  # no limit
    assert run("analyze", str(path)).code == 0
    monkeypatch.setenv("REPLYCOACH_MAX_TEXT", "lots")
    r = run("analyze", str(path))
    assert r.code == 2 and "REPLYCOACH_MAX_TEXT: not a size" in r.err
