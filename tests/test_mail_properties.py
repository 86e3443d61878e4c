"""Properties of reading: any input gives a Message or an InputError, never another exception."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replycoach.foundation.errors import InputError
from replycoach.message import Message, decode_text, parse_message, strip_reply

CHARSETS = [
    None,
    "utf-8",
    "us-ascii",
    "iso-8859-1",
    "windows-1252",
    "koi8-r",
    "windows-1251",
    "iso-8859-8-i",
    "iso-2022-jp",
    "shift_jis",
    "gb2312",
    "ks_c_5601-1987",
    "utf-7",
    "x-unknown",
    "no-such-charset",
    '"utf-8"',
]
ENCODINGS = ["7bit", "8bit", "base64", "quoted-printable", "x-uuencode", "bogus"]
# Lines that exercise the splitter and signature paths, mixed with arbitrary text.
LINES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "> quoted",
            ">> nested",
            "On Mon, 16 Nov 2026 at 10:00, Ana <a@example.com> wrote:",
            "-- ",
            "--",
            "-----Original Message-----",
            "From: Shop <s@example.com>",
            "Sent: Monday",
            "To: Ana",
            "Subject: x",
            "Sent from my iPhone",
            "Best regards,",
            "Ana",
            "+1 555 123 4567",
            "________________________________",
            "\ue000",
            "\ue001",
            "Thanks, Ana",
            "wrote:",
            "",
            "   >",
            "2026-11-16 10:00 GMT <a@example.com>:",
        ]
    ),
)
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: bytes | str) -> Message | None:
    try:
        return parse_message(data)
    except InputError:
        return None


def _no_quoted_lines(msg: Message | None) -> None:
    if msg is not None:
        assert not any(line.lstrip().startswith(">") for line in msg.body.splitlines())
        assert msg.body == msg.body.strip()
        assert msg.body


@FAST
@given(st.binary(max_size=2000))
def test_any_bytes_give_a_message_or_input_error(data: bytes) -> None:
    _no_quoted_lines(_read(data))


@FAST
@given(st.text(max_size=2000))
def test_any_text_gives_a_message_or_input_error(text: str) -> None:
    _no_quoted_lines(_read(text))


@FAST
@given(st.lists(LINES, max_size=40))
def test_reply_shaped_text_never_keeps_quoted_lines(lines: list[str]) -> None:
    text = "\n".join(lines)
    _no_quoted_lines(_read(text))
    body, _quoted, _sig = strip_reply(text)
    assert not any(line.lstrip().startswith(">") for line in body.splitlines())


@FAST
@given(
    st.sampled_from(CHARSETS),
    st.sampled_from(ENCODINGS),
    st.sampled_from(["text/plain", "text/html", "multipart/alternative", "multipart/mixed; boundary=b", "image/png"]),
    st.binary(max_size=800),
    st.lists(LINES, max_size=12),
)
def test_email_shaped_input_never_crashes(
    charset: str | None, cte: str, ctype: str, payload: bytes, lines: list[str]
) -> None:
    head = f"From: =?{charset or 'utf-8'}?B?QW5h?= <a@example.com>\nSubject: =?{charset}?Q?x=E9?=\n"
    head += (
        f"Content-Type: {ctype}"
        + (f"; charset={charset}" if charset else "")
        + f"\nContent-Transfer-Encoding: {cte}\n\n"
    )
    body = "\n".join(lines).encode("utf-8", "surrogatepass") + b"\n" + payload
    msg = _read(head.encode() + body + b"\n--b\nContent-Type: text/plain\n\nhello\n--b--\n")
    _no_quoted_lines(msg)
    if msg is not None:
        assert msg.is_email


@FAST
@given(st.binary(max_size=1000), st.sampled_from(CHARSETS))
def test_decoding_is_idempotent_through_utf8(data: bytes, charset: str | None) -> None:
    text = decode_text(data, charset)
    assert isinstance(text, str)
    assert decode_text(text.encode("utf-8")) == text


@FAST
@given(st.text(max_size=500).filter(lambda t: not t.startswith("\ufeff")))
def test_utf8_text_decodes_to_itself(text: str) -> None:
    data = text.encode("utf-8")  # st.text() draws no lone surrogates
    assert decode_text(data) == text
    assert decode_text(data, "us-ascii") == text
