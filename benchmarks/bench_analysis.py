"""Speed of ``analyze`` on a typical 1 KB customer email, in process.

    python benchmarks/bench_analysis.py [--runs 2000] [--fresh 5] [--mailgen 300] [--parts]

Prints the median time of one full analysis (scenario, anger, type, complaint,
entities, wants, language, risks, urgency), the median of a bare regex scan over the
same text (one word-tokenising ``findall``: the floor any reading must pay), their
ratio, and what building the cue sets costs once per process (the part every CLI
start pays; validated data comes from the marshal cache; each cue's regex is built on
first use). ``benchmarks/analysis_callgrind.py`` counts instructions instead. ``--mailgen N``
adds the median analysis CPU time per message over N varied emails of
``benchmarks/mailgen.py`` (what the batch command pays); ``--parts`` a CPU-time
breakdown by reading, each on a fresh copy of the text (so each pays its own word
index: the parts add up to more than the whole).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time

EMAIL = """Hello,

I am writing about order #48213, which I placed on May 3 for $79.99. The "Aurora 2"
desk lamp arrived yesterday with a cracked base and it doesn't turn on at all. This is
the second time this has happened with your company and frankly I am really annoyed.
I paid for express shipping, waited over a week, and now I have to spend my evening
packing it up again.

I called your support line last Tuesday and was on hold for 40 minutes before the call
dropped. Nobody has replied to my two emails either. This is ridiculous for a company
that charges premium prices.

I want a full refund to my card, not store credit, and I expect a prepaid return label
today. If this isn't sorted by Friday I will dispute the charge with my bank and leave
a review on Trustpilot.

You can reach me at ana.k@example.com or +1 415 555 0199. My address has not changed
since the order, and the lamp is still in its original box if you need photos.

Ana Kowalski
"""


def median_us(fn, runs: int, clock=time.perf_counter) -> float:
    times = []
    for _ in range(runs):
        t0 = clock()
        fn()
        times.append(clock() - t0)
    return statistics.median(times) * 1e6


def mailgen_us(detected: list, count: int, rounds: int = 5) -> float:
    """Median CPU time of ``analyze`` per generated email (parsed once, outside the timing);
    each round reads fresh copies, so no per-text cache carries over."""
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import mailgen
    from replycoach.message import Message, parse_message
    from replycoach.reading.analyze import analyze

    parsed = [parse_message(raw) for raw in mailgen.messages(count)]
    times = []
    for _ in range(rounds):
        for m in parsed:
            copy = Message(body="".join(list(m.body)), subject="".join(list(m.subject)))
            t0 = time.process_time()
            analyze(copy, detected)
            times.append(time.process_time() - t0)
    return statistics.median(times) * 1e6


def parts_us(detected: list, subject: str, runs: int) -> dict[str, float]:
    from replycoach.reading.cuedata import signals
    from replycoach.reading.entities import entities, mask_cards
    from replycoach.reading.feelings import anger, complaint, customer_type, risks, urgency
    from replycoach.reading.language import detect_language
    from replycoach.reading.prefilter import word_index
    from replycoach.reading.restate import restatement_source
    from replycoach.reading.scenario import scenario
    from replycoach.reading.sentences import complaint_sentences, wants

    sig = signals()
    fresh = lambda: "".join(list(EMAIL))  # noqa: E731
    ang = anger(EMAIL, sig)
    scene = scenario(EMAIL, detected, subject)
    picked = complaint_sentences(EMAIL, sig, scene["evidence"])
    parts = {
        "word_index": lambda t: word_index(t),
        "scenario": lambda t: scenario(t, detected),
        "scenario+subject": lambda t: scenario(t, detected, "".join(list(subject))),
        "anger": lambda t: anger(t, sig),
        "entities": lambda t: entities(t),
        "detect_language": lambda t: detect_language(t, sig),
        "urgency": lambda t: urgency(t, sig),
        "risks": lambda t: risks(t, sig),
        "wants": lambda t: wants(t, sig),
        "customer_type": lambda t: customer_type(t, sig, ang),
        "complaint": lambda t: complaint(t, sig, scene, ang),
        "complaint_sentences": lambda t: complaint_sentences(t, sig, scene["evidence"]),
        "restatement_source": lambda t: restatement_source(t, scene["evidence"], picked),
        "mask_cards": lambda t: mask_cards(t),
    }
    out = {}
    for name, fn in parts.items():
        copies = [fresh() for _ in range(runs)]
        out[name] = median_us(lambda fn=fn, copies=copies: fn(copies.pop()), runs, time.process_time)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--fresh", type=int, default=5, help="new processes for the first-analysis figure")
    parser.add_argument("--mailgen", type=int, default=300, help="generated emails for the per-message figure")
    parser.add_argument("--parts", action="store_true", help="CPU-time breakdown by reading")
    args = parser.parse_args()

    from replycoach.message import Message
    from replycoach.playbook.registry import load_registry
    from replycoach.reading import cuedata
    from replycoach.reading.analyze import analyze

    detected = load_registry().detected()
    message = Message(body=EMAIL, subject="Broken lamp, order #48213")
    analyze(message, detected)  # warm: data cache, compiled cue sets

    # Building the compiled cue sets from cached data, as each new process does.
    build_times = []
    for _ in range(20):
        cuedata._CACHE.clear()
        re.purge()
        t0 = time.perf_counter()
        cuedata.signals()
        cuedata.scenario_cues(detected)
        build_times.append(time.perf_counter() - t0)
    build_ms = statistics.median(build_times) * 1e3

    # A fresh copy of the text for every run: nothing computed for one message may be
    # reused for the next (the word index is cached per text object).
    # The subject too: results are cached per text object, and one shared subject
    # string would be read once for all runs.
    copies = [Message(body="".join(list(EMAIL)), subject="".join(list(message.subject))) for _ in range(2 * args.runs)]
    full = median_us(lambda: analyze(copies.pop(), detected), args.runs)
    word = re.compile(r"\w+")
    floor = median_us(lambda: word.findall(EMAIL), args.runs)
    # CPU time of this process only: on a shared, loaded machine wall time also counts
    # the time spent waiting for a CPU.
    cpu = median_us(lambda: analyze(copies.pop(), detected), args.runs, time.process_time)
    cpu_floor = median_us(lambda: word.findall(EMAIL), args.runs, time.process_time)
    cues = len(cuedata.signals()["anger"].cues) + len(cuedata.scenario_cues(detected)["cues"].cues)

    print(f"message: {len(EMAIL.encode())} bytes, {len(EMAIL.split())} words; runs: {args.runs}")
    print(f"analyze median:          {full:8.1f} us")
    print(f"bare regex scan median:  {floor:8.1f} us  (\\w+ findall over the same text)")
    print(f"ratio analyze / floor:   {full / floor:8.1f}x")
    print(
        f"analyze CPU-time median: {cpu:8.1f} us  (floor {cpu_floor:.1f} us, ratio {cpu / max(cpu_floor, 1e-3):.1f}x)"
    )
    # Since round two each cue's regex is built when a message first tries it: this is
    # the cue sets without their regexes (the first-analysis figure below has the rest).
    print(f"build cue sets once:     {build_ms:8.2f} ms  (per process; anger + scenario cues: {cues})")

    if args.mailgen:
        print(f"mailgen emails, analyze CPU median: {mailgen_us(detected, args.mailgen):8.1f} us per message")
    if args.parts:
        for name, us in parts_us(detected, message.subject, max(200, args.runs // 4)).items():
            print(f"  part {name:<22} {us:8.1f} us CPU")

    # The first analysis in a new process: cue sets and regexes loaded from the cache,
    # then one reading (what every CLI start pays, on top of the imports).
    child = (
        "import time; t0 = time.perf_counter()\n"
        "from replycoach.reading.analyze import analyze; from replycoach.message import Message\n"
        "from replycoach.playbook.registry import load_registry\n"
        "t1 = time.perf_counter(); detected = load_registry().detected()\n"
        f"t2 = time.perf_counter(); analyze(Message(body={EMAIL!r}), detected)\n"
        "t3 = time.perf_counter(); print((t3 - t2) * 1e3)\n"
    )
    firsts = []
    for _ in range(args.fresh):
        out = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True).stdout
        firsts.append(float(out))
    if firsts:
        print(
            f"first analyze, new process: {statistics.median(firsts):5.2f} ms  (median of {len(firsts)}; cached data)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
