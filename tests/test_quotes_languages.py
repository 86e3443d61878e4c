"""Quoted history and sign-offs in the languages we answer in, and the email kinds that
were misread: each shape is stripped down to the customer's own words.

Attributions are tried on one line and wrapped at every space a line wrapper could break
at (the first piece holds two words at least: a wrapper fills a line before breaking it),
above ">"-quoted history and, when they carry an address, above unquoted history.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replycoach.message import parse_message, strip_reply

BODY = {
    "pl": "Dzień dobry,\nzamówienie 4411 nadal nie dotarło. Proszę o zwrot pieniędzy.",
    "fr": "Bonjour,\nma commande 4411 n'est toujours pas arrivée. Merci de me rembourser.",
    "fi": "Hei,\ntilaukseni 4411 ei ole vieläkään tullut. Haluan rahat takaisin.",
    "de": "Guten Tag,\nmeine Bestellung 4411 ist immer noch nicht da. Bitte erstatten Sie den Betrag.",
    "nb": "Hei,\nbestillingen min 4411 har fortsatt ikke kommet. Jeg vil ha pengene tilbake.",
    "ru": "Здравствуйте,\nмой заказ 4411 так и не пришёл. Прошу вернуть деньги.",
    "he": "שלום,\nההזמנה שלי 4411 עדיין לא הגיעה. אבקש החזר כספי.",
    "es": "Hola,\nmi pedido 4411 todavía no ha llegado. Quiero que me devuelvan el dinero.",
}
QUOTED = "\n\n> Hyvä asiakas,\n> kiitos viestistäsi, tilauksesi on matkalla.\n"
UNQUOTED = "\n\nHyvä asiakas,\nkiitos viestistäsi, tilauksesi on matkalla.\n\nYstävällisin terveisin\nAsiakaspalvelu"

ATTRIBUTIONS = {
    "pl thunderbird": "W dniu 20.11.2026 o 14:02, Jan Kowalski <jan@x.example> pisze:",
    "pl gmail": "W dniu pt., 20.11.2026 o 14:02 Jan Kowalski <jan@x.example> napisał(a):",
    "fi gmail": "pe 20.11.2026 klo 14.02 Asiakaspalvelu <asiakaspalvelu@x.example> kirjoitti:",
    "de gmail": "Am Fr., 20. Nov. 2026 um 14:02 Uhr schrieb Kundenservice <service@x.example>:",
    "nb gmail": "fre. 20. nov. 2026 kl. 14:02 skrev Kundeservice <kundeservice@x.example>:",
    "nb thunderbird": "Den 20. nov. 2026 kl. 14:02 skrev Kundeservice <kundeservice@x.example>:",
    "ru apple": "20 нояб. 2026 г., в 14:02, Служба поддержки <support@x.example> пишет:",
    "ru gmail": "пт, 20 нояб. 2026 г. в 14:02, Служба поддержки <support@x.example>:",
    "ru mailru": "Служба поддержки <support@x.example> написал(а) 20.11.2026 14:02:",
    "he apple": "ב-20 בנוב׳ 2026, בשעה 14:02, שירות לקוחות <service@x.example> כתב/ה:",
    "he gmail": "ביום ו׳, 20 בנוב׳ 2026 ב-14:02 מאת שירות לקוחות <service@x.example>:",
    "he gmail 2": "בתאריך יום ו׳, 20 בנוב׳ 2026 ב-14:02, מאת שירות לקוחות <service@x.example>, נכתב:",
    "es gmail": "El vie, 20 nov 2026 a las 14:02, Atención al cliente (<soporte@x.example>) escribió:",
    "fr gmail": "Le ven. 20 nov. 2026 à 14:02, Service client <service@x.example> a écrit :",
    # No address: trusted only right above ">"-quoted lines.
    "ru thunderbird": "20.11.2026 14:02, Служба поддержки написал(а):",
    "es thunderbird": "El 20/11/2026 a las 14:02, Atención al cliente escribió:",
}


def _wraps(header: str) -> list[str]:
    """The header on one line, and broken in two at every space after the second word."""
    words = header.split(" ")
    return [header] + [" ".join(words[:k]) + "\n" + " ".join(words[k:]) for k in range(2, len(words))]


def _assert_body(text: str, expected: str) -> None:
    body = strip_reply(text)[0]
    assert body.split() == expected.split(), f"{text!r} read as {body!r}"


@pytest.mark.parametrize("name", list(ATTRIBUTIONS))
def test_attribution_wrapped_anywhere_above_quoted_history(name: str) -> None:
    body = BODY[name[:2]]
    for header in _wraps(ATTRIBUTIONS[name]):
        _assert_body(body + "\n\n" + header + QUOTED, body)


@pytest.mark.parametrize("name", [n for n, h in ATTRIBUTIONS.items() if "@" in h])
def test_attribution_with_address_wrapped_anywhere_above_unquoted_history(name: str) -> None:
    body = BODY[name[:2]]
    for header in _wraps(ATTRIBUTIONS[name]):
        _assert_body(body + "\n\n" + header + UNQUOTED, body)


@pytest.mark.parametrize("name", [n for n, h in ATTRIBUTIONS.items() if "<" in h])
def test_attribution_wrapped_inside_the_address(name: str) -> None:
    body = BODY[name[:2]]
    header = ATTRIBUTIONS[name].replace("<", "<\n", 1)
    _assert_body(body + "\n\n" + header + QUOTED, body)
    # Glued to the customer's last line, no blank line between.
    _assert_body(body + "\n" + header + QUOTED, body)


def test_the_three_reported_headers() -> None:
    _assert_body(
        "Paczka nie dotarła.\n\nW dniu 20.11.2026 o 14:02, Jan Kowalski <jan@x.example> pisze:\n> Dziękujemy",
        "Paczka nie dotarła.",
    )
    _assert_body(
        'Je n\'ai rien reçu.\n\n----- Message du 20/11/26 14:02 -----\nDe : "Service client" <service@x.example>\n'
        'A : "Jean Dupont" <jean@y.example>\nObjet : Votre commande\n\nBonjour, votre commande est en route.',
        "Je n'ai rien reçu.",
    )
    _assert_body(
        "Tilaus ei ole tullut.\n\npe 20.11.2026 klo 14.02 Asiakaspalvelu <\nasiakaspalvelu@x.example> kirjoitti:\n\n"
        "> Hei, tilauksesi on matkalla.",
        "Tilaus ei ole tullut.",
    )


def test_french_webmail_header_without_the_dashed_title() -> None:
    _assert_body(
        'Je n\'ai rien reçu.\n\nMessage du : 20/11/2026 14:02\nDe : "Service client" <service@x.example>\n'
        "A : jean@y.example\nObjet : Votre commande\n\nBonjour, votre commande est en route.",
        "Je n'ai rien reçu.",
    )


OUTLOOK = {
    "de": "Von: Kundenservice <service@x.example>\nGesendet: Freitag, 20. November 2026 14:02\n"
    "An: Jan Muster <jan@y.example>\nBetreff: Ihre Bestellung 4411",
    "fi": "Lähettäjä: Asiakaspalvelu <asiakaspalvelu@x.example>\nLähetetty: perjantai 20. marraskuuta 2026 14.02\n"
    "Vastaanottaja: Matti Meikäläinen <matti@y.example>\nAihe: Tilauksesi 4411",
    "nb": "Fra: Kundeservice <kundeservice@x.example>\nSendt: fredag 20. november 2026 14:02\n"
    "Til: Ola Nordmann <ola@y.example>\nEmne: Bestillingen din 4411",
    "ru": "От: Служба поддержки <support@x.example>\nОтправлено: 20 ноября 2026 г. 14:02\n"
    "Кому: Иван Петров <ivan@y.example>\nТема: Ваш заказ 4411",
    "fr": "De : Service client <service@x.example>\nEnvoyé : vendredi 20 novembre 2026 14:02\n"
    "À : Jean Dupont <jean@y.example>\nObjet : Votre commande 4411",
    "es": "De: Atención al cliente <soporte@x.example>\nEnviado el: viernes, 20 de noviembre de 2026 14:02\n"
    "Para: Juan Pérez <juan@y.example>\nAsunto: Su pedido 4411",
    "he": "מאת: שירות לקוחות <service@x.example>\nנשלח: יום שישי 20 נובמבר 2026 14:02\n"
    "אל: ישראל ישראלי <israel@y.example>\nנושא: ההזמנה שלך 4411",
}


@pytest.mark.parametrize("lang", list(OUTLOOK))
def test_outlook_block_in_each_language(lang: str) -> None:
    body, block = BODY[lang], OUTLOOK[lang]
    for above in ("\n\n", "\n", "\n\n________________________________\n"):
        _assert_body(body + above + block + UNQUOTED, body)
    # The sender's name and address wrapped onto two lines.
    _assert_body(body + "\n\n" + block.replace(" <", "\n<", 1) + UNQUOTED, body)


FOOTERS = {
    "de": ["Gesendet von Outlook für Android", "Von meinem iPhone gesendet",
           "Diese Nachricht wurde von meinem Android-Mobiltelefon mit GMX Mail gesendet."],
    "fi": ["Lähetetty iPhonesta", "Lähetetty Android-laitteesta", "Lähetetty Outlook for Androidista"],
    "nb": ["Sendt fra min iPhone", "Sendt fra Outlook for iOS"],
    "ru": ["Отправлено с iPhone", "Отправлено из мобильной Почты Mail.ru"],
    "fr": ["Envoyé de mon iPhone", "Envoyé depuis mon smartphone Samsung Galaxy."],
    "es": ["Enviado desde mi iPhone", "Enviado desde mi smartphone Samsung Galaxy."],
    "he": ["נשלח מה-iPhone שלי", "נשלח מהטלפון שלי", "נשלח מ-Outlook for Android"],
}  # fmt: skip


@pytest.mark.parametrize("lang", list(FOOTERS))
def test_mobile_footer_in_each_language(lang: str) -> None:
    body = BODY[lang]
    for footer in FOOTERS[lang]:
        assert strip_reply(body + "\n\n" + footer) == (body, "", footer)
        _assert_body(body + "\n\n" + footer + "\n\n" + OUTLOOK[lang] + UNQUOTED, body)


@pytest.mark.parametrize(
    "text",
    [
        # A sentence that happens to start like a footer is the customer's.
        "Hei,\n\ntilasin lampun viikko sitten.\nLähetetty 20.11. mutta ei ole vielä tullut.",
        "שלום,\n\nהחבילה לא הגיעה.\nנשלח מהמחסן שלכם לפני שבוע ועדיין לא הגיע.",
        # A paragraph ending "... wrote:" without an address or a quote below it.
        "Здравствуйте,\n\n20.11.2026 в 14:02 ваш оператор\nнаписал:\n\nденьги вернут\n\nно ничего нет.",
        "I called on 20.11.2026 at 14:02 and\nthe agent wrote:\n\nyour refund is on its way\n\nbut nothing came.",
    ],
)
def test_customer_text_shaped_like_a_header_is_kept(text: str) -> None:
    _assert_body(text, text)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("Sounds good\nOn Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:\n> Hi", "Sounds good"),
        ("Thanks, order 4411\n2014-10-17 11:28 GMT+03:00 Post <post@example.org>:\n\n> Hi", "Thanks, order 4411"),
        ("Kiitos\nMatti\n\nTilaus 4411 on yhä kateissa.\n" + ATTRIBUTIONS["fi gmail"] + QUOTED,
         "Kiitos\nMatti\n\nTilaus 4411 on yhä kateissa."),
    ],
)  # fmt: skip
def test_lines_glued_above_an_attribution_stay(text: str, expected: str) -> None:
    _assert_body(text, expected)


# --- the email kinds of the hardening issue -------------------------------------------

_LONG = "> Thank you for writing to us. We are sorry that your lamp arrived damaged and we\n"
_ATTR = "The lamp is still broken.\n\nOn Mon, 3 Mar 2026 at 10:12, Support <help@example.com> wrote:\n"


@pytest.mark.parametrize(
    "tail",
    [
        "would like to offer you a replacement or a refund, whichever you prefer.\n",
        "would like to offer you a replacement or a refund, whichever you prefer; please\n"
        "let us know which one suits you best, and we will arrange it for you at once\n> Best regards\n",
    ],
    ids=["last line of the quote", "two lines in a row"],
)
def test_quoted_lines_that_lost_their_marker(tail: str) -> None:
    _assert_body(_ATTR + _LONG + tail, "The lamp is still broken.")


def test_inline_answer_below_a_quote_is_kept() -> None:
    text = _ATTR + "> Would you like a replacement or a refund for the lamp that arrived damaged?\n\nA refund.\n"
    _assert_body(text, "The lamp is still broken.\n\nA refund.")


@pytest.mark.parametrize(
    "text",
    [
        "Hello,\n\nOrder summary\n-----\nlamp 40 EUR\nshade 10 EUR\n\nThe lamp does not work, I want a refund.",
        "Hello,\n\nthe lamp is broken.\n\n-----\n\nAlso the shade is missing, please send it.\nThe order was 48213.",
        "Order:\n\nitem    price\n--\nlamp    40\n\nRefund please.",
        "Hello,\n\nwhat went wrong:\n\n-- the box was crushed\n\nI want a refund please.",
    ],
    ids=["heading underline", "break between paragraphs", "two-dash table rule", "one dash bullet"],
)
def test_rules_and_bullets_are_not_signatures(text: str) -> None:
    assert strip_reply(text) == (text, "", "")


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The lamp is broken.\n\n-----\nAna Lopez\nAcme Ltd\n+34 600 000 000", "The lamp is broken."),
        ("The lamp is broken.\n\n-- \nAna Lopez", "The lamp is broken."),
        (
            "The lamp is broken.\n\n-----\nAna Lopez\nAcme Ltd\n"
            "This email and any attachments are confidential and intended solely for the addressee.",
            "The lamp is broken.",
        ),
    ],
)
def test_signature_delimiters_still_cut(text: str, expected: str) -> None:
    assert strip_reply(text)[0] == expected


_HTML_TAIL = (
    'My lamp arrived broken.<br>I want a refund.<div class="gmail_quote">On Mon, 3 Mar 2026, Support '
    "&lt;help@example.com&gt; wrote:<blockquote>Thank you.</blockquote></div>"
)


@pytest.mark.parametrize(
    "start",
    ["<span>", "<br>", "<font face=arial>", "<!-- x -->\n<div>", "<head><meta charset=utf-8></head><body>",
     "<o:p></o:p><p>", "<style>p{}</style><div>", "<b>", "Hello<br>"],
)  # fmt: skip
def test_bare_html_on_stdin(start: str) -> None:
    body = parse_message((start + _HTML_TAIL).encode()).body
    assert body.split() == ("Hello " * start.startswith("Hello") + "My lamp arrived broken. I want a refund.").split()


def test_plain_text_with_a_less_than_sign_is_not_html() -> None:
    assert (
        parse_message("<3 the lamp, but it broke. Price < 40 EUR.").body == "<3 the lamp, but it broke. Price < 40 EUR."
    )


_HEAD = b"From: Ana Lopez <ana@example.com>\nSubject: lamp\nDate: Mon, 3 Mar 2026 10:00:00 +0100\n"


@pytest.mark.parametrize(
    "first",
    [b"Order: 48213 arrived broken, I want a refund.\n", b"Order: 48213\nThe lamp arrived broken.\n"],
    ids=["one line", "a line below"],
)
def test_no_blank_line_before_a_body_that_starts_with_a_colon(first: bytes) -> None:
    for eol in (b"\n", b"\r\n"):
        msg = parse_message((_HEAD + first).replace(b"\n", eol))
        assert (msg.is_email, msg.subject) == (True, "lamp")
        assert msg.body == first.decode().strip()


def test_known_one_word_headers_stay_headers() -> None:
    msg = parse_message(_HEAD + b"Organization: Acme Corp Ltd\n\nThe lamp arrived broken.\n")
    assert msg.body == "The lamp arrived broken."


@pytest.mark.parametrize(
    "text,codec",
    [
        ("ランプが壊れていました。返金してください。まだ返事がありません。", "shift_jis"),
        ("我的燈壞了，請退款。我已經等了兩個星期，還沒有收到任何回覆。", "big5"),
    ],
)
def test_multibyte_body_declared_latin1(text: str, codec: str) -> None:
    raw = b"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=iso-8859-1\n\n" + text.encode(codec)
    assert parse_message(raw).body == text


# --- properties ----------------------------------------------------------------------

_WORDS = st.sampled_from(
    [
        "the",
        "lamp",
        "order",
        "4411",
        "arrived",
        "broken",
        "refund",
        "please",
        "my",
        "on",
        "am",
        "le",
        "el",
        "w",
        "dniu",
        "pe",
        "fre",
        "wrote",
        "schrieb",
        "kirjoitti",
        "skrev",
        "пишет",
        "написал",
        "כתב",
        "escribió",
        "a",
        "écrit",
        "20.11.2026",
        "14:02",
        "klo",
        "kl.",
        "um",
        "at",
        "Ana",
        "Jan",
        "<jan@x.example>",
        "ana@x.example",
        "From:",
        "Von:",
        "De",
        ":",
        "--",
        "-----",
        "Sent",
        "Gesendet",
        "Lähetetty",
        "נשלח",
        "Отправлено",
        "Enviado",
    ]
)
_SENTENCE = st.builds(
    lambda first, rest, end: " ".join([first, *rest]) + end,
    st.sampled_from(["The", "My", "Our", "Please", "Why", "Meine", "Tilaus", "Мой", "Mi", "Ma", "ההזמנה"]),
    st.lists(_WORDS, min_size=2, max_size=12),
    st.sampled_from([".", "!", "?"]),
)
_PARAGRAPH = st.lists(_SENTENCE, min_size=1, max_size=3).map("\n".join)
_PIECES = st.one_of(
    _PARAGRAPH,
    st.sampled_from(
        [*ATTRIBUTIONS.values(), *(ATTRIBUTIONS[k].replace("<", "<\n") for k in ("fi gmail", "he gmail")),
         *OUTLOOK.values(), *(f for fs in FOOTERS.values() for f in fs),
         "> quoted line", "> Thank you for writing to us. We are sorry that your lamp arrived damaged and we",
         "would like to offer you a replacement", "-- ", "-----", "Best regards,\nAna", "Ana Lopez\n+34 600 000 000"]
    ),
)  # fmt: skip
PROPS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(st.lists(_PIECES, min_size=1, max_size=8), st.sampled_from(["\n\n", "\n"]))
def test_stripping_is_idempotent(pieces: list[str], sep: str) -> None:
    body = strip_reply(sep.join(pieces))[0]
    assert strip_reply(body)[0] == body


@PROPS
@given(st.lists(_PARAGRAPH, min_size=1, max_size=4), st.lists(_PIECES, max_size=6))
def test_first_paragraph_of_a_message_without_quote_markers_is_kept(first: list[str], rest: list[str]) -> None:
    # The customer's paragraphs come first, then anything (headers, quotes, signatures).
    text = "\n\n".join([*first, *rest])
    body = strip_reply(text)[0]
    assert body.split()[: len(first[0].split())] == first[0].split()
