"""Derived artefacts of the CLI (recorded --help screens, the draft option spec), kept
beside the data cache and tied to the exact files they were derived from: an entry
whose files changed since (size or modification time), or whose key only shares a
checksum, is not used. A cache that cannot be read or written only costs speed.

Only ``os``, ``sys``, ``marshal`` and ``zlib`` here: the --help replay loads through it.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False  # typing is not imported on the --help replay path (see foundation/userdirs.py)
if TYPE_CHECKING:
    from typing import Any


def root() -> str | None:
    from replycoach.foundation.userdirs import cache_root

    return cache_root()


def stamp(paths: list[str]) -> list[tuple[str, int, int]]:
    out = []
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            out.append((path, -1, -1))
        else:
            out.append((path, st.st_size, st.st_mtime_ns))
    return out


def _path(key: str) -> str | None:
    import zlib

    folder = root()
    if folder is None:
        return None
    kind = key.split("\n", 1)[0]
    return os.path.join(folder, f"{kind}-{zlib.crc32(key.encode('utf-8', 'surrogatepass')):08x}.marshal")


def load(key: str) -> dict[str, Any] | None:
    """The payload stored under ``key``, or None (missing, damaged, stale)."""
    import marshal

    path = _path(key)
    if path is None:
        return None
    try:
        with open(path, "rb") as fh:
            stored_key, deps, payload = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if stored_key != key or [tuple(d) for d in deps] != stamp([d[0] for d in deps]):
        return None  # another key with the same checksum, or the CLI changed since
    return payload if isinstance(payload, dict) else None


def store(key: str, payload: dict[str, Any], deps: list[str]) -> None:
    """Keep ``payload`` under ``key`` for as long as the files ``deps`` stay as they are."""
    import marshal

    path = _path(key)
    if path is None:
        return
    from replycoach.foundation.resources import write_cache_file

    try:
        write_cache_file(path, marshal.dumps((key, stamp(deps), payload)))
    except (OSError, ValueError):
        pass  # a read-only cache only costs speed


def here(name: str) -> str:
    """The path of a module file beside this one (for ``deps``)."""
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), name)
