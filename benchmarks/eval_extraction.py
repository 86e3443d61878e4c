"""Score reply extractors on tests/fixtures/emails: one JSON line per candidate.

    .venv/bin/pip install -e '.[bench]'      # quotequail, mail-parser-reply, email-reply-parser
    .venv/bin/python benchmarks/eval_extraction.py [--verbose]

Every candidate gets the same decoded text (our MIME reading: charset, HTML to text),
so only the quote/signature extraction is compared. A case passes when the extracted
body equals the expected body with runs of whitespace collapsed. Libraries that are
not installed are reported as skipped. Also prints the per-message cost of each.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from replycoach.foundation.errors import ReplycoachError  # noqa: E402
from replycoach.message import parse_message  # noqa: E402
from replycoach.message.quotes import strip_reply, strip_signature  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "emails"


def load_cases() -> list[tuple[str, bytes, str, str, str]]:
    """(name, raw bytes, decoded full text, sender name, expected body)."""
    cases = []
    for path in sorted(FIXTURES.iterdir()):
        if path.name.endswith(".expected.txt"):
            continue
        expected = (FIXTURES / (path.name.rsplit(".", 1)[0] + ".expected.txt")).read_text("utf-8")
        raw = path.read_bytes()
        try:
            msg = parse_message(raw)
        except ReplycoachError:  # refused: fails for every candidate
            cases.append((path.name, raw, "", "", expected))
            continue
        cases.append((path.name, raw, msg.full_text, msg.from_name, expected))
    return cases


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _ours(text: str, sender: str) -> str:
    return strip_reply(text, sender)[0]


def _with_our_signature(extract: Callable[[str], str]) -> Callable[[str, str], str]:
    """A library's quote removal followed by our signature stripping (not our quote removal)."""
    return lambda text, sender: strip_signature(extract(text), sender)[0]


def candidates() -> dict[str, Callable[[str, str], str] | None]:
    out: dict[str, Callable[[str, str], str] | None] = {"replycoach": _ours}
    try:
        import quotequail

        def qq(text: str) -> str:
            return "\n".join(part for is_reply, part in quotequail.quote(text, quote_intro_line=True) if is_reply)

        out["quotequail"] = lambda text, sender: qq(text)
        out["quotequail+replycoach-signature"] = _with_our_signature(qq)
    except ImportError:
        out["quotequail"] = None
    try:
        from mailparser_reply import EmailReplyParser as MPR
        from mailparser_reply.constants import MAIL_LANGUAGES

        parser = MPR(languages=list(MAIL_LANGUAGES))

        def mpr(text: str) -> str:
            return parser.parse_reply(text) or ""

        out["mail-parser-reply"] = lambda text, sender: mpr(text)
        out["mail-parser-reply+replycoach-signature"] = _with_our_signature(mpr)
    except ImportError:
        out["mail-parser-reply"] = None
    try:
        from email_reply_parser import EmailReplyParser as ERP

        def erp(text: str) -> str:
            return ERP.parse_reply(text) or ""

        out["email-reply-parser"] = lambda text, sender: erp(text)
        out["email-reply-parser+replycoach-signature"] = _with_our_signature(erp)
    except ImportError:
        out["email-reply-parser"] = None
    return out


def main() -> None:
    verbose = "--verbose" in sys.argv
    cases = load_cases()
    for name, fn in candidates().items():
        if fn is None:
            print(json.dumps({"candidate": name, "skipped": "not installed (pip install -e '.[bench]')"}))
            continue
        passed = 0
        failed: list[str] = []
        start = time.process_time()  # CPU time: steadier than wall clock on a shared machine
        for case, _raw, text, sender, expected in cases:
            try:
                got = fn(text, sender)
            except Exception as exc:  # a library crashing on a case is a failed case
                got = f"<{type(exc).__name__}>"
            if _norm(got) == _norm(expected):
                passed += 1
            else:
                failed.append(case)
        elapsed = time.process_time() - start
        line = {
            "candidate": name,
            "passed": passed,
            "total": len(cases),
            "rate": round(passed / len(cases), 3),
            "us_per_message": round(elapsed / len(cases) * 1e6, 1),
        }
        if verbose:
            line["failed"] = failed
        print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    main()
