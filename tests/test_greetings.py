"""Whom the draft greets, and the customer's date: the cases a team lead circled."""

from __future__ import annotations

import pytest

import replycoach

from .conftest import NOW


@pytest.mark.parametrize(
    "sender",
    ["Einkauf | Bäckerei Hofmann GmbH", "Familie Wagner", "Accounts Payable", "Nordlicht Oy", "משפחת כהן"],
)
def test_a_mailbox_company_or_family_sender_is_greeted_by_the_signature_s_name(sender: str) -> None:
    raw = f"From: {sender} <x@example.de>\nSubject: Paket\n\nMein Paket ist kaputt.\n\nViele Grüße\nStefanie Brandt\n"
    assert replycoach.analyze_text(raw)["greet_name"] == "Stefanie"


def test_a_surname_first_russian_sender_is_greeted_by_the_given_name() -> None:
    raw = "From: Соколов Андрей <a@example.ru>\nSubject: Заказ\n\nЗаказ не пришёл.\n"
    assert replycoach.analyze_text(raw)["greet_name"] == "Андрей"


def test_german_formal_greeting_takes_the_surname_from_the_sign_off() -> None:
    raw = "Subject: Abschlag\n\nSie haben meinen Abschlag doppelt abgebucht.\n\nMit freundlichen Grüßen\nHans-Peter Brenner\n"
    draft = replycoach.draft_text(raw, sets={"agent": "Sam"}, placeholders=True, now=NOW)["draft"]
    assert draft.startswith("Guten Tag Hans-Peter Brenner,\n")


def test_a_german_first_name_alone_is_greeted_hallo() -> None:
    raw = "Subject: Abschlag\n\nSie haben meinen Abschlag doppelt abgebucht.\n\nGruß\nMia\n"
    draft = replycoach.draft_text(raw, sets={"agent": "Sam"}, placeholders=True, now=NOW)["draft"]
    assert draft.startswith("Hallo Mia,\n")


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("Bis heute ist nichts gekommen. Nennen Sie mir bis Freitag einen Termin.", "2026-11-27"),
        ("Until today nobody has answered me.", None),
        ("Ich brauche es bis heute Abend.", "2026-11-23"),
        ("I need it by today.", "2026-11-23"),
    ],
)
def test_until_today_is_how_long_not_by_when(text: str, deadline: str | None) -> None:
    found = replycoach.analyze_text(text, now="2026-11-23T09:00:00+01:00")["customer_deadline"]
    assert (found or {}).get("date") == deadline


@pytest.mark.parametrize(
    ("text", "order"),
    [
        ("ההזמנה שלי 55102 לא הגיעה", "55102"),
        ("הזמנה מס' 55102 הגיעה שבורה", "55102"),
        ("Bestellnr 4410027781 kam kaputt an", "4410027781"),
        ("по заказу № 88123 ничего не пришло", "88123"),
        ("Ordrenummer: 55102 er ikke levert", "55102"),
    ],
)
def test_order_numbers_are_found_in_the_customer_s_language(text: str, order: str) -> None:
    assert replycoach.analyze_text(text)["entities"]["order_ids"] == [order]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Danke an euer Team, super schnelle Lieferung!", "de"),
        ("Wann kommt mein Paket? Schon wieder nichts.", "de"),
        ("Kiitos nopeasta toimituksesta, paketti tuli tänään!", "fi"),
    ],
)
def test_a_short_message_is_read_in_its_language(text: str, lang: str) -> None:
    assert replycoach.analyze_text(text)["language"] == lang


def test_a_role_line_under_the_signed_name_is_passed_over() -> None:
    raw = (
        "From: Accounts Payable | Brightwell Dental <ap@example.com>\nSubject: Invoice 5512\n\n"
        "Hi, we were billed twice for invoice 5512.\n\nThanks,\nMarta Kowalczyk\nAccounts Payable\n"
    )
    assert replycoach.analyze_text(raw)["greet_name"] == "Marta"


def test_a_title_above_the_company_line_is_not_taken_for_a_name() -> None:
    raw = (
        "From: Talous | Rakennus Mäki <talous@example.fi>\nSubject: Lasku\n\nHei, laskumme on veloitettu kahdesti.\n\n"
        "Ystävällisin terveisin\nTalouspäällikkö\nRakennus Mäki Oy\n"
    )
    assert replycoach.analyze_text(raw)["greet_name"] is None
