"""Bytes to text whatever the declared (or mis-declared, or missing) charset.

Declarations in real mail are often wrong: UTF-8 labelled us-ascii or latin-1,
windows-1252 labelled iso-8859-1, windows-1251 labelled koi8-r, labels Python does
not know (``iso-8859-8-i``, ``ks_c_5601-1987``, ``x-unknown``). So strict UTF-8 is
tried first whenever the bytes are not 7-bit (legacy text is practically never
valid UTF-8 by accident), then the declared charset, then a cheap guess.
"""

from __future__ import annotations

import codecs
import re

_NON_ASCII = re.compile("[^\x00-\x7f]")
_ESC = re.compile(rb"\x1b[\$\(\)]|\+[A-Za-z0-9/]")

# Labels seen in the wild that Python does not know, or knows as a narrower charset
# than the one the sender's software really used.
_ALIASES = {
    "iso-8859-8-i": "iso8859-8",
    "iso-8859-8-e": "iso8859-8",
    "iso-8859-6-i": "iso8859-6",
    "iso-8859-6-e": "iso8859-6",
    "us-ascii": "ascii",
    "ascii": "ascii",
    "ansi_x3.4-1968": "ascii",
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "iso-8859-9": "cp1254",
    "iso-8859-11": "cp874",
    "tis-620": "cp874",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "euc-kr": "cp949",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "big5": "big5hkscs",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "windows-31j": "cp932",
    "iso-2022-jp": "iso2022_jp_ext",
    "unicode-1-1-utf-7": "utf-7",
    "utf8": "utf-8",
    "x-mac-roman": "mac-roman",
    "x-mac-cyrillic": "mac-cyrillic",
}
_CP_LABEL = re.compile(r"^(?:x-)?(?:cp|windows|win)[-_]?(\d{3,4})$")
_UNKNOWN = {"", "x-unknown", "unknown-8bit", "unknown", "x-user-defined", "default", "none", "8bit", "binary"}
_CYRILLIC_CODECS = ("cp1251", "koi8-r", "koi8-u", "iso8859-5", "cp866", "mac-cyrillic")
_STATEFUL_7BIT = ("iso2022", "utf-7", "hz")


def codec_name(charset: str | None) -> str | None:
    """The Python codec for a MIME charset label, or None when unknown or absent."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").lower()
    if label in _UNKNOWN:
        return None
    label = _ALIASES.get(label, label)
    m = _CP_LABEL.match(label)
    if m:
        label = "cp" + m.group(1)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_text(data: bytes | str, charset: str | None = None) -> str:
    """Decode ``data``: UTF-8 if valid, else the declared charset, else a guess.

    Never raises for any bytes and any label; undecodable bytes become U+FFFD.
    Idempotent for UTF-8: ``decode_text(decode_text(b).encode()) == decode_text(b)``.
    """
    if isinstance(data, str):
        return data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        try:
            return data.decode("utf-16").lstrip("\ufeff")
        except UnicodeDecodeError:
            pass
    name = codec_name(charset)
    if data.isascii():
        # 7-bit data is ASCII unless it is a stateful encoding (ISO-2022-JP, UTF-7).
        if name and name.startswith(_STATEFUL_7BIT) and _ESC.search(data):
            try:
                return data.decode(name).lstrip("\ufeff")
            except UnicodeDecodeError:
                pass
        return data.decode("ascii")
    try:
        return data.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError:
        pass
    if name and name not in ("ascii", "utf-8") and not name.startswith(_STATEFUL_7BIT):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            text = None
        if text is not None:
            if name in _CYRILLIC_CODECS:
                return _best_cyrillic(data, name, text)
            if name in ("cp1252", "iso8859-15", "cp1250", "iso8859-2") and _mostly_foreign(text):
                return _guess(data)
            return text.lstrip("\ufeff")
        if name == "cp1252":
            # Bytes cp1252 leaves undefined (0x81, 0x8d ...): Shift_JIS or Big5 mislabelled
            # latin-1 have them all the time, genuine latin-1 text as rare controls.
            cjk = _cjk(data)
            return cjk if cjk is not None else data.decode("latin-1")
    return _guess(data)


def _guess(data: bytes) -> str:
    """No usable declaration: mostly-UTF-8 with a few bad bytes, or a legacy charset."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = len(_NON_ASCII.findall(text)) - bad
    # Damaged UTF-8 still has valid multi-byte sequences; legacy text has at most a
    # few by accident among many invalid bytes.
    # Big5 or GBK text holds a few valid UTF-8 sequences by accident: a multi-byte
    # charset that decodes it whole into common characters wins over damaged UTF-8.
    cjk = _cjk(data)
    if cjk is not None and _common(cjk) > _common(text):
        return cjk
    if good * 4 >= bad:
        return text.lstrip("\ufeff")
    latin = data.decode("cp1252", errors="replace")
    if _mostly_foreign(latin):
        return _best_cyrillic(data, "cp1251", data.decode("cp1251", errors="replace"))
    return latin


# Characters in nearly every sentence of each language: the charset that yields the
# most of them is the one the text was written in (a wrong one yields rare characters).
_COMMON_CJK = frozenset(
    "的我你是不了在有人這这請请們们個个到還还已經经要沒没のはをにがでたしてすま이다는을를에가요습니"
)
_CJK_CODECS = ("big5hkscs", "gb18030", "cp932", "cp949", "euc_jp")


def _common(text: str) -> int:
    return sum(1 for ch in text if ch in _COMMON_CJK)


def _cjk(data: bytes) -> str | None:
    """A multi-byte East Asian charset the undeclared (or mis-declared) bytes decode in."""
    best, hits = None, 0
    for name in _CJK_CODECS:
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        n = _common(text)
        if n > hits:
            best, hits = text, n
    return best.lstrip("\ufeff") if best is not None and hits >= 2 else None


_LETTER = re.compile(r"[^\W\d_]")
_HIGH_LETTER = re.compile(r"[^\W\d_\x00-\x7f]")


def _mostly_foreign(text: str) -> bool:
    """True when most letters are non-ASCII: Cyrillic read as a Latin code page."""
    high = len(_HIGH_LETTER.findall(text))
    return high >= 8 and high > 0.4 * len(_LETTER.findall(text))


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CYRILLIC_LOWER = re.compile("[\u0430-\u045f]")


def _cyrillic_lower_ratio(text: str) -> tuple[int, float]:
    """(number of Cyrillic letters, share of them in lower case)."""
    count = len(_CYRILLIC.findall(text))
    if not count:
        return 0, 0.0
    return count, len(_CYRILLIC_LOWER.findall(text)) / count


def _best_cyrillic(data: bytes, name: str, text: str) -> str:
    """windows-1251 and KOI8-R are swapped often; real text is mostly lower case."""
    count, ratio = _cyrillic_lower_ratio(text)
    if count < 8 or ratio >= 0.5:
        return text
    best, best_ratio = text, ratio
    for other in ("cp1251", "koi8-r", "iso8859-5"):
        if other == name:
            continue
        candidate = data.decode(other, errors="replace")
        n, r = _cyrillic_lower_ratio(candidate)
        if n >= 8 and r > best_ratio:
            best, best_ratio = candidate, r
    return best
