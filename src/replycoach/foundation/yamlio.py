"""Safe YAML loading that remembers where every value came from.

Only ``yaml.SafeLoader`` is used (a ``!!python/object`` tag is an error), and anchors
and aliases (``&a``, ``*a``, ``<<: *a``) are refused where they are read, before any
is expanded: no data file needs them, and nine levels of ``[*a, *a, ...]`` in a few
hundred bytes expand to gigabytes. Mappings
and sequences come back as ``LDict``/``LList``, plain ``dict``/``list`` subclasses
that carry the line of each key or item, so validation errors can name the line.
Importing PyYAML is costly, so this module is only used on a cache miss.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from replycoach.foundation.errors import DataError


class LDict(dict):  # type: ignore[type-arg]
    """A mapping that knows the source line of itself and of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LList(list):  # type: ignore[type-arg]
    """A sequence that knows the source line of itself and of each item."""

    line: int = 0
    item_lines: list[int]


NO_ALIASES = "YAML anchors and aliases are not allowed ({}); write the value out"


def _loader_class() -> type:
    import yaml

    class LineLoader(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:
            event: Any = self.peek_event()  # type: ignore[no-untyped-call]
            anchor = getattr(event, "anchor", None)
            if anchor is not None:
                name = f"*{anchor}" if isinstance(event, yaml.AliasEvent) else f"&{anchor}"
                raise DataError(NO_ALIASES.format(name), line=event.start_mark.line + 1)
            return super().compose_node(parent, index)

    def construct_mapping(loader: Any, node: Any) -> LDict:
        loader.flatten_mapping(node)
        out = LDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise DataError(
                    "mapping keys must be plain scalars",
                    line=key_node.start_mark.line + 1,
                )
            key = str(key) if not isinstance(key, str) else key
            if key in out:
                raise DataError(f"duplicate key {key!r}", line=key_node.start_mark.line + 1)
            out[key] = loader.construct_object(value_node, deep=True)
            out.key_lines[key] = key_node.start_mark.line + 1
        return out

    def construct_sequence(loader: Any, node: Any) -> LList:
        out = LList(loader.construct_object(child, deep=True) for child in node.value)
        out.line = node.start_mark.line + 1
        out.item_lines = [child.start_mark.line + 1 for child in node.value]
        return out

    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_mapping)
    LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, construct_sequence)
    return LineLoader


_LOADER: type | None = None


MAX_NESTING = 200
_BRACKET = re.compile(r"[\[\]{}]")


def _depth(text: str) -> int:
    """The deepest bracket nesting, quotes not considered (an upper bound is enough)."""
    depth = deepest = 0
    for m in _BRACKET.finditer(text):
        depth = depth + 1 if m.group(0) in "[{" else max(depth - 1, 0)
        deepest = max(deepest, depth)
    return deepest


def load_yaml_text(text: str, *, file: str) -> Any:
    """Parse YAML safely; every failure is a ``DataError`` naming file and line."""
    global _LOADER
    import yaml

    if _LOADER is None:
        _LOADER = _loader_class()
    if text.count("[") + text.count("{") > MAX_NESTING and _depth(text) > MAX_NESTING:
        # PyYAML's scanner slows with every open bracket ("[[[[" 14 KB deep: seconds)
        # before its composer overflows the stack: refused before either.
        raise DataError("YAML nested too deeply", file=file)
    try:
        return yaml.load(text, Loader=_LOADER)
    except DataError as exc:
        exc.file = file
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        if "python/" in str(exc) or "could not determine a constructor" in str(exc):
            problem = f"unsafe or unknown YAML tag rejected ({problem.strip()})"
        raise DataError(problem.strip(), file=file, line=line) from None
    except yaml.YAMLError as exc:
        raise DataError(f"invalid YAML: {exc}", file=file) from None
    except RecursionError:
        # PyYAML composes nested collections recursively: "[[[[…" thousands deep.
        raise DataError("YAML nested too deeply", file=file) from None


def load_yaml_file(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DataError("not UTF-8 text", file=str(path)) from None
    except OSError as exc:
        raise DataError(f"cannot read: {exc.strerror}", file=str(path)) from None
    return load_yaml_text(text, file=str(path))
