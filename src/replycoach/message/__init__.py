"""Reading the customer's message: raw RFC 822 email or pasted text, to clean text.

The stdlib ``email`` parser (compat32: ~18x cheaper than the modern policy with
``get_body()``) reads the structure; ``mime`` picks the readable body (text/plain
first, HTML converted to text otherwise) and ``decode`` decodes it whatever the
declared (or mis-declared) charset; ``quotes`` strips quoted history and
signatures so the analysis reads only what the customer wrote this time.

Submodules are imported on first use: ``from replycoach.message import Message``
loads this file only.
"""

from __future__ import annotations

import re

from replycoach.foundation.errors import InputError
from replycoach.message.model import _FIELDS as _FIELDS
from replycoach.message.model import Message as Message
from replycoach.message.model import html_to_text as html_to_text
from replycoach.message.model import looks_like_html as looks_like_html
from replycoach.message.model import without_controls as without_controls

DEFAULT_MAX_SIZE = 10 * 1024 * 1024
_UNITS = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def max_size() -> int:
    """The largest message read, in bytes: ``REPLYCOACH_MAX_SIZE`` (``10M``, ``500K``, a
    byte count; ``0`` for no limit), default 10 MiB. A message is read whole and its
    reading costs ~60x its size in memory, so a bound keeps a stray 50 MB mail from
    taking gigabytes and a minute."""
    return _size_setting("REPLYCOACH_MAX_SIZE", DEFAULT_MAX_SIZE)


DEFAULT_MAX_TEXT = 256 * 1024


def max_text() -> int:
    """The longest new text read, in characters: ``REPLYCOACH_MAX_TEXT`` (same syntax),
    default 256K. The reading takes about 10 s a megabyte of prose, so a message whose
    own text (after MIME decoding, quotes and signature) is longer is refused: no
    customer writes a quarter of a million characters, and attachments do not count."""
    return _size_setting("REPLYCOACH_MAX_TEXT", DEFAULT_MAX_TEXT)


def _size_setting(name: str, default: int) -> int:
    import os

    raw = os.environ.get(name, "").strip().lower().removesuffix("b").removesuffix("i")
    if not raw:
        return default
    m = re.fullmatch(r"(\d+)\s*([kmg]?)", raw)
    if not m:
        raise InputError("not a size (write e.g. 10M, 500K or a byte count)", field=name)
    return int(m.group(1)) * _UNITS[m.group(2)]


def too_large(limit: int) -> InputError:
    return InputError(f"message larger than {_shown(limit)} (the limit: REPLYCOACH_MAX_SIZE)")


def _shown(size: int) -> str:
    return f"{size // 1024**2} MiB" if size % 1024**2 == 0 else f"{size} bytes"


def read_input(path: str | None) -> bytes:
    """Read a message from a file, or from standard input for None or ``-``; no more
    than ``max_size()`` bytes are read."""
    import sys

    limit = max_size()
    if path is None or path == "-":
        stream = sys.stdin
        if stream is None:
            raise InputError("no input: standard input is closed", file="<stdin>")
        buffer = getattr(stream, "buffer", None)
        data: bytes
        if buffer is not None:
            data = buffer.read(limit + 1) if limit else buffer.read()
        else:
            data = (stream.read(limit + 1) if limit else stream.read()).encode("utf-8")
        if limit and len(data) > limit:
            raise InputError(too_large(limit).message, file="<stdin>")
        return data
    try:
        with open(path, "rb") as fh:
            data = fh.read(limit + 1) if limit else fh.read()
            if limit and len(data) > limit:
                raise InputError(too_large(limit).message, file=path)
            return data
    except IsADirectoryError:
        raise InputError("is a directory, not a message file", file=path) from None
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=path) from None


# Group 1 is the header name: the text before the first colon, stripped.
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9_-]{0,76})[ \t]*:")
_KEY_HEADERS = frozenset(
    {
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
        b"content-transfer-encoding",
        b"in-reply-to",
        b"references",
        b"x-mailer",
        b"reply-to",
        b"cc",
        b"sender",
        b"user-agent",
    }
)


_HEADER_END = re.compile(rb"\r?\n[ \t]*\r?\n")  # the blank line ending the headers


def looks_like_email(data: bytes) -> bool:
    """True when the input starts with an RFC 822 header block."""
    head = data[:16384].lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if head.startswith(b"From ") and b"\n" in head:  # mbox "From " line
        head = head.split(b"\n", 1)[1]
    end = _HEADER_END.search(head)
    block = head[: end.start()] if end else head
    seen = 0
    lines = 0
    for raw in block.splitlines():
        if raw[:1] in (b" ", b"\t"):
            if not lines:
                return False
            continue  # folded header continuation
        m = _HEADER_LINE.match(raw)
        if not m:
            # Two known headers, then text with no blank line between: a sender that
            # forgot the separator (the parser reads the rest as the body).
            # A cut header name ("Content-Transf") is no body line: prose has spaces. One
            # unknown "name:" may be the body's first line ("Order: 48213").
            return seen >= 2 and seen >= lines - 1 and b" " in raw.strip()
        lines += 1
        if m.group(1).lower() in _KEY_HEADERS:
            seen += 1
    if end:
        return seen >= 1
    # Headers only, no body: still an email if it clearly is one.
    return seen >= 2


def decode_text(data: bytes, charset: str | None = None) -> str:
    """Decode bytes: UTF-8 if valid, else the declared charset, else a legacy guess."""
    from .decode import decode_text as _decode

    return _decode(data, charset)


def strip_reply(text: str, sender: str = "") -> tuple[str, str, str]:
    """Split ``text`` into (new text, quoted history, signature)."""
    from .quotes import strip_reply as _strip

    return _strip(text, sender)


_CONTROL_BYTES = bytes([*range(1, 9), *range(14, 27), *range(28, 32), 127])


def parse_message(data: bytes | str) -> Message:
    """Turn raw input into a ``Message`` with a clean body; raise ``InputError`` if unusable."""
    from .quotes import strip_reply as _strip
    from .quotes import unquote

    # surrogatepass: a str with lone surrogates still becomes bytes; decoding then
    # replaces them instead of letting them reach JSON or the terminal.
    raw = data.encode("utf-8", errors="surrogatepass") if isinstance(data, str) else bytes(data)
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    limit = max_size()
    if limit and len(raw) > limit:
        raise too_large(limit)
    if b"\x00" in raw:
        raise InputError("input is binary data (NUL bytes), not a message")
    if not raw or raw.isspace():
        raise InputError("empty message")
    head = raw[:8192]
    if len(head) - len(head.translate(None, _CONTROL_BYTES)) > 0.05 * len(head):
        raise InputError("input is binary data, not a message")
    if looks_like_email(raw):
        from .mime import parse_email

        msg = parse_email(raw)
    else:
        from .decode import decode_text as _decode

        # A str is known to be Unicode already: only its lone surrogates need replacing.
        text = raw.decode("utf-8", "replace") if isinstance(data, str) else _decode(raw)
        text = text.lstrip("\ufeff")
        if looks_like_html(text):
            text = html_to_text(text, marks=True)
        msg = Message(body="", full_text=_normalise(text))
    if _is_binary_text(msg.full_text):
        raise InputError("input is binary data, not a message")
    body, quoted, signature = _strip(msg.full_text, msg.from_name)
    msg.body = body
    msg.quoted = quoted
    msg.signature = signature
    if not msg.body.strip():
        # Everything was quoted or forwarded: better to read the quote than nothing.
        fallback = unquote(quoted) if quoted.strip() else signature
        if fallback.strip():
            body2, _, _ = _strip(_drop_headers(fallback), msg.from_name)
            msg.body = body2 or unquote(fallback)
            msg.body = "\n".join(ln for ln in msg.body.splitlines() if not ln.lstrip().startswith(">")).strip()
        if not msg.body.strip():
            raise InputError("empty message: no text in the body")
    text_limit = max_text()
    if text_limit and len(msg.body) > text_limit:
        raise InputError(f"message text longer than {_chars(text_limit)} characters (the limit: REPLYCOACH_MAX_TEXT)")
    return msg


def _chars(count: int) -> str:
    return f"{count // 1024}K" if count % 1024 == 0 else str(count)


def _drop_headers(text: str) -> str:
    """The quoted/forwarded text without its attribution and header lines."""
    from .quotes import _HEADER_ANY, _SEPARATOR, _is_splitter
    from .signature import _RULE

    lines = [ln for ln in text.splitlines()]
    out: list[str] = []
    skip = 0
    for i, ln in enumerate(lines):
        if skip:
            skip -= 1
            continue
        if _SEPARATOR.match(ln.lower()) or _RULE.match(ln) or _HEADER_ANY.match(ln):
            continue
        span = _is_splitter(lines, i)
        if span:
            skip = span - 1
            continue
        out.append(ln)
    return "\n".join(out)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


_BINARY_BYTES = bytes([*range(0, 9), 11, *range(14, 27), *range(28, 32)])


def _is_binary_text(text: str) -> bool:
    if not text:
        return False
    sample = text[:4096]
    data = sample.encode("utf-8", "surrogatepass")
    bad = sample.count("\ufffd") + len(data) - len(data.translate(None, _BINARY_BYTES))
    # A few replacement characters in a short complaint are damage, not binary.
    return bad / len(sample) > 0.3 or (bad >= 16 and bad / len(sample) > 0.1)


__all__ = [
    "Message",
    "decode_text",
    "html_to_text",
    "looks_like_email",
    "looks_like_html",
    "parse_message",
    "read_input",
    "strip_reply",
    "without_controls",
]
