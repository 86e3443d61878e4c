"""``replycoach config``: the agent's settings file, and --set > environment > file."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path

import pytest

from .conftest import NOW, SAMPLES

SAMPLE = str(SAMPLES / "damaged.eml")
KNOWN = "agent, company, from, timezone, country, hours, lang, register"


def config_file() -> Path:
    return Path(os.environ["XDG_CONFIG_HOME"]) / "replycoach" / "config.toml"


def test_set_get_unset_round_trip(run) -> None:
    path = config_file()
    r = run("config", "set", "agent", "Sam Lee")
    assert (r.code, r.out, r.err) == (0, f"agent = Sam Lee  ({path})\n", "")
    r = run("config", "get", "agent")
    assert (r.code, r.out, r.err) == (0, "Sam Lee\n", "")
    assert tomllib.loads(path.read_text(encoding="utf-8")) == {"agent": "Sam Lee"}
    r = run("config", "unset", "agent")
    assert (r.code, r.out) == (0, f"agent removed  ({path})\n")
    r = run("config", "get", "agent")
    assert (r.code, r.out, r.err) == (1, "", "")
    r = run("config", "unset", "agent")
    assert (r.code, r.out) == (0, f"agent was not set  ({path})\n")


def test_values_with_quotes_and_backslashes_survive_the_file(run) -> None:
    value = 'Sam "the fixer" O\\Neil\tjr'
    assert run("config", "set", "company", value).code == 0
    assert tomllib.loads(config_file().read_text(encoding="utf-8"))["company"] == value.strip()
    assert run("config", "get", "company").out == value.strip() + "\n"


def test_list_shows_value_and_source(run, monkeypatch) -> None:
    run("config", "set", "agent", "Sam")
    monkeypatch.setenv("REPLYCOACH_TZ", "Europe/Helsinki")
    r = run("config", "list", "--format", "json")
    assert r.code == 0
    data = json.loads(r.out)
    assert data["file"] == str(config_file())
    rows = {row["key"]: row for row in data["settings"]}
    assert list(rows) == KNOWN.split(", ")
    assert rows["agent"] == {"key": "agent", "value": "Sam", "source": "file"}
    assert rows["timezone"] == {"key": "timezone", "value": "Europe/Helsinki", "source": "REPLYCOACH_TZ"}
    assert rows["company"] == {"key": "company", "value": None, "source": None}
    text = run("config", "list").out.splitlines()
    assert text[0] == f"# {config_file()}"
    assert text[1] == "agent     Sam  (file)"
    assert text[2] == "company   (not set: the company named in the reply)"


@pytest.mark.parametrize(
    ("args", "err"),
    [
        (("set", "agnet", "Sam"), f"replycoach: error: agnet: unknown key 'agnet' (known: {KNOWN})\n"),
        (("get", "agnet"), f"replycoach: error: agnet: unknown key 'agnet' (known: {KNOWN})\n"),
        (("unset", "agnet"), f"replycoach: error: agnet: unknown key 'agnet' (known: {KNOWN})\n"),
        (
            ("set", "hours", "nine"),
            "replycoach: error: hours: business hours must look like 9-17 or 08:30-16:30, not 'nine'\n",
        ),
        (
            ("set", "timezone", "Mars/Olympus"),
            "replycoach: error: timezone: unknown time zone 'Mars/Olympus' (e.g. Europe/Helsinki)\n",
        ),
        (("set", "register", "posh"), "replycoach: error: register: 'posh' is not one of: formal, informal\n"),
        (
            ("set", "from", "Sam Lee"),
            "replycoach: error: from: 'Sam Lee' has no address: give 'Name <name@example.com>'\n",
        ),
    ],
)
def test_bad_keys_and_values_are_one_line_errors(run, args: tuple[str, ...], err: str) -> None:
    r = run("config", *args)
    assert (r.code, r.out, r.err) == (2, "", err)
    assert not config_file().exists()


def test_unknown_key_in_the_file_names_file_and_line(run) -> None:
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('agent = "Sam"\n\nresovle = "refund"\n', encoding="utf-8")
    r = run("draft", SAMPLE, "--now", NOW)
    assert (r.code, r.out) == (2, "")
    assert r.err == f"replycoach: error: {path}:3: resovle: unknown key (known: {KNOWN})\n"


def test_a_broken_file_is_one_line_with_its_line(run) -> None:
    path = config_file()
    path.parent.mkdir(parents=True)
    path.write_text('agent = "Sam"\nhours = 9-17\n', encoding="utf-8")
    r = run("config", "list")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith(f"replycoach: error: {path}:2: not valid TOML: ") and r.err.count("\n") == 1


def test_first_draft_without_an_agent_says_how_to_set_it(run) -> None:
    r = run("draft", SAMPLE, "--format", "json", "--now", NOW)
    assert (r.code, r.out) == (2, "")
    assert r.err.count("\n") == 1
    assert r.err.endswith('; set your name once with: replycoach config set agent "Your Name"\n')


def test_one_config_set_makes_the_readme_pipe_work(run) -> None:
    assert run("config", "set", "agent", "Sam").code == 0
    r = run("draft", "--format", "json", "--now", NOW, stdin=(SAMPLES / "damaged.eml").read_bytes())
    assert r.code == 0, r.err
    assert json.loads(r.out)["draft"].rstrip().endswith("Sam")


def test_set_beats_environment_beats_file(run, monkeypatch) -> None:
    run("config", "set", "agent", "File Name")

    def signer(*extra: str) -> str:
        r = run("draft", SAMPLE, "--now", NOW, *extra)
        assert r.code == 0, r.err
        return r.out.rstrip().splitlines()[-1]

    assert signer() == "File Name"
    monkeypatch.setenv("REPLYCOACH_AGENT", "Env Name")
    assert signer() == "Env Name"
    assert run("config", "get", "agent").out == "Env Name\n"
    assert signer("--set", "agent=Set Name") == "Set Name"


def test_business_calendar_comes_from_the_file(run) -> None:
    def deadline() -> str:
        r = run("draft", SAMPLE, "--now", NOW, "--set", "agent=Sam", "--format", "json")
        assert r.code == 0, r.err
        return str(json.loads(r.out)["deadline"])

    before = deadline()
    run("config", "set", "timezone", "Asia/Tokyo")
    after = deadline()
    assert before.endswith("+01:00") and after.endswith("+09:00")


def test_lang_from_the_file_acts_as_lang_option(run) -> None:
    base = (SAMPLE, "--now", NOW, "--set", "agent=Sam", "--format", "json")
    english = json.loads(run("draft", *base).out)
    forced = json.loads(run("draft", *base, "--lang", "fi").out)
    assert english["language"] == "en" and forced["language"] == "fi"
    run("config", "set", "lang", "fi")
    r = run("draft", *base)
    assert r.code == 0, r.err
    assert json.loads(r.out) == forced
    assert json.loads(run("draft", *base, "--lang", "en").out) == english


def test_paths_shows_the_config_file(run) -> None:
    r = run("paths")
    assert r.code == 0
    assert r.out.splitlines()[0] == f"config:     {config_file()}  (not created yet)"
    run("config", "set", "agent", "Sam")
    assert run("paths").out.splitlines()[0] == f"config:     {config_file()}"


def test_the_core_reads_settings_without_typer() -> None:
    import ast

    source = (Path(__file__).resolve().parents[1] / "src/replycoach/foundation/config.py").read_text()
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert not imported & {"typer", "rich", "click"}


# --- unknown keys are errors everywhere -------------------------------------------


def test_a_set_typo_is_an_error_naming_the_known_keys(run) -> None:
    r = run("draft", SAMPLE, "--set", "agent=Sam", "--set", "resovle=refund", "--now", NOW)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "replycoach: error: resovle: unknown key 'resovle' (did you mean 'resolve'? known: hear, empathize,"
        " apologize, resolve, cause, note, agent, company, from, customer_name, timezone, country, hours, lang,"
        " register, language, channel, restatement, other_issues, compensation_reason;"
        " questions of 'damaged-or-defective': credit_amount, currency, order_id, refund_amount)\n"
    )


def test_an_answers_file_value_for_no_question_is_an_error(run, tmp_path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("settings: {agent: Sam}\nvalues: {refund_amuont: 20}\n", encoding="utf-8")
    r = run("draft", SAMPLE, "--answers", str(answers), "--now", NOW)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith(
        "replycoach: error: refund_amuont: unknown key 'refund_amuont' (did you mean 'refund_amount'?"
    )


def test_a_value_for_another_playbooks_question_is_kept(run) -> None:
    # One --set serves a whole batch of playbooks: a question some playbook asks is no typo.
    r = run("draft", SAMPLE, "--set", "agent=Sam", "--set", "status_url=https://status.example", "--now", NOW)
    assert r.code == 0, r.err


def test_a_cause_the_playbook_does_not_list_is_an_error(run) -> None:
    r = run("draft", SAMPLE, "--set", "agent=Sam", "--set", "cause=bogus", "--log", "--now", NOW)
    assert (r.code, r.out) == (2, "")
    assert r.err == (
        "replycoach: error: cause: 'bogus' is not one of the causes of 'damaged-or-defective': carrier-damage,"
        " packaging, manufacturing-defect, qc-missed, wrong-expectation, unknown\n"
    )
    assert run("log", "list", "--format", "json").out == "[]\n"  # nothing logged
    assert run("draft", SAMPLE, "--set", "agent=Sam", "--set", "cause=packaging", "--log", "--now", NOW).code == 0


def test_the_python_api_refuses_unknown_keywords() -> None:
    import replycoach

    raw = (SAMPLES / "damaged.eml").read_bytes()
    with pytest.raises(TypeError, match="playbok"):
        replycoach.draft_text(raw, playbok="general")
    with pytest.raises(TypeError, match="custmer_type"):
        replycoach.analyze_text(raw, custmer_type="meek")
    from replycoach.foundation.errors import AnswersError

    with pytest.raises(AnswersError, match="unknown key 'resovle'"):
        replycoach.draft_text(raw, sets={"agent": "Sam", "resovle": "refund"}, now=NOW)


def test_the_coach_takes_agent_company_and_lang_from_the_file_and_saves_them(run) -> None:
    from replycoach.terminal.coach_walk import Walk

    for key, value in (("agent", "Kaisa"), ("company", "Fernway"), ("lang", "fi")):
        assert run("config", "set", key, value).code == 0
    walk = Walk(Path(SAMPLE).read_bytes(), now=NOW)
    assert walk.answers.settings["agent"] == "Kaisa" and walk.answers.settings["company"] == "Fernway"
    # The live reading answers in the configured language, and a replay keeps it.
    assert walk.answers.language == "fi" and walk.analysis["language"] == "fi"
    assert not walk.needs_agent()
