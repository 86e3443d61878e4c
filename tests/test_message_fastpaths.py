"""Each fast path of the message reader against the plain code it stands for."""

from __future__ import annotations

import base64
import re
from email import message_from_bytes

from hypothesis import given, settings
from hypothesis import strategies as st

from replycoach.message import mime
from tests.message_corpus import corpus


def _emails() -> list[bytes]:
    return [data for name, data in corpus() if isinstance(data, bytes) and not name.startswith("complaints")]


def _b64_lines_all_valid(data: bytes) -> bool:
    """The plain check in mime._payload: every non-blank line is a base64 line."""
    lines = [ln.strip() for ln in data.splitlines() if ln.strip()]
    return all(mime._B64_LINE.match(ln) for ln in lines)


_B64ISH = st.text(alphabet="AZaz09+/=\r\n \t-", max_size=60).map(lambda s: s.encode("ascii"))


@settings(max_examples=3000, deadline=None)
@given(_B64ISH)
def test_clean_base64_implies_every_line_valid(data: bytes) -> None:
    if mime._clean_base64(data):
        assert _b64_lines_all_valid(data)


@given(st.binary(max_size=300), st.integers(0, 2))
def test_clean_base64_accepts_what_encoders_write(blob: bytes, crlf: int) -> None:
    data = base64.encodebytes(blob) + b"\n" * crlf
    assert mime._clean_base64(data)
    assert mime._clean_base64(data.replace(b"\n", b"\r\n"))


def test_part_headers_is_get_for_every_part_of_every_email() -> None:
    checked = 0
    for raw in _emails():
        for part in message_from_bytes(raw).walk():
            heads = mime._part_headers(part)
            for name in mime._PART_HEADERS:
                assert heads.get(name) == part.get(name), (name, raw[:200])
                assert type(heads.get(name)) is type(part.get(name))
            checked += 1
    assert checked > 1000


def test_clean_base64_on_every_base64_part() -> None:
    seen = 0
    for raw in _emails():
        for part in message_from_bytes(raw).walk():
            if str(part.get("content-transfer-encoding", "")).strip().lower() == "base64" and isinstance(
                part._payload, str
            ):
                data = part._payload.encode("ascii", "surrogateescape")
                seen += 1
                if mime._clean_base64(data):
                    assert _b64_lines_all_valid(data)
    assert seen > 100


def test_isascii_is_the_high_byte_scan() -> None:
    high = re.compile(rb"[\x80-\xff]")
    for raw in _emails():
        assert raw.isascii() == (high.search(raw) is None)


# --- the multipart boundary regex (message.boundary) -------------------------------

_BOUNDARY_CHARS = st.text(alphabet=[chr(c) for c in range(0x20, 0x7F)], min_size=1, max_size=90)


def _multipart_emails() -> list[bytes]:
    return [raw for raw in _emails() if b"oundary" in raw]


@settings(max_examples=400, deadline=None)
@given(st.one_of(_BOUNDARY_CHARS, st.text(alphabet="ab-=_", min_size=1, max_size=40)))
def test_spliced_boundary_code_is_the_compilers(boundary: str) -> None:
    from replycoach.foundation.regexes import engine_code
    from replycoach.message import boundary as mod

    built = mod.compiled(boundary)
    assert built is not None
    pattern = mod.pattern_for(boundary)
    spec = engine_code(pattern, 0)
    parts = mod._state[0]  # type: ignore[index]
    assert mod._splice(parts, "--" + boundary) == spec[2]
    reference = re.compile(pattern)
    assert (built.pattern, built.flags, built.groups, built.groupindex) == (
        reference.pattern,
        reference.flags,
        reference.groups,
        reference.groupindex,
    )
    for line in ("--" + boundary, "--" + boundary + "--", "--" + boundary + " \t\r\n", "x--" + boundary, "--"):
        a, b = built.match(line), reference.match(line)
        assert (a and a.groupdict()) == (b and b.groupdict())


def test_pattern_for_is_what_the_feedparser_compiles(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from re import _compiler  # type: ignore[attr-defined]

    from replycoach.message import boundary as mod

    compiled_by_re: list[str] = []
    real = _compiler.compile

    def spy(pattern, flags=0):  # type: ignore[no-untyped-def]
        compiled_by_re.append(pattern)
        return real(pattern, flags)

    monkeypatch.setattr(_compiler, "compile", spy)
    emails = _multipart_emails()
    assert len(emails) > 100
    # A miss costs only speed (the stdlib compiles as before), but pattern_for must be
    # the feedparser's pattern: then (almost) no boundary regex is left for the compiler.
    misses = 0
    for raw in emails:
        mod.seed(raw)
        compiled_by_re.clear()
        message_from_bytes(raw)
        misses += any(p.startswith("(?P<sep>") for p in compiled_by_re)
    print(f"{misses} of {len(emails)} multipart emails compiled a boundary regex")
    assert misses * 20 < len(emails)


def test_seeding_keeps_re_cache_bounded_and_results_equal(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from replycoach.message import boundary as mod
    from replycoach.message import parse_message

    emails = _multipart_emails()
    seeded = [parse_message(raw) for raw in emails]
    assert len(re._cache) <= re._MAXCACHE  # type: ignore[attr-defined]
    monkeypatch.setattr(mod, "_state", False)  # seeding off: the stdlib compiles every boundary
    plain = [parse_message(raw) for raw in emails]
    assert seeded == plain


def test_boundary_setup_failure_switches_seeding_off(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from replycoach.message import boundary as mod

    monkeypatch.setattr(mod, "_state", None)
    monkeypatch.setattr(mod, "_TEMPLATE_LITERAL", "")  # a layout the splice cannot rebuild
    assert mod.compiled("abc") is None
    assert mod._state is False
    mod.seed(b'Content-Type: multipart/mixed; boundary="abc"\n\n--abc\n\nx\n--abc--\n')


# --- looks_like_email ---------------------------------------------------------------


def _looks_like_email_plain(data: bytes) -> bool:
    """looks_like_email as it was before the speed work."""
    from replycoach.message import _KEY_HEADERS

    head = data[:16384].lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    if head.startswith(b"From ") and b"\n" in head:
        head = head.split(b"\n", 1)[1]
    end = re.search(rb"\r?\n[ \t]*\r?\n", head)
    block = head[: end.start()] if end else head
    seen = 0
    lines = 0
    for raw in block.splitlines():
        if raw[:1] in (b" ", b"\t"):
            if not lines:
                return False
            continue
        if not re.match(rb"^[A-Za-z][A-Za-z0-9_-]{0,76}[ \t]*:", raw):
            return False
        lines += 1
        if raw.split(b":", 1)[0].strip().lower() in _KEY_HEADERS:
            seen += 1
    if end:
        return seen >= 1
    return seen >= 2


_HEADERISH = st.lists(
    st.sampled_from(
        [
            b"From: a@b.c",
            b"Subject: hi",
            b"To : x",
            b"X-Thing:y",
            b" folded",
            b"\t",
            b"",
            b" ",
            b"\r",
            b"no colon",
            b"From x Fri Nov 20 16:42:10 2026",
            b"\xef\xbb\xbf",
            b"Received:",
            b"DATE\t: z",
            b"body text",
        ]
    ),
    max_size=8,
).flatmap(lambda parts: st.sampled_from([b"\n", b"\r\n", b"\r"]).map(lambda nl: nl.join(parts)))


@settings(max_examples=3000, deadline=None)
@given(_HEADERISH)
def test_looks_like_email_is_the_plain_check(data: bytes) -> None:
    from replycoach.message import looks_like_email

    assert looks_like_email(data) == _looks_like_email_plain(data)


def test_looks_like_email_on_the_corpus() -> None:
    from replycoach.message import looks_like_email

    for _, data in corpus():
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        assert looks_like_email(raw) == _looks_like_email_plain(raw)


# --- the header-block-only parse of single-part messages ------------------------------


def _same_tree(fast, plain, data: bytes) -> None:  # type: ignore[no-untyped-def]
    assert fast._headers == plain._headers, data[:300]
    assert fast.get_unixfrom() == plain.get_unixfrom()
    assert fast.get_default_type() == plain.get_default_type()
    assert fast.is_multipart() == plain.is_multipart()
    assert (fast.preamble, fast.epilogue) == (plain.preamble, plain.epilogue), data[:300]
    if fast.is_multipart():
        assert len(fast._payload) == len(plain._payload)
        for a, b in zip(fast._payload, plain._payload, strict=True):
            _same_tree(a, b, data)
    else:
        assert fast._payload == plain._payload, data[:300]


def _same_parse(data: bytes) -> None:
    _same_tree(mime._parse(data), message_from_bytes(data), data)


def test_header_only_parse_is_the_full_parse_on_the_corpus() -> None:
    for _, data in corpus():
        raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
        _same_parse(raw.lstrip(b"\xef\xbb\xbf").lstrip(b"\r\n"))


_LINES = st.sampled_from(
    [
        b"From: a@b.c",
        b"Subject: hi",
        b"From x Fri",
        b" folded",
        b"\t",
        b"",
        b" ",
        b"no colon",
        b":",
        b"X:",
        b"Content-Type: text/plain",
        b"Content-Type: multipart/mixed; boundary=z",
        b"--z",
        b"Content-Type: message/rfc822",
        b"\xe9t\xe9: x",
        b"body \xff text",
        b"\r",
        b"\n",
        b"\x0b",
        b"\x0c",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.tuples(_LINES, st.sampled_from([b"\n", b"\r\n", b"\r", b""])), max_size=10))
def test_header_only_parse_is_the_full_parse(parts: list[tuple[bytes, bytes]]) -> None:
    _same_parse(b"".join(line + end for line, end in parts))


_MULTIPART_LINES = st.sampled_from(
    [
        b"--b",
        b"--b--",
        b"--b \t",
        b"--b-- ",
        b"--bx",
        b"--b--x",
        b"---b",
        b" --b",
        b"--",
        b"Content-Type: text/plain",
        b"Content-Type: text/html; charset=utf-8",
        b"Content-Type: multipart/mixed; boundary=c",
        b"Content-Type: message/rfc822",
        b"Content-Transfer-Encoding: base64",
        b"From x Fri",
        b"X: y",
        b" folded",
        b":",
        b"",
        b"text",
        b"t\xc3\xa9xt \xff",
        b"\x0c",
        b"\x1c",
    ]
)
_TOPS = st.sampled_from(
    [
        b"Content-Type: multipart/alternative; boundary=b\n",
        b'Content-Type: multipart/mixed;\n boundary="b"\nSubject: x\n',
        b"Content-Type: multipart/digest; boundary=b\n",
        b"Content-Type: multipart/mixed\n",
        b"From a Fri\nContent-Type: multipart/related; boundary=b\n",
        b"Content-Type: multipart/mixed; boundary*=''b\n",
    ]
)


def test_header_scan_limit(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(mime, "_HEAD_SCAN", 16)
    for data in (
        b"Subject: 0123456789abcdef\n\nbody",
        b"A: b\r\n\r\nbody",
        b"A: b\r",
        b"A: b\r\nC: d\r\n",
        b"A: 1234567890\r\n\r\n",
    ):
        _same_parse(data)
        for cut in range(len(data)):
            _same_parse(data[:cut])


@given(st.text(alphabet="wroteWROTEskrevSKREVΣσςİıKſ \t-*.xé", max_size=12), st.text(max_size=12))
def test_lower_tail_decides_like_lower_whole(tail: str, head: str) -> None:
    line = head + tail
    whole = line.rstrip(" \t-*").lower().endswith(("wrote", "skrev"))
    assert line.rstrip(" \t-*")[-5:].lower().endswith(("wrote", "skrev")) == whole


@given(
    st.text(
        alphabet=st.sampled_from(
            " \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeffa"
        ),
        max_size=6,
    )
)
def test_isspace_is_strip_as_a_truth_value(line: str) -> None:
    assert bool(line.strip()) == bool(line and not line.isspace())


@given(
    st.lists(
        st.sampled_from([b" ", b"\t", b"\r", b"\n", b"\x0b", b"\x0c", b"\x1c", b"\x85", b"\xa0", b"a", b"\x00"]),
        max_size=6,
    ).map(b"".join)
)
def test_bytes_isspace_is_strip_as_a_truth_value(data: bytes) -> None:
    assert (not data.strip()) == (not data or data.isspace())


# --- quotes: the contact-line test ------------------------------------------------------

_CONTACTISH = st.lists(
    st.sampled_from(
        [
            "Ana",
            " ",
            "Ltd",
            "Ltd.",
            "www.x.io",
            "http://a",
            "https",
            "a@b.co",
            "@",
            "|",
            "Team",
            "St.",
            "x",
            "Head  of",
            "S.A",
            "-",
            "é",
            "\t",
            "CEO7",
        ]
    ),
    max_size=8,
).map("".join)


@settings(max_examples=3000, deadline=None)
@given(_CONTACTISH)
def test_has_contact_is_the_contact_search(text: str) -> None:
    from replycoach.message import quotes

    assert quotes._has_contact(text) == bool(quotes._CONTACT.search(text))


def test_has_contact_on_every_corpus_line() -> None:
    from replycoach.message import quotes

    for _, data in corpus():
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        for line in text.splitlines():
            line = line.strip()[:80]
            assert quotes._has_contact(line) == bool(quotes._CONTACT.search(line)), line


@settings(max_examples=3000, deadline=None)
@given(
    st.lists(
        st.sampled_from([" ", "\t", "\x1c", "\u3000", "\xa0", "\u2028", "-", "—", "–", "Ana", "x", ".", "7", "_"]),
        max_size=8,
    ).map("".join)
)
def test_dash_name_pre_check_lets_every_match_through(line: str) -> None:
    from replycoach.message import quotes

    if quotes._DASH_NAME.match(line):
        assert line.lstrip()[:1] in quotes._DASHES


def test_dash_name_pre_check_on_every_corpus_line() -> None:
    from replycoach.message import quotes

    for _, data in corpus():
        text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
        for line in text.splitlines():
            if quotes._DASH_NAME.match(line):
                assert line.lstrip()[:1] in quotes._DASHES, line


def _content_type_plain(header: str) -> tuple[str, dict[str, str]]:
    """_part_info's reading of a Content-Type value before it was cached."""
    ctype = header.split(";", 1)[0].strip().lower()
    if ctype.count("/") != 1:
        ctype = "text/plain"
    params: dict[str, str] = {}
    for m in mime._CT_PARAM.finditer(header):
        value = m.group(2) if m.group(2) is not None else m.group(3)
        params.setdefault(m.group(1).lower(), value.strip().lower())
    return ctype, params


@settings(max_examples=2000, deadline=None)
@given(
    st.lists(
        st.sampled_from(["text/plain", "TEXT/Html", ";", " ", "charset=", '"utf-8"', "x", "/", "=", '\\"']), max_size=8
    )
)
def test_cached_content_type_is_the_plain_reading(pieces: list[str]) -> None:
    header = "".join(pieces)
    ctype, params = mime._content_type(header)
    assert (ctype, dict(params)) == _content_type_plain(header)


def test_cached_content_type_on_every_corpus_part() -> None:
    seen = 0
    for raw in _emails():
        for part in message_from_bytes(raw).walk():
            header = part.get("content-type")
            if isinstance(header, str) and "*" not in header:
                ctype, params = mime._part_info(part, header)
                assert (ctype, dict(params)) == _content_type_plain(header)
                seen += 1
    assert seen > 1000
