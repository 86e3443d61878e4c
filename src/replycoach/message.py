"""Reading the customer's message: raw RFC 822 email or pasted text, to clean text.

The stdlib ``email`` parser reads the structure; this module picks the readable
body (text/plain first, HTML converted to text otherwise), decodes it whatever the
declared (or mis-declared) charset, and strips quoted history and signatures so the
analysis reads only what the customer wrote this time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import InputError


@dataclass(slots=True)
class Message:
    body: str
    subject: str = ""
    from_name: str = ""
    from_email: str = ""
    to: str = ""
    date: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    is_email: bool = False
    # The decoded text before quotes and signature were stripped, and what was stripped.
    full_text: str = ""
    quoted: str = ""
    signature: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "body": self.body,
            "subject": self.subject,
            "from_name": self.from_name,
            "from_email": self.from_email,
            "message_id": self.message_id,
            "references": list(self.references),
            "is_email": self.is_email,
        }


def read_input(path: str | None) -> bytes:
    """Read a message from a file, or from standard input for None or ``-``."""
    import sys

    if path is None or path == "-":
        stream = sys.stdin
        if stream is None:
            raise InputError("no input: standard input is closed", file="<stdin>")
        buffer = getattr(stream, "buffer", None)
        return buffer.read() if buffer is not None else stream.read().encode("utf-8")
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except IsADirectoryError:
        raise InputError("is a directory, not a message file", file=path) from None
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=path) from None


_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]?")
_KEY_HEADERS = {
    b"from",
    b"subject",
    b"date",
    b"message-id",
    b"received",
    b"mime-version",
    b"return-path",
    b"delivered-to",
    b"to",
    b"content-type",
    b"in-reply-to",
    b"references",
    b"x-mailer",
    b"reply-to",
    b"cc",
}


def looks_like_email(data: bytes) -> bool:
    """True when the input starts with an RFC 822 header block."""
    head = data.lstrip(b"\r\n")[:8192]
    if head.startswith(b"From ") and b"\n" in head:  # mbox "From " line
        head = head.split(b"\n", 1)[1]
    seen = 0
    for raw in head.splitlines():
        if not raw.strip():
            return seen >= 1
        if raw[:1] in (b" ", b"\t"):
            continue  # folded header continuation
        m = _HEADER_LINE.match(raw)
        if not m:
            return False
        if raw.split(b":", 1)[0].lower() in _KEY_HEADERS:
            seen += 1
    return seen >= 2


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Decode bytes as the declared charset, else UTF-8, else a legacy guess.

    Declarations are often wrong (UTF-8 labelled us-ascii, windows-1252 labelled
    iso-8859-1), so a declared charset is only trusted when it decodes cleanly.
    """
    import codecs

    candidates: list[str] = []
    if charset:
        name = charset.strip().strip('"').lower()
        name = {
            "iso-8859-8-i": "iso-8859-8",
            "iso-8859-8-e": "iso-8859-8",
            "x-unknown": "",
            "unknown-8bit": "",
            "us-ascii": "ascii",
            "ks_c_5601-1987": "cp949",
            "gb2312": "gb18030",
            "gbk": "gb18030",
        }.get(name, name)
        try:
            if name:
                candidates.append(codecs.lookup(name).name)
        except LookupError:
            pass
    if "utf-8" not in candidates:
        candidates.append("utf-8")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        if enc == "ascii" or enc == "utf-8" or not _looks_mojibake(text):
            return text
    # A Latin-1 label on windows-1252 bytes is the common lie; cp1252 is a superset.
    if candidates[0] in {"iso8859-1", "latin-1", "ascii"}:
        return data.decode("cp1252", errors="replace")
    return data.decode(candidates[0], errors="replace")


def _looks_mojibake(text: str) -> bool:
    return "Ã" in text and re.search("Ã[\u0080-\u00bf]", text) is not None


def parse_message(data: bytes | str) -> Message:
    """Turn raw input into a ``Message`` with a clean body; raise ``InputError`` if unusable."""
    raw = data.encode("utf-8", errors="surrogatepass") if isinstance(data, str) else data
    if b"\x00" in raw:
        raise InputError("input is binary data (NUL bytes), not a message")
    if not raw.strip():
        raise InputError("empty message")
    if looks_like_email(raw):
        msg = _parse_email(raw)
    else:
        text = data if isinstance(data, str) else decode_text(raw)
        msg = Message(body="", full_text=text)
    if _is_binary_text(msg.full_text):
        raise InputError("input is binary data, not a message")
    body, quoted, signature = strip_reply(msg.full_text)
    msg.body = body
    msg.quoted = quoted
    msg.signature = signature
    if not msg.body.strip():
        if msg.quoted.strip():
            # Everything was quoted: better to read the quote than nothing.
            msg.body = _unquote(msg.quoted)
        else:
            raise InputError("empty message: no text in the body")
    return msg


def _is_binary_text(text: str) -> bool:
    if not text:
        return False
    sample = text[:4096]
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\n\r\t\f\x1b") or ch == "\ufffd")
    return bad / len(sample) > 0.1


def _parse_email(raw: bytes) -> Message:
    import email
    import email.utils

    parsed = email.message_from_bytes(raw)
    subject = _header(parsed.get("Subject"))
    name, addr = email.utils.parseaddr(_header(parsed.get("From")))
    text = _body_text(parsed)
    refs = _header(parsed.get("References")).split()
    return Message(
        body="",
        subject=" ".join(subject.split()),
        from_name=name.strip().strip('"'),
        from_email=addr,
        to=_header(parsed.get("To")),
        date=_header(parsed.get("Date")),
        message_id=_header(parsed.get("Message-ID")).strip(),
        in_reply_to=_header(parsed.get("In-Reply-To")).strip(),
        references=refs,
        is_email=True,
        full_text=text,
    )


def _header(value: object) -> str:
    """Decode an RFC 2047 header, tolerating unknown charsets and raw 8-bit bytes."""
    if value is None:
        return ""
    from email.header import Header, decode_header

    if isinstance(value, Header):
        chunks = decode_header(value)
    else:
        text = str(value)
        if "=?" not in text:
            return text
        try:
            chunks = decode_header(text)
        except Exception:  # malformed encoded-words: keep the raw header text
            return text
    out = []
    for chunk, charset in chunks:
        if isinstance(chunk, bytes):
            out.append(decode_text(chunk, charset))
        else:
            out.append(chunk)
    # decode_header drops the space between an encoded word and plain text.
    return "".join(out) if all(isinstance(c, bytes) for c, _ in chunks) else " ".join(out)


def _body_text(parsed: object) -> str:
    plain: str | None = None
    html: str | None = None
    for part in parsed.walk():  # type: ignore[attr-defined]
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        disposition = (part.get("Content-Disposition") or "").lower()
        if "attachment" in disposition:
            continue
        if ctype not in {"text/plain", "text/html"} and not (
            ctype == "text/plain" or part.get_content_maintype() == "text"
        ):
            continue
        payload = part.get_payload(decode=True)
        if payload is None:
            continue
        text = decode_text(payload, part.get_content_charset())
        if ctype == "text/html":
            html = html or text
        elif plain is None:
            plain = text
    if plain is not None and plain.strip():
        return _normalise(plain)
    if html is not None:
        return _normalise(html_to_text(html))
    return _normalise(plain or "")


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def html_to_text(html: str) -> str:
    """Readable text from an HTML body: block elements become line breaks."""
    from html.parser import HTMLParser

    class _Text(HTMLParser):
        BLOCK = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table", "hr"})

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.out: list[str] = []
            self.skip = 0
            self.quote = 0

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            if tag in {"script", "style", "head", "title"}:
                self.skip += 1
            elif tag == "blockquote":
                self.quote += 1
                self.out.append("\n")
            elif tag in self.BLOCK:
                self.out.append("\n")

        def handle_endtag(self, tag: str) -> None:
            if tag in {"script", "style", "head", "title"} and self.skip:
                self.skip -= 1
            elif tag == "blockquote" and self.quote:
                self.quote -= 1
                self.out.append("\n")
            elif tag in {"p", "div", "li", "tr", "h1", "h2", "h3", "h4"}:
                self.out.append("\n")

        def handle_data(self, data: str) -> None:
            if self.skip:
                return
            data = re.sub(r"[ \t\r\n]+", " ", data)
            if self.quote:
                data = data.replace("\n", "\n> ")
                if not self.out or self.out[-1].endswith("\n"):
                    data = "> " + data.lstrip()
            self.out.append(data)

    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.out).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


# --- quoted history and signatures -------------------------------------------

_QUOTE_HEADER = re.compile(
    r"""^\s*(?:
        (?:On|Am|Le|El|Il|Op|Em|Den|På|W\ dniu)\b.{0,200}?
            (?:wrote|schrieb|a\ écrit|escribió|ha\ scritto|schreef|escreveu|skrev|napisał)\s*:?\s*$
      | .{0,200}?\b(?:kirjoitti|skrev|написал|написала|написал\(а\)|כתב|כתבה)\s*:\s*$
      | -{2,}\s*(?:Original\ Message|Alkuperäinen\ viesti|Opprinnelig\ melding|Исходное\ сообщение
            |Ursprüngliche\ Nachricht|Message\ d'origine|Mensaje\ original|Forwarded\ message
            |Välitetty\ viesti|Videresendt\ melding|Пересылаемое\ сообщение)\s*-{2,}\s*$
      | Begin\ forwarded\ message:\s*$
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_OUTLOOK_FROM = re.compile(r"^\s*\*?(?:From|Von|De|Fra|Lähettäjä|От|Från|Van|Da|Od)\s*:\*?\s+\S", re.IGNORECASE)
_OUTLOOK_NEXT = re.compile(
    r"^\s*\*?(?:Sent|Date|Gesendet|Envoyé|Enviado|Sendt|Lähetetty|Отправлено|Skickat|Verzonden"
    r"|Inviato|To|An|À|Para|Til|Vastaanottaja|Кому|Subject|Betreff|Objet|Asunto|Emne|Aihe"
    r"|Тема)\s*:",
    re.IGNORECASE,
)
_SIG_START = re.compile(
    r"""^(?:--\s?|__+|
        Sent\ from\ my\ \w.*|Sent\ from\ (?:Mail|Outlook|Yahoo).*|Get\ Outlook\ for\ .*
      | Lähetetty\ (?:iPhonesta|Android).*|Sendt\ fra\ min\ .*|Von\ meinem\ .*\ gesendet
      | Envoyé\ de\ mon\ .*|Enviado\ desde\ mi\ .*|Отправлено\ с\ .*
    )\s*$""",
    re.IGNORECASE | re.VERBOSE,
)
_VALEDICTION = re.compile(
    r"^\s*(?:(?:best|kind|warm|many\ thanks\ and)?\s*regards|thanks(?:\ again)?|thank\ you|cheers"
    r"|best|sincerely|yours(?:\ sincerely|\ truly)?|br|mvh|med\ vennlig\ hilsen|vennlig\ hilsen"
    r"|ystävällisin\ terveisin|terveisin|mit\ freundlichen\ grüßen|viele\ grüße|grüße"
    r"|cordialement|bien\ à\ vous|saludos|atentamente|с\ уважением|спасибо|בברכה|תודה)\s*[,.!]?\s*$",
    re.IGNORECASE | re.VERBOSE,
)


def strip_reply(text: str) -> tuple[str, str, str]:
    """Split ``text`` into (new text, quoted history, signature)."""
    lines = text.split("\n")
    cut = len(lines)
    for i, line in enumerate(lines):
        if _QUOTE_HEADER.match(line) or (
            _OUTLOOK_FROM.match(line) and any(_OUTLOOK_NEXT.match(nxt) for nxt in lines[i + 1 : i + 4])
        ):
            cut = i
            break
        # "On Tue, 3 May 2026 at 10:02, Ana <ana@x.com>" often wraps before "wrote:".
        if i + 1 < len(lines) and _QUOTE_HEADER.match(line.rstrip() + " " + lines[i + 1].strip()):
            cut = i
            break
    head, quoted = lines[:cut], lines[cut:]
    # Inline ">" quoting: drop quoted lines but keep the replies between them.
    kept: list[str] = []
    quoted_inline: list[str] = []
    for line in head:
        if line.lstrip().startswith(">"):
            quoted_inline.append(line)
        else:
            kept.append(line)
    sig_at = len(kept)
    for i, line in enumerate(kept):
        if _SIG_START.match(line.rstrip()) or line == "-- ":
            sig_at = i
            break
    body_lines, sig_lines = kept[:sig_at], kept[sig_at:]
    # A valediction ("Best regards,") followed by a few short lines is a sign-off.
    for i in range(len(body_lines) - 1, max(-1, len(body_lines) - 8), -1):
        if _VALEDICTION.match(body_lines[i]):
            tail = [ln for ln in body_lines[i + 1 :] if ln.strip()]
            if len(tail) <= 5 and all(len(ln) < 60 for ln in tail):
                sig_lines = body_lines[i:] + sig_lines
                body_lines = body_lines[:i]
            break
    body = "\n".join(body_lines).strip()
    return body, "\n".join(quoted_inline + quoted).strip(), "\n".join(sig_lines).strip()


def _unquote(text: str) -> str:
    return "\n".join(re.sub(r"^\s*>+ ?", "", ln) for ln in text.split("\n")).strip()
