"""Whom the reply greets: the person who wrote, their name's parts, and whether they wrote
formally, so each language's template can greet them by its own convention
("Hi Sunita,", "Guten Tag Frau Dr. Hahn,", "Здравствуйте, Анна Петровна!").

The person is the one who signed, when the sign-off names someone: the From header may
be a team mailbox ("Finance Team | Oakridge Dental"), a company ("Kahvila Mustikka"),
a family ("משפחת כהן") or the account of someone else; a nickname ("Manolo" under
"Manuel García Ruiz") or the name in the message's own script ("משה" under "Moshe
Peretz") is how they want to be called. Else the From name, else a name they give in
the text ("my name is Tommy"). Gender is never guessed from a given name: only a form
of address ("Frau", "Mr", "Sra.") or a Russian patronymic or surname says it.

The words are data (the ``names`` section and ``mailboxes`` of data/listening.yaml).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from replycoach.message import Message

# A Russian patronymic says the gender; a surname's ending too, and which word it is.
_PATRONYMIC = re.compile(r"(?:ович|евич|ич|овна|евна|ична|инична)$")
_PATRONYMIC_F = re.compile(r"(?:овна|евна|ична|инична)$")
_RU_SURNAME = re.compile(r"(?:ов|ев|ёв|ин|ын|ова|ева|ёва|ина|ына|ский|цкий|ская|цкая|енко)$")
_RU_SURNAME_F = re.compile(r"(?:ова|ева|ёва|ина|ына|ская|цкая)$")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_INITIAL = re.compile(r"^(?:[^\W\d_]\.){1,2}$")
# A name's word: letters, with a hyphen or apostrophe inside ("Hans-Peter", "O'Brien").
_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*\.?$")
_SCRIPTS = (("he", re.compile(r"[\u0590-\u05ff]")), ("cyrl", _CYRILLIC), ("latn", re.compile(r"[A-Za-zÀ-ɏ]")))


def name_cues(data: dict[str, Any], mailboxes: re.Pattern[str]) -> dict[str, Any]:
    """The ``names`` cues of listening.yaml, compiled (once, with the listening's)."""

    def words(items: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))

    hon = data["honorifics"]
    return {
        "mailboxes": mailboxes,
        "gender": {w.lower(): g for g in ("female", "male") for w in hon[g]},
        "honorific": re.compile(rf"^(?:{words(hon['female'] + hon['male'])})\.?$", re.I),
        "degree": re.compile(rf"^(?:{words(data['degrees'])})\.?$", re.I),
        "particle": {p.lower() for p in data["particles"]},
        "before": re.compile(rf"^(?:{'|'.join(data['before_name'])})(?:[\s,.:!–—-]+|$)", re.I),
        "not_name": re.compile(rf"^(?:{'|'.join(data['not_names'])})$", re.I),
        # A word that ends in a role: "Talouspäällikkö", "Abteilungsleiter" too.
        "role": re.compile(rf"(?:{'|'.join(data['roles'])})$", re.I),
        "introduced": [re.compile(p) for p in data["introduced"]],
        "formal": re.compile("|".join(f"(?:{p})" for p in data["formal"]), re.I | re.M),
    }


def parse(name: str, cues: dict[str, Any]) -> dict[str, Any] | None:
    """The parts of a written name: ``given`` ("Odd Arne"), ``surname``, ``patronymic``,
    ``initials`` ("M."), ``title`` ("Dr."), ``honorific`` ("Frau") and ``gender``;
    None for no name (a mailbox, a word that is not one)."""
    text = " ".join(name.replace('"', " ").split()).strip(" ,;-–—")
    if "," in text:  # "Rao, Sunita"
        last, first = (p.strip() for p in text.split(",", 1))
        if not last or not first or len(last.split()) > 2 or len(first.split()) > 3:
            return None
        text = f"{first} {last}"
    words = text.split()
    person: dict[str, Any] = {
        "given": None,
        "surname": None,
        "patronymic": None,
        "initials": None,
        "title": None,
        "honorific": None,
        "gender": None,
    }
    titles: list[str] = []
    while words and (cues["honorific"].match(words[0]) or cues["degree"].match(words[0])):
        word = words.pop(0)
        if cues["degree"].match(word):
            titles.append(word)
        else:
            person["honorific"] = word
            person["gender"] = cues["gender"].get(word.lower().rstrip("."))
    if not words or len(words) > 4 or not all(_WORD.match(w) for w in words):
        return None
    if cues["not_name"].match(words[0].rstrip(".")) or cues["mailboxes"].search(text):
        return None
    if any(cues["role"].search(w.strip(".,")) for w in words):
        return None
    # An acronym ("BDE", "SEO") is an organisation; a lower-case word only a particle.
    if any(len(w) > 1 and w.isupper() and not _INITIAL.match(w) for w in words):
        return None
    if any(w[:1].islower() and w.lower() not in cues["particle"] for w in words if _cased(w)):
        return None
    person["title"] = " ".join(titles) or None
    initials = [w for w in words if _INITIAL.match(w)]
    rest = [w for w in words if not _INITIAL.match(w)]
    if initials and words[0] in initials:
        # "M. Okafor", "Д. Соколов": no given name to greet by, a surname for the formal form.
        person["initials"] = " ".join(initials)
        person["surname"] = " ".join(rest) or None
        return person if person["surname"] else None
    words = rest
    if _CYRILLIC.search(text):
        _russian(words, person)
    elif len(words) == 1:
        # "Mr Patel", "Dr. Okafor": after a form of address, a word alone is the surname.
        person["surname" if person["honorific"] or titles else "given"] = words[0]
    else:
        # The surname is the last word with the particles before it ("de Montval").
        cut = len(words) - 1
        while cut > 1 and words[cut - 1].lower() in cues["particle"]:
            cut -= 1
        person["given"] = " ".join(words[:cut])
        person["surname"] = " ".join(words[cut:])
        if cut > 1:
            # "Manuel García Ruiz": one given name, two surnames; "María José García López":
            # two of each. The address or the sign-off tells "Odd Arne Johansen" (_merge).
            half = 2 if len(words) == 4 and cut == 3 else 1
            person["given"] = " ".join(words[:half])
            person["surname"] = " ".join(words[half:])
    return person


def _russian(words: list[str], person: dict[str, Any]) -> None:
    """ "Петров Иван Сергеевич" (surname first), "Анна Сергеевна Петрова", "Галина Петровна",
    "Соколов Андрей": Russian formal address is the given name and patronymic."""
    pat = next((i for i, w in enumerate(words) if i > 0 and _PATRONYMIC.search(w)), None)
    if pat is not None:
        person["patronymic"] = words[pat]
        person["given"] = words[pat - 1]
        others = [w for i, w in enumerate(words) if i not in (pat, pat - 1)]
        person["surname"] = " ".join(others) or None
        person["gender"] = person["gender"] or ("female" if _PATRONYMIC_F.search(words[pat]) else "male")
        return
    if len(words) == 2 and _RU_SURNAME.search(words[0]) and not _RU_SURNAME.search(words[1]):
        words = [words[1], words[0]]
    person["given"] = words[0]
    person["surname"] = " ".join(words[1:]) or None
    if person["surname"] and not person["gender"] and _RU_SURNAME.search(person["surname"]):
        person["gender"] = "female" if _RU_SURNAME_F.search(person["surname"]) else "male"


def _cased(word: str) -> bool:
    return word.lower() != word.upper()


def _fold(word: str) -> str:
    """ "Tomás" and "Tomas", "Sofía" and "sofia" compare equal."""
    return "".join(c for c in unicodedata.normalize("NFD", word.lower()) if not unicodedata.combining(c))


def _script(text: str) -> str:
    return next((name for name, rx in _SCRIPTS if rx.search(text)), "")


def signed(
    text: str, cues: dict[str, Any], signoff: re.Pattern[str], block: bool = False
) -> list[tuple[dict[str, Any], bool]]:
    """The people named under the text, the likeliest first, each with whether a sign-off
    vouches for it: a line before it ("Best regards,") or a word before the name on its
    line ("Hilsen Hege"). The first name after the sign-off is the writer's; the lines
    under it are a title, a company, an address or a disclaimer. Without a known sign-off
    a signature ``block`` starts with the name, or with a word above it that is a
    sign-off of another language ("Pozdrawiam" over "Anna Nowak"); a body's last lines
    end with it, never its first (the greeting: "Dzień dobry,")."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    lines = lines[-8:] if block else lines[1:][-8:]
    for i in range(len(lines) - 1, -1, -1):
        if not signoff.match(lines[i]) or len(lines[i].split()) > 6:
            continue
        person = _name_line(lines[i], cues)
        if person:
            return [(person, True)]  # "Hilsen Hege", "Thanks, Marcus"
        for line in lines[i + 1 : i + 5]:
            person = _name_line(line, cues)
            if person:
                return [(person, True)]
        break
    else:
        found = [
            (person, block or cues["before"].sub("", line, count=1) != line)
            for line in (lines[:4] if block else lines[::-1][:3])
            if (person := _name_line(line, cues))
        ]
        if block and len(found) > 1 and " " not in lines[0] and _name_line(lines[0], cues):
            found = [found[1], found[0]]  # "Obrigado" over "João Silva"
        if found:
            # A signature's own first line ("Manolo" under "Manuel García Ruiz") is how
            # they sign; a body's last line only with a word before it.
            return found[:2]
    # "... could you sort the difference? cheers - Aoife": the sign-off ends the last line.
    last = text.strip().splitlines()[-1] if text.strip() else ""
    m = re.search(r"[.!?]\s+(\w+(?: \w+)?)[\s,–—-]+(\w+)\s*$", last)
    if m and cues["before"].fullmatch(m.group(1)):
        person = parse(m.group(2), cues)
        if person:
            return [(person, True)]
    return []


def _name_line(line: str, cues: dict[str, Any]) -> dict[str, Any] | None:
    """The name a signature line holds, without what is written before it ("i. A.", "t.")."""
    bare = cues["before"].sub("", line, count=1).strip(" ,–—-")
    bare = re.sub(r"\s+(?:@|\(|[–—-]\s).*$", "", bare)  # "Theo @ Brew&Bean", "Jess (office admin)"
    if not bare or len(bare) > 60 or re.search(r"[\d@|:;()/]", bare) or "," in bare.rstrip(",."):
        return None
    return parse(bare.rstrip(",."), cues)


def _same(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two written names are one person's: a shared surname, given name or one
    a prefix of the other ("Ana Sofía" of "Ana Sofía Reyes")."""
    words_a = {_fold(w) for part in ("given", "surname") for w in (a[part] or "").split()}
    words_b = {_fold(w) for part in ("given", "surname") for w in (b[part] or "").split()}
    return bool(words_a & words_b)


def _merge(header: dict[str, Any], sign: dict[str, Any]) -> dict[str, Any]:
    """One person from the From name and the sign-off: the signed spelling of the given
    name ("Tomás" for "Tomas", "Ana Sofía" for "Ana"), the parts either one knows."""
    out = {k: header[k] or sign[k] for k in header}
    full = f"{header['given'] or ''} {header['surname'] or ''}".split()
    signed_words = f"{sign['given'] or ''} {sign['surname'] or ''}".split()
    if (
        sign["given"]
        and not sign["surname"]
        and [_fold(w) for w in signed_words] == [_fold(w) for w in full[: len(signed_words)]]
        and len(signed_words) < len(full)
    ):
        out["given"] = sign["given"]  # "Odd Arne" signed under "Odd Arne Johansen"
        out["surname"] = " ".join(full[len(signed_words) :])
    elif sign["given"] and header["given"] and _fold(sign["given"]) == _fold(header["given"]):
        out["given"] = sign["given"]
    return out


def _org(header_name: str, text: str, cues: dict[str, Any]) -> bool:
    """A From name written again in a company line under the message ("Kahvila
    Mustikka" in "Kahvila Mustikka Oy", "Puutarhapuoti" in "Verkkokauppatiimi |
    Puutarhapuoti Oy"): the sender is the company, the person signed."""
    words = {_fold(w) for w in header_name.split() if len(w) > 2}
    tail = [ln.strip() for ln in text.strip().splitlines() if ln.strip()][-6:]
    return any(
        _fold(ln) != _fold(header_name) and cues["mailboxes"].search(ln) and words & set(re.findall(r"\w+", _fold(ln)))
        for ln in tail
    )


def _from_address(person: dict[str, Any], address: str) -> dict[str, Any]:
    """ "anasofia.reyes@": the address joins the given names the header spells apart."""
    local = _fold(re.split(r"[._+-]", address.split("@")[0])[0]) if "@" in address else ""
    words = f"{person['given'] or ''} {person['surname'] or ''}".split()
    for k in range(len(words) - 1, 1, -1):
        if local and local == _fold("".join(words[:k])):
            return {**person, "given": " ".join(words[:k]), "surname": " ".join(words[k:])}
    return person


def addressee(message: Message, cues: dict[str, Any], signoff: re.Pattern[str]) -> dict[str, Any] | None:
    """The person to greet, their name's parts and ``formal`` (they wrote formally)."""
    sender = (message.from_name or "").strip().strip('"')
    header = None if "@" in sender else parse(sender, cues)
    found = signed(message.signature, cues, signoff, block=True) if message.signature else []
    found = found or signed(message.body, cues, signoff)
    if header:
        # The signed name that is the sender's own ("Odd Arne" under "Odd Arne Johansen").
        own = header
        found.sort(key=lambda item: not _same(own, item[0]))
    sign, vouched = found[0] if found else (None, False)
    if header and sign and not _same(header, sign) and _org(sender, f"{message.body}\n{message.signature}", cues):
        header = None
    if header:
        header = _from_address(header, message.from_email or "")
    body_script = _script(message.body)
    person: dict[str, Any] | None
    if header and sign:
        if _same(header, sign):
            person = _merge(header, sign)
        elif (vouched and len(sign["given"] or sign["surname"] or "") > 2) or _script(
            sign["given"] or sign["surname"] or ""
        ) == body_script != _script(sender):
            person = sign  # a nickname, the message's own script, another person writing
        else:
            person = header
    else:
        person = header or sign or _introduced(message.body, cues)
    if person is None:
        return None
    letter = f"{message.body}\n{message.signature}"
    return {**person, "formal": bool(cues["formal"].search(letter))}


def _introduced(body: str, cues: dict[str, Any]) -> dict[str, Any] | None:
    for rx in cues["introduced"]:
        m = rx.search(body)
        if m:
            person = parse(m.group("name"), cues)
            if person:
                return person
    return None
