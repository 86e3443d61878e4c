"""Inputs the long fuzz campaign (benchmarks/fuzz.py) broke, kept as cases."""

from __future__ import annotations

import pytest

import replycoach
from replycoach.foundation.errors import ReplycoachError
from replycoach.reply.formats import draft_email

NOW = "2026-11-20T17:00:00+01:00"


@pytest.mark.parametrize(
    "sender",
    [
        "\u2066\u200b I have been waiting since Monday \u05d4\u05d4\u05d6",  # text, no address
        "Ahmed <ahmed.rahimi@\x1b[2Jexample.com>",  # a control inside the address
        "=?utf-8?b?4oCL?= Ana L\u00f3pez",  # an encoded word, no address
        "ana@exa mple.com, bo@example.com",
    ],
)
def test_a_from_header_that_is_no_address_gives_a_reply_email_without_to(sender: str) -> None:
    data = f"From: {sender}\nSubject: lamp\n\nMy lamp arrived broken and I want a full refund.\n".encode()
    result = replycoach.draft_text(data, placeholders=True, now=NOW)
    out = draft_email(result)
    head = out.partition(b"\n\n")[0]
    assert b"\x1b" not in head
    to = [ln for ln in head.decode().splitlines() if ln.startswith("To:")]
    assert not to or "@" in to[0]


def test_a_from_address_is_still_read() -> None:
    data = b"From: Ana Lopez <ana@example.com>\nSubject: lamp\n\nMy lamp arrived broken.\n"
    result = replycoach.draft_text(data, placeholders=True, now=NOW)
    assert result["message"]["from_email"] == "ana@example.com"
    assert b"To: Ana Lopez <ana@example.com>" in draft_email(result)


def test_yaml_nested_past_the_stack_is_a_data_error() -> None:
    from replycoach.foundation.yamlio import load_yaml_text

    with pytest.raises(ReplycoachError) as err:
        load_yaml_text("v: " + "[" * 5000 + "]" * 5000 + "\n", file="answers.yaml")
    assert "answers.yaml" in str(err.value) or getattr(err.value, "file", "") == "answers.yaml"


def test_a_from_of_thousands_of_open_parentheses_is_read() -> None:
    from tests.fuzz_shapes import cli_stack

    data = b"From: Ana " + b"(" * 5000 + b" ana@example.com\nSubject: lamp\n\nMy lamp arrived broken.\n"
    with cli_stack():
        result = replycoach.draft_text(data, placeholders=True, now=NOW)
    assert result["message"]["from_email"] in ("", "ana@example.com")
    assert draft_email(result)


def test_yaml_of_thousands_of_open_brackets_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    import yaml

    from replycoach.foundation.yamlio import load_yaml_text

    assert load_yaml_text("v: [[1, {a: [2]}]]\n", file="ok.yaml") == {"v": [[1, {"a": [2]}]]}

    def never(*args: object, **kwargs: object) -> None:  # PyYAML's scanner took seconds on these
        raise AssertionError("parsed")

    monkeypatch.setattr(yaml, "load", never)
    for text in ("v: " + "[" * 14000 + "\n", "v: " + "{a: " * 3000 + "\n"):
        with pytest.raises(ReplycoachError, match="nested too deeply"):
            load_yaml_text(text, file="answers.yaml")
