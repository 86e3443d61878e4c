"""Masking what must never reach the complaint log: card numbers and security codes, IBANs,
passwords and national identity numbers. Applied to every free text before it is stored
(the customer's and the agent's alike), never to ids such as a finding's rule.

Shapes, not checksums: a checksum (Luhn, mod-97) would only let more through, and a
false mask in a log costs nothing while a stored card number is a breach. So any
run of 13 or more digits is treated as a card, any IBAN-shaped token as an IBAN. The mask keeps
the last four characters of cards and IBANs so the agent can still tell them apart.
"""

from __future__ import annotations

import re
from typing import Any

# Any run of 13 or more digits (spaces or dashes allowed between them): card-shaped,
# or long enough to be something else private. Masked whole, whatever surrounds it.
_CARD = re.compile(r"(?<!\d)\d(?:[ -]?\d){12,}")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b")
# "password: hunter2", "my pwd is hunter2", "pw x", "salasana: x"; not "my password was reset",
# nor a word joined on ("password-echo", a rule id): a space, ':' or '=' must follow the key.
_NOT_SECRET = (
    r"(?!(?:not|no|wrong|reset|resets|incorrect|invalid|expired|for|and|or|the|to|of|in|on|that|this|it|"
    r"was|is|does|doesn't|isn't|won't|will|would|has|had|have|field|change|changed|again|link|a|an|my|your|"
    r"manager|recovery|works|worked|doesnt|isnt)\b)"
)
_SECRET = re.compile(
    r"(?P<key>\b(?:pass(?:word|wd|code|phrase)|pwd|pw|salasana|passord|passordet|kennwort|passwort|mot de passe|"
    r"пароль|סיסמה)\b[\"']?(?=[\s:=])\s*(?:(?:is|was|=|:|er|on|это|היא)\s*)*[:=]?\s*)"
    rf"{_NOT_SECRET}(?P<value>\"[^\"\n]{{1,64}}\"|'[^'\n]{{1,64}}'|“[^”\n]{{1,64}}”|[^\s\"'”]{{2,}})",
    re.IGNORECASE,
)
# The card's security code: "CVV 123", "my cvc is 1234", "CVV2: 987", "security code 123".
_CVV = re.compile(
    r"(?P<key>\b(?:cvv2?|cvc2?|cvn|csc|(?:card )?security code)\b\s*(?:(?:is|was|=|:|code|number|no\.?)\s*)*)"
    r"(?P<value>\d{3,4})\b",
    re.IGNORECASE,
)
_PIN = re.compile(r"(?P<key>\bpin(?:\s*code)?\b\s*(?:(?:is|was|=|:)\s*)*)(?P<value>\d{4,8})\b", re.IGNORECASE)
_NATIONAL = [
    re.compile(r"\b\d{3}-\d{2}-\d{4}\b"),  # US SSN
    re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b"),  # Finnish henkilötunnus
    re.compile(r"\b(?:\d{2})?\d{6}[-+]\d{4}\b"),  # Swedish personnummer, Danish CPR
    re.compile(r"\b[0-3]\d[01]\d\d{2}\s?\d{5}\b"),  # Norwegian fødselsnummer (ddmmyy + 5)
    re.compile(r"\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b"),  # UK National Insurance
    re.compile(r"\b\d{3}-\d{3}-\d{3}[ -]\d{2}\b"),  # Russian SNILS
    re.compile(r"\b\d{4}\s\d{6}\b"),  # Russian passport series + number
    # A number right after an explicit id word: Israeli teudat zehut, INN, "ID number", …
    re.compile(
        r"(?:\b(?:ssn|social security(?: number)?|national id(?: number)?|id number|identity number|"
        r"personnummer|henkilötunnus|hetu|fødselsnummer|personal id|инн|снилс|паспорт)|ת\.?ז\.?|תעודת זהות)"
        r"[\s:#№.-]*([A-Z0-9][A-Z0-9 -]{4,18}[A-Z0-9])",
        re.IGNORECASE,
    ),
]


def _tail(value: str, label: str) -> str:
    plain = re.sub(r"[\s-]", "", value)
    return f"[{label} …{plain[-4:]}]"


def _national(m: re.Match[str]) -> str:
    if m.groups():  # keyword form: keep the keyword, mask the number
        start, end = m.span(1)
        return m.group(0)[: start - m.start()] + "[national id]" + m.group(0)[end - m.start() :]
    return "[national id]"


def mask(text: str) -> str:
    """The text with every secret-shaped token replaced by a label."""
    if not text:
        return text
    for pattern in (_SECRET, _PIN):
        text = pattern.sub(lambda m: m.group("key") + "[password]", text)
    text = _CVV.sub(lambda m: m.group("key") + "[cvv]", text)
    text = _IBAN.sub(lambda m: _tail(m.group(0), "IBAN"), text)
    for pattern in _NATIONAL:
        text = pattern.sub(_national, text)
    text = _CARD.sub(lambda m: _tail(m.group(0), "card"), text)
    return text


def mask_data(value: Any) -> Any:
    """``mask`` applied to every string inside lists and mappings (JSON-shaped data)."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {k: mask_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(v) for v in value]
    return value
