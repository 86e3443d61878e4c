"""Drafts that listen: a customer writing again is not thanked for telling us straight away
and the repeat is owned; an ask the resolve leaves open gets what the reply will do."""

from __future__ import annotations

import json

import pytest

from .conftest import NOW

THIRD_EN = """From: Ana Lopez <ana@example.com>
Subject: Broken lamp

Hello,

This is the third time I am writing about this. My floor lamp from order LH-558201 arrived
with its glass shade smashed. I want a replacement.

Ana
"""
FIRST_EN = THIRD_EN.replace("This is the third time I am writing about this. ", "")
THIRD_DE = """From: Jonas Weber <jonas@example.de>
Subject: Lampe kaputt

Guten Tag,

ich schreibe Ihnen jetzt zum dritten Mal. Meine Stehlampe aus Bestellung LH-558201 kam mit
zerbrochenem Glasschirm an. Ich möchte bitte einen Ersatz.

Jonas Weber
"""
FIRST_DE = THIRD_DE.replace("ich schreibe Ihnen jetzt zum dritten Mal. ", "")
CALLBACK = """From: Ana Lopez <ana@example.com>
Subject: My account

Hello,

Something is wrong with the invoice you sent me last week. Please cancel my subscription,
and could you call me on 07700 900123? I also want compensation for the hours I have wasted.

Ana
"""


def _draft(run, text: str, *args: str) -> str:
    r = run("draft", "--set", "agent=Sam", "--placeholders", "--format", "json", "--now", NOW, *args, stdin=text)
    assert r.code == 0, r.err
    return str(json.loads(r.out)["draft"])


@pytest.mark.parametrize(
    ("third", "first", "prompt", "owned"),
    [
        (THIRD_EN, FIRST_EN, "straight away", "the third time you have had to write"),
        (THIRD_DE, FIRST_DE, "gleich gemeldet", "zum dritten Mal schreiben"),
    ],
)
def test_a_third_email_is_not_thanked_for_promptness_and_the_repeat_is_owned(run, third, first, prompt, owned) -> None:
    assert prompt in _draft(run, first)  # the line exists for a first message: the test can fail
    again = _draft(run, third)
    assert prompt not in again
    assert owned in again


@pytest.mark.parametrize("playbook", ["general", "outage", "billing-error", "damaged-or-defective"])
def test_no_thanks_for_telling_me_on_a_repeat_in_any_routed_text(run, playbook: str) -> None:
    draft = _draft(run, THIRD_EN, "--playbook", playbook)
    for thanks in ("Thank you for telling me", "thank you for telling me", "Thank you for pointing this out"):
        assert thanks not in draft
    assert "you have had to write" in draft


def test_a_callback_with_a_number_gets_the_call_promise_and_compensation_the_cannot_shape(run) -> None:
    draft = _draft(run, CALLBACK, "--playbook", "general")
    assert "I will also call you on 07700 900123 by " in draft
    assert "I can't promise compensation today; what I can do is" in draft
    assert "[[yes, or what I can do instead]]" not in draft


def test_a_callback_in_a_routed_playbook_is_promised_too(run) -> None:
    asked = THIRD_EN.replace("I want a replacement.", "I want a replacement, and could you call me on 07700 900123?")
    assert "I will also call you on 07700 900123 by " in _draft(run, asked)


def test_the_call_promise_is_in_the_customers_language(run) -> None:
    asked = THIRD_DE.replace(
        "Ich möchte bitte einen Ersatz.", "Ich möchte bitte einen Ersatz. Rufen Sie mich bitte an."
    )
    draft = _draft(run, asked)
    assert "Ich rufe Sie außerdem bis " in draft
