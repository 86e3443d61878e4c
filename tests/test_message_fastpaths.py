"""The message reader's shortcuts against the plain code they stand for: the
splitter pre-check's lower-cased tail, and ``isspace`` for ``strip`` as a truth value."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st


@given(st.text(alphabet="wroteWROTEskrevSKREVΣσςİıKſ \t-*.xé", max_size=12), st.text(max_size=12))
def test_lower_tail_decides_like_lower_whole(tail: str, head: str) -> None:
    line = head + tail
    whole = line.rstrip(" \t-*").lower().endswith(("wrote", "skrev"))
    assert line.rstrip(" \t-*")[-5:].lower().endswith(("wrote", "skrev")) == whole


@given(
    st.text(
        alphabet=st.sampled_from(
            " \t\r\n\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u200a\u200b\u2028\u2029\u202f\u205f\u3000\ufeffa"
        ),
        max_size=6,
    )
)
def test_isspace_is_strip_as_a_truth_value(line: str) -> None:
    assert bool(line.strip()) == bool(line and not line.isspace())


@given(
    st.lists(
        st.sampled_from([b" ", b"\t", b"\r", b"\n", b"\x0b", b"\x0c", b"\x1c", b"\x85", b"\xa0", b"a", b"\x00"]),
        max_size=6,
    ).map(b"".join)
)
def test_bytes_isspace_is_strip_as_a_truth_value(data: bytes) -> None:
    assert (not data.strip()) == (not data or data.isspace())
