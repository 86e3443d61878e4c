"""A fast plain-random engine for benchmarks/fuzz.py: the hostile shapes of
tests/fuzz_shapes.py drawn with ``random.Random`` (Hypothesis spends most of a small
input's time drawing it), plus byte mutations of the test fixtures and YAML alias bombs.
Each generator takes the Random and returns the input bytes."""

from __future__ import annotations

import base64
import quopri
import random
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The shapes are the test pass's own (tests/fuzz_shapes.py), drawn here without Hypothesis.
from tests.fuzz_shapes import CHARSETS, CONTROLS, HEADERS, SENTENCES  # noqa: E402

ESCAPES = ["\x1b[2J", "\x1b]0;owned\x07", "\x9b31m", "\x07", "\x00", "\r", "\x1b[31m"]


def _controls(r: random.Random) -> str:
    return "".join(r.choice(CONTROLS) for _ in range(r.randint(1, 8))) if r.random() < 0.7 else r.choice(ESCAPES)


def _noise(r: random.Random, n: int) -> str:
    return "".join(chr(r.choice([r.randint(32, 126), r.randint(0, 0x2FFF), r.randint(0, 0x10FFFF)])) for _ in range(n))


def _word(r: random.Random) -> str:
    k = r.random()
    if k < 0.6:
        return r.choice(SENTENCES)
    if k < 0.85:
        return _noise(r, r.randint(0, 40))
    return _controls(r)


def _line(r: random.Random) -> str:
    return " ".join(_word(r) for _ in range(r.randint(1, 6)))


def body_text(r: random.Random) -> str:
    out = []
    for _ in range(r.randint(1, 14)):
        k = r.random()
        out.append("" if k < 0.15 else ("> " * r.randint(1, 4) + _line(r)) if k < 0.35 else _line(r))
    return "\n".join(out)


def header_value(r: random.Random) -> str:
    value = _line(r)
    if r.random() < 0.5:
        value = value + _controls(r) + value
    if r.random() < 0.1:
        value = value * r.randint(50, 400)  # a very long header
    if r.random() < 0.3:
        raw = value.encode("utf-8", "surrogatepass")
        cs = r.choice(["utf-8", "iso-8859-1", "bogus"])
        value = f"=?{cs}?{r.choice('bBqQ')}?{base64.b64encode(raw).decode()}?="
    return value


def leaf(r: random.Random) -> bytes:
    charset = r.choice(CHARSETS)
    subtype = r.choice(["plain", "html", "calendar", "enriched"])
    text = body_text(r)
    if subtype == "html":
        text = f"<html><body><p>{text}</p><blockquote>old</blockquote></body></html>"
    try:
        data = text.encode(charset or "utf-8", "replace")
    except (LookupError, UnicodeError):
        data = text.encode("utf-8", "surrogatepass")
    if r.random() < 0.1:
        data = data.replace(b"refund", r.choice([b"\x80\x9e", "退款".encode("big5"), b"\xff\xfe"]))
    cte = r.choice(["7bit", "8bit", "base64", "quoted-printable", "bogus", ""])
    if cte == "base64":
        data = base64.encodebytes(data)
        if r.random() < 0.5:
            data = data[: r.randint(0, len(data))]  # truncated
    elif cte == "quoted-printable":
        data = quopri.encodestring(data)
    cs = f"; charset={charset}" if charset else ""
    head = f"Content-Type: text/{subtype}{cs}\n" + (f"Content-Transfer-Encoding: {cte}\n" if cte else "")
    return head.encode() + (b"\n" if r.random() < 0.95 else b"") + data


def part(r: random.Random, depth: int, top: bool = False) -> bytes:
    if depth <= 0 or r.random() < 0.25:
        return leaf(r)
    if r.random() < 0.4:
        inner = part(r, depth - 1, top)
        return b"Content-Type: message/rfc822\n\nFrom: x@example.com\nSubject: fwd\n" + inner
    boundary = f"b{depth}{r.randint(0, 99)}"
    # many parts only once per message: repeated at every level the size would multiply
    count = r.randint(1, 3) if not top or r.random() < 0.7 else r.choice([30, 300, r.randint(300, 3000)])
    children = [part(r, depth - 1) if count < 5 else leaf(r) for _ in range(min(count, 3))]
    joined = b"".join(f"--{boundary}\n".encode() + children[i % len(children)] + b"\n" for i in range(count))
    closing = f"--{boundary}--\n".encode() if r.random() < 0.5 else b""
    sub = r.choice(["mixed", "alternative", "related", "report", "signed"])
    return f'Content-Type: multipart/{sub}; boundary="{boundary}"\n\n'.encode() + joined + closing


def email_bytes(r: random.Random) -> bytes:
    headers = [f"{r.choice(HEADERS[:-4])}: {header_value(r)}" for _ in range(r.randint(1, 10))]
    sep = r.choice(["\n", "\r\n", "\r"])
    head = sep.join(headers).encode("utf-8", "surrogatepass") + sep.encode()
    return head + part(r, r.randint(0, 6), top=True)


def rfc822_chain(depth: int) -> bytes:
    wrapper = b"From: a@example.com\nContent-Type: message/rfc822\n\n"
    return wrapper * depth + b"From: a@example.com\n\nMy lamp is broken.\n"


def multipart_chain(depth: int) -> bytes:
    head = b"".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n'.encode() for i in range(depth))
    return b"From: a@example.com\n" + head + b"Content-Type: text/plain\n\nMy lamp is broken.\n"


def deep_nesting(r: random.Random) -> bytes:
    depth = r.choice([r.randint(50, 1500), r.randint(600, 1500), r.randint(90, 120)])
    return rfc822_chain(depth) if r.random() < 0.5 else multipart_chain(depth)


def long_lines(r: random.Random) -> bytes:
    unit = r.choice(SENTENCES) + r.choice(["", " ", "!!! ", "\t"])
    return f"Subject: {unit * r.randint(1, 300)}\n\n{unit * r.randint(100, 3000)}\n".encode()


def pasted(r: random.Random) -> bytes:
    return body_text(r).encode("utf-8", "surrogatepass")


def bare_html(r: random.Random) -> bytes:
    return f"<html><body><div>{body_text(r)}</div><blockquote><p>{_line(r)}</p></blockquote></body></html>".encode(
        "utf-8", "surrogatepass"
    )


_SEEDS: list[bytes] = []


def _seeds() -> list[bytes]:
    if not _SEEDS:
        for path in sorted((ROOT / "tests" / "fixtures").rglob("*")):
            if path.is_file() and path.suffix in {".eml", ".txt"} and path.stat().st_size < 200_000:
                _SEEDS.append(path.read_bytes())
    return _SEEDS


def mutated(r: random.Random) -> bytes:
    """A fixture with a few byte-level edits: flips, control insertions, cuts, repeats."""
    data = bytearray(r.choice(_seeds()))
    for _ in range(r.randint(1, 8)):
        if not data:
            break
        i = r.randrange(len(data))
        k = r.random()
        if k < 0.3:
            data[i] = r.randrange(256)
        elif k < 0.5:
            data[i:i] = _controls(r).encode("utf-8")
        elif k < 0.65:
            del data[i : i + r.randint(1, 200)]
        elif k < 0.8:
            j = min(len(data), i + r.randint(1, 80))
            data[i:i] = data[i:j] * r.randint(2, 50)
        else:
            data[i:i] = r.choice([b"\n\n", b"\n> ", b"\n-- \n", b"=?utf-8?b?G1sySg==?=", b"\r", b"--b\n"])
    return bytes(data)


def random_bytes(r: random.Random) -> bytes:
    return r.randbytes(r.randint(0, 2000))


# weights: the cheap shapes often, the expensive ones (deep nesting, long lines) less
SHAPES: list[tuple[str, Callable[[random.Random], bytes], int]] = [
    ("email", email_bytes, 30),
    ("pasted", pasted, 20),
    ("mutated", mutated, 25),
    ("bytes", random_bytes, 10),
    ("html", bare_html, 8),
    ("long", long_lines, 3),
    ("deep", deep_nesting, 4),
]


def yaml_bomb(r: random.Random) -> str:
    """An answers/playbook-like YAML document: aliases expanding, deep flow nesting, long keys."""
    k = r.random()
    if k < 0.4:
        width, levels = r.randint(2, 12), r.randint(2, 12)
        rows = ["a0: &a0 [x" + "x" * r.randint(0, 20) + "]"]
        for i in range(1, levels):
            rows.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]")
        return "\n".join(rows) + "\n"
    if k < 0.7:
        depth = r.randint(10, 20000)
        return "v: " + "[" * depth + "]" * (depth if r.random() < 0.5 else r.randint(0, depth)) + "\n"
    if k < 0.85:
        return f"k{'x' * r.randint(1, 3000)}: {'y' * r.randint(1, 100000)}\n"
    return "".join(
        r.choice(
            ["a: ", "&x ", "*x ", "- ", "{", "}", "[", "]", ": ", "\n", "  ", "!!python/object ", "<<: *x\n", "? "]
        )
        for _ in range(r.randint(1, 80))
    )
