"""Where a batch's results go: JSONL records on a stream, one draft file per message in
a folder, or drafts delivered into a Maildir; each knows what is already written
(for ``--resume``).
"""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path
from typing import Any

from replycoach.batch.drafter import error_record
from replycoach.batch.readers import Item
from replycoach.foundation.errors import UsageError

_UNSAFE = re.compile(r"[^A-Za-z0-9._@+=-]")


def file_stem(ident: str) -> str:
    """A file name for an id: the id itself when it is safe, else a cleaned copy plus a
    checksum of the id so two different ids never share a file."""
    safe = _UNSAFE.sub("_", ident).lstrip(".")[:150]
    if safe == ident:
        return safe
    return f"{safe}~{zlib.crc32(ident.encode('utf-8', errors='surrogatepass')):08x}"


class Sink:
    """Writes one result; knows which ids are already written (for ``--resume``)."""

    where = "standard output"

    def written(self, ident: str) -> bool:
        return False

    def write(self, item: Item, ok: bool, payload: str | bytes) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        pass


class StreamSink(Sink):
    """JSONL records on a text stream; error records go there too."""

    def __init__(self, stream: Any, *, terminal: bool) -> None:
        self.stream = stream
        self.terminal = terminal

    def write(self, item: Item, ok: bool, payload: str | bytes) -> None:
        assert isinstance(payload, str)
        if not ok:
            payload = error_record(item, payload)
        if self.terminal:
            from replycoach.reply.formats import terminal_safe

            payload = terminal_safe(payload[:-1]) + "\n"
        self.stream.write(payload)

    def close(self) -> None:
        self.stream.flush()


class DirSink(Sink):
    """One file per draft in a folder; written atomically so an interrupted batch
    never leaves half a draft that ``--resume`` would take for a finished one."""

    def __init__(self, folder: str, fmt: str) -> None:
        self.folder = Path(folder)
        self.suffix = "." + {"text": "txt"}.get(fmt, fmt)
        self.where = folder
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the output folder: {exc.strerror}", file=folder, field="--out") from None

    def path(self, ident: str) -> Path:
        return self.folder / (file_stem(ident) + self.suffix)

    def written(self, ident: str) -> bool:
        return self.path(ident).exists()

    def write(self, item: Item, ok: bool, payload: str | bytes) -> None:
        if not ok:
            return
        assert isinstance(payload, bytes)
        target = self.path(item.id)
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            tmp.write_bytes(payload)
            os.replace(tmp, target)
        except OSError as exc:  # a full disk stops the batch with one line, not a traceback
            raise UsageError(f"cannot write: {exc.strerror}", file=str(target), field="--out") from None


class MaildirSink(Sink):
    """Replies delivered as drafts into a Maildir folder (``cur/``, flags ``DS``), the
    way mail clients store drafts: written in ``tmp/`` and renamed into place.

    File names derive from the message id, so ``--resume`` finds earlier drafts even
    after a mail client renamed them to change their flags.
    """

    def __init__(self, folder: str) -> None:
        self.root = Path(folder)
        self.where = folder
        try:
            for sub in ("tmp", "new", "cur"):
                (self.root / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the Maildir: {exc.strerror}", file=folder, field="--maildir") from None
        self._existing: set[str] | None = None

    def written(self, ident: str) -> bool:
        if self._existing is None:
            self._existing = {name.split(":", 1)[0] for sub in ("cur", "new") for name in os.listdir(self.root / sub)}
        return self.key(ident) in self._existing

    @staticmethod
    def key(ident: str) -> str:
        return "replycoach." + file_stem(ident).replace(":", "_")

    def write(self, item: Item, ok: bool, payload: str | bytes) -> None:
        if not ok:
            return
        assert isinstance(payload, bytes)
        key = self.key(item.id)
        tmp = self.root / "tmp" / key
        try:
            tmp.write_bytes(payload.replace(b"\r\n", b"\n"))  # Maildir files use the local line ending
            os.replace(tmp, self.root / "cur" / f"{key}:2,DS")
        except OSError as exc:
            raise UsageError(f"cannot write: {exc.strerror}", file=str(tmp), field="--maildir") from None


def open_sink(*, out: Path | None, maildir: Path | None, fmt: str, stream: Any) -> Sink:
    """Drafts into ``maildir``, files in ``out``, or JSONL records on ``stream``."""
    if maildir:
        return MaildirSink(str(maildir))
    if out:
        return DirSink(str(out), fmt)
    return StreamSink(stream, terminal=stream.isatty())
