"""The reading's data: ``data/signals.yaml`` and ``data/scenarios.yaml`` validated
strictly (unknown keys are errors, with file and line), cached once valid, and turned
into the cue sets and settings the readings apply (``signals``, ``scenario_cues``). A
playbook's own ``detect:`` section replaces the built-in cues of its id.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from replycoach.reading.cues import cue_regex, cue_sets, tail_pattern, weighted
from replycoach.reading.spelling import deletions

_CACHE: dict[Any, Any] = {}


def _data_path(name: str) -> Path:
    folder = _CACHE.get("data_dir")
    if folder is None:
        from replycoach.foundation.resources import builtin_dir

        folder = _CACHE["data_dir"] = builtin_dir("data")
    return folder / name  # type: ignore[no-any-return]


def _specs() -> tuple[Any, Any]:
    """Schemas of signals.yaml and scenarios.yaml (built only on a cache miss)."""
    from replycoach.foundation.schema import Field, List, Map, MapOf, Num, OneOf, Str

    cue = OneOf(
        (str, Str()),
        (dict, Map({"cue": Field(Str(), required=True), "weight": Field(Num(), default=1.0)})),
    )
    cues = List(cue)
    words = List(Str())
    lid = r"[a-z0-9][a-z0-9-]*"
    signals_spec = Map(
        {
            "anger": Field(
                Map(
                    {
                        "cues": Field(cues, required=True),
                        "negators": Field(words, default=list),
                        "intensifiers": Field(words, default=list),
                        "intensifier_boost": Field(Num(min=1), default=1.0),
                        "threats": Field(MapOf(Num(), key=lid), default=dict),
                        "levels": Field(List(Num(min=0, max=1), min_len=3), default=lambda: [0.15, 0.35, 0.6]),
                        "shouting": Field(
                            Map(
                                {
                                    "caps_ratio": Field(Num(min=0, max=1), required=True),
                                    "caps_words": Field(Num(integer=True, min=1), required=True),
                                    "weight": Field(Num(), required=True),
                                    "emphasis_words": Field(Num(integer=True, min=1), default=3),
                                }
                            ),
                            required=True,
                        ),
                    }
                ),
                required=True,
            ),
            "urgency": Field(
                Map({"high": Field(cues, default=list), "medium": Field(cues, default=list)}), required=True
            ),
            "risks": Field(MapOf(cues, key=lid), required=True),
            "types": Field(MapOf(cues, key="aggressive|rip-off|high-roller|meek|chronic"), required=True),
            "type_rules": Field(
                Map(
                    {
                        "threshold": Field(Num(min=0), default=0.8),
                        "anger_high_aggressive": Field(Num(min=0), default=0.8),
                        "history_chronic_count": Field(Num(integer=True, min=1), default=3),
                    }
                ),
                default=dict,
            ),
            "complaint": Field(
                Map({"cues": Field(cues, required=True), "threshold": Field(Num(), default=1.0)}),
                required=True,
            ),
            "wants": Field(cues, required=True),
            "languages": Field(
                MapOf(Map({"words": Field(Str(), required=True), "letters": Field(Str(), default="")}), key=lid),
                required=True,
            ),
        },
        name="signals",
    )
    scenario = Map(
        {
            "cues": Field(cues, required=True),
            "negative": Field(cues, default=list),
            "threshold": Field(Num(min=0), default=1.0),
        }
    )
    scenarios_spec = Map(
        {"scenarios": Field(MapOf(scenario, key=lid), required=True), "spelling": Field(Str(), default="")},
        name="scenarios",
    )
    return signals_spec, scenarios_spec


def load_data_file(path: Path, kind: str) -> Any:
    """Read and validate ``signals.yaml`` (kind "signals") or ``scenarios.yaml`` (kind
    "scenarios"); errors name the file, line and field."""
    from replycoach.foundation.errors import DataError
    from replycoach.foundation.schema import line_of, validate
    from replycoach.foundation.yamlio import load_yaml_file

    tree = load_yaml_file(path)
    spec = _specs()[0 if kind == "signals" else 1]
    data = validate(tree, spec, file=str(path))
    # A cue that is not a valid regex is a data error with its place, not a crash later.
    for where, item in _walk_cues(data):
        text = item["cue"] if isinstance(item, dict) else item
        try:
            re.compile(cue_regex(text))
        except re.error as exc:
            raise DataError(
                f"invalid pattern: {exc}", file=str(path), line=line_of(tree, *where), field=".".join(map(str, where))
            ) from None
    return data


def _load_validated(kind: str, name: str) -> Any:
    from replycoach.foundation.resources import cached

    path = _data_path(name)
    return cached(kind, [path], lambda: load_data_file(path, kind))


def _walk_cues(node: Any, path: tuple[Any, ...] = ()) -> Any:
    if isinstance(node, dict):
        if "cue" in node:
            yield path, node
            return
        for key, value in node.items():
            if key not in {"languages", "shouting", "levels", "type_rules"}:
                yield from _walk_cues(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, str):
                yield (*path, i), value
            else:
                yield from _walk_cues(value, (*path, i))


def signals() -> dict[str, Any]:
    """The compiled cue sets from ``data/signals.yaml``."""
    found = _CACHE.get("signals")
    if found is not None:
        return found
    data = _load_validated("signals", "signals.yaml")
    a = data["anger"]
    sets = cue_sets(
        "signals",
        [_data_path("signals.yaml")],
        {
            "anger": weighted(a["cues"], "anger"),
            "urgency": weighted(data["urgency"]["high"], "high") + weighted(data["urgency"]["medium"], "medium"),
            "risks": [c for rid, cues in data["risks"].items() for c in weighted(cues, rid)],
            "types": [c for tid, cues in data["types"].items() for c in weighted(cues, tid)],
            "complaint": weighted(data["complaint"]["cues"], "complaint"),
            "wants": weighted(data["wants"], "wants"),
        },
    )
    compiled = {
        **sets,
        "anger_negators": re.compile(tail_pattern(a["negators"]), re.IGNORECASE) if a["negators"] else None,
        "intensifiers": re.compile(tail_pattern(a["intensifiers"]), re.IGNORECASE) if a["intensifiers"] else None,
        "intensifier_boost": a["intensifier_boost"],
        "threats": a["threats"],
        "levels": tuple(a["levels"][:3]),
        "shouting": a["shouting"],
        "type_rules": {
            "threshold": 0.8,
            "anger_high_aggressive": 0.8,
            "history_chronic_count": 3,
            **data["type_rules"],
        },
        "complaint_threshold": data["complaint"]["threshold"],
        # Per language, its telltale letters; its words are looked up in "language_words".
        "languages": {lang: v["letters"] for lang, v in data["languages"].items()},
        "language_words": _language_words(data["languages"]),
    }
    _CACHE["signals"] = compiled
    return compiled


def _language_words(languages: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """Which languages list each word: a text's words are looked up once, not once per
    language (25 languages)."""
    found: dict[str, list[str]] = {}
    for lang, spec in languages.items():
        for word in set(spec["words"].split()):
            found.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in found.items()}


def builtin_scenarios() -> dict[str, Any]:
    """``data/scenarios.yaml``: the built-in cues per playbook id, and the spelling list."""
    found = _CACHE.get("scenarios")
    if found is None:
        found = _CACHE["scenarios"] = _load_validated("scenarios", "scenarios.yaml")
    return found


def scenario_cues(playbooks: list[dict[str, Any]]) -> dict[str, Any]:
    """Cue sets over every detectable id: built-in cues, replaced per id by a playbook's
    own ``detect:`` section; thresholds per id; ids in priority order (ties)."""
    overrides = {pb["id"]: pb["detect"] for pb in playbooks if pb.get("detect", {}).get("cues")}
    key = repr(sorted(overrides.items()))
    found = _CACHE.get(("scenario", key))
    if found is None:
        data = builtin_scenarios()
        specs = dict(data["scenarios"])
        specs.update(overrides)
        lists: dict[str, list[tuple[str, str, float]]] = {"": []}
        thresholds: dict[str, float] = {}
        for pid, spec in specs.items():
            lists[""] += weighted(spec.get("cues", []), pid)
            lists[pid] = [(pid, c, -abs(w)) for _, c, w in weighted(spec.get("negative", []), "")]
            thresholds[pid] = float(spec.get("threshold", 1.0))
        # Team overrides change the lists: their entries miss the cache and compile afresh.
        sets = cue_sets("scenarios", [_data_path("scenarios.yaml")], lists)
        speller: dict[str, str] = {}
        for word in data["spelling"].split():
            for variant in deletions(word.lower()):
                speller.setdefault(variant, word.lower())
        found = _CACHE[("scenario", key)] = {
            # Negative cues get their own pass per id, run only for ids that scored: in
            # one shared regex a cue of another id at the same position would hide them.
            "cues": sets[""],
            "negative": {pid: sets[pid] for pid in specs},
            "thresholds": thresholds,
            "order": {pid: i for i, pid in enumerate(specs)},
            "speller": speller,
            "known": frozenset(w.lower() for w in data["spelling"].split()),
        }
    return found
