"""Reading bad and odd input: exit codes and exact messages through the CLI, MIME oddities."""

from __future__ import annotations

import base64
import json

import pytest

from replycoach.foundation.errors import InputError
from replycoach.message import decode_text, html_to_text, looks_like_email, parse_message


def _body(run, data: bytes) -> str:
    r = run("analyze", "-", "--format", "json", stdin=data)
    assert r.code == 0, r.err
    return json.loads(r.out)["message"]["body"]


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n  ", b"\xef\xbb\xbf\n"])
def test_empty_input_exits_2(run, data: bytes) -> None:
    r = run("analyze", "-", stdin=data)
    assert (r.code, r.out) == (2, "")
    assert r.err.strip() == "replycoach: error: empty message"


def test_nul_bytes_exit_2(run) -> None:
    r = run("analyze", "-", stdin=b"refund\x00please")
    assert r.code == 2
    assert r.err.strip() == "replycoach: error: input is binary data (NUL bytes), not a message"


def test_random_binary_exits_2(run) -> None:
    noise = bytes((i * 37 + 11) % 256 for i in range(2048)).replace(b"\x00", b"\x01")
    r = run("analyze", "-", stdin=noise)
    assert r.code == 2
    assert r.err.strip() == "replycoach: error: input is binary data, not a message"


def test_invalid_utf8_in_pasted_text_is_replaced(run) -> None:
    assert _body(run, b"My caf\xc3\xa9 order #12 arrived broken \xff\xfe please help") == (
        "My café order #12 arrived broken \ufffd\ufffd please help"
    )


def test_legacy_latin_text_without_utf8_is_read_as_windows_1252(run) -> None:
    assert _body(run, b"Le d\xe9cor est ab\xeem\xe9, je veux un \x80 rembours\xe9") == (
        "Le décor est abîmé, je veux un € remboursé"
    )


def test_email_with_only_headers_and_empty_body_exits_2(run) -> None:
    r = run("analyze", "-", stdin=b"From: a@example.com\nSubject: hi\n\n\n")
    assert r.code == 2
    assert r.err.strip() == "replycoach: error: empty message: no text in the body"


def test_unknown_charset_carries_on(run) -> None:
    raw = b"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=x-bogus-9\n\nNo refund yet \xc3\xa9\n"
    assert _body(run, raw) == "No refund yet é"


def test_utf8_labelled_latin1_is_read_as_utf8() -> None:
    raw = "From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=iso-8859-1\n\nПосылка не пришла\n"
    assert parse_message(raw.encode()).body == "Посылка не пришла"


def test_cp1251_labelled_latin1_is_guessed_cyrillic() -> None:
    raw = b"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=iso-8859-1\n\n"
    raw += "Посылка так и не пришла, верните деньги".encode("cp1251")
    assert parse_message(raw).body == "Посылка так и не пришла, верните деньги"


def test_koi8r_without_declaration_is_guessed() -> None:
    raw = b"From: a@example.com\nSubject: x\n\n" + "Посылка так и не пришла, верните деньги".encode("koi8-r")
    assert parse_message(raw).body == "Посылка так и не пришла, верните деньги"


def test_iso_8859_8_i_and_unknown_labels_decode() -> None:
    assert decode_text("שלום".encode("iso-8859-8"), "iso-8859-8-i") == "שלום"
    assert decode_text("결제".encode("cp949"), "ks_c_5601-1987") == "결제"
    assert decode_text(b"plain", "no-such-charset") == "plain"
    assert decode_text("返金".encode("iso-2022-jp"), "ISO-2022-JP") == "返金"


def test_broken_quoted_printable_carries_on() -> None:
    raw = (
        b"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=utf-8\n"
        b"Content-Transfer-Encoding: quoted-printable\n\nCharged tw=ice =ZZ for =C3=A9 order=\n 77\n"
    )
    # Invalid escapes stay as they are; soft line breaks and valid escapes decode.
    assert parse_message(raw).body == "Charged tw=ice =ZZ for é order 77"


def test_base64_label_on_plain_text_keeps_the_text() -> None:
    raw = b"From: a@example.com\nSubject: x\nContent-Transfer-Encoding: base64\n\nWhere is my order? It's late!\n"
    assert parse_message(raw).body == "Where is my order? It's late!"


def test_text_attachment_is_not_the_body() -> None:
    raw = (
        b'From: a@example.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: text/plain\n\nPlease see the log.\n"
        b'--b\nContent-Type: text/plain; name="log.txt"\nContent-Disposition: attachment; filename="log.txt"\n\n'
        b"ERROR 42\n--b--\n"
    )
    assert parse_message(raw).body == "Please see the log."


def test_attached_message_is_read_only_when_nothing_else() -> None:
    inner = b"From: b@example.com\nSubject: inner\n\nThe forwarded complaint text.\n"
    raw = (
        b'From: a@example.com\nSubject: x\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="b"\n\n'
        b"--b\nContent-Type: message/rfc822\n\n" + inner + b"--b--\n"
    )
    assert parse_message(raw).body == "The forwarded complaint text."


def test_format_flowed_is_unwrapped() -> None:
    raw = (
        b"From: a@example.com\nSubject: x\nContent-Type: text/plain; charset=utf-8; format=flowed\n\n"
        b"My order arrived with a broken \nlid and I want a refund.\n"
    )
    assert parse_message(raw).body == "My order arrived with a broken lid and I want a refund."


def test_base64_html_only_message() -> None:
    html = b"<p>The <b>app</b> crashes &amp; loses my cart.</p><blockquote>old</blockquote>"
    raw = (
        b"From: a@example.com\nSubject: x\nContent-Type: text/html; charset=utf-8\n"
        b"Content-Transfer-Encoding: base64\n\n" + base64.encodebytes(html)
    )
    assert parse_message(raw).body == "The app crashes & loses my cart."


def test_looks_like_email() -> None:
    assert looks_like_email(b"From: a@b.c\nSubject: x\n\nhi")
    assert looks_like_email(b"From a@b.c Mon Jan  1 00:00:00 2026\nFrom: a@b.c\nTo: c@d.e\n\nhi")
    assert looks_like_email(b"Subject: refund\n\nhi")  # a pasted subject line is read as one
    assert parse_message(b"Subject: refund\n\nhi there").subject == "refund"
    assert not looks_like_email(b"Subject: refund\nhi")
    assert not looks_like_email(b"Hello: I want a refund\nplease\n")


def test_html_to_text_is_readable() -> None:
    assert html_to_text("<div>One<br>Two</div><p>Three &amp; four</p><script>x()</script>") == (
        "One\nTwo\n\nThree & four"
    )


def test_str_input_with_lone_surrogate_is_replaced() -> None:
    assert parse_message("Refund please \ud800 now").body == "Refund please \ufffd\ufffd\ufffd now"


def test_everything_quoted_reads_the_quote() -> None:
    msg = parse_message("On Mon, 16 Nov 2026 at 10:00, Ana <a@example.com> wrote:\n> My order is late.\n")
    assert msg.body == "My order is late."


def test_input_error_is_the_only_failure() -> None:
    with pytest.raises(InputError):
        parse_message(b"\x00")
    with pytest.raises(InputError):
        parse_message("   ")


def test_html_meta_charset_is_used_when_mime_has_none() -> None:
    html = '<html><head><meta charset="windows-1251"></head><body><p>Где мой заказ?</p></body></html>'
    raw = b"From: a@example.com\nSubject: x\nContent-Type: text/html\n\n" + html.encode("cp1251")
    assert parse_message(raw).body == "Где мой заказ?"


def test_forward_with_no_own_words_reads_the_forwarded_text() -> None:
    text = (
        "---------- Forwarded message ---------\nFrom: Shop <s@example.com>\nDate: Mon, Nov 2, 2026\n"
        "Subject: Your order\nTo: <o@example.com>\n\nYour order #77123 will be delivered by November 10.\n"
    )
    assert parse_message(text).body == "Your order #77123 will be delivered by November 10."


def test_base64_with_a_stray_junk_line_still_decodes() -> None:
    encoded = base64.encodebytes(b"My order 123 is late, where is it? " * 3)
    raw = (
        b"From: a@example.com\nSubject: x\nContent-Transfer-Encoding: base64\n\n" + encoded + b"--mangled-boundary--\n"
    )
    assert parse_message(raw).body == "My order 123 is late, where is it? " * 2 + "My order 123 is late, where is it?"
