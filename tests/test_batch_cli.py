"""``replycoach batch``: every input kind, every output, errors, ordering, resume, Ctrl-C."""

from __future__ import annotations

import email
import json
import re
from email import policy
from pathlib import Path

import pytest

from .conftest import NOW, SAMPLES, ctrl_c_reaches_it

SAMPLE = (SAMPLES / "damaged.eml").read_bytes()
BASE = ["--set", "agent=Sam", "--now", NOW, "--jobs", "1"]
SUMMARY = re.compile(
    r"replycoach: batch: (\d+) message\(s\): (\d+) drafted \(\d+ ready, \d+ need the agent\), (\d+) failed(?:, (\d+) skipped \(already written\))?"
    r" in \d+\.\d\d s \([\d,]+ messages/s\), written to (.+)\n\Z"
)


def variant(n: int) -> bytes:
    """The sample with its own order number and Message-ID, so drafts differ per message."""
    return SAMPLE.replace(b"#48213", f"#5{n:04d}".encode()).replace(b"CAF7x9q1.48213", f"m{n}".encode())


def write_mbox(path: Path, bodies: list[bytes]) -> Path:
    with open(path, "wb") as fh:
        for raw in bodies:
            fh.write(b"From ana@example.com Fri Nov 20 16:42:10 2026\n" + raw.rstrip(b"\n") + b"\n\n")
    return path


def records(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines()]


def summary(err: str) -> tuple[int, ...]:
    m = SUMMARY.search(err)
    assert m, err
    return tuple(int(g or 0) for g in m.groups()[:4])


def test_mbox_to_jsonl_matches_draft_json_in_order(run, tmp_path) -> None:
    box = write_mbox(tmp_path / "inbox", [variant(n) for n in range(3)])
    r = run("batch", str(box), *BASE)
    assert r.code == 0, r.err
    got = records(r.out)
    assert [g["id"] for g in got] == ["inbox.1", "inbox.2", "inbox.3"]
    assert [g["entities"]["order_ids"] for g in got] == [["#50000"], ["#50001"], ["#50002"]]
    for n, record in enumerate(got):
        single = run("draft", "-", "--set", "agent=Sam", "--now", NOW, "--format", "json", stdin=variant(n))
        assert single.code == 0
        assert record["source"] == str(box)
        assert {k: v for k, v in record.items() if k not in ("id", "source", "status")} == json.loads(single.out)
    assert summary(r.err) == (3, 3, 0, 0)
    assert r.err.endswith("written to standard output\n")
    assert r.err.count("\n") == 1  # on a pipe: the summary only, no progress bar


def test_mbox_separators_and_from_quoting(run, tmp_path) -> None:
    body = b"Subject: x\nFrom: Ana <a@example.com>\nDate: today\n\nMy order arrived broken.\n\n>From here on I want a refund.\n"
    box = tmp_path / "quoted.mbox"
    box.write_bytes(b"From a@b Fri Nov 20 16:42:10 2026\n" + body + b"\nFrom a@b Fri Nov 20 16:43:10 2026\n" + body)
    r = run("batch", str(box), *BASE, "--placeholders")
    assert r.code == 0, r.err
    got = records(r.out)
    assert len(got) == 2
    assert got[0]["message"]["body"] == "My order arrived broken.\n\nFrom here on I want a refund."


def test_maildir_input_reads_new_and_cur_by_key(run, tmp_path) -> None:
    md = tmp_path / "Inbox"
    for sub in ("cur", "new", "tmp"):
        (md / sub).mkdir(parents=True)
    (md / "new" / "1700000001.M1P1.host").write_bytes(variant(1))
    (md / "cur" / "1700000000.M2P1.host:2,S").write_bytes(variant(2))
    (md / "tmp" / "1700000002.M3P1.host").write_bytes(variant(3))  # being delivered: not read
    r = run("batch", str(md), *BASE)
    assert r.code == 0, r.err
    assert [(g["id"], g["entities"]["order_ids"]) for g in records(r.out)] == [
        ("1700000001.M1P1.host", ["#50001"]),
        ("1700000000.M2P1.host", ["#50002"]),
    ]


def test_folder_of_eml_and_txt_files(run, tmp_path) -> None:
    (tmp_path / "b.eml").write_bytes(variant(2))
    (tmp_path / "a.txt").write_text("My order #77777 arrived broken and I want my $25.00 back.")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    r = run("batch", str(tmp_path), *BASE)
    assert r.code == 0, r.err
    assert [(g["id"], g["entities"]["order_ids"]) for g in records(r.out)] == [
        ("a.txt", ["#77777"]),
        ("b.eml", ["#50002"]),
    ]


def test_single_eml_file_and_several_inputs_keep_argument_order(run, tmp_path) -> None:
    one = tmp_path / "one.eml"
    one.write_bytes(variant(9))
    box = write_mbox(tmp_path / "box", [variant(1)])
    r = run("batch", str(one), str(box), *BASE)
    assert r.code == 0, r.err
    assert [g["id"] for g in records(r.out)] == ["one.eml", "box.1"]


def test_jsonl_from_stdin_with_error_records(run) -> None:
    lines = [
        json.dumps({"id": 7, "message": "My order #12345 arrived broken and I want a refund."}),
        "this is not json",
        json.dumps({"id": "empty", "message": "   "}),
        json.dumps({"message": variant(4).decode()}),
        json.dumps({"id": "no-message"}),
        json.dumps(["a", "list"]),
        "",
    ]
    r = run("batch", "-", *BASE, "--placeholders", stdin="\n".join(lines) + "\n")
    assert r.code == 1
    got = records(r.out)
    assert [g["id"] for g in got] == ["7", "stdin.2", "empty", "stdin.4", "no-message", "stdin.6"]
    assert [g.get("error") for g in got] == [
        None,
        "not a JSON object: Expecting value",
        "empty message",
        None,
        'missing "message" (the raw email or text, as a string)',
        'expected an object like {"id": ..., "message": ...}',
    ]
    assert got[1]["source"] == "-:2"
    assert got[3]["entities"]["order_ids"] == ["#50004"]
    assert summary(r.err) == (6, 2, 4, 0)
    assert "failures:" not in r.err  # each failed its own way: nothing to sum up


def test_a_cause_shared_by_failures_is_named_once_before_the_summary(run) -> None:
    lines = [json.dumps({"id": n, "message": " "}) for n in range(3)] + ["{", json.dumps({"id": "ok", "message": "Hi"})]
    r = run("batch", "-", *BASE, "--placeholders", stdin="\n".join(lines) + "\n")
    assert r.code == 1
    *before, last = r.err.splitlines()
    assert before == ["replycoach: 3 of the 4 failures: empty message"]
    assert summary(last + "\n") == (5, 1, 4, 0)


def test_failure_causes_counted_are_bounded(monkeypatch) -> None:
    from replycoach.batch import pipeline as batch

    monkeypatch.setattr(batch, "REASONS", 2)
    s = batch.Summary()
    for reason in ["a", "b", "c", "c", "c", "b"]:
        s.failed_with(reason)
    assert s.failed == 6
    assert s.reasons == {"a": 1, "b": 2}  # "c" came when two causes were already counted
    assert s.commonest_failure() == ("b", 2)
    assert batch.Summary(failed=1, reasons={"a": 1}).commonest_failure() is None


def test_jsonl_file_input(run, tmp_path) -> None:
    f = tmp_path / "msgs.jsonl"
    f.write_text(json.dumps({"id": "a", "message": variant(1).decode()}) + "\n")
    r = run("batch", str(f), *BASE)
    assert r.code == 0, r.err
    assert records(r.out)[0]["id"] == "a"


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p / "missing", "{p}/missing: no such file or folder"),
        (
            lambda p: (p / "x.bin").write_bytes(b"\x89PNG\r\n\x1a\nbinary") and p / "x.bin",
            "{p}/x.bin: not an mbox, a JSONL file or an email (give a Maildir or a folder of .eml files)",
        ),
    ],
)
def test_unusable_input_exits_2_before_any_output(run, tmp_path, make, message) -> None:
    good = write_mbox(tmp_path / "good", [variant(1)])
    bad = make(tmp_path)
    r = run("batch", str(good), str(bad), *BASE)
    assert r.code == 2
    assert r.out == ""
    assert r.err == "replycoach: error: " + message.format(p=tmp_path) + "\n"


def test_missing_agent_is_a_usage_error_not_ten_thousand_failures(run, tmp_path) -> None:
    box = write_mbox(tmp_path / "box", [variant(1), variant(2)])
    r = run("batch", str(box), "--now", NOW)
    assert r.code == 2 and r.out == ""
    assert r.err == (
        "replycoach: error: agent: every draft needs the agent's name: give --set agent=NAME "
        "(or REPLYCOACH_AGENT), or --placeholders for visible [[markers]]; "
        'set your name once with: replycoach config set agent "Your Name"\n'
    )


def test_unknown_playbook_stops_before_start(run, tmp_path) -> None:
    box = write_mbox(tmp_path / "box", [variant(1)])
    r = run("batch", str(box), *BASE, "--playbook", "nope")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith("replycoach: error: --playbook: unknown playbook 'nope' (known: ")


def test_backlog_means_playbook_backlog(run, tmp_path) -> None:
    team = tmp_path / "team"
    team.mkdir()
    general = (SAMPLES.parent / "playbooks" / "general.yaml").read_text()
    (team / "backlog.yaml").write_text(
        general.replace("id: general", "id: backlog").replace("detected: true", "detected: false")
    )
    box = write_mbox(tmp_path / "box", [variant(1), variant(2)])
    args = ["batch", str(box), *BASE, "--playbooks", str(team), "--set", "action=look into it"]
    r = run(*args, "--backlog")
    assert r.code == 0, r.err
    got = records(r.out)
    assert [g["playbook"] for g in got] == ["backlog", "backlog"]
    assert [g["deadline"] for g in got] == ["2026-11-23T17:00:00+01:00"] * 2
    same = run(*args, "--playbook", "backlog")
    assert same.out == r.out
    both = run(*args, "--backlog", "--playbook", "general")
    assert both.code == 2
    assert both.err == "replycoach: error: --backlog: --backlog is --playbook backlog; give one of them\n"


def test_out_folder_text_drafts_equal_draft_command(run, tmp_path) -> None:
    box = write_mbox(tmp_path / "inbox", [variant(n) for n in range(3)])
    out = tmp_path / "drafts"
    r = run("batch", str(box), *BASE, "--out", str(out))
    assert r.code == 0, r.err
    assert r.out == ""
    assert sorted(p.name for p in out.iterdir()) == ["inbox.1.txt", "inbox.2.txt", "inbox.3.txt"]
    single = run("draft", "-", "--set", "agent=Sam", "--now", NOW, stdin=variant(1))
    assert (out / "inbox.2.txt").read_text() == single.out
    assert summary(r.err) == (3, 3, 0, 0)
    assert r.err.endswith(f"written to {out}\n")


def test_out_folder_eml_threads_under_each_message(run, tmp_path) -> None:
    box = write_mbox(tmp_path / "inbox", [variant(1)])
    out = tmp_path / "drafts"
    r = run("batch", str(box), *BASE, "--out", str(out), "--format", "eml")
    assert r.code == 0, r.err
    msg = email.message_from_bytes((out / "inbox.1.eml").read_bytes(), policy=policy.default)
    assert msg["In-Reply-To"] == "<m1@mail.example.com>"
    assert msg["Subject"] == "Re: Blender arrived BROKEN - order #50001"


def test_maildir_output_is_drafts_with_threading(run, tmp_path) -> None:
    box = write_mbox(tmp_path / "inbox", [variant(1), variant(2)])
    md = tmp_path / "Drafts"
    r = run("batch", str(box), *BASE, "--maildir", str(md))
    assert r.code == 0, r.err
    assert sorted(p.name for p in (md / "cur").iterdir()) == [
        "replycoach.inbox.1:2,DS",
        "replycoach.inbox.2:2,DS",
    ]
    assert list((md / "new").iterdir()) == [] and list((md / "tmp").iterdir()) == []
    data = (md / "cur" / "replycoach.inbox.2:2,DS").read_bytes()
    assert b"\r\n" not in data
    msg = email.message_from_bytes(data, policy=policy.default)
    assert msg["In-Reply-To"] == "<m2@mail.example.com>"
    assert msg["References"] == "<m2@mail.example.com>"
    assert msg["To"] == "Ana Lopez <ana.lopez@example.com>"
    assert msg.get_content().startswith("Hi Ana,\n")


def test_failures_in_out_mode_are_one_line_each_and_exit_1(run, tmp_path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.eml").write_bytes(variant(1))
    (tmp_path / "in" / "b.txt").write_bytes(b"   \n")
    out = tmp_path / "out"
    r = run("batch", str(tmp_path / "in"), *BASE, "--out", str(out))
    assert r.code == 1
    assert r.err.splitlines()[0] == "replycoach: error: b.txt: empty message"
    assert summary(r.err) == (2, 1, 1, 0)
    assert sorted(p.name for p in out.iterdir()) == ["a.eml.txt"]


def test_unsafe_ids_get_safe_distinct_file_names(run, tmp_path) -> None:
    lines = [json.dumps({"id": i, "message": variant(n).decode()}) for n, i in enumerate(["../x", "a/b", "a_b"])]
    out = tmp_path / "out"
    r = run("batch", "-", *BASE, "--out", str(out), stdin="\n".join(lines))
    assert r.code == 0, r.err
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 3 and "a_b.txt" in names
    assert all("/" not in n and not n.startswith(".") for n in names)
    assert not (tmp_path / "x.txt").exists()


def test_resume_skips_what_is_already_written(run, tmp_path) -> None:
    box = write_mbox(tmp_path / "inbox", [variant(n) for n in range(4)])
    out = tmp_path / "drafts"
    assert run("batch", str(box), *BASE, "--out", str(out)).code == 0
    (out / "inbox.3.txt").unlink()
    (out / "inbox.1.txt").write_text("edited by the agent")
    r = run("batch", str(box), *BASE, "--out", str(out), "--resume")
    assert r.code == 0, r.err
    assert summary(r.err) == (1, 1, 0, 3)
    assert (out / "inbox.3.txt").exists()
    assert (out / "inbox.1.txt").read_text() == "edited by the agent"


def test_ctrl_c_keeps_finished_drafts_and_resume_finishes(run, tmp_path, monkeypatch) -> None:
    from replycoach.batch import pipeline as batch

    box = write_mbox(tmp_path / "inbox", [variant(n) for n in range(5)])
    out = tmp_path / "drafts"
    real = batch.Drafter.payload

    def interrupted(self, item):
        if item.id == "inbox.3":
            raise KeyboardInterrupt
        return real(self, item)

    monkeypatch.setattr(batch.Drafter, "payload", interrupted)
    r = run("batch", str(box), *BASE, "--out", str(out))
    assert r.code == 130
    assert r.err == (
        "replycoach: batch interrupted after 2 message(s): 2 drafted (2 ready, 0 need the agent), 0 failed; stopped before 'inbox.3'; "
        f"finished drafts are kept in {out} (run again with --resume to continue)\n"
    )
    assert sorted(p.name for p in out.iterdir()) == ["inbox.1.txt", "inbox.2.txt"]
    monkeypatch.setattr(batch.Drafter, "payload", real)
    r = run("batch", str(box), *BASE, "--out", str(out), "--resume")
    assert r.code == 0
    assert summary(r.err) == (3, 3, 0, 2)
    assert len(list(out.iterdir())) == 5


def test_one_crashing_message_does_not_stop_the_batch(run, tmp_path, monkeypatch) -> None:
    from replycoach.reply import compose as draft

    real = draft.build

    def flaky(message, *args, **kwargs):
        if "#50001" in message.subject:
            raise ZeroDivisionError("boom")
        return real(message, *args, **kwargs)

    monkeypatch.setattr(draft, "build", flaky)
    box = write_mbox(tmp_path / "inbox", [variant(n) for n in range(3)])
    r = run("batch", str(box), *BASE)
    assert r.code == 1
    got = records(r.out)
    assert [g.get("error") for g in got] == [None, "internal error: ZeroDivisionError: boom", None]


def test_parallel_output_is_in_input_order_and_identical(run, tmp_path) -> None:
    # More messages than one chunk, so several chunks are in flight at once.
    box = write_mbox(tmp_path / "inbox", [variant(n) for n in range(150)])
    serial = run("batch", str(box), *BASE)
    parallel = run("batch", str(box), *BASE, "--jobs", "2")
    assert serial.code == parallel.code == 0
    assert parallel.out == serial.out
    assert [g["id"] for g in records(parallel.out)] == [f"inbox.{n}" for n in range(1, 151)]


def test_option_conflicts_are_usage_errors(run, tmp_path) -> None:
    box = str(write_mbox(tmp_path / "box", [variant(1)]))
    cases = [
        (["--out", "a", "--maildir", "b"], "--maildir: give --out or --maildir, not both"),
        (["--format", "eml"], "--format: --format applies to --out files (stdout is JSONL; --maildir is eml)"),
        (["--resume"], "--resume: --resume needs --out or --maildir (where the finished drafts are)"),
    ]
    for extra, message in cases:
        r = run("batch", box, *BASE, *extra)
        assert (r.code, r.out, r.err) == (2, "", f"replycoach: error: {message}\n")


def test_real_ctrl_c_with_workers_keeps_complete_drafts(tmp_path) -> None:
    import signal
    import subprocess
    import sys
    import time

    box = write_mbox(tmp_path / "inbox", [variant(n) for n in range(3000)])
    out = tmp_path / "drafts"
    proc = subprocess.Popen(
        [sys.executable, "-m", "replycoach", "batch", str(box), *BASE[:-2], "--jobs", "2", "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=ctrl_c_reaches_it,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if out.is_dir() and sum(1 for p in out.iterdir() if p.suffix == ".txt") >= 5:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the batch finished before it could be interrupted")
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    m = re.fullmatch(
        r"replycoach: batch interrupted after (\d+) message\(s\): (\d+) drafted \(\d+ ready, \d+ need the agent\), 0 failed; stopped before 'inbox\.(\d+)'; "
        r"finished drafts are kept in .+ \(run again with --resume to continue\)\n",
        err,
    )
    assert m, err
    done, drafted, next_id = (int(g) for g in m.groups())
    files = sorted(out.iterdir(), key=lambda p: int(p.name.split(".")[1]))
    assert done == drafted == len(files) and next_id == done + 1
    # Every kept draft is whole, and they are exactly the first ones, in order.
    assert [p.name for p in files] == [f"inbox.{n}.txt" for n in range(1, done + 1)]
    assert all(p.read_text().rstrip().endswith("Sam") for p in files)


def test_progress_bar_on_a_terminal(tmp_path) -> None:
    import sys

    pexpect = pytest.importorskip("pexpect")
    box = write_mbox(tmp_path / "inbox", [variant(n) for n in range(60)])
    out = tmp_path / "drafts"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "replycoach", "batch", str(box), *BASE, "--out", str(out)],
        encoding="utf-8",
        timeout=120,
        dimensions=(24, 120),
    )
    child.expect("drafting")
    child.expect("/60")  # count out of the total: the total is known, so there is an ETA
    child.expect("msg/s")
    child.expect(r"replycoach: batch: 60 message\(s\): 60 drafted \(\d+ ready, \d+ need the agent\), 0 failed")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert len(list(out.iterdir())) == 60


def test_unwritable_output_is_one_line_not_a_traceback(run, tmp_path) -> None:
    box = write_mbox(tmp_path / "inbox", [variant(1)])
    out = tmp_path / "drafts"
    out.mkdir()
    (out / "inbox.1.txt").mkdir()  # a folder where the draft file should go
    r = run("batch", str(box), *BASE, "--out", str(out))
    assert r.code == 2
    assert r.err == f"replycoach: error: {out}/inbox.1.txt: --out: cannot write: Is a directory\n"


def test_memory_stays_flat_no_per_message_cache_growth(run, tmp_path, monkeypatch) -> None:
    # Every message used to compile (and keep) its own scenario cue set.
    from replycoach.reading import cuedata as analysis

    monkeypatch.setattr(analysis, "_CACHE", {})
    box = write_mbox(tmp_path / "inbox", [variant(n) for n in range(30)])
    r = run("batch", str(box), *BASE)
    assert r.code == 0
    assert len([k for k in analysis._CACHE if isinstance(k, tuple) and k[0] == "scenario"]) == 1


def test_answers_file_and_sets_apply_to_every_message(run, tmp_path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("settings:\n  agent: Kim\n  company: Example Shop\nsteps:\n  resolve: refund\n")
    box = write_mbox(tmp_path / "inbox", [variant(1), variant(2)])
    r = run("batch", str(box), "--now", NOW, "--jobs", "1", "--answers", str(answers), "--set", "refund_amount=79.99")
    assert r.code == 0, r.err
    got = records(r.out)
    assert [g["choices"]["resolve"] for g in got] == ["refund", "refund"]
    assert all(g["draft"].rstrip().endswith("Kim\n\nExample Shop") for g in got)
    assert all("$79.99" in g["draft"] for g in got)
    bad = run("batch", str(box), "--now", NOW, "--answers", str(tmp_path / "missing.yaml"))
    assert (bad.code, bad.out) == (2, "")
    assert bad.err == f"replycoach: error: {tmp_path}/missing.yaml: no such answers file\n"


def test_history_from_the_log_reaches_every_record_and_the_log_is_opened_once(run, tmp_path, monkeypatch) -> None:
    for n in (90, 91):  # two earlier complaints (two messages) from the sample's sender
        assert run("draft", "--set", "agent=Sam", "--now", NOW, "--log", stdin=variant(n)).code == 0
    box = write_mbox(tmp_path / "in.mbox", [variant(n) for n in range(3)])
    for jobs in ("1", "2"):
        r = run("batch", str(box), *BASE[:-1], jobs)
        assert r.code == 0, r.err
        got = records(r.out)
        assert [g["history"]["complaints"] for g in got] == [2, 2, 2]
        assert [g["customer_type"]["id"] for g in got] == ["chronic"] * 3

    import io

    from replycoach.batch import pipeline as batch
    from replycoach.batch.readers import open_sources
    from replycoach.batch.sinks import StreamSink
    from replycoach.record import store

    opened = []
    real = store.open_store
    monkeypatch.setattr(store, "open_store", lambda *a, **k: opened.append(1) or real(*a, **k))
    sink = StreamSink(io.StringIO(), terminal=False)
    summary = batch.run(open_sources([str(box)]), batch.Options(sets=["agent=Sam"], now=NOW), sink)
    assert (summary.drafted, len(opened)) == (3, 1)
    assert sink.stream.getvalue().count('"complaints": 2') == 3


def test_no_log_means_empty_history_without_looking_per_message(run, tmp_path, monkeypatch) -> None:
    import io

    from replycoach.batch import pipeline as batch
    from replycoach.batch.readers import open_sources
    from replycoach.batch.sinks import StreamSink
    from replycoach.record import store

    asked = []
    real = store.exists
    monkeypatch.setattr(store, "exists", lambda *a: asked.append(1) or real(*a))
    box = write_mbox(tmp_path / "in.mbox", [variant(n) for n in range(4)])
    sink = StreamSink(io.StringIO(), terminal=False)
    summary = batch.run(open_sources([str(box)]), batch.Options(sets=["agent=Sam"], now=NOW), sink)
    assert (summary.drafted, len(asked)) == (4, 1)
    assert [r["history"]["complaints"] for r in records(sink.stream.getvalue())] == [0] * 4


def test_records_say_whether_the_draft_waits_for_the_agent(run, tmp_path) -> None:
    (tmp_path / "a.txt").write_text("My order #77777 arrived broken and I want my $25.00 back.")
    (tmp_path / "b.txt").write_text("My order #77778 arrived broken and I want a refund.")
    (tmp_path / "c.txt").write_bytes(b"\x00\x01")
    r = run("batch", str(tmp_path), *BASE, "--placeholders")
    got = {g["id"]: g["status"] for g in records(r.out)}
    # b.txt gives no amount: the refund waits for the agent's [[refund amount]].
    assert got == {"a.txt": "ready", "b.txt": "needs-agent", "c.txt": "error"}
    assert "3 message(s): 2 drafted (1 ready, 1 need the agent), 1 failed" in r.err
