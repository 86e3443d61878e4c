"""The greeting line, in each language's convention: the person (not the team mailbox,
company or family), by their given name or, to a formal letter, in the formal form
(surname, written title), Russian name and patronymic, and a plain greeting with no name."""

from __future__ import annotations

import pytest

import replycoach

from .conftest import NOW


def first_line(raw: str, **sets: str) -> str:
    draft = replycoach.draft_text(raw, sets={"agent": "Sam", **sets}, placeholders=True, now=NOW)["draft"]
    return str(draft.splitlines()[0])


def email(sender: str, body: str, subject: str = "Re: order") -> str:
    return f"From: {sender} <someone@example.com>\nSubject: {subject}\n\n{body}"


FINANCE = email(
    '"Finance Team | Oakridge Dental"',
    "Dear BookWell,\n\nPlease treat this email as our notice not to renew our subscription.\n\n"
    "Best regards,\n\nSunita Rao\nPractice Finance Lead\nOakridge Dental Group\n\n"
    "DISCLAIMER: This email is confidential. Oakridge Dental Group Ltd, registered in England.\n",
)


@pytest.mark.parametrize(
    ("raw", "greeting"),
    [
        # A team mailbox: the person who signed. An English "Dear ..." is how most mail
        # opens, so it asks for no formal form; "Dear Sir or Madam" does.
        (FINANCE, "Hi Sunita,"),
        (email("Sunita Rao", "Hi, my parcel arrived broken.\n\nThanks,\nSunita\n"), "Hi Sunita,"),
        (email('"Rao, Sunita"', "Hi, my parcel arrived broken.\n"), "Hi Sunita,"),
        (
            email("Dr M. Okafor", "Dear Sir or Madam,\n\nI was charged twice.\n\nYours faithfully,\nDr M. Okafor\n"),
            "Dear Dr Okafor,",
        ),
        # Initials only: no given name to greet by, the formal form instead.
        (email("M. Okafor", "Hello,\n\nI was charged twice for my invoice.\n"), "Dear M. Okafor,"),
        (email("Support", "Hello,\n\nI was charged twice for my invoice.\n"), "Hello,"),
    ],
)
def test_english(raw: str, greeting: str) -> None:
    assert first_line(raw) == greeting


DE_FORMAL = (
    "Sehr geehrte Damen und Herren,\n\nSie haben meinen Abschlag doppelt abgebucht.\n\nMit freundlichen Grüßen\n"
)


@pytest.mark.parametrize(
    ("raw", "greeting"),
    [
        # The title and the surname; "Frau"/"Herr" only where the letter writes it.
        (email("Dr. Petra Hahn", DE_FORMAL + "Frau Dr. Petra Hahn\n"), "Guten Tag Frau Dr. Hahn,"),
        (email("Dr. Petra Hahn", DE_FORMAL + "Dr. Petra Hahn\n"), "Guten Tag Dr. Petra Hahn,"),
        (email("Petra Hahn", DE_FORMAL + "Petra Hahn\n"), "Guten Tag Petra Hahn,"),
        # "i. A." (on behalf of) is not part of the name; the department is no one.
        (
            email("Buchhaltung", DE_FORMAL + "i. A. Monika Reuter\nBuchhaltung\nBäckerei Korn GmbH\n"),
            "Guten Tag Monika Reuter,",
        ),
        (email("Familie Schmidt", "Guten Tag,\n\nunser Paket ist kaputt angekommen.\n"), "Guten Tag,"),
    ],
)
def test_german(raw: str, greeting: str) -> None:
    assert first_line(raw) == greeting


def test_german_informal_register_greets_by_the_given_name_unless_the_letter_is_formal() -> None:
    casual = email("Petra Hahn", "Hallo,\n\nmein Paket ist kaputt.\n\nLG Petra Hahn\n")
    assert first_line(casual, register="informal") == "Hallo Petra,"
    assert first_line(email("Petra Hahn", DE_FORMAL + "Petra Hahn\n"), register="informal") == "Guten Tag Petra Hahn,"


@pytest.mark.parametrize(
    ("raw", "greeting"),
    [
        (email("Петров Иван Сергеевич", "Здравствуйте!\n\nМой заказ не пришёл.\n"), "Здравствуйте, Иван Сергеевич!"),
        (
            "Здравствуйте!\n\nРаспространяется ли гарантия на кофемашину?\n\nЗаранее спасибо,\nГалина Петровна\n",
            "Здравствуйте, Галина Петровна!",
        ),
        # A surname first, no patronymic: the given name alone, never the surname.
        (email("Соколов Андрей", "Заказ не пришёл.\n"), "Здравствуйте, Андрей!"),
        (email("Бухгалтерия ООО «Ветер»", "Добрый день!\n\nСчёт выставлен дважды.\n"), "Здравствуйте!"),
    ],
)
def test_russian(raw: str, greeting: str) -> None:
    assert first_line(raw) == greeting


@pytest.mark.parametrize(
    ("raw", "greeting"),
    [
        (
            email(
                "Claire Dupont",
                "Madame, Monsieur,\n\nMa commande est arrivée cassée.\n\nVeuillez agréer mes salutations.\n"
                "Mme Claire Dupont\n",
            ),
            "Bonjour Madame Dupont,",
        ),
        (
            email("Claire Dupont", "Bonjour,\n\nMa commande est arrivée cassée.\n\nCordialement,\nClaire Dupont\n"),
            "Bonjour Claire Dupont,",
        ),
        # An acronym (the students' union) is no one's given name: the treasurer signed.
        (
            email(
                "BDE Sciences Rennes",
                "Bonjour,\n\nAvez-vous un tarif étudiant ?\n\nMerci d'avance,\nBaptiste Lemaire\nTrésorier – BDE Sciences Rennes\n",
            ),
            "Bonjour Baptiste Lemaire,",
        ),
    ],
)
def test_french(raw: str, greeting: str) -> None:
    assert first_line(raw) == greeting


@pytest.mark.parametrize(
    ("raw", "greeting"),
    [
        (
            email("Lucía López", "Estimados señores:\n\nMi pedido llegó roto.\n\nAtentamente,\nSra. Lucía López\n"),
            "Estimada Sra. López:",
        ),
        (
            email(
                "Tienda Online | Cerámicas Alba",
                "Buenos días:\n\nLa tienda está caída.\n\nUn saludo,\nLucía Fernández\nResponsable de tienda online\n"
                "Cerámicas Alba S.L.\n",
            ),
            "Hola, Lucía:",
        ),
        # The sign-off is how they want to be called ("Manolo" under "Manuel García Ruiz").
        (email("Manuel García Ruiz", "Hola,\n\nMe habéis cobrado de más.\n\nManolo\n"), "Hola, Manolo:"),
    ],
)
def test_spanish(raw: str, greeting: str) -> None:
    assert first_line(raw) == greeting


@pytest.mark.parametrize(
    ("raw", "greeting"),
    [
        ('שלום,\n\nההזמנה שלי לא הגיעה כבר שבועיים.\n\nיוסי ברק\nמנכ"ל, ברק השקעות\n', "שלום יוסי,"),
        (email("משפחת כהן", "שלום,\n\nהמזגן שוב לא מחמם.\n\nמיכל כהן\n"), "שלום מיכל,"),
        # The name in the message's own script, not the header's transliteration.
        (email("Moshe Peretz", "שלום,\n\nהחשבון לאוקטובר יצא כפול.\n\nבתודה,\nמשה פרץ\n"), "שלום משה,"),
    ],
)
def test_hebrew(raw: str, greeting: str) -> None:
    assert first_line(raw) == greeting


@pytest.mark.parametrize(
    ("raw", "greeting"),
    [
        (
            email("Kahvila Mustikka", "Hei\n\nKassa ei toimi.\n\nJari Nieminen\nyrittäjä\nKahvila Mustikka Oy\n"),
            "Hei Jari,",
        ),
        ("Moi\n\nSopiiko samat vanteet Corollaan?\n\nt. Ville\n", "Hei Ville,"),
        (
            email(
                "Styret Borettslaget Solsiden",
                "Hei,\n\nIngen fjernvarme siden i går.\n\nMvh\nKari Solheim\nStyreleder\n",
            ),
            "Hei Kari,",
        ),
        # The address joins the given names the header spells apart.
        ("From: Odd Arne Johansen <oddarne.j@example.no>\nSubject: Nett\n\nHei\n\nNettet er nede.\n", "Hei Odd Arne,"),
    ],
)
def test_finnish_and_norwegian(raw: str, greeting: str) -> None:
    assert first_line(raw) == greeting


def test_a_chat_greets_the_name_the_customer_gives() -> None:
    assert first_line("hei! kan jeg bestille en stor pepperoni til henting? navn Tommy").startswith("Hei Tommy, ")
    assert first_line("hi this is Priti, could i move my delivery slot to thursday?").startswith("Hi Priti, ")
    assert first_line("hey it's Tom here, my order is late").startswith("Hi Tom, ")
    # A shouted adjective after "this is" is no name, nor a "this is" that no greeting opens.
    assert first_line("Hi, this is Ridiculous, my order is late").startswith("Hi there, ")
    assert first_line("This is Unacceptable, my order is late").startswith("Hi there, ")


def test_the_agent_s_customer_name_overrides_the_reading_in_the_language_s_form() -> None:
    assert first_line(email("Support", "Hello,\n\nI was charged twice.\n"), customer_name="Ana Lopez") == "Hi Ana,"
    ru = email("Support", "Здравствуйте!\n\nСчёт выставлен дважды.\n")
    assert first_line(ru, customer_name="Петрова Анна Сергеевна") == "Здравствуйте, Анна Сергеевна!"
    de = email("Support", DE_FORMAL)
    assert first_line(de, customer_name="Herr Jonas Weber") == "Guten Tag Herr Weber,"


def test_the_analysis_gives_the_name_s_parts() -> None:
    found = replycoach.analyze_text(email("Dr. Petra Hahn", DE_FORMAL + "Frau Dr. Petra Hahn\n"))
    assert found["greet_name"] == "Petra"
    assert found["addressee"] == {
        "given": "Petra",
        "surname": "Hahn",
        "patronymic": None,
        "initials": None,
        "title": "Dr.",
        "honorific": "Frau",
        "gender": "female",
        "formal": True,
    }
