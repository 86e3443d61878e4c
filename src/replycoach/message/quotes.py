"""Strip quoted history and signatures from a reply, in many languages.

The text is read line by line, like a person skimming a reply: each line is
classified (empty, ``>``-quoted, a *splitter* that introduces quoted history, or
text), then the customer's own words are kept: everything above the first splitter,
plus any text the customer wrote between or below ``>``-quoted lines (inline and
bottom-posted replies). The sign-off is then cut from the end (``signature``).

The splitter patterns are tried only on lines a cheap pre-check lets through
(``_maybe_splitter``); the pre-check also decides a few lines on its own: a line it
turns away is text even where ``_is_splitter`` would call it a splitter.
"""

from __future__ import annotations

import re

from .signature import _RULE, SIG_MARK, strip_signature_lines

# A marker line html_to_text emits where the HTML itself says "quoted history starts
# here" (gmail_quote, Outlook's divRplyFwdMsg ...). A private-use character cannot
# come from a customer's plain text in any meaningful way. (SIG_MARK: a signature
# container, in .signature.)
QUOTE_MARK = "\ue000"


# "On <date>, <person> wrote:" in many languages. The verb ends the line (after
# joining up to three wrapped lines); what precedes it must look like an attribution.
_VERBS = (
    r"wrote|writes|sent|schrieb|schreibt|a\s+écrit|a\s+ecrit|écrit|escribió|escribio|ha\s+escrito|ha\s+scritto"
    r"|scrisse|schreef|geschreven|escreveu|escribiu|skrev|skriver|kirjoitti|írta|a\s+scris|yazdı|napisał\(a\)"
    r"|napisał|napisała|napisal|pisze|pisał\(a\)|pisał|pisała|napsal\(a\)|napsal|napísal|написал\(а\)|написал|написала|написав|пише|пишет"
    r"|έγραψε|כתב|כתבה|כתב/ה|נכתב|كتب|đã\s+viết|menulis|sumulat|ने\s+लिखा|เขียนว่า"
)
_CJK_VERBS = r"写道|寫道|님이\s*작성(?:하였습니다|했습니다)?|작성"
# The verb ends the attribution ("... wrote:"): matched on the lower-cased line.
_VERB_AT_END = re.compile(r"(?:\b(?:" + _VERBS + r")|(?:" + _CJK_VERBS + r"))[\s*]*(?:[:：]|-{2,}|\.{3}|$)[\s*-]*$")
# A verb anywhere, for Gmail's German and Scandinavian order: "Am ... schrieb Ana <a@x>:".
_VERB_ANY = re.compile(r"\b(?:" + _VERBS + r")\s")
# What makes "... wrote:" an attribution rather than the customer's sentence: a time,
# a date, or an address somewhere in it.
_STAMP = re.compile(r"@|<|\d{1,2}[:.h]\d{2}|\d{1,4}[-/.年]\s?\d{1,2}|\b(?:19|20)\d{2}\b")
# Any language: a line that ends "<address>:" and carries a time is an attribution.
_ADDR_COLON = re.compile(r"<[^<>\s]+@[^<>\s]+>\s*[:：]\s*$|\([^()\s]+@[^()\s]+\)\s*[:：]\s*$")
_ADDR = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_TIME = re.compile(r"\d{1,2}[:.h]\d{2}")
# Yahoo flattens the attribution and the first quoted line into one: "On ..., X wrote:   Thanks!".
_LEAD_HINT = re.compile(r"(?:wrote|schrieb|écrit|escribió|scritto|escreveu|schreef)\s*:\s+\S")
_ATTRIBUTION_LEAD = re.compile(
    r"^\s*(?:On|Am|Le|El|Il|Em|Op)\s.{4,200}?\d.{0,200}?\b(?:wrote|schrieb|a\s+écrit|escribió|ha\s+scritto"
    r"|escreveu|schreef)\s*:\s+\S"
)
_INTRO = re.compile(
    r"^[\s>*-]*(?:On|Am|Le|El|Il|Op|Em|Den|På|Dne|Dnia|W\s+dniu|Στις|Vào|Às|No\s+dia|Pada|Tanggal|В|У|ביום|בתאריך|Op\s+\w+)\b",
    re.IGNORECASE,
)
# "2014-10-17 11:28 GMT+03:00 Postmaster <post@x.org>:" and "2023年2月28日(火) 14:00 Oda <o@x>:".
_DATE_FROM = re.compile(
    r"^[\s>]*(?:[^\W\d]{2,12}\.?,?\s+)?(?:\d{4}[-/.年]\s?\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}"
    r"|\d{1,2}\.?\s+\w+\.?\s+\d{4}).{0,200}"
    r"(?:<[^<>\s]+@[^<>\s]+>|\S+@\S+\.\w+|\([^()\s]+@[^()\s]+\))[^:：]{0,40}[:：]\s*$"
)
# Matched against the lower-cased line: IGNORECASE over this many non-ASCII literals
# makes the compile cost ~6 ms at import.
_SEPARATOR = re.compile(
    r"^[\s>*]*(?:-{2,}|_{2,}|={2,})\s*(?:original\s+message|reply\s+message|forwarded\s+message|forwarded\s+message"
    r"|mail\s+original|message\s+original|ursprüngliche\s+nachricht|originalnachricht|antwort\s+nachricht|weitergeleitete\s+nachricht"
    r"|message\s+d'origine|message\s+original|message\s+transféré|message\s+transfere"
    r"|mensaje\s+original|mensaje\s+reenviado|mensagem\s+original|mensagem\s+encaminhada"
    r"|messaggio\s+originale|messaggio\s+inoltrato|oorspronkelijk\s+bericht|origineel\s+bericht|doorgestuurd\s+bericht"
    r"|oprindelig\s+meddelelse|videresendt\s+meddelelse|opprinnelig\s+melding|videresendt\s+melding"
    r"|ursprungligt\s+meddelande|originalmeddelande|vidarebefordrat\s+meddelande|alkuperäinen\s+viesti"
    r"|välitetty\s+viesti|oryginalna\s+wiadomość|wiadomość\s+oryginalna|przekazana\s+wiadomość"
    r"|původní\s+zpráva|přeposlaná\s+zpráva|pôvodná\s+správa|eredeti\s+üzenet|továbbított\s+üzenet"
    r"|orijinal\s+mesaj|i̇letilen\s+mesaj|mesaj\s+original|исходное\s+сообщение|оригинальное\s+сообщение"
    r"|пересылаемое\s+сообщение|пересланное\s+сообщение|вихідне\s+повідомлення|переслане\s+повідомлення"
    r"|αρχικό\s+μήνυμα|προωθημένο\s+μήνυμα|הודעה\s+מקורית|הודעה\s+שהועברה|الرسالة\s+الأصلية"
    r"|原始邮件|原始郵件|転送メッセージ|元のメッセージ|원본\s*메시지|전달된\s*메시지|tin\s+nhắn\s+gốc)"
    r"\s*(?:-{2,}|_{2,}|={2,})?\s*:?\s*$"
    r"|^[\s>]*(?:begin\s+forwarded\s+message|anfang\s+der\s+weitergeleiteten\s+nachricht|début\s+du\s+message\s+réexpédié"
    r"|inicio\s+del\s+mensaje\s+reenviado|início\s+da\s+mensagem\s+reencaminhada|inizio\s+messaggio\s+inoltrato"
    r"|begin\s+doorgestuurd\s+bericht|videresendt\s+begynner|vidarebefordrat\s+brev)\s*:\s*$",
)
_HEADER_KEYS_FROM = (
    r"From|Von|De|Da|Fra|Från|Van|Od|От|Від|Lähettäjä|Feladó|Kimden|Από|寄件者|发件人|發件人|差出人|보낸\s?사람"
    r"|Afzender|Remetente|Expéditeur|Nadawca|Odesílatel|Odosielateľ|מאת|من|Từ|Dari"
)
_HEADER_KEYS_OTHER = (
    r"Sent|Date|Gesendet|Datum|Envoyé|Enviado\s+el|Enviado\s+em|Enviada\s+em|Enviado|Enviada|Inviato|Data|Sendt|Skickat|Verzonden|Verstuurd|Wysłano"
    r"|Wysłane|Odesláno|Odoslané|Отправлено|Дата|Надіслано|Lähetetty|Päivämäärä|Elküldve|Dátum|Gönderildi"
    r"|Tarih|Στάλθηκε|Ημερομηνία|傳送時間|发送时间|發送時間|送信日時|日付|日期|보낸\s?날짜|Fecha|נשלח|تاريخ|Ngày"
    r"|To|An|À|A|Para|Til|Till|Aan|Do|Кому|Vastaanottaja|Címzett|Kime|Προς|收件者|收件人|宛先|받는\s?사람|Komu"
    r"|Subject|Betreff|Objet|Asunto|Assunto|Oggetto|Emne|Ämne|Onderwerp|Temat|Předmět|Predmet|Тема|Aihe|Tárgy"
    r"|Konu|Θέμα|主旨|主题|主題|件名|제목|נושא|الموضوع|Chủ\s+đề|Perihal|Cc|Kopie|Kopia|Копия|Kopio|Bilgi|Κοιν"
    r"|副本|抄送|참조|Reply-To|Antwort\s+an|Organization|Message\s+du|Copie\s+à"
)
_HEADER_FROM = re.compile(r"^[\s>]*\*{0,2}(?:" + _HEADER_KEYS_FROM + r")\*{0,2}\s?[:：]", re.IGNORECASE)
_HEADER_ANY = re.compile(
    r"^[\s>]*\*{0,2}(?:" + _HEADER_KEYS_FROM + "|" + _HEADER_KEYS_OTHER + r")\*{0,2}\s?[:：]", re.IGNORECASE
)
_HEADER_DATE = re.compile(
    r"^[\s>]*\*{0,2}(?:Date|Sent|Datum|Gesendet|Envoyé|Fecha|Data|Message\s+du)\*{0,2}\s?[:：]", re.IGNORECASE
)
# A titled rule that webmails put above a header block: "----- Message du 20/11/26 14:02 -----".
_TITLED_RULE = re.compile(r"^[\s>]*-{3,}\s*[^\s-].{0,80}?\s*-{3,}\s*$")
# A reply typed on the same line as the attribution: "Thanks! On Wed, ... wrote:".
_INLINE_ATTRIBUTION = re.compile(
    r"(?<=\S)[ \t]*-*[ \t]*(?=(?:On|Am|Le|El|Il|Op)\s.{4,200}?\b(?:wrote|schrieb|a\s+écrit|escribió|ha\s+scritto"
    r"|schreef|escreveu)\s*:\s*$)"
)

_QUOTED = re.compile(r"^\s*>")
_LEADING_DIGIT = re.compile(r"^[\s>*-]*\d")
_LEADING_DIGIT_ANY = re.compile(r"\d")
_WROTE_END = re.compile(r"\b(?:" + _VERBS + r")\s*[:：]\s*$", re.IGNORECASE)
_DATE_NO_COLON = re.compile(
    r"^[\s]*(?:\d{4}[-/.年]\s?\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}).{0,200}(?:<[^<>\s]+@[^<>\s]+>)\s*$"
)
_BIDI_CHARS = "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile("[" + _BIDI_CHARS + "]")
_INLINE_HINTS = ("wrote", "schrieb", "écrit", "scri", "schreef")
# Cheap pre-check for the expensive pattern: an intro word that does not start the line.
_INLINE_INTRO = re.compile(r"\S[ \t-]*[ \t](?:On|Am|Le|El|Il|Op)\s")
_INTRO_PREFIXES = (
    "on ",
    "am ",
    "le ",
    "el ",
    "il ",
    "op ",
    "em ",
    "den ",
    "på ",
    "dne ",
    "dnia ",
    "w ",
    "στις ",
    "vào ",
    "в ",
    "у ",
    "ביום ",
    "בתאריך ",
)


def _maybe_splitter(line: str) -> bool:
    """Every splitter line passes this; plain sentences fail it at the cost of a few
    substring tests (a regex search here was ~5 us a line, most of strip_reply's time)."""
    if ":" in line or "@" in line or "：" in line:
        return True
    head = line.lstrip(" \t>*")
    if head[:1] in ("-", "_", "=", QUOTE_MARK):
        return True
    if head[:8].lower().startswith(_INTRO_PREFIXES):
        return True
    # Only the tail is lower-cased: lower() maps characters one by one (final sigma aside,
    # which never lower-cases to ASCII), so the last five of a long line decide alike.
    return line.rstrip(" \t-*")[-5:].lower().endswith(("wrote", "skrev"))


_MAX_HEADER_LINE = 1000  # attribution and header lines are short; long lines skip the regexes


def _is_quote_continuation(line: str) -> bool:
    """A wrapped piece of a long quoted line (URLs mostly): one token with URL characters, or ends in " >"."""
    stripped = line.strip()
    if " " not in stripped and "\t" not in stripped:
        return any(ch in stripped for ch in "=/()_:@")
    return stripped.endswith(" >")


def _lost_marker(lines: list[str], i: int, first: str, after_lost: bool) -> bool:
    """A quoted line that lost its ">" to line wrapping: right below a quoted line (or
    another such piece) that is long and cut mid-sentence, going on in lower case, with
    quoted history, a blank line or the end right below the run (the customer's inline
    answer starts a sentence, after a blank line)."""
    if not first.islower() or i == 0:
        return False
    above = lines[i - 1].rstrip()
    if len(above) < 60 or (above.lstrip()[:1] != ">" and not after_lost) or above[-1:] in ".!?:":
        return False
    # Up to three pieces in a row, each below a long unfinished one.
    for j in range(i + 1, min(i + 4, len(lines) + 1)):
        if j == len(lines) or not lines[j] or lines[j].isspace():
            return True
        below = lines[j].lstrip()
        if below[:1] == ">":
            return True
        piece = lines[j - 1].rstrip()
        if not below[:1].islower() or len(piece) < 60 or piece[-1:] in ".!?:":
            return False
    return False


# A line that holds the end of a sentence: "!" or "?" at its end, "." after a word longer
# than an abbreviation ("fre.", "нояб.", "Nov." end pieces of a wrapped date), or a
# sentence's "." followed by the next one ("הגיעה. אבקש").
_SENTENCE_END = re.compile(r"[!?]\s*$|[^\W\d_]{6,}\.\s*$|[^\W\d_]{4,}\.\s+[^\W\d_]")
_DATE_START = re.compile(
    r"^\s*(?:\d{4}[-/.年]\s?\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,2}\.?\s+[^\W\d_]+\.?\s+\d{4})"
)
_UNQUOTE = re.compile(r"^(?:[ \t]*>)+ ?")

# --- the splitter ----------------------------------------------------------------


def _is_splitter(lines: list[str], i: int) -> int:
    """How many lines the quote header starting at ``lines[i]`` spans, or 0."""
    line = lines[i]
    stripped = line.strip()
    if not stripped or len(line) > _MAX_HEADER_LINE:
        return 0
    if stripped == QUOTE_MARK:
        return 1
    if _SEPARATOR.match(line.lower()):
        return 1
    titled = line.lstrip(" >")[:3] == "---" and bool(_TITLED_RULE.match(line))
    if titled or _RULE.match(line):
        # An Outlook (or webmail's titled) rule line is a splitter only if a header block follows it.
        for j in range(i + 1, min(i + 3, len(lines))):
            if lines[j].strip():
                if _HEADER_ANY.match(lines[j]) and _header_block(lines, j):
                    return 1
                break
        if not titled:
            return 0  # a titled rule may still be an attribution ("---- John Smith wrote ----")
    if _HEADER_ANY.match(line) and _header_block(lines, i):
        return 1
    if (
        "@" in line
        and len(line) < 120
        and (i == 0 or not lines[i - 1].strip())
        and _HEADER_FROM.match(line)
        and _ADDR.search(line)
    ):
        # A lone "From: someone@example.com" opening a paragraph: the rest of a header block was lost.
        return 1
    # Attributions wrap over up to three lines ("On Fri, ... Ana <\nana@x.com>\nwrote:").
    if _LEAD_HINT.search(line) and _ATTRIBUTION_LEAD.match(line):
        return 1
    # Only a line that can open an attribution may be joined with the next ones.
    can_wrap = bool(_INTRO.match(line) or _LEADING_DIGIT.match(line) or "@" in line or line.rstrip().endswith("<"))
    joined = ""
    for k in range(3 if can_wrap else 1):
        if i + k >= len(lines):
            break
        part = _UNQUOTE.sub("", lines[i + k]).strip() if k else line
        if k and not part:
            break
        joined = _join(joined, part) if joined else part
        if len(joined) > 500:
            break
        strength = _is_attribution(joined)
        if strength == 2 and k and "@" not in joined and not _quote_below(lines, i + k):
            # Wrapped, with no address: "20.11.2026 в 14:02 ваш оператор\nнаписал:" is the
            # customer's own sentence unless quoted lines follow it.
            continue
        if strength == 2 or (strength == 1 and _next_is_quoted(lines, i + k)):
            return k + 1
    if _INTRO.match(line) and _LEADING_DIGIT_ANY.search(line) and len(line) < 200:
        # "On <date> <name>" with the address and "wrote:" a few (possibly blank) lines later.
        for k in range(1, 6):
            if i + k >= len(lines) or len(lines[i + k]) > 120:
                break
            if _WROTE_END.search(lines[i + k]):
                return k + 1
    if _DATE_NO_COLON.match(line):
        # "2011/4/7 Nathan <support@example.com>" directly above ">"-quoted lines.
        for k in range(1, 4):
            if i + k >= len(lines):
                break
            if lines[i + k].strip():
                return 1 if _QUOTED.match(lines[i + k]) else 0
    return 0


def _join(head: str, part: str) -> str:
    """Two pieces of a wrapped attribution: a break inside "<address>" took no space."""
    return head + part if head.endswith("<") else f"{head} {part}"


def _wrapped_attribution(lines: list[str], i: int) -> int:
    """How many lines the attribution paragraph starting at ``lines[i]`` spans, or 0.

    A client wraps "<date> <name> <address> <verb>:" at any space, so the first piece
    may carry no cue of its own ("pe 20.11.2026 klo 14.02 Asiakaspalvelu <"): a
    paragraph of two or three short lines is read whole. Joined lines are trusted only
    with an address in them or ">"-quoted lines right below: a customer's own
    paragraph ending in "... wrote:" is never cut without one of the two, and lines
    that end a sentence ("... nadal nie dotarło.") or open a letter ("Hei,") are not
    pieces of an attribution."""
    end = i
    n = len(lines)
    while end < n and end - i < 4:
        piece = lines[end]
        if not piece or piece.isspace() or len(piece) > 200 or piece.lstrip()[:1] == ">" or piece == QUOTE_MARK:
            break
        end += 1
    if not 2 <= end - i <= 3:
        return 0
    last = lines[end - 1].rstrip(" \t*-")
    if not last.endswith((":", "：", ")", "...")) and not last[-5:].lower().endswith(("wrote", "skrev")):
        return 0
    first, second = lines[i].strip(), lines[i + 1].lstrip()
    # The head of an attribution: a date or an intro word, or a name above its "<address>".
    if not (_LEADING_DIGIT_ANY.search(first) or _INTRO.match(first) or second[:1] == "<" or _ADDR.match(second)):
        return 0
    for k in range(i, end - 1):
        if _SENTENCE_END.search(lines[k]):
            return 0
    for k in range(i + 1, end):
        # "Thanks, order 4411\nOn Wed, ... wrote:": the attribution starts on its own line.
        if (lines[k].lstrip()[:1].isupper() and _INTRO.match(lines[k])) or _DATE_START.match(lines[k]):
            return 0
    joined = lines[i].strip()
    for k in range(i + 1, end):
        joined = _join(joined, lines[k].strip())
    strength = _is_attribution(joined)
    if not strength:
        return 0
    if strength == 2 and "@" in joined:
        return end - i
    return end - i if _quote_below(lines, end - 1) else 0


def _quote_below(lines: list[str], i: int) -> bool:
    """The next non-blank line after ``lines[i]`` (within three) is quoted history."""
    for j in range(i + 1, min(i + 4, len(lines))):
        if lines[j] and not lines[j].isspace():
            return lines[j].lstrip()[:1] == ">" or lines[j] == QUOTE_MARK
    return False


def _is_attribution(text: str) -> int:
    """2: certainly an attribution; 1: only if quoted lines follow ("John wrote:"); 0: no."""
    stripped = text.rstrip()
    if not stripped.endswith((":", "：", "-", ")", "...")) and not stripped[-5:].lower().endswith(("wrote", "skrev")):
        return 0
    # Verb searches run on the lower-cased text without IGNORECASE (several times faster),
    # and the verb-at-the-end case only looks at the tail of the line.
    low = stripped.lower()
    same = len(low) == len(stripped)
    cut = max(0, len(low) - 60)
    m = _VERB_AT_END.search(low, cut)
    if m:
        pre = stripped[: m.start()] if same else low[: m.start()]
        pre = pre.lstrip(" \t>*-")
        if _STAMP.search(pre) or stripped.lstrip(" >*").startswith("-"):
            return 2
        if 0 < len(pre.split()) <= 6:
            # "John Smith wrote:", "On Monday, Ana wrote:": trusted only above a quote.
            return 1
    elif stripped.endswith((":", "：")):
        # Verb before the sender: "Am ... schrieb Ana <a@x.com>:", "Mika <m@x> kirjoitti 2.6. klo 10.40:".
        for v in _VERB_ANY.finditer(low, 0, len(low) - 1):
            if v.start() > 300 or v.end() < len(low) - 161:
                continue
            if _STAMP.search(low, 0, v.start()) and _STAMP.search(low, v.end(), len(low) - 1):
                return 2
    if _ADDR_COLON.search(text) and _TIME.search(text):
        return 2
    return 2 if _DATE_FROM.match(text) else 0


def _header_block(lines: list[str], i: int) -> bool:
    """Outlook-style "From: / Sent: / To: / Subject:" block: two header lines close together."""
    first_from = bool(_HEADER_FROM.match(lines[i]) or _HEADER_DATE.match(lines[i]))
    if not first_from:
        return False
    seen = 0
    for j in range(i + 1, min(i + 6, len(lines))):
        nxt = lines[j]
        if not nxt.strip():
            if seen:
                break
            continue
        if _HEADER_ANY.match(nxt):
            seen += 1
            if seen >= 1:
                return True
    return False


# --- the public function ---------------------------------------------------------


def _prepare(text: str) -> list[str]:
    if "\u00a0" in text or "\u200b" in text:
        text = text.replace("\u00a0", " ").replace("\u200b", "")
    # Invisible direction marks around Hebrew/Arabic attributions would hide their shape.
    if not text.isascii() and any(ch in text for ch in _BIDI_CHARS):
        text = _BIDI.sub("", text)
    lines = [line.rstrip() for line in text.splitlines()]
    # Substring tests are several times faster than a regex scan of the whole text.
    if not ("wrote" in text or "schrieb" in text or "écrit" in text or "scri" in text or "schreef" in text):
        return lines  # none of _INLINE_HINTS
    out: list[str] = []
    for line in lines:
        # "wrote|schrieb|écrit|scri|schreef" as substring tests: a regex search per line cost more.
        if (
            20 < len(line) < _MAX_HEADER_LINE
            and ("wrote" in line or "schrieb" in line or "écrit" in line or "scri" in line or "schreef" in line)
            and _INLINE_INTRO.search(line)
        ):
            m = _INLINE_ATTRIBUTION.search(line)
            if m and m.start() > 0:
                out.append(line[: m.start()].rstrip())
                out.append(line[m.end() :].lstrip("- \t"))
                continue
        out.append(line)
    return out


def strip_reply(text: str, sender: str = "") -> tuple[str, str, str]:
    """Split ``text`` into (new text, quoted history, signature).

    ``sender`` (the From display name, when known) helps recognise a bare sign-off
    name at the end. The returned body never contains a ``>``-quoted line.
    """
    lines = _prepare(text)
    n = len(lines)
    kept: list[str] = []
    quoted: list[str] = []
    i = 0
    in_quote = False
    lost = False  # the line above was a quoted line that had lost its ">"
    while i < n:
        line = lines[i]
        # The first non-blank character, without copying a line that starts with one.
        first = line[:1]
        if first.isspace():
            first = line.lstrip()[:1]
        if first == ">":
            quoted.append(line)
            in_quote = True
            lost = False
            i += 1
            continue
        if not first:
            kept.append(line)
            lost = False
            i += 1
            continue
        if in_quote and (
            (_is_quote_continuation(line) and _next_is_quoted(lines, i)) or _lost_marker(lines, i, first, lost)
        ):
            quoted.append(line)
            lost = True
            i += 1
            continue
        lost = False
        in_quote = False
        # Most lines are plain sentences: one cheap search rules them out.
        span = _is_splitter(lines, i) if _maybe_splitter(line) else 0
        if span:
            if kept and kept[-1].endswith("<") and kept[-1].strip() != "<":
                # "... Asiakaspalvelu <" glued to the text above: the head of this attribution.
                quoted.append(kept.pop())
        elif i == 0 or not lines[i - 1] or lines[i - 1].isspace() or lines[i - 1].lstrip()[:1] == ">":
            span = _wrapped_attribution(lines, i)
        if not span:
            kept.append(line)
            i += 1
            continue
        quoted.extend(lines[i : i + span])
        i += span
        # What follows the header: ">"-quoted history lets the customer's own text
        # reappear below it (bottom-posting, inline replies); unquoted history
        # (Outlook, forwards) runs to the end of the message.
        j = i
        while j < n and (not lines[j] or lines[j].isspace()):
            j += 1
        if j < n and _QUOTED.match(lines[j]):
            continue
        quoted.extend(lines[i:])
        break
    body_lines, signature = strip_signature_lines(kept, sender)
    body = _tidy(body_lines)
    return body, _unmarked(quoted), _unmarked(signature)


def _unmarked(lines: list[str]) -> str:
    """The HTML marker lines are ours, not the customer's: leave them out of what we return."""
    return "\n".join(ln for ln in lines if ln not in (QUOTE_MARK, SIG_MARK)).strip()


def strip_signature(text: str, sender: str = "") -> tuple[str, str]:
    """Only the sign-off part of ``strip_reply``: (body, signature), quotes left alone."""
    body, sig = strip_signature_lines(_prepare(text), sender)
    return "\n".join(body).strip(), "\n".join(sig).strip()


def _next_is_quoted(lines: list[str], i: int) -> bool:
    for j in range(i + 1, min(i + 4, len(lines))):
        if lines[j] and not lines[j].isspace():
            return bool(_QUOTED.match(lines[j]))
    return True  # the quote ran to the end of the message


def _tidy(lines: list[str]) -> str:
    out: list[str] = []
    blank = False
    for line in lines:
        head = line.lstrip()
        if not head:
            if out and not blank:
                out.append("")
            blank = True
            continue
        if head[0] == ">" or line in (QUOTE_MARK, SIG_MARK):
            continue
        blank = False
        out.append(line)
    return "\n".join(out).strip()


def unquote(text: str) -> str:
    """Text of ``>``-quoted lines without their quote markers."""
    return "\n".join(_UNQUOTE.sub("", ln) for ln in text.splitlines()).strip()
