"""Every ask and question of a complaint answered, and no action claimed that nobody took:
the resolve option grants what was asked, an ask no option grants gets the "I can't
promise X yet; what I can do is Y" line, each question its answer slot, the outage reply
commits instead of claiming, and nothing the message already gives is asked for."""

from __future__ import annotations

import pytest

import replycoach

NOW = "2026-11-23T09:00:00+01:00"


def _draft(text: str, **kw: object) -> dict:
    return replycoach.draft_text(text, sets={"agent": "Sam"}, placeholders=True, now=NOW, **kw)  # type: ignore[arg-type]


def _mail(body: str, subject: str = "broken table, order 48213") -> str:
    return f"From: Ann Lee <ann@example.com>\nSubject: {subject}\n\n{body}\n\nAnn\n"


# --- an ask maps to the option that grants it ----------------------------------------


@pytest.mark.parametrize(
    ("body", "option", "says"),
    [
        ("My kettle from order 48213 stopped working after two days. Please repair it.", "repair", "repaired"),
        (
            "The table from order 48213 arrived with a cracked leg. Please collect it and refund me.",
            "collect-refund",
            "collect it from you",
        ),
        (
            "The table from order 48213 arrived with a cracked leg. Can you come and collect it?",
            "replace",
            "collect the damaged one",
        ),
        (
            "The table from order 48213 arrived with a cracked leg. I want a refund, not a replacement.",
            "refund",
            "I am refunding the full",
        ),
    ],
)
def test_the_ask_the_playbook_can_grant_is_granted_not_its_default(body: str, option: str, says: str) -> None:
    result = _draft(_mail(body))
    assert result["playbook"] == "damaged-or-defective"
    assert result["choices"]["resolve"] == option
    assert says in result["draft"]
    if option != "replace":
        assert "sending you a replacement" not in result["draft"]


def test_of_two_remedies_the_first_asked_is_granted_and_the_other_offered() -> None:
    from replycoach.playbook.registry import load_registry
    from replycoach.reply.listen import granted_choice

    options = load_registry().get("damaged-or-defective")["steps"]["resolve"]["options"]
    default = next(o for o in options if o.get("default"))

    def choice(asks: list[str]) -> str | None:
        return granted_choice(options, asks, default, None)

    assert choice(["repair", "replacement"]) == "repair"
    assert choice(["replacement", "repair"]) == "replace"
    assert choice(["collection"]) == "replace"  # grants least nobody asked for: no refund
    assert choice(["collection", "refund"]) == "collect-refund"
    assert choice(["discount"]) is None
    body = "My kettle from order 48213 stopped working. I would like a repair or a replacement."
    result = _draft(_mail(body))
    assert [a["id"] for a in result["asks"]] == ["replacement", "repair"]
    assert result["choices"]["resolve"] == "replace"
    assert (
        "If you would rather have a repair, just tell me and I will arrange that instead; either way" in result["draft"]
    )
    assert "commitment-no-date" not in {f["rule"] for f in result["findings"]}


def test_a_return_and_a_refund_asked_together_get_the_label_and_the_refund() -> None:
    body = "I would like to return the jacket from order 48213 and get a refund please, it does not fit."
    result = _draft(_mail(body, "return, order 48213"), playbook="refund-request")
    assert result["choices"]["resolve"] == "return-then-refund"
    assert "prepaid return label" in result["draft"]


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "I can't promise the cancellation yet; what I can do is check it straight away"),
        ("de", "Die Stornierung kann ich Ihnen noch nicht zusagen; was ich tun kann:"),
        ("fr", "Je ne peux pas encore vous promettre l'annulation"),
        ("es", "Todavía no puedo prometerle la cancelación"),
        ("ru", "Пока я не могу обещать Вам отмену"),
    ],
)
def test_an_ask_no_option_grants_is_declined_with_what_can_be_done(lang: str, line: str) -> None:
    body = "The table from order 48213 arrived broken. Please cancel my order."
    result = _draft(_mail(body), lang=lang)
    assert result["playbook"] == "damaged-or-defective" and result["choices"]["resolve"] == "replace"
    assert "cancel" in [a["id"] for a in result["asks"]]
    assert line in result["draft"]
    # The customer's words are answered, not quoted back.
    assert "Please cancel my order" not in result["draft"]


def test_a_remedy_the_playbook_cannot_give_is_not_offered_instead() -> None:
    body = (
        "Your card terminal shows HOST UNREACHABLE since 7 and the service is down. "
        "I need this fixed NOW or a replacement terminal couriered today."
    )
    result = _draft(_mail(body, "TERMINAL DOWN"), playbook="outage")
    assert "replacement" in {a["id"] for a in result["asks"]}
    assert "I can't promise a replacement yet" in result["draft"]
    assert "would rather have a replacement" not in result["draft"]


# --- each question gets an answer slot ---------------------------------------------


@pytest.mark.parametrize(
    ("lang", "slot"),
    [("en", "[[answer: "), ("de", "[[Antwort: "), ("fi", "[[vastaus: "), ("he", "[[תשובה: ")],
)
def test_each_question_gets_the_agent_s_answer_slot_not_the_list_quoted(lang: str, slot: str) -> None:
    message = _mail("Hello, can the machine run on 110 V? And are the seals sold separately?", "Two questions")
    result = _draft(message, lang=lang)
    assert result["mode"] == "question"
    assert result["draft"].count(slot) == 2
    assert "You asked" not in result["draft"] and "Sie haben gefragt" not in result["draft"]


@pytest.mark.parametrize(
    ("lang", "promise"),
    [
        ("en", "I am also finding out the answer to your question, and I will write to you with it by"),
        ("nb", "Jeg finner også ut svaret på spørsmålet ditt og skriver det til deg innen"),
        ("es", "También estoy averiguando la respuesta a su pregunta, y se la enviaré a más tardar el"),
    ],
)
def test_a_question_in_a_routed_complaint_gets_a_dated_answer_not_silence(lang: str, promise: str) -> None:
    body = "The blender from order 48213 arrived with the jug cracked. Do I need to keep the box for the courier?"
    result = _draft(_mail(body), lang=lang)
    assert result["playbook"] == "damaged-or-defective"
    assert promise in result["draft"]
    assert "[[" not in result["draft"]  # the playbook's own texts carry the reply: no slot to fill


def test_a_question_that_makes_an_ask_is_answered_by_what_is_done_about_the_ask() -> None:
    body = "I want to speak to a manager. Could someone senior give me a call on 07700 900123 this week?"
    result = _draft(_mail(body, "complaint"))
    assert "callback" in [a["id"] for a in result["asks"]]
    assert "[[answer: Could someone senior" not in result["draft"]
    assert "07700 900123" in result["draft"]


def test_brackets_in_a_question_do_not_end_the_slot_early() -> None:
    body = "Quick one: does the [[pro]] plan include exports?"
    result = _draft(_mail(body, "question"))
    assert "[[answer: Quick one: does the pro plan include exports?]]" in result["draft"]


# --- no action claimed that nobody took --------------------------------------------

OUTAGE = _mail("The app has been down all morning, I can't log in and nothing loads.", "app down")


@pytest.mark.parametrize(
    ("lang", "claim", "commitment"),
    [
        ("en", "Our engineers are working", "I am passing your report on"),
        ("de", "Unsere Technik arbeitet gerade", "jetzt an unsere Technik weiter"),
        ("fi", "Teknikkomme työskentelevät nyt", "Välitän ilmoituksesi teknikoillemme nyt"),
        ("nb", "Teknikerne våre jobber nå", "Jeg gir beskjed til teknikerne våre nå"),
        ("ru", "Наши инженеры уже работают", "передаю Ваше обращение"),
        ("he", "המהנדסים שלנו עובדים עכשיו", "אעביר עכשיו את הפנייה שלך למהנדסים שלנו"),
        ("fr", "Nos ingénieurs travaillent dès maintenant", "Je transmets dès maintenant votre signalement"),
        ("es", "Nuestros técnicos ya están trabajando", "paso su aviso"),
    ],
)
def test_the_outage_reply_commits_to_passing_it_on_not_claims_the_work(lang: str, claim: str, commitment: str) -> None:
    result = _draft(OUTAGE, playbook="outage", lang=lang)
    assert claim not in result["draft"]
    assert commitment in result["draft"]


# --- nothing asked for that the message gives ---------------------------------------


def test_an_order_reference_already_in_the_message_is_not_asked_for() -> None:
    given = _draft(_mail("The blender arrived broken, the jug is cracked.", "Re: Delivery window changed - FB-30917"))
    assert given["playbook"] == "damaged-or-defective"
    assert "order number" not in given["draft"]
    # The same message without a reference still asks for it.
    plain = _draft(_mail("The blender arrived broken, the jug is cracked.", "broken blender"))
    assert "could you reply with your order number?" in plain["draft"]


def test_a_booking_reference_in_the_body_is_not_asked_for_in_german() -> None:
    body = "Hallo, ich warte auf die Erstattung für Buchung HX-20931. Ich will mein Geld zurück."
    result = _draft(_mail(body, "Erstattung"), playbook="refund-request", lang="de")
    assert "Bestellnummer" not in result["draft"]


# --- the closing line fits the message ----------------------------------------------


def test_a_repeat_contact_is_told_the_case_stays_with_the_agent_not_to_reply_again() -> None:
    result = _draft(_mail("This is my third email about order 48213. It still has not arrived.", "order 48213"))
    assert "third time" in result["draft"]
    assert "reply to this email" not in result["draft"]
    assert "I am keeping your case with me until it is settled" in result["draft"]


def test_a_letter_to_a_tweet_says_message_not_email() -> None:
    tweet = "@ShopCo my blender arrived with the jug cracked. Not happy #fail\n"
    result = _draft(tweet, channel="email")
    assert "reply to this message" in result["draft"] and "reply to this email" not in result["draft"]


def test_the_playbook_written_for_the_ask_answers_it_once() -> None:
    body = "We're a team of four and the Team plan is above our budget. Is there any discount you could give us?"
    result = _draft(_mail(body, "Discount for a small team?"))
    assert result["playbook"] == "discount-request"
    # The playbook's own answer stands: no second "can't promise a discount" line, and the
    # question about the discount is not promised an answer a second time.
    assert "I can't promise a discount" not in result["draft"]
    assert "finding out the answer" not in result["draft"]
