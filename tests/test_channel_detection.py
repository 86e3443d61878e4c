"""The channel read in a pasted message: a chat-box line is ``chat``, an email body pasted
without its headers stays ``email`` (when unsure, email), @handles, hashtags and DMs are
``social``; and the reply takes the channel's form."""

from __future__ import annotations

import pytest

import replycoach
from replycoach.foundation.errors import DataError

from .conftest import NOW, SAMPLES

CHAT = [
    "hi my order 4471 still not here?? can u check",
    "hi can you check my order? thanks",
    "hallo, meine Bestellung 4471 ist noch nicht da, könnt ihr mal schauen?",
    "здравствуйте, заказ 4471 не пришёл, проверьте пожалуйста",
    "hei, tilaus 4471 ei ole tullut, voitteko tarkistaa?",
    "hyvä että korjasitte sovelluksen, nyt toimii",  # "hyvä" = good, not "Hyvä asiakaspalvelu,"
    "hei, ordre 4471 har ikke kommet. kan dere sjekke?",
    "שלום, ההזמנה 4471 לא הגיעה, אפשר לבדוק?",
    "bonjour ma commande 4471 n'est pas arrivée, vous pouvez vérifier ?",
    "hola, mi pedido 4471 no ha llegado, ¿lo podéis mirar?",
    "order #A19-4432 still not here",  # an order number, no hashtag
    "hi\nthe mattress has a spring poking through\norder HN-65502\nis it safe to sleep on??",
    "WHERE IS MY ORDER\nI NEED IT TODAY\nASAP PLEASE",  # shouting is no signed name
]
EMAIL = [
    "Dear Sir, my order 4471 has not arrived yet. Could you look into it?",
    "Hello team, my order 4471 is late. Could you check? Kind regards, John Smith",
    "Hi,\nmy order 4471 is late.\nThanks, Jo",
    "Hi, can the lamp take an LED bulb? The box says 40W max.\nNadia",
    "My order 4471 is late.\n\nCould you check where it is?",
    "Guten Tag,\nmeine Bestellung 4471 ist noch nicht da.\nMfG\nK. Braun",
    "Sehr geehrte Damen und Herren, meine Bestellung 4471 ist nicht angekommen.",
    "Здравствуйте!\nЗаказ 4471 не пришёл.\nС уважением,\nИван Петров",
    "Hyvä asiakaspalvelu,\ntilaus 4471 ei ole tullut.\nTerveisin\nMatti",
    "Hei,\nordre 4471 har ikke kommet.\nMvh\nOla",
    "שלום רב,\nההזמנה 4471 לא הגיעה.\nבברכה,\nדנה כהן",
    "Madame, Monsieur,\nma commande 4471 n'est pas arrivée.\nCordialement,\nJean Dupont",
    "Estimados señores: mi pedido 4471 no ha llegado.",
    "my order 4471 is late, where is it?\nSent from my iPhone",
    "my order is late. " * 30,  # more than a chat box holds
]
SOCIAL = [
    "@shopco where is my order 4471?? #fail",
    "תודה ענקית ל@OchelAchshav, השליח חזר במיוחד",
    "DM: hi, my refund for order 4471 never arrived",
]


@pytest.mark.parametrize("text", CHAT)
def test_a_chat_line_is_chat(text: str) -> None:
    assert replycoach.analyze_text(text)["channel"] == "chat"


@pytest.mark.parametrize("text", EMAIL)
def test_a_pasted_email_body_stays_email(text: str) -> None:
    assert replycoach.analyze_text(text)["channel"] == "email"


@pytest.mark.parametrize("text", SOCIAL)
def test_handles_hashtags_and_dms_are_social(text: str) -> None:
    assert replycoach.analyze_text(text)["channel"] == "social"


def test_a_raw_email_is_email_however_short() -> None:
    raw = "From: Jo <jo@example.com>\nSubject: order\n\nhi my order 4471 still not here?? can u check\n"
    assert replycoach.analyze_text(raw)["channel"] == "email"
    assert replycoach.analyze_text((SAMPLES / "damaged.eml").read_bytes())["channel"] == "email"


def test_a_chat_reply_is_short_and_says_nothing_of_email() -> None:
    result = replycoach.draft_text("hi my order 4471 still not here?? can u check", sets=["agent=Sam"], now=NOW)
    assert result["channel"] == "chat"
    draft = result["draft"]
    assert "email" not in draft.lower() and not draft.startswith("Dear")
    assert "\n" not in draft.strip() and len(draft) <= 400  # one chat bubble


def test_a_social_reply_fits_a_post() -> None:
    result = replycoach.draft_text("@shopco my order 4471 still not here?? #fail", sets=["agent=Sam"], now=NOW)
    assert result["channel"] == "social"
    assert len(result["draft"].rstrip("\n")) <= 280 and "email" not in result["draft"].lower()


def test_a_pasted_email_body_gets_the_letter() -> None:
    result = replycoach.draft_text("Hi,\nmy order 4471 is late.\nThanks, Jo", sets=["agent=Sam"], now=NOW)
    assert result["channel"] == "email" and "reply to this email" in result["draft"]


def test_a_channel_cue_that_is_no_pattern_names_its_place(tmp_path) -> None:
    from replycoach.foundation.resources import builtin_dir
    from replycoach.reading.listening import load_cues

    text = (builtin_dir("data") / "listening.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "listening.yaml"
    broken.write_text(text.replace("social: ['^dm\\s*:'", "social: ['^dm(\\s*:'"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_cues(broken)
    assert "channel.social.0" in str(err.value)
