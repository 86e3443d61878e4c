"""The reading model: its plain-Python scoring is scikit-learn's, and it reads known sentences right."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

from replycoach.foundation.errors import DataError
from replycoach.reading import model

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "src" / "replycoach" / "data" / "model.json"


def test_features_replace_links_addresses_handles_and_numbers() -> None:
    text = "Mail ana.k@example.com or see https://shop.example/x?y=1, @AcmeHelp: order 48213 didn’t come"
    assert model.tokens(text) == [
        "mail", "xemail", "or", "see", "xurl", "xuser", "order", "0", "didn't", "come"
    ]  # fmt: skip
    words, word_value, grams, gram_value = model.vector("Refund refund now", (3, 4))
    assert words == {"refund", "now", "refund refund", "refund now"}
    assert word_value == pytest.approx(0.5)
    assert {"<re", "ref", "und>", "<no", "now>", "<now"} <= grams
    assert "<refu" not in grams  # 5-grams are not asked for
    assert gram_value == pytest.approx(1 / math.sqrt(len(grams)))
    assert model.vector("", (3, 5)) == (set(), 0.0, set(), 0.0)


def _toy_model() -> tuple[dict, dict]:
    """A tiny file by hand: a softmax task over three labels and a sigmoid one."""
    data = {
        "format": 1,
        "features": {"chars": [3, 5]},
        "quantum": 0.001,
        "tasks": {
            "topic": {"kind": "softmax", "labels": ["a", "b", "c"], "bias": [0.1, 0.0, -0.1], "calibration": [2.0, 0]},
            "mood": {"kind": "sigmoid", "labels": ["calm", "angry"], "bias": [-0.5], "calibration": [3.0, 0.25]},
        },
        # slots: topic a=0 b=1 c=2, mood=3
        "words": {"refund": [0, 800, 2, -200], "charged twice": [1, 1500], "awful": [3, 2000]},
        "chars": {"<ref": [0, 300], "wful": [3, 500]},
        "combine": {
            "topic": {"weight": 0.5, "weights": {"c": 0.0}},
            "mood": {"weight": 0.5, "threshold": 0.6, "positive": "angry", "negative": "calm"},
        },
    }
    return data, model.with_arrays(model.from_data(data))


def test_scores_follow_the_file_by_hand() -> None:
    _, weights = _toy_model()
    text = "Refund please, you charged twice"
    words, wv, grams, gv = model.vector(text, (3, 5))
    assert "<ref" in grams and "charged twice" in words
    margins = model.decision("topic", text, weights)
    assert margins == pytest.approx([0.1 + 0.8 * wv + 0.3 * gv, 1.5 * wv, -0.1 - 0.2 * wv])
    probs = model.scores("topic", text, weights)
    exps = [math.exp(2.0 * m) for m in margins]
    assert list(probs.values()) == pytest.approx([e / sum(exps) for e in exps])
    assert sum(probs.values()) == pytest.approx(1.0)
    calm = model.scores("mood", "all fine", weights)
    assert calm["angry"] == pytest.approx(1 / (1 + math.exp(-(3.0 * -0.5 + 0.25))))
    assert model.scores("mood", "awful awful", weights)["angry"] > calm["angry"]


def test_explain_names_the_words_that_pushed_the_label() -> None:
    _, weights = _toy_model()
    text = "Refund please, you charged twice"
    assert model.explain("topic", text, "b", 3, weights) == ["charged twice"]
    assert model.explain("topic", text, "a", 3, weights)[0] == "refund"
    assert model.explain("mood", "that was awful", "angry", 3, weights) == ["awful"]
    assert model.explain("mood", "that was awful", "calm", 3, weights) == []
    assert model.explain("topic", text, "no such label", 3, weights) == []


def test_combine_mixes_by_the_tuned_weights() -> None:
    _, weights = _toy_model()
    # topic: a cue for "a" at weight 0.5 outweighs the model's lean to "b" ...
    label, mixed = model.combine("topic", {"a": 1.0}, {"a": 0.3, "b": 0.6, "c": 0.1}, weights)
    assert label == "a" and mixed["a"] == pytest.approx(0.8) and mixed["b"] == pytest.approx(0.6)
    assert model.combine("topic", {"a": 0.2}, {"a": 0.3, "b": 0.6, "c": 0.1}, weights)[0] == "b"  # 0.4
    # ... but the cue weight for "c" is 0: a "c" cue changes nothing.
    assert model.combine("topic", {"c": 1.0}, {"a": 0.3, "b": 0.6, "c": 0.1}, weights)[0] == "b"
    assert model.combine("mood", {"angry": 0.9}, {"angry": 0.4, "calm": 0.6}, weights)[0] == "angry"  # 0.65
    assert model.combine("mood", {"angry": 0.5}, {"angry": 0.4, "calm": 0.6}, weights)[0] == "calm"  # 0.45


def test_a_broken_file_is_a_data_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(DataError) as err:
        model.load_model_file(path)
    assert str(path) in str(err.value)
    data, _ = _toy_model()
    path.write_text(json.dumps({**data, "format": 99}), encoding="utf-8")
    with pytest.raises(DataError, match="format 1"):
        model.load_model_file(path)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match="no task 'scenario'"):  # the shipped file must have what blend reads
        model.load_model_file(path)
    assert model.load_model_file(path, ((), ()))["tasks"]["mood"]["labels"] == ["calm", "angry"]
    path.write_text(json.dumps({k: v for k, v in data.items() if k != "quantum"}), encoding="utf-8")
    with pytest.raises(DataError, match=r"malformed.*quantum"):
        model.load_model_file(path, ((), ()))
    data["words"]["refund"] = [7, 100]  # a slot past the last label
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataError, match="refund"):
        model.load_model_file(path, ((), ()))


def test_a_broken_shipped_model_is_one_error_line(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "model.json"
    broken.write_text('{"format": 1, "tasks": ', encoding="utf-8")
    monkeypatch.setattr(model, "_path", lambda: broken)
    monkeypatch.setattr(model, "_LOADED", {})
    r = run("analyze", stdin="My parcel never arrived, where is it?")
    assert r.code == 2
    assert r.out == ""
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    assert str(broken) in r.err and "model weights" in r.err


def test_the_cached_model_scores_as_the_file_read_plainly() -> None:
    plain = model.with_arrays(model.load_model_file(SHIPPED))
    cached = model.model()
    text = "I was charged twice for my subscription this month, please fix it"
    for task in model.tasks():
        assert model.scores(task, text, cached) == pytest.approx(model.scores(task, text, plain))
        assert model.decision(task, text, cached) == pytest.approx(model.decision(task, text, plain))


def test_runtime_matches_sklearn_decision_function() -> None:
    pytest.importorskip("sklearn")
    np = pytest.importorskip("numpy")
    sys.path.insert(0, str(ROOT / "training"))
    try:
        import train_reading as tr
    finally:
        sys.path.remove(str(ROOT / "training"))
    texts = {
        "billing": [
            "you charged me twice",
            "double charge on my card",
            "billed two times this month",
            "wrong amount billed",
        ],
        "refund": ["I want my money back", "please refund the order", "refund not received", "how do I get a refund"],
        "general": ["what are your opening hours", "do you ship to Norway", "thanks for the help", "change my address"],
    }
    rows = [{"text": t, "labels": {"scenario": label}} for label, ts in texts.items() for t in ts]
    angry = [{"text": t, "labels": {"anger": a}} for t, a in [
        ("this is a joke, worst service ever", "high"), ("I am furious, nobody answers", "high"),
        ("thanks, all good", "none"), ("could you check my order please", "none"),
        ("absolutely ridiculous, fix it NOW", "medium"), ("lovely staff, quick delivery", "none"),
    ]]  # fmt: skip
    M = tr.Matrix(rows + angry)
    fitted = {}
    for task, mine in (("scenario", rows), ("anger", angry)):
        clf = tr.fit_svm(task, mine, M, 10.0)
        tr.cap(clf, 40)  # capped and rounded in place, as what ships
        fitted[task] = (clf, (1.5, 0.1))
    weights = model.with_arrays(model.from_data(json.loads(json.dumps(tr.export(fitted, M.names)))))
    unseen = ["refund me twice, you charged my card", "NOW", "", "hours of opening in Norway?"]
    for task, mine in (("scenario", rows), ("anger", angry)):
        clf = fitted[task][0]
        assert np.count_nonzero(clf.coef_) <= 40
        sample = mine + [{"text": t} for t in unseen]
        want = np.asarray(clf.decision_function(_matrix(tr, M, sample)))
        got = np.array([model.decision(task, r["text"], weights) for r in sample]).reshape(want.shape)
        assert np.abs(got - want).max() < 1e-9
        probs = tr.probabilities(
            weights["tasks"][task]["kind"], want.reshape(len(sample), -1), (1.5, 0.1), [str(c) for c in clf.classes_]
        )
        for r, p in zip(sample, probs, strict=True):
            assert model.scores(task, r["text"], weights) == pytest.approx(p)


def _matrix(tr, M, rows):  # the training vocabulary, for texts it has not seen too
    from sklearn.feature_extraction import DictVectorizer

    vec = DictVectorizer()
    vec.fit([{name: 1.0 for name in M.names}])
    return vec.transform(tr.feature_dicts(rows))


# The shipped model on sentences of the kind it was trained on (one known label per task).
KNOWN = [
    ("scenario", "I was charged twice for my subscription this month", "billing-error", {"charged", "twice"}),
    ("scenario", "My card has not arrived yet", "late-delivery", {"arrived", "card has"}),
    ("scenario", "I forgot my password and can't log in", "account-access", {"password", "log"}),
    ("scenario", "I want to speak to a manager right now", "manager-request", {"a manager", "manager"}),
    ("scenario", "please cancel my account", "cancellation", {"cancel", "please cancel"}),
    ("mode", "Thank you so much, your support team was amazing!", "praise", {"thank"}),
    ("mode", "please cancel my account", "request", {"cancel", "please"}),
    ("mode", "do you ship to Norway?", "question", {"do", "norway", "do you"}),
    ("mode", "the app crashed again and I lost my work, useless", "complaint", {"again", "app", "crashed"}),
    ("urgency", "I need this fixed today, our shop is down", "high", {"today"}),
    ("urgency", "could you sort it out by Friday?", "medium", {"friday"}),
    ("urgency", "no rush, whenever you can", "none", {"whenever", "no"}),
    ("anger", "This is absolutely ridiculous, worst service ever, I am furious", "angry", {"ridiculous", "worst"}),
    ("anger", "Could you tell me when my order will be delivered? Thanks", "calm", {"thanks", "could", "could you"}),
]


@pytest.mark.parametrize(("task", "text", "label", "words"), KNOWN)
def test_the_shipped_model_reads_known_sentences(task: str, text: str, label: str, words: set[str]) -> None:
    probs = model.scores(task, text)
    if task == "anger":  # calibrated, but the cut for F1 is the one training chose
        cut = model.model()["combine"]["anger"]["model_threshold"]
        assert (probs["angry"] >= cut) == (label == "angry")
    else:
        assert max(probs, key=probs.__getitem__) == label
    assert set(model.explain(task, text, label, 3)) & words  # the evidence names the deciding words


def test_the_shipped_model_hears_anger_with_the_cues() -> None:
    furious = "This is absolutely ridiculous, worst service ever, NOBODY answers, I am furious and done with you"
    calm = "Could you tell me when my order will be delivered? Thanks"
    hot, cool = model.scores("anger", furious), model.scores("anger", calm)
    assert hot["angry"] > cool["angry"]
    from replycoach.reading import blend

    assert blend.anger(furious, {"score": 0.0, "level": "none", "evidence": []})["level"] == "medium"
    assert blend.anger(calm, {"score": 0.0, "level": "none", "evidence": []})["level"] == "none"


def _blend_model() -> dict:
    """A hand-made file with the shipped task names: "twice" pushes billing-error,
    "furious" anger, "tonight" high urgency, "thanks" praise and "broken" complaint."""
    scen = ["billing-error", "general", "late-delivery"]
    mode = ["complaint", "other", "praise", "question", "request"]
    data = {
        "format": 1,
        "features": {"chars": [3, 5]},
        "quantum": 0.001,
        "tasks": {
            "scenario": {"kind": "softmax", "labels": scen, "bias": [0, 0.5, 0], "calibration": [3.0, 0]},
            "mode": {"kind": "softmax", "labels": mode, "bias": [0, 0, 0, 0.2, 0], "calibration": [3.0, 0]},
            "anger": {"kind": "sigmoid", "labels": ["calm", "angry"], "bias": [-1.0], "calibration": [2.0, 0]},
            "urgency": {"kind": "softmax", "labels": ["high", "medium", "none"], "bias": [0, 0, 0.5],
                        "calibration": [3.0, 0]},
        },
        # slots: scenario 0-2, mode 3-7, anger 8, urgency 9-11
        "words": {"twice": [0, 6000], "furious": [8, 6000], "tonight": [9, 6000], "thanks": [5, 6000],
                  "broken": [3, 6000]},
        "chars": {},
        "combine": {
            "scenario": {"weight": 1.0, "weights": {"general": 0.3}},
            "anger": {"weight": 0.5, "threshold": 0.5, "positive": "angry", "negative": "calm"},
            "urgency": {"weight": 0.5},
            "complaint": {"weight": 0.3, "threshold": 0.4, "positive": "complaint", "negative": "not-complaint"},
            "mode": {"weight": 0.5},
        },
    }  # fmt: skip
    return model.with_arrays(model.from_data(data, needs=model.NEEDS))


def test_blend_keeps_the_cues_unless_the_model_outweighs_them() -> None:
    from replycoach.reading import blend

    w = _blend_model()
    late = {"id": "late-delivery", "confidence": 0.8, "evidence": ["never arrived"]}
    assert blend.scenario("my parcel never arrived", late, weights=w) is late  # the model has no word against it
    assert blend.scenario("you charged me twice", late, weights=w)["id"] == "late-delivery"  # a fired cue weighs 1.0
    general = {"id": "general", "confidence": 0.5, "evidence": []}
    moved = blend.scenario("you charged me twice", general, weights=w)  # the cues' "general" weighs 0.3 only
    assert moved["id"] == "billing-error" and moved["evidence"] == ["twice"]
    # An id a negative cue denied ("not charged twice") is not the model's to pick.
    assert blend.scenario("you charged me twice", general, {"billing-error"}, w) is general
    forced = {**late, "forced": True}
    assert blend.scenario("you charged me twice", forced, weights=w) is forced

    calm = {"score": 0.1, "level": "low", "evidence": []}
    hot = blend.anger("I am furious", calm, w)
    assert hot["level"] == "medium" and hot["score"] == 0.1 and "furious" in hot["evidence"]
    assert blend.anger("the parcel is late", calm, w) is calm
    cross = {"score": 0.5, "level": "medium", "evidence": ["annoyed"]}
    assert blend.anger("the parcel is late", cross, w) is cross  # anger the cues heard stands

    none = {"level": "none", "evidence": []}
    assert blend.urgency("we need it tonight", none, w) == {"level": "high", "evidence": ["tonight"]}
    assert blend.urgency("whenever", none, w) is none

    assert blend.mode("the lamp is broken", "question", ["?"], weights=w) == ("complaint", ["broken"])
    assert blend.mode("thanks a lot", "praise", ["thanks"], weights=w) == ("praise", ["thanks"])
    assert blend.mode("hello there", "request", ["send it"], weights=w) == (
        "request",
        ["send it"],
    )  # the cue's 0.5 decides
    assert blend.mode("thanks a lot", "complaint", ["late"], weights=w)[0] == "praise"  # 0.3 * cue + 0.7 * ~0 < 0.4
    assert blend.mode("thanks a lot", "complaint", ["late"], "high", w) == ("complaint", ["late"])  # anger: stays
    assert blend.mode("thanks a lot", "praise", ["thanks"], "medium", w) == ("complaint", ["anger: medium"])


def test_outside_the_model_languages_the_cues_mode_stands() -> None:
    from replycoach.reading import blend

    w = _blend_model()
    # The model would overrule the cues in English ...
    assert blend.mode("the lamp is broken", "question", ["?"], weights=w, language="en")[0] == "complaint"
    # ... but it has too few rows of these languages to do so there; anger still makes a complaint.
    for lang in ("de", "fi", "ru"):
        assert blend.mode("the lamp is broken", "question", ["?"], weights=w, language=lang) == ("question", ["?"])
    assert blend.mode("thanks a lot", "praise", ["danke"], "high", w, "de") == ("complaint", ["anger: high"])
