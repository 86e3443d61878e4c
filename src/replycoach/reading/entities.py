"""The facts a message names: order ids, amounts, dates, emails, phones, products and
card numbers (masked: a card number is never shown again).

Each pattern is tried only where it can begin: patterns that begin with a few known words
at the words of the text that begin so (``prefilter.matches_at_words``), patterns that
begin with a number at the runs of digits that start a word (``_at_digits``); an ASCII
text is matched with the patterns' re.ASCII builds (``_ascii_safe``: the same matches
there, with table lookups instead of Unicode calls). Tests compare each with the plain
search it stands for.
"""

from __future__ import annotations

import re

from replycoach.reading.cues import unique
from replycoach.reading.prefilter import matches_at_words

_CACHE: dict[bool, dict[str, re.Pattern[str]]] = {}
_NONDIGIT = re.compile(r"\D")

# The characters besides ASCII letters that match an ASCII character under IGNORECASE
# (found by trying every code point): a pattern holding one matches ASCII text where its
# re.ASCII build would not.
_FOLDS_ONTO_ASCII = ("İ", "ı", "ſ", "\u212a")


def _ascii_safe(regex: str) -> bool:
    r"""Whether ``regex`` compiled with re.ASCII matches exactly what it matches without,
    in ASCII text: \w, \b, \d, \s and case agree on ASCII characters; not when it holds a
    character that folds onto an ASCII letter, or an escape that may spell one
    (``\u0131``), or an inline flag."""
    if any(ch in regex for ch in _FOLDS_ONTO_ASCII):
        return False
    return not re.search(r"\\[uUNx0-9]|\(\?[a-zA-Z-]*[aLu]", regex)


# Entity patterns are split so each starts with a literal or a character set (which the
# regex engine skips to in C) or with one of a few known words (tried only where the word
# index says such a word starts); one pattern that may start anywhere costs far more.
# The words that name an order (or an invoice, a ticket) before its number, per language.
# A word ending in "*" stands for its inflected forms ("tilaus*": "tilaustani",
# "tilausnumeroni"; "заказ*": "заказа", "заказу"); Hebrew prefixes attach to the word,
# so its prefixed forms are listed.
_ORDER_NAMES: dict[str, list[str]] = {
    "en": ["order", "purchase", "invoice", "ticket", "case", "booking", "reference", "ref", "rma", "tracking"],
    "fi": ["tilau*", "lasku*"],
    "nb": ["bestilling*", "ordre*", "faktura*", "saksnummer*"],
    "de": ["bestellung*", "bestellnr*", "bestellnummer*", "auftrag*", "rechnung*", "vorgang*"],
    "fr": ["commande*", "facture*", "dossier*"],
    "es": ["pedido*", "factura*"],
    "ru": ["заказ*", "счёт*", "счет*", "сч[её]та*", "накладн*"],
    "he": ["הזמנ*", "ההזמנ*", "בהזמנ*", "להזמנ*", "מההזמנ*", "שההזמנ*", "וההזמנ*", "חשבונית*", "החשבונית*"],
}
# Between the name and the number: "no.", "numéro", "№", "min" (nb), "שלי" (my), "on" (fi: is).
_NUMBER_WORDS_BETWEEN = (
    r"no|nr|nro|number|num|nummer|numero|numeroni|número|numéro|n°|nº|n\.º|núm|id|#|№|номер|מס['׳]?|מספר"
    r"|שלי|min|mitt"
)
# A copula may follow a number word only: "tilausnumeroni on 48813", "order number is 48813",
# never "order on 2023-04-05".
_COPULA = r"(?:(?<=numero)|(?<=numeroni)|(?<=nummer)|(?<=number)|(?<=номер)|(?<=número)|(?<=numéro))\s+(?:is|on|er|ist|est|es)"


# A compound that names an amount or a date of the order is not its number:
# "Rechnungsbetrag 1299", "Rechnungsdatum 2023-04-05", "laskun summa", "tilauspäivä".
_NOT_A_NUMBER = "".join(
    f"(?<!{w})"
    for w in (
        "betrag",
        "summe",
        "summa",
        "datum",
        "dato",
        "päivä",
        "päivämäärä",
        "beløp",
        "montant",
        "importe",
        "fecha",
    )
)


def _name_regex(word: str) -> str:
    return word[:-1] + r"\w*" + _NOT_A_NUMBER if word.endswith("*") else word


_ORDER_WORDS = [w.rstrip("*") for words in _ORDER_NAMES.values() for w in words]
_ORDER_NAME = "|".join(_name_regex(w) for words in _ORDER_NAMES.values() for w in words)
_MONTH_WORDS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_CODES = ["EUR", "USD", "GBP", "NOK", "SEK", "DKK", "ILS", "NIS", "RUB"]
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_NUMBER_WORDS = ["a", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]

_DATE_WORDS = [*_MONTH_WORDS, "yesterday", "today", "tomorrow", *_NUMBER_WORDS, "last", "this", "next", "on", "the"]


def _entity_regexes(ascii_text: bool = False) -> dict[str, re.Pattern[str]]:
    """The entity patterns; for ASCII text (``ascii_text``) built with re.ASCII where
    that matches the same there (``_ascii_safe``): digits and word characters by table lookup."""
    found = _CACHE.get(ascii_text)
    if found is not None:
        return found
    i = re.IGNORECASE
    specs = {
        "order_hash": (r"#\s?[A-Z0-9][A-Z0-9-]{3,}\b", i),
        "order_word": (
            # "ticket-884120": the dash joins the name to its number, it is not the number's.
            rf"(?:{_ORDER_NAME})(?:{_COPULA})?\s*(?:(?:{_NUMBER_WORDS_BETWEEN})\.?(?:{_COPULA})?\s*){{0,2}}[:#-]?\s*"
            r"((?:[A-Z]{1,4}-?)?\d[A-Z0-9-]{3,})\b",
            i,
        ),
        # "kr 2 499": Norwegian and Swedish write the unit first too (searched everywhere,
        # as the symbols are: a two-letter unit has no three-letter word key).
        "amount_symbol": (r"(?:[$€£¥₪₽]|(?<!\w)[Kk]r\.?(?=\s?\d))\s?\d(?:[\d,.\u00a0 ]*\d)?", 0),
        "amount_number": (
            # "1 000,50 €": thousands grouped by spaces, as French or Norwegian write them.
            r"(?:\d{1,3}(?:[ \u00a0]\d{3})+(?:[.,]\d{1,2})?|\d(?:[\d,.]*\d)?)\s?"
            r"(?:€|₪|₽|(?:" + "|".join(_CODES) + r"|руб\w*|euros?|dollars?|pounds?|kr|kroner)(?!\w))",
            i,
        ),
        "amount_code": (r"(?:" + "|".join(_CODES) + r"|US\$|CA\$|AU\$)\s?\d(?:[\d,.]*\d)?", i),
        "date_number": (
            rf"\d{{4}}-\d{{2}}-\d{{2}}\b|\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b"
            rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTHS}\b(?:\s+\d{{4}}\b)?|\d+\s+(?:days?|weeks?|months?)\s+ago\b",
            i,
        ),
        "date_word": (
            rf"(?:{_MONTHS}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
            rf"|(?:last|this|next|on)\s+{_WEEKDAY}|(?:last|this|next)\s+(?:week|month|weekend)"
            r"|yesterday|today|tomorrow|the\s+day\s+before\s+yesterday"
            r"|(?:" + "|".join(_NUMBER_WORDS) + r")\s+(?:days?|weeks?|months?)\s+ago)\b",
            i,
        ),
        "email": (r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b", 0),
        "phone": (r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,6}){1,4}(?![\w])", 0),
        "card": (r"\d(?:[ -]?\d){12,18}\b", 0),
        "product": (r"[\"“”«]([^\"“”«»\n]{3,60})[\"“”»]", 0),
        "nondigit": (r"\D", 0),
        "digits": (r"\d+", 0),
        "email_local": (r"[\w.+-]{1,64}$", 0),
        "email_domain": (r"@[\w-]+(?:\.[\w-]+)+\b", 0),
    }
    if ascii_text:
        specs = {name: (p, f | re.ASCII if _ascii_safe(p) else f) for name, (p, f) in specs.items()}
    found = _CACHE[ascii_text] = {name: re.compile(pattern, flags) for name, (pattern, flags) in specs.items()}
    return found


def _starts_word(text: str, pos: int) -> bool:
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")


def _at_digits(regex: re.Pattern[str], text: str, starts: list[int], lead: str = "") -> list[re.Match[str]]:
    """Non-overlapping matches of ``regex`` tried only where a run of digits starts a
    word (or right before it, on one of the ``lead`` characters: "+1 415…", "(415)…")."""
    out: list[re.Match[str]] = []
    end = -1
    for pos in starts:
        if pos < end:
            continue
        tries = [pos - 1, pos] if pos and text[pos - 1] in lead else [pos]
        for at in tries:
            if at < end or not _starts_word(text, at):
                continue
            m = regex.match(text, at)
            if m:
                out.append(m)
                end = m.end()
                break
    return out


def _emails(text: str, rx: dict[str, re.Pattern[str]]) -> list[str]:
    out: list[str] = []
    at = text.find("@")
    while at > 0:
        local = rx["email_local"].search(text, max(0, at - 64), at)
        domain = rx["email_domain"].match(text, at)
        if local and domain:
            address = local.group(0).lstrip(".") + domain.group(0)
            if address not in out:
                out.append(address)
        at = text.find("@", at + 1)
    return out


def _merge(*groups: list[re.Match[str]]) -> list[re.Match[str]]:
    """Matches from several patterns in text order, dropping any inside an earlier one."""
    out: list[re.Match[str]] = []
    end = -1
    for m in sorted((m for g in groups for m in g), key=lambda m: (m.start(), -m.end())):
        if m.start() >= end:
            out.append(m)
            end = m.end()
    return out


def mask_card(number: str) -> str:
    digits = _NONDIGIT.sub("", number)
    return f"**** **** **** {digits[-4:]}"


def luhn(digits: str) -> bool:
    """The card-number checksum (also the checker's card rule)."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def _is_card(raw: str) -> bool:
    digits = _NONDIGIT.sub("", raw)
    return 13 <= len(digits) <= 19 and luhn(digits)


def mask_cards(text: str) -> str:
    """Card numbers (Luhn-valid, 13-19 digits) masked wherever the text is shown again."""
    if not any(ch in text for ch in "0123456789"):
        return text
    card = _entity_regexes(text.isascii())["card"]
    masked = card.sub(lambda m: mask_card(m.group(0)) if _is_card(m.group(0)) else m.group(0), text)
    return text if masked == text else masked  # the same object: its word index is reused


def entities(text: str) -> dict[str, list[str]]:
    rx = _entity_regexes(text.isascii())
    has_digit = any(ch in text for ch in "0123456789")
    cards: list[str] = []
    if has_digit:
        cards = [
            mask_card(m.group(0))
            for m in rx["card"].finditer(text)
            if _starts_word(text, m.start()) and _is_card(m.group(0))
        ]
    scrubbed = rx["card"].sub(lambda m: " " if _is_card(m.group(0)) else m.group(0), text) if cards else text
    orders: list[str] = []
    if has_digit:
        # "#voltcart" is a hashtag: an order number written with "#" carries a digit.
        hashes = [m for m in rx["order_hash"].finditer(scrubbed) if any(c.isdigit() for c in m.group(0))]
        for m in _merge(hashes, matches_at_words(rx["order_word"], scrubbed, _ORDER_WORDS)):
            if m.re is rx["order_word"]:
                value = m.group(1)
                if scrubbed[m.start(1) - 1 : m.start(1)] == "#":
                    value = "#" + value  # keep the customer's own spelling: "#48213"
            else:
                value = m.group(0).replace(" ", "")
            value = value.strip()
            if value not in orders:
                orders.append(value)
    emails = _emails(scrubbed, rx) if "@" in scrubbed else []
    no_email = rx["email"].sub(" ", scrubbed) if emails else scrubbed
    date_matches = matches_at_words(rx["date_word"], scrubbed, _DATE_WORDS)
    amounts: list[str] = []
    phones: list[str] = []
    if has_digit:
        runs = [m.start() for m in rx["digits"].finditer(scrubbed)]
        date_matches = _merge(date_matches, _at_digits(rx["date_number"], scrubbed, runs))
        amounts = unique(
            m.group(0).strip()
            for m in _merge(
                list(rx["amount_symbol"].finditer(scrubbed)),
                _at_digits(rx["amount_number"], scrubbed, runs),
                matches_at_words(rx["amount_code"], scrubbed, [*_CODES, "us", "ca", "au"]),
            )
        )
        order_digits = {rx["nondigit"].sub("", o) for o in orders}
        dates_text = {m.group(0) for m in date_matches}
        phone_runs = runs if no_email is scrubbed else [m.start() for m in rx["digits"].finditer(no_email)]
        for m in _at_digits(rx["phone"], no_email, phone_runs, lead="+("):
            if m.start() and no_email[m.start() - 1] in "+":
                continue
            p = m.group(0).strip()
            digits = rx["nondigit"].sub("", p)
            if 7 <= len(digits) <= 15 and digits not in order_digits and p not in dates_text and p not in phones:
                phones.append(p)
    return {
        "order_ids": orders,
        "amounts": amounts,
        "dates": unique(m.group(0) for m in date_matches),
        "emails": emails,
        "phones": phones,
        "products": unique(m.group(1).strip() for m in rx["product"].finditer(scrubbed))
        if '"' in scrubbed or "“" in scrubbed or "«" in scrubbed or "”" in scrubbed
        else [],
        "cards": unique(cards),
    }
