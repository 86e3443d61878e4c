"""The corpus the checker's path comparisons run over (the labelled replies, the rules'
examples and texts made to sit where a shortcut could go wrong), and check() against
the plain path over it. The literal prefilters, word-start keys, required words and
split alternations these tests once compared are gone (under the 10% bar)."""

from __future__ import annotations

import importlib.util

from replycoach.checking.checker import _check_plain, check, load_rules

from .conftest import ROOT

_spec = importlib.util.spec_from_file_location("replycoach_eval_checker_sp", ROOT / "benchmarks" / "eval_checker.py")
assert _spec is not None and _spec.loader is not None
eval_checker = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(eval_checker)

# Characters that fold to ASCII letters under re.IGNORECASE, curly apostrophes,
# words glued to punctuation, and a card number: where a prefilter could go wrong.
TRICKY = [
    "I’m ſorry, but we can’t refund it. As I ſaid, calm down.",
    "İ don't know. I WİLL GET BACK TO YOU SOON.",
    "ı will send it soon; we’ll see. We will never share it.",
    "Your card 4111 1111 1111 1111 was charged; your new password is Summer2026!",
    "We apologise for any inconvenience this may have caused. Sorry if you feel let down.",
    "—I'll look into it.\n\n> As I already said, calm down\n\n-- \nSam",
    "No, we can't.\n1) Unfortunately not.\n2) That's impossible, it's user error.",
    "weWILL;we'll:I'LL,someone will — our team will get back to you (tomorrow).",
]


def _corpus() -> list[tuple[str, str | None]]:
    items: list[tuple[str, str | None]] = [(c["reply"], c.get("message")) for c in eval_checker.load_cases()]
    for rule in load_rules():
        for want in ("bad", "good"):
            for item in rule.get("examples", {}).get(want, []):
                items.append((item, None) if isinstance(item, str) else (item["reply"], item.get("message")))
    items += [(t, None) for t in TRICKY]
    return items


def test_check_gives_the_plain_paths_findings() -> None:
    rules = load_rules()
    items = _corpus()
    assert len(items) > 300
    for reply, message in items:
        assert check(reply, message=message, rules=rules) == _check_plain(reply, message=message, rules=rules), reply
