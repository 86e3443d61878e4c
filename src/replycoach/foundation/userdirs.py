"""replycoach's per-user folders (cache, data), by the platform's convention.

The ``--help`` replay (terminal/help_replay.py) asks where the cache is, so this module
imports only ``os`` and ``sys``: importing ``typing`` (and the ``re`` it brings) on that
path cost ``--help`` 1.54x its time, and importing ``platformdirs`` (which imports
``typing`` too) 1.64x (benchmarks/startup.py --against). On Linux the folders follow
platformdirs' XDG rule written out here; elsewhere platformdirs itself, the plain way,
names them (tests/test_startup_imports.py checks both give the same folders).
"""

from __future__ import annotations

import os
import sys

_XDG = {
    "cache": ("XDG_CACHE_HOME", ".cache", "user_cache_dir"),
    "data": ("XDG_DATA_HOME", os.path.join(".local", "share"), "user_data_dir"),
    "config": ("XDG_CONFIG_HOME", ".config", "user_config_dir"),
}


def user_dir(kind: str) -> str:
    """replycoach's ``cache``, ``data`` or ``config`` folder."""
    var, default, convention = _XDG[kind]
    platform: str = sys.platform  # a plain str: mypy would judge the branch by its own platform
    if platform.startswith("linux"):
        base = os.environ.get(var, "").strip() or os.path.join(os.path.expanduser("~"), default)
        return os.path.join(base, "replycoach")
    import platformdirs  # macOS / Windows conventions

    return str(getattr(platformdirs, convention)("replycoach", appauthor=False))


def cache_root() -> str | None:
    """The cache folder, or None when caching is switched off (``REPLYCOACH_CACHE=off``)."""
    env = os.environ.get("REPLYCOACH_CACHE")
    if env and env.lower() in {"0", "off", "no", "false"}:
        return None
    return env or user_dir("cache")
