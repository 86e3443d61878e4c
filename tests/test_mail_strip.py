"""strip_reply on pasted text: one quote or signature pattern per case, many clients and languages."""

from __future__ import annotations

import pytest

from replycoach.message import strip_reply

STRIP_CASES = {
    "android dashes": ("Test reply\n\n---- John Smith wrote ----\n\n> quoted\n", "Test reply"),
    "same line": ("Sounds good On Wed, Apr 4, 2012 at 3:59 PM, bob@example.com wrote:\n> Hi", "Sounds good"),
    "date email": ("Replying ok\n2014-10-17 11:28 GMT+03:00 Post <post@example.org>:\n\n> Hi", "Replying ok"),
    "finnish verb first": ("Kiitos\n\nMika <m@example.fi> kirjoitti 2.6.2026 kello 10.40:\n\n> Hei", "Kiitos"),
    "date on own line": ("Hi\n\nOn Tue, Apr 11, 2026 at 10:07 PM John\n<j@example.com> wrote:\n> Test", "Hi"),
    "rule then header": ("Ok\n\n-----------------------------\nFrom: A <a@example.com>\nSent: x\n\nold", "Ok"),
    "original message": ("Please cancel\n\n----- Original Message -----\nFrom: a\nTo: b\n\nold", "Please cancel"),
    "german forward": ("Siehe unten\n\n-------- Weitergeleitete Nachricht --------\nBetreff: x\n", "Siehe unten"),
    "not a splitter": (
        "On your remote host you can run:\n\n  telnet 127.0.0.1 52698\n",
        "On your remote host you can run:\n\n  telnet 127.0.0.1 52698",
    ),
    "name wrote without quote": (
        "My husband wrote:\nplease refund us today",
        "My husband wrote:\nplease refund us today",
    ),
    "sent from not a sig": (
        "Here is another email\n\nSent from my desk, is much easier than my mobile phone.",
        "Here is another email\n\nSent from my desk, is much easier than my mobile phone.",
    ),
    "sig dash name": (
        "Oh thanks.\n\nHaving the function would be great.\n\n-Abhishek Kona",
        "Oh thanks.\n\nHaving the function would be great.",
    ),
    "mailing list footer": (
        "Question?\n\n_______________________________________________\nlist mailing list\nlist@example.org",
        "Question?",
    ),
    "inline link wraps": (
        "Blah\n\nOn Monday, 24 Sep 2012 at 3:46 PM, bob wrote:\n\n> View (http://e.com/a\n_nonce=3d)\n>\n",
        "Blah",
    ),
    "bullets kept": (
        "Two:\n- Here is another bullet point\n- And another one",
        "Two:\n- Here is another bullet point\n- And another one",
    ),
    "polish wrapped": (
        "Lorem\n\nW dniu 28 stycznia 2026 01:53 użytkownik Zoe <z@example.com>\nnapisał:\n\nBlah!",
        "Lorem",
    ),
    "korean": ("네\n\n2026. 12. 14. 오후 3:19 user <user@example.com> 작성:\n\n> 안녕", "네"),
    "lone from line": (
        "9am to 1pm works.\n\nFrom: desk@example.com\n\n<http://x.example/c/abc\n\nRequester: ",
        "9am to 1pm works.",
    ),
    "chinese": ("好的\n\n在 2026年11月8日，下午2:23，Test <t@example.com> 写道：\n\n> 你好", "好的"),
}


@pytest.mark.parametrize("text,expected", list(STRIP_CASES.values()), ids=list(STRIP_CASES))
def test_strip_reply_patterns(text: str, expected: str) -> None:
    assert strip_reply(text)[0] == expected


CLIENT_CASES = [
    (
        "es outlook enviado el",
        "Hola, necesito la factura.\n\nDe: Tienda <t@x.com>\nEnviado el: jueves, 12 de noviembre de 2026 13:00\nPara: Ana\nAsunto: x\n\nold",
        "Hola, necesito la factura.",
    ),
    (
        "bottom reply riak",
        "Hi,\nOn Tue, 2011-03-01 at 18:02 +0530, Abhishek Kona wrote:\n> Hi folks\n>\n> What is the best way?\n\nYou can list the keys for the bucket.\n\nCheers\n\nRussell\n\nOn 1 Mar 2011, at 12:45, Abhishek Kona wrote:\n> Hi folks\n",
        "Hi,\n\nYou can list the keys for the bucket.",
    ),
    (
        "please advise",
        "Order 12345 is still missing.\n\nPlease Advise",
        "Order 12345 is still missing.\n\nPlease Advise",
    ),
    (
        "sent from samsung",
        "Ok thanks\n\nSent from my Samsung Galaxy smartphone.\n\n-------- Original message --------\nFrom: A <a@x.com>\nDate: 11/16/26 10:00 (GMT+01:00)\nTo: b\nSubject: x\n\nold",
        "Ok thanks",
    ),
    (
        "outlook ios",
        "Please call me back.\n\nGet Outlook for iOS\n________________________________\nFrom: A <a@x.com>\nSent: Monday, November 16, 2026 10:00:00 AM\nTo: b\nSubject: x\n\nold",
        "Please call me back.",
    ),
    (
        "outlook mac",
        "Fine.\n\nFrom: Shop <s@x.com>\nDate: Monday, 16 November 2026 at 10:00\nTo: Ana <a@x.com>\nSubject: Re: x\n\nold",
        "Fine.",
    ),
    (
        "de on behalf",
        "Danke.\n\n-----Ursprüngliche Nachricht-----\nVon: Shop [mailto:s@x.com]\nGesendet: Montag, 16. November 2026 10:00\nAn: Ana\nBetreff: x\n\nalt",
        "Danke.",
    ),
    (
        "quoted header inside > ",
        "Yes please.\n\n> -----Original Message-----\n> From: x\n> Sent: y\n>\n> old",
        "Yes please.",
    ),
    (
        "iphone de",
        "Ja.\n\nVon meinem iPhone gesendet\n\n> Am 16.11.2026 um 10:00 schrieb Shop <s@x.com>:\n> \n> alt",
        "Ja.",
    ),
    (
        "fr iphone",
        "Oui.\n\nEnvoyé de mon iPhone\n\n> Le 16 nov. 2026 à 10:00, Shop <s@x.com> a écrit :\n> \n> vieux",
        "Oui.",
    ),
    (
        "signature block title",
        "My invoice is wrong.\n\n--\nJohn Doe\nCEO, Example Inc.\n+1 555 0100",
        "My invoice is wrong.",
    ),
    ("thanks!", "The app crashes on login.\n\nThanks!", "The app crashes on login."),
    (
        "regards name company",
        "Please cancel.\n\nBest regards,\n\nJohn Smith\nSenior Buyer\nWidgets GmbH\nTel. +49 30 123456\nwww.widgets.example",
        "Please cancel.",
    ),
    ("gmail with nested date no name", "ok\n\nOn Mon, Nov 16, 2026 at 10:00 AM <noreply@x.com> wrote:\n\n> a", "ok"),
    ("wrote without colon", "Agreed.\n\nOn 16 Nov 2026, at 10:00, Shop wrote\n\n> old", "Agreed."),
    ("underscores sig then text", "Hi\n\nI still need help.\n\n___\nSent via web", "Hi\n\nI still need help."),
    ("inline answers", "> Q1?\nA1 yes\n> Q2?\nA2 no", "A1 yes\nA2 no"),
    ("ru gmail", "Да.\n\nпн, 16 нояб. 2026 г. в 10:00, Shop <s@x.com>:\n\n> старое", "Да."),
    ("ru writes", "Да.\n\n16.11.2026 10:00, Shop пишет:\n> старое", "Да."),
    ("he", "כן.\n\nב-16 בנוב׳ 2026, 10:00, Shop <s@x.com> כתב/ה:\n\n> ישן", "כן."),
    ("ja gmail", "はい。\n\n2026年11月16日(月) 10:00 Shop <s@x.com>:\n\n> 古い", "はい。"),
    ("pt-br", "Sim.\n\nEm seg., 16 de nov. de 2026 às 10:00, Shop <s@x.com> escreveu:\n\n> antigo", "Sim."),
    (
        "yahoo header block",
        "Thanks.\n\n----- Forwarded Message -----\nFrom: A <a@x.com>\nTo: B\nSent: Monday\nSubject: x\n\nold",
        "Thanks.",
    ),
    ("sv gmail", "Ja.\n\nmån 16 nov. 2026 kl. 10:00 skrev Shop <s@x.com>:\n\n> gammal", "Ja."),
    (
        "nl outlook",
        "Ja.\n\nVan: Shop <s@x.com>\nVerzonden: maandag 16 november 2026 10:00\nAan: Ana\nOnderwerp: x\n\noud",
        "Ja.",
    ),
    (
        "it outlook",
        "Sì.\n\nDa: Shop <s@x.com>\nInviato: lunedì 16 novembre 2026 10:00\nA: Ana\nOggetto: x\n\nvecchio",
        "Sì.",
    ),
    (
        "pl outlook",
        "Tak.\n\nOd: Shop <s@x.com>\nWysłano: poniedziałek, 16 listopada 2026 10:00\nDo: Ana\nTemat: x\n\nstary",
        "Tak.",
    ),
    (
        "ko outlook",
        "네.\n\n보낸 사람: Shop <s@x.com>\n보낸 날짜: 2026년 11월 16일 월요일 오전 10:00\n받는 사람: Ana\n제목: x\n\n옛",
        "네.",
    ),
    (
        "zh outlook",
        "好的。\n\n发件人: Shop <s@x.com>\n发送时间: 2026年11月16日 10:00\n收件人: Ana\n主题: x\n\n旧",
        "好的。",
    ),
    (
        "tr outlook",
        "Evet.\n\nKimden: Shop <s@x.com>\nGönderildi: 16 Kasım 2026 Pazartesi 10:00\nKime: Ana\nKonu: x\n\neski",
        "Evet.",
    ),
    ("da outlook", "Ja.\n\nFra: Shop <s@x.com>\nSendt: 16. november 2026 10:00\nTil: Ana\nEmne: x\n\ngammel", "Ja."),
    (
        "cs outlook",
        "Ano.\n\nOd: Shop <s@x.com>\nOdesláno: pondělí 16. listopadu 2026 10:00\nKomu: Ana\nPředmět: x\n\nstaré",
        "Ano.",
    ),
    (
        "customer colon line",
        "Here is what happened:\nThe box was empty.\nOrder: 5512\nDate: yesterday",
        "Here is what happened:\nThe box was empty.\nOrder: 5512\nDate: yesterday",
    ),
    (
        "to do list",
        "To: whom it may concern\nFrom: a very angry customer\nI want my money back.",
        "To: whom it may concern\nFrom: a very angry customer\nI want my money back.",
    ),
    (
        "he gmail",
        "כן.\n\n\u202bבתאריך יום ה׳, 5 בפבר׳ 2015 ב-11:48 מאת \u202aFoo Bar\u202c\u200f <\u202afoo@bar.com\u202c\u200f>:\u202c\n\n> ישן",
        "כן.",
    ),
    ("ar gmail", "نعم.\n\nفي ٢٠١٥/٠٢/١٦، في ٥:١٤ م، كتب Foo <foo@bar.com>:\n\n> قديم", "نعم."),
    ("cs gmail", "Ano.\n\nDne 16. 2. 2015 17:14 napsal(a) Foo <foo@bar.com>:\n\n> staré", "Ano."),
    ("hu gmail", "Igen.\n\nFoo <foo@bar.com> ezt írta (időpont: 2015. febr. 16., H, 17:14):\n\n> régi", "Igen."),
    (
        "zimbra",
        "Oui.\n\n----- Mail original -----\nDe: Foo <foo@bar.com>\nÀ: bar@foo.com\nEnvoyé: Lundi 16 Février 2015 17:14:00\nObjet: x\n\nvieux",
        "Oui.",
    ),
    (
        "yahoo leading space",
        "Ok.\n\n________________________________\n From: Foo <foo@bar.com>\n To: bar@foo.com \n Sent: Monday, February 16, 2015 5:14 PM\n Subject: x\n\nold",
        "Ok.",
    ),
    (
        "msn quoted header",
        "Ok.\n\n________________________________\n> From: foo@bar.com\n> To: bar@foo.com\n> Subject: x\n>\n> old",
        "Ok.",
    ),
    ("id", "Ya.\n\nPada tanggal 16/02/2015 17:14, Foo <foo@bar.com> menulis:\n\n> lama", "Ya."),
]


@pytest.mark.parametrize("name,text,expected", CLIENT_CASES, ids=[c[0] for c in CLIENT_CASES])
def test_client_and_language_patterns(name: str, text: str, expected: str) -> None:
    assert strip_reply(text)[0] == expected


def test_sender_name_is_a_sign_off_even_glued_to_the_text() -> None:
    assert strip_reply("I want a refund.\nAna", sender="Ana Lopez") == ("I want a refund.", "", "Ana")
    assert strip_reply("I want a refund.\nAna")[0] == "I want a refund.\nAna"


def test_html_marks_start_quotes_and_signatures() -> None:
    from replycoach.message.html import html_to_text

    html = '<div>New text</div><div class="gmail_signature">Ana | Acme</div><div class="gmail_quote">old</div>'
    assert strip_reply(html_to_text(html, marks=True)) == ("New text", "old", "Ana | Acme")


SIGNATURE_CASES = {
    "three dashes": ("Where is my parcel?\n---\nMarta", "Where is my parcel?"),
    "dash name glued": ("Refund please.\n-marta", "Refund please."),
    "dash space name": ("Refund please.\n\n- Marta", "Refund please."),
    "double dash name": ("Refund please.\n\n--Marta", "Refund please."),
    "delimiter then regards": ("Refund please.\n--\nKind regards,\n\nMarta", "Refund please."),
    "iphone with bang": ("Call me.\n\nSent from my iPhone!", "Call me."),
    "mailbox app": ("Call me.\nSent from Mailbox for iPhone", "Call me."),
    "sentence starting with thanks": (
        "Order 5 is late.\nThanks for looking into it.\n--\nThanks!\nMarta",
        "Order 5 is late.\nThanks for looking into it.",
    ),
    "arrows are not a delimiter": ("See:\n\n--> one\n--> two\n--\nMarta", "See:\n\n--> one\n--> two"),
    "blank lines inside sign-off": ("Late again.\n\n-Marta.\n\nSent from my HTC smartphone!", "Late again."),
    "wireless footer": ("Late again.\nSent wirelessly from my BlackBerry device on the Rogers network.", "Late again."),
    "registered sign in footer": ("Late again.\nEnviado desde mi oficina móvil BlackBerry® de Telcel", "Late again."),
    "valediction after a short paragraph": (
        "Thanks,\n\nStill broken\n\nregards\n\nMarta Díaz",
        "Thanks,\n\nStill broken",
    ),
    "spanish two-word valediction": ("Sigue roto.\n\nSaludos cordiales,\nMarta", "Sigue roto."),
    "title-case plea is not a name": (
        "Order 12 is still missing.\n\nPlease Advise",
        "Order 12 is still missing.\n\nPlease Advise",
    ),
    "one bullet list stays": ("Options:\n- refund\n- replacement", "Options:\n- refund\n- replacement"),
}


@pytest.mark.parametrize("text,expected", list(SIGNATURE_CASES.values()), ids=list(SIGNATURE_CASES))
def test_signature_patterns(text: str, expected: str) -> None:
    assert strip_reply(text)[0] == expected


def test_postscript_after_the_sign_off_is_kept() -> None:
    body, _, signature = strip_reply("The blender broke.\n\nCheers,\nAna\n\nP.S. The lid is missing too.")
    assert (body, signature) == ("The blender broke.\n\nP.S. The lid is missing too.", "Cheers,\nAna")
