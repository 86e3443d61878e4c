"""`replycoach coach` driven in a real pseudo-terminal with pexpect: full walks, what the
screen shows at each step, the final draft (golden files), pipes, replay, Ctrl-C."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FIXTURES, NOW, SAMPLES, ctrl_c_reaches_it
from .test_log_support import another_message

pexpect = pytest.importorskip("pexpect")

HERE = FIXTURES / "coach"
DAMAGED = SAMPLES / "damaged.eml"
_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")
_BOX = re.compile(r"[│╭╮╰╯─]")


def flat(raw: str) -> str:
    """What the screen says, as one line: no escapes, no panel borders, wrapping undone."""
    return " ".join(_BOX.sub(" ", _ANSI.sub("", raw)).split())


def golden(name: str, actual: str) -> None:
    """Compare with tests/fixtures/coach/NAME; REPLYCOACH_UPDATE_GOLDEN=1 rewrites it."""
    path = HERE / name
    if os.environ.get("REPLYCOACH_UPDATE_GOLDEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert actual == path.read_text(encoding="utf-8")


class Coach:
    """A `replycoach coach` process on a pseudo-terminal, 80 columns wide."""

    def __init__(self, args: list[str], *, shell: str | None = None, env: dict[str, str] | None = None) -> None:
        environ = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", **(env or {})}
        environ.pop("VISUAL", None)
        environ.pop("EDITOR", None)
        if env:
            environ.update(env)
        if shell is not None:
            self.child = pexpect.spawn(
                "/bin/sh",
                ["-c", shell],
                env=environ,
                dimensions=(40, 80),
                encoding="utf-8",
                timeout=20,
                preexec_fn=ctrl_c_reaches_it,
            )
        else:
            self.child = pexpect.spawn(
                sys.executable,
                ["-m", "replycoach", "coach", *args],
                env=environ,
                dimensions=(40, 80),
                encoding="utf-8",
                timeout=20,
                preexec_fn=ctrl_c_reaches_it,
            )
        self.screen = ""

    def wait(self, prompt: str) -> str:
        """Wait for ``prompt``; return (and keep) everything shown since the last prompt."""
        self.child.expect_exact(prompt)
        self.screen = flat(self.child.before + prompt)
        return self.screen

    def send(self, line: str = "") -> None:
        self.child.sendline(line)

    def step(self, prompt: str, answer: str = "") -> str:
        shown = self.wait(prompt)
        self.send(answer)
        return shown

    def end(self) -> tuple[int, str]:
        self.child.expect(pexpect.EOF)
        rest = flat(self.child.before)
        self.child.close()
        return self.child.exitstatus, rest


def test_aggressive_customer_damaged_item(tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    c = Coach([str(DAMAGED), "--now", NOW, "--out", str(out), "--set", "agent=Sam"])

    hear = c.step("Enter keeps this reading")
    assert "1/6 Hear" in hear
    assert "Tip (Aggressive): Read it all before answering. Restate the problem, not the insults." in hear
    assert "Customer's message from Ana Lopez" in hear
    assert "My blender arrived today with the jug cracked right down the side." in hear
    assert "Marked: complaint anger words order numbers, amounts, dates what they want" in hear
    assert (
        "Scenario damaged-or-defective (Damaged or defective item) 0.99"
        " — because of 'arrived BROKEN', 'BROKEN', 'cracked'" in hear  # the subject line counts too
    )
    assert "Type Aggressive — because of 'ridiculous', '!!'" in hear
    assert "Anger high 0.61 — because of 'ridiculous', '!!'" in hear
    assert "Found order id #48213 · amount $79.99 · date today · date on Sunday" in hear
    assert "Wants I want a replacement sent before the weekend, not a form to fill in." in hear
    assert "Missing" not in hear  # the order number is in the message
    assert "Sent from my iPhone" not in hear and "Your order #48213 has shipped" not in hear

    shown = c.step("Enter accepts · e edit · r rewrite")
    assert "Restatement: your blender arrived today with the jug cracked right down the side" in shown
    c.step("What else", "The box also had no manual; you can download it from the blender's product page.")
    shown = c.step("Hear [")
    assert "› 1 Restate the problem in their words recommended for Aggressive" in shown
    assert "Draft so far Hi Ana," in shown and "Thank you for letting me know straight away." in shown
    assert "The box also had no manual" in shown

    shown = c.step("Empathize [")
    assert "2/6 Empathize" in shown
    assert "Tip (Aggressive): One short, specific line. Do not match their tone" in shown
    assert "› 5 One short line (aggressive customers) recommended for Aggressive" in shown
    assert "You have every reason to be annoyed." in shown  # the live draft grows

    shown = c.step("Apologize [")
    assert "Tip (Aggressive): Own it in one sentence. No 'but', no justification." in shown
    assert "I am sorry: we sent it to you damaged, and that is on us." in shown

    shown = c.step("Resolve [", "2")
    assert "› 1 Send a replacement" in shown
    assert "1-6, w, c; Enter takes › · b back · s skip · q quit Resolve [" in shown  # six resolve options
    assert "Tip (Aggressive): What and when, up front. A concrete date, not 'soon'." in shown
    assert "› 1 Send a replacement, no return needed recommended for Aggressive" in shown
    shown = c.step("How much will you refund? (amount with currency) (an amount) [$79.99]:", "a lot")
    shown = c.step("How much will you refund?", "")
    assert "✗ 'a lot' is not a number" in shown
    c.step("Currency symbol [$]:", "")

    shown = c.step("Root cause [", "1")
    assert "5/6 Diagnose" in shown and "Internal only: this never goes into the reply." in shown
    c.step("Prevention note [Claim with the carrier; review the route or carrier.]:")

    shown = c.step("Enter writes it")
    assert "6/6 Finish" in shown
    # results-first for an aggressive customer: what I will do and when leads the reply
    assert "Draft reply Hi Ana, I am refunding the full $79.99" in shown
    assert "✓ The checker found nothing to fix." in shown
    assert "I am refunding the full $79.99 to your original payment method by Monday, 23 November, 5 pm" in shown
    assert "Steps hear restate · empathize short · apologize short · resolve refund" in shown
    assert "Diagnose carrier-damage: Claim with the carrier; review the route or carrier. (internal)" in shown
    code, _ = c.end()
    assert code == 0
    draft = out.read_text(encoding="utf-8")
    golden("aggressive.golden.txt", draft)
    assert "carrier" not in draft  # Diagnose stays internal


def test_rip_off_customer_pushing_past_the_cap(tmp_path: Path) -> None:
    out = tmp_path / "reply.json"
    saved = tmp_path / "answers.yaml"
    c = Coach(
        [str(HERE / "ripoff.eml"), "--now", NOW, "--out", str(out), "--format", "json", "--save-answers", str(saved)],
    )
    hear = c.step("Enter keeps this reading")
    assert "Type Rip-off — because of 'not good enough', 'compensation', 'the least you can do'" in hear
    assert "Anger none 0.00" in hear
    assert "Found order id #50991 · amount $45.00 · amount $600" in hear
    assert "Tip (Rip-off): Restate the facts precisely (dates, amounts), not the demands." in hear
    c.step("Enter accepts · e edit · r rewrite")
    c.step("What else")
    c.step("Hear [")
    c.step("Empathize [")
    c.step("Apologize [")
    shown = c.step("Resolve [", "4")
    assert "Back the offer with figures and keep it within what you normally do." in shown
    assert "› 1 Send a replacement, no return needed recommended for Rip-off" in shown
    assert "They asked: I expect a full refund and $600 compensation If you cannot give that" in shown
    assert "c I can't do X; what I can do is Y if you can't give what they asked" in shown
    c.step("Goodwill credit on top (amount)? (an amount) [10]:", "40")
    shown = c.step("Go over the cap? (y/N):", "n")
    assert "⚠ 40.00 is above the policy cap of 25.00 for 'Replacement plus a goodwill credit'." in shown
    c.step("Goodwill credit on top (amount)? (an amount) [10]:", "40")
    c.step("Go over the cap? (y/N):", "y")
    c.step("Why? (kept on record, not in the reply):", "")
    shown = c.step("Why? (kept on record, not in the reply):", "Second cracked lid this month; approved by Kim")
    assert "✗ a reason is required to go over the cap" in shown
    c.step("Currency symbol [$]:")
    c.step("Root cause [", "2")
    c.step("Prevention note [Upgrade the packaging spec for this item.]:")
    c.step("Sign the reply as", "Sam")
    shown = c.step("Enter writes it")
    assert "I am adding a $40.00 credit to your account for the trouble." in shown
    # They already turned an offer down ('not good enough'): ask what would make it right.
    assert "I hear that this does not feel like enough. What can I do to make things right?" in shown
    code, _ = c.end()
    assert code == 0
    import json

    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["steps"]["diagnose"] == {"cause": "packaging", "note": "Upgrade the packaging spec for this item."}
    assert result["customer_type"]["id"] == "rip-off"
    golden("ripoff.golden.txt", result["draft"])
    assert "compensation_reason: Second cracked lid this month; approved by Kim" in saved.read_text()


def test_meek_customer_cannot_do_what_they_asked(tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    c = Coach([str(HERE / "meek.txt"), "--now", NOW, "--out", str(out), "--set", "agent=Sam"])
    hear = c.step("Enter keeps this reading", "p")
    assert "Scenario refund-request (Refund request) 0.86 — because of 'refund'" in hear
    assert "Type Meek — because of 'sorry to bother', 'Maybe it's just me', 'if possible'" in hear
    assert "Tip (Meek): They have probably understated it. Restate it fully and ask what else went wrong." in hear
    assert "Missing order number, the amount paid" in hear
    # The mat can be refunded, the membership cannot: refund-request's own "can't" option
    # offers store credit instead, so the agent takes the plain HEARD walk.
    shown = c.step("Scenario [", "7")
    assert "7 Any complaint (plain HEARD) general" in shown and "› 11 Refund request refund-request" in shown
    hear = c.step("Enter keeps this reading")
    assert "Scenario general (Any complaint (plain HEARD)) chosen by you" in hear
    assert "Missing" not in hear
    c.step("Enter accepts · e edit · r rewrite", "r")
    c.step("Restatement (from", "your yoga mat started peeling after only a week")
    shown = c.step("Enter accepts · e edit · r rewrite")
    assert "Restatement: your yoga mat started peeling after only a week" in shown
    c.step("What else", "You mentioned flakes coming off: if any got on your floor, tell me and I will sort that too.")
    shown = c.step("Hear [")
    assert "› 3 Thank them for raising it, then restate recommended for Meek" in shown
    shown = c.step("Empathize [", "w")
    assert "Tip (Meek): Reassure them that writing was right: they are not a bother." in shown
    c.step(
        "Your own words for Empathize:", "You are not bothering me at all: a mat should last far longer than a week."
    )
    c.step("Apologize [")
    shown = c.step("Resolve [", "3")
    assert "They asked: I would like a refund for the whole yearly membership as well, if possible." in shown
    assert "3 I can't do X; what I can do is Y if you can't give what they asked" in shown
    c.step("finish 'I can't …'", "refund the yearly membership, because the mat was a separate purchase")
    c.step("finish 'what I can do is …'", "send you a new mat today and refund the mat in full")
    shown = c.step("Root cause [", "w")
    assert "Tip (Meek): Meek customers report late: note how long the problem went unreported." in shown
    c.step("Root cause, in your words:", "Coating batch from the new supplier")
    c.step("Prevention note:", "Ask the supplier for the batch test results.")
    shown = c.step("Enter writes it")
    assert "Hi Mia, Thank you for taking the time to write to me; I am glad you did."  # signed "Mia" in shown
    assert "Unfortunately I can't refund the yearly membership" in shown
    code, _ = c.end()
    assert code == 0
    golden("meek.golden.txt", out.read_text(encoding="utf-8"))


def test_message_through_a_pipe_prompts_on_the_terminal(tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    cmd = f"cat {DAMAGED} | {sys.executable} -m replycoach coach --now {NOW} --set agent=Sam --out {out}"
    c = Coach([], shell=cmd)
    assert "Customer's message from Ana Lopez" in c.step("Enter keeps this reading")
    for prompt in ("Enter accepts", "What else", "Hear [", "Empathize [", "Apologize [", "Resolve [", "Root cause ["):
        c.step(prompt)
    c.step("Prevention note")
    c.step("Enter writes it")
    code, _ = c.end()
    assert code == 0
    replay = subprocess.run(
        [sys.executable, "-m", "replycoach", "draft", str(DAMAGED), "--now", NOW, "--set", "agent=Sam"],
        capture_output=True,
        check=False,
    )
    assert out.read_bytes() == replay.stdout  # all defaults: the same as `draft`


def test_pasted_message_then_ctrl_d(tmp_path: Path) -> None:
    c = Coach(["--now", NOW, "--set", "agent=Sam"])
    c.wait("Paste the customer's message, then Ctrl-D on an empty line:")
    c.send("My order #77120 arrived broken.")
    c.send("I want a refund.")
    c.child.sendeof()
    hear = c.wait("Enter keeps this reading")
    assert "My order #77120 arrived broken. I want a refund." in hear
    assert "Wants I want a refund." in hear
    c.send("q")
    code, _rest = c.end()
    assert code == 130


def test_save_answers_then_draft_answers_gives_the_same_bytes(tmp_path: Path, run) -> None:
    out = tmp_path / "reply.txt"
    saved = tmp_path / "answers.yaml"
    c = Coach([str(DAMAGED), "--now", NOW, "--out", str(out), "--save-answers", str(saved)])
    c.step("Enter keeps this reading", "t")
    c.step("Customer type [", "3")  # high-roller, changed from the list
    c.step("Enter keeps this reading")
    c.step("Enter accepts · e edit · r rewrite")
    c.step("What else")
    c.step("Hear [", "2")
    c.step("Empathize [", "s")  # skipped: no empathy line
    c.step("Apologize [", "b")  # back to Empathize, then skip it again
    c.step("Empathize [", "s")
    c.step("Apologize [")
    c.step("Resolve [", "w")
    c.step("Your own words for Resolve:", "I am sending a new blender by courier today; it will reach you Saturday.")
    c.step("Root cause [", "s")
    c.step("Sign the reply as", "Sam Rivera")
    shown = c.step("Enter writes it")
    assert "Skipped empathize: the reply has no paragraph for it" in shown
    assert "Steps hear restate-impact · empathize SKIPPED · apologize short · resolve custom" in shown
    assert "Playbook damaged-or-defective · High-roller" in shown
    code, _ = c.end()
    assert code == 0
    text = saved.read_text(encoding="utf-8")
    assert "now: '2026-11-20T17:00:00+01:00'" in text
    assert "customer_type: high-roller" in text
    assert "- empathize" in text
    replay = run("draft", str(DAMAGED), "--answers", str(saved))
    assert replay.code == 0, replay.err
    assert replay.out.encode("utf-8") == out.read_bytes()


def test_channel_gives_the_short_form_and_is_saved_for_the_replay(tmp_path: Path, run) -> None:
    out, saved = tmp_path / "reply.txt", tmp_path / "answers.yaml"
    args = [str(DAMAGED), "--now", NOW, "--out", str(out), "--save-answers", str(saved), "--set", "agent=Sam"]
    c = Coach([*args, "--no-log", "--channel", "social"])
    _walk_to_the_end(c)
    code, _ = c.end()
    assert code == 0
    reply = out.read_text(encoding="utf-8")
    assert reply.startswith("Hi Ana, I understand ") and reply.endswith(" ^Sam\n")
    assert len(reply.rstrip("\n")) <= 280 and "reply to this email" not in reply
    assert "channel: social" in saved.read_text(encoding="utf-8")
    replay = run("draft", str(DAMAGED), "--answers", str(saved))
    assert (replay.code, replay.out) == (0, reply)


def test_ctrl_c_leaves_at_once_with_130_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    saved = tmp_path / "answers.yaml"
    c = Coach([str(DAMAGED), "--now", NOW, "--out", str(out), "--save-answers", str(saved)])
    c.step("Enter keeps this reading")
    c.wait("Enter accepts")
    c.child.sendintr()
    code, rest = c.end()
    assert code == 130
    assert "replycoach: interrupted: nothing written" in rest
    assert "Traceback" not in rest
    assert not out.exists() and not saved.exists()
    assert list(tmp_path.iterdir()) == []


def test_quit_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    c = Coach([str(DAMAGED), "--now", NOW, "--out", str(out)])
    c.step("Enter keeps this reading", "q")
    code, rest = c.end()
    assert code == 130
    assert "replycoach: quit: nothing written" in rest
    assert not out.exists()


def test_no_terminal_exits_2_at_once_naming_draft() -> None:
    # A new session has no controlling terminal: /dev/tty cannot be opened.
    proc = subprocess.run(
        [sys.executable, "-m", "replycoach", "coach"],
        input=DAMAGED.read_bytes(),
        capture_output=True,
        start_new_session=True,
        timeout=20,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stdout == b""
    assert proc.stderr.decode() == (
        "replycoach: error: coach needs a terminal to ask its questions; "
        "for pipes and scripts use `replycoach draft` (with --set/--answers)\n"
    )


def test_no_terminal_never_waits_for_stdin() -> None:
    # stdin stays open and empty: were the command to read it first, it would hang.
    proc = subprocess.Popen(
        [sys.executable, "-m", "replycoach", "coach", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        code = proc.wait(timeout=20)
    finally:
        proc.kill()
        proc.stdin.close()  # type: ignore[union-attr]
    assert code == 2
    assert b"replycoach draft" in proc.stderr.read()  # type: ignore[union-attr]


def test_editor_fixes_restatement_and_draft_then_rechecks(tmp_path: Path) -> None:
    out = tmp_path / "reply.txt"
    editor = tmp_path / "editor.sh"
    # A scripted "editor": the restatement gets a detail, the apology becomes a non-apology.
    editor.write_text(
        "#!/bin/sh\n"
        "sed -i -e '/two days before a party/!s/right down the side/right down the side, two days before a party/'"
        " -e 's/I am sorry: we sent it to you damaged, and that is on us./I am sorry you feel that way./' \"$1\"\n"
    )
    editor.chmod(0o755)
    c = Coach([str(DAMAGED), "--now", NOW, "--out", str(out), "--set", "agent=Sam"], env={"EDITOR": str(editor)})
    c.step("Enter keeps this reading")
    c.step("Enter accepts · e edit · r rewrite", "e")
    shown = c.step("Enter accepts · e edit · r rewrite")
    assert (
        "Restatement: your blender arrived today with the jug cracked right down the side, two days before a party"
        in shown
    )
    for prompt in ("What else", "Hear [", "Empathize [", "Apologize [", "Resolve [", "Root cause [", "Prevention note"):
        c.step(prompt)
    shown = c.step("Enter writes it", "e")
    assert "✓ The checker found nothing to fix." in shown
    shown = c.step("Enter writes it")
    assert "Edited. Checking again…" in shown
    assert "Draft reply (edited by hand)" in shown
    assert "I am sorry you feel that way." in shown
    assert (
        "The checker found 2 thing(s) to look at:"
        " line 1:1 error The customer is angry and the reply has no sincere apology. (try: I'm sorry <what went wrong>.)"
        " line 7:78 error A non-apology blames the customer's feelings or hedges with 'if'; apologise for what happened."
        " (try: I'm sorry that <what went wrong>.)"
    ) in shown
    code, _ = c.end()
    assert code == 0
    draft = out.read_text(encoding="utf-8")
    assert draft.count("two days before a party") == 1 and "I am sorry you feel that way." in draft


def test_customer_text_is_never_markup_escapes_or_template(tmp_path: Path) -> None:
    message = tmp_path / "evil.txt"
    message.write_bytes(
        b"My order #90210 arrived broken [bold red]NOW[/] \x1b[2J and {{ 7*7 }} is not funny.\nI want a refund.\n"
    )
    out = tmp_path / "reply.txt"
    c = Coach([str(message), "--now", NOW, "--out", str(out), "--set", "agent=Sam"])
    c.child.expect_exact("Enter keeps this reading")
    raw = c.child.before
    assert "\x1b[2J" not in raw  # the escape reaches the screen only as visible text
    shown = flat(raw)
    assert "arrived broken [bold red]NOW[/] ^[[2J and {{ 7*7 }} is not funny." in shown
    c.send()
    shown = c.step("Enter accepts · e edit · r rewrite")
    assert "[bold red]NOW[/] ^[[2J and {{ 7*7 }}" in shown
    for prompt in ("What else", "Hear [", "Empathize [", "Apologize [", "Resolve [", "Root cause [", "Prevention note"):
        c.step(prompt)
    c.step("Enter writes it")
    code, _ = c.end()
    assert code == 0
    draft = out.read_text(encoding="utf-8")
    assert "[bold red]NOW[/] \x1b[2J and {{ 7*7 }}" in draft  # comes out as it went in
    assert "49" not in draft


def test_missing_order_number_is_asked_then_politely_requested(tmp_path: Path) -> None:
    message = tmp_path / "no-order.txt"
    message.write_text("My kettle arrived cracked and leaking. I want a replacement.\n", encoding="utf-8")
    # The letter's sentence: a pasted line alone reads as chat.
    c = Coach([str(message), "--now", NOW, "--set", "agent=Sam", "--channel", "email", "--no-log"])
    hear = c.step("Enter keeps this reading")
    assert "Missing order number" in hear
    c.step("Enter accepts")
    c.step("What else")
    c.step("No order number in the message: type it, or Enter to ask for it in the reply:")
    shown = c.step("Hear [", "q")
    assert "So that nothing holds this up, could you reply with your order number?" in shown
    code, rest = c.end()
    assert code == 130
    assert "replycoach: quit: nothing written" in rest


def _walk_to_the_end(c: Coach) -> str:
    """The damaged-item walk: a refund of what they paid, the carrier as the cause."""
    for prompt, answer in (
        ("Enter keeps this reading", ""),
        ("Enter accepts", ""),
        ("What else", ""),
        ("Hear [", ""),
        ("Empathize [", ""),
        ("Apologize [", ""),
        ("Resolve [", "2"),
        ("How much will you refund?", ""),
        ("Currency symbol [$]:", ""),
        ("Root cause [", "1"),
        ("Prevention note", ""),
    ):
        c.step(prompt, answer)
    return c.step("Enter writes it")


def test_finished_walk_logs_the_complaint_and_no_log_logs_nothing(tmp_path: Path, run) -> None:
    from replycoach.record import logbook

    c = Coach([str(DAMAGED), "--now", NOW, "--out", str(tmp_path / "a.txt"), "--set", "agent=Sam", "--no-log"])
    _walk_to_the_end(c)
    code, rest = c.end()
    assert code == 0
    assert "logged" not in rest
    assert run("log", "list").out == ""
    assert logbook.rows() == []

    c = Coach([str(DAMAGED), "--now", NOW, "--out", str(tmp_path / "b.txt"), "--set", "agent=Sam"])
    shown = _walk_to_the_end(c)
    assert "Diagnose carrier-damage: Claim with the carrier; review the route or carrier. (internal)" in shown
    code, rest = c.end()
    assert code == 0
    assert "replycoach: logged as complaint #1 (--no-log to skip)" in rest
    [row] = logbook.rows()
    assert (row["sender_email"], row["scenario"], row["customer_type"]) == (
        "ana.lopez@example.com",
        "damaged-or-defective",
        "aggressive",
    )
    assert (row["cause"], row["note"]) == ("carrier-damage", "Claim with the carrier; review the route or carrier.")
    assert row["promise"] == "Refund $79.99 to the original payment method"  # as the reply writes it
    assert row["deadline"] == "2026-11-23T17:00:00+01:00"
    assert row["choices"] == {"hear": "restate", "empathize": "short", "apologize": "short", "resolve": "refund"}
    assert row["message"] is None  # the message is kept only with --keep-message
    listed = run("log", "list").out
    assert listed.startswith("#1 ") and listed.count("\n#") == 0
    assert "damaged-or-defective aggressive anger=high cause=carrier-damage" in listed
    assert "promise: Refund $79.99 to the original payment method (due 2026-11-23T17:00)" in listed


def test_db_option_feeds_the_reading_and_takes_the_row(tmp_path: Path, run) -> None:
    db = str(tmp_path / "team.sqlite")
    for n, when in enumerate(("2026-10-31T10:00:00+01:00", "2026-11-10T10:00:00+01:00")):  # two earlier messages
        r = run("draft", "--set", "agent=Sam", "--now", when, "--log", "--db", db, stdin=another_message(n))
        assert r.code == 0
    c = Coach([str(DAMAGED), "--now", NOW, "--out", str(tmp_path / "r.txt"), "--set", "agent=Sam", "--db", db])
    hear = c.wait("Enter keeps this reading")
    assert "Type Chronic complainer — because of 'complaint 3 in 90 days (earlier: 2026-11-10, 2026-10-31)'" in hear
    c.send()
    for prompt in ("Enter accepts", "What else", "Hear [", "Empathize [", "Apologize [", "Resolve ["):
        c.step(prompt)
    c.step("Goodwill credit on top (amount)?")
    c.step("Currency symbol [$]:")
    c.step("Root cause [")
    c.step("Prevention note")
    shown = c.step("Enter writes it")
    assert "I am also reporting the repeated fault to our quality team" in shown  # chronic: it is a repeat
    code, rest = c.end()
    assert code == 0
    assert "replycoach: logged as complaint #3 (--no-log to skip)" in rest
    assert run("log", "list").out == ""  # the default log is untouched


def test_amount_left_to_the_customer_is_asked_when_the_refund_needs_it(tmp_path: Path) -> None:
    # refund-request as detected: no order number and no amount in the message.
    out = tmp_path / "reply.txt"
    c = Coach([str(HERE / "meek.txt"), "--now", NOW, "--out", str(out), "--set", "agent=Sam", "--no-log"])
    assert "Missing order number, the amount paid" in c.step("Enter keeps this reading")
    c.step("Enter accepts")
    c.step("What else")
    c.step("No order number in the message: type it, or Enter to ask for it in the reply:")
    c.step("No amount paid in the message: type it, or Enter to ask for it in the reply:")
    for prompt in ("Hear [", "Empathize [", "Apologize [", "Resolve ["):
        c.step(prompt)
    c.step("How much will you refund? (amount) (an amount):")
    shown = c.step("How much will you refund? (amount) (an amount):", "29.90")
    assert "✗ an answer is required" in shown
    c.step("Currency symbol [$]:")
    c.step("Root cause [")
    c.step("Prevention note")
    shown = c.step("Enter writes it")
    assert "I am refunding the full $29.90 to your original payment method" in shown
    assert "could you reply with your order number?" in shown  # the amount is no longer asked
    code, _ = c.end()
    assert code == 0
    assert "[[" not in out.read_text(encoding="utf-8")
