"""The form of a restatement: what the customer's sentence loses before it is told back
(handles, hashtags, links, emoji, shouting), what it gains (capitalised weekdays and
months), how long it may be, and whether the result says the problem at all: "that
doesn't work at all" (a pronoun with nothing it points to), "not waiting another 3 weeks"
(a fragment), "you would like your money back" (the ask, not the problem) say none."""

from __future__ import annotations

import re

# A social post's machinery is no part of the problem: handles that open it and tags that
# close a clause go; a tag inside a clause keeps its word ("your @FitLoopApp membership" ->
# "your FitLoopApp membership"); a link or an emoji ends a clause. An id keeps its "#"
# when it is all digits ("order #123"); "#KH-48213" becomes "KH-48213" (a "#" before a
# letter is a hashtag to the reply's trust).
_LEADING_HANDLES = re.compile(r"^\s*(?:(?:hey|hi|hello|so|ok|okay)\b[\s,]*)?(?:@[\w.]+[\s,:]*)+", re.I)
_CLOSING_TAGS = re.compile(r"(?:\s+(?:@[\w.]+|#[^\W\d_]+(?![\w-])))+\s*(?=[;.!?]*\s*$|;)")
_TAG_SIGN = re.compile(r"(?:^|(?<=[\s(]))(?:@(?=\w)|#(?=[^\W\d_]))")
_LINK = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
_EMOJI = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D]+")
_EMPTY_ASIDE = re.compile(r"\(\s*(?:\w+\s*)?\)")  # "(screenshot 👇)" once its emoji went
_SPACES = re.compile(r"\s{2,}")
_BOUNDARY = re.compile(r"(?:\s*;)+")

# Capitals that shout rather than name: several capitalised words in a row ("NO HEATING
# AND NO HOT WATER"), or a single common word ("YOU cancelled", "NOT my fault"). Single
# short capitals elsewhere are acronyms (USB, PIN, VAT, FAQs); anything with a digit is an id.
# A lone "NOW" stays: the coach shows the customer's "[bold red]NOW[/]" as they typed it
# (tests/test_coach_walks.py), and a single "NOW" reads as emphasis more than shouting.
_CAPS_WORD = r"[A-Z]{2,}(?:['’][A-Z]+)?s?"
_CAPS_RUN = re.compile(rf"\b{_CAPS_WORD}(?:[\s,]+{_CAPS_WORD})+\b")
_SHOUTED_WORD = re.compile(
    r"\b(?:YOU|YOUR|YOURS|ME|MY|WE|OUR|THEY|THEM|THIS|THAT|THE|AND|OR|BUT|NOT|NO|NEVER|ALL|ANY|"
    r"STILL|AGAIN|EVER|EVEN|JUST|ONLY|TWICE|WAS|WERE|IS|ARE|HAS|HAD|HAVE|DID|DO|DOES|CAN|WILL|"
    r"SAME|DAY|DAYS|WEEK|WEEKS|MONTH|MONTHS|HOURS|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE|TEN|"
    r"TODAY|WHY|HOW|WHAT|WHERE|WHEN|SO|VERY|TOO|MUCH|MORE|NOTHING|NOBODY|NONE|OFF|OUT)\b"
)
# Acronyms that may stand in a shouted run and still name something.
_ACRONYMS = frozenset(
    {"ATM", "CSV", "DHL", "DM", "EU", "GPS", "HR", "IBAN", "ID", "PDF", "PIN", "SEPA", "SIM", "SMS", "TV", "UK"}
    | {"UPS", "US", "USB", "VAT", "VPN"}
)

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "april", "june", "july", "august", "september", "october", "november", "december")
_CALENDAR = re.compile(r"\b(?:" + "|".join((*_WEEKDAYS, *_MONTHS)) + r")\b")
# "march" and "may" are verbs too: a month only next to a day's number.
_SHORT_MONTH = re.compile(r"(?<=\d\s)(?:march|may)\b|\b(?:march|may)(?=\s\d)")
# "was meant to come fri": a weekday's short form after a word that takes a day.
_DAY_ABBREVIATION = re.compile(
    r"\b((?:on|by|until|till|since|from|before|after|come|arrive|due|last|next|this)\s)"
    r"(mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)\b(?!['’])",
    re.I,
)
_FULL_DAY = {d[:3]: d.capitalize() for d in _WEEKDAYS}

# The agent's "we charged you" reads as blame taken; the customer's event is theirs:
# "you were charged £10.99 twice".
_WE_DID_TO_YOU = re.compile(
    r"\bwe\s+(?:have\s+)?(charged|billed|overcharged|double[- ]charged|debited|sent|cancell?ed|refused|blocked|"
    r"locked|suspended|disconnected)\s+you\b"
)
# A note that leaves out its subject: "locked out of my app for 3 days", "charged twice for ...".
_DROPPED = re.compile(r"^(locked\s+out|stuck|left\s+waiting)\b|^(charged|billed|overcharged|double[- ]charged)\b")
# A note that leaves out the article: "new air fryer arrived with ...", "order 55821 has said ...".
_BARE_THING = re.compile(
    r"^(?=(?:(?:brand\s+)?new|replacement)\s+(?:[\w-]+\s+){1,3}(?:arrived|came|is|was|has|broke|stopped|keeps|"
    r"won['’]t|doesn['’]t|does\s+not)\b|order\s+\S*\d)"
)

# "the router we sent on the 16th" -> "the router sent to you on the 16th": the reply's
# trust refuses a "we" (most are the customer's "you" turned round).
_WE_SENT = re.compile(
    r"(?<=[^\W\d_]{3})(?<!\band)(?<!\bbut)(?<!\bthat)(?<!\bwhen)(?<!\bthen)\s+we\s+(sent|gave|delivered|shipped|installed)\b(?!\s+(?:you|it|them)\b)"
)
# "internet down again since 6am": the service and its state, without the verb.
_DOWN = re.compile(
    r"^(internet|wifi|wi-fi|broadband|power|heating|hot water|app|website|site|service|signal|phone line)\s+(down|out)\b",
    re.I,
)
# "half your order is missing … order 88213": the order's number said where the order is.
_TRAILING_ORDER = re.compile(r"\s+order\s+(#?[\w-]*\d[\w-]*)$")

MAX_WORDS = 24
_CLAUSE_CUT = re.compile(
    r"\s*(?:;|,\s*(?:and|but|so|which)\b|,|\s(?:and|but|so|after|because|when|while|although|though)\b)\s*"
)
_TEXTSPEAK = re.compile(r"\b(?:bc|cuz|coz|tbh|lol|lmao|omg|idk|imo|smh|rn|ngl|fr|pls|plz|thx|u|ur|ya|yrs|mins)\b", re.I)


def clauses(sentence: str) -> list[str]:
    """The sentence cut where a link or an emoji ends what the customer was saying
    ("… snapped clean off 😤 https://… it's a bday present")."""
    # An emoji in brackets ("(screenshot 👇)") is an aside, no end.
    text = re.sub(r"\([^()]*\)", lambda m: _EMOJI.sub("", m.group(0)), sentence)
    parts = [p.strip() for p in _EMOJI.split(_LINK.sub("\U0001f4ce", text))]
    return [p for p in parts if p]


def heads(sentence: str) -> list[str]:
    """The sentence's leading clauses, longest first: "my order was meant to come Friday,
    tracking now says 'delayed in network'" -> "my order was meant to come Friday"."""
    cut = []
    for m in _CLAUSE_CUT.finditer(sentence):
        head = sentence[: m.start()]
        words = len(head.split())
        if words > MAX_WORDS:
            break  # a longer head is refused anyway; going on made a long message quadratic
        if words >= 5:
            cut.append(head)
    return [h for h in reversed(cut) if _balanced(h) and not _ends_on_fragment(h)]


def _ends_on_fragment(head: str) -> bool:
    """ "…, tried on your laptop": a last clause that is a fragment of the one before."""
    parts = _CLAUSE_CUT.split(head)
    return len(parts) > 1 and _FRAGMENT.match(parts[-1]) is not None


# An amount or an id: a sentence naming one says what happened to what.
_FACT = re.compile(r"[$€£¥₪₽]\s?\d|\d\s?(?:€|kr|EUR|USD|GBP)\b|\b[A-Z]{1,4}-?\d{3,}|#\d{3,}|\b\d{5,}\b")


def names_a_fact(sentence: str) -> bool:
    return _FACT.search(sentence) is not None


def tidy_source(sentence: str) -> str:
    """The customer's sentence without what a reply never repeats: @handles, #hashtags,
    links, emoji, an aside left empty."""
    text = _LINK.sub(" ", sentence)
    text = _EMOJI.sub(" ", text)
    text = _LEADING_HANDLES.sub("", text)
    text = _CLOSING_TAGS.sub("", text)
    text = _TAG_SIGN.sub("", text)
    text = _EMPTY_ASIDE.sub(" ", text)
    text = _BOUNDARY.sub(";", text)
    text = _SPACES.sub(" ", text).strip(" ;,")
    return re.sub(r"\s+([;,.!?)])", r"\1", text)


def deshout(text: str) -> str:
    """Shouting told back calmly; acronyms and ids keep their capitals."""

    def run(m: re.Match[str]) -> str:
        return re.sub(_CAPS_WORD, lambda w: w.group(0) if w.group(0) in _ACRONYMS else w.group(0).lower(), m.group(0))

    text = _CAPS_RUN.sub(run, text)
    return _SHOUTED_WORD.sub(lambda m: m.group(0).lower(), text)


def calendar(text: str) -> str:
    """Weekdays and months with the capital English gives them ("since Saturday")."""
    text = _DAY_ABBREVIATION.sub(lambda m: m.group(1) + _FULL_DAY[m.group(2).lower()[:3]], text)
    text = _CALENDAR.sub(lambda m: m.group(0).capitalize(), text)
    return _SHORT_MONTH.sub(lambda m: m.group(0).capitalize(), text)


def agent_form(text: str) -> str:
    """The restated sentence made a clause of the agent's: the customer's event told in
    the passive, a left-out subject or article put back."""
    text = _WE_DID_TO_YOU.sub(lambda m: f"you were {m.group(1)}", text)
    text = _WE_SENT.sub(lambda m: f" {m.group(1)} to you", text)
    text = _DOWN.sub(lambda m: f"your {m.group(1).lower()} has been {m.group(2).lower()}", text)
    trailing = _TRAILING_ORDER.search(text)
    if trailing and text.count("your order") == 1 and "your order" in text[: trailing.start()]:
        text = text[: trailing.start()].replace("your order", f"your order {trailing.group(1)}")
    m = _DROPPED.match(text)
    if m:
        text = ("you have been " if m.group(1) else "you were ") + text
    elif _BARE_THING.match(text):
        text = "your " + text
    return text


def capped(text: str) -> str:
    """A restatement of at most ``MAX_WORDS`` words: a longer one is cut after its last
    clause that fits (never inside quotes or brackets), or comes back whole to be refused."""
    if len(text.split()) <= MAX_WORDS:
        return text
    cut = ""
    for m in _CLAUSE_CUT.finditer(text):
        head = text[: m.start()]
        if len(head.split()) > MAX_WORDS:
            break
        if _balanced(head) and len(head.split()) >= 6 and not _ends_on_fragment(head):
            cut = head
    return cut or text


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")") and text.count('"') % 2 == 0 and text.count("“") == text.count("”")


# The subject of a clause that points back to something the sentence has not named.
_POINTING = re.compile(
    r"\b(?:it|that|this|they|these|those)(?:['’]s\b|\s+(?:is|was|are|were|has|had|have|does|doesn['’]t|did|"
    r"didn['’]t|do|don['’]t|will|won['’]t|would|wouldn['’]t|can|can['’]t|cannot|could|couldn['’]t|isn['’]t|"
    r"wasn['’]t|aren['’]t|hasn['’]t|haven['’]t|hadn['’]t|just|still|never|keeps|kept|seems|looks|works|"
    r"worked|arrived|stopped|broke|came|says|said)\b)",
    re.I,
)
# "it has now been six weeks", "it's been three days": no referent needed.
_DUMMY_IT = re.compile(
    r"\bit(?:['’]s|\s+has|\s+had)\s+(?:now\s+|already\s+)?been\s+(?:over\s+|more\s+than\s+)?\w+\s+\w+", re.I
)
_NAMED = re.compile(r"\b(?:the|a|an|your|my|our|their|his|her)\s+[^\W\d_]{2,}|\d", re.I)
# A clause that opens on a word a sentence never opens on: "not waiting another 3 weeks",
# "want a full refund", "should still be in the period", "and it broke".
_FRAGMENT = re.compile(
    r"^(?:not|no|want|wants|wanted|need|needs|for|and|or|but|because|so|just|also|plus|then|with|without|"
    r"as|since|until|should|would|could|must|might|will|can|to|of|at|in|on|from|by|about|than|which|who|"
    r"thank|thanks|please|hoping|lol|sorry|apologies|hi|hello|hey|dear|ok|okay|anyway|anyways|otherwise|asking|"
    r"already|yes|yeah|rather|instead|even|still|again|love|loved|great|nice|good|wow|cool|any|dm|"
    r"[a-z]{3,}ed)\b|^\d",
    re.I,
)
# The ask or the contact history, not the problem: "you asked me to correct the bill",
# "you would like your money back", "this is your third email".
_ASK = re.compile(
    r"^(?:you\s+asked\s+me\s+to|you\s+(?:would|'d|’d)\s+like|you\s+want|you\s+need|you\s+expect|you\s+demand|"
    r"you\s+are\s+(?:still\s+)?(?:asking|requesting|hoping|trying\s+to\s+cancel)|if\b|this\s+is\s+(?:your|the)\s+\w+\s+(?:email|message|time))"
    # An ultimatum: "match the deal or you'll port out".
    r"|\bor\s+(?:else\s+)?you(?:['’]ll|\s+will|['’]re\s+going)\b",
    re.I,
)
# A clause has a verb: "your order 771204, a pair of headphones, paid on the 2nd" has none.
_VERB = re.compile(
    r"['’](?:s|re|ve|d|ll)\b|\b[a-z]{2,}ed\b|\b(?:is|are|was|were|be|been|has|have|had|do|does|did|can|could|will|"
    r"would|should|cannot|isn['’]t|aren['’]t|wasn['’]t|weren['’]t|hasn['’]t|haven['’]t|hadn['’]t|doesn['’]t|don['’]t|"
    r"didn['’]t|won['’]t|can['’]t|got|get|gets|came|comes|went|goes|broke|took|gave|sent|left|lost|kept|stole|sold|"
    r"bought|hung|made|said|says|told|keeps|drops|arrives|works|shows|stays|crashes|fails|need|needs|want|wants|"
    r"missing|broken|stuck|pays|owe|owes|took|takes|won|shut|cut|let|put|set|hit|run|runs|ran|seen|shown)\b"
    # Typed without the apostrophe: "i cant change my delivery address".
    r"|\b(?:cant|dont|doesnt|didnt|wont|isnt|wasnt|arent|werent|havent|hasnt|hadnt|couldnt|wouldnt)\b"
    # The word after "you" is its verb ("you try to create …"); so is an -s word after a
    # thing named ("the account already exists", "the screen flickers").
    r"|^you\s+(?!(?:and|or|all)\b)[a-z]{2,}"
    r"|\b(?:the|your|my|this|a|an)\s+[a-z]+\s+(?:[a-z]+ly\s+|already\s+|still\s+|never\s+|just\s+)?[a-z]{3,}s\b"
    # "paid" is a verb after its subject; "your order 771204, …, paid on the 2nd" has none.
    r"|\b(?:you|we|they|he|she|was|were|been|have|has|had|and)\s+(?:\w+\s+)?paid\b",
    re.I,
)
# What listen's trust refuses anyway (reply.listen.trustworthy): left in, the sentence ends as the marker.
_REFUSED = re.compile(
    r"@\w|#[^\W\d_]|https?://|www\.|&(?:amp|lt|gt|quot|#\d+);|\[\[|\?\s*$|\b(?:we|we['’](?:ll|re|ve|d)|us|our)\b"
    r"|(?:^|\s)['‘\"“]|['’\"”](?:\s|$|[,.;])|\b(?:please|kindly|pls|plz)\b"
    r"|\byou\s+(?:typed|entered|forgot|clicked|deleted|chose|picked|made a mistake)\b",
    re.I,
)


def says_the_problem(restated: str) -> bool:
    """Whether a restated sentence is one grammatical clause about the problem: long
    enough, not too long, not a fragment, not the ask, no pronoun left pointing at nothing,
    nothing the reply's trust would refuse."""
    words = restated.split()
    if not 3 <= len(words) <= MAX_WORDS or sum(1 for w in words if re.search(r"[^\W\d_]{2,}", w)) < 2:
        return False
    refused = _REFUSED.search(restated.replace("’s", "s").replace("'s", "s"))
    if refused or _FRAGMENT.match(restated) or _ASK.match(restated) or _TEXTSPEAK.search(restated):
        return False
    letters = [c for c in restated if c.isalpha()]
    if sum(c.isupper() for c in letters) > 0.5 * len(letters) or not _VERB.search(restated):
        return False
    plain = _DUMMY_IT.sub("", restated)
    pointing = _POINTING.search(plain)
    return pointing is None or _NAMED.search(plain, 0, pointing.start()) is not None
