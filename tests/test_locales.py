"""Replies in the customer's language: built-in locales, a team's own locale folder, the
``questions`` overlay, and ``playbooks validate`` naming what a locale leaves in English."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from replycoach.playbook import locales
from replycoach.playbook.registry import load_registry

from .conftest import NOW
from .test_playbooks_team import _locale, _team

GERMAN = """From: Lena Kraus <lena.kraus@example.de>
Subject: Bestellung #4411 kaputt angekommen

Hallo, mein Mixer aus Bestellung #4411 kam mit einem Riss im Krug an. Ich bin wirklich enttäuscht.
"""
FINNISH = """From: Mikko Virtanen <mikko@example.fi>
Subject: Tilaus #4411 rikki

Hei, tilaamani tehosekoitin (tilaus #4411) saapui rikkinäisenä. Olen todella pettynyt.
"""
OUTAGE_DE = """From: Jonas Weber <jonas@example.de>
Subject: Nichts geht mehr

Seit heute Morgen ist Ihr Dienst komplett ausgefallen, wir können nicht arbeiten!
"""
DRAFT = ["--set", "agent=Sam", "--placeholders", "--now", NOW]


@pytest.mark.parametrize(
    ("message", "lang", "greeting", "date_word"),
    [(GERMAN, "de", "Guten Tag Lena Kraus,", "November"), (FINNISH, "fi", "Hei Mikko,", "marraskuuta")],
)
def test_a_message_is_answered_in_its_own_language_with_its_dates(run, message, lang, greeting, date_word) -> None:
    r = run("draft", "--playbook", "damaged-or-defective", "--format", "json", *DRAFT, stdin=message)
    assert r.code == 0, r.err
    result = json.loads(r.out)
    assert result["language"] == lang
    assert result["draft"].startswith(greeting + "\n")
    assert date_word in result["draft"]
    assert not [f for f in result["findings"] if f["rule"] == "other-language"]


def test_lang_forces_the_reply_language(run) -> None:
    r = run("draft", "--playbook", "damaged-or-defective", "--lang", "fi", *DRAFT, stdin=GERMAN)
    assert r.code == 0, r.err
    assert r.out.startswith("Hei Lena,\n")


def test_every_available_locale_drafts_every_playbook_it_translates() -> None:
    """Each built-in locale's texts render (Jinja kept intact) for each playbook it has."""
    from replycoach.api import draft_text

    registry = load_registry(())
    langs = locales.available(registry.dirs)[1:]
    assert {"de", "fi", "ru"} <= set(langs)
    for lang in langs:
        locale = locales.load_locale(lang, registry.dirs, registry.playbooks)
        for pid in sorted(locale["playbooks"]):
            result = draft_text(GERMAN, playbook=pid, lang=lang, placeholders=True, sets={"agent": "Sam"}, now=NOW)
            assert result["draft"].strip(), (lang, pid)
            assert "Hi " not in result["draft"].split("\n")[0], (lang, pid)


def test_a_team_locale_overlays_texts_and_question_defaults(run, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        {
            "locales/de/playbooks/outage.yaml": "questions:\n  affected:\n    default: unserem Dienst\n",
        },
    )
    r = run("draft", "--playbooks", str(team), "--playbook", "outage", *DRAFT, stdin=OUTAGE_DE)
    assert r.code == 0, r.err
    assert "the service" not in r.out
    assert "unserem Dienst" in r.out


def test_an_unknown_key_in_a_locale_is_one_line_with_the_file(run, tmp_path: Path) -> None:
    team = _team(tmp_path, {"locales/de/playbooks/outage.yaml": "questions:\n  afected:\n    default: x\n"})
    r = run("playbooks", "validate", "--playbooks", str(team))
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert "outage.yaml" in r.err and "unknown question 'afected'" in r.err and "affected" in r.err


def test_validate_lists_what_a_locale_leaves_in_english(run, tmp_path: Path) -> None:
    team = _team(
        tmp_path,
        _locale("xx", "Test", {"outage": "questions:\n  affected:\n    default: the thing\n"}),
    )
    r = run("playbooks", "validate", "--playbooks", str(team))
    assert r.code == 0, r.err
    lines = [ln for ln in r.err.splitlines() if "/xx/" in ln]
    outage = [ln for ln in lines if ln.split(": ")[2].endswith("/xx/playbooks/outage.yaml")]
    assert len(outage) == 1
    assert "steps.hear." in outage[0] and "questions.affected.default" not in outage[0]
    assert any(ln.split(": ")[2].endswith("/xx/templates") and "listen.j2" in ln for ln in lines)
    assert r.out.endswith("file(s) valid\n")


def test_a_question_translation_needs_an_english_one(tmp_path: Path) -> None:
    from replycoach.foundation.errors import PlaybookError

    registry = load_registry(())
    path = tmp_path / "outage.yaml"
    path.write_text("questions:\n  workaround:\n    default: x\n", encoding="utf-8")
    meta = tmp_path / "locale.yaml"
    meta.write_text('name: T\ndate_format: "d MMMM"\n', encoding="utf-8")
    with pytest.raises(PlaybookError, match="no English default"):
        locales.build_locale([path, meta], registry.playbooks)


@pytest.mark.parametrize(
    ("lang", "apology"),
    [
        ("de", "Das tut mir wirklich leid."),
        ("fi", "Olen pahoillani."),
        ("nb", "Jeg beklager."),
        ("ru", "Приношу свои извинения."),
        ("ru", "Мне очень жаль, что так вышло."),
        ("he", "צר לי מאוד."),
        ("fr", "Je suis vraiment désolée."),
        ("fr", "Je vous présente mes excuses."),
        ("es", "Lo siento mucho."),
    ],
)
def test_an_apology_in_the_reply_language_counts(lang: str, apology: str) -> None:
    from replycoach.checking.checker import check

    analysis = {"anger": {"level": "high"}, "language": lang}
    reply = "Hei,\n\n{}\n\nSam\n"
    rules = lambda text: {f["rule"] for f in check(text, analysis=analysis)}  # noqa: E731
    assert "angry-no-apology" not in rules(reply.format(apology))
    assert "angry-no-apology" in rules(reply.format("OK."))


@pytest.mark.parametrize(
    ("lang", "slot", "promise"),
    [
        ("de", "[[Antwort: ", "Falls etwas davon zuerst bei uns geprüft werden muss, bestätige ich es Ihnen bis"),
        ("fi", "[[vastaus: ", "Jos jokin näistä pitää ensin tarkistaa meillä, vahvistan sen sinulle viimeistään"),
        ("nb", "[[svar: ", "Hvis noe av dette må sjekkes hos oss først, bekrefter jeg det innen"),
        ("ru", "[[ответ: ", "Если что-то из этого нужно сначала проверить с нашей стороны, я подтвержу Вам это до"),
        ("he", "[[תשובה: ", "אם משהו מזה צריך קודם בדיקה אצלנו, אאשר לך אותו עד"),
        (
            "fr",
            "[[réponse\u00a0: ",
            "Si un point doit d'abord être vérifié de notre côté, je vous le confirmerai d'ici",
        ),
        (
            "es",
            "[[respuesta: ",
            "Si algo de esto tiene que comprobarse antes por nuestra parte, se lo confirmaré a más tardar",
        ),
    ],
)
def test_questions_get_an_answer_slot_and_a_date_in_every_language(run, lang: str, slot: str, promise: str) -> None:
    question = (
        "From: Ana Lopez <ana@example.com>\nSubject: Two questions\n\nDo you ship to Norway? Can I pay by invoice?\n"
    )
    r = run("draft", "--lang", lang, *DRAFT, stdin=question)
    assert r.code == 0, r.err
    assert promise in r.out
    assert r.out.count(slot) == 2  # one slot per question, for the agent's answer


@pytest.mark.parametrize("lang", ["de", "fi", "nb", "ru", "he", "es", "en"])
def test_a_short_reply_answers_a_question_with_a_date_not_a_gap(run, lang: str) -> None:
    tweet = "@Shop hi, can I pay in instalments? And when is the blue one back in stock?\n"
    r = run("draft", "--lang", lang, "--channel", "social", *DRAFT, stdin=tweet)
    assert r.code == 0, r.err
    assert "[[" not in r.out and len(r.out.strip()) <= 280
    assert r.out.count("23") == 1  # the date (Monday 23 November), said once
