"""What the customer asked shapes the reply: the amount they name, what they turn down,
and a question the tool cannot answer gets a time, not a gap."""

from __future__ import annotations

import json

import pytest

import replycoach

from .conftest import NOW

FEES = """From: Rhiannon Price <rhiannon@example.co.uk>
Subject: Charges while my account was frozen

You charged me £25 for each returned payment plus £18 in overdraft interest. £68 in total.
I'd like all £68 refunded, and an explanation of why it took seven days.
"""
HAMPER = """From: Jo Bell <jo@example.com>
Subject: order 55-92210

The bottle of port smashed inside the hamper and soaked everything.
I want a new hamper sent to her, not a refund, it's her present.
"""
QUESTION = """From: Ana Lopez <ana@example.com>
Subject: Question

Hello, do you deliver to the Canary Islands? And what does shipping there cost?
"""


def _json(run, *args: str, stdin: str) -> dict:
    r = run("draft", "--set", "agent=Sam", "--placeholders", "--format", "json", "--now", NOW, *args, stdin=stdin)
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_the_amount_in_the_asking_sentence_is_the_one_refunded(run) -> None:
    result = _json(run, "--playbook", "refund-request", stdin=FEES)
    assert [a["id"] for a in result["asks"]][:1] == ["refund"]
    assert "£68.00" in result["draft"] and "£25.00" not in result["draft"]


def test_what_the_customer_turns_down_is_not_asked_for(run) -> None:
    result = _json(run, "--playbook", "damaged-or-defective", stdin=HAMPER)
    assert [a["id"] for a in result["asks"]] == ["replacement"]
    assert result["choices"]["resolve"] == "replace"


def test_questions_get_an_answer_slot_each_and_a_time_not_a_quote(run) -> None:
    result = _json(run, stdin=QUESTION)
    # Each question is the agent's to answer, in a slot of its own; what needs checking
    # first still has its date. The questions are not quoted back as a list.
    assert (
        "[[answer: Do you deliver to the Canary Islands?]]\n[[answer: And what does shipping there cost?]]\n"
        "If any of this needs checking on our side first, I will confirm it to you by"
    ) in result["draft"]
    assert "You asked" not in result["draft"]


def test_a_short_reply_to_a_question_names_its_time(run) -> None:
    result = _json(run, "--set", "channel=chat", stdin=QUESTION)
    assert "[[" not in result["draft"]
    assert "I am checking that for you and will reply by" in result["draft"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("I need it by Friday please, I called on Monday already.", ("need it by Friday", "2026-11-27")),
        ("I called on Monday and nobody answered.", None),
        ("Seit Montag warte ich, ich brauche es bis Freitag.", ("brauche es bis Freitag", "2026-11-27")),
        ("Jeg har ventet siden mandag.", None),
        ("I have an invoice to send a client TODAY.", ("to send a client TODAY", "2026-11-23")),
        ("It arrived today, broken.", None),
        ("Tarvitsen sen huomenna.", ("Tarvitsen sen huomenna", "2026-11-24")),
        ("Мне нужно до пятницы, срочно.", ("нужно до пятницы", "2026-11-27")),
    ],
)
def test_the_customers_own_date_needs_a_lead(body: str, expected: tuple[str, str] | None) -> None:
    from datetime import datetime

    from replycoach.reading.listening import customer_deadline

    found = customer_deadline(body, datetime.fromisoformat("2026-11-23T09:00:00+01:00"))  # a Monday
    assert (found and (found["text"], found["date"])) == (expected or None)


def test_a_customer_who_needs_it_today_gets_a_promise_for_today(run) -> None:
    message = QUESTION.replace(
        "And what does shipping there cost?", "I need an answer today, the order goes out tonight."
    )
    args = ("draft", "--set", "agent=Sam", "--placeholders", "--format", "json")
    r = run(*args, "--now", "2026-11-23T09:00:00+01:00", stdin=message)  # a Monday morning
    result = json.loads(r.out)
    assert result["customer_deadline"]["date"] == "2026-11-23"
    assert result["deadline"] == "2026-11-23T11:00:00+01:00"  # two business hours, not tomorrow
    plain = json.loads(run(*args, "--now", "2026-11-23T09:00:00+01:00", stdin=QUESTION).out)
    assert plain["deadline"] == "2026-11-24T09:00:00+01:00"


def test_a_question_read_into_a_failure_playbook_gets_the_plain_answer() -> None:
    question = "hey does the 5g sim work in the eu without extra charges? going to spain in jan"
    chat = replycoach.draft_text(question, sets={"agent": "Sam"}, placeholders=True, now=NOW)
    assert chat["channel"] == "chat" and chat["mode"] == "question" and chat["playbook"] == "general"
    assert "refund" not in chat["draft"].lower() and "sorry" not in chat["draft"].lower()
    assert "I am checking that for you and will reply by " in chat["draft"]
    # The letter gives the agent the question's answer slot.
    result = replycoach.draft_text(question, sets={"agent": "Sam"}, placeholders=True, now=NOW, channel="email")
    assert result["mode"] == "question"
    assert result["playbook"] == "general"
    assert "refund" not in result["draft"].lower() and "sorry" not in result["draft"].lower()
    assert "[[answer: Does the 5g sim work in the eu without extra charges?]]" in result["draft"]


def test_the_agent_s_own_playbook_choice_stands_whatever_the_mode() -> None:
    question = "hey does the 5g sim work in the eu without extra charges? going to spain in jan"
    result = replycoach.draft_text(
        question, playbook="billing-error", sets={"agent": "Sam"}, placeholders=True, now=NOW
    )
    assert result["playbook"] == "billing-error"


def test_a_playbook_s_modes_are_validated(tmp_path) -> None:
    from replycoach.foundation.errors import PlaybookError
    from replycoach.playbook.registry import load_registry

    (tmp_path / "lost.yaml").write_text(
        "id: lost\ntitle: Lost\nextends: late-delivery\nmodes: [complain]\n", encoding="utf-8"
    )
    with pytest.raises(PlaybookError, match="modes"):
        load_registry([str(tmp_path)])


@pytest.mark.parametrize(
    ("clause", "trusted"),
    [
        ("if it's an error, kindly refund the difference", False),
        ("you're not 'checking your statement again'", False),
        ("this is your third email and you want it escalated to a senior manager", False),
        ("the cake you ordered for tomorrow came today and it's squashed on one side", True),
        ("you've been overcharged £6.50", True),
    ],
)
def test_an_ask_a_condition_or_a_quotation_is_not_told_back_as_the_problem(clause: str, trusted: bool) -> None:
    from replycoach.reply.listen import trustworthy

    assert trustworthy(clause) is trusted


@pytest.mark.parametrize("lang", ["en", "de", "fi", "nb", "ru", "he", "fr", "es"])
def test_a_discount_left_to_the_agent_is_a_marker_not_zero_per_cent(lang: str) -> None:
    ask = "Hi, could I get a discount on the annual plan?"
    sets = {"agent": "Sam", "resolve": "percent"}
    draft = replycoach.draft_text(ask, playbook="discount-request", sets=sets, placeholders=True, lang=lang, now=NOW)
    assert "0%" not in draft["draft"] and "0 %" not in draft["draft"]
    assert "[[" in draft["steps"]["resolve"]
    given = replycoach.draft_text(
        ask, playbook="discount-request", sets={**sets, "discount_percent": "15"}, lang=lang, now=NOW
    )
    assert "15" in given["steps"]["resolve"]


def test_a_dated_promise_to_find_out_answers_the_questions_for_the_checker() -> None:
    message = "Can I pay in instalments? And when is the blue one back in stock?"
    holding = "Hi there, thanks for getting in touch. I am checking that for you and will reply by Tuesday, 24 November, 9 am. ^Sam"
    undated = "Hi there, thanks for getting in touch. Have a lovely day. ^Sam"
    rules = lambda reply: {f["rule"] for f in replycoach.check_text(reply, message)}  # noqa: E731
    assert "unaddressed-ask" not in rules(holding)
    assert "unaddressed-ask" in rules(undated)
