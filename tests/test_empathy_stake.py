"""What is at stake for the customer (reading/stakes.py) and the empathy line that names it
(templates/stakes.j2 and each locale's): the wedding on Saturday, a mother of 84 without
heating, the shop that cannot take card payments. The stake line wins over the stock
line, never over the agent's choice; a message without one keeps its stock line."""

from __future__ import annotations

from pathlib import Path

import pytest

import replycoach
from replycoach.foundation.errors import DataError
from replycoach.reading.listening import stake as read_stake
from replycoach.reading.stakes import phrase

from .conftest import NOW

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "src" / "replycoach" / "data" / "listening.yaml"

READ = [
    ("The jug is cracked. It was a present for my brother and the wedding is Saturday.", "event", "wedding"),
    ("Mi madre tiene 84 años, vive sola y lleva cuatro días sin calefacción.", "dependant", "parent"),
    ("Lokakuun lasku veloitettiin kahdesti, ja vuokra erääntyy perjantaina.", "bills", "rent"),
    ("Die Küchenmontage beim Kunden steht komplett, zwei Monteure sitzen rum.", "livelihood", "business"),
    ("У дочери день рождения в субботу, а самоката всё нет.", "event", "birthday"),
    ("Jeg skal i bryllup på lørdag og kjolen er ikke kommet.", "event", "wedding"),
    ("יש לנו תינוקת בת 4 חודשים ובלילה קר בבית.", "dependant", "baby"),
    ("Je dois déposer mon dossier de prêt immobilier jeudi chez le courtier.", "bills", "loan"),
    ("The card terminal is dead, I have a queue out the door and I'm losing sales.", "livelihood", "business"),
    ("Vi har vært uten fjernvarme i alle 48 leilighetene, og vi har flere eldre beboere.", "dependant", "elderly"),
]


@pytest.mark.parametrize(("text", "kind", "item"), READ)
def test_the_stake_is_read_in_each_language(text: str, kind: str, item: str) -> None:
    stake = read_stake(text)
    assert stake is not None
    assert (stake["kind"], stake["item"]) == (kind, item)


def test_the_other_kinds_read_come_with_the_stake() -> None:
    stake = read_stake("My mum is 84 and we have had no heating since Saturday.")
    assert stake is not None
    assert (stake["kind"], stake["item"], stake["text"]) == ("dependant", "parent", "My mum")
    assert [(s["kind"], s["item"]) for s in stake["also"]] == [("home", "heating")]


@pytest.mark.parametrize(
    "text",
    [
        "The party was on Sunday and the balloons never came.",  # an occasion gone by
        "YOU cancelled my flight on 12 October and I still have no refund.",  # a refund, not a trip
        "My order 4471 has not arrived yet. Could you look into it?",
        "I was charged twice for my March invoice, please refund one.",
        "We are a party of 4 adults wanting to stay from the 7th to 9th.",
        "can you change my restaurant booking to 8 pm?",
    ],
)
def test_no_stake_where_none_is_at_stake(text: str) -> None:
    assert read_stake(text) is None


def test_the_customers_words_are_cleaned() -> None:
    assert phrase("MY RENT") == "my rent"
    assert phrase("@ShopHelp my rent") == "my rent"
    assert phrase("  Nuestra   tienda online, ") == "Nuestra tienda online"


def test_the_stake_is_in_the_analysis() -> None:
    result = replycoach.analyze_text("My rent is due today and I am locked out of my banking app.", now=NOW)
    assert result["stake"] == {"kind": "bills", "item": "rent", "text": "My rent", "also": []}
    assert replycoach.analyze_text("Is the Aurora duvet machine washable?", now=NOW)["stake"] is None


BROKEN = (
    "Hi,\n\nThe blender from order #KH-48213 arrived on Friday and the jug is cracked right along "
    "the base, with shards of plastic loose in the box. I want a replacement.\n\nThanks,\nPriya\n"
)
STOCK = "Opening a parcel you have waited for and finding it damaged is a real let-down"


def _draft(text: str, **options: object) -> dict[str, object]:
    return replycoach.draft_text(text, sets=["agent=Sam"], placeholders=True, now=NOW, **options)  # type: ignore[arg-type]


def test_no_stake_keeps_the_stock_line() -> None:
    result = _draft(BROKEN)
    assert result["stake"] is None
    assert str(result["steps"]["empathize"]).startswith(STOCK)  # type: ignore[index]


def test_the_stake_line_wins_over_the_stock_line() -> None:
    result = _draft(BROKEN.replace("I want", "It is a wedding present and the wedding is Saturday. I want"))
    line = str(result["steps"]["empathize"])  # type: ignore[index]
    assert line == "The wedding will not wait, so this has to be put right in time for it."
    assert line in str(result["draft"]) and STOCK not in str(result["draft"])


def test_the_agents_choice_wins_over_the_stake_line() -> None:
    text = BROKEN.replace("I want", "It is a wedding present and the wedding is Saturday. I want")
    result = _draft(text, answers={"steps": {"empathize": "stopped-working"}})
    assert str(result["steps"]["empathize"]).startswith("Something new should work for years")  # type: ignore[index]


def test_a_playbook_only_an_agent_picks_keeps_its_own_line() -> None:
    text = BROKEN.replace("I want", "It is a wedding present and the wedding is Saturday. I want")
    plain = _draft(BROKEN, playbook="part-ways")
    assert _draft(text, playbook="part-ways")["steps"]["empathize"] == plain["steps"]["empathize"]  # type: ignore[index]


def test_a_dependant_without_heating_is_named_in_english() -> None:
    text = (
        "Our building has had NO HEATING since Saturday. My mum is 84 and lives with me and she is "
        "sat in her coat. I want an engineer here today.\n\nBrenda"
    )
    line = str(_draft(text)["steps"]["empathize"])  # type: ignore[index]
    assert line == (
        "I know how worrying it is to have your mum without heating, and that you are the one left coping until it is back."
    )


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        (
            "Buenos días,\n\nla caldera que instalaron en casa de mi madre sigue sin funcionar. Mi madre tiene "
            "84 años y lleva cuatro días sin calefacción. Necesito que venga un técnico hoy.\n\nJavier\n",
            "Sé lo preocupante que es tener a su madre sin calefacción",
        ),
        (
            "Hei,\n\nJeg bestilte en kjole 10. november med ekspresslevering fordi jeg skal i bryllup på lørdag. "
            "Sporingen har stått på «Under transport» siden onsdag. Hvis den ikke rekker frem vil jeg ha pengene "
            "tilbake, inkludert ekspressfrakten som ikke var noe ekspress i det hele tatt.\n\nHilsen Ingrid\n",
            "Bryllupet venter ikke",
        ),
        (
            "Hallo,\n\nunsere Bestellung 2026-88412 ist immer noch nicht da. Die Küchenmontage beim Kunden steht "
            "komplett, zwei Monteure sitzen rum. Bitte teilen Sie mir heute mit, wann die Ware kommt.\n\nMarkus Weber\n",
            "Ihr Betrieb hängt davon ab",
        ),
        (
            "Здравствуйте. Заказал самокат для дочери 2 ноября, заказ 77-10342, обещали доставку 12-го, "
            "его до сих пор нет. У дочери день рождения в субботу. Верните деньги, если не приедет.\n\nДмитрий\n",
            "День рождения не будет ждать",
        ),
    ],
)
def test_the_stake_line_is_in_the_customers_language(text: str, wanted: str) -> None:
    result = _draft(text)
    assert str(result["steps"]["empathize"]).startswith(wanted)  # type: ignore[index]


def test_a_question_with_a_stake_gets_no_empathy_line() -> None:
    # "I fly on Thursday" is at stake, but a question has nothing to put right.
    result = _draft("Hi, I fly out on Thursday: can I use the app abroad? Is there a roaming fee?")
    assert result["stake"] is not None
    assert result["steps"]["empathize"] == ""  # type: ignore[index]


def test_a_chat_reply_names_the_stake_after_the_apology() -> None:
    text = (
        "hei en pääse kirjautuun verkkopankkiin, sovellus sanoo vaan virhe 403 ja mun pitäis maksaa 3 laskua tänään!!"
    )
    result = _draft(text)
    assert "Kun laskut erääntyvät" in str(result["draft"])


def _lines_for(lang: str, stake: dict[str, object]) -> str:
    from replycoach.foundation.templating import render_string
    from replycoach.playbook.registry import load_registry
    from replycoach.reply import compose

    registry = load_registry()
    env = registry.template_env() if lang == "en" else compose._locale_env(registry, lang)
    return str(render_string(env, compose._STAKE_LINE, {"stake": stake}, where="test"))


def _kinds() -> list[tuple[str, str]]:
    from replycoach.reading.listening import load_cues

    data = load_cues(DATA)
    return [(kind, item) for kind, spec in data["stakes"].items() for item in spec["items"]]


@pytest.mark.parametrize("lang", ["en", "fi", "nb", "ru", "he", "de", "fr", "es"])
def test_every_kind_and_item_has_a_line_in_every_locale(lang: str) -> None:
    for kind, item in _kinds():
        for also in ([], [{"kind": "home", "item": "heating", "text": "no heating"}]):
            line = " ".join(_lines_for(lang, {"kind": kind, "item": item, "text": "my mum", "also": also}).split())
            assert line.endswith(".") and "{" not in line and len(line) < 200, (lang, kind, item, line)


def test_an_unknown_key_in_the_stakes_is_an_error_with_its_line(tmp_path: Path) -> None:
    from replycoach.reading.listening import load_cues

    src = DATA.read_text(encoding="utf-8")
    bad = src.replace("stakes:\n  dependant:\n    items:\n", "stakes:\n  dependant:\n    itmes: {}\n    items:\n", 1)
    assert bad != src
    path = tmp_path / "listening.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_cues(path)
    line = src[: src.index("stakes:\n")].count("\n") + 3
    assert "itmes" in str(err.value) and f"listening.yaml:{line}" in str(err.value)


def test_a_stake_cue_that_is_no_pattern_names_its_place(tmp_path: Path) -> None:
    from replycoach.reading.listening import load_cues

    src = DATA.read_text(encoding="utf-8")
    bad = src.replace("      wedding: ['", "      wedding: ['(", 1)
    assert bad != src
    path = tmp_path / "listening.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_cues(path)
    assert "stakes.event.items.wedding.0" in str(err.value)
