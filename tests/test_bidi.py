"""Right-to-left replies: left-to-right runs isolated, the language named in eml and md."""

from __future__ import annotations

from email import message_from_bytes

from hypothesis import given
from hypothesis import strategies as st

import replycoach
from replycoach.reply.bidi import LRI, PDI, isolate_ltr
from replycoach.reply.formats import draft_email, draft_markdown

from .conftest import NOW

HEBREW = (
    "From: דנה כהן <dana@example.co.il>\nSubject: הזמנה 55102\n\n"
    "שלום, ההזמנה שלי 55102 הגיעה שבורה. אני רוצה החזר של 250 ₪.\n\nדנה\n"
)
ENGLISH = "From: Ana Lopez <ana@example.com>\nSubject: Order 55102\n\nMy order 55102 arrived broken.\n"


def _draft(raw: str) -> dict:
    return replycoach.draft_text(raw, sets={"agent": "Sam"}, placeholders=True, now=NOW)


def test_a_hebrew_reply_isolates_order_ids_and_an_english_one_has_no_isolates() -> None:
    hebrew, english = _draft(HEBREW), _draft(ENGLISH)
    assert hebrew["reply_language"] == {"code": "he", "rtl": True}
    assert f"{LRI}55102{PDI}" in hebrew["draft"]
    assert english["reply_language"] == {"code": "en", "rtl": False}
    assert LRI not in english["draft"] and PDI not in english["draft"]


def test_the_reply_email_names_its_language() -> None:
    for raw, code in ((HEBREW, "he"), (ENGLISH, "en")):
        msg = message_from_bytes(draft_email(_draft(raw)))
        assert msg["Content-Language"] == code


def test_markdown_lays_a_hebrew_draft_out_right_to_left() -> None:
    md = draft_markdown(_draft(HEBREW)).splitlines()
    start = md.index('<div dir="rtl" lang="he">')
    assert md[start + 1] == "" and md[start + 2] == "```text"
    assert "</div>" in md[start:]
    assert '<div dir="rtl"' not in draft_markdown(_draft(ENGLISH))


@given(st.text(alphabet=st.sampled_from("אבג שלום #@.-:/ 0123 abcXYZ ₪,()\n"), max_size=80))
def test_isolating_only_adds_invisible_marks_and_is_idempotent(text: str) -> None:
    out = isolate_ltr(text)
    assert out.replace(LRI, "").replace(PDI, "") == text
    assert isolate_ltr(out) == out
    assert out.count(LRI) == out.count(PDI)
