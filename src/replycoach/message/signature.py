"""The sign-off at the end of a customer's text: a ``-- `` delimiter, "Sent from my
iPhone" in many languages, a valediction with a few short lines after it, or a trailing
name/title/phone/company block (``strip_signature_lines``; ``quotes.strip_reply`` calls it
on the lines it kept).
"""

from __future__ import annotations

import re

# A marker line html_to_text emits for a signature container (gmail_signature ...).
SIG_MARK = "\ue001"
# An Outlook rule line ("________"), above a header block or a sign-off.
_RULE = re.compile(r"^[\s>]*(?:_{8,}|-{8,}|={8,})\s*$")

_SIG_DELIM = re.compile(r"^(?:-{2,}|—|–|__+|\*\*\*+|" + SIG_MARK + r")\s*$")
# "-roman", "- Ana", "--Bob", "-Lev.": a dash and a name alone on a line.
_DASH_NAME = re.compile(r"^\s*(?:-{1,2}|—|–)\s?[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,2}\.?\s*$")
_SENT_FROM = re.compile(
    r"^[\s*_]*(?:Sent\s+(?:\w+\s+)?(?:from|via|with|using)\s+(?:my\s+)?|Get\s+Outlook\s+for\s+|Envoyé\s+(?:de|depuis)\s+(?:mon\s+)?"
    r"|Enviado\s+(?:desde|do|de)\s+(?:mi|meu|o\s+meu|el)?\s*|Von\s+meinem\s+|Gesendet\s+(?:von|mit|vom)\s+"
    r"|Inviato\s+da\s+|Verstuurd\s+(?:vanaf|met)\s+|Verzonden\s+(?:vanaf|met)\s+|Skickat\s+från\s+|Sendt\s+fra\s+"
    r"|Lähetetty\s+(?=.{0,60}?(?:iphone|ipad|android|outlook|samsung|galaxy|mail|puhelime|laittee|sovellukse|tabletista"
    r"|mobiili))|Wysłane\s+z\s+|Odesláno\s+z\s+|Отправлено\s+(?:с|из)\s+|Надіслано\s+з\s+|Envoyé\s+à\s+partir\s+de\s+"
    r"|נשלח\s+מ(?:ה-?|-)?(?=iPhone|iPad|Outlook|Android|Samsung|Galaxy|Gmail|Yahoo|ה?אייפון|ה?אייפד|ה?טלפון|ה?נייד"
    r"|ה?סמארטפון|ה?מכשיר|אנדרואיד|ה?דואר)|Diese\s+Nachricht\s+wurde\s+(?:von|mit|vom)\s+"
    r"|Trimis\s+de\s+pe\s+|Elküldve\s+|iPhone\s*から送信|从我的|發自我的|Sent\s+from\s+)"
    r"(?:[^\s,;:?!]+(?:\s+[^\s,;:?!]+){0,8})?(?:\s*(?:gesendet|verzonden|から送信))?\s*[.!]?\s*$",
    re.IGNORECASE,
)
_VALEDICTION_PHRASES = (
    r"(?:best|kind|warm|warmest|many|with\s+best|with\s+kind|all\s+the\s+best|kindest)?\s*regards|best"
    r"|all\s+the\s+best|best\s+wishes|thanks(?:\s+(?:again|in\s+advance|a\s+lot|so\s+much))?|thank\s+you(?:\s+(?:again|in\s+advance|very\s+much))?"
    r"|many\s+thanks|thx|ty|cheers|sincerely|yours(?:\s+(?:sincerely|truly|faithfully))?|respectfully|cordially"
    r"|br|rgds|regds|take\s+care|talk\s+soon|sent\s+with\s+thanks"
    r"|mit\s+freundlichen\s+grüßen|mit\s+freundlichen\s+grüssen|mfg|freundliche\s+grüße|viele\s+grüße|liebe\s+grüße"
    r"|beste\s+grüße|grüße|gruß|danke|vielen\s+dank|lg|vg|mit\s+besten\s+grüßen"
    r"|cordialement|bien\s+cordialement|bien\s+à\s+vous|salutations|merci|merci\s+d'avance|bonne\s+journée|amicalement"
    r"|saludos|un\s+saludo|atentamente|cordiales\s+saludos|gracias|muchas\s+gracias|saludos\s+cordiales"
    r"|atenciosamente|obrigad[oa]|abraços|cumprimentos|com\s+os\s+melhores\s+cumprimentos"
    r"|cordiali\s+saluti|distinti\s+saluti|saluti|grazie|grazie\s+mille"
    r"|met\s+vriendelijke\s+groet(?:en)?|vriendelijke\s+groet(?:en)?|groet(?:en|jes)?|mvg|bedankt|dank\s+je(?:wel)?"
    r"|med\s+venlig\s+hilsen|venlig\s+hilsen|mvh|med\s+vennlig\s+hilsen|vennlig\s+hilsen|hilsen|med\s+vänlig\s+hälsning"
    r"|vänliga\s+hälsningar|hälsningar|tack|kh|ystävällisin\s+terveisin|terveisin|kiitos"
    r"|pozdrawiam|z\s+poważaniem|z\s+powazaniem|dziękuję|s\s+pozdravem|děkuji|üdvözlettel|köszönöm"
    r"|saygılarımla|teşekkürler|с\s+уважением|спасибо|заранее\s+спасибо|всего\s+доброго|з\s+повагою|дякую"
    r"|με\s+εκτίμηση|ευχαριστώ|בברכה|תודה|مع\s+التحية|شكرا|よろしくお願いします|よろしくお願いいたします"
    r"|敬具|此致|谢谢|謝謝|감사합니다|trân\s+trọng|salam|terima\s+kasih"
)
# Matched against the lower-cased line (IGNORECASE here costs ~14 ms of compile at import);
# the name is then cut from the original line at the same place.
_VALEDICTION = re.compile(
    r"^[\s*_-]*(?:" + _VALEDICTION_PHRASES + r")(?:\s*[,.!;:]+\s*|\s+)?(?P<name>[^\W\d_][\w.'’ -]{0,40})?\s*[,.!]?\s*$"
)
# The phrases with nothing after them ("Saludos cordiales,"): the name group above would
# otherwise take "cordiales" for a name after matching the shorter "saludos".
_VALEDICTION_ONLY = re.compile(r"^[\s*_-]*(?:" + _VALEDICTION_PHRASES + r")\s*[,.!]*\s*$")
_PHONE = re.compile(
    r"^[\s*]*(?:(?:tel|phone|mobile|mob|cell|fax|office|direct|t|m|p|f|ph|tlf|puh|тел)\.?\s*[:.]?\s*)?\+?[\d\s().\-/]{7,}(?:\s*(?:x|ext\.?)\s*\d+)?\s*$",
    re.IGNORECASE,
)
_CONTACT_WORDS = (
    r"\b(?:Inc|Ltd|LLC|GmbH|Corp|Co|plc|S\.?A|S\.?L|AG|B\.?V|Oy|AB|AS|Pty|KG|SARL"
    r"|Manager|Director|Officer|CEO|CTO|CFO|COO|Founder|Owner|Engineer|Developer|Consultant|Assistant|Coordinator"
    r"|Specialist|Analyst|Head\s+of|VP|President|Partner|Lead|Department|Dept|Team|Company|Street|St\.|Avenue|Ave"
    r"|Road|Suite|Floor)\b"
)
_CONTACT = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|" + _CONTACT_WORDS + r"|\|")


_PS = re.compile(r"^\s*P\.?\s?P?\.?\s?S\b[.:]?", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}")
_SIG_FIRST = frozenset("-—–_*" + SIG_MARK)


# Short title-case lines that end a complaint without being anybody's name.
_NOT_NAMES = frozenset(
    [
        "please",
        "help",
        "urgent",
        "advise",
        "thanks",
        "thank",
        "you",
        "asap",
        "now",
        "today",
        "order",
        "refund",
        "hello",
        "hi",
        "dear",
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "for",
        "of",
        "my",
        "your",
        "our",
        "is",
        "are",
        "not",
        "no",
        "yes",
        "ok",
        "okay",
        "sorry",
        "waiting",
        "still",
        "again",
        "soon",
        "reply",
        "respond",
        "answer",
        "call",
        "me",
        "us",
        "bitte",
        "danke",
        "merci",
        "gracias",
        "grazie",
        "obrigado",
        "спасибо",
    ]
)


def _is_name_line(line: str, sender: frozenset[str]) -> bool:
    """A bare sign-off name: "Ana", "-Abhishek Kona", "/John", "Ana López"."""
    text = line.strip().lstrip("-–—/~*").strip().rstrip(".")
    if not text or len(text) > 40:
        return False
    words = text.split()
    if len(words) > 4 or any(w.lower().strip(".,!") in _NOT_NAMES for w in words):
        return False
    if not all(ch.isalpha() or ch in " .'-" for ch in text):
        return False
    if sender and len(words) <= 3 and any(w.lower() in sender for w in words):
        return True
    return all(w[:1].isupper() and (w[1:].islower() or len(w) <= 2 or "-" in w or "'" in w) for w in words)


def _is_contact_line(line: str, sender: frozenset[str]) -> bool:
    stripped = line.strip()
    if not stripped or len(stripped) > 80:
        return False
    if _PHONE.match(stripped):
        return True
    if len(stripped) <= 60 and _CONTACT.search(stripped) and not stripped.endswith(("?", "!")):
        return True
    return _is_name_line(stripped, sender)


def _in_list(lines: list[str], k: int) -> bool:
    """A "- item" line with another "- item" line next to it is a list, not a signature."""
    for j in (k - 1, k + 1):
        if (
            0 <= j < len(lines)
            and lines[j].lstrip().startswith(("-", "—", "–"))
            and lines[j].strip() not in ("--", "-- ")
        ):
            return True
    return bool(_NOT_NAMES.intersection(w.lower().strip(".-") for w in lines[k].split()))


_COLUMNS = re.compile(r"\S(?: {2,}|\t|\s*\|\s*)\S")


def _table_rule(lines: list[str], k: int) -> bool:
    """A rule under a row of columns ("item   | price") is a table's, not a signature
    delimiter; "--" is one only between two rows of columns ("-- " is a delimiter by
    convention, but lines reach here with their trailing space stripped)."""
    if k == 0:
        return False
    if not _COLUMNS.search(lines[k - 1]):
        return False
    if lines[k].strip() == "--":
        return k + 1 < len(lines) and bool(_COLUMNS.search(lines[k + 1]))
    return k + 1 >= len(lines) or bool(_COLUMNS.search(lines[k + 1]))


# A sentence of the customer's: five words or more, ending in ".", "!" or "?".
_SENTENCE = re.compile(r"^\s*(?:\S+\s+){4,}\S*[.!?]\s*$")


def _not_delimiter(lines: list[str], k: int) -> bool:
    """A delimiter line that is not one: a table's rule, a rule ("-----", "***") with a
    sentence of the customer's right below it (a break between paragraphs), or one
    underlining a heading with sentences further down. "--" stays a delimiter whatever
    follows it, and a rule above a name, a title and a disclaimer stays one too."""
    if _table_rule(lines, k):
        return True
    if lines[k].strip() == "--" or lines[k] == SIG_MARK:
        return False
    below = next((ln for ln in lines[k + 1 : k + 4] if ln.strip()), "")
    if _SENTENCE.match(below):
        return True
    above = lines[k - 1].strip() if k else ""
    heading = bool(above) and len(above) <= 40 and above[-1] not in ",.;:!?"
    return heading and any(_SENTENCE.match(ln) for ln in lines[k + 1 : k + 12])


def _sender_words(sender: str) -> frozenset[str]:
    """The sender's name as lower-cased words."""
    return frozenset(w.lower() for w in _WORD.findall(sender))


def strip_signature_lines(lines: list[str], sender: str) -> tuple[list[str], list[str]]:
    """(body, signature) of ``lines``. A cut can bring another sign-off into the last
    lines ("Thanks!\n\nSent from my iPhone\n\nSent from my iPhone"): the cutting is
    repeated until nothing more goes, so that stripping a stripped body changes nothing."""
    names = _sender_words(sender) if sender else frozenset()
    body, sig = _strip_once(lines, names)
    for _ in range(3):
        if not sig:
            break
        body, more = _strip_once(body, names)
        if not more:
            break
        sig = [*more, "", *sig]
    return body, sig


def _strip_once(lines: list[str], names: frozenset[str]) -> tuple[list[str], list[str]]:
    # Trailing blank lines do not count.
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    lines = lines[:end]
    if not lines:
        return [], []
    first_text = next((k for k, ln in enumerate(lines) if ln and not ln.isspace()), 0)
    n = len(lines)
    cut = n
    # A dash-name or "Sent from my iPhone" counts only in the last six lines (it is a
    # client's footer); above them only a delimiter line can start the signature.
    tail_start = max(first_text + 1, n - 6)
    for k in range(first_text + 1, tail_start):
        line = lines[k]
        if line[:1] in _SIG_FIRST and _SIG_DELIM.match(line) and not _not_delimiter(lines, k):
            cut = k
            break
    else:
        for k in range(tail_start, n):
            line = lines[k]
            if not line or line.isspace():
                continue  # none of the three patterns matches a blank line
            if line[:1] in _SIG_FIRST and _SIG_DELIM.match(line) and not _not_delimiter(lines, k):
                cut = k
                break
            if _DASH_NAME.match(line) and not _in_list(lines, k):
                cut = k
                break
            if _SENT_FROM.match(line):
                cut = k
                break
    body, sig = lines[:cut], lines[cut:]
    # Drop trailing empties and rules ("-----" left above an Outlook header) before the sign-off.
    while body and (not body[-1].strip() or _RULE.match(body[-1]) or set(body[-1].strip()) <= set("-_=*")):
        body.pop()
    # A valediction ("Best regards,", "Thanks, Ana") followed by a few short lines.
    signed = False
    nonempty = [k for k, ln in enumerate(body) if ln and not ln.isspace()]
    for k in reversed(nonempty[-8:]):
        if k == nonempty[0]:
            break
        lower = body[k].lower()
        m = _VALEDICTION.match(lower)
        if m:
            tail = [ln for ln in body[k + 1 :] if ln and not ln.isspace()]
            name = m.group("name")
            if name and len(lower) == len(body[k]):
                name = body[k][m.start("name") : m.end("name")]
            if name and not _is_name_line(name, names) and not _VALEDICTION_ONLY.match(lower):
                continue  # "Thanks for your help": a sentence, not a sign-off
            ps = next((j for j in range(k + 1, len(body)) if _PS.match(body[j])), None)
            if ps is not None:
                # A P.S. after the sign-off is still the customer talking: keep it, drop the sign-off.
                if ps - k <= 7:
                    sig = body[k:ps] + sig
                    body = [*body[:k], "", *body[ps:]]
                    signed = True
                break
            if len(tail) <= 6 and all(len(ln.strip()) < 40 or _is_contact_line(ln, names) for ln in tail):
                sig = body[k:] + sig
                body = body[:k]
                signed = True
                break
    while body and not body[-1].strip():
        body.pop()
    # A trailing block of name / title / phone / company lines with no valediction.
    nonempty = [k for k, ln in enumerate(body) if ln and not ln.isspace()]
    if len(nonempty) >= 2 and not signed:
        start = len(body)
        for k in reversed(nonempty):
            if k == nonempty[0] or len(body) - k > 6:
                break
            if not _is_contact_line(body[k], names):
                break
            start = k
        if start < len(body):
            block = body[start:]
            joined_prev = body[start - 1] if start else ""
            # Lines glued to the text above are a sign-off only when they name the sender.
            separated = not joined_prev.strip()
            if separated or (names and any(_is_name_line(ln, names) for ln in block if ln.strip())):
                sig = block + sig
                body = body[:start]
    return body, sig
