"""Problem frames (a playbook's ``problems:``): the restatement when the customer's own
sentence cannot be told back, and the empathy line that fits what they went through."""

from __future__ import annotations

from pathlib import Path

from .conftest import NOW
from .test_playbooks_team import _locale, _team

DRAFT = ["--set", "agent=Sam", "--placeholders", "--now", NOW]

# A fragment the tool will not tell back ("... the" dangles), about a date moved twice.
MOVED = """From: Tom Reyes <tom@example.com>
Subject: order 55102

hi, my order 55102 was due friday, then it said monday, now they pushed back the
delivery again to the
"""
GERMAN_LATE = """From: Jonas Weber <jonas@example.de>
Subject: Bestellung 55102

Hallo, meine Bestellung 55102 ist immer noch nicht da, obwohl sie letzte Woche kommen sollte.
"""


def _paragraphs(text: str) -> list[str]:
    return text.strip().split("\n\n")


def test_an_untrusted_sentence_is_told_back_by_the_frame_its_words_choose(run) -> None:
    r = run("draft", "--playbook", "late-delivery", "--type", "neutral", *DRAFT, stdin=MOVED)
    assert r.code == 0, r.err
    hear, empathize = _paragraphs(r.out)[1:3]
    assert hear == (
        "Thank you for chasing this with me. If I have understood you correctly, the delivery date for "
        "your order 55102 has been moved more than once, and it still has not reached you."
    )
    # The frame's empathy line stands in for the step's stock default.
    assert empathize.startswith("Being given one date after another and still having nothing is exhausting")


def test_a_type_s_own_empathy_option_outranks_the_frame(run) -> None:
    r = run("draft", "--playbook", "late-delivery", "--type", "aggressive", *DRAFT, stdin=MOVED)
    assert r.code == 0, r.err
    assert "You were promised a date and we missed it." in r.out
    assert "one date after another" not in r.out


def test_the_agent_s_choice_of_empathy_outranks_the_frame(run) -> None:
    r = run(
        "draft", "--playbook", "late-delivery", "--type", "neutral", "--set", "empathize=waiting", *DRAFT, stdin=MOVED
    )
    assert r.code == 0, r.err
    assert "Waiting for a parcel without knowing when it will turn up is stressful" in r.out


def test_a_frame_in_the_customer_s_language_comes_from_the_locale(run, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        {
            "locales/de/playbooks/late-delivery.yaml": (
                "problems:\n  still-waiting:\n    text: 'Ihre Bestellung {{ order }} ist noch immer nicht bei Ihnen'\n"
            ),
        },
    )
    r = run(
        "draft", "--playbooks", str(team), "--playbook", "late-delivery", "--type", "neutral", *DRAFT, stdin=GERMAN_LATE
    )
    assert r.code == 0, r.err
    assert "Ich habe Sie so verstanden: Ihre Bestellung 55102 ist noch immer nicht bei Ihnen." in r.out
    assert "exhausting" not in r.out  # the empathy line is the German one


def test_an_untranslated_frame_leaves_the_marker_not_english(run, tmp_path: Path) -> None:
    # A team's own language, its texts not yet written: the frames stay unused there.
    team = _team(
        tmp_path,
        _locale("sv", "Svenska"),
    )
    r = run(
        "draft", "--playbooks", str(team), "--lang", "sv", "--playbook", "late-delivery", "--type", "neutral",
        *DRAFT, stdin=GERMAN_LATE,
    )  # fmt: skip
    assert r.code == 0, r.err
    assert "[[restate the problem]]" in r.out
    assert "has not reached you" not in r.out


def test_a_frame_translation_for_an_unknown_frame_is_one_line_with_the_file(run, tmp_path: Path) -> None:
    team = _team(tmp_path, {"locales/de/playbooks/late-delivery.yaml": "problems:\n  stil-waiting:\n    text: x\n"})
    r = run("playbooks", "validate", "--playbooks", str(team))
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert "late-delivery.yaml" in r.err and "unknown problem 'stil-waiting'" in r.err


def test_a_frame_with_an_unknown_key_is_refused_with_file_and_field(run, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        {"lost.yaml": "id: lost\ntitle: Lost\nextends: late-delivery\nproblems:\n  - id: gone\n    txt: it is gone\n"},
    )
    r = run("playbooks", "validate", "--playbooks", str(team))
    assert r.code == 2
    assert "lost.yaml" in r.err and "problems" in r.err and "txt" in r.err


def test_validate_lists_untranslated_frames(run, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        _locale("xx", "Test", {"late-delivery": "problems:\n  still-waiting:\n    text: x\n"}),
    )
    r = run("playbooks", "validate", "--playbooks", str(team))
    assert r.code == 0, r.err
    line = next(ln for ln in r.err.splitlines() if ln.split(": ")[2].endswith("/xx/playbooks/late-delivery.yaml"))
    assert "problems.still-waiting.feel" in line and "problems.date-moved.text" in line
    assert "problems.still-waiting.text" not in line


def test_a_locale_adds_its_own_phrases_for_choosing_a_frame(run, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        {
            "locales/de/playbooks/late-delivery.yaml": (
                "problems:\n"
                "  date-moved:\n"
                "    text: 'der Liefertermin Ihrer Bestellung {{ order }} wurde mehrmals verschoben'\n"
                "    said: ['verschiebt sich ständig']\n"
                "  not-arrived:\n"
                "    text: 'Ihre Bestellung {{ order }} ist nicht angekommen'\n"
            ),
        },
    )
    moving = GERMAN_LATE.replace("ist immer noch nicht da", "verschiebt sich ständig")
    r = run("draft", "--playbooks", str(team), "--playbook", "late-delivery", "--type", "neutral", *DRAFT, stdin=moving)
    assert r.code == 0, r.err
    assert "der Liefertermin Ihrer Bestellung 55102 wurde mehrmals verschoben." in r.out
