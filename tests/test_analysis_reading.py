"""Behaviour of the analysis: scenario routing, negation, anger, complaint, type,
entities, wants and languages, each with the evidence that decided it."""

from __future__ import annotations

from pathlib import Path

import pytest

from replycoach.message import Message
from replycoach.playbook.registry import load_registry
from replycoach.reading.analyze import analyze
from replycoach.reading.cuedata import signals
from replycoach.reading.entities import entities
from replycoach.reading.feelings import anger
from replycoach.reading.restate import restate
from replycoach.reading.sentences import sentences


def read(text: str, **options: object) -> dict:
    return analyze(Message(body=text), load_registry().detected(), **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The mug arrived smashed into pieces.", "damaged-or-defective"),
        ("My headphones stopped working after a week.", "damaged-or-defective"),
        ("It's been two weeks and my parcel still hasn't arrived.", "late-delivery"),
        ("Where is my order? It was due on Monday.", "late-delivery"),
        ("I was charged twice for the same order.", "billing-error"),
        ("There is an extra fee on my invoice I don't recognise.", "billing-error"),
        ("I would like a refund for the jacket.", "refund-request"),
        ("How do I get my money back?", "refund-request"),
        ("Please close my account and delete my data.", "cancellation"),
        ("I want to cancel my subscription.", "cancellation"),
        ("I forgot my password and the reset link never arrives.", "account-access"),
        ("I'm locked out of my account.", "account-access"),
        ("Your website is down for everyone in our office.", "outage"),
        ("Is the service down? The app shows error 503.", "outage"),
        ("Let me talk to a real person, please.", "manager-request"),
        ("Get me your supervisor.", "manager-request"),
        ("Do you have a student discount?", "discount-request"),
        ("Could you give me a better price if I buy ten?", "discount-request"),
        ("It would be great if you added a dark mode.", "feature-request"),
        ("Please add an option to export to CSV.", "feature-request"),
        ("What are your opening hours on Sunday?", "general"),
        ("Thanks, that solved it!", "general"),
    ],
)
def test_scenario_routing(text: str, expected: str) -> None:
    result = read(text)
    assert result["scenario"]["id"] == expected
    if expected != "general":
        assert result["scenario"]["evidence"], "a detected scenario names its evidence"


@pytest.mark.parametrize(
    ("text", "not_expected"),
    [
        ("I don't want a refund, just a working charger.", "refund-request"),
        ("I do not want to cancel my subscription, I just want to pause it.", "cancellation"),
        ("No, you don't need to transfer me to a real person.", "manager-request"),
        ("How do I unsubscribe from the newsletter?", "cancellation"),
    ],
)
def test_negation_and_lookalikes_do_not_route(text: str, not_expected: str) -> None:
    assert read(text)["scenario"]["id"] != not_expected


def test_typos_in_key_words_still_route() -> None:
    assert read("i need a refnud for order 1234")["scenario"]["id"] == "refund-request"
    assert read("how can i recover my pasword")["scenario"]["id"] == "account-access"
    # a real word one letter away from a key word is not "corrected"
    assert read("How do I change my address?")["scenario"]["id"] == "general"


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Hello, could you tell me when my order ships?", "none"),
        ("I'm a bit disappointed the box was dented.", "low"),
        ("This is ridiculous.", "medium"),
        ("This is absolutely ridiculous and the WORST service EVER!!!", "high"),
        ("I am not angry, just curious.", "none"),
        ("What the f*** is going on with my order", "high"),
        ("Oh great, thanks for nothing.", "medium"),
    ],
)
def test_anger_levels(text: str, level: str) -> None:
    assert anger(text, signals())["level"] == level


def test_anger_names_its_evidence() -> None:
    result = anger("This is UNACCEPTABLE. I am FURIOUS and I want my MONEY!!", signals())
    assert result["level"] == "high"
    assert "ALL CAPS" in result["evidence"]
    assert any(e.lower() == "furious" for e in result["evidence"])
    assert 0.6 <= result["score"] <= 1


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("@AcmeHelp my package says delivered but it's not here", True),
        ("@AcmeHelp the app keeps crashing since the update", True),
        ("@AcmeHelp billed me twice this month, still no reply", True),
        ("@AcmeHelp thank you so much for the quick help!", False),
        ("@AcmeHelp do you ship to Canada?", False),
        ("@AcmeHelp how do I change my delivery address?", False),
    ],
)
def test_complaint_or_not(text: str, complaint: bool) -> None:
    result = read(text)
    assert result["complaint"] is complaint
    assert bool(result["complaint_evidence"]) is complaint


@pytest.mark.parametrize(
    ("text", "ctype"),
    [
        ("You people are useless. I demand a call today or I'm calling my lawyer.", "aggressive"),
        ("A voucher is not good enough. I want a full refund and a free year on top.", "rip-off"),
        ("I've been a customer for 12 years on the premium plan and this is unacceptable.", "high-roller"),
        ("Sorry to bother you, but I think my parcel went to the wrong house. No rush.", "meek"),
        ("This is the third time my order has been late. Every single time!", "chronic"),
        ("My order 55120 has not arrived yet.", "neutral"),
    ],
)
def test_complainant_type(text: str, ctype: str) -> None:
    result = read(text)
    assert result["customer_type"]["id"] == ctype
    assert bool(result["customer_type"]["evidence"]) is (ctype != "neutral")


def test_history_from_the_complaint_log_makes_a_sender_chronic() -> None:
    result = read(
        "My order 55120 has not arrived yet.", history={"count_90d": 3, "dates": ["2026-11-01", "2026-10-02"]}
    )
    assert result["customer_type"] == {
        "id": "chronic",
        "evidence": ["complaint 3 in 90 days (earlier: 2026-11-01, 2026-10-02)"],
        "was": "neutral",
    }
    assert read("My order 55120 has not arrived yet.", history={"count_90d": 2})["customer_type"]["id"] == "neutral"


def test_forced_type_and_playbook_win() -> None:
    result = read("I want a refund.", forced_type="meek", forced_playbook="general")
    assert result["customer_type"] == {"id": "meek", "evidence": ["chosen by the agent"]}
    assert result["scenario"]["id"] == "general" and result["scenario"]["forced"] is True


def test_entities_in_their_common_shapes() -> None:
    text = (
        "Order #48213 (ref: AB-12345) cost $79.99 plus 12,50 EUR on May 3; it broke last Tuesday, "
        '2026-05-03, 5 days ago. The "Aurora 2" lamp. Mail ana.k@example.com or call +1 415 555 0199 '
        "or (020) 7946 0958. Card 4111 1111 1111 1111."
    )
    assert entities(text) == {
        "order_ids": ["#48213", "AB-12345"],
        "amounts": ["$79.99", "12,50 EUR"],
        "dates": ["May 3", "last Tuesday", "2026-05-03", "5 days ago"],
        "emails": ["ana.k@example.com"],
        "phones": ["+1 415 555 0199", "(020) 7946 0958"],
        "products": ["Aurora 2"],
        "cards": ["**** **** **** 1111"],
    }


def test_a_mobile_number_with_a_five_digit_prefix_is_a_phone() -> None:
    # "07700 900123" (a UK mobile): the callback is promised to the number they gave.
    assert entities("Please call me on 07700 900123 today.")["phones"] == ["07700 900123"]
    assert entities("Ring me back: +44 7700 900123")["phones"] == ["+44 7700 900123"]


def test_an_amount_ends_in_a_digit_and_may_name_its_unit_first() -> None:
    # "(ordre 5520931, kr 2 499)": the order number and its comma are not an amount.
    assert entities("dunjakken (ordre 5520931, kr 2 499) 28. oktober")["amounts"] == ["kr 2 499"]
    assert entities("it was 40, EUR 12,50 and 7 dollars")["amounts"] == ["EUR 12,50", "7 dollars"]


def test_card_numbers_are_masked_everywhere_the_text_is_shown() -> None:
    result = read("My card 4111 1111 1111 1111 was charged twice. Fix it.")
    assert "4111 1111 1111 1111" not in str(result)
    assert "**** **** **** 1111" in result["message"]["body"]
    # a long order number that fails the Luhn check is not a card
    assert read("Order 1234567890123 is late.")["entities"]["cards"] == []


def test_wants_stated_and_not() -> None:
    assert read("The lamp is broken. I want a replacement by Friday.")["wants"] == {
        "stated": True,
        "text": "I want a replacement by Friday.",
    }
    assert read("The lamp is broken.")["wants"] == {"stated": False, "text": ""}


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("My order has not arrived and nobody answers the phone.", "en"),
        ("Tilaukseni ei ole vieläkään tullut, vaikka lupasitte sen viime viikolla.", "fi"),
        ("Jeg har ikke fått pakken min ennå, og ingen svarer på e-post.", "nb"),
        ("Заказ не пришёл уже три недели, и никто не отвечает.", "ru"),
        ("ההזמנה שלי לא הגיעה כבר שלושה שבועות.", "he"),
        ("Meine Bestellung ist immer noch nicht angekommen.", "de"),
        ("Ma commande n'est toujours pas arrivée.", "fr"),
        ("Mi pedido todavía no ha llegado.", "es"),
    ],
)
def test_language_detection(text: str, lang: str) -> None:
    assert read(text)["language"] == lang


@pytest.mark.parametrize(
    ("text", "risk"),
    [
        ("Jos rahoja ei palauteta, otan yhteyttä asianajajaan.", "legal-threat"),
        ("Jeg går til Forbrukerrådet med dette.", "legal-threat"),
        ("Я обращусь к юристу и подам в суд.", "legal-threat"),
        ("אני אפנה לעורך דין.", "legal-threat"),
        ("I will dispute the charge with my bank.", "chargeback"),
        ("I'll leave a one-star review on Trustpilot.", "public-review"),
        ("Fix this or I will cancel and take my business elsewhere.", "cancellation-threat"),
    ],
)
def test_risks_in_seed_languages(text: str, risk: str) -> None:
    result = read(text)
    assert risk in {r["id"] for r in result["risks"]}
    assert result["anger"]["level"] in {"medium", "high"}, "a threat is anger shown"


def test_a_plain_cancellation_request_is_not_a_threat() -> None:
    assert read("Please cancel my subscription at the end of the month.")["risks"] == []


@pytest.mark.parametrize(
    ("text", "angry"),
    [
        ("Vittu mikä palvelu, täysin naurettavaa!", True),
        ("Kiitos nopeasta avusta.", False),
        ("Dette er helt uakseptabelt, jeg er forbanna!", True),
        ("Tusen takk for hjelpen.", False),
        ("Это просто безобразие, я в ярости!", True),
        ("Спасибо за помощь.", False),
        ("זה פשוט מזעזע, אני כועס מאוד!", True),
        ("תודה רבה על העזרה.", False),
    ],
)
def test_anger_in_seed_languages(text: str, angry: bool) -> None:
    assert (anger(text, signals())["level"] in {"medium", "high"}) is angry


def test_restatement_drops_greeting_and_hedge() -> None:
    assert restate("Sorry to bother you, but I think my order was sent twice.") == "your order was sent twice"
    assert restate("Hi, my lamp arrived broken!") == "your lamp arrived broken"


@pytest.mark.parametrize(
    ("sentence", "restated"),
    [
        # A question is told back as what they asked, never asked back at them.
        ("Will they still be processed?", "you asked whether they will still be processed"),
        ("Is there any discount for students?", "you asked whether there is any discount for students"),
        ("Do you ship to Canada?", "you asked whether we ship to Canada"),
        ("How do I top up?", "you asked how to top up"),
        ("How can I change my PIN?", "you asked how you can change your PIN"),
        ("What is the fee for SEPA transfers?", "you asked what the fee for SEPA transfers is"),
        ("What is the $250,000 figure based on?", "what is the $250,000 figure based on"),  # left as it is
        # A closing plea for help asks us; it is not part of the problem.
        ("I think I want AUD and not GBP, can you help?", "you want AUD and not GBP"),
        ("My card was declined, please help!", "your card was declined"),
        # Acronyms keep their capitals; a sentence shouted through is told back calmly.
        ("OP is just a kid.", "OP is just a kid"),
        ("My PIN is blocked and the ATM ate my card", "your PIN is blocked and the ATM ate your card"),
        ("THIS IS THE WORST service I HAVE EVER HAD!!!", "this is the worst service you have ever had"),
        # "you" after a verb or preposition is us as the object, never "we".
        ("I told you twice already", "you told us twice already"),
        ("I want you to refund me", "you want us to refund you"),
        ("It sounds like you are ignoring me", "it sounds like we are ignoring you"),
        ("She is proud of you", "she is proud of us"),
        # A thank-you that opens a complaint is not part of it.
        ("Thank you, but the box is empty.", "the box is empty"),
        ("Thanks! My order never came though.", "your order never came though"),
        # A request put as an order is told back as what they asked for.
        ("edit information on standard account", "you asked me to edit information on standard account"),
        ("Please cancel my order #123", "you asked me to cancel your order #123"),
        ("Check is in the mail", "check is in the mail"),
        ("Return policy is a joke", "return policy is a joke"),
        # A note that leaves out "I am" gets it back.
        ("Still waiting for the refund of $49.00.", "you are still waiting for the refund of $49.00"),
        ("Waiting is not an option", "waiting is not an option"),
        ("Waiting for both of these things is torture", "waiting for both of these things is torture"),
        # Spoken fillers are not part of the problem; a name of several words keeps its capitals.
        ("ok so I've been sent a final notice", "you've been sent a final notice"),
        ("So I think I've been overcharged £6.50.", "you've been overcharged £6.50"),
        ("Carrow Health Group is planning a refresh", "Carrow Health Group is planning a refresh"),
        ("So the box is empty", "the box is empty"),
    ],
)
def test_restatement_reads_as_the_agent_telling_it_back(sentence: str, restated: str) -> None:
    assert restate(sentence) == restated


@pytest.mark.parametrize(
    ("text", "restatement"),
    [
        ("Help! Someone stole my card!", "someone stole your card"),
        ("Help me please!  My card was stolen!", "your card was stolen"),
        ("Remindme! 243 days", ""),  # no sentence to tell back: the playbook's own words
        ("get invoice", ""),
        # Told back in English only: the person swap is English grammar, the reply English.
        ("Meine Bestellung #12345 ist kaputt angekommen. Ich will mein Geld zurück!", ""),
    ],
)
def test_a_fragment_is_never_the_restatement(text: str, restatement: str) -> None:
    assert read(text)["restatement"] == restatement


LANGUAGES = {  # fixture email -> the language it is written in
    **dict.fromkeys(["01-gmail-toppost-en", "05-apple-iphone", "33-html-gmail", "47-android"], "en"),
    **dict.fromkeys(["07-de-outlook-block", "08-de-gmail-schrieb", "53-de-nested"], "de"),
    **dict.fromkeys(["09-fr-gmail", "10-fr-outlook", "44-no-mime-cp1252"], "fr"),
    **dict.fromkeys(["11-es-gmail", "12-es-outlook"], "es"),
    **{"13-it-gmail": "it", "14-pt-gmail": "pt", "15-nl-apple": "nl", "16-sv-outlook": "sv"},
    **{"17-da-iphone": "da", "18-no-gmail": "nb", "19-fi-outlook": "fi", "20-pl-gmail": "pl"},
    **{"21-cs-thunderbird": "cs", "22-ru-koi8r": "ru", "23-ru-cp1251-labelled-koi8r": "ru"},
    **{"24-uk-base64": "uk", "25-he-iso-8859-8-i": "he", "26-ja-iso2022jp": "ja", "27-ja-shiftjis": "ja"},
    **{"28-zh-gb2312": "zh", "29-ko": "ko", "30-tr": "tr", "49-hu-outlook": "hu", "50-vi": "vi"},
    "52-el-outlook": "el",
}


@pytest.mark.parametrize(("name", "language"), sorted(LANGUAGES.items()))
def test_the_language_of_fixture_emails(name: str, language: str) -> None:
    from replycoach.message import parse_message

    raw = (Path(__file__).resolve().parent / "fixtures" / "emails" / f"{name}.eml").read_bytes()
    assert analyze(parse_message(raw), [])["language"] == language


def test_sentences_end_at_stops_but_not_at_titles_numbers_or_addresses() -> None:
    text = "See Mr. Jones, e.g. today. Ms. Li vs. Dr. No i.e. St. Ives. Price 12.99 at example.com. Done!! Ok"
    assert sentences(text) == [
        "See Mr. Jones, e.g. today.",
        "Ms. Li vs. Dr. No i.e. St. Ives.",
        "Price 12.99 at example.com.",
        "Done!!",
        "Ok",
    ]
    assert sentences("Where is it??\n\nI waited\nso long") == ["Where is it??", "I waited", "so long"]
