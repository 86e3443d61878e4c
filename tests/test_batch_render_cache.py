"""Option texts a process keeps compiled render as a fresh compile does, with the
sandbox and strict undefined intact, and what is kept stays bounded."""

from __future__ import annotations

import pytest

from replycoach.foundation import templating as render
from replycoach.foundation.errors import TemplateError


@pytest.fixture(autouse=True)
def _forget_templates():
    yield
    render._ENVS.clear()
    render._STRING_TEMPLATES.clear()


def fresh_env():
    # Forget every in-process template: the next render compiles afresh.
    render._ENVS.clear()
    render._STRING_TEMPLATES.clear()
    return render.environment()


def test_an_option_text_kept_compiled_renders_the_same() -> None:
    source = "Hi {{ name|lcfirst }}, {{ items|join_and }} by {{ amount|money }}."
    context = {"name": "Ana", "items": ["a", "b", "c"], "amount": 79.9}
    env = fresh_env()
    cold = render.render_string(env, source, context, where="t")
    assert (id(env), source) in render._STRING_TEMPLATES
    warm = render.render_string(env, source, context, where="t")
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
def test_sandbox_and_strict_undefined_hold_for_kept_templates(source, problem) -> None:
    env = fresh_env()
    for _ in ("cold", "warm"):
        with pytest.raises(TemplateError) as caught:
            render.render_string(env, source, {"name": "Ana"}, where="steps.hear.x")
        assert str(caught.value) == f"steps.hear.x: {problem}"


def test_option_texts_kept_in_process_are_bounded(monkeypatch) -> None:
    monkeypatch.setattr(render, "_STRING_TEMPLATES_SIZE", 3)
    env = fresh_env()
    for n in range(10):
        assert render.render_string(env, f"{{{{ {n} + 1 }}}}", {}, where="t") == str(n + 1)
        assert 1 <= len(render._STRING_TEMPLATES) <= 3
    # What is kept still renders as it should after the memo was emptied.
    assert render.render_string(env, "{{ 9 + 1 }}", {}, where="t") == "10"
