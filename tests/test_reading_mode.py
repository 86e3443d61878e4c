"""The message's mode in every built-in language and on social: thanks read as praise, a
question as a question, a request as a request, and a complaint as one; the complaint
flag says the same as the mode."""

from __future__ import annotations

import pytest

from replycoach.api import analyze_text
from replycoach.reading import listening

NOW = "2026-11-23T09:00:00+00:00"

PRAISE = {
    "de": "Großes Lob an @PaketFix 👏 euer Bote hat das Paket trotz Glatteis bis in den 4. Stock getragen #danke",
    "fi": "Haluan kiittää teidän asentajaanne Mikkoa, joka kävi eilen ja jaksoi selittää kaiken rauhassa. Loistavaa palvelua!",
    "nb": "Tusen takk til kundeservice for rask hjelp med flyttingen av abonnementet, dere er best 🙌",
    "ru": "Огромное спасибо курьеру Павлу, привёз всё вовремя и очень вежливый 🙏",
    "he": "רציתי להגיד תודה לנציגה דנה מהצ'אט, היא סידרה לי הכל תוך כמה דקות 💐",
    "fr": "Je voulais remercier Léa, votre conseillère, pour sa patience au téléphone hier. Bravo à toute l'équipe !",
    "es": "Mil gracias a Pablo de la tienda de Sevilla, nos atendió genial con el cambio de talla 😊",
    "en": "@Parcelo shout out to your driver who waited in the rain while I found my keys, legend",
}
QUESTIONS = {
    "fi": "Hei, onko teillä myymälää Oulussa ja mihin aikaan se on auki lauantaisin?",
    "nb": "Hei! Har dere noen butikk i Tromsø, og hvor lenge har dere åpent i helgen?",
    "ru": "Добрый день, подскажите, вы доставляете в Казань и сколько это стоит?",
    "he": "שלום, האם אתם שולחים גם לאילת? כמה זמן לוקח המשלוח?",
    "de": "Hallo, liefert ihr auch nach Österreich und wie lange dauert das ungefähr?",
    "fr": "Bonjour, est-ce que vous livrez en Belgique et combien coûte la livraison ?",
    "es": "Hola, ¿hacéis envíos a Canarias? ¿Cuánto tarda más o menos?",
    "en": "Hi, do you ship to Iceland, and roughly how long does it take?",
}
REQUESTS = {
    "ru": "Здравствуйте, прошу отменить мою подписку с первого декабря, я переезжаю. Номер договора 55-1203.",
    "de": "Guten Tag, bitte kündigen Sie meinen Vertrag 88120 zum Jahresende, ich ziehe ins Ausland.",
    "fi": "Hei, haluaisin irtisanoa sähkösopimukseni tammikuun alusta, koska muutan pois. Asiakasnumero 99120.",
    "fr": "Bonjour, je souhaite ajouter mon fils comme second utilisateur sur mon abonnement famille.",
    "es": "Buenos días, quisiera darme de baja del boletín y de la tarjeta de socio a partir de enero.",
    "nb": "Hei, jeg vil si opp strømavtalen min fra nyttår, vi flytter til Trondheim.",
    "he": "שלום, אני מבקשת לבטל את המנוי שלי החל מהחודש הבא. תודה",
}
COMPLAINTS = {
    "nb": "Pakken min kom knust og ingen svarer på e-post. Dette er elendig service.",
    "de": "Die Waschmaschine ist nach zwei Wochen kaputt und der Kundendienst meldet sich nicht. Unverschämt!",
    "es": "El pedido 7781 llegó roto y todavía no me habéis devuelto el dinero. Vergüenza.",
    "ru": "Заказ 5512 пришёл сломанным, а в поддержке никто не отвечает уже неделю.",
}


def _read(text: str) -> dict:
    return analyze_text(text, now=NOW)


@pytest.mark.parametrize("lang", sorted(PRAISE))
def test_thanks_in_every_language_read_as_praise(lang: str) -> None:
    result = _read(PRAISE[lang])
    assert result["mode"] == "praise", (lang, result["mode_evidence"])
    assert result["complaint"] is False and result["complaint_evidence"] == []


def test_a_story_of_something_put_right_is_praise() -> None:
    # What went wrong ("they forgot") is the reason for the thanks, not a complaint (set 4, s4-en-042).
    text = "@QuickBiteUK rider Sam went all the way back to the restaurant when they forgot my daughter's meal. absolute legend 🙌 give that man a raise"
    assert _read(text)["mode"] == "praise"


@pytest.mark.parametrize("lang", sorted(QUESTIONS))
def test_a_question_with_nothing_wrong_reads_as_a_question(lang: str) -> None:
    result = _read(QUESTIONS[lang])
    assert result["mode"] == "question", (lang, result["mode_evidence"])
    assert result["complaint"] is False


@pytest.mark.parametrize("lang", sorted(REQUESTS))
def test_asking_for_something_done_reads_as_a_request(lang: str) -> None:
    result = _read(REQUESTS[lang])
    assert result["mode"] == "request", (lang, result["mode_evidence"])
    assert result["complaint"] is False


@pytest.mark.parametrize("lang", sorted(COMPLAINTS))
def test_something_broken_reads_as_a_complaint(lang: str) -> None:
    result = _read(COMPLAINTS[lang])
    assert result["mode"] == "complaint", (lang, result["mode_evidence"])
    assert result["complaint"] is True
    assert result["complaint_evidence"][: len(result["mode_evidence"])] == result["mode_evidence"]


def _cue_mode(body: str, scenario: str = "general") -> str:
    return listening.mode(body, "", scenario, listening.asks(body))[0]


def test_a_sign_off_thanks_is_no_praise() -> None:
    body = "My parcel arrived damaged, the box was completely crushed. Thanks for your help."
    assert _cue_mode(body, "damaged-or-defective") == "complaint"
    assert _cue_mode("Vielen Dank und viele Grüße, Ihre Bestellung ist kaputt angekommen und fehlt teilweise.") == (
        "complaint"
    )


def test_sarcastic_praise_is_a_complaint() -> None:
    assert _cue_mode("great job guys, 3 weeks and still no parcel 🙄", "late-delivery") == "complaint"
    assert _cue_mode("merci du cadeau 🙄 toujours pas de réseau depuis ce matin") == "complaint"


def test_a_negation_in_a_question_does_not_make_it_a_complaint() -> None:
    # "not" or "ne ... pas" alone says nothing went wrong.
    assert _cue_mode("Je ne trouve pas le menu des factures dans l'appli, où est-il ?") == "question"
    assert _cue_mode("На счёте есть строка, которой раньше не было. Что это за платёж?", "billing-error") == (
        "question"
    )


def test_a_past_problem_told_with_thanks_stays_praise() -> None:
    body = "Danke an euren Techniker: die Heizung war kaputt und er hat sie am Sonntag noch repariert. Klasse!"
    assert _cue_mode(body, "damaged-or-defective") == "praise"


def test_a_wrong_recipient_is_other() -> None:
    assert _cue_mode("sorry, wrong chat, meant to message my sister") == "other"


def test_a_task_retrained_alone_replaces_only_its_own_weights() -> None:
    import json
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))
    from model_merge import merge

    from replycoach.reading import model

    shipped = json.loads(model._path().read_text(encoding="utf-8"))
    first = 0
    for name, task in shipped["tasks"].items():
        if name == "mode":
            break
        first += len(task["bias"])
    size = len(shipped["tasks"]["mode"]["bias"])
    fresh_mode = {**shipped["tasks"]["mode"], "bias": [0.5] * size}
    fresh = {
        "tasks": {"mode": fresh_mode},
        "words": {"danke": [0, 1234, 2, 5678]},
        "chars": {},
        "combine": {"complaint": {"weight": 1.0}, "mode": {"weight": 0.0}},
        "trained_on": {"mode": {"rows": 1}},
    }
    merged = merge(shipped, fresh)
    assert merged["tasks"]["mode"]["bias"] == [0.5] * size
    assert {k: v for k, v in merged["tasks"].items() if k != "mode"} == {
        k: v for k, v in shipped["tasks"].items() if k != "mode"
    }
    assert (
        merged["combine"]["complaint"] == {"weight": 1.0}
        and merged["combine"]["scenario"] == shipped["combine"]["scenario"]
    )

    def entries(data: dict, lo: int, hi: int) -> dict:
        out = {}
        for block in ("words", "chars"):
            for feature, flat in data[block].items():
                kept = [(s, w) for s, w in zip(flat[0::2], flat[1::2], strict=True) if not lo <= s < hi]
                if kept:
                    out[(block, feature)] = kept
        return out

    # Every other task's entries are exactly the shipped ones; the mode's are the fresh ones.
    assert entries(merged, first, first + size) == entries(shipped, first, first + size)
    mode_entries = {
        (b, f): [(s - first, w) for s, w in zip(v[0::2], v[1::2], strict=True) if first <= s < first + size]
        for b in ("words", "chars")
        for f, v in merged[b].items()
    }
    assert {k: v for k, v in mode_entries.items() if v} == {("words", "danke"): [(0, 1234), (2, 5678)]}
    model.from_data(merged, needs=model.NEEDS)  # a valid file
