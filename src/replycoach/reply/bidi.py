"""Right-to-left replies (Hebrew): left-to-right runs kept whole.

In a Hebrew sentence an order id, an e-mail address, a time or an amount is a run of
left-to-right characters whose edge punctuation the Unicode bidi algorithm may move to
the wrong side ("#55102." can show as ".55102#"). Each such run is wrapped in a
left-to-right isolate (U+2066 … U+2069), which every current mail client and browser
honours and which is invisible when copied."""

from __future__ import annotations

import re

LRI, PDI = "\u2066", "\u2069"

# A run with a Latin letter or a digit, joined by the punctuation ids and addresses use.
_LTR_RUN = re.compile(r"[#@$€£]?[A-Za-z0-9](?:[A-Za-z0-9#@._:/+\-]*[A-Za-z0-9])?")


def isolate_ltr(text: str) -> str:
    """``text`` with each left-to-right run wrapped in an isolate (idempotent)."""
    if LRI in text:
        return text
    return _LTR_RUN.sub(lambda m: f"{LRI}{m.group(0)}{PDI}", text)
