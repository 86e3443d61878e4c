"""Start-up cost stays low: module regexes are lazy and cached, heavy modules are not
imported for a plain draft. (No timings here: the machine's load would make them flaky;
benchmarks/startup.py measures.)"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from .conftest import NOW, SAMPLES


def test_lazy_regexes_are_the_regexes_re_compile_builds(monkeypatch, tmp_path) -> None:
    from replycoach.foundation import resources
    from replycoach.foundation.regexes import group

    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path / "cache"))
    specs = [
        (r"(?P<word>[^\W\d_]{2,})\s+(\d+)", re.IGNORECASE),
        (r"^\s*>", 0),
        (rb"\r?\n[ \t]*\r?\n", 0),
        (r"(?:wrote|schrieb|écrit)\s*[:：]\s*$", re.IGNORECASE | re.MULTILINE),
    ]
    texts = ["Order 12345 and ÉCRIT : ", "  > quoted\nAna WROTE:", "x\n> y"]
    for attempt in ("miss", "hit"):
        resources._MEMO.clear()
        made = group("test-lazy", __file__)
        lazies = [made(p, f) for p, f in specs]
        for lazy, (pattern, flags) in zip(lazies, specs, strict=True):
            expected = re.compile(pattern, flags)
            assert lazy.pattern == expected.pattern and lazy.flags == expected.flags, attempt
            assert lazy.search("") == expected.search("") if isinstance(pattern, str) else True
            for text in texts:
                subject = text.encode() if isinstance(pattern, bytes) else text
                got, want = lazy.search(subject), expected.search(subject)
                assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), attempt
                assert lazy.findall(subject) == expected.findall(subject)
    assert any(p.name.startswith("test-lazy-sre") for p in (tmp_path / "cache").iterdir())


def test_a_plain_draft_leaves_heavy_modules_alone(tmp_path) -> None:
    env = dict(os.environ, REPLYCOACH_CACHE=str(tmp_path / "cache"))
    code = (
        "import sys\n"
        "from replycoach.terminal.entry import main\n"
        "code = main(sys.argv[1:])\n"
        "heavy = ('typer', 'rich', 'yaml', 'html.parser', 'platformdirs', 'dataclasses')\n"
        "print(sorted(m for m in heavy if m in sys.modules), code, file=sys.stderr)\n"
    )
    args = [sys.executable, "-c", code, "draft", str(SAMPLES / "damaged.eml"), "--set", "agent=Sam", "--now", NOW]
    subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)  # fills the caches
    second = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert "Hi Ana," in second.stdout
    assert second.stderr.splitlines()[-1] == "[] 0"


def test_importing_the_message_reader_compiles_no_regex() -> None:
    code = (
        "import re, sys\n"
        "compiled = []\n"
        "real = re.compile\n"
        "def spy(pattern, flags=0):\n"
        "    compiled.append(sys._getframe(1).f_code.co_filename)\n"
        "    return real(pattern, flags)\n"
        "re.compile = spy\n"
        "import replycoach.message.quotes, replycoach.message.mime, replycoach.reading.analysis\n"
        "print(sorted({f for f in compiled if 'replycoach' in f}))\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]", r.stderr


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
        "print(sorted(m for m in ('replycoach.foundation.schema', 'replycoach.foundation.yamlio', 'yaml', 'dataclasses', 'html.parser')"
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


def test_compile_cached_matches_re_compile_on_a_miss_and_a_hit(tmp_path, monkeypatch) -> None:
    import re

    from replycoach.foundation import regexes
    from replycoach.foundation.regexes import compile_cached

    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path))
    text = "We will get back to you SOON, I promise; Soon-ish. (?P<x>) ünïcödé soon"
    specs = [(r"\bsoon\b", re.IGNORECASE), (r"(?P<who>we|I)\s+(will|promise)", 0), (r"\w+", 0)]
    for pattern, flags in specs:
        expected = re.compile(pattern, flags)
        for _ in range(2):  # first: compiled and stored; second: read back from the bundle
            got = compile_cached(pattern, flags)
            assert got.pattern == expected.pattern and got.flags == expected.flags
            assert got.groupindex == expected.groupindex
            assert [m.span() for m in got.finditer(text)] == [m.span() for m in expected.finditer(text)]
    (bundle,) = tmp_path.glob("re2-*.marshal")  # one file for all patterns
    monkeypatch.setattr(regexes, "_BUNDLE_PATH", None)  # as a new process: read from disk
    assert sorted(regexes._load_bundle(str(bundle))) == sorted((p, int(f)) for p, f in specs)
    assert compile_cached(r"\w+").findall("a b") == ["a", "b"]
    # A damaged bundle is ignored, never trusted; the next miss writes a good one.
    bundle.write_bytes(b"garbage")
    monkeypatch.setattr(regexes, "_BUNDLE_PATH", None)
    assert compile_cached(r"\w+").findall("a b") == ["a", "b"]
    assert compile_cached(r"\d+").findall("1 22") == ["1", "22"]
    assert len(regexes._load_bundle(str(bundle))) == 2


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


def test_the_rule_pattern_bundle_stays_bounded(tmp_path, monkeypatch) -> None:
    from replycoach.foundation import regexes

    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path))
    monkeypatch.setattr(regexes, "RE_CACHE_LIMIT", 10)
    monkeypatch.setattr(regexes, "_USED", set())
    for n in range(25):
        assert regexes.compile_cached(rf"w{n}\d").match(f"w{n}7")
        monkeypatch.setattr(regexes, "_USED", {(rf"w{n}\d", 0)})  # a new process uses only the newest
    (bundle,) = tmp_path.glob("re2-*.marshal")
    assert len(regexes._load_bundle(str(bundle))) <= 10
