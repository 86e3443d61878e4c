"""Readable text from an HTML mail body (stdlib ``html.parser``: HTML-only mail is rare).

Mail clients mark quoted history in the HTML itself (Gmail's ``gmail_quote``,
Outlook's ``divRplyFwdMsg``, Thunderbird's ``moz-cite-prefix``, ``<blockquote
type=cite>``); with ``marks=True`` those places become marker lines that
``strip_reply`` treats as the start of quoted history, and signature containers
become a signature delimiter.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from .quotes import QUOTE_MARK
from .signature import SIG_MARK

_SKIP = frozenset({"script", "style", "head", "title", "xml", "o:p"})
_BLOCK = frozenset(
    {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "hr", "ul", "ol", "pre", "section"}
)
_CLOSE_BLOCK = frozenset({"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"})
_QUOTE_CLASSES = re.compile(
    r"gmail_quote|gmail_attr|yahoo_quoted|moz-cite-prefix|protonmail_quote|zmail_extra|OutlookMessageHeader"
    r"|divRplyFwdMsg|appendonsend|x_divRplyFwdMsg|mail-quote|reply-quote|replyQuote|quote-header"
    r"|OLK_SRC_BODY_SECTION|ms-outlook-mobile-reference-message|AppleOriginalContents|tutanota_quote|zmail_quote",
    re.IGNORECASE,
)
_SIG_CLASSES = re.compile(r"gmail_signature|moz-signature|signature", re.IGNORECASE)
_OUTLOOK_RULE = re.compile(r"border-top\s*:\s*solid", re.IGNORECASE)
_SPACE = re.compile(r"[ \t\r\n\f\u00a0]+")


class _Text(HTMLParser):
    def __init__(self, marks: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.marks = marks
        self.out: list[str] = []
        self.skip = 0
        self.quote = 0
        self.marked = False

    def _mark(self, mark: str) -> None:
        if self.marks and not (mark == QUOTE_MARK and self.marked):
            self.out.append(f"\n{mark}\n")
            self.marked = self.marked or mark == QUOTE_MARK

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if self.marks and attrs:
            values = " ".join(v for k, v in attrs if v and k in ("class", "id", "name"))
            if values and _QUOTE_CLASSES.search(values):
                self._mark(QUOTE_MARK)
            elif values and _SIG_CLASSES.search(values):
                self._mark(SIG_MARK)
            elif tag == "div" and any(k == "style" and v and _OUTLOOK_RULE.search(v) for k, v in attrs):
                self._mark(QUOTE_MARK)
        if tag == "blockquote":
            self.quote += 1
            self.out.append("\n")
        elif tag in _BLOCK:
            self.out.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            if self.skip:
                self.skip -= 1
        elif tag == "blockquote":
            if self.quote:
                self.quote -= 1
            self.out.append("\n")
        elif tag in _CLOSE_BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        data = _SPACE.sub(" ", data)
        if not data.strip() and (not self.out or self.out[-1].endswith("\n")):
            return
        if self.quote and (not self.out or self.out[-1].endswith("\n")):
            data = "> " * self.quote + data.lstrip()
        self.out.append(data)


def html_to_text(html: str, marks: bool = False) -> str:
    """Readable text from an HTML body: block elements become line breaks, quotes ``>``."""
    parser = _Text(marks)
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # html.parser is lenient, but assertion errors on broken markup exist
        pass
    lines = [line.strip() for line in "".join(parser.out).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()
