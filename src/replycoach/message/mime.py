"""RFC 822 / MIME structure to a ``Message`` with the readable text, best effort.

compat32 parsing (the stdlib default) is used because it is the cheap one and it
never raises on broken structure; header and charset decoding is done here so a
wrong or unknown declaration degrades to a good guess, not to an exception.
"""

from __future__ import annotations

import binascii
import re
from email import message_from_bytes
from email.header import Header, decode_header
from email.message import Message as _EmailMessage

from replycoach.foundation.errors import InputError

from .decode import decode_text
from .model import Message, html_to_text, looks_like_html, without_controls

_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_B64_LINE = re.compile(rb"^[A-Za-z0-9+/]+={0,2}$")
_MIME_NOISE = re.compile(
    r"^(?:--[\w'()+,./:=?-]{3,}(?:--)?|Content-[\w-]+:.*|MIME-Version:.*|\s+\S+=.*|This is a multi-part message in MIME format\.?)$",
    re.IGNORECASE,
)
_ADDR = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


_NAME_ADDR = re.compile(r'^\s*(?:"([^"]*)"|([^"<>,;()@]*?))\s*<([^<>\s@]+@[^<>\s]+)>\s*$')
_BARE_ADDR = re.compile(r"^\s*<?([^<>\s@(),;\"]+@[^<>\s(),;\"]+)>?\s*$")
# What can be written back as a reply's To: one local part, one @, one domain; anything
# else (a From of text, controls, brackets) gives no address rather than a broken header.
_WRITABLE_ADDR = re.compile(r"[^\s@<>()\[\],;:\"\\]+@[^\s@<>()\[\],;:\"\\]+")
_WANTED = frozenset({"subject", "from", "to", "date", "message-id", "in-reply-to", "references"})
# The headers a mail system sets on a reply no person wrote (an out-of-office, a robot):
# RFC 3834's Auto-Submitted (any value but "no") and the older vendor forms.
_AUTOMATIC = {"auto-submitted": "no", "x-autoreply": "", "x-autorespond": "", "precedence": ""}
_AUTO_PRECEDENCE = frozenset({"auto_reply", "auto-reply"})

# The deepest nesting of multipart and message/rfc822 parts read. Real mail nests a few
# levels; the stdlib parser recurses per level and dies of RecursionError somewhere past
# 400, so the limit is set well below that, and is the same for every command and batch.
MAX_NESTING = 100
TOO_DEEP = f"message nested too deeply (more than {MAX_NESTING} multipart or message/rfc822 levels)"


def parse_email(raw: bytes) -> Message:
    data = raw.lstrip(b"\xef\xbb\xbf").lstrip(b"\r\n")
    try:
        parsed = message_from_bytes(data)
        # A body glued to the headers shows as a parse defect or as no body at all;
        # only then is the header block looked at again (_separated).
        if not parsed.is_multipart() and (parsed.defects or not parsed._payload):  # type: ignore[attr-defined]
            fixed = _separated(data)
            if fixed is not data:
                parsed = message_from_bytes(fixed)
    except RecursionError:
        raise InputError(TOO_DEEP) from None
    if _too_deep(parsed):
        raise InputError(TOO_DEEP)
    # The envelope fields as raw values (the first of each): _header() decodes them,
    # raw 8-bit bytes and encoded words alike.
    heads: dict[str, object] = {}
    automatic = ""
    for key, value in parsed.raw_items():
        name = key.lower()
        if name in _WANTED and name not in heads:
            heads[name] = value
        elif name in _AUTOMATIC and not automatic:
            automatic = _automatic(key, _header(value))
    text = _body_text(parsed)
    if not text or text.isspace():  # "not text.strip()" without copying the body
        text = _raw_body(raw)
    from_name, from_email = _sender(heads.get("from"))
    return Message(
        body="",
        subject=" ".join(_header(heads.get("subject")).split()),
        from_name=from_name,
        from_email=from_email,
        to=_header(heads.get("to")),
        date=_header(heads.get("date")),
        message_id=_header(heads.get("message-id")).strip(),
        in_reply_to=_header(heads.get("in-reply-to")).strip(),
        references=_header(heads.get("references")).split(),
        is_email=True,
        auto_submitted=automatic,
        full_text=text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text,
    )


_FIELD = re.compile(rb"^([A-Za-z][A-Za-z0-9_-]{0,76})[ \t]*:(.*)$")
# Header names of one word that real mail uses: any other one-word "name:" in the header
# block, with a sentence after it, is the first line of a body that has no blank line
# above it ("Order: 48213 arrived broken, I want a refund.").
_ONE_WORD_FIELDS = frozenset(
    b"from to cc bcc subject date sender received references importance priority precedence organization"
    b" keywords comments summary status lines path newsgroups xref approved expires supersedes encrypted"
    b" sensitivity autocrypt article distribution envelope organisation".split()
)


def _separated(raw: bytes) -> bytes:
    """``raw`` with the blank line put back between the headers and a body that starts
    with "Word: a sentence" (the parser would read that line as one more header)."""
    end = raw.find(b"\n\n")
    crlf = raw.find(b"\r\n\r\n")
    block_end = min(x for x in (end, crlf, len(raw)) if x >= 0)
    lines = raw[:block_end].split(b"\n")
    offset = 0
    fields = 0
    for k, line in enumerate(lines):
        m = _FIELD.match(line.rstrip(b"\r"))
        if m is None:
            if line[:1] not in (b" ", b"\t") or not fields:
                return raw  # a body line: the parser starts the body here by itself
        else:
            name = m.group(1)
            nxt = lines[k + 1] if k + 1 < len(lines) else b""
            prose = len(m.group(2).split()) >= 3 or (
                nxt.strip() and nxt[:1] not in (b" ", b"\t") and not _FIELD.match(nxt)
            )
            if fields >= 2 and name.isalpha() and name.lower() not in _ONE_WORD_FIELDS and prose:
                return raw[:offset] + (b"\r\n" if line.endswith(b"\r") else b"\n") + raw[offset:]
            fields += 1
        offset += len(line) + 1
    return raw


def _automatic(key: str, value: str) -> str:
    """ "Auto-Submitted: auto-replied" when this header says a machine sent the message, else ""."""
    word = value.strip().split(";", 1)[0].strip().lower()
    name = key.lower()
    if name == "precedence" and word not in _AUTO_PRECEDENCE:
        return ""  # "bulk", "list": a mailing, which a person may still have written
    if not word or word == _AUTOMATIC[name]:
        return ""
    return f"{key.strip()}: {' '.join(value.split())}"


def _too_deep(parsed: _EmailMessage) -> bool:
    """True when parts nest more than ``MAX_NESTING`` levels (walked without recursion)."""
    stack = [(parsed, 0)]
    while stack:
        part, depth = stack.pop()
        if depth > MAX_NESTING:
            return True
        if part.is_multipart():
            stack.extend((p, depth + 1) for p in part.get_payload() if isinstance(p, _EmailMessage))
    return False


def _sender(raw: object) -> tuple[str, str]:
    return ("", "") if raw is None else _sender_of(str(raw))


def _sender_of(text: str) -> tuple[str, str]:
    """(display name, address) of a From value."""
    if not text.isascii():  # raw 8-bit bytes, surrogate-escaped by the parser
        text = decode_text(text.encode("utf-8", "surrogateescape"))
    # The two everyday shapes without the cost of email.utils.parseaddr.
    m = _NAME_ADDR.match(text)
    if m:
        name, addr = m.group(1) if m.group(1) is not None else m.group(2), m.group(3)
    else:
        m = _BARE_ADDR.match(text)
        if m:
            name, addr = "", m.group(1)
        else:
            from email.utils import parseaddr

            # Parse first, decode the name after: a decoded "López, Ana" would split at the comma.
            try:
                name, addr = parseaddr(text)
            except RecursionError:  # its comment reader recurses once per "(": "((((…" thousands deep
                name, addr = "", ""
            if not addr:
                found = _ADDR.search(text)
                addr = found.group(0) if found else ""
                name = text.replace(addr, "").strip(" <>\"'") if addr else text
    if "=?" in name:
        name = _header(name)
    addr = without_controls(addr).strip()
    if addr and not _WRITABLE_ADDR.fullmatch(addr):
        addr = ""
    return " ".join(without_controls(name).strip().strip("\"'").split()), addr


def _header(value: object) -> str:
    """Decode an RFC 2047 header, tolerating unknown charsets and raw 8-bit bytes;
    control characters, raw or encoded, are dropped."""
    return without_controls(_decoded_header(value))


def _decoded_header(value: object) -> str:
    if value is None:
        return ""
    try:
        if isinstance(value, Header):
            chunks = decode_header(value)
        else:
            text = str(value)
            if not text.isascii():
                # Raw 8-bit header bytes (surrogate-escaped by the parser): decode them as text.
                text = decode_text(text.encode("utf-8", "surrogateescape"))
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


def _payload(part: _EmailMessage, cte: object = None) -> bytes | None:
    """The decoded bytes of a leaf part; tolerant of broken base64 and quoted-printable.
    ``cte`` is the part's Content-Transfer-Encoding header, or None."""
    # The raw str as parsed: get_payload() would decode a payload with 8-bit bytes by its
    # declared charset first, and the decoding is done here, whatever the declaration.
    raw = part._payload  # type: ignore[attr-defined]
    if not isinstance(raw, str):
        return None
    data = raw.encode("ascii", "surrogateescape")
    if not cte:
        return data
    cte = str(cte).strip().lower()
    if cte == "base64":
        lines = [ln.strip() for ln in data.splitlines() if ln.strip()]
        b64 = [ln for ln in lines if _B64_LINE.match(ln)]
        if len(b64) < len(lines):
            if len(b64) * 2 <= len(lines):
                return data  # labelled base64 but plainly not: the label is the lie, keep the text
            data = b"".join(b64)  # base64 with stray junk lines (a mangled boundary): skip the junk
        try:
            return binascii.a2b_base64(data)
        except binascii.Error:
            # Bad padding or a truncated last group: decode the whole groups we have.
            clean = re.sub(rb"[^A-Za-z0-9+/]", b"", data)
            return binascii.a2b_base64(clean[: len(clean) - len(clean) % 4] or b"")
    if cte == "quoted-printable":
        return binascii.a2b_qp(data)
    if cte in ("x-uuencode", "uuencode", "uue", "x-uue"):
        try:
            decoded = part.get_payload(decode=True)
        except Exception:  # the stdlib uu decoder raises on broken input
            return data
        return decoded if isinstance(decoded, bytes) else data
    return data


_CT_PARAM = re.compile(r';\s*([\w*.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;\s]*))')


def _part_info(part: _EmailMessage, header: object) -> tuple[str, dict[str, str]]:
    """(content type, parameters) from one read of Content-Type (``header``, or None)."""
    if header is None:
        return part.get_default_type(), {}
    header = str(header)
    ctype = header.split(";", 1)[0].strip().lower()
    if ctype.count("/") != 1:
        ctype = "text/plain"  # RFC 2045: an invalid type is text/plain
    params: dict[str, str] = {}
    if "*" in header:  # RFC 2231 continuations or charsets: the stdlib knows them
        from email.utils import collapse_rfc2231_value

        try:
            for key, value in (part.get_params() or [])[1:]:
                params[key.lower()] = str(collapse_rfc2231_value(value)).strip().lower()
        except Exception:  # broken RFC 2231 parameters
            pass
        return ctype, params
    for m in _CT_PARAM.finditer(header):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        params.setdefault(m.group(1).lower(), value.strip().lower())
    return ctype, params


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
            ctype, params = _part_info(part, part.get("content-type"))
            if not ctype.startswith("text/"):
                continue
            disposition = str(part.get("content-disposition", "")).lower()
            data = _payload(part, part.get("content-transfer-encoding"))
        except Exception:  # one unreadable part must not lose the others
            continue
        if data is None:
            continue
        charset = params.get("charset")
        if not charset and ctype == "text/html":
            meta = _META_CHARSET.search(data[:4096])
            charset = meta.group(1).decode("ascii").lower() if meta else None
        text = decode_text(data, charset if charset and charset.isascii() else None)
        if ctype == "text/plain":
            if params.get("format") == "flowed":
                text = _unflow(text, params.get("delsp") == "yes")
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
    joined = "\n".join(t.strip("\r\n") for t in plain if t and not t.isspace())
    if joined and not joined.isspace():
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
        if not part.is_multipart():
            continue
        children = [p for p in part.get_payload() if isinstance(p, _EmailMessage)]
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
    lines = [ln for ln in text.replace("\r\n", "\n").split("\n") if len(ln) > 998 or not _MIME_NOISE.match(ln)]
    text = "\n".join(lines)
    if looks_like_html(text):
        return html_to_text(text, marks=True)
    return text
