"""Where replycoach's own data lives, and the compiled-data cache.

The top-level ``playbooks/``, ``templates/`` and ``rules/`` folders ship inside the
wheel as ``replycoach/playbooks`` etc. (see pyproject.toml) and are found through
``importlib.resources``. In a development checkout (editable install) they are not
copied, so the folders beside ``src/`` are used instead.

Parsing YAML and validating it costs far more than everything else a draft does, so
validated data is cached with ``marshal`` under the user cache directory, keyed by
each source file's path, size and modification time. A stale or unreadable cache
entry is simply rebuilt; the cache is never a source of truth.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from replycoach.foundation.userdirs import cache_root as cache_root  # also for the regex caches
from replycoach.foundation.version import __version__

_FORMAT = 4  # bump when the shape of cached payloads changes (4: regex code as bytes)


def builtin_dir(name: str) -> Path:
    """The built-in ``playbooks``, ``templates``, ``rules`` or ``data`` folder."""
    here = Path(__file__).resolve().parent.parent  # the replycoach package
    packaged = here / name
    if packaged.is_dir():
        return packaged
    checkout = here.parent.parent / name
    if checkout.is_dir():
        return checkout
    from importlib.resources import files  # slow import: only when both fail

    return Path(str(files("replycoach").joinpath(name)))


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is switched off (``REPLYCOACH_CACHE=off``)."""
    root = cache_root()
    return None if root is None else Path(root)


def file_signature(paths: Iterable[Path]) -> str:
    """Identify the exact state of a set of files without reading them."""
    parts = [__version__, str(_FORMAT), sys.version.split()[0]]
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            parts.append(f"{path}:missing")
        else:
            parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
    return "\n".join(parts)


_MEMO: dict[str, tuple[str, Any]] = {}


def write_cache_file(path: str, data: bytes) -> None:
    """``data`` to ``path`` (its folder made if need be), atomically: a concurrent
    reader sees the old file or the new one, never half of one. Raises OSError."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


def cached(kind: str, files: list[Path], build: Callable[[], Any]) -> Any:
    """Return ``build()``'s result, reusing a cached copy while ``files`` are unchanged.

    ``build`` must return plain data (dict, list, str, numbers, bool, None). Within one
    process the payload is also kept in memory (still checked against the files'
    signature), so callers must treat it as read-only.
    """
    signature = file_signature(files)
    memo = _MEMO.get(kind)
    if memo is not None and memo[0] == signature:
        return memo[1]
    payload = _cached(kind, signature, build)
    _MEMO[kind] = (signature, payload)
    return payload


rebuilt = False


def _cached(kind: str, signature: str, build: Callable[[], Any]) -> Any:
    global rebuilt
    root = cache_dir()
    if root is None:
        return build()
    entry = root / f"{kind}-{zlib.crc32(signature.encode()):08x}.marshal"
    try:
        stored_signature, payload = marshal.loads(entry.read_bytes())
        if stored_signature == signature:
            return payload
    except (OSError, ValueError, EOFError, TypeError):
        pass
    payload = build()
    rebuilt = True
    try:
        write_cache_file(str(entry), marshal.dumps((signature, payload)))
    except (OSError, ValueError):
        return payload  # a read-only home must not stop a draft
    prune_kind(str(root), kind)
    return payload


KEEP_PER_KIND = 4  # a few team folders used in turn each keep their entry


def prune_kind(root: str, kind: str, keep: int = KEEP_PER_KIND) -> None:
    """Drop all but the ``keep`` newest entries of ``kind``: every edit of a data file
    writes a new entry, and nothing else would ever remove the old ones. Runs only
    after a cache miss wrote an entry, never on the hot path."""
    prefix = f"{kind}-"
    try:
        entries = [
            e
            for e in os.scandir(root)
            if e.name.startswith(prefix) and e.name.endswith(".marshal") and len(e.name) == len(prefix) + 16
        ]
        entries.sort(key=lambda e: e.stat().st_mtime_ns, reverse=True)
        for old in entries[keep:]:
            os.unlink(old.path)
    except OSError:
        pass  # another process pruned first, or the folder is read-only
