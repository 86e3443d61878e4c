"""The shape of a read message, and the small text helpers every reader of it shares
(here, not in the package's ``__init__``, so that ``mime`` imports no facade)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields


@dataclass(slots=True)
class Message:
    """A customer message, read and cleaned."""

    body: str
    subject: str = ""
    from_name: str = ""
    from_email: str = ""
    to: str = ""
    date: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    is_email: bool = False
    # The decoded text before quotes and signature were stripped, and what was stripped.
    full_text: str = ""
    quoted: str = ""
    signature: str = ""
    # The header that marks a machine's reply ("Auto-Submitted: auto-replied", RFC 3834;
    # X-Autoreply, X-Autorespond, Precedence: auto_reply), as "Name: value"; "" for a person's.
    auto_submitted: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "body": self.body,
            "subject": self.subject,
            "from_name": self.from_name,
            "from_email": self.from_email,
            "message_id": self.message_id,
            "references": list(self.references),
            "is_email": self.is_email,
        }


_FIELDS = tuple(f.name for f in fields(Message))

# C0 and C1 controls but tab and newline: in a header they only ever serve to drive a
# terminal (ESC [2J, OSC ... BEL), so they are dropped from every header-borne field.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    """``text`` with C0/C1 control characters (not tab or newline) removed."""
    return _CONTROLS.sub("", text) if _CONTROLS.search(text) else text


def html_to_text(html: str, marks: bool = False) -> str:
    """Readable text from an HTML body: block elements become line breaks."""
    # html.parser is imported only for HTML mail, which is rare.
    from .html import html_to_text as _html_to_text

    return _html_to_text(html, marks=marks)


# The tags an HTML body opens with, as pasted or mislabelled: whole documents, and the
# fragments webmails and editors put on the clipboard.
_HTML_START = re.compile(
    r"<(?:!doctype\s+html|!--|html|head|body|div|p|table|meta|span|br|font|b|i|u|strong|em|center|blockquote|style"
    r"|o:p|ul|ol|li|h[1-6]|a\s|img|section|article|tr|td)[\s/>]"
)
# Line-break tags in running text ("Hello<br>My lamp ..."): two of them make it HTML.
_HTML_BREAKS = re.compile(r"<br\s*/?>|</(?:p|div)>")


def looks_like_html(text: str) -> bool:
    """A text/plain part (or pasted text) that really holds HTML (some senders mislabel)."""
    head = text[:600].lstrip().lower()
    if head[:1] == "<" and _HTML_START.match(head):
        return True
    return "<" in head and len(_HTML_BREAKS.findall(head)) >= 2
