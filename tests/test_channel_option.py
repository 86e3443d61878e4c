"""``--channel email|chat|social``: the form of the reply, on every drafting command and in
the Python API; the analysis keeps the channel it read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import NOW, SAMPLES

SAMPLE = str(SAMPLES / "damaged.eml")
TWEET = "@ShopCo my blender arrived with the jug cracked. Not happy #fail\n"
BASE = ("--set", "agent=Sam", "--now", NOW)

SOCIAL_ON_EMAIL = (
    "Hi Ana, I understand your blender arrived today with the jug cracked right down the side. I am sorry, and that is on us. "
    "I am sending you a replacement at no cost, and you do not need to send the damaged one back. "
    "I will update you by Monday, 23 November, 3 pm. ^Sam\n"
)
# A chat reply has room for the birthday she named, after the apology (templates/short.j2);
# a post keeps the fix and drops it.
CHAT_ON_EMAIL = SOCIAL_ON_EMAIL.replace(
    "that is on us. ", "that is on us. The birthday will not wait, so this has to be put right in time for it. "
).replace(" ^Sam", " – Sam")
# The letter form of a tweet: the customer did not write an email, so it says "message".
EMAIL_ON_TWEET = """Hello,

Thank you for letting me know straight away. If I have understood you correctly, your blender arrived with the jug cracked.

Opening a parcel you have waited for and finding it damaged is a real let-down, and putting it right should not be your job. I am sorry. It is our job to get it to you in one piece, and we did not.

I am sending you a replacement at no cost, and you do not need to send the damaged one back. It will leave our warehouse by Monday, 23 November, 3 pm, and I will email you the tracking number the same day.

So that nothing holds this up, could you reply with your order number?

If anything else is wrong, reply to this message: it comes straight to me.

Best regards,
Sam
"""
CHOICES = "is not one of: email, chat, social"


def test_social_on_an_email_is_the_short_form_within_a_post(run) -> None:
    plain = run("draft", SAMPLE, *BASE)
    assert plain.code == 0 and "reply to this email" in plain.out  # the email form, as read
    r = run("draft", SAMPLE, *BASE, "--channel", "social")
    assert (r.code, r.out, r.err) == (0, SOCIAL_ON_EMAIL, "")
    assert len(r.out.rstrip("\n")) <= 280
    assert "reply to this email" not in r.out.lower()


def test_email_on_a_tweet_is_the_email_form(run) -> None:
    detected = run("draft", *BASE, stdin=TWEET)
    assert detected.code == 0 and detected.out.startswith("Hi there, ") and detected.out.endswith(" ^Sam\n")
    r = run("draft", *BASE, "--channel=email", stdin=TWEET)
    assert (r.code, r.out, r.err) == (0, EMAIL_ON_TWEET, "")


def test_the_json_channel_is_the_one_read_the_draft_the_one_chosen(run) -> None:
    r = run("draft", *BASE, "--channel", "email", "--format", "json", stdin=TWEET)
    result = json.loads(r.out)
    assert result["channel"] == "social"
    assert result["draft"] == EMAIL_ON_TWEET
    chat = json.loads(run("draft", SAMPLE, *BASE, "--channel", "chat", "--format", "json").out)
    assert chat["channel"] == "email"
    assert chat["draft"] == CHAT_ON_EMAIL


def test_channel_is_set_channel_given_last(run, tmp_path: Path) -> None:
    for channel in ("email", "chat", "social"):
        via_set = run("draft", SAMPLE, *BASE, "--set", f"channel={channel}")
        assert run("draft", SAMPLE, *BASE, "--channel", channel) == via_set
    # --channel wins over --set channel= and over the answers file's setting.
    answers = tmp_path / "answers.yaml"
    answers.write_text("settings:\n  channel: chat\n", encoding="utf-8")
    social = run("draft", SAMPLE, *BASE, "--channel", "social")
    assert run("draft", SAMPLE, *BASE, "--set", "channel=chat", "--channel", "social") == social
    assert run("draft", SAMPLE, *BASE, "--answers", str(answers), "--channel", "social") == social
    assert run("draft", SAMPLE, *BASE, "--answers", str(answers)).out.endswith(" – Sam\n")


@pytest.mark.parametrize("command", ["draft", "coach", "batch"])
def test_a_bad_channel_exits_2_with_one_line(run, command: str) -> None:
    r = run(command, SAMPLE, *BASE, "--channel", "fax")
    assert (r.code, r.out) == (2, "")
    assert r.err == f"replycoach: error: --channel: 'fax' {CHOICES}\n"


def test_a_bad_channel_setting_exits_2_with_one_line(run, tmp_path: Path) -> None:
    r = run("draft", SAMPLE, *BASE, "--set", "channel=fax")
    assert (r.code, r.out, r.err) == (2, "", f"replycoach: error: channel: 'fax' {CHOICES}\n")
    answers = tmp_path / "answers.yaml"
    answers.write_text("settings:\n  channel: Social\n", encoding="utf-8")
    r = run("draft", SAMPLE, *BASE, "--answers", str(answers))
    assert (r.code, r.out, r.err) == (2, "", f"replycoach: error: channel: 'Social' {CHOICES}\n")


def test_batch_channel_chat_drafts_every_message_short(run, tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.eml").write_bytes(Path(SAMPLE).read_bytes())
    (folder / "b.txt").write_text(TWEET, encoding="utf-8")
    r = run("batch", str(folder), *BASE, "--jobs", "1", "--channel", "chat")
    assert r.code == 0, r.err
    records = {rec["id"]: rec for rec in map(json.loads, r.out.splitlines())}
    assert [records[k]["channel"] for k in sorted(records)] == ["email", "social"]  # as read
    assert records["a.eml"]["draft"] == CHAT_ON_EMAIL
    for rec, stdin in ((records["a.eml"], Path(SAMPLE).read_bytes()), (records["b.txt"], TWEET.encode())):
        single = run("draft", "-", *BASE, "--channel", "chat", "--format", "json", stdin=stdin)
        assert rec["draft"] == json.loads(single.out)["draft"]
        assert "reply to this email" not in rec["draft"]
        assert rec["draft"].endswith(" – Sam\n")


def test_the_python_api_takes_channel() -> None:
    import replycoach
    from replycoach.foundation.errors import ReplycoachError, UsageError

    raw = Path(SAMPLE).read_bytes()
    result = replycoach.draft_text(raw, sets={"agent": "Sam"}, now=NOW, channel="social")
    assert result["draft"] == SOCIAL_ON_EMAIL
    assert result["channel"] == "email"
    tweet = replycoach.draft_text(TWEET, sets={"agent": "Sam"}, now=NOW, channel="email")
    assert tweet["draft"] == EMAIL_ON_TWEET
    with pytest.raises(UsageError) as raised:
        replycoach.draft_text(raw, sets={"agent": "Sam"}, now=NOW, channel="fax")
    assert isinstance(raised.value, ReplycoachError) and raised.value.exit_code == 2
    assert str(raised.value) == f"--channel: 'fax' {CHOICES}"


def test_the_channel_is_saved_with_the_answers() -> None:
    from replycoach import api

    # What coach --channel X --save-answers writes replays the same form with draft --answers.
    assert api.collect_answers(None, ["channel=chat"], channel="social").to_dict()["settings"] == {"channel": "social"}
    assert api.collect_answers(None, ["channel=chat"]).to_dict()["settings"] == {"channel": "chat"}


def test_draft_help_lists_the_channel_with_its_choices(run) -> None:
    for command in ("draft", "coach", "batch"):
        r = run(command, "--help")
        assert r.code == 0
        (line,) = [line for line in r.out.splitlines() if "--channel" in line]
        assert "email|chat|social" in line
