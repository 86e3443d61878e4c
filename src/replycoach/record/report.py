"""The team report: what went wrong, why, and whether promises were kept.

``build`` aggregates logged rows into plain data (the ``--format json`` shape);
``text``, ``csv_text`` and ``html`` render it. Aggregation is done here in Python,
not in SQL, so SQLite and PostgreSQL give the same numbers by construction. The rich
terminal view lives CLI-side (``report_view``); nothing here imports rich.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from replycoach.foundation.errors import UsageError

BY = ("scenario", "cause", "type", "week", "agent")
LEVELS = ("none", "low", "medium", "high")
NONE_LABEL = {"cause": "(not diagnosed)", "agent": "(unknown agent)"}


def parse_since(value: str | None) -> str | None:
    """``--since 2026-11-01`` (or a full ISO date-time) as a UTC timestamp text."""
    if not value:
        return None
    from replycoach.record.store import utc_text

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(value), time())
        except ValueError:
            raise UsageError(f"expected a date as YYYY-MM-DD, got {value!r}", field="--since") from None
    return utc_text(moment if moment.tzinfo else moment.astimezone())


def _week(created_at: str) -> str:
    year, week, _ = datetime.fromisoformat(created_at.replace("Z", "+00:00")).isocalendar()
    return f"{year}-W{week:02d}"


def _key(row: dict[str, Any], by: str) -> str:
    value = {
        "scenario": row["scenario"],
        "cause": row["cause"],
        "type": row["customer_type"],
        "week": _week(row["created_at"]),
        "agent": row["agent"],
    }[by]
    return value or NONE_LABEL.get(by, "(none)")


def _promise_state(row: dict[str, Any], now_utc: str) -> str | None:
    if not row["promise"] or not row["due_utc"]:
        return None
    if row["done_at"]:
        return "kept_on_time" if row["done_at"] <= row["due_utc"] else "late"
    return "overdue" if row["due_utc"] < now_utc else "pending"


def local_text(stamp: str, tz: tzinfo) -> str:
    """A stored UTC time as the reader's clock says it, with the zone: ``2026-11-23 10:00 CET``."""
    from replycoach.record.store import parse_utc

    moment = parse_utc(stamp).astimezone(tz)
    return f"{moment:%Y-%m-%d %H:%M} {moment.tzname() or moment.strftime('%z')}"


def _label(row: dict[str, Any], labels: dict[tuple[str, str], str]) -> str:
    # A cause id means what the playbook it was chosen in says; an id no playbook has shows as is.
    cause = row["cause"]
    if not cause:
        return NONE_LABEL["cause"]
    return str(labels.get((row["playbook"], cause), cause))


def _overdue_item(row: dict[str, Any], now_utc: str, tz: tzinfo) -> dict[str, Any]:
    from replycoach.record.store import parse_utc

    late = parse_utc(now_utc) - parse_utc(row["due_utc"])
    return {
        "id": row["id"],
        "sender": {"email": row["sender_email"], "name": row["sender_name"]},
        "agent": row["agent"],
        "promise": row["promise"],
        "due": row["deadline"],
        "due_local": local_text(row["due_utc"], tz),
        "days_overdue": late.days,
    }


def build(
    rows: list[dict[str, Any]],
    *,
    by: str = "scenario",
    since: str | None = None,
    now: datetime | None = None,
    tz: tzinfo | None = None,
    labels: dict[tuple[str, str], str] | None = None,
) -> dict[str, Any]:
    """Aggregate decoded log rows (``logbook.rows``) into the report's data.

    ``tz`` is the reader's zone for the ``*_local`` texts (default: ``now``'s, else the
    machine's); ``labels`` maps (playbook id, cause id) to the playbook's cause label.
    """
    from replycoach.record.store import utc_text

    if by not in BY:
        raise UsageError(f"expected one of {', '.join(BY)}, got {by!r}", field="--by")
    moment = now or datetime.now(UTC)
    zone = tz or (moment.tzinfo if now is not None and moment.tzinfo else datetime.now().astimezone().tzinfo)
    assert zone is not None
    labels = labels or {}
    now_utc = utc_text(moment)
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        groups[_key(row, by)].append(row)
    total = len(rows)

    def stats(items: list[dict[str, Any]]) -> dict[str, Any]:
        states = Counter(_promise_state(r, now_utc) for r in items)
        return {
            "count": len(items),
            "share": round(len(items) / total, 3) if total else 0.0,
            "anger_avg": round(sum(r["anger_score"] for r in items) / len(items), 3) if items else 0.0,
            "high_anger": sum(1 for r in items if r["anger_level"] == "high"),
            "promises": sum(v for k, v in states.items() if k),
            "kept_on_time": states["kept_on_time"],
            "late": states["late"],
            "overdue": states["overdue"],
            "pending": states["pending"],
        }

    order = sorted(groups) if by == "week" else sorted(groups, key=lambda k: (-len(groups[k]), k))
    weeks = Counter(_week(r["created_at"]) for r in rows)
    days = Counter(r["created_at"][:10] for r in rows)
    day_series = []
    if rows:  # every day from the first to the last, quiet days included
        day, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
        while day <= last:
            day_series.append({"day": day.isoformat(), "count": days.get(day.isoformat(), 0)})
            day = date.fromordinal(day.toordinal() + 1)
    causes: dict[str, list[dict[str, Any]]] = defaultdict(list)
    cause_labels: dict[str, str] = {}
    for row in rows:
        causes[row["cause"] or NONE_LABEL["cause"]].append(row)
        cause_labels.setdefault(row["cause"] or NONE_LABEL["cause"], _label(row, labels))
    by_anger: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        by_anger[row["scenario"]][row["anger_level"]] += 1
    promise_states = Counter(_promise_state(r, now_utc) for r in rows)
    due = sum(promise_states[k] for k in ("kept_on_time", "late", "overdue"))
    overdue = sorted(
        (r for r in rows if _promise_state(r, now_utc) == "overdue"), key=lambda r: (r["due_utc"], r["id"])
    )
    return {
        "since": since,
        "by": by,
        "generated": now_utc,
        "generated_local": local_text(now_utc, zone),
        "first_local": local_text(rows[0]["created_at"], zone) if rows else None,
        "last_local": local_text(rows[-1]["created_at"], zone) if rows else None,
        "total": total,
        "senders": len({r["sender_email"] for r in rows if r["sender_email"]}),
        "anger_avg": round(sum(r["anger_score"] for r in rows) / total, 3) if total else 0.0,
        "first": rows[0]["created_at"] if rows else None,
        "last": rows[-1]["created_at"] if rows else None,
        "groups": [{"key": k, **stats(groups[k])} for k in order],
        "weeks": [{"week": w, "count": weeks[w]} for w in sorted(weeks)],
        "days": day_series,
        "causes": [
            {
                "cause": cause,
                "count": len(items),
                # The most repeated prevention notes first: what the team keeps saying would help.
                "notes": [n for n, _ in Counter(r["note"] for r in items if r["note"]).most_common(5)],
            }
            for cause, items in sorted(causes.items(), key=lambda kv: (-len(kv[1]), kv[0]))
        ],
        "scenarios_by_anger": [
            {"scenario": s, **{lvl: by_anger[s][lvl] for lvl in LEVELS}, "count": sum(by_anger[s].values())}
            for s in sorted(by_anger, key=lambda s: (-sum(by_anger[s].values()), s))
        ],
        "promises": {
            "total": sum(v for k, v in promise_states.items() if k),
            **{k: promise_states[k] for k in ("kept_on_time", "late", "overdue", "pending")},
        },
        # Kept on time out of the promises already due: one not due yet is neither kept nor broken.
        "promises_due": {
            "due": due,
            "kept_on_time": promise_states["kept_on_time"],
            "share": round(promise_states["kept_on_time"] / due, 3) if due else None,
            "not_due_yet": promise_states["pending"],
        },
        "overdue_promises": [_overdue_item(r, now_utc, zone) for r in overdue],
        "cause_labels": dict(sorted(cause_labels.items())),
    }


def kept_share(data: dict[str, Any]) -> str:
    """ "86%" of the promises already due kept on time ("–" when none is due yet)."""
    d = data["promises_due"]
    return f"{100 * d['kept_on_time'] / d['due']:.0f}%" if d["due"] else "–"


def kept_detail(data: dict[str, Any]) -> str:
    """ "(6 of 7 due; 1 not due yet)"."""
    d = data["promises_due"]
    tail = f"; {d['not_due_yet']} not due yet" if d["not_due_yet"] else ""
    return f"({d['kept_on_time']} of {d['due']} due{tail})"


def kept_text(data: dict[str, Any]) -> str:
    """The headline: "86% kept on time (6 of 7 due; 1 not due yet)"."""
    d = data["promises_due"]
    if not d["due"]:
        return f"no promise due yet ({d['not_due_yet']} not due yet)" if d["not_due_yet"] else "no promises"
    return f"{kept_share(data)} kept on time {kept_detail(data)}"


def cause_name(data: dict[str, Any], cause: str) -> str:
    """A cause as people read it: its playbook label ("Damaged in transit by the carrier")."""
    return str(data.get("cause_labels", {}).get(cause) or cause)


def group_name(data: dict[str, Any], group: dict[str, Any]) -> str:
    return cause_name(data, group["key"]) if data["by"] == "cause" else str(group["key"])


def who_text(item: dict[str, Any]) -> str:
    sender = item["sender"]
    who = sender["name"] or sender["email"] or "(no sender)"
    if sender["name"] and sender["email"]:
        who += f" <{sender['email']}>"
    return who


def overdue_lines(data: dict[str, Any]) -> list[str]:
    """One line per overdue promise: who, what, since when."""
    lines = []
    for item in data["overdue_promises"]:
        agent = f", agent {item['agent']}" if item["agent"] else ""
        days = item["days_overdue"]
        late = f"{days} day{'s' if days != 1 else ''} late" if days else "less than a day late"
        lines.append(f"  #{item['id']} {who_text(item)}{agent}: {item['promise']} (due {item['due_local']}, {late})")
    return lines


GROUP_COLUMNS = ("key", "count", "share", "anger_avg", "high_anger", "promises", "kept_on_time", "late", "overdue")


def csv_text(data: dict[str, Any]) -> str:
    """One CSV row per group (the first column is named after ``--by``)."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([data["by"], *GROUP_COLUMNS[1:]])
    for group in data["groups"]:
        writer.writerow([_csv_safe(group["key"]), *(group[c] for c in GROUP_COLUMNS[1:])])
    return buffer.getvalue()


def _csv_safe(value: str) -> str:
    # A spreadsheet runs a cell starting with = + - @ as a formula; stored text is data.
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _bar(count: int, most: int, width: int = 30) -> str:
    return "#" * max(1 if count else 0, round(width * count / most)) if most else ""


def text(data: dict[str, Any]) -> str:
    """Plain text for pipes: a summary line and one bar per group."""
    if not data["total"]:
        return "No complaints logged" + (f" since {data['since'][:10]}" if data["since"] else "") + ".\n"
    p = data["promises"]
    lines = [
        f"{data['total']} complaint(s) from {data['senders']} sender(s), "
        f"{data['first_local'][:10]} to {data['last_local'][:10]}; average anger {data['anger_avg']:.2f}",
        f"promises: {p['total']}, kept on time {p['kept_on_time']}, late {p['late']}, "
        f"overdue {p['overdue']}, pending {p['pending']}",
        f"{kept_text(data)}, as of {data['generated_local']}",
    ]
    if data["overdue_promises"]:
        lines += ["", "overdue promises:", *overdue_lines(data)]
    lines.append("")
    keys = [group_name(data, g) for g in data["groups"]]
    width = max(len(k) for k in keys)
    most = max(g["count"] for g in data["groups"])
    lines.append(f"{data['by']:<{width}}  count  share  anger  bar")
    for key, g in zip(keys, data["groups"], strict=True):
        lines.append(
            f"{key:<{width}}  {g['count']:>5}  {g['share'] * 100:>4.0f}%  {g['anger_avg']:.2f}  "
            f"{_bar(g['count'], most)}"
        )
    causes = [c for c in data["causes"] if c["notes"]]
    if causes:
        lines += ["", "prevention notes by root cause:"]
        for c in causes:
            lines.append(f"  {cause_name(data, c['cause'])} ({c['count']}): " + "; ".join(c["notes"]))
    return "\n".join(lines) + "\n"


# --- the HTML page ------------------------------------------------------------------

_COLOURS = {"none": "#9ccc65", "low": "#ffd54f", "medium": "#ffa726", "high": "#e53935"}
_PROMISE_COLOURS = {
    "kept_on_time": ("#43a047", "kept on time"),
    "late": ("#ffa726", "kept late"),
    "overdue": ("#e53935", "overdue"),
    "pending": ("#90a4ae", "not yet due"),
}

_CSS = """
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1d2430}
main{max-width:980px;margin:0 auto;padding:28px 20px 60px}
h1{font-size:26px;margin:0 0 4px}h2{font-size:18px;margin:0 0 12px}
.sub{color:#5b6575;margin:0 0 22px}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:12px;margin-bottom:22px}
.card{background:#fff;border-radius:10px;padding:14px 16px;box-shadow:0 1px 2px #0001}
.card b{display:block;font-size:26px}.card span{color:#5b6575;font-size:13px}
section{background:#fff;border-radius:10px;padding:18px 20px;margin-bottom:18px;box-shadow:0 1px 2px #0001}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e7e9ee;vertical-align:top}
th{color:#5b6575;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
.legend span{display:inline-block;margin-right:14px;font-size:13px}
.legend i{display:inline-block;width:11px;height:11px;border-radius:2px;margin-right:5px;vertical-align:-1px}
svg text{font:12px system-ui,sans-serif;fill:#1d2430}
ul{margin:4px 0 0;padding-left:18px}
"""


def _e(value: Any) -> str:
    import html

    return html.escape(str(value), quote=True)


def _svg_columns(weeks: list[dict[str, Any]]) -> str:
    """Complaints per period (``{"week"|"label": …, "count": n}``) as vertical bars."""
    if not weeks:
        return "<p>No data.</p>"
    width, height, pad = 900, 220, 30
    most = max(w["count"] for w in weeks) or 1
    step = (width - pad * 2) / len(weeks)
    bar = min(64.0, max(4.0, step * 0.7))
    parts = [f'<svg viewBox="0 0 {width} {height + 40}" width="100%" role="img" aria-label="complaints per week">']
    parts.append(f'<line x1="{pad}" y1="{height}" x2="{width - pad}" y2="{height}" stroke="#c5cad3"/>')
    for i, w in enumerate(weeks):
        h = (height - 30) * w["count"] / most
        x = pad + i * step + (step - bar) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{height - h:.1f}" width="{bar:.1f}" height="{h:.1f}" rx="3" fill="#3f6ad8">'
            f"<title>{_e(w['title'])}: {w['count']}</title></rect>"
        )
        parts.append(f'<text x="{x + bar / 2:.1f}" y="{height - h - 5:.1f}" text-anchor="middle">{w["count"]}</text>')
        if len(weeks) <= 26 or i % max(1, len(weeks) // 13) == 0:
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{height + 16}" text-anchor="middle">{_e(w["label"])}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _svg_hbars(items: list[tuple[str, list[tuple[int, str, str]]]], label_width: int = 200) -> str:
    """Horizontal (optionally stacked) bars: (label, [(value, colour, title), …]) per row."""
    if not items:
        return "<p>No data.</p>"
    width, row_h = 900, 26
    most = max(sum(v for v, _, _ in segs) for _, segs in items) or 1
    span = width - label_width - 50
    parts = [f'<svg viewBox="0 0 {width} {row_h * len(items) + 6}" width="100%" role="img">']
    for i, (label, segs) in enumerate(items):
        y = i * row_h + 3
        parts.append(f'<text x="{label_width - 8}" y="{y + 15}" text-anchor="end">{_e(label[:32])}</text>')
        x = float(label_width)
        for value, colour, title in segs:
            if not value:
                continue
            w = span * value / most
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 8}" fill="{colour}">'
                f"<title>{_e(title)}: {value}</title></rect>"
            )
            if len(segs) > 1 and w >= 24:  # stacked: each part's count inside it
                parts.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 14}" text-anchor="middle" style="fill:#fff">{value}</text>'
                )
            x += w
        parts.append(f'<text x="{x + 6:.1f}" y="{y + 15}">{sum(v for v, _, _ in segs)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _legend(entries: list[tuple[str, str]]) -> str:
    return (
        '<p class="legend">'
        + "".join(f'<span><i style="background:{c}"></i>{_e(label)}</span>' for c, label in entries)
        + "</p>"
    )


def html(data: dict[str, Any], *, title: str = "Complaint report") -> str:
    """One self-contained page: inline CSS and SVG, no scripts, no external assets.

    Every stored text (scenario ids, causes, notes, agents) is HTML-escaped: it came
    from agents' answers and customers' messages and is data, never markup.
    """
    # A week or a month of use reads best per day; longer spans per ISO week.
    if data["days"] and len(data["days"]) <= 35:
        period_name = "day"
        timeline = [
            {"title": d["day"], "label": date.fromisoformat(d["day"]).strftime("%a %d"), "count": d["count"]}
            for d in data["days"]
        ]
    else:
        period_name = "week"
        timeline = [{"title": w["week"], "label": w["week"][5:], "count": w["count"]} for w in data["weeks"]]
    p = data["promises"]
    period = f"{data['first_local'][:10]} – {data['last_local'][:10]}" if data["total"] else "no complaints logged"
    if data["since"]:
        period += f" (since {data['since'][:10]})"
    cards = [
        (data["total"], "complaints"),
        (data["senders"], "customers"),
        (f"{data['anger_avg']:.2f}", "average anger (0–1)"),
        (kept_share(data), "promises kept on time " + kept_detail(data)),
    ]
    causes = data["causes"][:10]
    cause_rows = "".join(
        f"<tr><td>{_e(cause_name(data, c['cause']))}</td><td class=n>{c['count']}</td><td>"
        + ("<ul>" + "".join(f"<li>{_e(n)}</li>" for n in c["notes"]) + "</ul>" if c["notes"] else "—")
        + "</td></tr>"
        for c in causes
    )
    group_rows = "".join(
        f"<tr><td>{_e(group_name(data, g))}</td><td class=n>{g['count']}</td><td class=n>{g['share'] * 100:.0f}%</td>"
        f"<td class=n>{g['anger_avg']:.2f}</td><td class=n>{g['high_anger']}</td><td class=n>{g['promises']}</td>"
        f"<td class=n>{g['kept_on_time']}</td><td class=n>{g['late']}</td><td class=n>{g['overdue']}</td></tr>"
        for g in data["groups"]
    )
    overdue_table = (
        "<h2>Overdue promises</h2><table><tr><th>#</th><th>customer</th><th>agent</th><th>promise</th>"
        "<th>due</th></tr>"
        + "".join(
            f"<tr><td class=n>{i['id']}</td><td>{_e(who_text(i))}</td><td>{_e(i['agent'] or '—')}</td>"
            f"<td>{_e(i['promise'])}</td><td>{_e(i['due_local'])}</td></tr>"
            for i in data["overdue_promises"]
        )
        + "</table>"
        if data["overdue_promises"]
        else ""
    )
    anger_chart = _svg_hbars(
        [
            (s["scenario"], [(s[lvl], _COLOURS[lvl], f"{lvl} anger") for lvl in LEVELS])
            for s in data["scenarios_by_anger"]
        ]
    )
    promise_chart = _svg_hbars(
        [("promises", [(p[k], colour, label) for k, (colour, label) in _PROMISE_COLOURS.items()])]
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="replycoach">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>{_e(title)}</h1>
<p class="sub">{_e(period)} · generated {_e(data["generated_local"])}</p>
<div class="cards">{"".join(f"<div class=card><b>{_e(v)}</b><span>{_e(label)}</span></div>" for v, label in cards)}</div>
<section id="over-time"><h2>Complaints over time (per {period_name})</h2>{_svg_columns(timeline)}</section>
<section id="causes"><h2>Top root causes and what would prevent them</h2>
{_svg_hbars([(cause_name(data, c["cause"]), [(c["count"], "#7e57c2", "complaints")]) for c in causes])}
<table><tr><th>root cause</th><th>complaints</th><th>prevention notes (most repeated first)</th></tr>{cause_rows}</table>
</section>
<section id="anger"><h2>Scenarios by anger</h2>
{_legend([(_COLOURS[lvl], f"{lvl} anger") for lvl in LEVELS])}{anger_chart}</section>
<section id="promises"><h2>Promises kept on time</h2>
{_legend([(c, label) for c, label in _PROMISE_COLOURS.values()])}{promise_chart}{overdue_table}</section>
<section id="by"><h2>By {_e(data["by"])}</h2>
<table><tr><th>{_e(data["by"])}</th><th>complaints</th><th>share</th><th>avg anger</th><th>high anger</th>
<th>promises</th><th>on time</th><th>late</th><th>overdue</th></tr>{group_rows}</table></section>
</main>
</body>
</html>
"""
