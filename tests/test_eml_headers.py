"""``--format eml``: a reply a mail client shows with its sender, threaded under the message."""

from __future__ import annotations

import email
from email import policy

from .conftest import NOW, SAMPLES

SAMPLE = str(SAMPLES / "damaged.eml")


def _headers(data: bytes) -> email.message.EmailMessage:
    msg = email.message_from_bytes(data, policy=policy.default)
    assert isinstance(msg, email.message.EmailMessage)
    return msg


def _eml(run, *args: str) -> email.message.EmailMessage:
    r = run("draft", SAMPLE, "--now", NOW, "--format", "eml", *args)
    assert r.code == 0, r.err
    return _headers(r.out.encode("utf-8"))


def test_from_and_message_id_come_from_the_config(run) -> None:
    assert run("config", "set", "agent", "Sam").code == 0
    assert run("config", "set", "from", "Sämi Lee <sam@shop.example>").code == 0
    msg = _eml(run)
    assert str(msg["From"]) == "Sämi Lee <sam@shop.example>"
    assert msg["From"].addresses[0].addr_spec == "sam@shop.example"
    assert str(msg["Message-ID"]).endswith("@shop.example>")
    assert str(msg["To"]) == "Ana Lopez <ana.lopez@example.com>"
    assert str(msg["Subject"]) == "Re: Blender arrived BROKEN - order #48213"
    assert str(msg["In-Reply-To"]) == "<CAF7x9q1.48213@mail.example.com>"
    assert str(msg["References"]) == "<CAF7x9q1.48213@mail.example.com>"
    assert msg.get_content().rstrip().endswith("Sam")


def test_set_and_environment_win_over_the_config(run, monkeypatch) -> None:
    run("config", "set", "from", "File <file@file.example>")
    monkeypatch.setenv("REPLYCOACH_FROM", "Env <env@env.example>")
    msg = _eml(run, "--set", "agent=Sam")
    assert (str(msg["From"]), str(msg["Message-ID"]).rsplit("@", 1)[1]) == ("Env <env@env.example>", "env.example>")
    msg = _eml(run, "--set", "agent=Sam", "--set", "from=Kim <kim@set.example>")
    assert (str(msg["From"]), str(msg["Message-ID"]).rsplit("@", 1)[1]) == ("Kim <kim@set.example>", "set.example>")


def test_without_a_sender_there_is_no_from_and_an_invalid_domain(run) -> None:
    msg = _eml(run, "--set", "agent=Sam")
    assert msg["From"] is None
    assert str(msg["Message-ID"]).endswith("@replycoach.invalid>")
    assert str(msg["In-Reply-To"]) == "<CAF7x9q1.48213@mail.example.com>"


def test_batch_eml_files_carry_the_sender(run, tmp_path) -> None:
    run("config", "set", "agent", "Sam")
    run("config", "set", "from", "Sam Lee <sam@shop.example>")
    inbox = tmp_path / "in"
    inbox.mkdir()
    (inbox / "one.eml").write_bytes((SAMPLES / "damaged.eml").read_bytes())
    r = run("batch", str(inbox), "--out", str(tmp_path / "out"), "--format", "eml", "--now", NOW, "--jobs", "1")
    assert r.code == 0, r.err
    [written] = list((tmp_path / "out").iterdir())
    msg = _headers(written.read_bytes())
    assert str(msg["From"]) == "Sam Lee <sam@shop.example>"
    assert str(msg["Message-ID"]).endswith("@shop.example>")
    assert str(msg["In-Reply-To"]) == "<CAF7x9q1.48213@mail.example.com>"


def test_a_sender_without_an_address_is_no_from(run) -> None:
    msg = _eml(run, "--set", "agent=Sam", "--set", "from=Kim")
    assert msg["From"] is None
    assert str(msg["Message-ID"]).endswith("@replycoach.invalid>")
