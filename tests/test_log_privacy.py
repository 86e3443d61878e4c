"""What is masked before anything reaches the complaint log, and what is left alone."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from replycoach.record.privacy import mask, mask_data


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("card 4111 1111 1111 1111 ok", "card [card …1111] ok"),
        ("card 4111-1111-1111-1111.", "card [card …1111]."),
        ("x4111111111111111y", "x[card …1111]y"),
        ("IBAN DE89 3704 0044 0532 0130 00 thanks", "IBAN [IBAN …3000] thanks"),
        ("to FI2112345600000785.", "to [IBAN …0785]."),
        ("my password is hunter2!", "my password is [password]"),
        ('password: "s3cret pass" ok', "password: [password] ok"),
        ("Password=abc123 and", "Password=[password] and"),
        ("salasana: kissa123", "salasana: [password]"),
        ("my pin code is 9876", "my pin code is [password]"),
        ("SSN 123-45-6789", "SSN [national id]"),
        ("hetu 131052-308T", "hetu [national id]"),
        ("personnummer 19811218-9876", "personnummer [national id]"),
        ("fnr 01019912345", "fnr [national id]"),
        ("NINO AB 12 34 56 C", "NINO [national id]"),
        ("СНИЛС 112-233-445 95", "СНИЛС [national id]"),
        ("ID number: 123456782", "ID number: [national id]"),
        ("ת.ז. 123456782", "ת.ז. [national id]"),
    ],
)
def test_masked(text: str, masked: str) -> None:
    assert mask(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "order #48213 for $79.99 on 2026-11-20",
        "call +358 40 123 4567 or 040 1234567",
        "my password was reset and does not work",
        "pin the blame on the courier",
        "invoice INV-2026-0042, 3 items, €1,299.00",
        "Blender arrived BROKEN - order #48213",
    ],
)
def test_left_alone(text: str) -> None:
    assert mask(text) == text


def test_mask_data_reaches_nested_strings() -> None:
    data = {"a": ["pwd: hunter22", {"b": "4111 1111 1111 1111"}], "n": 3, "none": None}
    assert mask_data(data) == {"a": ["pwd: [password]", {"b": "[card …1111]"}], "n": 3, "none": None}


@given(st.text(alphabet=st.sampled_from("0123456789 -abc:\n"), max_size=80))
def test_no_long_digit_run_survives(text: str) -> None:
    out = mask(text)
    assert not re.search(r"\d(?:[ -]?\d){12}", out.replace("…", " "))
    assert mask(out) == out  # masking twice changes nothing
