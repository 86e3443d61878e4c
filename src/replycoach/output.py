"""Turning results into text, JSON, Markdown or a reply email. No colour here: the CLI
adds colour only when drawing to a terminal."""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def terminal_safe(text: str) -> str:
    """Make control characters visible (``\\x1b`` becomes ``^[``) so customer text
    can never drive the agent's terminal; only used when writing to a terminal."""
    return _CONTROL.sub(lambda m: "^" + chr((ord(m.group(0)) + 64) % 128) if ord(m.group(0)) < 128 else "\\x9b", text)


def to_json(data: Any) -> str:
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def finding_line(f: dict[str, Any], file: str = "<draft>") -> str:
    line = f"{file}:{f['line']}:{f['column']} {f['severity']} {f['rule']} {f['message']}"
    if f.get("suggestion"):
        line += f" (suggestion: {f['suggestion']})"
    return line


def draft_markdown(result: dict[str, Any]) -> str:
    scenario = result["scenario"]
    lines = [
        f"# Reply draft ({result['playbook']})",
        "",
        _fence(result["draft"].rstrip("\n")),
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


def _fence(text: str) -> str:
    # A fence longer than any backtick run inside keeps customer text literal.
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


def draft_email(result: dict[str, Any], sender: str | None = None) -> bytes:
    """The draft as a reply message, threaded under the customer's message."""
    from email.message import EmailMessage
    from email.policy import SMTP
    from email.utils import formataddr, formatdate, make_msgid

    msg = result["message"]
    reply = EmailMessage(policy=SMTP)
    subject = (msg.get("subject") or "").strip()
    if not re.match(r"^\s*(re|aw|sv|vs|ответ)\s*:", subject, re.IGNORECASE):
        subject = f"Re: {subject}" if subject else "Re: your message"
    reply["Subject"] = subject
    if msg.get("from_email"):
        reply["To"] = formataddr((msg.get("from_name") or "", msg["from_email"]))
    if sender:
        reply["From"] = sender
    reply["Date"] = formatdate(localtime=True)
    reply["Message-ID"] = make_msgid(domain="replycoach.invalid")
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
    return reply.as_bytes()


def analysis_text(result: dict[str, Any]) -> str:
    s, t, a, u = result["scenario"], result["customer_type"], result["anger"], result["urgency"]
    ev = lambda items: f"  ({', '.join(repr(e) for e in items)})" if items else ""  # noqa: E731
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
    return "\n".join(lines) + "\n"
