"""Turning results into text, JSON, Markdown or a reply email. No colour here: the CLI
adds colour only when drawing to a terminal."""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """Make control characters visible (``\\x1b`` becomes ``^[``, C1 ``\\x9b``) so customer
    text can never drive the agent's terminal; only used when writing to a terminal."""
    return _CONTROL.sub(lambda m: _visible(ord(m.group(0))), text)


def _visible(code: int) -> str:
    return "^" + chr((code + 64) % 128) if code < 128 else f"\\x{code:02x}"


_RAW_IN_JSON = re.compile(r"[\x7f-\x9f]")


def to_json(data: Any) -> str:
    """JSON with every control character escaped: json escapes C0 itself, but leaves
    DEL and C1 (``\x9b`` is CSI to many terminals) raw with ``ensure_ascii=False``."""
    import json

    text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text) if _RAW_IN_JSON.search(text) else text


def finding_line(f: dict[str, Any], file: str = "<draft>") -> str:
    line = f"{file}:{f['line']}:{f['column']} {f['severity']} {f['rule']} {f['message']}"
    if f.get("suggestion"):
        line += f" (suggestion: {f['suggestion']})"
    return line


def at_least(findings: list[dict[str, Any]], level: str) -> list[dict[str, Any]]:
    """The findings at ``level`` or above (suggestion < warning < error)."""
    order = ("suggestion", "warning", "error")
    floor = order.index(level)
    return [f for f in findings if order.index(f["severity"]) >= floor]


def findings_text(findings: list[dict[str, Any]], reply: str, file: str) -> str:
    """Findings for a person: the linter line, the reply line with the phrase marked, and a count."""
    lines = reply.replace("\r\n", "\n").split("\n")
    out = []
    for f in findings:
        out.append(finding_line(f, file))
        if f["text"] and 0 < f["line"] <= len(lines):
            source = lines[f["line"] - 1]
            # Tabs would shift the marker; the source line is shown with them expanded to one space.
            shown = source.replace("\t", " ")
            out.append(f"    {shown}")
            out.append("    " + " " * (f["column"] - 1) + "^" * max(1, len(f["text"].split("\n")[0])))
    counts = {level: sum(1 for f in findings if f["severity"] == level) for level in ("error", "warning", "suggestion")}
    if findings:
        parts = [f"{n} {level}{'s' if n != 1 else ''}" for level, n in counts.items() if n]
        out.append(f"{len(findings)} finding{'s' if len(findings) != 1 else ''} in {file}: {', '.join(parts)}")
    else:
        out.append(f"no findings in {file}")
    return "\n".join(out) + "\n"


def draft_markdown(result: dict[str, Any]) -> str:
    scenario = result["scenario"]
    lines = [
        f"# Reply draft ({result['playbook']})",
        "",
        *_directed(_fence(result["draft"].rstrip("\n")), result.get("reply_language") or {}),
        "",
        "## Reading",
        "",
        f"- Scenario: {scenario['id']} ({scenario['confidence']:.2f})",
        f"- Customer type: {result['customer_type']['id']}",
        f"- Anger: {result['anger']['level']} ({result['anger']['score']:.2f})",
        f"- Urgency: {result['urgency']['level']}",
        f"- Deadline: {result['deadline']}",
    ]
    if result.get("missing"):
        lines.append(f"- Missing: {', '.join(result['missing'])}")
    diagnose = result["steps"]["diagnose"]
    if diagnose.get("cause") or diagnose.get("note"):
        lines.append(f"- Root cause (internal): {diagnose.get('cause', '')} {diagnose.get('note', '')}".rstrip())
    if result["findings"]:
        lines += ["", "## Findings", ""]
        lines += [
            f"- line {f['line']}:{f['column']} **{f['severity']}** `{f['rule']}`: {f['message']}"
            for f in result["findings"]
        ]
    return "\n".join(lines) + "\n"


def _directed(block: str, reply_lang: dict[str, Any]) -> list[str]:
    """A right-to-left draft inside an HTML block that says so (CommonMark parses the
    fenced block between the blank lines; renderers then lay it out right to left)."""
    if not reply_lang.get("rtl"):
        return [block]
    return [f'<div dir="rtl" lang="{reply_lang["code"]}">', "", block, "", "</div>"]


def _fence(text: str) -> str:
    # A fence longer than any backtick run inside keeps customer text literal.
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def draft_email(result: dict[str, Any], sender: str | None = None) -> bytes:
    """The draft as a reply message, threaded under the customer's message. ``sender``
    (the ``from`` setting, "Name <address>") is its From: and names the domain of its
    Message-ID; without one the ID is in ``replycoach.invalid``."""
    from email.headerregistry import Address
    from email.message import EmailMessage
    from email.policy import SMTP, SMTPUTF8
    from email.utils import formataddr, formatdate, make_msgid, parseaddr

    from replycoach.message import without_controls

    msg = result["message"]
    # The SMTP policy writes non-ASCII header text as RFC 2047 encoded words; controls
    # would pass through raw (a Message given to the API is not read by message.mime).
    # An address with non-ASCII (josé@exämple.com) cannot be encoded: it needs RFC 6532.
    reply = EmailMessage(policy=SMTP if (msg.get("from_email") or "").isascii() else SMTPUTF8)
    subject = " ".join(without_controls(msg.get("subject") or "").split())
    if not re.match(r"^\s*(re|aw|sv|vs|ответ)\s*:", subject, re.IGNORECASE):
        subject = f"Re: {subject}" if subject else "Re: your message"
    reply["Subject"] = subject
    if msg.get("from_email"):
        name = " ".join(without_controls(msg.get("from_name") or "").split())
        addr = without_controls(msg["from_email"])
        local, at, to_domain = addr.rpartition("@")
        # An Address, not a formatted string: the policy then quotes or encodes the name
        # as one unit (a quoted name with non-ASCII lost its quotes when folded).
        reply["To"] = Address(display_name=name, username=local, domain=to_domain) if at else formataddr((name, addr))
    sender_name, address = parseaddr(without_controls(sender or ""))
    domain = address.rpartition("@")[2] if "@" in address else ""
    if domain:
        reply["From"] = formataddr((sender_name, address))
    reply["Date"] = formatdate(localtime=True)
    reply["Message-ID"] = make_msgid(domain=domain or "replycoach.invalid")
    original = (msg.get("message_id") or "").strip()
    refs = list(msg.get("references") or [])
    if original:
        reply["In-Reply-To"] = original
        if original not in refs:
            refs.append(original)
    if refs:
        reply["References"] = " ".join(refs)
    reply["X-Replycoach-Playbook"] = result["playbook"]
    reply.set_content(result["draft"])
    reply_lang = result.get("reply_language") or {}
    if reply_lang.get("code"):
        # After set_content, which clears every Content-* header.
        reply["Content-Language"] = reply_lang["code"]
    return reply.as_bytes()


def analysis_text(result: dict[str, Any]) -> str:
    s, t, a, u = result["scenario"], result["customer_type"], result["anger"], result["urgency"]

    def ev(items: list[Any]) -> str:
        return f"  ({', '.join(repr(e) for e in items)})" if items else ""

    lines = [
        f"scenario:  {s['id']} {s['confidence']:.2f}{ev(s['evidence'])}",
        f"type:      {t['id']}{ev(t['evidence'])}",
        f"anger:     {a['level']} {a['score']:.2f}{ev(a['evidence'])}",
        f"urgency:   {u['level']}{ev(u['evidence'])}",
        f"language:  {result['language']}",
    ]
    if "complaint" in result:
        lines.append(f"complaint: {'yes' if result['complaint'] else 'no'}{ev(result.get('complaint_evidence', []))}")
    for risk in result["risks"]:
        lines.append(f"risk:      {risk['id']}{ev(risk['evidence'])}")
    for key, values in result["entities"].items():
        if values:
            lines.append(f"{key + ':':<10} {', '.join(values)}")
    wants = result["wants"]
    lines.append(f"wants:     {wants['text'] if wants['stated'] else '(not stated: ask what would make it right)'}")
    if result["missing"]:
        lines.append(f"missing:   {', '.join(result['missing'])}")
    lines += history_lines(result.get("history"))
    return "\n".join(lines) + "\n"


def history_lines(history: dict[str, Any] | None) -> list[str]:
    """The sender's earlier complaints and open promises (from the complaint log)."""
    if history and history.get("error"):
        return [f"history:   unavailable ({history['error']})"]
    if not history or not history.get("complaints"):
        return []
    earlier = ", ".join(f"{e['date'][:10]} {e['scenario']}" for e in history["earlier"])
    more = "" if len(history["earlier"]) == history["complaints"] else ", …"
    lines = [
        f"history:   {history['complaints']} earlier complaint(s), {history['last_90_days']} in 90 days"
        f" ({earlier}{more})"
    ]
    for p in history["open_promises"]:
        late = ", overdue" if p["overdue"] else ""
        lines.append(f"promised:  #{p['id']} {p['promise']} (due {p['due'][:16].replace('T', ' ')}{late})")
    return lines
