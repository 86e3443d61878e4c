"""Per-message cost of reading a message (parse + decode + strip) on 1-3 KB emails.

    .venv/bin/python benchmarks/message_speed.py

The fixture emails are padded with quoted history to 1-3 KB (the usual size of a
reply), then each is read many times. Prints microseconds per message for
``parse_message`` and, for scale, for the bare stdlib compat32 parse and for the
modern policy with ``get_body()``, and the ratios between them.
"""

from __future__ import annotations

import json
import sys
import time
from email import message_from_bytes, policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from replycoach.message import parse_message  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures" / "emails"
QUOTE = b"> Thank you for contacting Example Shop. We have received your message and will reply soon.\n"


def corpus() -> list[bytes]:
    out = []
    for path in sorted(FIXTURES.glob("*.eml")):
        raw = path.read_bytes()
        head = raw.split(b"\n\n", 1)[0].lower()
        if b"base64" in head or b"multipart" in head or b"iso-2022" in head:
            out.append(raw)
            continue
        target = 1024 + (len(out) * 97) % 2048  # spread sizes over 1-3 KB
        while len(raw) < target:
            raw += QUOTE
        out.append(raw)
    return out


def timeit(fn, items: list[bytes], rounds: int) -> float:  # type: ignore[no-untyped-def]
    """Best-of-rounds CPU time per item: process_time ignores time spent waiting for a
    core, so a busy shared machine skews the figures less than wall-clock time would."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for item in items:
            fn(item)
        best = min(best, time.process_time() - start)
    return best / len(items) * 1e6


def main() -> None:
    items = corpus()
    parse_message(items[0])  # warm the lazy imports and regex compiles
    # Interleaved rounds, so load changes during the run hit both measurements alike.
    ours, compat = float("inf"), float("inf")
    for _ in range(10):
        ours = min(ours, timeit(parse_message, items, 2))
        compat = min(compat, timeit(message_from_bytes, items, 2))
    modern = timeit(lambda b: message_from_bytes(b, policy=policy.default).get_body(("plain", "html")), items, 5)
    sizes = [len(i) for i in items]
    print(
        json.dumps(
            {
                "messages": len(items),
                "bytes_min": min(sizes),
                "bytes_mean": round(sum(sizes) / len(sizes)),
                "bytes_max": max(sizes),
                "parse_message_us": round(ours, 1),
                "compat32_parse_only_us": round(compat, 1),
                "modern_policy_get_body_us": round(modern, 1),
                "parse_message_over_compat32": round(ours / compat, 2),
                "modern_over_compat32": round(modern / compat, 2),
                "messages_per_s_one_core": round(1e6 / ours),
            }
        )
    )


if __name__ == "__main__":
    main()
