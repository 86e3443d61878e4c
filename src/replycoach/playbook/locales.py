"""Replies in the customer's language: locale folders that overlay the playbooks' texts.

A locale is a folder ``locales/<code>/`` (built in, or under a team's playbook folder):

- ``locale.yaml``: the language's ``name``, its deadline ``date_format`` (a CLDR/Babel
  pattern: Finnish ``EEEE d. MMMM 'klo' H`` gives "maanantaina 23. marraskuuta klo 15"),
  the default ``register`` (formal or informal address) and ``rtl`` for right-to-left
  scripts;
- ``playbooks/<playbook id>.yaml``: the texts of that playbook in this language, by key
  (``steps.<step>.<option id>``, ``needs.<need id>``, ``snippets.<name>``);
  ``playbooks/_types.yaml``: the complainant types' ``snippets``;
- ``templates/*.j2``: the reply skeletons in this language (same names as ``templates/``).

Every key must name a text the English playbook has (unknown keys are errors with file
and line); a text a locale does not give stays English, and ``playbooks validate``
lists it as missing. Dates and money are written by Babel from CLDR data, imported
only when a reply is drafted in another language than English.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from replycoach.foundation.errors import PlaybookError

ENGLISH = "en"
CURRENCY_CODES = {"$": "USD", "€": "EUR", "£": "GBP", "kr": "NOK", "₪": "ILS", "₽": "RUB"}


def locale_dirs(playbook_dirs: list[Path]) -> list[Path]:
    """Each playbook folder's ``locales/`` (team ones first), then the built-in one."""
    from replycoach.foundation.resources import builtin_dir

    found = [d / "locales" for d in playbook_dirs[:-1] if (d / "locales").is_dir()]
    return [*found, builtin_dir("locales")]


def available(playbook_dirs: list[Path]) -> list[str]:
    """The language codes with a ``locale.yaml`` in any locale folder, English first."""
    codes = {ENGLISH}
    for root in locale_dirs(playbook_dirs):
        if root.is_dir():
            # A locale without its reply templates would mix English texts with its dates.
            codes.update(
                p.parent.name for p in root.glob("*/locale.yaml") if (p.parent / "templates" / "base.j2").is_file()
            )
    return [ENGLISH, *sorted(codes - {ENGLISH})]


def _schemas() -> tuple[Any, Any]:
    from replycoach.foundation.schema import Bool, Enum, Field, List, Map, MapOf, Str

    meta = Map(
        {
            "name": Field(Str(), required=True),
            "date_format": Field(Str(), required=True),
            "register": Field(Enum("formal", "informal"), default="formal"),
            "rtl": Field(Bool(), default=False),
        }
    )
    overlay = Map(
        {
            "steps": MapOf(MapOf(Str(), key=r"[a-z0-9][a-z0-9-]*"), key="hear|empathize|apologize|resolve"),
            "needs": MapOf(Str(), key=r"[a-z][a-z0-9_]*"),
            "snippets": MapOf(Str(), key=r"[a-z][a-z0-9_]*"),
            # A frame's texts, and phrases of this language that choose it (added to the English).
            "problems": MapOf(
                Map({"text": Str(), "feel": Str(), "said": List(Str(), min_len=1)}), key=r"[a-z0-9][a-z0-9-]*"
            ),
            # A question's English default or placeholder, in this language ("the service").
            "questions": MapOf(Map({"default": Field(Str()), "placeholder": Field(Str())}), key=r"[a-z][a-z0-9_]*"),
            "types": MapOf(Map({"snippets": MapOf(Str(), key=r"[a-z][a-z0-9_]*")}), key=r"[a-z-]+"),
        }
    )
    return meta, overlay


def _load(path: Path, schema: Any) -> Any:
    from replycoach.foundation.schema import validate
    from replycoach.foundation.yamlio import load_yaml_file

    return validate(load_yaml_file(path), schema, file=str(path), error_class=PlaybookError)


def _files(lang: str, playbook_dirs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for root in locale_dirs(playbook_dirs):
        folder = root / lang
        if (folder / "locale.yaml").is_file():
            files.append(folder / "locale.yaml")
        if (folder / "playbooks").is_dir():
            files += sorted((folder / "playbooks").glob("*.yaml"))
    return files


def load_locale(lang: str, playbook_dirs: list[Path], playbooks: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The locale ``lang`` validated against the playbooks it overlays (cached)."""
    from replycoach.foundation.resources import cached

    files = _files(lang, playbook_dirs)
    return cached(f"locale-{lang}", files, lambda: build_locale(files, playbooks))  # type: ignore[no-any-return]


def build_locale(files: list[Path], playbooks: dict[str, dict[str, Any]]) -> dict[str, Any]:
    meta_schema, overlay_schema = _schemas()
    meta: dict[str, Any] = {}
    texts: dict[str, dict[str, Any]] = {}
    types: dict[str, Any] = {}
    # Built-in files come last: read them first so a team's file overrides.
    for path in reversed(files):
        if path.name == "locale.yaml":
            meta = {**meta, **_load(path, meta_schema)}
            continue
        data = _load(path, overlay_schema)
        if path.stem == "_types":
            for tid, entry in data.get("types", {}).items():
                types.setdefault(tid, {}).update(entry.get("snippets", {}))
            continue
        pid = path.stem
        if pid not in playbooks:
            raise PlaybookError(f"no playbook {pid!r} to translate", file=str(path))
        _check_keys(playbooks[pid], data, path)
        merged = texts.setdefault(pid, {"steps": {}, "needs": {}, "snippets": {}, "questions": {}, "problems": {}})
        for step, options in data.get("steps", {}).items():
            merged["steps"].setdefault(step, {}).update(options)
        for fid, entry in data.get("problems", {}).items():
            merged["problems"].setdefault(fid, {}).update(entry)
        merged["needs"].update(data.get("needs", {}))
        merged["snippets"].update(data.get("snippets", {}))
        for qid, entry in data.get("questions", {}).items():
            merged["questions"].setdefault(qid, {}).update(entry)
        for tid, entry in data.get("types", {}).items():
            merged.setdefault("types", {}).setdefault(tid, {}).update(entry.get("snippets", {}))
    if not meta:
        raise PlaybookError("a locale needs a locale.yaml", file=str(files[0].parent) if files else "locales")
    return {"meta": meta, "playbooks": texts, "types": types}


def _check_keys(pb: dict[str, Any], data: dict[str, Any], path: Path) -> None:
    from replycoach.foundation.schema import line_of

    for step, options in data.get("steps", {}).items():
        known = {o["id"] for o in pb["steps"][step]["options"]}
        for oid in options:
            if oid not in known:
                raise PlaybookError(
                    f"unknown option {oid!r} (options: {', '.join(sorted(known))})",
                    file=str(path),
                    line=line_of(data, "steps"),
                    field=f"steps.{step}.{oid}",
                )
    for key, known in (
        ("needs", {n["id"] for n in pb.get("needs", [])}),
        ("snippets", set(pb.get("snippets", {}))),
        ("problems", {f["id"] for f in pb.get("problems", [])}),
        ("questions", {q["id"] for q in pb.get("questions", [])}),
    ):
        for name in data.get(key, {}):
            if name not in known:
                raise PlaybookError(
                    f"unknown {key[:-1]} {name!r} (known: {', '.join(sorted(known)) or 'none'})",
                    file=str(path),
                    field=f"{key}.{name}",
                )
    for fid, entry in data.get("problems", {}).items():
        english = next(f for f in pb["problems"] if f["id"] == fid)
        for part in entry:
            if part != "said" and part not in english:
                raise PlaybookError(
                    f"problem {fid!r} has no English {part} to translate",
                    file=str(path),
                    field=f"problems.{fid}.{part}",
                )
    for qid, entry in data.get("questions", {}).items():
        question = next(q for q in pb["questions"] if q["id"] == qid)
        for part in entry:
            if part not in question:
                raise PlaybookError(
                    f"question {qid!r} has no English {part} to translate",
                    file=str(path),
                    field=f"questions.{qid}.{part}",
                )


def missing(pb: dict[str, Any], locale: dict[str, Any]) -> list[str]:
    """The keys of ``pb``'s texts this locale leaves in English."""
    texts = locale["playbooks"].get(pb["id"], {"steps": {}, "needs": {}, "snippets": {}, "questions": {}})
    out = [
        f"problems.{f['id']}.{part}"
        for f in pb.get("problems", [])
        for part in ("text", "feel")
        if part in f and part not in texts.get("problems", {}).get(f["id"], {})
    ] + [
        f"steps.{step}.{o['id']}"
        for step in ("hear", "empathize", "apologize", "resolve")
        for o in pb["steps"][step]["options"]
        if o["id"] not in texts["steps"].get(step, {})
    ]
    out += [f"needs.{n['id']}" for n in pb.get("needs", []) if n["id"] not in texts["needs"]]
    out += [
        f"questions.{q['id']}.{part}"
        for q in pb.get("questions", [])
        for part in ("default", "placeholder")
        # "$" has no words to translate (a team picks its currency with --set currency=...).
        if isinstance(q.get(part), str)
        and any(c.isalpha() for c in q[part])
        and part not in texts.get("questions", {}).get(q["id"], {})
    ]
    return out


def translated(pb: dict[str, Any], locale: dict[str, Any]) -> dict[str, Any]:
    """``pb`` with this locale's texts in place of the English ones."""
    texts = locale["playbooks"].get(pb["id"])
    if not texts:
        return {**pb, "problems": []} if pb.get("problems") else pb
    out = copy.deepcopy(pb)
    for step, options in texts["steps"].items():
        for option in out["steps"][step]["options"]:
            if option["id"] in options:
                option["text"] = options[option["id"]]
    # A frame this locale has not translated is dropped, not kept in English: an English
    # clause inside a German letter is worse than the marker asking the agent to write it.
    frames = []
    for frame in out.get("problems", []):
        own = texts.get("problems", {}).get(frame["id"], {})
        if "text" in own:
            said = [*frame.get("said", []), *own.get("said", [])]
            frames.append(
                {**{k: v for k, v in frame.items() if k != "feel"}, **own, **({"said": said} if said else {})}
            )
    out["problems"] = frames
    for need in out.get("needs", []):
        if need["id"] in texts["needs"]:
            need["ask"] = texts["needs"][need["id"]]
    for question in out.get("questions", []):
        question.update(texts.get("questions", {}).get(question["id"], {}))
    out["snippets"] = {**out.get("snippets", {}), **texts["snippets"]}
    for tid, snippets in texts.get("types", {}).items():
        entry = out.setdefault("types", {}).setdefault(tid, {})
        entry["snippets"] = {**entry.get("snippets", {}), **snippets}
    return out


def translated_types(types: dict[str, Any], locale: dict[str, Any]) -> dict[str, Any]:
    if not locale["types"]:
        return types
    out = copy.deepcopy(types)
    for tid, snippets in locale["types"].items():
        if tid in out:
            out[tid]["snippets"] = {**out[tid].get("snippets", {}), **snippets}
    return out


def format_deadline(moment: Any, lang: str, pattern: str) -> str:
    from babel.dates import format_datetime

    return str(format_datetime(moment, pattern, locale=lang))


def money_filter(lang: str) -> Any:
    """The templates' ``money`` filter as ``lang`` writes amounts ("1.299,00 €" in German)."""

    def money(value: object, currency: str = "$") -> str:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return str(value)
        from babel.numbers import format_currency

        code = CURRENCY_CODES.get(currency, currency if len(currency) == 3 and currency.isalpha() else "EUR")
        return str(format_currency(value, code, locale=lang))

    return money


def untranslated(registry: Any) -> list[tuple[str, list[str]]]:
    """What each available locale leaves in English: (the file that would hold it, keys).

    A missing text is not an error (the English one is used, so a team can translate in
    steps); ``playbooks validate`` lists them so nothing stays English unnoticed."""
    from replycoach.foundation.resources import builtin_dir

    out: list[tuple[str, list[str]]] = []
    english = sorted(p.name for p in builtin_dir("templates").glob("*.j2"))
    for lang in available(registry.dirs)[1:]:
        locale = load_locale(lang, registry.dirs, registry.playbooks)
        home = next(d / lang for d in locale_dirs(registry.dirs) if (d / lang / "locale.yaml").is_file())
        have = {p.name for d in locale_dirs(registry.dirs) for p in (d / lang / "templates").glob("*.j2")}
        if [name for name in english if name not in have]:
            out.append((str(home / "templates"), [name for name in english if name not in have]))
        for pid in sorted(registry.playbooks):
            keys = missing(registry.playbooks[pid], locale)
            if keys:
                out.append((str(home / "playbooks" / f"{pid}.yaml"), keys))
        types = [
            f"types.{tid}.snippets.{name}"
            for tid, entry in registry.types.items()
            for name in entry.get("snippets", {})
            if name not in locale["types"].get(tid, {})
        ]
        if types:
            out.append((str(home / "playbooks" / "_types.yaml"), types))
    return out
