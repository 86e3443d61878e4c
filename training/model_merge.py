"""Put freshly trained tasks into a shipped model file (``train_reading.py --only TASK``).

A task retrained alone (its labels unchanged) replaces that task's weights, calibration,
combine rules and report; every other task keeps its weights exactly, as a refit of all
of them would not (the scenario model also reads the shared CSV files, and its own
readings would move with it).
"""

from __future__ import annotations

from typing import Any

RULES = {"scenario": ("scenario",), "mode": ("complaint", "mode"), "anger": ("anger",), "urgency": ("urgency",)}


def merge(shipped: dict[str, Any], fresh: dict[str, Any]) -> dict[str, Any]:
    """``shipped`` with the tasks of ``fresh`` (same labels) and their combine rules put in:
    the other tasks keep their weights exactly (a fit is not repeatable to the weight)."""

    def slots(model: dict[str, Any]) -> dict[str, tuple[int, int]]:
        out, first = {}, 0
        for name, task in model["tasks"].items():
            out[name] = (first, len(task["bias"]))
            first += len(task["bias"])
        return out

    old, new = slots(shipped), slots(fresh)
    for name in fresh["tasks"]:
        if fresh["tasks"][name]["labels"] != shipped["tasks"][name]["labels"]:
            raise ValueError(f"task {name}: the labels differ from the shipped file's")
    out = {**shipped, "tasks": {n: fresh["tasks"].get(n, t) for n, t in shipped["tasks"].items()}}
    for block in ("words", "chars"):
        entries: dict[str, list[int]] = {}
        for feature, flat in shipped[block].items():
            for slot, weight in zip(flat[0::2], flat[1::2], strict=True):
                if not any(f <= slot < f + n for name, (f, n) in old.items() if name in fresh["tasks"]):
                    entries.setdefault(feature, []).extend((slot, weight))
        for feature, flat in fresh[block].items():
            for slot, weight in zip(flat[0::2], flat[1::2], strict=True):
                name = next(n for n, (f, size) in new.items() if f <= slot < f + size)
                entries.setdefault(feature, []).extend((old[name][0] + slot - new[name][0], weight))
        # Slots in order within a feature, as ``export`` writes them.
        out[block] = {
            f: [x for pair in sorted(zip(v[0::2], v[1::2], strict=True)) for x in pair] for f, v in entries.items()
        }
    out["combine"] = {**shipped["combine"], **{r: fresh["combine"][r] for n in fresh["tasks"] for r in RULES[n]}}
    out["trained_on"] = {**shipped["trained_on"], **fresh["trained_on"]}
    return out
