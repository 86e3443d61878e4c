"""The agent's settings: ``replycoach config``'s TOML file, below the environment and ``--set``.

A setting's value is, first found: the draft's own settings (``--set KEY=VALUE`` or an
answers file), the environment variable (``REPLYCOACH_AGENT``, ...), the config file in
the platform's config folder (``replycoach paths`` shows it). The file is read with
``tomllib`` only when it exists, so a draft without one pays nothing; it is written here
as plain ``key = "value"`` lines, the only shape it has.
"""

from __future__ import annotations

import os
import re
from typing import Any

from replycoach.foundation.errors import ConfigError

# Each setting and the environment variable that overrides the file.
ENV = {
    "agent": "REPLYCOACH_AGENT",
    "company": "REPLYCOACH_COMPANY",
    "from": "REPLYCOACH_FROM",
    "timezone": "REPLYCOACH_TZ",
    "country": "REPLYCOACH_COUNTRY",
    "hours": "REPLYCOACH_HOURS",
    "lang": "REPLYCOACH_LANG",
    "register": "REPLYCOACH_REGISTER",
}
KEYS = tuple(ENV)
MEANING = {
    "agent": "who signs the reply",
    "company": "the company named in the reply",
    "from": "the sender of --format eml drafts, e.g. 'Sam Lee <sam@shop.example>'",
    "timezone": "business time zone for deadlines, e.g. Europe/Helsinki",
    "country": "public holidays for deadlines, e.g. FI",
    "hours": "business hours for deadlines, e.g. 9-17",
    "lang": "the reply's language (as --lang), e.g. fi",
    "register": "formal or informal address in locales that have both",
}

_CACHE: dict[str, tuple[tuple[int, int], dict[str, str]]] = {}


def config_path() -> str:
    """The config file (``REPLYCOACH_CONFIG`` names another)."""
    env = os.environ.get("REPLYCOACH_CONFIG", "").strip()
    if env:
        return env
    from replycoach.foundation.userdirs import user_dir

    return os.path.join(user_dir("config"), "config.toml")


def known(key: str) -> str:
    """``key`` when it is a setting; else a ConfigError naming the known ones."""
    if key not in ENV:
        raise ConfigError(f"unknown key {key!r} (known: {', '.join(KEYS)})", field=key)
    return key


def load(path: str | None = None) -> dict[str, str]:
    """The file's settings ({} when there is none), validated: unknown keys are errors."""
    path = path or config_path()
    try:
        st = os.stat(path)
    except OSError:
        return {}
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _CACHE.get(path)
    if cached is not None and cached[0] == stamp:
        return dict(cached[1])
    import tomllib

    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
        data = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", file=path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        line = getattr(exc, "lineno", None) or _line_of_error(str(exc))
        raise ConfigError(f"not valid TOML: {str(exc).split(' (at')[0]}", file=path, line=line) from None
    settings: dict[str, str] = {}
    for key, value in data.items():
        line = _line_of(text, key)
        if key not in ENV:
            raise ConfigError(f"unknown key (known: {', '.join(KEYS)})", file=path, line=line, field=key)
        if not isinstance(value, str):
            raise ConfigError("expected a string", file=path, line=line, field=key)
        try:
            settings[key] = check(key, value)
        except ConfigError as exc:
            raise ConfigError(exc.message, file=path, line=line, field=key) from None
    _CACHE[path] = (stamp, settings)
    return dict(settings)


def setting(key: str, settings: dict[str, Any] | None = None) -> str:
    """One setting: the draft's own (``--set``/answers), then the environment, then the file;
    "" when none gives it."""
    given = (settings or {}).get(key)
    if given is not None and str(given).strip():
        return str(given).strip()
    env = os.environ.get(ENV[key], "").strip()
    if env:
        return env
    return load().get(key, "")


def check(key: str, value: str) -> str:
    """A setting's value, trimmed; a ConfigError when it cannot be one."""
    value = value.strip()
    if not value:
        raise ConfigError("expected a value", field=key)
    if key == "timezone":
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ConfigError(f"unknown time zone {value!r} (e.g. Europe/Helsinki)", field=key) from None
    elif key == "hours" and not re.fullmatch(r"\d{1,2}(:\d\d)?-\d{1,2}(:\d\d)?", value):
        raise ConfigError(f"business hours must look like 9-17 or 08:30-16:30, not {value!r}", field=key)
    elif key == "register" and value not in ("formal", "informal"):
        raise ConfigError(f"{value!r} is not one of: formal, informal", field=key)
    elif key == "lang" and not re.fullmatch(r"[a-z]{2,3}", value):
        raise ConfigError(f"{value!r} is not a language code such as en or fi", field=key)
    elif key == "country" and not re.fullmatch(r"[A-Za-z]{2}", value):
        raise ConfigError(f"{value!r} is not a two-letter country code such as FI", field=key)
    elif key == "from" and not sender(value)[1]:
        raise ConfigError(f"{value!r} has no address: give 'Name <name@example.com>'", field=key)
    return value


def sender(value: str) -> tuple[str, str]:
    """``"Sam Lee <sam@shop.example>"`` -> (name, address); address "" when there is none."""
    from email.utils import parseaddr

    name, address = parseaddr(value)
    return name, address if re.fullmatch(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+", address) else ""


def set_value(key: str, value: str, path: str | None = None) -> str:
    """Store ``key = value`` in the file; returns the file's path."""
    path = path or config_path()
    data = load(path)
    data[known(key)] = check(key, value)
    _write(path, data)
    return path


def unset_value(key: str, path: str | None = None) -> bool:
    """Remove ``key`` from the file; False when it was not set."""
    path = path or config_path()
    data = load(path)
    if data.pop(known(key), None) is None:
        return False
    _write(path, data)
    return True


def _write(path: str, data: dict[str, str]) -> None:
    lines = ["# replycoach settings (replycoach config set|unset KEY)\n"]
    lines += [f"{key} = {_toml_string(data[key])}\n" for key in KEYS if key in data]
    folder = os.path.dirname(path)
    try:
        if folder:
            os.makedirs(folder, exist_ok=True)
        tmp = f"{path}.tmp{os.getpid()}"
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write("".join(lines))
        os.replace(tmp, path)
    except OSError as exc:
        raise ConfigError(f"cannot write: {exc.strerror}", file=path) from None
    _CACHE.pop(path, None)


def _toml_string(value: str) -> str:
    # JSON's string escapes are TOML basic-string escapes; DEL is the one control JSON leaves.
    import json

    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^[ \t]*(?:{re.escape(key)}|\"{re.escape(key)}\"|'{re.escape(key)}')[ \t]*[=.]", re.M)
    m = pattern.search(text)
    return text.count("\n", 0, m.start()) + 1 if m else None


def _line_of_error(message: str) -> int | None:
    m = re.search(r"line (\d+)", message)
    return int(m.group(1)) if m else None
