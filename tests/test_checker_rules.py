"""The rule engine and the built-in pack: every rule's own examples, rule-file validation,
team folders, masking of quotes and signatures, positions, and fixes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from replycoach.checking.checker import check, checkable, fix, fixable, load_rules
from replycoach.foundation.errors import RuleError
from replycoach.foundation.resources import builtin_dir

RULES_DIR = builtin_dir("rules")


def _examples() -> list[tuple[str, str, str, str | None]]:
    out = []
    for rule in load_rules():
        for want in ("bad", "good"):
            for item in rule.get("examples", {}).get(want, []):
                reply, message = (item, None) if isinstance(item, str) else (item["reply"], item.get("message"))
                out.append((rule["id"], want, reply, message))
    return out


EXAMPLES = _examples()


def _fired(rule_id: str, reply: str, message: str | None = None) -> list[dict[str, Any]]:
    return [f for f in check(reply, message=message) if f["rule"] == rule_id]


@pytest.mark.parametrize(
    ("rule_id", "want", "reply", "message"), EXAMPLES, ids=[f"{r}-{w}-{i}" for i, (r, w, _, _) in enumerate(EXAMPLES)]
)
def test_rule_examples(rule_id: str, want: str, reply: str, message: str | None) -> None:
    found = _fired(rule_id, reply, message)
    if want == "bad":
        assert found, f"{rule_id} missed: {reply!r}"
    else:
        assert not found, f"{rule_id} fired on a good example: {found}"


def test_every_rule_has_two_bad_and_two_good_examples() -> None:
    thin = [
        r["id"]
        for r in load_rules()
        if len(r.get("examples", {}).get("bad", [])) < 2 or len(r.get("examples", {}).get("good", [])) < 2
    ]
    assert thin == []


def test_builtin_pack_covers_the_issue() -> None:
    ids = {r["id"] for r in load_rules()}
    assert ids >= {
        "non-apology",
        "inconvenience-apology",
        "dont-know",
        "high-volume",
        "hold-or-call-back",
        "vague-timing",
        "we-will",
        "we-vs-i",
        "calm-down",
        "customer-blame",
        "as-already-said",
        "policy-as-answer",
        "thats-impossible",
        "never-again",
        "bare-refusal",
        "excuse-before-apology",
        "card-number",
        "password-echo",
        "angry-no-apology",
        "unaddressed-ask",
        "commitment-no-date",
        "no-restatement",
    }
    kinds = {r["kind"] for r in load_rules()}
    assert kinds == {"existence", "substitution", "occurrence", "structural"}
    assert {r["id"]: r["level"] for r in load_rules() if r["id"] == "inconvenience-apology"} == {
        "inconvenience-apology": "warning"
    }


# --- positions, masking -----------------------------------------------------------


def test_line_and_column_point_into_the_reply_as_written() -> None:
    reply = "Hi Ana,\r\n\r\nThanks.  I'm sorry you feel that way.\r\n"
    [f] = _fired("non-apology", reply)
    assert (f["line"], f["column"], f["text"]) == (3, 14, "sorry you feel")


def test_quoted_lines_history_and_signature_are_not_checked() -> None:
    reply = (
        "Hi Ana,\n\nI'm sorry the jug was cracked; the new one ships today.\n\n"
        "> I'm sorry if you feel that way, calm down\n"
        "-- \nSam | Please hold or call back later\n\n"
        "On Mon, 16 Nov 2026 at 18:02, Ana <ana@example.com> wrote:\n"
        "> This will never happen again, we will get back to you soon\n"
    )
    assert check(reply) == []


def test_history_marker_starts_the_masked_part() -> None:
    reply = "Thanks.\n-----Original Message-----\nFrom: x\nWe will get back to you soon.\n"
    masked = checkable(reply)
    assert masked.split("\n")[0] == "Thanks."
    assert masked.split("\n")[3].strip() == ""
    assert len(masked) == len(reply)


def test_findings_are_sorted_by_position_then_severity() -> None:
    findings = check("We will get back to you soon. Please calm down.")
    keys = [(f["line"], f["column"]) for f in findings]
    assert keys == sorted(keys)
    first = [f["rule"] for f in findings if f["column"] == 1]
    assert first == ["commitment-no-date", "we-will"]  # same place: warnings by rule id


def test_structural_checks_need_the_message() -> None:
    reply = "Your replacement leaves on Monday."
    angry = "This is RIDICULOUS!! Worst service ever, my blender arrived broken."
    assert _fired("angry-no-apology", reply) == []
    [f] = _fired("angry-no-apology", reply, angry)
    assert (f["line"], f["column"], f["text"]) == (1, 1, "")


def test_analysis_feeds_the_structural_checks_like_a_message() -> None:
    analysis = {
        "anger": {"level": "high"},
        "message": {"body": "My blender arrived cracked. Can you replace the broken blender?"},
    }
    rules = load_rules()
    findings = check("Thanks, I have noted it.", analysis=analysis, rules=rules)
    assert {f["rule"] for f in findings} >= {"angry-no-apology", "no-restatement", "unaddressed-ask"}


def test_a_restatement_of_a_one_topic_sentence_counts() -> None:
    message = "Where is my package?? The tracking hasn't moved since Friday."
    # Four topic words in the second sentence: echoing the first one whole is a restatement.
    assert _fired("no-restatement", "If I understood you, you asked where your package is.", message) == []
    assert _fired("no-restatement", "Thanks for your patience, I am on it.", message) != []
    # Sentences of several topic words each still need two of them echoed.
    two = "My blender arrived cracked. The glass jug leaks everywhere."
    assert _fired("no-restatement", "I am sorry about the leaks.", two) != []
    assert _fired("no-restatement", "I am sorry the glass jug leaks.", two) == []


def test_a_reply_in_another_language_is_named_and_words_are_not_compared_across_languages() -> None:
    german = "Hallo, mein Mixer ist gestern kaputt angekommen. Wo bleibt mein Ersatz? Ich warte seit einer Woche."
    english = "Hi Jonas, I am sorry your blender arrived broken. Your replacement leaves on Monday, 23 November."
    [f] = _fired("other-language", english, german)
    assert f["message"].endswith("(they wrote in German; the reply is in English)")
    # No restatement or answer can share words with German: other-language says it once.
    assert _fired("no-restatement", english, german) == []
    assert _fired("unaddressed-ask", english, german) == []
    reply = "Hallo Jonas, es tut mir leid, dass Ihr Mixer kaputt angekommen ist. Der Ersatz geht am Montag raus."
    assert _fired("other-language", reply, german) == []
    # The draft's analysis (and --lang) says what the customer's language is.
    rules = [r for r in load_rules() if r["id"] == "other-language"]
    assert check(english, analysis={"language": "fr", "message": {"body": "x"}}, rules=rules) != []
    assert check(english, analysis={"language": "en", "message": {"body": german}}, rules=rules) == []


def test_unaddressed_ask_names_the_question() -> None:
    [f] = _fired(
        "unaddressed-ask", "I'm sorry the parcel is late.", "My parcel is late. How do I update my billing address?"
    )
    assert f["message"].endswith("(“How do I update my billing address?”)")


def test_when_question_is_answered_by_a_time() -> None:
    message = "When is my refund coming?"
    assert _fired("unaddressed-ask", "It reaches your bank by Monday, 23 November.", message) == []
    assert _fired("unaddressed-ask", "Thanks for your patience.", message)


def test_sincere_apology_is_not_confused_with_non_apologies() -> None:
    angry = "I am furious, this is unacceptable."
    for reply in (
        "I'm sorry you feel that way.",
        "We apologize for any inconvenience.",
        "Sorry, but that is how it works.",
        "You don't need to apologise.",
    ):
        assert _fired("angry-no-apology", reply, angry), reply
    for reply in ("I'm so sorry we charged you twice.", "My apologies: that was our mistake.", "Sorry about that!"):
        assert not _fired("angry-no-apology", reply, angry), reply


def test_card_number_needs_a_valid_luhn_checksum() -> None:
    assert _fired("card-number", "Card 4111 1111 1111 1111 refunded.")
    assert not _fired("card-number", "Card 4111 1111 1111 1112 refunded.")
    assert not _fired("card-number", "Order 0000 0000 0000 0000.")


# --- fixes --------------------------------------------------------------------------


def test_fix_applies_replacements_and_keeps_case() -> None:
    reply = "Hi,\n\nWe will send it Monday, and we'll email you.\n"
    fixed = fix(reply, fixable(check(reply)))
    assert fixed == "Hi,\n\nI will send it Monday, and I'll email you.\n"


def test_fix_never_touches_quotes_or_signature() -> None:
    reply = "We'll refund you today.\n\n> We will see.\n-- \nWe will\n"
    assert fix(reply, fixable(check(reply))) == "I'll refund you today.\n\n> We will see.\n-- \nWe will\n"


def test_fix_skips_stale_and_overlapping_findings() -> None:
    reply = "We will call you today."
    [f] = [f for f in check(reply) if f["replacement"]]
    assert fix("Totally different text", [f]) == "Totally different text"
    # Applied from the end: the later of two overlapping fixes wins, the other no longer matches.
    overlapping = {**f, "column": 2, "text": "e will", "replacement": "X"}
    assert fix(reply, [f, overlapping]) == "WX call you today."


def test_only_substitutions_are_fixable() -> None:
    findings = check("We will call you soon. Please calm down.")
    assert {f["rule"] for f in fixable(findings)} == {"we-will"}
    assert all(f["replacement"] is None for f in findings if f["rule"] != "we-will")


# --- rule files ----------------------------------------------------------------------


def _write_rule(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


RULE = "id: {id}\nkind: existence\nlevel: error\nmessage: Don't.\npatterns: [{pattern}]\n"


def test_team_folder_adds_and_overrides_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write_rule(tmp_path / "a", "kindly.yaml", RULE.format(id="kindly", pattern="kindly"))
    _write_rule(tmp_path / "a", "calm.yaml", RULE.format(id="calm-down", pattern="zebra").replace("error", "warning"))
    rules = load_rules((str(tmp_path / "a"),))
    by_id = {r["id"]: r for r in rules}
    assert by_id["kindly"]["level"] == "error"
    assert by_id["calm-down"]["patterns"] == ["zebra"]
    assert [f["rule"] for f in check("Kindly calm down.", rules=rules)] == ["kindly"]
    monkeypatch.setenv("REPLYCOACH_RULES", str(tmp_path / "a"))
    assert "kindly" in {r["id"] for r in load_rules()}


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (RULE.format(id="x", pattern="a") + "colour: red\n", 6, "colour: unknown key (known keys: "),
        ("id: x\nkind: existence\nlevel: fatal\nmessage: m\npatterns: [a]\n", 3, "level: 'fatal' is not one of: "),
        ("id: x\nkind: existence\nlevel: error\nmessage: m\n", 2, "patterns: a existence rule needs 'patterns'"),
        (
            "id: x\nkind: existence\nlevel: error\nmessage: m\npatterns:\n  - ok\n  - 're:(unclosed'\n",
            7,
            "patterns[1]: invalid pattern: ",
        ),
        (
            "id: x\nkind: existence\nlevel: error\nmessage: m\npatterns: [a]\nunless: ['@nope']\n",
            6,
            "unless[0]: unknown shared pattern '@nope'",
        ),
        (
            "id: x\nkind: existence\nlevel: error\nmessage: m\npatterns: ['re:a*']\n",
            5,
            "patterns[0]: pattern matches empty text",
        ),
        (
            "id: x\nkind: structural\ncheck: before-apology\nlevel: error\nmessage: m\n",
            3,
            "patterns: the before-apology check needs",
        ),
        ("id: x\nkind: substitution\nlevel: warning\nmessage: m\nswap: {'re:(': y}\n", 5, "swap.re:(: invalid pattern"),
    ],
)
def test_bad_rule_file_names_file_line_and_field(tmp_path: Path, text: str, line: int, problem: str) -> None:
    path = _write_rule(tmp_path / "team", "x.yaml", text)
    with pytest.raises(RuleError) as caught:
        load_rules((str(tmp_path / "team"),))
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: {problem}"), message


def test_missing_rules_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(RuleError, match="rules folder does not exist"):
        load_rules((str(tmp_path / "nope"),))


def test_builtin_rule_files_are_one_rule_each_named_by_id() -> None:
    for path in sorted(RULES_DIR.glob("*.yaml")):
        from replycoach.checking.checker import load_rule_file

        assert load_rule_file(path)["id"] == path.stem
