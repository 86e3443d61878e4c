"""Short replies: a safety question is answered in a chat complaint too, and a time or a
number is never told back as the customer's problem."""

from __future__ import annotations

from datetime import datetime

import replycoach
from replycoach.reply.listen import RESTATE_MARKER, trustworthy

NOW = datetime.fromisoformat("2026-11-23T09:00:00+01:00")
HEATER = "my heater from order 4471 arrived with a melted plug, this is unacceptable!! is it safe to use?"


def _chat(text: str) -> str:
    result = replycoach.draft_text(text, sets={"agent": "Sam"}, channel="chat", placeholders=True, now=NOW)
    return str(result["draft"])


def test_a_chat_complaint_answers_its_safety_question() -> None:
    draft = _chat(HEATER)
    assert "I am sorry, and that is on us." in draft
    assert draft.rstrip().endswith(
        "Please don't use it until you hear from me: I am checking it with our product team"
        " and will answer by Tuesday, 24 November, 9 am. – Sam"
    )


def test_a_chat_complaint_without_a_safety_question_adds_no_answer() -> None:
    draft = _chat("my heater from order 4471 arrived with a melted plug, this is unacceptable!!")
    assert "Please don't use it" not in draft


def test_times_and_numbers_are_no_restatement() -> None:
    assert not trustworthy("8 10 p.m.")
    assert not trustworthy("4471 4472 12:30")
    assert trustworthy("your heater arrived with a melted plug")
    assert RESTATE_MARKER in _chat("8 10 p.m. would be best")


def test_a_short_reply_promises_its_date_once() -> None:
    # The answer to the question already promises a reply by the date: no second promise.
    draft = _chat("hi, could i move my delivery slot for order 88213 to thursday evening instead? thanks")
    assert draft.count("Tuesday, 24 November, 9 am") == 1
    # A fix whose own sentence carries the date (its full stops: "23. november kl. 11.00").
    draft = _chat("hei vil si opp abonnementet mitt. har prøvt i appen 2 ganger men knappen gjør ingenting")
    assert draft.count("23. november kl. 11.00") == 1, draft
