"""The restatement: the customer's own sentence told back from the agent's side ("my
order" -> "your order", a question as what was asked), and which sentence to tell back."""

from __future__ import annotations

import re
from functools import partial

from replycoach.reading.cuedata import signals
from replycoach.reading.restate_form import (
    agent_form,
    calendar,
    capped,
    clauses,
    deshout,
    heads,
    names_a_fact,
    says_the_problem,
    tidy_source,
)
from replycoach.reading.sentences import sentences, with_hits

_SWAP = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i've": "you've",
    "i'd": "you'd",
    "i'll": "you'll",
    "im": "you're",
    "we": "you",
    "us": "you",
    "our": "your",
    "ours": "yours",
    "am": "are",
    "was": "were",
    "you": "we",
    "your": "our",
    "yours": "ours",
    "you're": "we're",
    "you've": "we've",
}


# Greetings and hedges that open a sentence but are not what it says.
_OPENING = re.compile(
    r"^(?:(?:hi|hello|hey|dear\s+\w+|good\s+(?:morning|afternoon|evening))\b[\s,!.:-]*)?"
    r"(?:thanks?(?:\s+you)?(?:\s+so\s+much)?\s*[,!.:-]+\s*(?:but\s+)?)?"
    r"(?:(?:i['’]?m\s+|i\s+am\s+|so\s+)?(?:sorry|apologies)\b[^,\-–—]*[,\-–—]\s*(?:but\s+)?)?"
    r"(?:i\s+think\s+|it\s+seems\s+(?:that\s+)?|just\s+to\s+let\s+you\s+know,?\s+)?"
    # Spoken fillers: "ok so I've been sent ...", "so I think I've been overcharged".
    r"(?:(?:ok(?:ay)?|so|well|basically|right|um+|erm+|hmm+)\b[\s,]+){0,3}(?:i\s+think\s+)?",
    re.IGNORECASE,
)


_AFTER_I = re.compile(r"\b(?:i|I)\s+$")
# Words after which "you" is the object ("I told you" -> "you told us", never "told we").
_AFTER_VERB = re.compile(
    r"\b(?:to|for|with|from|at|by|about|of|on|against|without|sent|send|told|tell|charged|charge|"
    r"gave|give|show|showed|let|ask|asked|call|called|email|emailed|contact|contacted|paid|pay|owe|remind|"
    r"reminded|promised|warned|assured|informed|want|need|expect|expected|trust|trusted|thank|help|helped)\s+$",
    re.I,
)
_LONGEST_WORD = 12  # "contacted", the longest word of _AFTER_VERB, and a margin
_PERSON_WORD = re.compile(r"\b(?:i['’]m|i['’]ve|i['’]d|i['’]ll|you['’]re|you['’]ve|[A-Za-z]+)\b", re.I)


def _ends_with(pattern: re.Pattern[str], text: str, end: int) -> bool:
    """``pattern`` (a word then spaces, anchored at ``$``) matches just before ``end``.
    Searched from a few characters back, not over the whole prefix: searching every
    prefix made a long unpunctuated message quadratic (100 KB took 25 s)."""
    start = end
    while start > 0 and text[start - 1].isspace():
        start -= 1
    return pattern.search(text, max(0, start - _LONGEST_WORD), end) is not None


def _swap_person(sentence: str, m: re.Match[str]) -> str:
    """One word of ``restate``: "my" -> "your", "I was" -> "you were", "to you" -> "to us"."""
    word = m.group(0)
    low = word.lower().replace("’", "'")
    if low == "was" and not _ends_with(_AFTER_I, sentence, m.start()):
        return word  # only "I was" becomes "you were"
    new = _SWAP.get(low, word)
    if low == "you" and m.start() > 0 and _ends_with(_AFTER_VERB, sentence, m.start()):
        new = "us"
    if word[0].isupper() and m.start() == 0:
        new = new[:1].upper() + new[1:]
    return new


def restate(sentence: str) -> str:
    """The customer's sentence seen from the agent's side ("my order" -> "your order"),
    without the greeting or hedge that opened it, or the plea for help that closed it, told
    calmly (no shouting, no handles or links) and at most ``restate_form.MAX_WORDS`` long."""
    sentence = tidy_source(sentence)
    trimmed = _OPENING.sub("", sentence.strip(), count=1)
    sentence = trimmed if len(trimmed) > 12 else sentence
    # "…, can you help?" asks us; repeated back it would read "can we help".
    untailed = _HELP_TAIL.sub("", sentence.strip(), count=1)
    if len(untailed.split()) >= 3:
        sentence = untailed
    low = sentence.lower()
    # A sentence shouted through is repeated back in lower case, acronyms and all: its
    # short capitals ("THIS IS THE worst") are shouting too, not acronyms.
    upper = sum(map(str.isupper, sentence))
    cased = upper + sum(map(str.islower, sentence))
    sentence = low if cased >= 8 and upper > 0.5 * cased else deshout(sentence)

    out = _PERSON_WORD.sub(partial(_swap_person, sentence), sentence.strip())
    if out.rstrip().endswith("?"):
        out = _indirect_question(out)
    # Shouted words are not repeated back shouted ("we STILL took" -> "we still took");
    # short all-caps words are more often acronyms (USB, PIN, VAT) and stay.
    out = _SHOUTED.sub(lambda m: m.group(0).lower() if m.group(0).isupper() else m.group(0), out)
    first, *rest = out.split(" ", 2)
    # "Carrow Health Group is ...": a name of several capitalised words keeps its capital.
    named = bool(rest) and rest[0][:1].isupper() and first[:1].isupper() and not rest[0].isupper()
    if first.lower() in _DETERMINERS:
        named = False  # "The Vortex 900 blender": the name comes after the article
    if first != "I" and not named and not (len(first) > 1 and first.isupper()):  # "OP", "PIN" keep their capitals
        out = out[:1].lower() + out[1:]
    order = _IMPERATIVE.match(out)
    if order and not out.rstrip().endswith("?"):
        # "Edit the address on my account" -> "you asked me to edit the address on your account".
        out = "you asked me to " + out[order.end(1) :]
    elif _DROPPED_SUBJECT.match(out) and not _FINITE_BE.search(out):
        # "Still waiting for my refund" -> "you are still waiting …"; not where the words
        # are the subject ("waiting for both is torture").
        out = "you are " + out
    return capped(calendar(agent_form(out.rstrip(" .!?"))))


# A request put as an order: a bare verb first, perhaps after "please".
_IMPERATIVE = re.compile(
    r"((?:please\s+|pls\s+|kindly\s+)?)(?=(?:edit|change|update|cancel|close|delete|remove|check|reset|track|"
    r"open|add|transfer|activate|unblock|unlock|refund|replace|fix|switch|modify|submit|send|show|tell|give|"
    r"explain|confirm|verify|correct|stop|return|resend|reissue|reverse|deactivate|freeze|unfreeze)"
    # Not a noun: "Check is in the mail", "Return policy is a joke".
    r"\s+(?!(?:is|was|are|were|of|has|had|and|or)\b)(?!\S+\s+(?:is|was|are|were|has|had)\b))",
    re.I,
)
_FINITE_BE = re.compile(r"\b(?:is|was|are|were|isn['’]t|wasn['’]t)\b", re.I)
# A note-style sentence that leaves out "I am": "Still waiting for my refund."
_DROPPED_SUBJECT = re.compile(
    r"(?:still\s+|now\s+)?(?:waiting\s+(?:for|on|since)|trying\s+to|hoping\s+(?:for|to)|looking\s+for)\b"
)


# A closing plea that asks the reader for help: "…, can you help?", "… please help me!".
_HELP_TAIL = re.compile(
    r"[\s,;:.!-]*(?:(?:so\s+)?(?:can|could|would|will)\s+(?:you|someone|anyone|somebody)\s+(?:please\s+)?"
    r"(?:help|assist)(?:\s+(?:me|us))?(?:\s+(?:with\s+(?:this|that|it)|please))?|please\s+help(?:\s+me)?)"
    r"\s*[?!.]*\s*$",
    re.IGNORECASE,
)


_SHOUTED = re.compile(r"\b[^\W\d_]{5,}\b")


_SUBJECT = r"(there|it|this|that|they|we|you|I|he|she)"
_YES_NO = re.compile(r"^(is|are|was|were)\s+" + _SUBJECT + r"\s+(.+?)\s*\?+$", re.I)
_MODAL = re.compile(r"^(can|could|will|would|should)\s+" + _SUBJECT + r"\s+(.+?)\s*\?+$", re.I)
_DO = re.compile(r"^do\s+(we|you|they|I)\s+(.+?)\s*\?+$", re.I)
_WH = r"(how|what|when|where|why|which|who)"
_WH_MODAL = re.compile(r"^" + _WH + r"\s+(can|could|will|would|should)\s+" + _SUBJECT + r"\s+(.+?)\s*\?+$", re.I)
_WH_DO = re.compile(r"^" + _WH + r"\s+do\s+(we|you|they|I)\s+(.+?)\s*\?+$", re.I)
# Not when it ends on a preposition: "what is the figure based on" is left as it is.
_WH_BE = re.compile(
    r"^(what|when|where|who|how)\s+(is|are)\s+((?:the|our|your|my|this|that)\s+.+?)"
    r"(?<!\bon)(?<!\bfor)(?<!\bwith)(?<!\babout)(?<!\bto)(?<!\bfrom)(?<!\bof)(?<!\bin)(?<!\bat)(?<!\bby)\s*\?+$",
    re.I,
)


def _indirect_question(question: str) -> str:
    """'is there any discount …?' -> 'you asked whether there is any discount …': a question
    restated as a question reads as if the agent were asking it back. Forms it cannot
    turn round come back as they are."""
    m = _YES_NO.match(question) or _MODAL.match(question)
    if m:
        return f"you asked whether {_pronoun(m.group(2))} {m.group(1).lower()} {m.group(3)}"
    m = _DO.match(question)
    if m:
        return f"you asked whether {_pronoun(m.group(1))} {m.group(2)}"
    m = _WH_MODAL.match(question)
    if m:
        return f"you asked {m.group(1).lower()} {_pronoun(m.group(3))} {m.group(2).lower()} {m.group(4)}"
    m = _WH_DO.match(question)
    if m:
        # The customer's "how do I …" (swapped to "you"): how to do it.
        if m.group(1).lower() == "how" and m.group(2).lower() == "you":
            return f"you asked how to {m.group(3)}"
        return f"you asked {m.group(1).lower()} {_pronoun(m.group(2))} {m.group(3)}"
    m = _WH_BE.match(question)
    if m:
        return f"you asked {m.group(1).lower()} {m.group(3)} {m.group(2).lower()}"
    return question


def _pronoun(word: str) -> str:
    return word if word == "I" else word.lower()


def restatement_source(text: str, scenario_evidence: list[str], picked: list[str]) -> str:
    """The sentence to restate: what happened (scenario evidence) before how it felt
    ("This is UNACCEPTABLE" restates nothing), and a sentence whose restatement says the
    problem (``restate_form.says_the_problem``): not "that doesn't work at all", not
    "not waiting another 3 weeks", not the ask. "" when no sentence does: the draft then
    tells the playbook's frame, or leaves the agent the marker.

    A threat ("or I dispute the charge") or a demand ("give me 30% off") says what they
    will do or want; restated back it reads as an order, so it is used only when nothing
    else is left; a question ("is it too late to return it?") comes after every statement."""
    low = text.lower()
    positions = [at for at in (low.find(e.lower()) for e in scenario_evidence) if at >= 0]
    evidence = with_hits(text, positions)
    sig = signals()
    told: dict[str, str] = {}

    def demand(sentence: str) -> bool:
        # "Give me …", "Please cancel …": a want stated as an order. "I want …" and
        # "I'd like …" restate well ("you'd like …"), so they are not demands.
        return any(pos <= 8 and not _FIRST_PERSON.match(hit) for _, hit, _, pos in sig["wants"].hits(sentence))

    def good(sentence: str) -> str:
        """The sentence, or the first of its clauses, whose restatement says the problem."""
        if sentence not in told:
            found = ""
            for clause in clauses(sentence):
                found = next((h for h in (clause, *heads(clause)) if says_the_problem(restate(h))), "")
                if found:
                    break
            told[sentence] = found
        return told[sentence]

    # The sentences that say what went wrong; the rest of the message only when none
    # is found (a background line, "you've been on hold for 40 minutes", is no restatement).
    telling = [*evidence, *picked] or sentences(text)
    for threats, orders, asking, words, pool in (
        (True, True, False, 4, evidence),  # the sentence that decided the scenario
        (True, True, False, 5, telling),
        (True, False, False, 5, telling),
        (False, False, False, 5, telling),
        (False, False, True, 3, telling),
        # A sentence that names the amount or the order ("My bill this month is £412.").
        (True, True, False, 5, None),
    ):
        for sentence in pool if pool is not None else filter(names_a_fact, sentences(text)):
            if len(sentence.split()) < words or (not asking and sentence.rstrip().endswith("?")):
                continue
            if (threats and sig["risks"].hits(sentence)) or (orders and demand(sentence)):
                continue
            found = good(sentence)
            if found:
                return found
    return ""


_DETERMINERS = frozenset(("the", "a", "an", "this", "that", "these", "those", "your", "our", "my"))
_FIRST_PERSON = re.compile(r"(?:i|i['’]d|i['’]m|we|we['’]d|my|our)\b", re.I)
