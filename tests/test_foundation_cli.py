"""The scriptable core through the CLI: exit codes, exact messages, every bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import NOW, SAMPLES

SAMPLE = str(SAMPLES / "damaged.eml")
CONTRACT_ANALYZE_KEYS = {
    "language",
    "message",
    "scenario",
    "customer_type",
    "anger",
    "urgency",
    "risks",
    "entities",
    "wants",
    "missing",
}
CONTRACT_DRAFT_KEYS = CONTRACT_ANALYZE_KEYS | {"playbook", "steps", "deadline", "draft", "findings"}


def test_draft_json_has_contract_keys(run) -> None:
    r = run("draft", SAMPLE, "--set", "agent=Sam", "--now", NOW, "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert set(data) >= CONTRACT_DRAFT_KEYS
    assert set(data["message"]) >= {"body", "subject", "from_name", "from_email"}
    assert set(data["steps"]) == {"hear", "empathize", "apologize", "resolve", "diagnose"}
    assert set(data["steps"]["diagnose"]) == {"cause", "note"}
    assert set(data["entities"]) >= {"order_ids", "amounts", "dates", "emails", "phones"}
    assert data["playbook"] == "damaged-or-defective"
    assert data["entities"]["order_ids"] == ["#48213"]
    assert data["entities"]["amounts"] == ["$79.99"]
    assert data["deadline"] == "2026-11-23T15:00:00+01:00"
    assert data["draft"].startswith("Hi Ana,\n\n")
    assert data["draft"].rstrip().endswith("Sam")


def test_analyze_json_has_contract_keys(run) -> None:
    r = run("analyze", SAMPLE, "--format", "json")
    assert r.code == 0, r.err
    data = json.loads(r.out)
    assert set(data) >= CONTRACT_ANALYZE_KEYS
    assert data["scenario"]["id"] == "damaged-or-defective"
    assert 0 <= data["anger"]["score"] <= 1
    assert data["anger"]["level"] in {"none", "low", "medium", "high"}
    assert data["wants"] == {
        "stated": True,
        "text": "I want a replacement sent before the weekend, not a form to fill in.",
    }


def test_draft_text_is_deterministic_with_now(run) -> None:
    a = run("draft", SAMPLE, "--set", "agent=Sam", "--now", NOW)
    b = run("draft", "-", "--set", "agent=Sam", "--now", NOW, stdin=(SAMPLES / "damaged.eml").read_bytes())
    assert a.code == b.code == 0
    assert a.out == b.out
    assert "by Monday, 23 November, 3 pm" in a.out


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["draft"], b"", "replycoach: error: empty message\n"),
        (["draft"], b"   \n\t \n", "replycoach: error: empty message\n"),
        (["draft", "/no/such/file.eml"], b"", "replycoach: error: /no/such/file.eml: no such file\n"),
        (["draft", "/"], b"", "replycoach: error: /: is a directory, not a message file\n"),
        (["draft"], b"abc\x00\x01\x02def", "replycoach: error: input is binary data (NUL bytes), not a message\n"),
        (
            ["draft", "--set", "agent"],
            b"my order arrived broken",
            "replycoach: error: --set: expected KEY=VALUE, got 'agent'\n",
        ),
        (["draft", "--set", "agent=S", "--type", "grumpy"], b"broken", None),
    ],
)
def test_bad_input_exits_2_with_one_line(run, args: list[str], stdin: bytes, message: str | None) -> None:
    r = run(*args, stdin=stdin)
    assert r.code == 2
    assert r.out == ""
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    if message is not None:
        assert r.err == message


def test_random_binary_is_rejected(run) -> None:
    import random

    rng = random.Random(7)
    data = bytes(rng.randrange(1, 256) for _ in range(2000))
    r = run("analyze", stdin=data)
    assert r.code == 2
    assert r.err == "replycoach: error: input is binary data, not a message\n"


def test_invalid_utf8_plain_text_is_decoded_with_replacement(run) -> None:
    r = run("analyze", "--format", "json", stdin=b"My order arrived broken \xff\xfe and I am upset.")
    assert r.code == 0
    assert "arrived broken" in json.loads(r.out)["message"]["body"]


def test_unknown_playbook_lists_known_ones(run) -> None:
    r = run("draft", SAMPLE, "--playbook", "nope", "--set", "agent=Sam")
    assert r.code == 2
    assert r.err.startswith("replycoach: error: --playbook: unknown playbook 'nope' (known: ")
    assert "damaged-or-defective" in r.err and "general" in r.err


def test_missing_answers_name_every_field(run) -> None:
    # The agent chose the fix they write themselves: its sentence is an answer too.
    r = run("draft", SAMPLE, "--playbook", "general", "--set", "resolve=fix", "--now", NOW)
    assert r.code == 2
    assert r.err == (
        "replycoach: error: agent: missing required answers for playbook 'general': agent, action "
        "(give them with --set KEY=VALUE or --answers FILE, or use --placeholders for visible [[markers]])"
        '; set your name once with: replycoach config set agent "Your Name"\n'
    )


def test_placeholders_make_missing_answers_visible(run) -> None:
    r = run("draft", SAMPLE, "--playbook", "general", "--set", "resolve=fix", "--now", NOW, "--placeholders")
    assert r.code == 0
    assert "I will [[what I will do]]," in r.out
    assert r.out.rstrip().endswith("[[agent name]]")


@pytest.mark.parametrize("hostile", ["{{ 7*7 }}", "{% include '/etc/passwd' %}", "[bold red]x[/]", "\x1b[2J"])
@pytest.mark.parametrize("fmt", ["text", "json", "md", "eml"])
def test_customer_text_is_data_in_every_format(run, hostile: str, fmt: str) -> None:
    # A safety question is quoted back whatever the playbook: the hostile text must come out as written.
    message = f"My order arrived broken and I want a refund. Is the {hostile} part safe to use?"
    # The letter, which quotes the question back (a pasted line alone reads as chat).
    r = run("draft", "--set", "agent=Sam", "--now", NOW, "--format", fmt, "--channel", "email", stdin=message)
    assert r.code == 0, r.err
    if fmt == "json":
        data = json.loads(r.out)
        assert hostile in data["message"]["body"]
        assert hostile in data["draft"]
    elif fmt == "eml":
        import email
        from email import policy

        body = email.message_from_string(r.out, policy=policy.default).get_content()
        assert hostile in body
        assert "49" not in body  # (headers carry a random Message-ID and the time)
        return
    else:
        assert hostile in r.out
    assert "49" not in r.out and "root:" not in r.out


def test_answers_file_with_python_tag_is_rejected(run, tmp_path) -> None:
    bad = tmp_path / "answers.yaml"
    bad.write_text("values: !!python/object/apply:os.system ['echo hacked']\n")
    r = run("draft", SAMPLE, "--answers", str(bad))
    assert r.code == 2
    assert r.err.startswith(f"replycoach: error: {bad}:1: unsafe or unknown YAML tag rejected")


def test_answers_file_unknown_key_names_line_and_field(run, tmp_path) -> None:
    bad = tmp_path / "answers.yaml"
    bad.write_text("settings:\n  agent: Sam\nstepz:\n  resolve: refund\n")
    r = run("draft", SAMPLE, "--answers", str(bad))
    assert r.code == 2
    assert r.err.startswith(f"replycoach: error: {bad}:3: stepz: unknown key (known keys: ")


def test_invalid_answer_value_is_rejected_by_validator(run) -> None:
    r = run(
        "draft", SAMPLE, "--now", NOW, "--set", "agent=Sam", "--set", "resolve=refund", "--set", "refund_amount=lots"
    )
    assert r.code == 2
    assert r.err == "replycoach: error: values.refund_amount: 'lots' is not a number\n"


def test_compensation_above_cap_needs_a_reason(run) -> None:
    base = [
        "draft",
        SAMPLE,
        "--now",
        NOW,
        "--set",
        "agent=Sam",
        "--set",
        "resolve=refund",
        "--set",
        "refund_amount=900",
    ]
    r = run(*base)
    assert r.code == 2 and "above the policy cap of 500" in r.err
    r = run(*base, "--set", "compensation_reason=manager approved")
    assert r.code == 0, r.err
    assert "$900.00" in r.out


def test_strict_exits_1_on_error_findings(run, tmp_path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "general.yaml").write_text(
        (SAMPLES.parent / "playbooks" / "general.yaml")
        .read_text()
        .replace(
            "That is not the experience you should have had, and I can see why it is frustrating.",
            "I am sorry you feel that way.",
        )
    )
    args = [
        "draft",
        "--playbooks",
        str(team),
        "--playbook",
        "general",
        "--set",
        "agent=Sam",
        "--set",
        "action=fix it",
        "--channel",
        "email",  # the letter, with its empathize step (a pasted line alone reads as chat)
        "--now",
        NOW,
    ]
    # No problem frame's words: the empathize step's (edited) default option is used.
    stray = "Your courier left our gate open and the dog got out."
    r = run(*args, stdin=stray)
    assert r.code == 0
    assert "non-apology" in r.err
    r = run(*args, "--strict", stdin=stray)
    assert r.code == 1
    assert "I am sorry you feel that way." in r.out


def test_eml_reply_threads_under_the_message(run) -> None:
    r = run("draft", SAMPLE, "--set", "agent=Sam", "--now", NOW, "--format", "eml")
    assert r.code == 0
    import email
    from email import policy

    msg = email.message_from_string(r.out, policy=policy.default)
    assert msg["Subject"] == "Re: Blender arrived BROKEN - order #48213"
    assert msg["In-Reply-To"] == "<CAF7x9q1.48213@mail.example.com>"
    assert msg["References"] == "<CAF7x9q1.48213@mail.example.com>"
    assert msg["To"] == "Ana Lopez <ana.lopez@example.com>"


def test_python_m_and_console_script_run() -> None:
    r = subprocess.run([sys.executable, "-m", "replycoach", "--help"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0
    assert "draft" in r.stdout and "analyze" in r.stdout


def test_import_is_cheap() -> None:
    code = (
        "import sys, replycoach; print(sorted(m for m in ('jinja2','yaml','typer','rich','email') if m in sys.modules))"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip() == "[]"
