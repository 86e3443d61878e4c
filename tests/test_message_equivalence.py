"""The message reader's speed work must not change what it reads.

tests/golden/message_digests.json holds a fingerprint of every ``parse_message``
result (or error) over the corpus in ``tests/message_corpus.py``, recorded before the
fast paths existed; the fast paths are also compared with the plain paths directly.
"""

from __future__ import annotations

import json

from tests.message_corpus import GOLDEN, corpus, digest


def test_parse_message_matches_recorded_digests() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    seen = 0
    changed = []
    for name, data in corpus():
        seen += 1
        if digest(data) != golden.get(name):
            changed.append(name)
    assert seen == len(golden)
    assert not changed, f"{len(changed)} messages read differently, e.g. {changed[:10]}"
