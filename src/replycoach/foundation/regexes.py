"""Module-level regexes that cost nothing at import and little on first use.

CPython's regex compiler is pure Python: the ~100 patterns the message reader and
the analysis declare cost tens of milliseconds to compile, paid on every CLI start.
Two things avoid that, without changing what any pattern matches:

- **lazy**: ``group(...)("pattern")`` returns a stand-in that compiles nothing until
  one of the group's regexes is first used (``--help``, ``check`` and ``playbooks``
  never read a message, so they never pay);
- **cached engine code**: the compiler's output (the engine's code list) is plain
  data, so it is cached with the validated data (``resources.cached``), keyed by the
  declaring module's source file, the Python version and the engine's ``MAGIC``, and
  handed straight to ``_sre.compile`` next time. A cached entry is used only for the
  exact pattern it was built from; any failure falls back to ``re.compile`` (the
  cache is never needed for correct results).
"""

from __future__ import annotations

import os
import re

TYPE_CHECKING = False  # typing is not imported at run time: this module is on the start-up path
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

# What a stand-in hands out once built: stored in its slots, so later uses are plain
# attribute reads (no ``__getattr__`` call per search on the hot paths).
_DELEGATED = ("match", "search", "fullmatch", "finditer", "findall", "sub", "subn", "split", "pattern", "flags")


class Lazy:
    """A compiled regex in all but timing: the first use builds its whole group."""

    __slots__ = ("_args", "_group", *_DELEGATED)

    def __init__(self, group: Group, pattern: str | bytes, flags: int) -> None:
        self._args = (pattern, flags)
        self._group = group

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_args", "_group"):
            raise AttributeError(name)  # copy/pickle probing, or a slot not yet set
        return getattr(self._group.build()[id(self)], name)

    def __repr__(self) -> str:
        return f"Lazy({self._args[0]!r}, {self._args[1]})"


class Group:
    """The regexes one module declares, built together from one cache entry."""

    def __init__(self, kind: str, source: str) -> None:
        self.kind = kind
        self.source = source
        self.members: list[Lazy] = []
        self._built: dict[int, re.Pattern[Any]] | None = None

    def __call__(self, pattern: str | bytes, flags: int = 0) -> Lazy:
        lazy = Lazy(self, pattern, int(flags))
        self.members.append(lazy)
        return lazy

    def build(self) -> dict[int, re.Pattern[Any]]:
        if self._built is None:
            from pathlib import Path

            specs = {f"r{i}": lazy._args for i, lazy in enumerate(self.members)}
            compiled = compiled_regexes(self.kind, specs, [Path(self.source)])
            self._built = {}
            for i, lazy in enumerate(self.members):
                regex = compiled[f"r{i}"]
                self._built[id(lazy)] = regex
                for name in _DELEGATED:
                    setattr(lazy, name, getattr(regex, name))
        return self._built


def group(kind: str, source: str) -> Group:
    """``_re = group("quotes", __file__)``, then ``_WORD = _re(r"\\w+")`` at module level."""
    return Group(kind, source)


def engine_code(pattern: str | bytes, flags: int) -> list[Any]:
    """What ``re.compile`` hands the engine, as plain data ``marshal`` can store."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in parsed.state.groupdict.items():
        indexgroup[index] = name
    return [
        pattern,
        int(flags | parsed.state.flags),
        [int(x) for x in code],  # opcodes are int subclasses marshal cannot store
        parsed.state.groups - 1,
        dict(parsed.state.groupdict),
        tuple(indexgroup),
    ]


def stored_code(pattern: str | bytes, flags: int) -> list[Any]:
    """``engine_code`` as cached: the code words as bytes where they fit 32-bit array
    items (as the engine's do). marshal reads a bytes object at once but a list of ints
    one object at a time, which made loading cached code most of a new process's regex
    cost; ``from_engine_code`` takes either form."""
    entry = engine_code(pattern, flags)
    entry[2] = _pack(entry[2])
    return entry


def _pack(words: list[int]) -> bytes | list[int]:
    from array import array

    packed = array("I")
    if packed.itemsize != 4:
        return words
    packed.extend(words)
    return packed.tobytes()


def from_engine_code(entry: list[Any] | tuple[Any, ...]) -> re.Pattern[Any]:
    """The compiled regex of an ``engine_code`` entry (code as bytes or as a list)."""
    import _sre

    pattern, flags, code, *rest = entry
    if isinstance(code, bytes):
        from array import array

        code = array("I", code).tolist()
    return _sre.compile(pattern, flags, code, *rest)  # type: ignore[no-any-return]


def compiled_regexes(kind: str, specs: dict[str, tuple[Any, int]], files: list[Path]) -> dict[str, re.Pattern[Any]]:
    """Named regexes, their engine code cached like the validated data, keyed by the
    files they come from."""
    try:
        import _sre

        from replycoach.foundation.resources import cached

        def build() -> dict[str, Any]:
            return {name: stored_code(pattern, flags) for name, (pattern, flags) in specs.items()}

        stored = cached(f"{kind}-sre{_sre.MAGIC}", files, build)
        out = {}
        for name, (pattern, flags) in specs.items():
            code = stored.get(name)
            out[name] = from_engine_code(code) if code and code[0] == pattern else re.compile(pattern, flags)
        return out
    except Exception:
        return {name: re.compile(pattern, flags) for name, (pattern, flags) in specs.items()}


RE_CACHE_LIMIT = 1000  # patterns in the bundle; the shipped rule pack uses ~60

# The engine code of run-time patterns, one bundle per Python and engine version: read
# once per process on the first call (one file, not one per pattern: a draft compiles
# ~30 rule patterns, and 30 opens cost ~2 ms of its start-up), rewritten on a miss.
_BUNDLE: dict[tuple[str, int], list[Any]] = {}
_BUNDLE_PATH: str | None = None  # the file _BUNDLE was read from (tests switch cache folders)
_USED: set[tuple[str, int]] = set()
_BUNDLE_FORMAT = 2  # 2: code words as bytes (stored_code)


_PATHS: dict[tuple[str, str], str] = {}  # (cache folder, stem) -> the file


def _versioned_path(root: str, stem: str) -> str:
    """``ROOT/STEM-<python version>-<engine MAGIC>.marshal``: engine code is only valid
    for the Python and regex engine that built it."""
    found = _PATHS.get((root, stem))
    if found is None:
        import _sre
        import sys

        version = "".join(ch if ch.isalnum() else "_" for ch in sys.version.split()[0])
        found = _PATHS[root, stem] = os.path.join(root, f"{stem}-{version}-{_sre.MAGIC}.marshal")
    return found


def _bundle_path(root: str) -> str:
    return _versioned_path(root, f"re{_BUNDLE_FORMAT}")


def _load_bundle(path: str) -> dict[tuple[str, int], list[Any]]:
    import marshal
    import sys

    try:
        with open(path, "rb") as fh:
            stored_version, bundle = marshal.loads(fh.read())
        if stored_version == sys.version and isinstance(bundle, dict):
            return bundle
    except (OSError, EOFError, ValueError, TypeError):
        pass
    return {}


def _save_bundle(path: str, bundle: dict[tuple[str, int], list[Any]]) -> None:
    if len(bundle) > RE_CACHE_LIMIT:  # edited rule packs leave old patterns: keep what is in use
        for key in [k for k in bundle if k not in _USED]:
            del bundle[key]
    try:
        _write_marshal(path, bundle)
        root = os.path.dirname(path)
        old = os.path.join(root, "re")
        if os.path.isdir(old):  # one file per pattern, as earlier builds kept them
            import shutil

            shutil.rmtree(old, ignore_errors=True)
        for name in os.listdir(root):
            if name.startswith("re-") and name.endswith(".marshal"):  # the first bundle format
                os.unlink(os.path.join(root, name))
    except OSError:
        pass  # a read-only cache only costs speed


def _write_marshal(path: str, bundle: dict[Any, Any]) -> None:
    """``(sys.version, bundle)`` to ``path``, the form ``_load_bundle`` reads."""
    import marshal
    import sys

    from replycoach.foundation.resources import write_cache_file

    write_cache_file(path, marshal.dumps((sys.version, bundle)))


def compile_cached(pattern: str, flags: int = 0) -> re.Pattern[Any]:
    """``re.compile`` for patterns known only at run time (the checker's rule patterns,
    which team rule packs can change): their engine code is kept in one cache file per
    Python and engine version, keyed by the exact pattern and flags.

    Identical results to ``re.compile``: a cached entry is used only for the exact
    pattern and flags it was built from, and any failure falls back to compiling afresh."""
    global _BUNDLE, _BUNDLE_PATH
    from replycoach.foundation.resources import cache_root

    try:
        root = cache_root()
        if root is None:
            return re.compile(pattern, flags)
        path = _bundle_path(root)
        if path != _BUNDLE_PATH:
            _BUNDLE, _BUNDLE_PATH = _load_bundle(path), path
        key = (pattern, int(flags))
        _USED.add(key)
        code = _BUNDLE.get(key)
        if code is not None:
            try:
                return from_engine_code(code)
            except Exception:
                pass  # a damaged entry: compiled afresh below
        code = stored_code(pattern, flags)
        compiled = from_engine_code(code)
        # Another process may have added patterns since this one read the bundle.
        _BUNDLE = {**_load_bundle(path), **_BUNDLE, key: code}
        _save_bundle(path, _BUNDLE)
        return compiled
    except Exception:  # the engine's private interface changed: compile as usual
        return re.compile(pattern, flags)


# --- the regexes a whole command compiles, stdlib and Jinja included ----------------
#
# A `draft` process compiles ~40 patterns that are not replycoach's to make lazy: the
# module-level `re.compile` calls of email, json, jinja2's lexer and filters, pickle,
# locale. Together ~3.4 ms of CPU on the 2-core dev box, 4% of a whole draft. Those
# calls look in `re._cache` first, keyed `(type(pattern), pattern, flags)`; `warm_re_cache`
# fills it from engine code stored by an earlier run (`remember_re_cache`), before those
# modules are imported. A seeded entry is the exact object `re.compile` would build (the
# same engine code; CPython's Pattern equality compares pattern, flags and code, and the
# tests check it), so nothing matches differently; any surprise in `re`'s private cache
# leaves it alone.

_WARM_FORMAT = 1
_WARM_LIMIT = 128  # entries kept (a draft compiles ~45); re's own cache holds 512
_WARM_KNOWN: set[tuple[Any, ...]] | None = None  # the keys the file holds (None: not read)
_WARM_PATH: str | None = None
_SKIP_FLAGS = re.DEBUG | 1  # re.DEBUG prints at compile time; 1 is re.TEMPLATE, which warns
# Heads of pattern families compiled once per message, never worth storing: the
# modules that know them say so (message/boundary.py: the feedparser's boundary regex).
_PER_MESSAGE: set[str] = set()


def per_message(head: str) -> None:
    """Patterns starting with ``head`` are built per message: ``remember_re_cache``
    leaves them out (storing them would only grow the file)."""
    _PER_MESSAGE.add(head)


def _warm_path() -> str | None:
    from replycoach.foundation.resources import cache_root

    root = cache_root()
    return None if root is None else _versioned_path(root, f"re-warm{_WARM_FORMAT}")


def _re_cache() -> dict[Any, Any] | None:
    cache = getattr(re, "_cache", None)
    maxcache = getattr(re, "_MAXCACHE", None)
    if isinstance(cache, dict) and isinstance(maxcache, int):
        return cache
    return None


def warm_re_cache() -> None:
    """Seed ``re``'s cache with the patterns earlier runs of this command compiled."""
    global _WARM_KNOWN, _WARM_PATH
    if _WARM_KNOWN is not None:
        return
    _WARM_KNOWN = set()
    try:
        cache = _re_cache()
        path = _warm_path()
        if cache is None or path is None:
            return
        _WARM_PATH = path
        stored = _load_bundle(path)
        room = re._MAXCACHE - len(cache) - 64  # type: ignore[attr-defined]  # leave room for the run's own
        for (is_bytes, pattern, flags), code in stored.items():
            if room <= 0:
                break
            key = (bytes if is_bytes else str, pattern, flags)
            _WARM_KNOWN.add(key)  # known, even if already compiled (the console script's own)
            if key in cache or code[0] != pattern or flags & _SKIP_FLAGS:
                continue
            cache[key] = from_engine_code(code)
            room -= 1
    except Exception:
        return  # a damaged file or changed internals: the patterns compile as usual


def remember_re_cache() -> None:
    """Store the engine code of the patterns this run compiled that the seed lacked
    (the first run, or after an upgrade); a run that found them all writes nothing."""
    if _WARM_KNOWN is None or _WARM_PATH is None:
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
            if key not in _WARM_KNOWN
            and isinstance(key, tuple)
            and len(key) == 3
            and key[0] in (str, bytes)
            and isinstance(key[2], int)
            and not key[2] & _SKIP_FLAGS
            and not (key[0] is str and key[1].startswith(tuple(_PER_MESSAGE)))
        ]
        if not new:
            return
        stored = _load_bundle(_WARM_PATH)
        for kind, pattern, flags in new:
            stored[(kind is bytes, pattern, flags)] = stored_code(pattern, flags)
        if len(stored) > _WARM_LIMIT:  # keep this run's patterns only
            keep = {(k is bytes, p, f) for k, p, f in cache if isinstance(f, int)}
            stored = {k: v for k, v in stored.items() if k in keep}
        _write_marshal(_WARM_PATH, stored)
    except Exception:
        return  # a read-only cache or changed internals only cost speed
