"""Jinja rendering, always sandboxed and strict.

Templates and playbook option texts are team-authored data; customer text only ever
enters as a variable's value, so it is never parsed as a template. Undefined names
are errors (``StrictUndefined``) so a typo in a playbook fails loudly, never as an
empty gap in a customer's reply.

Compiling a template (lex, parse, generate Python, ``compile``) costs more than the
rest of a draft, so the compiled code is kept with Jinja's own ``BytecodeCache``
under the cache folder, for template files and for option texts alike. The code is
exactly what this sandboxed environment generates (the folder name carries a
fingerprint of its settings), so sandbox and strict-undefined semantics are unchanged.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from replycoach.foundation.errors import TemplateError

_ENVS: dict[tuple[str, ...], Any] = {}
_STRING_TEMPLATES: dict[tuple[int, str], Any] = {}  # (id of its environment, source)
# Playbook snippets are few (a library holds ~600), but a long-lived process calling the
# API over many playbook folders would otherwise keep every one it ever compiled.
_STRING_TEMPLATES_SIZE = 4096


def environment(template_dirs: list[Path] | None = None) -> Any:
    """A ``SandboxedEnvironment`` over the template folders (team folders first).

    ``builtin/NAME`` always names the shipped template, so a team's ``base.j2`` can
    ``{% extends "builtin/base.j2" %}`` and change one block.
    """
    from replycoach.foundation.resources import builtin_dir

    dirs = template_dirs or [builtin_dir("templates")]
    key = tuple(str(d) for d in dirs)
    env = _ENVS.get(key)
    if env is None:
        env = _ENVS[key] = new_environment(dirs)
    return env


def new_environment(dirs: list[Path]) -> Any:
    """A fresh ``SandboxedEnvironment`` over ``dirs`` (``environment`` keeps one per folder list)."""
    from jinja2 import ChoiceLoader, FileSystemLoader, PrefixLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loader = ChoiceLoader(
        [
            FileSystemLoader([str(d) for d in dirs]),
            PrefixLoader({"builtin": FileSystemLoader(str(dirs[-1]))}),
        ]
    )
    settings: dict[str, Any] = {
        "undefined": StrictUndefined,
        "autoescape": False,
        "trim_blocks": False,  # base.j2 lays out paragraphs with the newlines after its tags
        "lstrip_blocks": True,
        "keep_trailing_newline": False,
    }
    env = SandboxedEnvironment(loader=loader, bytecode_cache=_bytecode_cache(settings), **settings)
    env.filters["first_sentence"] = _first_sentence
    env.filters["lcfirst"] = _lcfirst
    env.filters["join_and"] = _join_and
    env.filters["money"] = money
    return env


def _lcfirst(s: str) -> str:
    return s[:1].lower() + s[1:] if s else s


def _bytecode_cache(settings: dict[str, Any]) -> Any:
    """Jinja's file bytecode cache in a folder private to this environment's settings."""
    import zlib

    from jinja2 import FileSystemBytecodeCache
    from jinja2 import __version__ as jinja_version

    from replycoach.foundation.resources import cache_dir
    from replycoach.foundation.version import __version__

    root = cache_dir()
    if root is None:
        return None
    fingerprint = repr(("SandboxedEnvironment", sorted((k, repr(v)) for k, v in settings.items()), jinja_version))
    folder = root / f"jinja-{__version__}-{zlib.crc32(fingerprint.encode()):08x}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # a read-only home only costs speed

    class QuietCache(FileSystemBytecodeCache):
        """A cache that cannot be read or written (damaged, read-only, removed, full) only
        costs speed: the template is compiled again."""

        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # an entry cut short or overwritten: Jinja's own load lets some through
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return QuietCache(str(folder))


def _from_string(env: Any, source: str) -> Any:
    """``env.from_string`` through the bytecode cache (Jinja only caches loader templates)."""
    cache = env.bytecode_cache
    if cache is None:
        return env.from_string(source)
    import hashlib

    name = "<string:" + hashlib.sha1(source.encode("utf-8")).hexdigest() + ">"
    bucket = cache.get_bucket(env, name, None, source)
    code = bucket.code
    if code is None:
        code = env.compile(source)
        bucket.code = code
        cache.set_bucket(bucket)
    return env.template_class.from_code(env, code, env.make_globals(None), None)


def _first_sentence(text: str) -> str:
    import re

    m = re.match(r"(.+?[.!?])(\s|$)", text.strip(), re.S)
    return m.group(1) if m else text.strip()


def money(value: object, currency: str = "$") -> str:
    """79.9 -> '$79.90'; a placeholder string passes through unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    amount = f"{value:,.2f}"
    return f"{amount} {currency}" if currency.isalpha() else f"{currency}{amount}"


def _join_and(items: list[str]) -> str:
    items = [str(i) for i in items]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def syntax_error(source: str) -> str | None:
    """The first Jinja syntax problem in ``source``, or None."""
    from jinja2 import TemplateSyntaxError

    try:
        environment().parse(source)
    except TemplateSyntaxError as exc:
        return f"line {exc.lineno}: {exc.message}"
    return None


def render_string(env: Any, source: str, context: dict[str, Any], *, where: str) -> str:
    """Render a playbook snippet (an option text) with ``context``."""
    template = _STRING_TEMPLATES.get((id(env), source))
    try:
        if template is None:
            template = _from_string(env, source)
            if len(_STRING_TEMPLATES) >= _STRING_TEMPLATES_SIZE:
                _STRING_TEMPLATES.clear()
            _STRING_TEMPLATES[id(env), source] = template
        return template.render(context)  # type: ignore[no-any-return]
    except Exception as exc:
        error = _template_error(exc, field=where)
        if error is exc:
            raise
        raise error from None


def _template_error(exc: Exception, **where: Any) -> Exception:
    """Our ``TemplateError`` for a Jinja error; any other exception as it is."""
    from jinja2 import TemplateError as JinjaError

    if isinstance(exc, JinjaError):
        return TemplateError(_describe(exc), **where)
    return exc


def render_template(env: Any, name: str, context: dict[str, Any]) -> str:
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    try:
        return env.get_template(name).render(context)  # type: ignore[no-any-return]
    except TemplateSyntaxError as exc:
        raise TemplateError(exc.message or "syntax error", file=exc.filename or name, line=exc.lineno) from None
    except TemplateNotFound as exc:
        raise TemplateError(f"template not found: {exc.name}", field="template") from None
    except JinjaError as exc:
        raise TemplateError(_describe(exc), file=name) from None


def evaluate(env: Any, expression: str, context: dict[str, Any], *, where: str) -> Any:
    """Evaluate a playbook condition (``when:``) in the sandbox."""
    try:
        return env.compile_expression(expression, undefined_to_none=True)(**context)
    except Exception as exc:
        error = _template_error(exc, field=where)
        if error is exc:
            raise
        raise error from None


def _describe(exc: Exception) -> str:
    message = getattr(exc, "message", None) or str(exc)
    return f"template error: {message}"
