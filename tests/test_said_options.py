"""An option's ``said:`` phrases choose it when the customer's message uses one, over the
playbook's default, but not over the complainant type's own option or the agent's choice."""

from __future__ import annotations

import json

from .conftest import NOW

LOCKED = """From: Priya Shah <priya@example.com>
Subject: locked out

hi I'm completely locked out, the reset email goes to my old uni email which doesn't exist anymore.
I have an invoice to send a client TODAY. how do I get in??
"""
DRAFT = ["--playbook", "account-access", "--set", "agent=Sam", "--placeholders", "--format", "json", "--now", NOW]


def _resolve(run, *args: str, stdin: str = LOCKED) -> dict:
    r = run("draft", *DRAFT, *args, stdin=stdin)
    assert r.code == 0, r.err
    return json.loads(r.out)


def test_what_the_customer_said_picks_the_option(run) -> None:
    result = _resolve(run)
    assert result["choices"]["resolve"] == "verify-identity"  # not a reset link to the dead address
    assert result["choices"]["empathize"] == "work-blocked"  # "a client"
    assert "I know you need this today" in result["draft"]


def test_without_the_phrase_the_default_stands(run) -> None:
    plain = LOCKED.replace("old uni email which doesn't exist anymore", "inbox").replace("a client", "you")
    result = _resolve(run, stdin=plain)
    assert result["choices"]["resolve"] == "reset-link"


def test_the_agents_choice_and_the_types_own_option_win(run) -> None:
    assert _resolve(run, "--set", "steps.resolve=reset-link")["choices"]["resolve"] == "reset-link"
    # high-roller has its own empathy option here; aggressive its short one.
    assert _resolve(run, "--type", "aggressive")["choices"]["empathize"] == "short"


def test_an_empty_said_list_is_refused_with_file_and_line(run, tmp_path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    (team / "x.yaml").write_text(
        "id: x\ntitle: X\nextends: general\nsteps:\n  resolve:\n    options:\n"
        "      - id: fix\n        label: Fix\n        text: I will fix it.\n        said: []\n",
        encoding="utf-8",
    )
    r = run("playbooks", "validate", str(team / "x.yaml"))
    assert r.code == 2
    assert "x.yaml" in r.err and "said" in r.err


def test_the_kept_cue_sets_match_fresh_ones() -> None:
    """``listen.says`` keeps each list's compiled cue set for the process (a batch asks
    the same lists message after message); a fresh set gives the same answers."""
    from replycoach.reading.cues import CueSet
    from replycoach.reply import listen

    lists = [["old email", "no longer exists"], ["2fa", "re:\\bauthenticat\\w*"], ["a client"]]
    bodies = [LOCKED, "my authenticator app is gone", "nothing here", "A CLIENT waits", ""]
    for cues in lists:
        for body in bodies:
            fresh = bool(CueSet([("said", c, 1.0) for c in cues]).hits(body))
            assert listen.says(cues, body) == fresh == listen.says(cues, body)
