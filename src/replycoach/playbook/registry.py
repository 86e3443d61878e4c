"""Playbooks: the YAML files that say, per scenario, what to ask and what to offer.

A registry reads every ``*.yaml`` in the playbook folders (team folders first, then
the built-in one; the same id in an earlier folder overrides a later one), validates
each strictly (see playbook/schema.py and ``docs`` in README), resolves ``extends``,
and caches the result. ``_types.yaml`` in a folder describes the complainant types.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from replycoach.foundation.errors import PlaybookError
from replycoach.playbook.schema import (  # re-exported: other modules import them from here
    ALL_STEPS,
    ENTITY_KINDS,
    GRANTABLE,
    ID,
    LAYOUTS,
    QID,
    QUESTION_TYPES,
    RESERVED,
    STEPS,
    TYPES,
    schema,
)

__all__ = [
    "ALL_STEPS",
    "ENTITY_KINDS",
    "GRANTABLE",
    "ID",
    "LAYOUTS",
    "QID",
    "QUESTION_TYPES",
    "RESERVED",
    "STEPS",
    "TYPES",
    "schema",
]


def __getattr__(name: str) -> Any:
    # ``from replycoach.playbook.registry import PLAYBOOK`` still works (PEP 562).
    if name in ("PLAYBOOK", "TYPES_FILE"):
        return schema(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def playbook_dirs(extra: list[str] | tuple[str, ...] = ()) -> list[Path]:
    """Team folders (``--playbooks``, then ``REPLYCOACH_PLAYBOOKS``) before the built-ins."""
    from replycoach.foundation.resources import builtin_dir

    dirs = [Path(d) for d in extra]
    env = os.environ.get("REPLYCOACH_PLAYBOOKS", "")
    dirs += [Path(d) for d in env.split(os.pathsep) if d]
    for d in dirs:
        if not d.is_dir():
            raise PlaybookError("playbook folder does not exist", file=str(d))
    return [*dirs, builtin_dir("playbooks")]


def template_dirs(dirs: list[Path]) -> list[Path]:
    """Each playbook folder's ``templates/`` (team ones first), then the built-in templates."""
    from replycoach.foundation.resources import builtin_dir

    found = [d / "templates" for d in dirs[:-1] if (d / "templates").is_dir()]
    return [*found, builtin_dir("templates")]


class Registry:
    """All playbooks visible from a list of folders, validated and resolved."""

    def __init__(self, dirs: list[Path], data: dict[str, Any]) -> None:
        self.dirs = dirs
        self.playbooks: dict[str, dict[str, Any]] = data["playbooks"]
        self.types: dict[str, dict[str, Any]] = data["types"]
        self.files: dict[str, str] = data["files"]

    def template_env(self) -> Any:
        """The sandboxed Jinja environment over these playbooks' template folders."""
        from replycoach.foundation.templating import environment

        return environment(template_dirs(self.dirs))

    def ids(self) -> list[str]:
        return sorted(self.playbooks)

    def detected(self) -> list[dict[str, Any]]:
        return [pb for pb in self.playbooks.values() if pb["detected"]]

    def get(self, playbook_id: str) -> dict[str, Any]:
        try:
            return self.playbooks[playbook_id]
        except KeyError:
            known = ", ".join(self.ids())
            raise PlaybookError(f"unknown playbook {playbook_id!r} (known: {known})", field="--playbook") from None


def _yaml_files(dirs: list[Path]) -> list[Path]:
    files: list[Path] = []
    for d in dirs:
        try:
            names = sorted(os.listdir(d))
        except OSError as exc:
            raise PlaybookError(f"cannot read folder: {exc.strerror}", file=str(d)) from None
        files += [d / n for n in names if n.endswith((".yaml", ".yml"))]
    return files


def load_registry(extra_dirs: list[str] | tuple[str, ...] = ()) -> Registry:
    from replycoach.foundation.resources import cached

    dirs = playbook_dirs(extra_dirs)
    files = _yaml_files(dirs)
    data = cached("playbooks", files, lambda: build_registry_data(dirs, files))
    return Registry(dirs, data)


def build_registry_data(dirs: list[Path], files: list[Path]) -> dict[str, Any]:
    """Validate every file and resolve ``extends``; plain data for the cache."""
    raw: dict[str, dict[str, Any]] = {}
    origin: dict[str, str] = {}
    types: dict[str, dict[str, Any]] = {}
    # Later folders are the built-ins: read them first so earlier ones override.
    for path in reversed(files):
        if path.name.startswith("_"):
            if path.stem == "_types":
                for key, value in load_types_file(path).items():
                    types[key] = value
            continue
        pb = load_playbook_file(path)
        raw[pb["id"]] = pb
        origin[pb["id"]] = str(path)
    resolved = {pid: _resolve(pid, raw, origin, ()) for pid in raw}
    for pid, pb in resolved.items():
        check_references(pb, origin[pid])
    return {"playbooks": resolved, "types": types, "files": origin}


def load_types_file(path: Path) -> dict[str, Any]:
    from replycoach.foundation.schema import validate
    from replycoach.foundation.yamlio import load_yaml_file

    tree = load_yaml_file(path)
    types: dict[str, Any] = validate(tree, schema("TYPES_FILE"), file=str(path), error_class=PlaybookError)
    return types


def load_playbook_file(path: Path) -> dict[str, Any]:
    """Read and validate one playbook file (no ``extends`` resolution)."""
    from replycoach.foundation.schema import line_of, validate
    from replycoach.foundation.yamlio import load_yaml_file

    tree = load_yaml_file(path)
    pb: dict[str, Any] = validate(tree, schema("PLAYBOOK"), file=str(path), error_class=PlaybookError)
    if pb["id"] != path.stem:
        raise PlaybookError(
            f"id {pb['id']!r} does not match the file name {path.name!r}",
            file=str(path),
            line=line_of(tree, "id"),
            field="id",
        )
    _check_templates(pb, tree, str(path))
    for q in pb.get("questions", []):
        if q["id"] in RESERVED:
            raise PlaybookError(
                f"question id {q['id']!r} is reserved for the templates",
                file=str(path),
                line=line_of(tree, "questions"),
                field="questions",
            )
        if q["type"] == "choice" and "choices" not in q:
            raise PlaybookError(
                "a choice question needs choices",
                file=str(path),
                line=line_of(tree, "questions"),
                field=f"questions.{q['id']}",
            )
        pattern = q.get("validate", {}).get("pattern")
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise PlaybookError(
                    f"invalid pattern: {exc}",
                    file=str(path),
                    line=line_of(tree, "questions"),
                    field=f"questions.{q['id']}.validate",
                ) from None
    return pb


def _check_templates(pb: dict[str, Any], tree: Any, file: str) -> None:
    """Every option text must be valid Jinja: a syntax error is found at load, not mid-walk."""
    from replycoach.foundation.schema import line_of
    from replycoach.foundation.templating import syntax_error

    for step, spec in pb.get("steps", {}).items():
        for i, option in enumerate(spec.get("options", [])):
            problem = syntax_error(option["text"])
            if problem:
                raise PlaybookError(
                    f"template error: {problem}",
                    file=file,
                    line=line_of(tree, "steps", step, "options", i, "text"),
                    field=f"steps.{step}.options[{i}].text",
                )
    for i, q in enumerate(pb.get("questions", [])):
        if "when" in q:
            problem = syntax_error("{{ " + q["when"] + " }}")
            if problem:
                raise PlaybookError(
                    f"invalid condition: {problem}",
                    file=file,
                    line=line_of(tree, "questions", i, "when"),
                    field=f"questions[{i}].when",
                )


def _resolve(pid: str, raw: dict[str, dict[str, Any]], origin: dict[str, str], seen: tuple[str, ...]) -> dict[str, Any]:
    pb = raw[pid]
    parent_id = pb.get("extends")
    if not parent_id:
        return pb
    if parent_id in seen or parent_id == pid:
        raise PlaybookError(
            f"extends loops: {' -> '.join((*seen, pid, parent_id))}",
            file=origin[pid],
            field="extends",
        )
    if parent_id not in raw:
        raise PlaybookError(f"extends unknown playbook {parent_id!r}", file=origin[pid], field="extends")
    parent = _resolve(parent_id, raw, origin, (*seen, pid))
    merged = dict(parent)
    merged.update({k: v for k, v in pb.items() if k not in {"steps", "types", "snippets"}})
    merged["steps"] = {**parent.get("steps", {}), **pb.get("steps", {})}
    merged["types"] = {**parent.get("types", {}), **pb.get("types", {})}
    merged["snippets"] = {**parent.get("snippets", {}), **pb.get("snippets", {})}
    if "detect" not in pb:
        merged.pop("detect", None)  # detection cues are never inherited
    merged.pop("extends", None)
    return merged


def check_references(pb: dict[str, Any], file: str) -> None:
    """Cross-field checks: every step present, every ``asks`` names a question."""
    questions = {q["id"] for q in pb.get("questions", [])}
    steps = pb.get("steps", {})
    for step in ALL_STEPS:
        if step not in steps:
            raise PlaybookError(f"missing step {step!r}", file=file, field=f"steps.{step}")
    for step in STEPS:
        ids = [o["id"] for o in steps[step]["options"]]
        if len(set(ids)) != len(ids):
            raise PlaybookError("option ids repeat", file=file, field=f"steps.{step}.options")
        for option in steps[step]["options"]:
            for qid in option.get("asks", []):
                if qid not in questions:
                    raise PlaybookError(
                        f"asks for unknown question {qid!r}",
                        file=file,
                        field=f"steps.{step}.options.{option['id']}.asks",
                    )
            comp = option.get("compensation")
            if comp and comp["question"] not in questions:
                raise PlaybookError(
                    f"compensation names unknown question {comp['question']!r}",
                    file=file,
                    field=f"steps.{step}.options.{option['id']}.compensation",
                )
    frame_ids = [f["id"] for f in pb.get("problems", [])]
    if len(set(frame_ids)) != len(frame_ids):
        raise PlaybookError("problem ids repeat", file=file, field="problems")
    for tid, override in pb.get("types", {}).items():
        for step, option_id in override.get("prefer", {}).items():
            if option_id not in {o["id"] for o in steps[step]["options"]}:
                raise PlaybookError(
                    f"prefers unknown option {option_id!r}",
                    file=file,
                    field=f"types.{tid}.prefer.{step}",
                )


def validate_paths(paths: list[str]) -> list[tuple[str, str | None]]:
    """Validate playbook files or folders; (file, error or None) for each file."""
    from replycoach.foundation.errors import DataError

    results: list[tuple[str, str | None]] = []
    files: list[Path] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            # Other `_` files (e.g. the `playbooks new` starter) are not playbooks.
            files += [f for f in _yaml_files([path]) if f.name == "_types.yaml" or not f.name.startswith("_")]
            if (path / "templates").is_dir():
                files += sorted((path / "templates").glob("*.j2"))
        elif path.exists():
            files.append(path)
        else:
            results.append((p, "no such file or folder"))
    for f in files:
        try:
            if f.suffix == ".j2":
                _check_template_file(f)
            elif f.name == "_types.yaml":
                load_types_file(f)
            elif not f.name.startswith("_"):
                pb = load_playbook_file(f)
                if not pb.get("extends"):
                    check_references(pb, str(f))
        except DataError as exc:  # YAML syntax errors too: report every bad file, not the first
            results.append((str(f), str(exc)))
        else:
            results.append((str(f), None))
    return results


def _check_template_file(path: Path) -> None:
    """A team template's Jinja syntax, so a typo shows in ``validate``, not in a draft."""
    from jinja2 import TemplateSyntaxError

    from replycoach.foundation.errors import TemplateError
    from replycoach.foundation.templating import environment

    try:
        environment().parse(path.read_text(encoding="utf-8"))
    except TemplateSyntaxError as exc:
        raise TemplateError(f"template error: {exc.message}", file=str(path), line=exc.lineno) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise TemplateError(f"cannot read: {exc}", file=str(path)) from None


def new_playbook(playbook_id: str, folder: str | Path = ".", *, force: bool = False) -> Path:
    """Write a commented starter playbook ``folder/ID.yaml`` and prove that it validates."""
    from replycoach.foundation.errors import UsageError
    from replycoach.foundation.resources import builtin_dir

    if not re.fullmatch(ID, playbook_id):
        raise UsageError(
            f"{playbook_id!r} is not a playbook id (lowercase letters, digits and '-', e.g. 'lost-parcel')",
            field="ID",
        )
    target = Path(folder) / f"{playbook_id}.yaml"
    if not Path(folder).is_dir():
        raise UsageError("folder does not exist", file=str(folder), field="--dir")
    if target.exists() and not force:
        raise UsageError("file exists (use --force to overwrite it)", file=str(target))
    starter = (builtin_dir("playbooks") / "_starter.yaml").read_text(encoding="utf-8")
    title = playbook_id.replace("-", " ").capitalize()
    text = starter.replace("__ID__", playbook_id).replace("__TITLE__", title).replace("__FILE__", str(target))
    try:
        target.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write: {exc.strerror}", file=str(target)) from None
    # The starter must be a working example: fail here, not in the agent's first draft.
    check_references(load_playbook_file(target), str(target))
    return target


def describe(pb: dict[str, Any], file: str) -> str:
    """``playbooks show``: everything an agent or a team lead needs to pick options."""
    how = "detected from the message" if pb["detected"] else "chosen by the agent (--playbook)"
    lines = [f"{pb['id']}: {pb['title']}", f"  {how}", f"  file: {file}"]
    if pb.get("summary"):
        lines.append(f"  {pb['summary']}")
    lines.append(f"  template: {pb.get('template', 'base.j2')}")
    if pb.get("deadline"):
        lines.append(f"  deadline: {_describe_deadline(pb['deadline'])}")
    if pb.get("needs"):
        lines.append("needs:")
        for need in pb["needs"]:
            found = f" (found in the message as {need['entity']})" if need.get("entity") else ""
            lines.append(f"  {need['id']}: {need['label']}{found}")
    if pb.get("questions"):
        lines.append("questions (--set ID=VALUE):")
        for q in pb["questions"]:
            extra = f"; default {q['default']!r}" if "default" in q else "" if q.get("required", True) else "; optional"
            lines.append(f"  {q['id']} ({q['type']}{extra}): {q['prompt']}")
    for step in STEPS:
        spec = pb["steps"][step]
        lines.append(f"{step} (--set {step}=ID):" + (f" {spec['tip']}" if spec.get("tip") else ""))
        for o in spec["options"]:
            marks = []
            if o.get("default"):
                marks.append("default")
            if o.get("types"):
                marks.append("for " + ", ".join(o["types"]))
            if o.get("deadline"):
                marks.append("by " + _describe_deadline(o["deadline"]))
            if o.get("compensation"):
                marks.append(f"cap {o['compensation']['cap']:g}")
            lines.append(f"  {o['id']}: {o['label']}" + (f" [{'; '.join(marks)}]" if marks else ""))
    diagnose = pb["steps"]["diagnose"]
    lines.append("diagnose (--set cause=ID):" + (f" {diagnose['tip']}" if diagnose.get("tip") else ""))
    for cause in diagnose["causes"]:
        lines.append(
            f"  {cause['id']}: {cause['label']}" + (f" -> {cause['prevention']}" if cause.get("prevention") else "")
        )
    if pb.get("types"):
        lines.append("types:")
        for tid, override in pb["types"].items():
            parts = [f"{s}={o}" for s, o in override.get("prefer", {}).items()]
            if override.get("layout"):
                parts.append(f"layout {override['layout']}")
            if override.get("snippets"):
                parts.append("own " + ", ".join(override["snippets"]))
            head = f"  {tid}: " + "; ".join(parts) if parts else f"  {tid}:"
            lines.append(head + (f" ({override['tip']})" if override.get("tip") else ""))
    return "\n".join(lines) + "\n"


def _describe_deadline(spec: dict[str, Any]) -> str:
    if "text" in spec:
        return str(spec["text"])
    if "clock_hours" in spec:
        return f"{spec['clock_hours']:g} hours (clock)"
    if "business_days" in spec:
        days = spec["business_days"]
        out = f"{days} business day{'s' if days != 1 else ''}"
        return out + (f" at {spec['at']}" if "at" in spec else "")
    return f"{spec.get('business_hours', 8):g} business hours"
