"""The walk's logic without a terminal: steps, questions, caps, skips, tips, replay."""

from __future__ import annotations

import pytest

from replycoach import api
from replycoach.terminal.coach_walk import STAGES, Walk

from .conftest import FIXTURES, NOW, SAMPLES
from .test_log_support import another_message

DAMAGED = (SAMPLES / "damaged.eml").read_bytes()
NO_ORDER = b"My kettle arrived cracked and leaking. I want a replacement."


def walk(raw: bytes = DAMAGED) -> Walk:
    w = Walk(raw, now=NOW)
    w.set_agent("Sam")
    return w


def replay(w: Walk) -> str:
    return api.draft_text(w.raw, answers=w.saved_answers())["draft"]


def test_stages_and_moving_around() -> None:
    w = walk()
    assert STAGES == ("hear", "empathize", "apologize", "resolve", "diagnose", "finish")
    w.back()
    assert w.current == "hear"
    w.advance()
    w.advance()
    assert w.current == "apologize"
    w.jump("finish")
    w.advance()
    assert w.current == "finish"


def test_tip_is_fitted_to_the_type_and_why_falls_back_to_the_plain_walk() -> None:
    w = walk()
    assert w.ctype == "aggressive"
    assert w.tip("resolve") == "What and when, up front. A concrete date, not 'soon'."
    w.set_type("meek")
    assert w.tip("resolve") == "Offer the fix and invite them to say if it does not fully solve it."
    # damaged-or-defective has no step tips of its own: the general walk's explain the step.
    assert w.why("apologize") == "Apologise for what happened, not for how they feel."


def test_type_change_changes_the_recommended_options() -> None:
    w = walk()
    assert [w.choice(s) for s in ("empathize", "apologize", "resolve")] == ["short", "short", "replace"]
    w.set_type("chronic")
    assert [w.choice(s) for s in ("empathize", "apologize", "resolve")] == ["again", "repeat", "replace-credit"]


def test_currency_is_only_asked_when_the_chosen_text_uses_it() -> None:
    w = walk()
    assert [q["id"] for q in w.questions()] == ["order_id"]
    w.choose("resolve", "refund")
    assert [q["id"] for q in w.questions()] == ["order_id", "refund_amount", "currency"]
    refund = next(q for q in w.questions() if q["id"] == "refund_amount")
    assert w.default_for(refund) == "$79.99"  # what the customer paid
    currency = next(q for q in w.questions() if q["id"] == "currency")
    assert w.default_for(currency) == "$"


def test_enter_offers_the_customers_own_currency() -> None:
    w = walk(b"My kettle arrived cracked, order #51234. I paid 79.99 euros for it.")
    w.choose("resolve", "refund")
    currency = next(q for q in w.questions() if q["id"] == "currency")
    assert w.default_for(currency) == "€"


def test_bad_answer_gives_the_reason_and_the_cap_is_enforced() -> None:
    w = walk()
    w.choose("resolve", "refund")
    refund = next(q for q in w.questions() if q["id"] == "refund_amount")
    with pytest.raises(ValueError, match="'lots' is not a number"):
        w.answer(refund, "lots")
    assert w.over_cap(refund, w.answer(refund, "$450")) is None
    over = w.over_cap(refund, w.answer(refund, "600"))
    assert over == {"question": "refund_amount", "cap": 500, "label": "Full refund to the original payment"}
    w.set_compensation_reason("Second failure; approved by Kim")
    assert "I am refunding the full $600.00" in replay(w)


def test_missing_order_number_becomes_a_polite_ask_or_the_agents_value() -> None:
    w = walk(NO_ORDER)
    w.answers.settings["channel"] = "email"  # the letter's sentence (a pasted line reads as chat)
    assert [n["id"] for n in w.missing_needs()] == ["order_id"]
    assert "could you reply with your order number?" in w.preview()
    w.set_need("order_id", "#A-1001")
    assert "order number" not in w.preview()
    w.set_need("order_id", "")
    assert "could you reply with your order number?" in w.preview()


def test_preview_grows_step_by_step() -> None:
    w = walk()
    hear = w.preview(upto="hear")
    assert "If I have understood you correctly" in hear
    assert "I am sorry" not in hear and "replacement at no cost" not in hear
    assert "I am sorry: we sent it to you damaged" in w.preview(upto="apologize")
    assert "replacement at no cost" in w.preview(upto="resolve")


def test_skip_and_own_words_replay_byte_for_byte() -> None:
    w = walk()
    w.skip("empathize")
    w.write_own("apologize", "I am sorry: that should never have left the warehouse.")
    w.set_restatement("your blender arrived with a cracked jug.  ")
    w.set_other_issues("I have also refunded the delivery charge.")
    w.set_diagnose("packaging", "Double-box glass jugs.")
    result = w.result()
    assert result["choices"]["empathize"] is None
    assert "You have every reason to be annoyed" not in result["draft"]
    assert "I am sorry: that should never have left the warehouse." in result["draft"]
    assert (
        "If I have understood you correctly, your blender arrived with a cracked jug (order #48213)." in result["draft"]
    )
    assert result["steps"]["diagnose"] == {"cause": "packaging", "note": "Double-box glass jugs."}
    assert "Double-box" not in result["draft"]
    assert replay(w) == result["draft"]
    saved = w.saved_answers()
    assert saved["now"] == NOW and saved["skip"] == ["empathize"] and saved["playbook"] == "damaged-or-defective"


def test_answers_yaml_round_trips_through_the_answers_file(tmp_path, run) -> None:
    w = walk()
    w.choose("resolve", "refund")
    w.answer(next(q for q in w.questions() if q["id"] == "refund_amount"), "79.99")
    path = tmp_path / "a.yaml"
    path.write_text(w.answers_yaml(), encoding="utf-8")
    r = run("draft", str(SAMPLES / "damaged.eml"), "--answers", str(path))
    assert r.code == 0, r.err
    assert r.out == w.result()["draft"]


def test_cannot_shape_is_offered_even_when_the_playbook_lacks_it() -> None:
    w = walk()
    option, questions = w.cannot_template() or ({}, [])
    assert option["id"] == "cannot-but"
    assert [q["id"] for q in questions] == ["cannot_do", "instead"]
    text = w.write_cannot({"cannot_do": "pay $600 compensation", "instead": "refund the $79.99 in full"})
    assert text == (
        "I can see why you asked for that. Unfortunately I can't pay $600 compensation. What I can do is "
        "refund the $79.99 in full, and I will have it done by Monday, 23 November, 5 pm."
    )
    assert w.choice("resolve") == "custom"
    assert text in replay(w)


def test_general_playbook_has_its_own_cannot_option() -> None:
    w = walk(b"Sorry to bother you, the app logs me out. I would like a free year, if possible.")
    assert w.playbook["id"] == "general"
    assert w.cannot_template() is None
    assert (w.cannot_hint() or {}).get("id") == "cannot-but"


def test_changing_the_playbook_forgets_its_option_ids() -> None:
    w = walk()
    w.choose("resolve", "refund")
    w.set_playbook("general")
    # general has a `refund` option of its own: the choice made for the other playbook
    # is still forgotten, and general's default stands.
    assert w.choice("resolve") == "look-into"
    assert w.saved_answers()["playbook"] == "general"


def test_clipboard_tool_is_offered_only_when_one_can_work(monkeypatch: pytest.MonkeyPatch) -> None:
    from replycoach.terminal import coach_tty as coach_ui

    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setattr(coach_ui.sys, "platform", "linux")
    monkeypatch.setattr("shutil.which", lambda name: f"/usr/bin/{name}" if name in {"xsel", "wl-copy"} else None)
    assert coach_ui.clipboard_command() is None  # no display: a tool alone is not enough
    monkeypatch.setenv("DISPLAY", ":0")
    assert coach_ui.clipboard_command() == ["xsel", "--clipboard", "--input"]
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    assert coach_ui.clipboard_command() == ["wl-copy"]


def test_history_comes_from_the_walks_log_at_the_walks_clock(run, tmp_path) -> None:
    # `coach --db FILE` reads the sender's history from FILE (where the walk is logged),
    # as of the walk's clock (--now), the same as `draft --db FILE --answers`.
    db = str(tmp_path / "team.sqlite")
    # Two earlier messages (the log keeps one complaint per message).
    for n, when in enumerate(("2026-10-31T10:00:00+01:00", "2026-11-10T10:00:00+01:00")):
        r = run("draft", "--set", "agent=Sam", "--now", when, "--log", "--db", db, stdin=another_message(n))
        assert r.code == 0, r.err
    assert Walk(DAMAGED, now=NOW).ctype == "aggressive"  # nothing in the default log
    w = Walk(DAMAGED, now=NOW, db=db)
    assert w.ctype == "chronic"
    assert w.analysis["history"]["last_90_days"] == 2
    w.set_agent("Sam")
    assert w.result()["history"]["last_90_days"] == 2
    assert Walk(DAMAGED, now="2026-11-05T09:00:00+01:00", db=db).analysis["history"]["complaints"] == 1


def test_a_required_need_left_to_the_customer_is_still_asked_at_resolve() -> None:
    # refund-request needs "the amount paid" (refund_amount); the meek customer gave none.
    w = Walk((FIXTURES / "coach" / "meek.txt").read_bytes(), now=NOW)
    w.set_agent("Sam")
    assert w.playbook["id"] == "refund-request"
    assert [n["id"] for n in w.missing_needs()] == ["order_id", "refund_amount"]
    w.set_need("refund_amount", "")  # Enter at Hear: "ask for it in the reply"
    # Full refund cannot be written without the amount: Resolve asks it, not the draft.
    assert [q["id"] for q in w.resolve_questions()] == ["refund_amount", "currency"]
    w.answer(next(q for q in w.questions() if q["id"] == "refund_amount"), "$29.90")
    assert [q["id"] for q in w.resolve_questions({"refund_amount"})] == ["currency"]
    draft = w.result()["draft"]
    assert "I am refunding the full $29.90" in draft and "[[" not in draft
    # A need the message or the agent filled is not asked twice.
    d = walk()
    assert [q["id"] for q in d.resolve_questions()] == []


def test_a_hand_edit_is_part_of_the_answers_and_replays_word_for_word() -> None:
    w = walk()
    edited = w.result()["draft"].replace("Regards,", "With kind regards,")
    w.edited_draft = edited
    result = w.result()
    assert (result["draft"], result["edited"]) == (edited, True)
    assert w.saved_answers()["edited_draft"] == edited
    assert replay(w) == edited
    # Checked like any draft: the findings are the checker's on the edited text.
    rude = w.result()["draft"].replace("I am sorry: we sent it to you damaged, and that is on us.", "Calm down.")
    w.edited_draft = rude
    assert [f["rule"] for f in w.result()["findings"]] == ["angry-no-apology", "calm-down"]
    assert replay(w) == rude
    w.edited_draft = None
    assert "edited_draft" not in w.saved_answers()


def test_option_texts_are_the_sentences_the_options_add() -> None:
    w = walk()
    texts = w.option_texts("empathize")
    assert texts["short"] == "You have every reason to be annoyed."
    assert set(texts) == {o["id"] for o in w.options("empathize")}
    assert texts["plans"] in api.draft_text(w.raw, sets=["agent=Sam", "empathize=plans"], now=NOW)["draft"]
    # The recommended option (what Enter keeps) gives way to the birthday this customer named.
    recommended = api.draft_text(w.raw, sets=["agent=Sam", "empathize=short"], now=NOW)["draft"]
    assert texts["short"] not in recommended and "The birthday will not wait" in recommended
    refund = w.option_texts("resolve")["refund"]
    assert refund.startswith("I am refunding the full $79.99 to your original payment method by Monday, 23 November")
    assert w.answers.steps == {} and "refund_amount" not in w.answers.values  # only a probe


def test_words_for_the_deadlines_shown() -> None:
    from datetime import date

    from replycoach.reply.deadline import day_words

    w = walk()
    assert w.deadline_words("2026-11-23T15:00:00+01:00") == "Monday, 23 November, 3 pm"
    assert w.day_words("2027-01-04") == "Monday, 4 January 2027"
    assert day_words(date(2026, 11, 22)) == "Sunday, 22 November"
    assert w.language_line() == "en (English): the reply is in English"
