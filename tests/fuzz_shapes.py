"""Hypothesis generators for the shapes a plain byte fuzzer never reaches: deep nesting,
very long headers and lines, many parts, mixed charsets, control characters in every
header. Shared by the short pass in tests (test_fuzz.py) and benchmarks/fuzz.py (whose plain-random
engine, benchmarks/fuzz_random.py, draws from the same lists).
"""

from __future__ import annotations

import base64
import quopri
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from hypothesis import strategies as st

SENTENCES = [
    "My lamp arrived broken and I want a full refund.",
    "You charged my card 4111 1111 1111 1111 twice!!!",
    "I have been waiting since Monday, this is RIDICULOUS.",
    "Can I speak to a manager before Friday?",
    "Mein Paket ist nicht angekommen, ich will mein Geld zurück.",
    "Заказ №48213 не пришёл, верните деньги.",
    "ההזמנה שלי לא הגיעה",
    "我的订单还没有到，请退款。",
    "password: hunter2, CVV 123",
    "-- first point",
    "-----",
    "On Mon, 3 Mar 2026, Support <help@example.com> wrote:",
    "-----Original Message-----",
    "Sent from my iPhone",
    "&amp; &#x1b; &lt;script&gt;",
    "<b>bold</b> <a href='http://x'>link</a>",
]
CHARSETS = [
    "utf-8",
    "iso-8859-1",
    "windows-1252",
    "koi8-r",
    "iso-8859-8",
    "shift_jis",
    "big5",
    "gb2312",
    "euc-kr",
    "utf-16",
    "us-ascii",
    "x-bogus",
    "",
]
# C0 and C1 controls, and the invisible ones that reorder or hide text (RLO, LRI, BOM, ZWSP).
CONTROLS = "".join(chr(c) for c in [*range(0, 9), *range(11, 32), *range(127, 160)]) + "\u202e\u2066\ufeff\u200b"
HEADERS = [
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Date",
    "Content-Type",
    "Content-Transfer-Encoding",
    "Content-Language",
    "X-Mailer",
    "Sender",
]
controls = st.text(alphabet=CONTROLS, min_size=1, max_size=8)
words = st.one_of(st.sampled_from(SENTENCES), st.text(max_size=40), controls)
line = st.lists(words, min_size=1, max_size=6).map(" ".join)
body_text = st.lists(st.one_of(line, st.just(""), line.map(lambda s: "> " + s)), min_size=1, max_size=12).map("\n".join)


@st.composite
def header_value(draw: st.DrawFn) -> str:
    value = draw(line)
    if draw(st.booleans()):
        value = value + draw(controls) + value
    if draw(st.integers(0, 9)) == 0:
        value = value * draw(st.integers(50, 400))  # a very long header
    if draw(st.booleans()):
        raw = value.encode("utf-8", "surrogatepass")
        value = f"=?utf-8?b?{base64.b64encode(raw).decode()}?="
    return value


@st.composite
def leaf(draw: st.DrawFn) -> bytes:
    charset = draw(st.sampled_from(CHARSETS))
    subtype = draw(st.sampled_from(["plain", "html", "calendar"]))
    text = draw(body_text)
    if subtype == "html":
        text = f"<html><body><p>{text}</p><blockquote>old</blockquote></body></html>"
    try:
        data = text.encode(charset, "replace")
    except LookupError:
        data = text.encode("utf-8", "surrogatepass")
    cte = draw(st.sampled_from(["7bit", "8bit", "base64", "quoted-printable", "bogus"]))
    if cte == "base64":
        data = base64.encodebytes(data)
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, len(data)))]  # truncated
    elif cte == "quoted-printable":
        data = quopri.encodestring(data)
    head = f"Content-Type: text/{subtype}; charset={charset}\nContent-Transfer-Encoding: {cte}\n\n"
    return head.encode() + data


@st.composite
def part(draw: st.DrawFn, depth: int) -> bytes:
    if depth <= 0 or draw(st.integers(0, 3)) == 0:
        return draw(leaf())
    if draw(st.booleans()):
        inner = draw(part(depth - 1))
        return b"Content-Type: message/rfc822\n\nFrom: x@example.com\nSubject: fwd\n" + inner
    boundary = f"b{depth}{draw(st.integers(0, 99))}"
    count = draw(st.integers(1, 30))
    children = [draw(part(depth - 1)) for _ in range(min(count, 3))] * (count // 3 + 1)
    joined = b"".join(f"--{boundary}\n".encode() + c + b"\n" for c in children[:count])
    closing = f"--{boundary}--\n".encode() if draw(st.booleans()) else b""
    return f'Content-Type: multipart/mixed; boundary="{boundary}"\n\n'.encode() + joined + closing


@st.composite
def email_bytes(draw: st.DrawFn) -> bytes:
    headers = []
    for name in draw(st.lists(st.sampled_from(HEADERS[:-1]), min_size=1, max_size=8)):
        headers.append(f"{name}: {draw(header_value())}")
    head = "\n".join(headers).encode("utf-8", "surrogatepass") + b"\n"
    return head + draw(part(draw(st.integers(0, 6))))


def rfc822_chain(depth: int) -> bytes:
    wrapper = b"From: a@example.com\nContent-Type: message/rfc822\n\n"
    return wrapper * depth + b"From: a@example.com\n\nMy lamp is broken.\n"


def multipart_chain(depth: int) -> bytes:
    head = b"".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n'.encode() for i in range(depth))
    return b"From: a@example.com\n" + head + b"Content-Type: text/plain\n\nMy lamp is broken.\n"


@st.composite
def deep_nesting(draw: st.DrawFn) -> bytes:
    # Weighted to the deep end: the stdlib parser's recursion gives out past ~400 levels.
    depth = draw(st.one_of(st.integers(50, 1500), st.integers(600, 1500)))
    return rfc822_chain(depth) if draw(st.booleans()) else multipart_chain(depth)


@st.composite
def long_lines(draw: st.DrawFn) -> bytes:
    unit = draw(st.sampled_from(SENTENCES)) + draw(st.sampled_from(["", " ", "!!! ", "\t"]))
    return f"Subject: {unit * draw(st.integers(1, 300))}\n\n{unit * draw(st.integers(100, 3000))}\n".encode()


pasted = body_text.map(lambda s: s.encode("utf-8", "surrogatepass"))
messages = st.one_of(email_bytes(), pasted, deep_nesting(), long_lines(), st.binary(max_size=2000))


@contextmanager
def cli_stack(headroom: int = 950) -> Iterator[None]:
    """Run with the stack the command line has: Hypothesis raises the recursion limit
    by thousands inside a test, which hides a RecursionError a user would get."""
    depth = 0
    frame = sys._getframe()
    while frame is not None:
        depth += 1
        frame = frame.f_back  # type: ignore[assignment]
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(depth + headroom)
    try:
        yield
    finally:
        sys.setrecursionlimit(before)
