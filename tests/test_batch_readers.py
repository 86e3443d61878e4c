"""The streaming readers: message boundaries, counts for the progress bar, sniffing."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replycoach.batch import readers
from replycoach.batch.sinks import file_stem
from replycoach.foundation.errors import InputError

from .test_batch_cli import variant, write_mbox


def test_mbox_split_keeps_bodies_exact_and_handles_crlf() -> None:
    data = (
        b"From a@b Mon Jan 1 00:00:00 2026\r\nSubject: one\r\n\r\nFrom the start.\r\n\r\nFrom 9 to 5 I wait.\r\n\r\n"
        b"From a@b Mon Jan 1 00:00:01 2026\r\nSubject: two\r\n\r\n>From quoted\r\n>>From twice\r\nFrom unquoted\r\n"
    )
    assert list(readers.mbox_split(io.BytesIO(data))) == [
        b"Subject: one\r\n\r\nFrom the start.\r\n\r\nFrom 9 to 5 I wait.\r\n",
        b"Subject: two\r\n\r\nFrom quoted\r\n>From twice\r\nFrom unquoted\r\n",
    ]


def test_counts_match_what_is_read(tmp_path) -> None:
    box = write_mbox(tmp_path / "big", [variant(n % 50) for n in range(1500)])  # > 1 MiB: several read blocks
    assert box.stat().st_size > 1 << 20
    sources = readers.open_sources([str(box)])
    assert readers.count(sources) == 1500 == sum(1 for _ in sources[0].items())
    jl = tmp_path / "m.jsonl"
    jl.write_text("\n".join(json.dumps({"id": n, "message": "x"}) for n in range(7)))  # no final newline
    assert readers.count(readers.open_sources([str(jl)])) == 7
    assert readers.count(readers.open_sources(["-"])) is None  # stdin: no total, no ETA


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("a.mbox", b"From x Mon Jan 1 00:00:00 2026\nSubject: s\n\nhi\n", "mbox"),
        ("a.data", b'{"id": 1, "message": "hi"}\n', "jsonl"),
        ("a.jsonl", b"\n\n", "jsonl"),
        ("a.eml", b"Subject: hi\nFrom: a@b.c\n\nbody\n", "eml"),
        ("noext", b"Subject: hi\nFrom: a@b.c\n\nbody\n", "eml"),
        ("empty", b"", "mbox"),
    ],
)
def test_sniffing(tmp_path, name, data, kind) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert readers.open_sources([str(path)])[0].kind == kind


def test_no_inputs_is_a_usage_error() -> None:
    with pytest.raises(Exception, match="give at least one INPUT"):
        readers.open_sources([])


def test_unreadable_file_is_unusable(tmp_path) -> None:
    with pytest.raises(InputError, match="no such file or folder"):
        readers.open_sources([str(tmp_path / "nope.mbox")])


def test_file_stems_are_safe_and_distinct() -> None:
    assert file_stem("inbox.12") == "inbox.12"
    assert file_stem("a/b") != file_stem("a_b") == "a_b"
    assert file_stem("../../etc/passwd").startswith("_.._etc_passwd~")
    assert file_stem(".hidden").startswith("hidden~")


def _line_by_line_split(data: bytes) -> list[bytes]:
    """The mbox rule stated on its own, on the whole data at once: the oracle the
    streaming reader must agree with."""
    import re

    envelope = re.compile(rb"From \S+ .*\b\d{1,2}:\d\d")
    quoted = re.compile(rb">+From ")
    out: list[bytes] = []
    current: list[bytes] = []
    started, blank = False, True
    for line in io.BytesIO(data):
        if blank and line.startswith(b"From ") and envelope.match(line):
            if started:
                out.append(b"".join(current[:-1] if current and current[-1] in (b"\n", b"\r\n") else current))
            current, started, blank = [], True, False
            continue
        if not started:
            continue
        if line[:1] == b">" and quoted.match(line):
            line = line[1:]
        current.append(line)
        blank = line in (b"\n", b"\r\n")
    if started:
        out.append(b"".join(current[:-1] if current and current[-1] in (b"\n", b"\r\n") else current))
    return out


_PIECES = [
    b"From a@b Mon Jan 1 00:00:00 2026\n",
    b"From a@b Mon Jan 1 00:00:00 2026\r\n",
    b"From a@b Mon Jan 1 00:00:00 2026",
    b"From the start.\n",
    b"From 9 to 5 at 10:30\n",
    b">From quoted\n",
    b">>From twice\r\n",
    b"Subject: s\n",
    b"body text\n",
    b"\n",
    b"\r\n",
    b"\r",
    b"junk",
]


@given(st.lists(st.sampled_from(_PIECES), max_size=40), st.integers(min_value=0, max_value=40))
def test_the_reader_splits_like_the_rule(pieces: list[bytes], head_size: int) -> None:
    data = b"".join(pieces)
    # The head is what was read before the reader started (standard input's first line,
    # sniffed); here it may end anywhere, even inside a line.
    stream = io.BytesIO(data[head_size:])
    assert list(readers.mbox_split(stream, data[:head_size])) == _line_by_line_split(data)
