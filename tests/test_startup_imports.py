"""Start-up cost stays low: heavy modules are not imported for a plain draft. (No timings here: the machine's load would make them flaky;
benchmarks/startup.py measures.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, NOW, SAMPLES
from .test_log_support import another_message


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
    for n in range(2):  # the second run takes the fast path; two messages, two complaints
        earlier = tmp_path / f"earlier-{n}.eml"
        earlier.write_bytes(another_message(n))  # the sample with a Message-ID of its own
        args = [sys.executable, "-m", "replycoach", "draft", str(earlier), "--set", "agent=Sam", "--now", NOW]
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


def _draft_thrice(tmp_path, message: Path = SAMPLES / "damaged.eml") -> tuple[subprocess.CompletedProcess[str], ...]:
    """The first run fills the caches, the second takes the fast path and stores the
    warm regexes, the third starts from them."""
    env = dict(os.environ, REPLYCOACH_CACHE=str(tmp_path / "cache"))
    args = [sys.executable, "-m", "replycoach", "draft", str(message), "--set", "agent=Sam", "--now", NOW]
    return tuple(subprocess.run(args, capture_output=True, text=True, env=env, timeout=120) for _ in range(3))


def _warm_file(tmp_path) -> Path:
    (found,) = (tmp_path / "cache").glob("re-warm*.marshal")
    return found


def test_warm_regexes_are_exactly_what_re_compile_builds(tmp_path) -> None:
    """The patterns a draft stored for the next start (stdlib email, json, Jinja's lexer...)
    rebuild into Pattern objects equal to fresh compiles: CPython compares pattern, flags
    and the engine code itself. Per-message boundary patterns are not stored."""
    import marshal
    from re import _compiler  # type: ignore[attr-defined]

    from replycoach.foundation.regexes import from_engine_code

    runs = _draft_thrice(tmp_path, FIXTURES / "emails" / "42-multipart-alternative.eml")
    assert all(r.returncode == 0 for r in runs), runs[-1].stderr
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout
    version, stored = marshal.loads(_warm_file(tmp_path).read_bytes())
    assert version == sys.version
    assert len(stored) >= 20  # email, json and jinja2 compile this many at import
    patterns = {pattern for _, pattern, _ in stored}
    assert not any(str(p).startswith(("(?P<sep>", "b'(?P<sep>")) for p in patterns)
    for (is_bytes, pattern, flags), code in stored.items():
        assert isinstance(pattern, bytes) == is_bytes
        assert from_engine_code(code) == _compiler.compile(pattern, flags), pattern


def test_a_warm_start_seeds_re_cache_and_writes_nothing_more(tmp_path) -> None:
    runs = _draft_thrice(tmp_path)
    assert all(r.returncode == 0 for r in runs)
    warm = _warm_file(tmp_path)
    before = warm.stat().st_mtime_ns
    env = dict(os.environ, REPLYCOACH_CACHE=str(tmp_path / "cache"))
    code = (
        "import re, sys\n"
        "from replycoach.foundation.regexes import warm_re_cache\n"
        "warm_re_cache()\n"
        "seeded = dict(re._cache)\n"
        "import email.feedparser, json, jinja2\n"
        "hit = [k for k in seeded if re.compile(k[1], k[2]) is seeded[k]]\n"
        "print(len(seeded), len(hit))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    seeded, hit = map(int, r.stdout.split())
    assert seeded >= 20 and hit == seeded  # re.compile hands out the seeded objects
    assert warm.stat().st_mtime_ns == before  # the runs after the first found them all
    # A pattern compiled before the seeding (the console script compiles one) is stored
    # once, and then known: later starts do not rewrite the file.
    script = (
        "import re, sys\n"
        "re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])\n"
        "from replycoach.terminal.entry import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    args = [sys.executable, "-c", script, "draft", str(SAMPLES / "damaged.eml"), "--set", "agent=Sam", "--now", NOW]
    for _ in range(2):
        assert subprocess.run(args, capture_output=True, env=env, timeout=120).returncode == 0
    stored = warm.stat().st_mtime_ns
    assert subprocess.run(args, capture_output=True, env=env, timeout=120).returncode == 0
    assert warm.stat().st_mtime_ns == stored


def test_a_damaged_warm_file_only_costs_speed(tmp_path) -> None:
    first = _draft_thrice(tmp_path)[0]
    _warm_file(tmp_path).write_bytes(b"\x00garbage")
    again = _draft_thrice(tmp_path)
    assert [r.stdout for r in again] == [first.stdout] * 3
    assert all(r.returncode == 0 and not r.stderr for r in again)


def test_a_start_that_rebuilt_cached_data_stores_no_warm_regexes(tmp_path) -> None:
    """Validating data files (after an edit or an upgrade) compiles every cue: those
    patterns are not what the next start needs, so that run leaves the file alone."""
    runs = _draft_thrice(tmp_path)
    assert all(r.returncode == 0 for r in runs)
    warm = _warm_file(tmp_path)
    before = (warm.read_bytes(), warm.stat().st_mtime_ns)
    for entry in (tmp_path / "cache").glob("signals-*.marshal"):
        entry.unlink()  # the next draft validates signals.yaml again, as after an edit
    again = _draft_thrice(tmp_path)[0]
    assert again.returncode == 0 and again.stdout == runs[0].stdout
    assert any((tmp_path / "cache").glob("signals-*.marshal"))  # it did rebuild
    assert (warm.read_bytes(), warm.stat().st_mtime_ns) == before
