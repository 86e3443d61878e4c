"""The stdlib parser's multipart boundary regex, built without the regex compiler.

``email.feedparser`` compiles one regex per multipart boundary
(``'(?P<sep>' + re.escape('--' + boundary) + ')(?P<end>--)?...'``), and boundaries are
unique per message, so every multipart email paid a full ``re.compile`` (~80 us, more
than the rest of the stdlib parse of a 2 KB email). Only the literal in that pattern
changes, so its engine code is the code of one template pattern with the literal
spliced in; ``seed(raw)`` builds the pattern for each boundary the raw message
declares and puts it in ``re``'s own cache, where the feedparser's ``re.compile``
finds it.

Safe by construction, and private only where it has to be:

- the splice is checked once per process: the template's own code must be exactly
  what the splice rebuilds for the template's literal, or seeding is switched off;
- the cache key is the exact pattern string ``re.compile`` would look up, so a
  boundary read differently from the stdlib (or a changed feedparser pattern) is just
  a cache miss and the stdlib compiles as before;
- any surprise from ``re``/``_sre`` internals (``re._cache``, ``_sre.compile``, the
  compiler's code layout) switches seeding off for the process; nothing else changes.
"""

from __future__ import annotations

import re

# Exactly how email.feedparser (3.11-3.13) builds the pattern from the separator.
_HEAD = "(?P<sep>"
_TAIL = r")(?P<end>--)?(?P<ws>[ \t]*)(?P<linesep>\r\n|\r|\n)?$"
# Boundaries are short ASCII tokens (RFC 2046: at most 70 characters); anything else is
# left to the stdlib.
_SAFE = frozenset(range(0x20, 0x7F))
_MAX_LEN = 200
_DECLARED = re.compile(rb'[Bb]oundary[ \t]*=[ \t]*(?:"([^"\\\r\n]{1,200})"|([^\s;"]{1,200}))')
_TEMPLATE_LITERAL = "--=_Part_0aXb.a0a0"

# None: not set up yet; False: switched off; else (code head, code tail, args).
_state: object = None


def _overlap(prefix: list[int]) -> list[int]:
    """The engine's KMP overlap table for a literal prefix (as re's compiler builds it)."""
    table = [0] * len(prefix)
    for i in range(1, len(prefix)):
        idx = table[i - 1]
        while prefix[i] != prefix[idx]:
            if idx == 0:
                table[i] = 0
                break
            idx = table[idx - 1]
        else:
            table[i] = idx + 1
    return table


def _splice(parts: tuple[int, int, int, int, int, list[int]], literal: str) -> list[int]:
    info, flags, hi, mark, lit, tail = parts
    chars = [ord(c) for c in literal]
    n = len(chars)
    code = [info, 6 + 2 * n, flags, n, hi, n, 0, *chars, *_overlap(chars), mark, 0]
    for c in chars:
        code += (lit, c)
    code += (mark, 1)
    code += tail
    return code


def _setup() -> object:
    """(splice parts, _sre.compile's other arguments, the cache) or False."""
    try:
        import _sre

        from replycoach.foundation.regexes import engine_code

        cache = re._cache  # type: ignore[attr-defined]
        maxcache = re._MAXCACHE  # type: ignore[attr-defined]
        if not isinstance(cache, dict) or not isinstance(maxcache, int):
            return False
        pattern = _HEAD + re.escape(_TEMPLATE_LITERAL) + _TAIL
        spec = engine_code(pattern, 0)
        code = spec[2]
        n = len(_TEMPLATE_LITERAL)
        start = 7 + 2 * n + 2 + 2 * n + 2  # INFO block, MARK 0, the literals, MARK 1
        parts = (code[0], code[2], code[4], code[7 + 2 * n], code[7 + 2 * n + 2], code[start:])
        if _splice(parts, _TEMPLATE_LITERAL) != code:
            return False  # the compiler lays this pattern out differently: leave it to re
        built = _sre.compile(pattern, spec[1], code, spec[3], spec[4], spec[5])
        if built.pattern != pattern or dict(built.groupindex) != {"sep": 1, "end": 2, "ws": 3, "linesep": 4}:
            return False
        return parts, spec[1], spec[3], spec[4], spec[5], cache, maxcache, _sre.compile
    except Exception:
        return False


def pattern_for(boundary: str) -> str:
    """The regex source email.feedparser compiles for ``boundary``."""
    return _HEAD + re.escape("--" + boundary) + _TAIL


def compiled(boundary: str) -> re.Pattern[str] | None:
    """The feedparser's regex for ``boundary`` without the regex compiler, or None."""
    global _state
    if _state is None:
        _state = _setup()
    if _state is False:
        return None
    separator = "--" + boundary
    if len(separator) > _MAX_LEN or not _SAFE.issuperset(map(ord, separator)):
        return None
    parts, flags, groups, groupindex, indexgroup, _, _, sre_compile = _state  # type: ignore[misc]
    return sre_compile(pattern_for(boundary), flags, _splice(parts, separator), groups, groupindex, indexgroup)


def seed(raw: bytes) -> None:
    """Put the boundary regex of every boundary ``raw`` declares into ``re``'s cache."""
    global _state
    if b"oundary" not in raw:
        return
    try:
        for m in _DECLARED.finditer(raw):
            boundary = (m.group(1) if m.group(1) is not None else m.group(2)).decode("ascii", "replace").rstrip()
            if not boundary:
                continue
            key = (str, pattern_for(boundary), 0)
            if _state not in (None, False):
                cache = _state[5]  # type: ignore[index]
                if key in cache:
                    continue
            built = compiled(boundary)
            if built is None:
                if _state is False:
                    return
                continue
            cache, maxcache = _state[5], _state[6]  # type: ignore[index]
            if len(cache) >= maxcache:
                # Make room as re._compile does: drop the oldest entry.
                try:
                    del cache[next(iter(cache))]
                except (StopIteration, RuntimeError, KeyError):
                    pass
            cache[key] = built
    except Exception:
        _state = False
