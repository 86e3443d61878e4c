"""Inputs for the message reader's equivalence tests: every fixture and sample, the
analysis CSV texts, mailgen emails, and mangled variants (CRLF, str input, cut short).

``python -m tests.message_corpus`` rewrites tests/golden/message_digests.json from the
current reader: do that only when a change of behaviour is intended.
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "message_digests.json"
MAILGEN_COUNT = 1200


def _mailgen(count: int, seed: int) -> Iterator[bytes]:
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import mailgen
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    yield from mailgen.messages(count, seed)


def _variants(name: str, raw: bytes) -> Iterator[tuple[str, bytes | str]]:
    yield name, raw
    yield name + ":crlf", raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    yield name + ":str", raw.decode("utf-8", "replace")
    for k in (3, 2):
        yield f"{name}:cut{k}", raw[: len(raw) * (k - 1) // k]


def corpus() -> Iterator[tuple[str, bytes | str]]:
    fixtures = ROOT / "tests" / "fixtures"
    for path in sorted([*fixtures.rglob("*.eml"), *fixtures.rglob("*.txt"), *(ROOT / "samples").iterdir()]):
        if path.is_file():
            yield from _variants(str(path.relative_to(ROOT)), path.read_bytes())
    for path in sorted((fixtures / "analysis").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                yield f"{path.name}:{row['id']}", row["text"]
    for seed in (4, 11):
        for n, raw in enumerate(_mailgen(MAILGEN_COUNT, seed)):
            if n % 4 == 0:
                yield from _variants(f"mailgen{seed}:{n}", raw)
            else:
                yield f"mailgen{seed}:{n}", raw


# Message fields added after the digests were first recorded (see ``digest``).
_LATER = frozenset({"auto_submitted"})


def digest(data: bytes | str) -> str:
    """A short fingerprint of everything ``parse_message`` returns (or raises)."""
    from replycoach.foundation.errors import InputError
    from replycoach.message import _FIELDS, parse_message

    try:
        msg = parse_message(data)
        # A field added later counts only where it is set: the digests of every message
        # without it stay the ones recorded before it existed.
        out = repr([getattr(msg, name) for name in _FIELDS if name not in _LATER or getattr(msg, name)])
    except InputError as exc:
        out = "InputError: " + str(exc)
    return hashlib.sha256(out.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def main() -> None:
    digests = {name: digest(data) for name, data in corpus()}
    GOLDEN.write_text(json.dumps(digests, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{GOLDEN}: {len(digests)} digests")


if __name__ == "__main__":
    main()
