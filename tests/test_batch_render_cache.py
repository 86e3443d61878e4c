"""Compiled templates come back from the bytecode cache with the sandbox and strict
undefined semantics intact, and the same output as a fresh compile."""

from __future__ import annotations

import pytest

from replycoach.foundation import templating as render
from replycoach.foundation.errors import TemplateError


@pytest.fixture(autouse=True)
def _forget_templates():
    yield
    render._ENVS.clear()
    render._STRING_TEMPLATES.clear()


BASE_CONTEXT = {
    "customer": {"first_name": "Ana"},
    "steps": {"hear": "H.", "empathize": "E.", "apologize": "A.", "resolve": "R."},
    "missing": [],
    "other_issues": "",
    "type": {"id": "meek", "label": "Meek", "layout": "heard", "snippets": {}, "pushback": False},
    "agent": {"name": "Sam"},
    "company": "",
    "snippets": {},
    "deadline": {"text": "Monday, 23 November, 5 pm"},
    "listen": {
        "mode": "complaint",
        "problem": "x",
        "risks": [],
        "repeat": None,
        "customer_deadline": None,
        "open_asks": [],
        "questions": [],
        "wants_explanation": False,
        "wants_prevention": False,
        "wants_manager": False,
        "short": False,
        "channel": "email",
        "by_email": True,
    },
}


def fresh_env():
    # Forget every in-process template so the next render loads compiled code from disk.
    render._ENVS.clear()
    render._STRING_TEMPLATES.clear()
    return render.environment()


def test_option_text_code_is_cached_on_disk_and_renders_the_same(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path))
    source = "Hi {{ name|lcfirst }}, {{ items|join_and }} by {{ amount|money }}."
    context = {"name": "Ana", "items": ["a", "b", "c"], "amount": 79.9}
    cold = render.render_string(fresh_env(), source, context, where="t")
    files = list(tmp_path.glob("jinja-*/__jinja2_*.cache"))
    assert len(files) == 1
    warm = render.render_string(fresh_env(), source, context, where="t")
    assert cold == warm == "Hi ana, a, b and c by $79.90."


@pytest.mark.parametrize(
    ("source", "problem"),
    [
        ("{{ name.__class__.__mro__ }}", "template error: access to attribute '__class__' of 'str' object is unsafe."),
        ("{{ missing }}", "template error: 'missing' is undefined"),
        (
            "{{ name.format.__globals__ }}",
            "template error: access to attribute '__globals__' of 'function' object is unsafe.",
        ),
    ],
)
def test_sandbox_and_strict_undefined_hold_for_cached_code(tmp_path, monkeypatch, source, problem) -> None:
    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path))
    for _ in ("cold", "warm"):
        with pytest.raises(TemplateError) as caught:
            render.render_string(fresh_env(), source, {"name": "Ana"}, where="steps.hear.x")
        assert str(caught.value) == f"steps.hear.x: {problem}"
    assert list(tmp_path.glob("jinja-*/__jinja2_*.cache"))


def test_file_templates_use_the_cache_too(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path))
    context = BASE_CONTEXT
    cold = render.render_template(fresh_env(), "base.j2", context)
    warm = render.render_template(fresh_env(), "base.j2", context)
    assert cold == warm and cold.startswith("Hi Ana,")
    # base.j2 and the listen.j2 and greeting.j2 macros it imports.
    assert len(list(tmp_path.glob("jinja-*/__jinja2_*.cache"))) == 3


def test_no_cache_folder_when_caching_is_off(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("REPLYCOACH_CACHE", "off")
    assert fresh_env().bytecode_cache is None
    assert render.render_string(fresh_env(), "{{ 1 + 1 }}", {}, where="t") == "2"


def test_unwritable_cache_only_costs_speed(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path))
    env = fresh_env()
    import shutil

    shutil.rmtree(tmp_path)  # the folder vanishes under a running process
    assert render.render_string(env, "{{ 2 * 3 }}", {}, where="t") == "6"
    assert render.render_template(env, "base.j2", BASE_CONTEXT).startswith("Hi Ana,")


@pytest.mark.parametrize("damage", ["header", "cut", "garbage"])
def test_a_damaged_cache_entry_is_compiled_again(tmp_path, monkeypatch, damage) -> None:
    from jinja2.bccache import bc_magic

    monkeypatch.setenv("REPLYCOACH_CACHE", str(tmp_path))
    cold = render.render_template(fresh_env(), "base.j2", BASE_CONTEXT)
    entries = list(tmp_path.glob("jinja-*/__jinja2_*.cache"))
    assert len(entries) == 3  # base.j2 and the listen.j2 and greeting.j2 it imports
    for entry in entries:
        data = entry.read_bytes()
        entry.write_bytes(
            {"header": bc_magic + b"garbage", "cut": data[: len(bc_magic) + 3], "garbage": b"\x00" * 9}[damage]
        )
    assert render.render_template(fresh_env(), "base.j2", BASE_CONTEXT) == cold


def test_option_texts_kept_in_process_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(render, "_STRING_TEMPLATES_SIZE", 3)
    env = fresh_env()
    for n in range(10):
        assert render.render_string(env, f"{{{{ {n} + 1 }}}}", {}, where="t") == str(n + 1)
        assert 1 <= len(render._STRING_TEMPLATES) <= 3
    # What is kept still renders as it should after the memo was emptied.
    assert render.render_string(env, "{{ 9 + 1 }}", {}, where="t") == "10"
