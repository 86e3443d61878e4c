"""A short property pass over the three API functions with the hostile shapes of
fuzz_shapes: any input is read, or refused with the project's own error; never another
exception. benchmarks/fuzz.py runs the same generators for as long as it is given."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings

import replycoach
from replycoach.foundation.errors import ReplycoachError

from .fuzz_shapes import body_text, cli_stack, deep_nesting, messages, multipart_chain, rfc822_chain

FAST = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
NOW = "2026-11-20T17:00:00+01:00"


@FAST
@given(messages)
def test_analyze_reads_or_refuses(data: bytes) -> None:
    try:
        with cli_stack():
            result = replycoach.analyze_text(data, now=NOW)
    except ReplycoachError:
        return
    assert isinstance(result["message"]["body"], str)


@FAST
@given(messages)
def test_draft_reads_or_refuses(data: bytes) -> None:
    try:
        with cli_stack():
            result = replycoach.draft_text(data, placeholders=True, now=NOW)
    except ReplycoachError:
        return
    assert result["draft"].strip()


@FAST
@given(body_text, messages)
def test_check_reads_or_refuses(reply: str, data: bytes) -> None:
    try:
        with cli_stack():
            findings = replycoach.check_text(reply, data)
    except ReplycoachError:
        return
    assert all(isinstance(f["line"], int) for f in findings)


@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(deep_nesting())
@example(rfc822_chain(1000))
@example(multipart_chain(1000))
def test_deep_nesting_reads_or_refuses(data: bytes) -> None:
    for call in (replycoach.analyze_text, lambda d: replycoach.check_text("Thanks.", d)):
        try:
            with cli_stack():
                call(data)
        except ReplycoachError:
            pass
