"""Golden bodies for the fixture emails: every client, language and charset we read."""

from __future__ import annotations

from pathlib import Path

import pytest

from replycoach.message import parse_message

EMAILS = Path(__file__).resolve().parent / "fixtures" / "emails"
CASES = sorted(p for p in EMAILS.iterdir() if not p.name.endswith(".expected.txt"))


def _expected(path: Path) -> str:
    return (EMAILS / (path.name.rsplit(".", 1)[0] + ".expected.txt")).read_text("utf-8").strip()


def test_fixture_set_is_big_enough() -> None:
    assert len(CASES) >= 40
    assert all((EMAILS / (p.name.rsplit(".", 1)[0] + ".expected.txt")).is_file() for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_body_matches_golden(path: Path) -> None:
    msg = parse_message(path.read_bytes())
    assert msg.body == _expected(path)
    assert msg.is_email is path.name.endswith(".eml")
    assert "\ufffd" not in msg.body  # no mojibake replacement in any fixture


def test_headers_are_kept() -> None:
    msg = parse_message((EMAILS / "01-gmail-toppost-en.eml").read_bytes())
    assert (msg.subject, msg.from_name, msg.from_email) == (
        "Re: Your order #48213",
        "Ana Lopez",
        "ana.lopez@example.com",
    )
    assert msg.message_id == "<m1@mail.example.com>"
    assert msg.references == ["<a1@shop>", "<a2@shop>"]
    assert msg.in_reply_to == "<a2@shop>"
    assert msg.to_dict()["references"] == ["<a1@shop>", "<a2@shop>"]


def test_encoded_headers_are_decoded() -> None:
    fr = parse_message((EMAILS / "09-fr-gmail.eml").read_bytes())
    assert (fr.subject, fr.from_name) == ("Re: Colis endommagé", "Amélie Dupont")
    ru = parse_message((EMAILS / "22-ru-koi8r.eml").read_bytes())
    assert (ru.subject, ru.from_name, ru.from_email) == ("Ре: заказ", "Всеволод Левин", "lev@example.ru")
    # Raw UTF-8 in headers (no encoded words) is read as UTF-8.
    uk = parse_message((EMAILS / "24-uk-base64.eml").read_bytes())
    assert (uk.subject, uk.from_name) == ("Re: оплата", "Олена")


def test_quoted_history_and_signature_are_kept_aside() -> None:
    msg = parse_message((EMAILS / "03-outlook-header-block.eml").read_bytes())
    assert msg.quoted.startswith("________________________________\nFrom: Billing")
    assert msg.signature.startswith("Regards,\nJane Miller")
    assert "Tel: +44 20 7946 0958" in msg.signature


def test_sample_loses_its_bare_sign_off_name() -> None:
    from .conftest import SAMPLES

    msg = parse_message((SAMPLES / "damaged.eml").read_bytes())
    assert msg.body.endswith("I want a replacement sent before the weekend, not a form to fill in.")
    assert msg.signature.startswith("Ana\n")


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_stripping_a_clean_body_changes_nothing(path: Path) -> None:
    from replycoach.message import strip_reply

    msg = parse_message(path.read_bytes())
    assert strip_reply(msg.body, msg.from_name)[0] == msg.body
