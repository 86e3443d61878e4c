"""The fast start-up path (``entry``) behaves exactly like the typer path it stands in for."""

from __future__ import annotations

import inspect
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import NOW, SAMPLES

SAMPLE = str(SAMPLES / "damaged.eml")


@pytest.fixture
def both(monkeypatch, capfd, tmp_path):
    """Run argv through typer (``app.main``) and through ``entry.main`` with warm artefacts;
    return both (code, stdout, stderr) and whether the fast path served the second."""
    from replycoach.terminal import app as cli
    from replycoach.terminal import entry

    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path / "cache"))

    def stdin(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))

    def _both(*argv: str, data: bytes = b"") -> tuple[tuple, tuple, bool]:
        stdin(data)
        code = cli.main(list(argv))
        typer_result = (code, *capfd.readouterr())
        stdin(data)
        entry.main(list(argv))  # records the artefact (help output, option specs)
        capfd.readouterr()
        stdin(data)
        served = entry.fast(list(argv))
        fast_result = (served, *capfd.readouterr())
        return typer_result, fast_result, served is not None

    return _both


@pytest.mark.parametrize(
    "argv",
    [
        ["draft", SAMPLE, "--set", "agent=Sam", "--now", NOW],
        ["draft", SAMPLE, "--set=agent=Sam", "--now=" + NOW, "--format", "json"],
        ["draft", "--format", "md", SAMPLE, "--set", "agent=Sam", "--now", NOW, "--type", "meek"],
        ["draft", SAMPLE, "--now", NOW, "--playbook", "general", "--placeholders"],
        ["draft", SAMPLE, "--now", NOW, "--playbook", "general", "--set", "agent=S", "--set", "action=fix it"],
        ["draft", SAMPLE, "--now", NOW, "--set", "agent=Sam", "--strict", "--lang", "en"],
        ["draft", SAMPLE, "--now", NOW],  # missing answers: exit 2, one line
        ["draft", SAMPLE, "--playbook", "nope", "--set", "agent=Sam"],
        ["draft", "/no/such/file.eml"],
        ["draft", SAMPLE, "--set", "agent", "--now", NOW],
        ["draft", SAMPLE, "--type", "grumpy", "--set", "agent=Sam"],
        ["draft", SAMPLE, "--set", "agent=Sam", "--now", NOW, "--channel", "social"],
        ["draft", SAMPLE, "--set", "agent=Sam", "--now", NOW, "--channel=chat", "--format", "json"],
        ["draft", SAMPLE, "--set", "agent=Sam", "--now", NOW, "--set", "channel=chat", "--channel", "email"],
        ["draft", SAMPLE, "--set", "agent=Sam", "--now", NOW, "--set", "channel=fax"],  # exit 2, one line
    ],
)
def test_fast_draft_is_identical_to_typer(both, argv) -> None:
    typer_result, fast_result, served = both(*argv)
    assert served
    assert fast_result == typer_result


def test_fast_draft_from_stdin_is_identical(both) -> None:
    data = (SAMPLES / "damaged.eml").read_bytes()
    typer_result, fast_result, served = both("draft", "-", "--set", "agent=Sam", "--now", NOW, data=data)
    assert served and fast_result == typer_result
    typer_result, fast_result, served = both("draft", "--set", "agent=Sam", "--now", NOW, data=data)
    assert served and fast_result == typer_result
    tweet = b"@ShopCo my blender arrived with the jug cracked. Not happy #fail\n"
    for channel in ("--channel=email", "--channel=social"):
        typer_result, fast_result, served = both("draft", "--set", "agent=Sam", "--now", NOW, channel, data=tweet)
        assert served and fast_result == typer_result


@pytest.mark.parametrize(
    "argv",
    [
        ["draft", SAMPLE, "--format", "yaml"],  # a bad choice: typer's own message
        ["draft", SAMPLE, "--bogus"],
        ["draft", SAMPLE, "--set"],  # a missing value
        ["draft", SAMPLE, "other.eml"],  # one argument too many
        ["draft", "--", SAMPLE],
        ["draft", SAMPLE, "--strict=yes"],
        ["draft", SAMPLE, "--channel", "fax"],  # a bad choice: typer's own one line
        ["draft", SAMPLE, "--channel=Social"],
        ["draft", SAMPLE, "--channel"],
    ],
)
def test_unusual_arguments_fall_back_to_typer(both, argv) -> None:
    typer_result, _, served = both(*argv)
    assert not served
    assert typer_result[0] == 2


def test_a_bad_channel_on_the_fast_path_is_typers_one_line(both, capfd) -> None:
    from replycoach.terminal import entry

    both("draft", SAMPLE, "--set", "agent=Sam", "--now", NOW)  # the spec is stored
    assert entry.main(["draft", SAMPLE, "--set", "agent=Sam", "--channel", "fax"]) == 2
    out, err = capfd.readouterr()
    assert (out, err) == ("", "replycoach: error: --channel: 'fax' is not one of: email, chat, social\n")


@pytest.mark.parametrize("argv", [[], ["--help"], ["-h"], ["draft", "--help"], ["batch", "--help"], ["nope", "--help"]])
def test_help_replayed_byte_for_byte(both, argv) -> None:
    typer_result, fast_result, served = both(*argv)
    assert served
    assert fast_result == typer_result


def test_help_is_re_rendered_for_another_width(both, monkeypatch) -> None:
    from replycoach.terminal import entry

    both("--help")
    monkeypatch.setenv("COLUMNS", "61")
    assert entry.fast(["--help"]) is None


def test_stale_artefacts_are_not_used(both, monkeypatch, tmp_path) -> None:
    from replycoach.terminal import artefacts, entry

    both("draft", SAMPLE, "--set", "agent=Sam")
    # Pretend the CLI's modules changed since the specs were derived.
    monkeypatch.setattr(artefacts, "stamp", lambda paths: [(p, 0, 0) for p in paths])
    assert entry.fast(["draft", SAMPLE, "--set", "agent=Sam"]) is None


def test_no_cache_means_typer(monkeypatch) -> None:
    from replycoach.terminal import entry

    monkeypatch.setenv("REPLYCOACH_CACHE", "off")
    assert entry.fast(["--help"]) is None
    assert entry.fast(["draft", SAMPLE]) is None


def test_spec_is_derived_from_typer_and_matches_the_shared_body() -> None:
    from replycoach.terminal import cli_reply, draft_command, fast_draft

    spec = fast_draft.derive_specs()["draft"]
    assert spec["usable"]
    params = {p["name"]: p for p in spec["params"]}
    assert list(params) == list(inspect.signature(cli_reply.draft).parameters)
    assert list(params) == list(inspect.signature(draft_command.draft).parameters)
    assert params["fmt"] == {
        "name": "fmt",
        "argument": False,
        "opts": ["--format"],
        "flag": False,
        "multiple": False,
        "kind": "choice",
        "choices": ["text", "json", "md", "eml"],
        "min": None,
        "max": None,
        "default": "text",
        "required": False,
    }
    assert params["channel"] == {
        **params["fmt"],
        "name": "channel",
        "opts": ["--channel"],
        "choices": ["email", "chat", "social"],
        "default": None,
    }
    assert params["set_"]["multiple"] and params["strict"]["flag"] and params["file"]["argument"]


@pytest.mark.parametrize(
    ("argv", "is_help"),
    [
        ([], True),
        (["--help"], True),
        (["playbooks", "show", "-h"], True),
        (["draft"], False),
        (["draft", "x.eml", "--help"], False),
    ],
)
def test_what_counts_as_help(argv, is_help) -> None:
    from replycoach.terminal import help_replay

    assert help_replay.is_help(argv) is is_help


def test_console_script_drafts_without_importing_typer_or_rich(tmp_path) -> None:
    env = dict(os.environ, REPLYCOACH_CACHE=str(tmp_path / "cache"))
    code = (
        "import sys\n"
        "sys.argv = ['replycoach'] + sys.argv[1:]\n"
        "from replycoach.terminal.entry import main\n"
        "code = main(sys.argv[1:])\n"
        "print(sorted(m for m in ('typer', 'rich', 'click', 'pydantic') if m in sys.modules), code, file=sys.stderr)\n"
    )
    args = [sys.executable, "-c", code, "draft", SAMPLE, "--set", "agent=Sam", "--now", NOW]
    first = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    second = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert first.stdout == second.stdout and "Hi Ana," in second.stdout
    assert "'typer'" in first.stderr.splitlines()[-1]  # the first run derives the option specs
    assert second.stderr.splitlines()[-1] == "[] 0"
    assert Path(tmp_path / "cache").is_dir()


def test_help_replay_imports_neither_typer_nor_rich(tmp_path) -> None:
    # The cache found the way a user's is (XDG), not named by REPLYCOACH_CACHE: then
    # neither platformdirs nor typing (nor the re it imports) is imported either.
    env = {k: v for k, v in os.environ.items() if k != "REPLYCOACH_CACHE"}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    heavy = ("typer", "rich", "jinja2", "yaml", "platformdirs", "typing", "re", "pathlib")
    code = (
        "import sys\n"
        "from replycoach.terminal.entry import main\n"
        "code = main(['--help'])\n"
        f"print(sorted(m for m in {heavy!r} if m in sys.modules), code, file=sys.stderr)\n"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert first.stdout == second.stdout and "batch" in second.stdout
    assert second.stderr.splitlines()[-1] == "[] 0"
