"""RFC 822 / MIME structure to a ``Message`` with the readable text, best effort.

compat32 parsing (the stdlib default) is used because it is the cheap one and it
never raises on broken structure; header and charset decoding is done here so a
wrong or unknown declaration degrades to a good guess, not to an exception.
"""

from __future__ import annotations

import re
from email import message_from_bytes
from email.message import Message as _EmailMessage

from . import Message
from .decode import decode_text
from .html import html_to_text, looks_like_html

_NOT_BASE64 = re.compile(rb"[^A-Za-z0-9+/=\s]")
_MIME_NOISE = re.compile(
    r"^(?:--[\w'()+,./:=?-]{3,}(?:--)?|Content-[\w-]+:.*|MIME-Version:.*|\s+\S+=.*|This is a multi-part message in MIME format\.?)$",
    re.IGNORECASE,
)
_ADDR = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


def parse_email(raw: bytes) -> Message:
    parsed = message_from_bytes(raw.lstrip(b"\xef\xbb\xbf").lstrip(b"\r\n"))
    text = _body_text(parsed)
    if not text.strip():
        text = _raw_body(raw)
    from_name, from_email = _sender(parsed)
    return Message(
        body="",
        subject=" ".join(_header(parsed.get("Subject")).split()),
        from_name=from_name,
        from_email=from_email,
        to=_header(parsed.get("To")),
        date=_header(parsed.get("Date")),
        message_id=_header(parsed.get("Message-ID")).strip(),
        in_reply_to=_header(parsed.get("In-Reply-To")).strip(),
        references=_header(parsed.get("References")).split(),
        is_email=True,
        full_text=text.replace("\r\n", "\n").replace("\r", "\n"),
    )


def _sender(parsed: _EmailMessage) -> tuple[str, str]:
    from email.utils import parseaddr

    raw = parsed.get("From")
    if raw is None:
        return "", ""
    if isinstance(raw, str) and "=?" in raw:
        # Parse first, decode the name after: a decoded "López, Ana" would split at the comma.
        name, addr = parseaddr(raw)
        name = _header(name) if name else ""
    else:
        decoded = _header(raw)
        name, addr = parseaddr(decoded)
        if not addr:
            m = _ADDR.search(decoded)
            addr = m.group(0) if m else ""
            name = decoded.replace(addr, "").strip(" <>\"'") if addr else decoded
    return " ".join(name.strip().strip("\"'").split()), addr.strip()


def _header(value: object) -> str:
    """Decode an RFC 2047 header, tolerating unknown charsets and raw 8-bit bytes."""
    if value is None:
        return ""
    from email.header import Header, decode_header

    try:
        if isinstance(value, Header):
            chunks = decode_header(value)
        else:
            text = str(value)
            if "=?" not in text:
                return text
            chunks = decode_header(text)
    except Exception:  # malformed encoded words: email.errors or binascii errors
        return str(value)
    out = []
    for chunk, charset in chunks:
        out.append(decode_text(chunk, charset) if isinstance(chunk, bytes) else chunk)
    # decode_header drops the space between an encoded word and plain text.
    return "".join(out) if all(isinstance(c, bytes) for c, _ in chunks) else " ".join(out)


def _payload(part: _EmailMessage) -> bytes | None:
    cte = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    raw = part.get_payload()
    if not isinstance(raw, str):
        return None
    if cte == "base64" and _NOT_BASE64.search(raw.encode("ascii", "surrogateescape")):
        # Labelled base64 but plainly not: the label is the lie, keep the text.
        return raw.encode("ascii", "surrogateescape")
    try:
        data = part.get_payload(decode=True)
    except Exception:  # the stdlib decoders raise on a few broken encodings
        data = None
    if not isinstance(data, bytes):
        return raw.encode("ascii", "surrogateescape")
    return data


def _charset(part: _EmailMessage) -> str | None:
    try:
        return part.get_content_charset()
    except Exception:  # RFC 2231 parameters with broken encodings
        return None


def _unflow(text: str, delsp: bool) -> str:
    """RFC 3676 format=flowed: soft line breaks end in a space."""
    out: list[str] = []
    buf = ""
    for line in text.split("\n"):
        line = line.rstrip("\r")
        quote = len(line) - len(line.lstrip(">"))
        if line.endswith(" ") and line != "-- " and quote == 0:
            buf += line[:-1] if delsp else line
            continue
        out.append(buf + line)
        buf = ""
    if buf:
        out.append(buf)
    return "\n".join(out)


def _body_text(parsed: _EmailMessage, depth: int = 0) -> str:
    plain: list[str] = []
    html: str | None = None
    other: str | None = None
    attached_plain: str | None = None
    attached: list[_EmailMessage] = []
    for part in _walk(parsed, attached):
        try:
            if part.is_multipart():
                continue
            ctype = part.get_content_type()
            if part.get_content_maintype() != "text":
                continue
            disposition = str(part.get("Content-Disposition", "")).lower()
            data = _payload(part)
        except Exception:  # one unreadable part must not lose the others
            continue
        if data is None:
            continue
        text = decode_text(data, _charset(part))
        if ctype == "text/plain":
            if str(part.get_param("format", "") or "").lower() == "flowed":
                text = _unflow(text, str(part.get_param("delsp", "") or "").lower() == "yes")
            if "attachment" in disposition:
                attached_plain = attached_plain or text
            elif looks_like_html(text):
                html = html or text
            else:
                plain.append(text)
        elif ctype == "text/html":
            if "attachment" not in disposition:
                html = html or text
        elif other is None and "attachment" not in disposition:
            other = text
    joined = "\n".join(t.strip("\r\n") for t in plain if t.strip())
    if joined.strip():
        return joined
    if html is not None:
        return html_to_text(html, marks=True)
    if other or attached_plain:
        return other or attached_plain or ""
    return _body_text(attached[0], depth + 1) if attached and depth < 5 else ""


def _walk(parsed: _EmailMessage, attached: list[_EmailMessage]) -> list[_EmailMessage]:
    """Parts depth-first, but not inside attached messages: forwarded mail is not the
    customer's own words, and is read only when there is nothing else (``attached``)."""
    out: list[_EmailMessage] = []
    stack = [parsed]
    while stack and len(out) < 1000:
        part = stack.pop()
        out.append(part)
        payload = part.get_payload()
        if not isinstance(payload, list):
            continue
        children = [p for p in payload if isinstance(p, _EmailMessage)]
        if part.get_content_type() == "message/rfc822" and part is not parsed:
            attached.extend(children[:1])
            continue
        stack.extend(reversed(children))
    return out


def _raw_body(raw: bytes) -> str:
    """No readable part (missing boundary, broken structure): the text after the headers."""
    sep = re.search(rb"\r?\n\r?\n", raw)
    body = raw[sep.end() :] if sep else b""
    text = decode_text(body)
    lines = [ln for ln in text.replace("\r\n", "\n").split("\n") if not _MIME_NOISE.match(ln)]
    text = "\n".join(lines)
    if looks_like_html(text):
        return html_to_text(text, marks=True)
    return text
