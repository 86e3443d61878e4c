"""The right reply for a message that is no complaint: thanks name who was praised and for
what, a notice that closes with a polite thanks is the request it is, an auto-reply is no
message to answer, and a request's own questions get a slot to answer them now."""

from __future__ import annotations

import pytest

from replycoach.api import analyze_text, draft_text
from replycoach.message import parse_message

NOW = "2026-11-23T09:00:00+00:00"
SETS = {"agent": "Sam"}

BUNNY = """From: Leah Goldberg <leahg@example.net>
To: frontdesk@hotel.example
Subject: Thank you!!

Hi,

Just got home after our weekend with you and wanted to say a massive thank you, especially to Marco on
reception. Our daughter left her bunny in room 214 and he found it, rang us before we'd even noticed and
had it posted.

The breakfast was great too. We'll definitely be back in the spring.

Leah
"""
ENGINEER = """From: Carol Jenkins <carol@surgery.example>
Subject: Re: How did we do?

Your engineer Tomasz came out on Saturday morning when our phones went down and even labelled the cables
in our comms cupboard. Thanks to him!

Carol
"""
NOTICE = """From: "Finance Team | Oakridge Dental" <finance@oakridge.example>
To: accounts@bookwell.example
Subject: Notice of non-renewal - subscription BW-40917

Dear BookWell,

Please treat this email as our notice not to renew our subscription (customer no. BW-40917) when the
current term ends on 31 December 2026.

Could you please:
- confirm the cancellation in writing, and
- let us know how we can export our appointment history before the account closes.

Thank you for the service over the past three years.

Best regards,
Sunita Rao
"""
OUT_OF_OFFICE = """From: Oliver Grant <oliver.grant@example.com>
To: noreply-updates@ledger.example
Subject: Your monthly summary
Auto-Submitted: auto-replied

Thank you for your email. I am out of the office until Monday 30 November with limited access to email.

Kind regards,
Oliver Grant
"""
# Praise in other languages: the person named, the reply names them back.
STAFF = {
    "ru": ("Хочу сказать спасибо! Курьер Ислам привёз заказ под ливнем на 10 минут раньше.", "Ислам"),
    "he": ("רק רציתי להגיד תודה לנציג דניאל שעזר לי אתמול, סבלני ומקצועי ממש 👏", "דניאל"),
    "es": ("Mil gracias Sergio por la paciencia de ayer con lo del router, ya funciona todo perfecto 😊", "Sergio"),
    "de": ("Vielen Dank an Frau Berger! Ihr Techniker hat alles super erklärt, toller Service.", "Frau Berger"),
    "fr": ("Un grand merci à Julien pour son aide hier au téléphone, service parfait !", "Julien"),
}
# An out-of-office with no header, told by its subject or its words, in other languages.
AUTO_WORDS = {
    "de": (
        "Abwesenheitsnotiz: Ihre Bestellung",
        "Ich bin bis 30.11. nicht im Büro. In dringenden Fällen wenden Sie sich an...",
    ),
    "fr": ("Réponse automatique : votre commande", "Je suis absente du bureau jusqu'au 30 novembre."),
    "es": ("Re: pedido", "Estoy fuera de la oficina hasta el lunes 30 con acceso limitado al correo."),
    "fi": ("Automaattinen vastaus: tilauksesi", "Olen lomalla 30.11. asti."),
    "nb": ("Fravær: bestillingen din", "Jeg er på ferie til 30. november og leser ikke e-post."),
    "ru": ("Автоответ: ваш заказ", "Я в отпуске до 30 ноября, по срочным вопросам пишите коллеге."),
    "he": ("תשובה אוטומטית: ההזמנה שלך", "אני מחוץ למשרד עד יום שני, 30 בנובמבר."),
}


def _mail(subject: str, body: str) -> str:
    return f"From: Pat Doe <pat@example.com>\nTo: shop@example.com\nSubject: {subject}\n\n{body}\n"


def test_praise_names_the_person_and_what_they_did() -> None:
    result = draft_text(BUNNY, sets=SETS, now=NOW, placeholders=True)
    assert result["mode"] == "praise"
    assert result["praise"]["name"] == "Marco" and result["praise"]["staff"] == "Marco on reception"
    draft = result["draft"]
    assert "I will pass your thanks on to Marco" in draft
    assert "rang you before you'd even noticed" in draft  # what he did, from our side
    assert "We look forward to welcoming you back in the spring." in draft
    assert "messages like yours make the team's day" not in draft


def test_praise_tells_the_deed_back_in_the_agents_voice() -> None:
    draft = draft_text(ENGINEER, sets=SETS, now=NOW, placeholders=True)["draft"]
    assert "Tomasz came out on Saturday morning when your phones went down" in draft
    assert " our phones" not in draft


@pytest.mark.parametrize("lang", sorted(STAFF))
def test_praise_names_the_person_in_every_language(lang: str) -> None:
    text, name = STAFF[lang]
    result = draft_text(text, sets=SETS, now=NOW, placeholders=True)
    assert result["mode"] == "praise", result["mode_evidence"]
    assert result["reply_language"]["code"] == lang
    assert result["praise"]["name"] == name
    assert name in result["draft"]


def test_praise_without_a_name_keeps_the_teams_thanks() -> None:
    result = draft_text("Thank you so much, the new kettle is lovely and arrived in a day!", sets=SETS, now=NOW)
    assert result["mode"] == "praise" and result["praise"]["name"] == ""
    assert "I am passing them on to the team" in result["draft"]


def test_a_notice_with_a_polite_thanks_is_a_request() -> None:
    result = draft_text(NOTICE, sets=SETS, now=NOW, placeholders=True)
    assert result["mode"] == "request", result["mode_evidence"]
    draft = result["draft"]
    assert "make the team's day" not in draft and "kind words" not in draft
    assert "cancelling" in draft and "confirmation in writing" in draft
    # The information asked for: told back, with a slot to answer it now and a dated fallback.
    assert "You also asked how you can export your appointment history before the account closes: [[" in draft
    assert "I will write to you with the answer by" in draft


@pytest.mark.parametrize(
    "closing", ["Thanks in advance!", "Thank you for the service over the years.", "Many thanks, Pat"]
)
def test_a_polite_closing_never_makes_a_request_praise(closing: str) -> None:
    text = f"Hello, please cancel my subscription 4411 at the end of this month. {closing}"
    assert analyze_text(text, now=NOW)["mode"] == "request"


def test_the_auto_submitted_header_is_read() -> None:
    assert parse_message(OUT_OF_OFFICE).auto_submitted == "Auto-Submitted: auto-replied"
    human = OUT_OF_OFFICE.replace("auto-replied", "no")
    assert parse_message(human).auto_submitted == ""
    listed = OUT_OF_OFFICE.replace("Auto-Submitted: auto-replied", "Precedence: bulk")
    assert parse_message(listed).auto_submitted == ""
    assert parse_message(OUT_OF_OFFICE.replace("Auto-Submitted: auto-replied", "X-Autoreply: yes")).auto_submitted


def test_an_auto_reply_is_other_and_its_draft_is_a_note_for_the_agent() -> None:
    result = draft_text(OUT_OF_OFFICE, sets=SETS, now=NOW, placeholders=True)
    assert result["mode"] == "other" and result["auto_reply"] is True
    assert result["mode_evidence"] == ["Auto-Submitted: auto-replied"]
    draft = result["draft"].strip()
    # No reply to send: one marker (the batch's needs-agent), no thanks, no promise.
    assert draft.startswith("[[No reply to send") and draft.endswith("]]")
    assert "Thank you" not in draft and "Hi Oliver" not in draft
    assert any(f["rule"] == "unfilled-marker" for f in result["findings"])


@pytest.mark.parametrize("lang", sorted(AUTO_WORDS))
def test_an_out_of_office_without_a_header_is_other_in_its_language(lang: str) -> None:
    subject, body = AUTO_WORDS[lang]
    result = draft_text(_mail(subject, body), sets=SETS, now=NOW, placeholders=True)
    assert result["mode"] == "other" and result["auto_reply"] is True, result["mode_evidence"]
    assert result["draft"].startswith("[[") and result["reply_language"]["code"] == lang
    # The note is one marker the checker finds (so the batch holds it as needs-agent).
    assert any(f["rule"] == "unfilled-marker" for f in result["findings"])


def test_a_customer_answering_our_auto_reply_is_no_auto_reply() -> None:
    text = _mail("Re: Automatic reply: we received your request", "My parcel 5521 still has not arrived, where is it?")
    result = analyze_text(text, now=NOW)
    assert result["auto_reply"] is False and result["mode"] != "other"


def test_being_out_of_the_office_in_a_complaint_is_no_auto_reply() -> None:
    text = "The router died again and I was out of the office when your engineer called. This is ridiculous."
    assert analyze_text(text, now=NOW)["mode"] == "complaint"


@pytest.mark.parametrize(
    "text",
    [
        "@GadgetDepot lol no sorry I meant @GadgetDepotGames, wrong account 😂",
        "asdfghjkk;; sorry cat on keyboard 😂",
        "sorry, falsches Fenster 🙈 das war für meinen Kollegen gedacht, bitte ignorieren",
    ],
)
def test_a_slip_is_other_and_gets_a_friendly_line(text: str) -> None:
    result = draft_text(text, sets=SETS, now=NOW, placeholders=True)
    assert result["mode"] == "other", result["mode_evidence"]
    assert "sorry" not in result["draft"].lower() and "[[" not in result["draft"]


def test_a_wrong_account_charge_stays_a_complaint() -> None:
    text = "My refund went to the wrong account and nobody has fixed it after two weeks."
    assert analyze_text(text, now=NOW)["mode"] == "complaint"
