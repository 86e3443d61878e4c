"""Order numbers named in inflected forms, in each language replies are drafted in, and
the compounds that name an amount or a date of the order are not taken for its number."""

from __future__ import annotations

import pytest

from replycoach.reading.entities import entities


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fi", "Tilaustani 48813 ei ole vieläkään tullut."),
        ("fi", "Tilauksen 48813 paketti oli rikki."),
        ("fi", "Tilausnumero 48813, tehosekoitin."),
        ("fi", "Tilauksestani 48813 puuttuu osa."),
        ("fi", "Tilausnumeroni on 48813."),
        ("fi", "Laskun 48813 summa on väärä."),
        ("ru", "Статус заказа № 48813 не меняется."),
        ("ru", "По заказу 48813 ничего не пришло."),
        ("ru", "В заказе 48813 не хватает товара."),
        ("ru", "Счёт 48813 оплачен дважды."),
        ("de", "Zur Bestellnummer 48813 habe ich eine Frage."),
        ("de", "Die Lieferung meiner Bestellung Nr. 48813 fehlt."),
        ("de", "Rechnungsnummer 48813 ist doppelt."),
        ("nb", "Bestillingen min 48813 har ikke kommet."),
        ("nb", "Ordren 48813 er forsinket."),
        ("nb", "Bestillingsnr. 48813"),
        ("nb", "Fakturaen 48813 er feil."),
        ("he", "ההזמנה שלי מספר 48813 לא הגיעה."),
        ("he", "בהזמנה 48813 חסר פריט."),
        ("he", "מספר ההזמנה: 48813"),
        ("fr", "Ma commande n° 48813 n'est pas arrivée."),
        ("fr", "La facture 48813 est fausse."),
        ("es", "Sobre el pedido número 48813"),
        ("es", "Mi pedido nº 48813 no ha llegado."),
        ("es", "La factura 48813 está mal."),
        ("en", "My order number is 48813."),
    ],
)
def test_an_order_number_after_an_inflected_word_is_read(lang: str, text: str) -> None:
    assert [o for o in entities(text)["order_ids"] if "48813" in o], (lang, text)


@pytest.mark.parametrize(
    "text",
    [
        "Der Rechnungsbetrag 1299,00 € ist falsch.",
        "Rechnungsdatum 2023-04-05",
        "Tilauspäivä 2023-04-05",
        "Laskusumma 1299 euroa",
        "I will order on 2023-04-05 again",
    ],
)
def test_an_amount_or_date_of_the_order_is_not_its_number(text: str) -> None:
    assert entities(text)["order_ids"] == []
