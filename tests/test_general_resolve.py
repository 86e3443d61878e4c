"""The plain HEARD walk (playbook `general`) resolves what the customer asked for, and
with no ask it promises a dated answer: never a `[[what I will do]]` gap for a message
that already says what the customer wants."""

from __future__ import annotations

import json

from .conftest import NOW

WORKSHOP = """From: Priya Nair <priya.nair@example.com>
Subject: Saturday workshop

The pottery workshop on Saturday started 45 minutes late and the teacher left early.
We paid £60 for the two of us, and the parking cost £8 on top. I would like a refund of the £60.
"""
RECEPTION = """From: Daniel Okafor <daniel.okafor@example.com>
Subject: Reception on Tuesday

Your receptionist was rude to my mother on Tuesday and left her waiting an hour in the lobby
without a chair. She is 81. This is not how anyone should be treated.
"""
KURS = """From: Lena Kraus <lena.kraus@example.de>
Subject: Töpferkurs

Der Töpferkurs am Samstag hat 45 Minuten zu spät angefangen und die Lehrerin ist früher gegangen.
Ich möchte eine Rückerstattung der 60 €.
"""
EMPFANG = """From: Lena Kraus <lena.kraus@example.de>
Subject: Empfang

Ihre Rezeptionistin war am Dienstag sehr unfreundlich zu meiner Mutter und hat sie eine Stunde
ohne Stuhl in der Lobby warten lassen. Meine Mutter ist 81. So geht man nicht mit Menschen um.
"""


def _draft(run, *args: str, stdin: str, restatement: str = "this went wrong for you") -> dict:
    r = run(
        "draft",
        "--set",
        "agent=Sam",
        "--set",
        f"restatement={restatement}",
        "--format",
        "json",
        "--now",
        NOW,
        *args,
        stdin=stdin,
    )
    assert r.code == 0, r.err
    return json.loads(r.out)


def _above_suggestion(result: dict) -> list[dict]:
    return [f for f in result["findings"] if f["severity"] != "suggestion"]


def test_a_refund_asked_of_the_plain_walk_gets_the_refund(run) -> None:
    result = _draft(run, "--playbook", "general", stdin=WORKSHOP)
    assert "refund" in [a["id"] for a in result["asks"]]
    assert result["choices"]["resolve"] == "refund"
    resolve = result["steps"]["resolve"]
    # The figure of the sentence asking for it, not the parking.
    assert resolve.startswith("I am refunding the full £60.00 to your original payment method by ")
    assert "[[" not in result["draft"]
    assert _above_suggestion(result) == []


def test_a_refund_with_no_figure_leaves_only_the_amount_to_the_agent(run) -> None:
    body = WORKSHOP.replace("We paid £60 for the two of us, and the parking cost £8 on top. ", "").replace(
        " of the £60", ""
    )
    result = _draft(run, "--playbook", "general", "--placeholders", stdin=body)
    assert result["choices"]["resolve"] == "refund"
    assert "the full [[refund amount]] to your original payment method" in result["steps"]["resolve"]
    assert "[[what I will do]]" not in result["draft"]


def test_a_complaint_with_no_ask_gets_a_dated_look_into_with_no_marker(run) -> None:
    result = _draft(run, stdin=RECEPTION)
    assert result["playbook"] == "general"
    assert [a["id"] for a in result["asks"]] == []
    assert result["choices"]["resolve"] == "look-into"
    assert result["steps"]["resolve"] == (
        "I am looking into this myself, and by Monday, 23 November, 5 pm I will write to you with "
        "what I have found and what I will do to put it right."
    )
    assert "[[" not in result["draft"]
    assert _above_suggestion(result) == []


def test_the_agent_can_still_write_the_fix(run) -> None:
    result = _draft(run, "--set", "resolve=fix", "--set", "action=speak to the receptionist", stdin=RECEPTION)
    assert result["steps"]["resolve"].startswith("Here is what I will do: I will speak to the receptionist, and ")


def test_in_german_the_refund_and_the_look_into_are_german(run) -> None:
    refund = _draft(run, "--playbook", "general", stdin=KURS, restatement="der Kurs hat zu spät angefangen")
    assert refund["language"] == "de"
    assert refund["choices"]["resolve"] == "refund"
    assert refund["steps"]["resolve"].startswith(
        "Ich erstatte Ihnen den vollen Betrag von 60,00\u00a0€ bis Montag, 23. November, 17:00 Uhr auf Ihr"
    )
    assert "[[" not in refund["draft"]
    assert _above_suggestion(refund) == []

    look = _draft(run, stdin=EMPFANG, restatement="Ihre Mutter musste eine Stunde ohne Stuhl warten")
    assert (look["playbook"], look["language"]) == ("general", "de")
    assert look["choices"]["resolve"] == "look-into"
    assert look["steps"]["resolve"] == (
        "Ich kümmere mich selbst darum und schreibe Ihnen bis Montag, 23. November, 17:00 Uhr, was ich "
        "herausgefunden habe und was ich unternehme, um es in Ordnung zu bringen."
    )
    assert "[[" not in look["draft"]
    assert _above_suggestion(look) == []


def test_every_grantable_ask_has_an_option_in_the_plain_walk() -> None:
    from replycoach.playbook.registry import GRANTABLE, load_registry
    from replycoach.reply.listen import granting_option

    options = load_registry().playbooks["general"]["steps"]["resolve"]["options"]
    granted = {ask: granting_option(options, [ask]) for ask in GRANTABLE}
    assert None not in granted.values(), granted
    assert granted["refund"] == "refund" and granted["callback"] == "callback"
    # What grants an ask decides it for the customer: never the agent's blank sentence.
    assert "fix" not in granted.values()


def test_a_money_question_can_take_the_customers_figure() -> None:
    from replycoach.playbook.answers import from_message

    question = {"id": "refund_amount", "type": "money", "from_message": "amount"}
    assert from_message(question, None, {"amounts": ["£60", "£8"]}) == ("£60", "entities.amounts")
    assert from_message(question, None, {"amounts": []}) is None
