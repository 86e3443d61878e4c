"""Hostile inputs from issue 18: each one is refused with one line and exit 2, or made
harmless, never a traceback, a hang or a leak."""

from __future__ import annotations

import pytest

import replycoach
from replycoach.foundation.errors import InputError

DEPTH = 1000


def rfc822_nested(depth: int) -> bytes:
    wrapper = "From: a@example.com\nSubject: fwd\nContent-Type: message/rfc822\n\n"
    inner = "From: a@example.com\nSubject: lamp\n\nMy lamp arrived broken, I want a refund.\n"
    return (wrapper * depth + inner).encode()


def multipart_nested(depth: int) -> bytes:
    head = "".join(f'Content-Type: multipart/mixed; boundary="b{i}"\n\n--b{i}\n' for i in range(depth))
    tail = "".join(f"--b{i}--\n" for i in reversed(range(depth)))
    body = "Content-Type: text/plain\n\nMy lamp arrived broken, I want a refund.\n"
    return ("From: a@example.com\nSubject: lamp\n" + head + body + tail).encode()


@pytest.mark.parametrize("make", [rfc822_nested, multipart_nested])
@pytest.mark.parametrize("command", ["draft", "analyze", "check"])
def test_deep_nesting_is_one_line_exit_2(run, tmp_path, make, command) -> None:
    mail = tmp_path / "deep.eml"
    mail.write_bytes(make(DEPTH))
    args = ["check", "--message", str(mail), "-"] if command == "check" else [command, str(mail)]
    r = run(*args, stdin="Thank you for writing.\n")
    assert r.code == 2
    assert r.err.count("\n") == 1 and "nested too deeply" in r.err
    assert "Traceback" not in r.err


def test_deep_nesting_api_raises_input_error() -> None:
    with pytest.raises(InputError, match="nested too deeply"):
        replycoach.analyze_text(rfc822_nested(DEPTH))
    with pytest.raises(InputError, match="nested too deeply"):
        replycoach.check_text("Thanks.", multipart_nested(DEPTH))


def test_nesting_within_the_limit_is_read() -> None:
    from replycoach.message.mime import MAX_NESTING

    result = replycoach.analyze_text(rfc822_nested(MAX_NESTING - 1))
    assert "broken" in result["message"]["body"]


def test_batch_says_the_same_as_draft(run, tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "deep.eml").write_bytes(multipart_nested(DEPTH))
    r = run("batch", "--placeholders", str(folder))
    assert "nested too deeply" in r.out + r.err


def alias_bomb(levels: int = 9) -> str:
    """550 bytes that expand to 9**10 scalars when walked (the validator walks them)."""
    lines = ["values:", "  a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"  a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb_in_answers_is_refused_fast(run, tmp_path) -> None:
    bomb = tmp_path / "answers.yaml"
    bomb.write_text(alias_bomb())
    r = run("draft", "--answers", str(bomb), "--placeholders", "-", stdin="My lamp arrived broken.\n")
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert f"{bomb}:2:" in r.err and "anchors and aliases are not allowed" in r.err


@pytest.mark.parametrize(
    "text, line",
    [("a: &x 1\nb: 2\n", 1), ("a: 1\nb:\n  - &x [1]\n", 3), ("base: &b {k: 1}\nother:\n  <<: *b\n", 1)],
)
def test_yaml_loader_refuses_any_anchor_or_alias(text: str, line: int) -> None:
    from replycoach.foundation.errors import DataError
    from replycoach.foundation.yamlio import load_yaml_text

    with pytest.raises(DataError) as caught:
        load_yaml_text(text, file="x.yaml")
    assert caught.value.file == "x.yaml" and caught.value.line == line


def test_yaml_bomb_in_rules_and_playbooks_is_refused(run, tmp_path, monkeypatch) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "bomb.yaml").write_text(alias_bomb())
    monkeypatch.setenv("REPLYCOACH_RULES", str(rules))
    r = run("check", "-", stdin="Thanks for writing.\n")
    assert r.code == 2 and "anchors and aliases are not allowed" in r.err
    books = tmp_path / "books"
    books.mkdir()
    (books / "bomb.yaml").write_text(alias_bomb())
    r = run("playbooks", "validate", str(books / "bomb.yaml"))
    assert r.code == 2 and "anchors and aliases are not allowed" in r.err


def test_saved_answers_never_hold_aliases() -> None:
    import yaml

    from replycoach.foundation.yamlio import load_yaml_text

    shared = ["a", "b"]

    class Walk:
        saved_answers = staticmethod(lambda: {"one": shared, "two": shared})

    from replycoach.terminal.coach_walk import Walk as Real

    text = Real.answers_yaml(Walk())  # type: ignore[arg-type]
    assert "&" not in text and "*" not in text
    assert load_yaml_text(text, file="saved.yaml") == yaml.safe_load(text)
