"""The reading's data: ``data/signals.yaml`` and ``data/scenarios.yaml`` validated
strictly (unknown keys are errors, with file and line), cached once valid, and turned
into the cue sets and settings the readings apply (``signals``, ``scenario_cues``). A
playbook's own ``detect:`` section replaces the built-in cues of its id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypedDict

from replycoach.reading.cues import CueSet, cue_regex, cue_sets, tail_pattern, weighted
from replycoach.reading.spelling import deletions

if TYPE_CHECKING:
    from replycoach.foundation.schema import Map

# The data a reading applies: read and compiled once per process (a batch reads
# thousands of messages with them). The scenario cue sets are kept per set of playbook
# overrides, under ("scenario", overrides).
_SIGNALS: dict[str, Signals] = {}
_SCENARIO_DATA: dict[str, dict[str, Any]] = {}
_CACHE: dict[tuple[str, str], ScenarioCues] = {}


class Shouting(TypedDict):
    caps_ratio: float  # share of the words (3+ letters) in capitals
    caps_words: int  # and at least this many of them
    emphasis_words: int  # or this many all-caps words of 4+ letters, whatever the share
    weight: float


class TypeRules(TypedDict):
    threshold: float
    anger_high_aggressive: float
    history_chronic_count: int


class Signals(TypedDict):
    """``data/signals.yaml`` compiled: what ``signals()`` returns."""

    anger: CueSet
    urgency: CueSet  # labels "high" and "medium"
    risks: CueSet  # labels: the risk ids
    types: CueSet  # labels: the complainant types
    complaint: CueSet
    wants: CueSet
    # Cues right before an anger hit that deny it ("not angry") or boost it ("so angry").
    anger_negators: re.Pattern[str] | None
    intensifiers: re.Pattern[str] | None
    intensifier_boost: float
    threats: dict[str, float]  # risk id -> the anger it adds
    levels: tuple[float, float, float]
    shouting: Shouting
    type_rules: TypeRules
    complaint_threshold: float
    languages: dict[str, str]  # language -> its telltale letters
    language_words: dict[str, tuple[str, ...]]  # word -> the languages listing it


class ScenarioCues(TypedDict):
    """The scenario cues of every detectable id: what ``scenario_cues()`` returns."""

    cues: CueSet  # labels: the ids
    negative: dict[str, CueSet]  # per id, its negative cues (negative weights)
    thresholds: dict[str, float]
    order: dict[str, int]  # priority on a tie: the order of scenarios.yaml
    speller: dict[str, str]  # a word with one letter dropped -> the spelling-list word
    known: frozenset[str]  # the spelling list


def _data_path(name: str) -> Path:
    from replycoach.foundation.resources import builtin_dir

    return builtin_dir("data") / name


def _specs() -> tuple[Map, Map]:
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


def load_data_file(path: Path, kind: str) -> dict[str, Any]:
    """Read and validate ``signals.yaml`` (kind "signals") or ``scenarios.yaml`` (kind
    "scenarios"); errors name the file, line and field."""
    from replycoach.foundation.errors import DataError
    from replycoach.foundation.schema import line_of, validate
    from replycoach.foundation.yamlio import load_yaml_file

    tree = load_yaml_file(path)
    spec = _specs()[0 if kind == "signals" else 1]
    data: dict[str, Any] = validate(tree, spec, file=str(path))
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


def _load_validated(kind: str, name: str) -> dict[str, Any]:
    from replycoach.foundation.resources import cached

    path = _data_path(name)
    found: dict[str, Any] = cached(kind, [path], lambda: load_data_file(path, kind))
    return found


def _walk_cues(
    node: object, path: tuple[str | int, ...] = ()
) -> Iterator[tuple[tuple[str | int, ...], str | dict[str, Any]]]:
    """Every cue of validated data, with where it is (for the error of a bad pattern)."""
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


def signals() -> Signals:
    """The compiled cue sets and settings of ``data/signals.yaml``."""
    found = _SIGNALS.get("")
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
    levels = a["levels"]
    rules = {"threshold": 0.8, "anger_high_aggressive": 0.8, "history_chronic_count": 3, **data["type_rules"]}
    compiled = _SIGNALS[""] = Signals(
        anger=sets["anger"],
        urgency=sets["urgency"],
        risks=sets["risks"],
        types=sets["types"],
        complaint=sets["complaint"],
        wants=sets["wants"],
        anger_negators=re.compile(tail_pattern(a["negators"]), re.IGNORECASE) if a["negators"] else None,
        intensifiers=re.compile(tail_pattern(a["intensifiers"]), re.IGNORECASE) if a["intensifiers"] else None,
        intensifier_boost=a["intensifier_boost"],
        threats=a["threats"],
        levels=(levels[0], levels[1], levels[2]),
        shouting=a["shouting"],
        type_rules=TypeRules(
            threshold=rules["threshold"],
            anger_high_aggressive=rules["anger_high_aggressive"],
            history_chronic_count=rules["history_chronic_count"],
        ),
        complaint_threshold=data["complaint"]["threshold"],
        languages={lang: v["letters"] for lang, v in data["languages"].items()},
        language_words=_language_words(data["languages"]),
    )
    return compiled


def _language_words(languages: dict[str, dict[str, str]]) -> dict[str, tuple[str, ...]]:
    """Which languages list each word: a text's words are looked up once, not once per
    language (25 languages)."""
    found: dict[str, list[str]] = {}
    for lang, spec in languages.items():
        for word in set(spec["words"].split()):
            found.setdefault(word, []).append(lang)
    return {word: tuple(langs) for word, langs in found.items()}


def builtin_scenarios() -> dict[str, Any]:
    """``data/scenarios.yaml``: the built-in cues per playbook id, and the spelling list."""
    found = _SCENARIO_DATA.get("")
    if found is None:
        found = _SCENARIO_DATA[""] = _load_validated("scenarios", "scenarios.yaml")
    return found


def scenario_cues(playbooks: list[dict[str, Any]]) -> ScenarioCues:
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
        found = _CACHE[("scenario", key)] = ScenarioCues(
            # Negative cues get their own pass per id, run only for ids that scored: in
            # one shared regex a cue of another id at the same position would hide them.
            cues=sets[""],
            negative={pid: sets[pid] for pid in specs},
            thresholds=thresholds,
            order={pid: i for i, pid in enumerate(specs)},
            speller=speller,
            known=frozenset(w.lower() for w in data["spelling"].split()),
        )
    return found
