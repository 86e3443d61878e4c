"""Start-up cost stays low: heavy modules are not imported for a plain draft. (No timings here: the machine's load would make them flaky;
benchmarks/startup.py measures.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from .conftest import NOW, SAMPLES


def test_a_plain_draft_leaves_heavy_modules_alone(tmp_path) -> None:
    env = dict(os.environ, REPLYCOACH_CACHE=str(tmp_path / "cache"))
    code = (
        "import sys\n"
        "from replycoach.terminal.entry import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = ('typer', 'rich', 'yaml', 'html.parser', 'platformdirs')\n"
        "print(sorted(m for m in heavy if m in sys.modules), code, file=sys.stderr)\n"
    )
    args = [sys.executable, "-c", code, "draft", str(SAMPLES / "damaged.eml"), "--set", "agent=Sam", "--now", NOW]
    subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)  # fills the caches
    second = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert "Hi Ana," in second.stdout
    assert second.stderr.splitlines()[-1] == "[] 0"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG shortcut is taken on Linux only")
@pytest.mark.parametrize("xdg", [None, "", "  ", "/srv/xdg-data"])
def test_log_folder_is_the_one_platformdirs_names(monkeypatch, xdg) -> None:
    import platformdirs

    from replycoach.record import store

    monkeypatch.delenv("REPLYCOACH_HOME", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_DATA_HOME", xdg)
    assert str(store.data_dir()) == platformdirs.user_data_dir("replycoach", appauthor=False)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG shortcut is taken on Linux only")
@pytest.mark.parametrize("xdg", [None, "", "/srv/xdg-cache"])
def test_cache_folder_is_the_one_platformdirs_names(monkeypatch, xdg) -> None:
    import platformdirs

    from replycoach.foundation import resources

    monkeypatch.delenv("REPLYCOACH_CACHE", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    assert resources.cache_root() == platformdirs.user_cache_dir("replycoach", appauthor=False)


def test_importing_the_api_builds_no_schema() -> None:
    code = (
        "import sys, replycoach.api, replycoach.reply.compose\n"
        "print(sorted(m for m in ('replycoach.foundation.schema', 'replycoach.foundation.yamlio', 'yaml', 'html.parser')"
        " if m in sys.modules))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stderr


def test_console_script_draft_matches_the_api_and_logs(tmp_path) -> None:
    """``python -m replycoach draft`` (collector off, frozen at exit) prints and records
    exactly what the in-process call does."""
    from replycoach import api

    env = dict(os.environ, REPLYCOACH_CACHE=str(tmp_path / "cache"), REPLYCOACH_HOME=str(tmp_path / "home"))
    env.pop("REPLYCOACH_DB", None)
    sample = str(SAMPLES / "damaged.eml")
    args = [sys.executable, "-m", "replycoach", "draft", sample, "--set", "agent=Sam", "--now", NOW]
    for _ in range(2):  # the second run takes the fast path
        r = subprocess.run([*args, "--log"], capture_output=True, text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr
    expected = api.draft_text((SAMPLES / "damaged.eml").read_bytes(), sets={"agent": "Sam"}, now=NOW)["draft"]
    assert r.stdout == expected
    log = subprocess.run(
        [sys.executable, "-m", "replycoach", "analyze", sample, "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert '"complaints": 2' in log.stdout


def test_old_cache_entries_of_a_kind_are_pruned_on_write(tmp_path, monkeypatch) -> None:
    import os

    from replycoach.foundation import resources

    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path))
    data = tmp_path / "data.yaml"
    other = tmp_path / "other-kind-00000000.marshal"
    other.write_bytes(b"")
    names = []
    for n in range(7):  # seven edits of one data file: seven signatures of one kind
        data.write_text(f"v{n}")
        os.utime(data, ns=(10**18 + n, 10**18 + n))
        assert resources.cached("kind", [data], lambda n=n: {"v": n}) == {"v": n}
        names.append(sorted(p.name for p in tmp_path.glob("kind-*.marshal")))
        # Written in turn, so "newest" is well defined even on a coarse clock.
        for i, p in enumerate(sorted(tmp_path.glob("kind-*.marshal"), key=lambda p: p.stat().st_mtime_ns)):
            os.utime(p, ns=(i * 10**9, i * 10**9))
    assert [len(n) for n in names] == [1, 2, 3, 4, 4, 4, 4]
    assert other.exists() and data.exists()  # other kinds and non-entries are left alone
    resources._MEMO.clear()
    assert resources.cached("kind", [data], lambda: {"v": "rebuilt"}) == {"v": 6}  # the newest was kept
