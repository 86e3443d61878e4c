"""A new process's regexes from the last run: ``re``'s cache seeded before they compile.

CPython's regex compiler is pure Python: a ``draft`` compiles ~240 patterns (this
package's module regexes and the cues its message tries, and those email, json and
jinja2 compile at import), ~45 ms of a ~70 ms start. Every ``re.compile`` (and
``re.search`` ...) looks in ``re._cache`` first, keyed ``(type(pattern), pattern,
flags)``. ``warm_re_cache`` fills that cache with the engine code an earlier run stored
(``remember_re_cache``), before those modules are imported, so each compile finds its
pattern there. A seeded entry is the object ``re.compile`` would build: the same engine
code (CPython's Pattern equality compares pattern, flags and code; the tests check
it), so nothing matches differently. Without the file, or when ``re``'s private cache
is not what this expects, patterns compile as usual: the plain path.
"""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False  # typing is not imported at run time: this module is on the start-up path
if TYPE_CHECKING:
    from typing import Any, TypeAlias

    # What ``_sre.compile`` takes besides the pattern: the flags, the engine's code (as
    # stored: bytes of 32-bit words, or the list of them), the group count, the group
    # names' indexes and each group's name.
    Code: TypeAlias = tuple[str | bytes, int, bytes | list[int], int, dict[str, int], tuple[str | None, ...]]
    Key: TypeAlias = tuple[type, str | bytes, int]  # how re's cache names a compiled pattern

_FORMAT = 1
# Entries kept: a draft compiles ~240, drafts of other messages try other cues; re's own
# cache holds 512 and ``warm_re_cache`` leaves room for the run's own.
_LIMIT = 400
_SKIP_FLAGS = re.DEBUG | 1  # re.DEBUG prints at compile time; 1 is re.TEMPLATE, which warns
# The feedparser compiles a regex per multipart boundary (unique to a message): never
# worth storing for the next start, it would only grow the file.
_PER_MESSAGE = ("(?P<sep>",)

_KNOWN: set[Key] | None = None  # the keys the file holds (None: not read)
_PATH: str | None = None


def engine_code(pattern: str | bytes, flags: int) -> Code:
    """What ``re.compile`` hands the engine, as plain data ``marshal`` can store."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    return (
        pattern,
        int(flags | parsed.state.flags),
        [int(x) for x in code],  # opcodes are int subclasses marshal cannot store
        parsed.state.groups - 1,
        dict(parsed.state.groupdict),
        tuple(indexgroup),
    )


def stored_code(pattern: str | bytes, flags: int) -> Code:
    """``engine_code`` as stored: the code words as bytes where they fit 32-bit array
    items (as the engine's do). marshal reads a bytes object at once but a list of ints
    one object at a time; ``from_engine_code`` takes either form."""
    from array import array

    entry = engine_code(pattern, flags)
    packed = array("I")
    if packed.itemsize != 4 or isinstance(entry[2], bytes):
        return entry
    packed.extend(entry[2])
    return (entry[0], entry[1], packed.tobytes(), *entry[3:])


def from_engine_code(entry: Code) -> re.Pattern[Any]:
    """The compiled regex of an ``engine_code`` entry (code as bytes or as a list)."""
    import _sre  # type: ignore[import-not-found]  # CPython's regex engine: no stubs

    pattern, flags, code, *rest = entry
    if isinstance(code, bytes):
        from array import array

        code = array("I", code).tolist()
    return _sre.compile(pattern, flags, code, *rest)  # type: ignore[no-any-return]


def _path() -> str | None:
    """``CACHE/re-warm1-<python version>-<engine MAGIC>.marshal``: engine code is only
    valid for the Python and regex engine that built it."""
    import _sre
    import sys

    from replycoach.foundation.resources import cache_root

    root = cache_root()
    if root is None:
        return None
    version = "".join(ch if ch.isalnum() else "_" for ch in sys.version.split()[0])
    return os.path.join(root, f"re-warm{_FORMAT}-{version}-{_sre.MAGIC}.marshal")


def _load(path: str) -> dict[tuple[bool, str | bytes, int], Code]:
    import marshal
    import sys

    try:
        with open(path, "rb") as fh:
            stored_version, stored = marshal.loads(fh.read())
        if stored_version == sys.version and isinstance(stored, dict):
            found: dict[tuple[bool, str | bytes, int], Code] = stored
            return found
    except (OSError, EOFError, ValueError, TypeError):
        pass
    return {}


def _re_cache() -> dict[Key, re.Pattern[Any]] | None:
    cache = getattr(re, "_cache", None)
    maxcache = getattr(re, "_MAXCACHE", None)
    if isinstance(cache, dict) and isinstance(maxcache, int):
        return cache
    return None


def warm_re_cache() -> None:
    """Seed ``re``'s cache with the patterns earlier runs of this command compiled."""
    global _KNOWN, _PATH
    if _KNOWN is not None:
        return
    _KNOWN = set()
    try:
        cache = _re_cache()
        path = _path()
        if cache is None or path is None:
            return
        _PATH = path
        room = re._MAXCACHE - len(cache) - 64  # type: ignore[attr-defined]  # leave room for the run's own
        for (is_bytes, pattern, flags), code in _load(path).items():
            key = (bytes if is_bytes else str, pattern, flags)
            _KNOWN.add(key)  # known, even if already compiled or left out for room
            if room <= 0 or key in cache or code[0] != pattern or flags & _SKIP_FLAGS:
                continue
            cache[key] = from_engine_code(code)
            room -= 1
    except Exception:
        return  # a damaged file or changed internals: the patterns compile as usual


def remember_re_cache() -> None:
    """Store the engine code of the patterns this run compiled that the file lacked (the
    first run, another message's cues, an upgrade); a run that found them all writes
    nothing."""
    if _KNOWN is None or _PATH is None:
        return
    from replycoach.foundation import resources

    if resources.rebuilt:
        return  # validating edited data compiled patterns the next start will not need
    try:
        cache = _re_cache()
        if cache is None:
            return
        new = [
            key
            for key in list(cache)
            if key not in _KNOWN
            and isinstance(key, tuple)
            and len(key) == 3
            and key[0] in (str, bytes)
            and isinstance(key[2], int)
            and not key[2] & _SKIP_FLAGS
            and not (isinstance(key[1], str) and key[1].startswith(_PER_MESSAGE))
        ]
        if not new:
            return
        stored = _load(_PATH)
        for kind, pattern, flags in new:
            # int(): re's cache may key a pattern by a RegexFlag (3.13), which marshal refuses.
            stored[(kind is bytes, pattern, int(flags))] = stored_code(pattern, int(flags))
        if len(stored) > _LIMIT:  # keep this run's patterns only
            keep = {(k is bytes, p, int(f)) for k, p, f in cache if isinstance(f, int)}
            stored = {k: v for k, v in stored.items() if k in keep}
        import marshal
        import sys

        resources.write_cache_file(_PATH, marshal.dumps((sys.version, stored)))
    except Exception:
        return  # a read-only cache or changed internals only cost speed
