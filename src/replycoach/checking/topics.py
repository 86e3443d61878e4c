"""Topic words (what a sentence is about, for comparing the reply with the message)
and the customer's asks (questions and requests, each cut to the part that asks)."""

from __future__ import annotations

import re
from collections.abc import Callable

_re = re.compile

# Words that carry no topic: what is left of a question is what the reply must touch.
_STOP = frozenset(
    """a about above after again against all also am an and any are aren't as at be because been before being
    below between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during
    each even ever every few for from further get got had hadn't has hasn't have haven't having he her here hers
    how i i'd i'll i'm i've if in into is isn't it it's its itself just know let like ll made make many may me
    might more most much must my myself need no nor not now of off on once only or other our ours out over own
    please really right same say says see seems she should shouldn't so some still such sure take tell than thank
    thanks that that's the their them then there these they this those through though to too under until up upon
    us very want wanted was wasn't way we well were weren't what what's when where which while who whom why will
    with would wouldn't yet you you're your yours yourself hi hello dear regards anyone someone something anything
    going gone able already actually again ago told kind time times one two day days week weeks things thing
    seriously kidding joke people guys company answer reply email emails mail message back write wrote news
    update updates status help sort sorted never find out look check give send explain let fix fixed resolve resolved sorting question questions info soon""".split()  # noqa: SIM905 (a word list reads better as prose)
)
_WORD = _re(r"[^\W\d_][\w'’]+")
# Where the request starts in a sentence: "…, and can you tell me how to download my invoices?"
_ASK_CUE = _re(
    r"\b(?:can|could|would|will|do|does|did|is|are|was|were|should)\s+(?:you|I|we|someone|somebody|there|it|this|that|my|the)\b"
    r"|\b(?:how|what|why|when|where|who|which)\b|\bplease\s+\w+|\bI\s+(?:want|need|would like|['’]d like|expect)\b",
    re.IGNORECASE,
)

# Statements of what they want ("I want a refund") are left to the resolution; only
# questions and direct requests count as asks.
_REQUEST = _re(
    r"^(?:(?:hi|hello|hey)\b[^,]{0,30},\s*)?(?:can|could|would|will)\s+(?:you|someone|somebody)\b|^please\s+\w+",
    re.IGNORECASE,
)
# What comes right before a cue that opens a clause.
_CLAUSE_START = _re(r"(?:^|[,;:]|\band|\balso|\bbut)\s*$")
_WHEN = _re(r"^\s*when\b|\bhow\s+long\b|\bby\s+when\b|\bwhat\s+time\b", re.IGNORECASE)


def _stem(word: str) -> str:
    word = word.lower().replace("’", "'").strip("'")
    for suffix in ("'s", "ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    if len(word) > 4 and word[-1] == word[-2]:  # shipped -> shipp -> ship
        word = word[:-1]
    return word.rstrip("e")[:6]


def _keywords(text: str) -> set[str]:
    return {_stem(w) for w in _WORD.findall(text) if len(w) >= 4 and w.lower().replace("’", "'") not in _STOP}


def _asks(statements: list[str], keywords: Callable[[str], set[str]] = _keywords) -> list[str]:
    """The customer's questions and requests (among the message's sentences), each
    cut to the part that asks."""
    out = []
    for sentence in statements:
        if not (sentence.endswith("?") or _REQUEST.search(sentence)):
            continue
        cues = list(_ASK_CUE.finditer(sentence))
        # The last clause that opens with a cue is the request itself.
        clauses = [m for m in cues if m.start() == 0 or _CLAUSE_START.search(sentence[: m.start()])]
        ask = sentence[clauses[-1].start() :] if clauses else sentence
        if keywords(ask):
            out.append(ask)
    return out
