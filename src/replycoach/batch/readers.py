"""Reading a batch's inputs: mbox files, Maildir folders, folders of ``.eml``/``.txt``
files, single emails and JSONL, streamed one message at a time, never loaded whole.

Only an input that cannot be read at all (a missing path, a file that is no mailbox)
stops the batch, before anything is drafted; an unreadable message inside one becomes
an ``Item`` with an error, and the batch goes on.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from replycoach.foundation.errors import InputError, UsageError


@dataclass(slots=True)
class Item:
    """One message to draft: ``raw`` is None when it could not even be read."""

    id: str
    source: str
    raw: bytes | None
    error: str | None = None


@dataclass(slots=True)
class Source:
    """One INPUT argument, already checked to be usable."""

    path: str  # "-" for standard input
    kind: str  # mbox | maildir | dir | jsonl | eml
    name: str = ""

    def items(self) -> Iterator[Item]:
        if self.kind == "maildir":
            return _maildir_items(self)
        if self.kind == "dir":
            return _dir_items(self)
        if self.kind == "eml":
            return _eml_item(self)
        return _stream_items(self)

    def count(self) -> int | None:
        """How many messages, when that is cheap to know (for the progress bar's ETA)."""
        if self.path == "-":
            return None
        if self.kind == "maildir":
            return sum(1 for _ in _maildir_files(Path(self.path)))
        if self.kind == "dir":
            return sum(1 for _ in _dir_files(Path(self.path)))
        if self.kind == "eml":
            return 1
        with open(self.path, "rb") as fh:
            return _count_stream(fh, self.kind)


def open_sources(paths: list[str]) -> list[Source]:
    """Check every INPUT before anything is drafted: an unusable one is exit 2."""
    if not paths:
        raise UsageError("give at least one INPUT (mbox, Maildir, folder of .eml, JSONL, or - for stdin)")
    sources = []
    for path in paths:
        if path == "-":
            sources.append(Source("-", "stdin", "stdin"))
            continue
        p = Path(path)
        if p.is_dir():
            if all((p / sub).is_dir() for sub in ("cur", "new")):
                sources.append(Source(path, "maildir", p.name))
            else:
                sources.append(Source(path, "dir", p.name))
            continue
        try:
            with open(p, "rb") as fh:
                head = fh.read(8192)
        except FileNotFoundError:
            raise InputError("no such file or folder", file=path) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", file=path) from None
        sources.append(Source(path, _sniff(head, path), p.name))
    return sources


def _sniff(head: bytes, path: str) -> str:
    from replycoach.message import looks_like_email

    if head.startswith(b"From "):
        return "mbox"
    if head.lstrip().startswith(b"{") or path.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if not head.strip():
        return "mbox"  # an empty mailbox: nothing to do, and that is fine
    if looks_like_email(head) or path.endswith((".eml", ".txt")):
        return "eml"
    raise InputError("not an mbox, a JSONL file or an email (give a Maildir or a folder of .eml files)", file=path)


def _stream_items(source: Source) -> Iterator[Item]:
    if source.path == "-":
        import sys

        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
        if stream is None:
            raise InputError("standard input is closed", file="<stdin>")
        yield from _stream_kind(stream, source)
        return
    with open(source.path, "rb") as fh:
        yield from _stream_kind(fh, source)


def _stream_kind(fh: BinaryIO, source: Source) -> Iterator[Item]:
    head = b""
    kind = source.kind
    if kind == "stdin":
        # Standard input is JSONL unless it starts like an mbox.
        head = fh.readline()
        kind = "mbox" if head.startswith(b"From ") else "jsonl"
    if kind == "mbox":
        for n, raw in enumerate(mbox_split(fh, head), 1):
            yield Item(f"{source.name}.{n}", source.path, raw)
    else:
        yield from _jsonl_items(_chain(head, fh), source)


def _chain(first: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


# An envelope line: "From sender date", the date with a time of day (as mutt's is_from
# checks); a body line such as "From the start, ..." never has one. Before the first
# message any such line starts one; after it, only one that follows a blank line.
_ENVELOPE = re.compile(rb"From \S+ [^\n]*\b\d{1,2}:\d\d")
_QUOTED_FROM = re.compile(rb">+From ")


def mbox_split(fh: BinaryIO, head: bytes = b"") -> Iterator[bytes]:
    """Messages of an mbox stream (``head``, then the rest of ``fh``), without the
    ``From `` separator lines and the blank line before each.

    A ``From `` line separates messages only when it looks like an envelope line and,
    after the first, follows a blank line (a body line starting with "From " that a
    sloppy writer did not quote stays in the body); ``>From `` quoting is undone (mboxrd).
    """
    message: list[bytes] | None = None  # None until the first separator
    blank = True
    for line in _lines(fh, head):
        if blank and line.startswith(b"From ") and _ENVELOPE.match(line):
            if message is not None:
                yield _joined(message)
            message, blank = [], False
            continue
        if message is None:
            continue  # junk before the first message
        if line.startswith(b">") and _QUOTED_FROM.match(line):
            line = line[1:]
        message.append(line)
        blank = line in (b"\n", b"\r\n")
    if message is not None:
        yield _joined(message)


def _lines(fh: BinaryIO, head: bytes) -> Iterator[bytes]:
    """The lines of ``head`` (what was read before, standard input's first line) and ``fh``."""
    import io

    if head and not head.endswith(b"\n"):
        head += fh.readline()  # the rest of the line ``head`` ends in
    yield from io.BytesIO(head)
    yield from fh


def _joined(lines: list[bytes]) -> bytes:
    if lines and lines[-1] in (b"\n", b"\r\n"):
        lines.pop()  # the blank line of the separator that follows (or of the file's end)
    return b"".join(lines)


def _jsonl_items(lines: Iterable[bytes], source: Source) -> Iterator[Item]:
    import json

    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fallback = f"{source.name}.{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Item(fallback, f"{source.path}:{n}", None, f"not a JSON object: {exc.msg}")
            continue
        if not isinstance(record, dict):
            yield Item(fallback, f"{source.path}:{n}", None, 'expected an object like {"id": ..., "message": ...}')
            continue
        ident = record.get("id")
        ident = fallback if ident is None or ident == "" else str(ident)
        message = record.get("message")
        if not isinstance(message, str):
            yield Item(ident, f"{source.path}:{n}", None, 'missing "message" (the raw email or text, as a string)')
            continue
        yield Item(ident, f"{source.path}:{n}", message.encode("utf-8", errors="surrogatepass"))


def _count_stream(fh: BinaryIO, kind: str) -> int:
    sep = b"\n\nFrom " if kind == "mbox" else b"\n"
    carry = b"\n\n" if kind == "mbox" else b""  # the file start counts as "after a blank line"
    count = 0
    last = b""
    for block in iter(lambda: fh.read(1 << 20), b""):
        data = carry + block
        count += data.count(sep)
        carry = data[-(len(sep) - 1) :] if len(sep) > 1 else b""
        last = block
    if kind != "mbox" and last and not last.endswith(b"\n"):
        count += 1  # a last JSONL line without its newline
    return count


def _maildir_files(root: Path) -> Iterator[Path]:
    for sub in ("new", "cur"):
        folder = root / sub
        # Sorted names keep the order (and so the ids) stable from run to run.
        for name in sorted(os.listdir(folder)):
            if not name.startswith("."):
                yield folder / name


def _maildir_items(source: Source) -> Iterator[Item]:
    for path in _maildir_files(Path(source.path)):
        yield _read_item(path.name.split(":", 1)[0], path)


def _dir_files(root: Path) -> Iterator[Path]:
    for name in sorted(os.listdir(root)):
        if name.endswith((".eml", ".txt")) and not name.startswith("."):
            path = root / name
            if path.is_file():
                yield path


def _dir_items(source: Source) -> Iterator[Item]:
    for path in _dir_files(Path(source.path)):
        yield _read_item(path.name, path)


def _eml_item(source: Source) -> Iterator[Item]:
    yield _read_item(source.name, Path(source.path))


def _read_item(ident: str, path: Path) -> Item:
    try:
        return Item(ident, str(path), path.read_bytes())
    except OSError as exc:
        return Item(ident, str(path), None, f"cannot read: {exc.strerror}")


def count(sources: list[Source]) -> int | None:
    """Messages in all sources, or None when one of them cannot be counted cheaply."""
    total = 0
    for source in sources:
        n = source.count()
        if n is None:
            return None
        total += n
    return total
