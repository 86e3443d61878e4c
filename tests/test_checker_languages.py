"""The checker in the languages replies are drafted in: the phrase rules carry bad and good
examples in each built-in locale's language (run by test_checker_rules.test_rule_examples),
and a sincere apology in Spanish ('Siento que …') counts."""

from __future__ import annotations

import pytest

from replycoach.checking.checker import check, load_rules

LANGS = ("fi", "nb", "ru", "he", "de", "fr", "es")
PHRASE_RULES = ("non-apology", "vague-timing", "we-vs-i", "calm-down", "customer-blame", "not-our-fault")


@pytest.mark.parametrize("rule_id", PHRASE_RULES)
def test_a_phrase_rule_has_bad_and_good_examples_in_every_language(rule_id: str) -> None:
    rule = next(r for r in load_rules() if r["id"] == rule_id)
    missing = []
    for want in ("bad", "good"):
        langs = {item.get("lang", "en") for item in rule["examples"][want] if isinstance(item, dict)}
        missing += [f"{want}:{lang}" for lang in LANGS if lang not in langs]
    assert missing == []


def test_a_spanish_apology_counts_for_an_angry_customer() -> None:
    analysis = {"anger": {"level": "high"}, "language": "es"}
    found = lambda text: {f["rule"] for f in check(text, analysis=analysis)}  # noqa: E731
    assert "angry-no-apology" not in found("Hola, Laura:\n\nSiento que su pedido llegara roto.\n\nSam\n")
    assert "angry-no-apology" in found("Hola, Laura:\n\nSiento curiosidad por su pedido.\n\nSam\n")


def test_the_norwegian_preposition_i_is_not_a_first_person() -> None:
    """Three "vi" against one "jeg": the three "i" (in) do not offset them."""
    reply = "Vi sender en ny i dag, vi ringer deg i morgen, og vi svarer i løpet av uken. Jeg beklager."
    assert [f["text"] for f in check(reply) if f["rule"] == "we-vs-i"] == ["Vi"]


def test_a_lang_on_an_example_is_validated(tmp_path) -> None:
    from replycoach.checking.rules import validate_rule
    from replycoach.foundation.errors import RuleError

    tree = {
        "id": "x",
        "kind": "existence",
        "level": "error",
        "message": "m",
        "patterns": ["bad"],
        "examples": {"bad": [{"reply": "bad", "lang": "Finnish!"}], "good": []},
    }
    with pytest.raises(RuleError):
        validate_rule(tree, file="x.yaml")


@pytest.mark.parametrize(
    "history",
    [
        "Am 20.10.2017 um 17:50 schrieb Lena Kraus <lena@example.de>:\nBitte beruhigen Sie sich.",
        "Le 20 oct. 2017 à 17:50, Claire <c@example.fr> a écrit :\nCalmez-vous.",
        "pe 20. lokakuuta 2017 klo 17.50 Mikko (m@example.fi) kirjoitti:\nRauhoittukaa.",
        "20.10.2017, 17:50, Support <s@example.com> написал(а):\nУспокойтесь.",
        "Fra: Kari <k@example.no>\nRo deg ned.",
        "-----Ursprüngliche Nachricht-----\nBitte beruhigen Sie sich.",
        "Enviado desde mi iPhone\nCálmese.",
    ],
)
def test_quoted_history_in_other_languages_is_not_checked(history: str) -> None:
    reply = "Hallo,\n\nich schicke Ihnen heute einen neuen Mixer.\n\nSam\n\n" + history
    assert [f["rule"] for f in check(reply) if f["rule"] == "calm-down"] == []
    assert [f["rule"] for f in check(history.split("\n", 1)[1]) if f["rule"] == "calm-down"] == ["calm-down"]


def test_a_reply_that_says_what_the_customer_wrote_is_still_checked() -> None:
    reply = "Hei,\n\nSom du skrev i e-posten din:\nRo deg ned, sa kollegaen min. Det var galt.\n"
    assert [f["rule"] for f in check(reply) if f["rule"] == "calm-down"] == ["calm-down"]
