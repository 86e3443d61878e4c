"""Amounts from the customer's message: every form the analysis finds is an answer a
money question takes, the reply promises it in the customer's currency, and a figure
above a compensation cap is never promised unasked."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replycoach.playbook.answers import coerce, currency_of
from replycoach.reading.entities import entities

from .conftest import NOW

MONEY = {"id": "refund_amount", "prompt": "How much?", "type": "money"}

FORMS = [
    ("I paid €79.99 for it", "€79.99", 79.99, "€"),
    ("I paid 79.99 euros for it", "79.99 euros", 79.99, "€"),
    ("it was 99 Euro", "99 Euro", 99.0, "€"),
    ("charged 12,50 EUR twice", "12,50 EUR", 12.5, "€"),
    ("Ich habe 1 299,00 € bezahlt", "1 299,00 €", 1299.0, "€"),
    ("i paid 1499 dollars for thisorder", "1499 dollars", 1499.0, "$"),
    ("a refund of $1,200.50", "$1,200.50", 1200.5, "$"),
    ("USD 50 was taken", "USD 50", 50.0, "$"),
    ("they took 50 usd", "50 usd", 50.0, "$"),
    ("US$ 20 extra", "US$ 20", 20.0, "$"),
    ("£5 delivery", "£5", 5.0, "£"),
    ("200 pounds gone", "200 pounds", 200.0, "£"),
    ("jeg betalte 12 500 NOK", "12 500 NOK", 12500.0, "kr"),
    ("det kostet 250 kr", "250 kr", 250.0, "kr"),
    ("שילמתי ₪120 על זה", "₪120", 120.0, "₪"),
    ("NIS 40 charged", "NIS 40", 40.0, "₪"),
    ("я заплатил 500 рублей", "500 рублей", 500.0, "₽"),
    ("¥300 fee", "¥300", 300.0, "¥"),
]


@pytest.mark.parametrize(("text", "found", "number", "symbol"), FORMS)
def test_every_amount_form_found_is_a_money_answer_with_its_currency(text, found, number, symbol) -> None:
    assert entities(text)["amounts"] == [found]
    assert coerce(MONEY, found) == number
    assert currency_of(found) == symbol


@pytest.mark.parametrize(
    ("written", "number"),
    [
        ("1.299,00 €", 1299.0),  # was read as 1.30: a refund of a thousandth of the price
        ("€1.299,99", 1299.99),
        ("1.299 €", 1299.0),
        ("1.234.567,89 EUR", 1234567.89),
        ("1,234,567.89", 1234567.89),
        ("1,299.00", 1299.0),
        ("1 299,50 €", 1299.5),
        ("12,50", 12.5),
        ("$1,200", 1200.0),
        ("79.99", 79.99),
        ("0.125", 0.12),
    ],
)
def test_thousands_and_decimal_marks_either_way(written: str, number: float) -> None:
    assert coerce(MONEY, written) == number


def test_amounts_without_a_currency_or_with_an_unknown_one() -> None:
    assert currency_of("79.99") is None
    assert currency_of("40 shekels") is None
    assert coerce(MONEY, "1,200") == 1200.0
    with pytest.raises(ValueError, match="is not a number"):
        coerce(MONEY, "79.99 bananas")


_WORDS = st.sampled_from(["$", "€", "£", "USD", "EUR", "GBP", "NOK", "dollars", "euros", "pounds", "kr", "₪", "₽"])


@given(whole=st.integers(min_value=1, max_value=999_999), cents=st.integers(min_value=0, max_value=99), word=_WORDS)
def test_property_what_the_analysis_reads_as_an_amount_coerces_to_its_number(whole: int, cents: int, word: str) -> None:
    number = f"{whole}.{cents:02d}"
    written = f"{word}{number}" if word in "$€£₪₽" else f"{number} {word}"
    found = entities(f"I was charged {written} for nothing.")["amounts"]
    assert found == [written]
    assert coerce(MONEY, found[0]) == round(whole + cents / 100, 2)
    assert currency_of(found[0]) is not None


BROKEN = "My blender arrived broken, order #12345. I paid {amount} for it."


@pytest.mark.parametrize(
    ("amount", "promised"),
    [("79.99 euros", "€50.00"), ("€79.99", "€50.00"), ("250 kr", "50.00 kr"), ("£20", "£50.00"), ("", "$50.00")],
)
def test_the_promise_is_in_the_customers_currency(run, amount, promised) -> None:
    message = BROKEN.format(amount=amount) if amount else "My blender arrived broken, order #12345."
    r = run(
        "draft",
        "--set",
        "agent=Sam",
        "--set",
        "resolve=refund",
        "--set",
        "refund_amount=50",
        "--now",
        NOW,
        stdin=message,
    )
    assert r.code == 0, r.err
    assert f"I am refunding the full {promised} to your original payment method" in r.out


def test_the_agents_currency_outranks_the_message(run) -> None:
    r = run(
        "draft",
        *("--set", "agent=Sam", "--set", "resolve=refund", "--set", "refund_amount=50", "--set", "currency=£"),
        *("--now", NOW),
        stdin=BROKEN.format(amount="79.99 euros"),
    )
    assert r.code == 0, r.err
    assert "I am refunding the full £50.00 to" in r.out


REFUND = "I paid {amount} for this order and I want my money back, order #12345."


def test_the_customers_figure_within_the_cap_is_the_default_refund(run) -> None:
    r = run("draft", "--set", "agent=Sam", "--now", NOW, stdin=REFUND.format(amount="129 dollars"))
    assert r.code == 0, r.err
    assert "I am refunding the full $129.00 to your original payment method" in r.out


def test_the_customers_figure_above_the_cap_is_left_to_the_agent(run) -> None:
    message = REFUND.format(amount="1499 dollars")
    r = run("draft", "--set", "agent=Sam", "--now", NOW, "--placeholders", stdin=message)
    assert r.code == 0, r.err
    assert "I am refunding the full [[refund amount]] to" in r.out
    r = run("draft", "--set", "agent=Sam", "--now", NOW, stdin=message)
    assert r.code == 2
    assert r.err.startswith("replycoach: error: refund_amount: missing required answers for playbook 'refund-request'")
    # With a reason on record the customer's figure is taken as it stands.
    r = run("draft", "--set", "agent=Sam", "--set", "compensation_reason=VIP", "--now", NOW, stdin=message)
    assert r.code == 0, r.err
    assert "I am refunding the full $1,499.00 to" in r.out
    # An agent's own figure above the cap still needs the reason.
    r = run("draft", "--set", "agent=Sam", "--set", "refund_amount=900", "--now", NOW, stdin=message)
    assert r.code == 2
    assert "900.0 is above the policy cap of 500" in r.err


def test_from_message_takes_only_known_sources(run, tmp_path) -> None:
    from pathlib import Path

    source = (Path(__file__).resolve().parent.parent / "playbooks" / "refund-request.yaml").read_text(encoding="utf-8")
    bad = source.replace("from_message: currency", "from_message: colour", 1)
    team = tmp_path / "team"
    team.mkdir()
    (team / "refund-request.yaml").write_text(bad, encoding="utf-8")
    r = run("playbooks", "validate", str(team))
    assert r.code == 2
    line = bad.splitlines().index(next(ln for ln in bad.splitlines() if "from_message: colour" in ln)) + 1
    assert r.err == (
        f"replycoach: error: {team / 'refund-request.yaml'}:{line}: questions[2].from_message: "
        "'colour' is not one of: currency, amount\n"
    )
