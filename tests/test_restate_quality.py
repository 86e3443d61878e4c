"""The restatement a team lead keeps: one grammatical clause in the agent's voice about
the problem, with its order numbers, amounts and dates; never a pronoun pointing at
nothing, a fragment, the ask instead of the problem, shouting, handles or links."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import replycoach
from replycoach.reading.entities import entities
from replycoach.reading.restate import restate

from .test_analysis_reading import read

NOW = "2026-11-23T09:00:00+01:00"


def _hear(raw: str) -> str:
    return str(replycoach.draft_text(raw, sets={"agent": "Sam"}, placeholders=True, now=NOW)["steps"]["hear"])


@pytest.mark.parametrize(
    ("text", "restatement"),
    [
        # A pronoun with nothing it points to: the sentence that names the thing instead.
        (
            "Hi,\n\nThe delivery of my order 30917 was moved from 11:30 to 15:00. That doesn't work at all.\n",
            "the delivery of your order 30917 was moved from 11:30 to 15:00",
        ),
        ("That doesn't work at all.", ""),
        # Shouting told back calmly, the weekday with its capital, the numbers kept.
        (
            "our building (Larch Court, 40 flats) has had NO HEATING AND NO HOT WATER since saturday morning. "
            "I WANT AN ENGINEER HERE TODAY",
            "your building (Larch Court, 40 flats) has had no heating and no hot water since Saturday morning",
        ),
        # A post's handle, emoji and link go; the customer's event is told as theirs.
        (
            "hey @Streamly you charged me £10.99 TWICE this month (screenshot 👇) and your help centre is just a "
            "loop of FAQs. refund the second one or I'm disputing it with my bank https://pics.example/x7Ka91",
            "you were charged £10.99 twice this month",
        ),
        (
            "@GadgetDepot new air fryer arrived with the basket handle snapped clean off 😤 "
            "https://imgs.example/af-snap.jpg it's a bday present",
            "your new air fryer arrived with the basket handle snapped clean off",
        ),
        (
            "@MeridianBank locked out of my app for 3 days now. fix it",
            "you have been locked out of your app for 3 days now",
        ),
        # The problem, not the ask ("want a full refund ...") after it; the order's number where the order is.
        (
            "half my order is missing (no chips no drinks) order 88213. want a full refund for the whole order "
            "plus a voucher for the hassle",
            "half your order 88213 is missing (no chips no drinks)",
        ),
        # A long sentence is cut after a whole clause, never inside the quote.
        (
            'The online form gives an error at the last step ("something went wrong, try again later") every '
            "single time, tried on my laptop and my phone, and the chat bot just sends me back to the same form.",
            'the online form gives an error at the last step ("something went wrong, try again later") every '
            "single time",
        ),
        # Only a fragment and the ask: nothing to tell back (the playbook's frame speaks).
        (
            "Order 771204, a pair of headphones. I want either the headphones delivered or my money back. "
            "Not waiting another 3 weeks for a robot to reply.",
            "",
        ),
    ],
)
def test_the_restatement_is_the_problem_told_back(text: str, restatement: str) -> None:
    assert read(text)["restatement"] == restatement


@pytest.mark.parametrize(
    ("sentence", "restated"),
    [
        ("YOU cancelled my flight on 12 October, NOT me.", "we cancelled your flight on 12 October, not you"),
        (
            "My parcel was meant to come fri and it still is not here",
            "your parcel was meant to come Friday and it still is not here",
        ),
        (
            "The replacement router you sent on the 16th drops the connection",
            "the replacement router sent to you on the 16th drops the connection",
        ),
        ("internet down again since 6am in #Leeds LS6", "your internet has been down again since 6am in Leeds LS6"),
        ("The Vortex 900 blender arrived cracked", "the Vortex 900 blender arrived cracked"),
        ("My USB stick and PIN reader were never sent", "your USB stick and PIN reader were never sent"),
    ],
)
def test_restate_speaks_calmly_in_the_agent_s_voice(sentence: str, restated: str) -> None:
    assert restate(sentence) == restated


def test_a_dash_joins_the_name_to_the_number_it_is_not_the_number_s() -> None:
    assert entities("Subject: RE: Your refund request [ticket-884120]")["order_ids"] == ["884120"]
    assert entities("order-12345 and ref: AB-12345")["order_ids"] == ["12345", "AB-12345"]


REFUND = "From: Ana <ana@example.{tld}>\nSubject: {subject} [ticket-884120]\n\n{body}\n"


@pytest.mark.parametrize(
    ("tld", "subject", "body", "told"),
    [
        (
            "com",
            "RE: Your refund request",
            "I want my money back for the cancelled flight. It has been six weeks.",
            "If I have understood you correctly, you would like your money back for order 884120.",
        ),
        (
            "de",
            "AW: Ihre Erstattung",
            "Ich möchte mein Geld zurück für den stornierten Flug. Es sind jetzt sechs Wochen.",
            "Ich habe Sie so verstanden: Sie möchten Ihr Geld für die Bestellung 884120 zurück.",
        ),
        (
            "fr",
            "RE: Votre remboursement",
            "Je veux être remboursée pour le vol annulé. Cela fait six semaines.",
            "Si je vous ai bien compris, vous souhaitez obtenir le remboursement de votre commande 884120.",
        ),
        (
            "es",
            "RE: Su reembolso",
            "Quiero que me devuelvan el dinero del vuelo cancelado. Ya han pasado seis semanas.",
            "Si lo he entendido bien, quiere que le devolvamos el dinero del pedido 884120.",
        ),
    ],
)
def test_the_frame_names_the_order_without_the_dash_in_every_language(
    tld: str, subject: str, body: str, told: str
) -> None:
    assert told in _hear(REFUND.format(tld=tld, subject=subject, body=body))


def test_a_plain_problem_behind_a_pronoun_gets_a_sentence_not_the_marker() -> None:
    hear = _hear(
        "From: Hannah <h@example.com>\nSubject: lunch delivery\n\nHi,\n\n"
        "The delivery of my order 30917 was moved from 11:30 to 15:00. That doesn't work at all.\n"
    )
    assert hear.endswith("the delivery of your order 30917 was moved from 11:30 to 15:00.")


def test_a_fragment_and_an_ask_are_never_told_back() -> None:
    hear = _hear(
        "From: Tom <t@example.com>\nSubject: order 771204\n\nOrder 771204, a pair of headphones. I want either the "
        "headphones delivered or my money back. Not waiting another 3 weeks for a robot to reply.\n"
    )
    assert "not waiting" not in hear.lower() and "robot" not in hear
    assert hear.endswith("you would like your money back for order 771204.")


_WORD = st.sampled_from(
    [
        "my",
        "order",
        "12345",
        "arrived",
        "BROKEN",
        "NO",
        "HOT",
        "WATER",
        "since",
        "saturday",
        "@Shop",
        "#fail",
        "https://x.example/a",
        "&amp;",
        "😤",
        "you",
        "charged",
        "me",
        "twice",
        "it",
        "is",
        "USB",
        "the",
        "TODAY",
        ",",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORD, min_size=1, max_size=30))
def test_no_restatement_holds_handles_links_entities_or_shouting(words: list[str]) -> None:
    text = " ".join(words) + "."
    told = read(text)["restatement"]
    assert not re.search(r"@\w|#[^\W\d_]|https?://|&amp;|😤", told)
    assert not re.search(r"\b(?!USB\b)[A-Z]{2,}\s+[A-Z]{2,}\b", told)  # no run of capitals
    assert len(told.split()) <= 24
