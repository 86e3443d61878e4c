"""`replycoach check` through the CLI: formats, levels, exit codes, bad input, --fix."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from replycoach.terminal import fix_screen as fixui

from .conftest import ROOT

BAD = "Hi Ana,\n\nWe will send a new one soon. Please calm down.\n\nSam\n"
GOOD = "Hi Ana,\n\nI'm sorry the jug arrived cracked. I will send a new one by Monday, 3 pm.\n\nSam\n"
ANGRY = b"From: Ana <ana@example.com>\nSubject: broken\n\nThis is RIDICULOUS!! The worst service ever, my jug arrived cracked.\n"


def test_line_format_is_one_finding_per_line(run) -> None:
    r = run("check", "--format", "line", stdin=BAD)
    assert r.code == 1
    assert r.err == ""
    assert r.out.splitlines() == [
        "<stdin>:3:1 warning commitment-no-date A promise without a date invites the customer to chase you; say by when."
        " (suggestion: I will … by <day, time>.)",
        "<stdin>:3:1 warning we-will A promise from 'we' is a promise from nobody; commit personally."
        " (suggestion: I will)",
        "<stdin>:3:24 error vague-timing 'Soon' in a promise means nothing to an angry customer; give a day and time."
        " (suggestion: by <day, time>)",
        "<stdin>:3:37 error calm-down Telling an upset customer to calm down invalidates them and makes it worse."
        " (suggestion: Acknowledge what upset them: 'You have every reason to be annoyed.')",
    ]


def test_text_format_marks_the_phrase_and_counts(run, tmp_path: Path) -> None:
    reply = tmp_path / "reply.txt"
    reply.write_text("Hello,\n\tSorry if that upset you.\n", encoding="utf-8")
    r = run("check", str(reply))
    assert r.code == 1
    assert r.out == (
        f"{reply}:2:2 error non-apology A non-apology blames the customer's feelings or hedges with 'if';"
        " apologise for what happened. (suggestion: I'm sorry that <what went wrong>.)\n"
        "     Sorry if that upset you.\n"
        "     ^^^^^^^^\n"
        f"1 finding in {reply}: 1 error\n"
    )


def test_clean_reply_exits_0(run) -> None:
    r = run("check", stdin=GOOD)
    assert (r.code, r.out, r.err) == (0, "no findings in <stdin>\n", "")
    r = run("check", "--format", "line", stdin=GOOD)
    assert (r.code, r.out) == (0, "")


def test_json_has_the_contract_keys(run) -> None:
    r = run("check", "--format", "json", stdin=BAD)
    assert r.code == 1
    data = json.loads(r.out)
    assert set(data) == {"findings"}
    assert len(data["findings"]) == 4
    for f in data["findings"]:
        assert set(f) >= {"rule", "severity", "line", "column", "text", "message", "suggestion"}
    assert data["findings"][2]["text"] == "soon"
    assert data["findings"][1]["replacement"] == "I will"


def test_min_level_hides_lower_findings(run) -> None:
    r = run("check", "--format", "line", "--min-level", "error", stdin=BAD)
    assert [line.split()[2] for line in r.out.splitlines()] == ["vague-timing", "calm-down"]
    warnings_only = "Hi,\n\nWe will send it today.\n"
    r = run("check", "--min-level", "warning", "--format", "line", stdin=warnings_only)
    assert r.code == 0
    assert [line.split()[2] for line in r.out.splitlines()] == ["we-will"]


def test_no_exit_always_exits_0(run) -> None:
    r = run("check", "--no-exit", "--format", "line", stdin=BAD)
    assert r.code == 0
    assert len(r.out.splitlines()) == 4


def test_message_enables_structural_checks(run, tmp_path: Path) -> None:
    mail = tmp_path / "mail.eml"
    mail.write_bytes(ANGRY)
    reply = "Hi Ana,\n\nYour new jug leaves our warehouse on Monday.\n"
    assert run("check", "--format", "line", stdin=reply).code == 0
    r = run("check", "--message", str(mail), "--format", "line", stdin=reply)
    assert r.code == 1
    assert r.out.startswith(
        "<stdin>:1:1 error angry-no-apology The customer is angry and the reply has no sincere apology."
    )


@pytest.mark.parametrize(
    ("args", "stdin", "err"),
    [
        (["check"], "", "replycoach: error: <stdin>: empty reply\n"),
        (["check"], " \n\t\n", "replycoach: error: <stdin>: empty reply\n"),
        (["check"], "a\x00b", "replycoach: error: <stdin>: the reply is binary data (NUL bytes), not text\n"),
        (["check", "/no/such/reply.txt"], "", "replycoach: error: /no/such/reply.txt: no such file\n"),
        (["check", "--message", "/no/such/mail.eml"], "Hi", "replycoach: error: /no/such/mail.eml: no such file\n"),
        (["check", "--rules", "/no/such/dir"], "Hi", "replycoach: error: /no/such/dir: rules folder does not exist\n"),
        (["check", "--yes"], "Hi", "replycoach: error: --yes: --yes only applies to --fix\n"),
        (
            ["check", "--fix"],
            "We will call.",
            "replycoach: error: --fix: --fix asks about each change on a terminal; use --fix --yes to apply them all\n",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(run, args: list[str], stdin: str, err: str) -> None:
    r = run(*args, stdin=stdin)
    assert (r.code, r.out, r.err) == (2, "", err)


def test_bad_min_level_is_a_usage_error(run) -> None:
    r = run("check", "--min-level", "fatal", stdin="Hi")
    assert r.code == 2
    assert "--min-level" in r.err
    assert "Traceback" not in r.err


def test_bad_team_rule_names_file_and_line(run, tmp_path: Path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "x.yaml").write_text("id: x\nkind: existence\nlevel: error\nmessage: m\npatterns: [a]\nseverity: high\n")
    r = run("check", "--rules", str(team), stdin="Hi")
    assert r.code == 2
    assert r.err.startswith(f"replycoach: error: {team / 'x.yaml'}:6: severity: unknown key (known keys: ")
    assert r.err.count("\n") == 1


def test_team_rules_from_environment(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "kindly.yaml").write_text(
        "id: kindly\nkind: substitution\nlevel: suggestion\nmessage: Plain words.\nswap: {kindly: please}\n"
    )
    monkeypatch.setenv("REPLYCOACH_RULES", str(team))
    r = run("check", "--format", "line", stdin="Kindly reply.")
    assert (r.code, r.out) == (0, "<stdin>:1:1 suggestion kindly Plain words. (suggestion: Please)\n")


def test_a_reply_email_is_checked_by_its_body(run) -> None:
    from .conftest import NOW, SAMPLES

    eml = run("draft", str(SAMPLES / "damaged.eml"), "--set", "agent=Sam", "--now", NOW, "--format", "eml")
    assert eml.code == 0, eml.err
    body_with_habit = eml.out.replace("I am sending you a replacement", "We will send you a replacement")
    r = run("check", "--format", "line", stdin=body_with_habit)
    # Headers are not checked, and line 3 is the body's third line: for an aggressive
    # customer the Resolve paragraph comes first ("results-first" layout).
    assert (r.code, r.out) == (
        0,
        "<stdin>:3:1 warning we-will A promise from 'we' is a promise from nobody; commit personally."
        " (suggestion: I will)\n",
    )
    r = run("check", "--fix", "--yes", stdin=eml.out)
    assert r.code == 2
    assert r.err.startswith("replycoach: error: --fix: --fix rewrites plain-text replies, and this is an email")


def test_draft_json_findings_come_from_the_pack(run) -> None:
    from .conftest import NOW, SAMPLES

    r = run("draft", str(SAMPLES / "damaged.eml"), "--set", "agent=Sam", "--now", NOW, "--format", "json")
    assert r.code == 0, r.err
    assert [f for f in json.loads(r.out)["findings"] if f["severity"] == "error"] == []


# --- --fix -----------------------------------------------------------------------------


def test_fix_yes_rewrites_the_file_and_reports_what_remains(run, tmp_path: Path) -> None:
    reply = tmp_path / "reply.txt"
    reply.write_text(BAD + "\n> We will never do that again\n", encoding="utf-8")
    r = run("check", str(reply), "--fix", "--yes", "--format", "line")
    assert reply.read_text(encoding="utf-8") == (
        "Hi Ana,\n\nI will send a new one soon. Please calm down.\n\nSam\n\n> We will never do that again\n"
    )
    assert r.err == f"replycoach: applied 1 of 1 fix(es) to {reply}\n"
    assert [line.split()[2] for line in r.out.splitlines()] == ["commitment-no-date", "vague-timing", "calm-down"]
    assert r.code == 1


def test_fix_yes_on_stdin_writes_the_fixed_reply_to_stdout(run) -> None:
    r = run(
        "check",
        "--fix",
        "--yes",
        "--format",
        "line",
        stdin="We'll refund you today. We apologise for any inconvenience.\n",
    )
    assert r.code == 0
    assert r.out == "I'll refund you today. I'm sorry for the trouble this has caused.\n"
    assert r.err == "replycoach: applied 2 of 2 fix(es) to <stdin>\n"


def test_fix_leaves_an_unchanged_file_alone(run, tmp_path: Path) -> None:
    reply = tmp_path / "reply.txt"
    reply.write_text(GOOD, encoding="utf-8")
    before = reply.stat().st_mtime_ns
    r = run("check", str(reply), "--fix", "--yes")
    assert r.code == 0
    assert reply.stat().st_mtime_ns == before
    assert r.err == f"replycoach: applied 0 of 0 fix(es) to {reply}\n"


def test_interactive_choice_yes_no_all_quit() -> None:
    from replycoach.checking.checker import check, fixable

    reply = "We will call. We'll write. We are going to ship. We're going to pay.\n"
    candidates = fixable(check(reply))
    assert len(candidates) == 4
    shown: list[str] = []

    def answers(*script: str):
        it = iter(script)
        return lambda _question: next(it)

    picked = fixui.choose(reply, candidates, ask=answers("y", "n", "maybe", "a"), write=shown.append, color=False)
    assert [f["text"] for f in picked] == ["We will", "We are going to", "We're going to"]
    assert shown[1:3] == [
        f"- {reply.rstrip()}",
        "+ I will call. We'll write. We are going to ship. We're going to pay.",
    ]
    assert "Please answer y, n, a or q." in shown
    assert fixui.choose(reply, candidates, ask=answers("q"), write=shown.append, color=False) == []


def test_interactive_fixer_keeps_customer_text_inert() -> None:
    from replycoach.checking.checker import check, fixable

    reply = "We will call. \x1b[31mred\x1b[0m\n"
    shown: list[str] = []
    fixui.choose(reply, fixable(check(reply)), ask=lambda _q: "y", write=shown.append, color=True)
    assert all("\x1b[31mred" not in line for line in shown)
    assert any("^[[31mred" in line for line in shown)


def test_interactive_fix_on_a_terminal(tmp_path: Path) -> None:
    pexpect = pytest.importorskip("pexpect")
    reply = tmp_path / "reply.txt"
    reply.write_text("Hi,\n\nWe will call you today, and we'll email you.\n", encoding="utf-8")
    env = dict(os.environ, NO_COLOR="1", REPLYCOACH_CACHE=str(tmp_path / "cache"), PYTHONPATH=str(ROOT / "src"))
    child = pexpect.spawn(
        sys.executable, ["-m", "replycoach", "check", str(reply), "--fix"], env=env, encoding="utf-8", timeout=20
    )
    child.expect_exact("+ I will call you today, and we'll email you.")
    child.expect_exact("Apply this fix (1/2)?")
    child.sendline("y")
    child.expect_exact("+ We will call you today, and I'll email you.")
    child.expect_exact("Apply this fix (2/2)?")
    child.sendline("n")
    child.expect_exact("applied 1 of 2 fix(es)")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert reply.read_text(encoding="utf-8") == "Hi,\n\nI will call you today, and we'll email you.\n"
