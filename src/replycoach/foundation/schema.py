"""A small strict validator for the YAML data files (playbooks, rules, answers, cues).

Schemas are Python objects (the schema is code; the data is the extension surface).
Validation turns the line-annotated tree from ``yamlio`` into plain dicts and lists
with defaults filled in, ready to be cached with ``marshal``. Every error names the
file, the line and the dotted field path. Unknown keys are errors.

Why not msgspec or pydantic: both validate well, but neither maps an error back to
a YAML line, and importing either costs more than the whole cached hot path. This
validator only runs when a data file changed (see ``cache``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from replycoach.foundation.errors import DataError
from replycoach.foundation.yamlio import LDict, LList

_MISSING = object()


class Spec:
    """Base of all field specs; ``check`` returns the cleaned value or raises."""

    def check(self, value: Any, ctx: _Ctx) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError

    def describe(self) -> str:
        return type(self).__name__.lower()


class _Ctx:
    __slots__ = ("error_class", "file", "line", "path")

    def __init__(self, file: str, path: str, line: int | None, error_class: type[DataError]):
        self.file = file
        self.path = path
        self.line = line
        self.error_class = error_class

    def child(self, name: str | int, line: int | None) -> _Ctx:
        path = f"{self.path}[{name}]" if isinstance(name, int) else f"{self.path}.{name}" if self.path else name
        return _Ctx(self.file, path, line if line is not None else self.line, self.error_class)

    def fail(self, message: str) -> DataError:
        return self.error_class(message, file=self.file, line=self.line, field=self.path or None)


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "a true/false value"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


class Str(Spec):
    def __init__(
        self,
        *,
        pattern: str | None = None,
        nonempty: bool = True,
        check: Callable[[str], str | None] | None = None,
        coerce: bool = False,
    ) -> None:
        self.pattern = re.compile(pattern) if pattern else None
        self.nonempty = nonempty
        self.extra = check
        self.coerce = coerce

    def check(self, value: Any, ctx: _Ctx) -> str:
        if self.coerce and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ctx.fail(f"expected text, got {_type_name(value)}")
        if self.nonempty and not value.strip():
            raise ctx.fail("must not be empty")
        if self.pattern and not self.pattern.fullmatch(value):
            raise ctx.fail(f"{value!r} does not match {self.pattern.pattern}")
        if self.extra:
            problem = self.extra(value)
            if problem:
                raise ctx.fail(problem)
        return value


class Num(Spec):
    def __init__(self, *, integer: bool = False, min: float | None = None, max: float | None = None):
        self.integer = integer
        self.min = min
        self.max = max

    def check(self, value: Any, ctx: _Ctx) -> float | int:
        ok = isinstance(value, int) if self.integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok:
            kind = "a whole number" if self.integer else "a number"
            raise ctx.fail(f"expected {kind}, got {_type_name(value)}")
        if self.min is not None and value < self.min:
            raise ctx.fail(f"must be at least {self.min}")
        if self.max is not None and value > self.max:
            raise ctx.fail(f"must be at most {self.max}")
        number: int | float = value  # checked above
        return number


class Bool(Spec):
    def check(self, value: Any, ctx: _Ctx) -> bool:
        if not isinstance(value, bool):
            raise ctx.fail(f"expected true or false, got {_type_name(value)}")
        return value


class Enum(Spec):
    def __init__(self, *values: str) -> None:
        self.values = values

    def check(self, value: Any, ctx: _Ctx) -> str:
        if value not in self.values:
            raise ctx.fail(f"{value!r} is not one of: {', '.join(self.values)}")
        return str(value)


class AnyValue(Spec):
    """A scalar or a nested structure kept as plain data (e.g. a default answer)."""

    def check(self, value: Any, ctx: _Ctx) -> Any:
        return plain(value)


class List(Spec):
    def __init__(self, item: Spec, *, min_len: int = 0, single: bool = False) -> None:
        self.item = item
        self.min_len = min_len
        # ``single``: a lone item is accepted where a list is expected (``cues: word``).
        self.single = single

    def check(self, value: Any, ctx: _Ctx) -> list[Any]:
        if self.single and not isinstance(value, list):
            value = [value]
        if not isinstance(value, list):
            raise ctx.fail(f"expected a list, got {_type_name(value)}")
        if len(value) < self.min_len:
            raise ctx.fail(f"needs at least {self.min_len} item(s)")
        lines = getattr(value, "item_lines", None)
        return [self.item.check(item, ctx.child(i, lines[i] if lines else None)) for i, item in enumerate(value)]


class Field:
    __slots__ = ("default", "required", "spec")

    def __init__(self, spec: Spec, *, required: bool = False, default: Any = _MISSING) -> None:
        self.spec = spec
        self.required = required
        self.default = default


class Map(Spec):
    """A mapping with known keys; any other key is an error."""

    def __init__(self, fields: dict[str, Field | Spec], *, name: str = "mapping") -> None:
        self.fields = {k: v if isinstance(v, Field) else Field(v) for k, v in fields.items()}
        self.name = name

    def check(self, value: Any, ctx: _Ctx) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ctx.fail(f"expected a mapping, got {_type_name(value)}")
        key_lines = getattr(value, "key_lines", {})
        for key in value:
            if key not in self.fields:
                known = ", ".join(sorted(self.fields))
                raise ctx.child(key, key_lines.get(key)).fail(f"unknown key (known keys: {known})")
        out: dict[str, Any] = {}
        for key, field in self.fields.items():
            if key in value:
                out[key] = field.spec.check(value[key], ctx.child(key, key_lines.get(key)))
            elif field.required:
                raise ctx.child(key, getattr(value, "line", None)).fail("is required")
            elif field.default is not _MISSING:
                default = field.default
                out[key] = default() if callable(default) else default
        return out


class MapOf(Spec):
    """A mapping with free keys (matching ``key``) and uniform values."""

    def __init__(self, value: Spec, *, key: str | None = None) -> None:
        self.value = value
        self.key = re.compile(key) if key else None

    def check(self, value: Any, ctx: _Ctx) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ctx.fail(f"expected a mapping, got {_type_name(value)}")
        key_lines = getattr(value, "key_lines", {})
        out = {}
        for key, item in value.items():
            sub = ctx.child(key, key_lines.get(key))
            if self.key and not self.key.fullmatch(str(key)):
                raise sub.fail(f"key {key!r} does not match {self.key.pattern}")
            out[str(key)] = self.value.check(item, sub)
        return out


class OneOf(Spec):
    """The first alternative whose shape fits (by Python type) decides."""

    def __init__(self, *alternatives: tuple[type | tuple[type, ...], Spec]) -> None:
        self.alternatives = alternatives

    def check(self, value: Any, ctx: _Ctx) -> Any:
        for types, spec in self.alternatives:
            if isinstance(value, types) and not (isinstance(value, bool) and bool not in _flat(types)):
                return spec.check(value, ctx)
        kinds = " or ".join(spec.describe() for _, spec in self.alternatives)
        raise ctx.fail(f"expected {kinds}, got {_type_name(value)}")


def _flat(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def plain(value: Any) -> Any:
    """Strip line annotations: plain dicts and lists that ``marshal`` can store."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def validate(
    value: Any,
    spec: Spec,
    *,
    file: str,
    error_class: type[DataError] = DataError,
) -> Any:
    line = getattr(value, "line", None) if isinstance(value, (LDict, LList)) else None
    return spec.check(value, _Ctx(file, "", line, error_class))


def line_of(tree: Any, *path: str | int) -> int | None:
    """The source line of a nested key in a ``yamlio`` tree, for later checks."""
    node = tree
    line = getattr(tree, "line", None)
    for part in path:
        if isinstance(node, dict) and part in node:
            line = getattr(node, "key_lines", {}).get(part, line)
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            lines = getattr(node, "item_lines", None)
            line = lines[part] if lines else line
            node = node[part]
        else:
            break
    return line
