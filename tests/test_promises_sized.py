"""Promises sized to the case: the customer's own day or occasion is met or honestly
missed, in the reply's language, and a case that cannot wait gets hours, not tomorrow."""

from __future__ import annotations

import pytest

import replycoach

from .conftest import NOW

THURSDAY = "2026-11-19T10:00:00+01:00"  # a Thursday morning: the business day is open
MONDAY_LATE = "2026-11-23T15:30:00+01:00"  # a Monday, ninety minutes before the close


def _draft(message: str, now: str, **kw: object) -> dict:
    # These one-line messages read as chat; the sentences under test are the letter's.
    kw.setdefault("channel", "email")
    return replycoach.draft_text(message, sets={"agent": "Sam"}, placeholders=True, now=now, **kw)


@pytest.mark.parametrize(
    ("message", "sentence"),
    [
        (
            "My order hasn't arrived and I need it today.",
            "You need this today: you will hear from me again today.",
        ),
        (
            "Meine Bestellung ist noch nicht da. Ich brauche sie heute!",
            "Sie brauchen das heute: Sie hören noch heute von mir.",
        ),
        (
            "Tilaukseni ei ole vieläkään tullut. Tarvitsen sen tänään.",
            "Tarvitset tämän tänään: kuulet minusta vielä tänään.",
        ),
    ],
)
def test_a_same_day_need_gets_a_promise_for_that_day(message: str, sentence: str) -> None:
    result = _draft(message, THURSDAY)
    assert result["customer_deadline"]["date"] == "2026-11-19"
    assert result["deadline"] == "2026-11-19T14:00:00+01:00"  # the playbook's own promise, today
    assert sentence in result["draft"]
    assert "before" not in sentence and "comes before then" not in result["draft"]


@pytest.mark.parametrize(
    ("message", "sentence"),
    [
        (
            "My order hasn't arrived and I need it today.",
            "I know you need this today. I can't promise it today: Monday is the soonest I can promise,"
            " and I will tell you at once if it can be sooner.",
        ),
        (
            "Meine Bestellung ist noch nicht da. Ich brauche sie heute!",
            "Sie brauchen das heute. Für heute kann ich es Ihnen leider nicht zusagen: Montag ist der"
            " früheste Termin, den ich zusagen kann, und ich sage Ihnen sofort Bescheid, wenn es doch schneller geht.",
        ),
        (
            "Tilaukseni ei ole vieläkään tullut. Tarvitsen sen tänään.",
            "Tarvitset tämän tänään. Valitettavasti en voi luvata sitä tälle päivälle: aikaisintaan voin"
            " luvata sen maanantaina, ja kerron heti, jos se onnistuu nopeammin.",
        ),
    ],
)
def test_a_same_day_need_after_the_close_is_told_honestly(message: str, sentence: str) -> None:
    result = _draft(message, NOW)  # Friday 17:00: the business day is over
    assert result["deadline"].startswith("2026-11-23")
    assert sentence in result["draft"]


def test_an_occasion_is_read_as_the_customers_day_and_named_back() -> None:
    message = "I ordered the cake stand two weeks ago and it still hasn't arrived. The party is on Sunday."
    result = _draft(message, THURSDAY)
    assert result["customer_deadline"] == {"text": "party is on Sunday", "date": "2026-11-22", "event": "party"}
    assert "You need it for the party on Sunday: you will hear from me today, in good time." in result["draft"]
    assert _draft(message.replace("is on", "was on"), THURSDAY)["customer_deadline"] is None


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("de", "Sie brauchen es für die Feier am Sonntag: Sie hören noch heute von mir, also rechtzeitig."),
        ("fi", "Tarvitset sen juhliin sunnuntaina: kuulet minusta vielä tänään, eli ajoissa."),
    ],
)
def test_an_occasion_in_the_reply_s_language(lang: str, sentence: str) -> None:
    message = {
        "de": "Meine Bestellung ist noch nicht angekommen. Die Feier ist am Sonntag.",
        "fi": "Tilaukseni ei ole vieläkään tullut. Juhlat ovat sunnuntaina.",
    }[lang]
    assert sentence in _draft(message, THURSDAY)["draft"]


def test_a_promise_after_the_customer_s_day_says_so() -> None:
    message = "I ordered the cake stand two weeks ago and it still hasn't arrived. The party is on Sunday."
    result = _draft(message, NOW)  # Friday 17:00: nothing can be promised before Monday
    assert result["deadline"] == "2026-11-23T13:00:00+01:00"  # a rush that cannot make Sunday is not taken
    assert (
        "I know you need it for the party on Sunday. I can't promise it before the party: Monday is the soonest"
        " I can promise, and I will tell you at once if it can be sooner."
    ) in result["draft"]


TERMINAL = (
    "Our card terminal stopped working this morning and we have a queue of customers at the till."
    " We can't take card payments at all. Please help urgently.\nMark"
)


def test_a_terminal_down_with_customers_waiting_gets_a_same_business_day_promise() -> None:
    morning = _draft(TERMINAL, "2026-11-23T10:00:00+01:00")
    assert morning["playbook"] == "damaged-or-defective"
    assert morning["deadline"] == "2026-11-23T12:00:00+01:00"
    assert "by Monday, 23 November, noon" in morning["draft"]
    late = _draft(TERMINAL, MONDAY_LATE)  # two business hours would be tomorrow morning
    assert late["deadline"] == "2026-11-23T17:00:00+01:00"
    calm = _draft("The card reader you sent me has a scratch on the side.\nMark", MONDAY_LATE)
    assert calm["deadline"].startswith("2026-11-24")  # nothing has stopped: the regular promise


def test_locked_out_with_bills_due_is_hours_not_a_business_day() -> None:
    result = _draft("I'm locked out of my account and I have bills due tomorrow. Please unlock it.", MONDAY_LATE)
    assert result["playbook"] == "account-access"
    assert result["deadline"] == "2026-11-23T17:00:00+01:00"


def test_the_urgent_policy_is_validated_strictly(tmp_path) -> None:
    from replycoach.foundation.errors import PlaybookError
    from replycoach.playbook.registry import load_registry

    (tmp_path / "rush.yaml").write_text(
        "id: rush\ntitle: Rush\nextends: general\ndeadline:\n  business_days: 1\n"
        "  urgent: {business_hours: 2, when: [always]}\n",
        encoding="utf-8",
    )
    with pytest.raises(PlaybookError, match="when"):
        load_registry([str(tmp_path)])


def test_a_team_s_playbook_without_an_urgent_policy_keeps_its_deadline() -> None:
    from datetime import datetime

    from replycoach.reply.deadline import sized

    analysis = {"urgency": {"level": "high"}, "risks": [{"id": "legal-threat"}], "customer_deadline": None}
    clock = datetime.fromisoformat(THURSDAY)
    assert sized({"business_days": 1}, {"business_days": 1}, analysis, TERMINAL, clock, {}) == {"business_days": 1}
    policy = {"business_days": 1, "urgent": {"business_hours": 2, "when": ["risk"]}}
    assert sized({"business_days": 1}, policy, analysis, "", clock, {}) == {"business_hours": 2}


def test_a_weekday_promise_before_the_customer_s_day_names_both_days() -> None:
    from datetime import datetime

    from replycoach.reply.deadline import customer_promise

    analysis = {"customer_deadline": {"text": "need it by Friday", "date": "2026-11-27"}}
    due = datetime.fromisoformat("2026-11-24T13:00:00+01:00")
    found = customer_promise(analysis, due, datetime.fromisoformat(NOW), "de")
    assert found is not None and found["met"] and (found["day"], found["due_day"]) == ("Freitag", "Dienstag")
    draft = _draft("Mein Paket ist immer noch nicht da. Ich brauche es bis Freitag.", NOW)
    assert "Sie brauchen das bis Freitag: Sie hören bis Montag von mir, also rechtzeitig." in draft["draft"]


def test_a_need_for_today_after_the_close_still_gets_the_soonest_promise() -> None:
    message = "My card payments keep getting declined and I can't pay my rent which is due today."
    result = _draft(message, NOW)  # Friday 17:00: today cannot be made, Monday morning can be the soonest
    assert result["deadline"] == "2026-11-23T11:00:00+01:00"
    assert (
        "I know you need this today. I can't promise it today: Monday is the soonest I can promise" in result["draft"]
    )
