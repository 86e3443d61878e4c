"""An ask needs an asking frame: a sentence that names a refund, a cancelling or a call
without asking for it ("the class was cancelled", "he promised to call back") asks for
nothing, so the draft promises nothing it was not asked for."""

from __future__ import annotations

import pytest

from replycoach.playbook.schema import GRANTABLE
from replycoach.reading.listening import asks


def _ids(body: str) -> list[str]:
    return [a["id"] for a in asks(body)]


@pytest.mark.parametrize(
    ("body", "wanted"),
    [
        ("Please cancel my subscription from the end of the month.", "cancel"),
        ("I'd like a refund for the broken kettle.", "refund"),
        ("Could you send me a new charger?", "replacement"),
        ("Call me back this afternoon please.", "callback"),
        ("I want the delivery fee back.", "refund"),
        ("Haluaisin perua tilauksen 4412.", "cancel"),
        ("Palauttakaa ylimääräinen veloitus heti.", "refund"),
        ("Jeg ønsker å avbestille timen på fredag.", "cancel"),
        ("Отмените, пожалуйста, мой заказ.", "cancel"),
        ("Верните деньги за второй билет.", "refund"),
        ("אני מבקש לבטל את המנוי.", "cancel"),
        ("Bitte erstatten Sie mir die 20 €.", "refund"),
        ("Ich möchte meinen Vertrag kündigen.", "cancel"),
        ("Je souhaite résilier mon abonnement.", "cancel"),
        ("Remboursez-moi la différence svp.", "refund"),
        ("Quiero que me devolváis el dinero.", "refund"),
        ("Necesito que me llamen hoy.", "callback"),
    ],
)
def test_an_asking_frame_makes_the_ask(body: str, wanted: str) -> None:
    assert wanted in _ids(body)


@pytest.mark.parametrize(
    "body",
    [
        "The yoga class was cancelled on Friday and nobody told us.",
        "Your agent promised to call me back and never did.",
        "They said they would refund me within 5 days.",
        "Thank you for refunding me so quickly!",
        "Is there a student discount?",
        "If I cancel now, do I get anything back?",
        "Sort it out by Friday, otherwise I'm cancelling the whole order.",
        "I want to know why you cancelled my flight.",
        "What is your cancellation policy?",
        "Kurssi peruttiin viime viikolla.",
        "Kurssen ble kansellert i går.",
        "Я уже трижды звонила мастеру, он обещает перезвонить и не перезванивает.",
        "Рейс был отменён, и никто не извинился.",
        "הטכנאי הבטיח להתקשר אליי ולא התקשר.",
        "Der Kurs wurde gestern storniert.",
        "Sonst kündige ich alle Verträge.",
        "Le cours a été annulé hier.",
        "El vuelo fue cancelado sin aviso.",
    ],
)
def test_naming_the_thing_asks_for_nothing(body: str) -> None:
    # "I want to know why ..." asks for an explanation, never for the thing it names.
    assert [aid for aid in _ids(body) if aid in GRANTABLE] == [], asks(body)


def test_what_the_customer_turns_down_is_no_ask() -> None:
    assert _ids("אני לא רוצה אחד חדש, אני רוצה החזר כספי מלא.") == ["refund"]
    assert "replacement" not in _ids("Ersatz brauche ich nicht, stattdessen hätte ich gern mein Geld zurück.")


def test_the_customer_collecting_it_themselves_is_no_collection() -> None:
    assert "collection" not in _ids("I'd like to collect it from the depot myself.")
    assert "collection" in _ids("Can you arrange a collection of the broken sofa?")


def test_an_imperative_asks_in_each_language() -> None:
    assert _ids("Cancel the account now and refund the £14.") == ["refund", "cancel"]
    assert _ids("Отключите подписку и верните 399 ₽.") == ["refund", "cancel"]
    assert _ids("Annulez la commande 8812 svp.") == ["cancel"]
