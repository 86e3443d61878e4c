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
