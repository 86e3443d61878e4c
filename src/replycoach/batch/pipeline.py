"""``replycoach batch``: a whole inbox in, one draft (or one error record) per message out.

Inputs are streamed, never loaded whole: an mbox is split as it is read, a Maildir or
a folder of ``.eml``/``.txt`` files is read one file at a time, JSONL one line at a
time. Messages travel to worker processes in small chunks with a bounded number of
chunks in flight, so memory stays flat however large the inbox, and results are
written in input order as soon as the chunk at the head of the queue is done.

A message that fails becomes an error record and the batch goes on; only an input
that cannot be read at all (a missing path, a file that is no mailbox) stops the
batch before it starts. Nothing here prints: the CLI renders progress and summary.
"""

from __future__ import annotations

import os
import re
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from replycoach.foundation.errors import InputError, ReplycoachError, UsageError

CHUNK = 64  # messages per task: amortises inter-process overhead, keeps latency low
CHUNK_BYTES = 256 * 1024
REASONS = 64  # distinct error messages counted for the summary


# --- reading the inputs ------------------------------------------------------------------


@dataclass(slots=True)
class Item:
    """One message to draft: ``raw`` is None when it could not even be read."""

    id: str
    source: str
    raw: bytes | None
    error: str | None = None


@dataclass(slots=True)
class Source:
    """One INPUT argument, already checked to be usable."""

    path: str  # "-" for standard input
    kind: str  # mbox | maildir | dir | jsonl | eml
    name: str = ""

    def items(self) -> Iterator[Item]:
        if self.kind == "maildir":
            return _maildir_items(self)
        if self.kind == "dir":
            return _dir_items(self)
        if self.kind == "eml":
            return _eml_item(self)
        return _stream_items(self)

    def count(self) -> int | None:
        """How many messages, when that is cheap to know (for the progress bar's ETA)."""
        if self.path == "-":
            return None
        if self.kind == "maildir":
            return sum(1 for _ in _maildir_files(Path(self.path)))
        if self.kind == "dir":
            return sum(1 for _ in _dir_files(Path(self.path)))
        if self.kind == "eml":
            return 1
        with open(self.path, "rb") as fh:
            return _count_stream(fh, self.kind)


def open_sources(paths: list[str]) -> list[Source]:
    """Check every INPUT before anything is drafted: an unusable one is exit 2."""
    if not paths:
        raise UsageError("give at least one INPUT (mbox, Maildir, folder of .eml, JSONL, or - for stdin)")
    sources = []
    for path in paths:
        if path == "-":
            sources.append(Source("-", "stdin", "stdin"))
            continue
        p = Path(path)
        if p.is_dir():
            if all((p / sub).is_dir() for sub in ("cur", "new")):
                sources.append(Source(path, "maildir", p.name))
            else:
                sources.append(Source(path, "dir", p.name))
            continue
        try:
            with open(p, "rb") as fh:
                head = fh.read(8192)
        except FileNotFoundError:
            raise InputError("no such file or folder", file=path) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror}", file=path) from None
        sources.append(Source(path, _sniff(head, path), p.name))
    return sources


def _sniff(head: bytes, path: str) -> str:
    from replycoach.message import looks_like_email

    if head.startswith(b"From "):
        return "mbox"
    if head.lstrip().startswith(b"{") or path.endswith((".jsonl", ".ndjson")):
        return "jsonl"
    if not head.strip():
        return "mbox"  # an empty mailbox: nothing to do, and that is fine
    if looks_like_email(head) or path.endswith((".eml", ".txt")):
        return "eml"
    raise InputError("not an mbox, a JSONL file or an email (give a Maildir or a folder of .eml files)", file=path)


def _stream_items(source: Source) -> Iterator[Item]:
    if source.path == "-":
        import sys

        stream = sys.stdin.buffer if hasattr(sys.stdin, "buffer") else None
        if stream is None:
            raise InputError("standard input is closed", file="<stdin>")
        yield from _stream_kind(stream, source)
        return
    with open(source.path, "rb") as fh:
        yield from _stream_kind(fh, source)


def _stream_kind(fh: BinaryIO, source: Source) -> Iterator[Item]:
    head = b""
    kind = source.kind
    if kind == "stdin":
        # Standard input is JSONL unless it starts like an mbox.
        head = fh.readline()
        kind = "mbox" if head.startswith(b"From ") else "jsonl"
    if kind == "mbox":
        for n, raw in enumerate(_mbox_split(fh, head), 1):
            yield Item(f"{source.name}.{n}", source.path, raw)
    else:
        yield from _jsonl_items(_chain(head, fh), source)


def _chain(first: bytes, rest: Iterable[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


# An envelope line: "From sender date", the date with a time of day (as mutt's is_from
# checks); a body line such as "From the start, ..." never has one. Before the first
# message any such line starts one; after it, only one that follows a blank line.
_ENVELOPE = rb"From \S+ [^\n]*\b\d{1,2}:\d\d"
_FIRST_SEPARATOR = re.compile(rb"(?m)^(?=" + _ENVELOPE + rb")")
_SEPARATOR = re.compile(rb"\n\r?\n(?=" + _ENVELOPE + rb")")
_QUOTED_FROM = re.compile(rb"(?m)^>(?=>*From )")
_BLOCK = 1 << 20


def _mbox_split(fh: BinaryIO, head: bytes = b"") -> Iterator[bytes]:
    """Messages of an mbox stream (``head``, then the rest of ``fh``), without the
    ``From `` separator lines and the blank line before each.

    A ``From `` line separates messages only when it looks like an envelope line and,
    after the first, follows a blank line (a body line starting with "From " that a
    sloppy writer did not quote stays in the body); ``>From `` quoting is undone
    (mboxrd). Read in 1 MiB blocks and searched in C: splitting line by line in Python
    cost the parent process ~35 us a message, CPU the workers need.
    """
    buf = head
    eof = False
    start = -1  # where the current message's text begins; -1 until the first separator
    scan = 0  # where the search for the next separator resumes
    while not eof:
        more = fh.read(_BLOCK)
        eof = not more
        buf += more
        # Only whole lines are searched, so a separator line is never seen cut in two.
        limit = len(buf) if eof else buf.rfind(b"\n") + 1
        if start < 0:
            first = _FIRST_SEPARATOR.search(buf, scan, limit)
            if first is None:
                buf, scan = buf[limit:], 0  # junk before the first message
                continue
            start, scan = _after_line(buf, first.start())
        while True:
            m = _SEPARATOR.search(buf, scan, limit)
            if m is None:
                break
            yield _unquote(buf[start : m.start() + 1])
            start, scan = _after_line(buf, m.end())
        if not eof:
            # The search resumes where a "\n\r\n" just before the limit could begin.
            scan = max(scan, limit - 3)
            cut = min(start, scan)
            if cut > _BLOCK:  # what lies before is yielded: keep the buffer small
                buf, start, scan = buf[cut:], start - cut, scan - cut
    if start >= 0:
        rest = buf[start:]
        if rest == b"\n" or rest.endswith(b"\n\n"):
            rest = rest[:-1]  # the blank line of a separator that never came
        elif rest == b"\r\n" or rest.endswith(b"\n\r\n"):
            rest = rest[:-2]
        yield _unquote(rest)


def _after_line(buf: bytes, at: int) -> tuple[int, int]:
    """(where the text after the separator line at ``at`` begins, where the next search
    starts: on that line's own newline, which a following blank line completes)."""
    eol = buf.find(b"\n", at)
    if eol < 0:
        return len(buf), len(buf)
    return eol + 1, eol


def _unquote(raw: bytes) -> bytes:
    return _QUOTED_FROM.sub(b"", raw) if b">From " in raw else raw


def _jsonl_items(lines: Iterable[bytes], source: Source) -> Iterator[Item]:
    import json

    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fallback = f"{source.name}.{n}"
        try:
            record = json.loads(line)
        except ValueError as exc:
            yield Item(fallback, f"{source.path}:{n}", None, f"not a JSON object: {exc.msg}")
            continue
        if not isinstance(record, dict):
            yield Item(fallback, f"{source.path}:{n}", None, 'expected an object like {"id": ..., "message": ...}')
            continue
        ident = record.get("id")
        ident = fallback if ident is None or ident == "" else str(ident)
        message = record.get("message")
        if not isinstance(message, str):
            yield Item(ident, f"{source.path}:{n}", None, 'missing "message" (the raw email or text, as a string)')
            continue
        yield Item(ident, f"{source.path}:{n}", message.encode("utf-8", errors="surrogatepass"))


def _count_stream(fh: BinaryIO, kind: str) -> int:
    sep = b"\n\nFrom " if kind == "mbox" else b"\n"
    carry = b"\n\n" if kind == "mbox" else b""  # the file start counts as "after a blank line"
    count = 0
    last = b""
    for block in iter(lambda: fh.read(1 << 20), b""):
        data = carry + block
        count += data.count(sep)
        carry = data[-(len(sep) - 1) :] if len(sep) > 1 else b""
        last = block
    if kind != "mbox" and last and not last.endswith(b"\n"):
        count += 1  # a last JSONL line without its newline
    return count


def _maildir_files(root: Path) -> Iterator[Path]:
    for sub in ("new", "cur"):
        folder = root / sub
        # Sorted names keep the order (and so the ids) stable from run to run.
        for name in sorted(os.listdir(folder)):
            if not name.startswith("."):
                yield folder / name


def _maildir_items(source: Source) -> Iterator[Item]:
    for path in _maildir_files(Path(source.path)):
        yield _read_item(path.name.split(":", 1)[0], path)


def _dir_files(root: Path) -> Iterator[Path]:
    for name in sorted(os.listdir(root)):
        if name.endswith((".eml", ".txt")) and not name.startswith("."):
            path = root / name
            if path.is_file():
                yield path


def _dir_items(source: Source) -> Iterator[Item]:
    for path in _dir_files(Path(source.path)):
        yield _read_item(path.name, path)


def _eml_item(source: Source) -> Iterator[Item]:
    yield _read_item(source.name, Path(source.path))


def _read_item(ident: str, path: Path) -> Item:
    try:
        return Item(ident, str(path), path.read_bytes())
    except OSError as exc:
        return Item(ident, str(path), None, f"cannot read: {exc.strerror}")


# --- drafting one message ------------------------------------------------------------------


@dataclass
class Options:
    """What applies to every message (plain data: it is sent to worker processes)."""

    playbook: str | None = None
    customer_type: str | None = None
    answers: str | None = None
    sets: list[str] = field(default_factory=list)
    placeholders: bool = False
    lang: str | None = None
    now: str | None = None
    playbooks: list[str] = field(default_factory=list)
    fmt: str = "jsonl"  # jsonl (records on stdout), or a file format: text | json | md | eml
    sender: str | None = None


class Drafter:
    """Everything shared by all messages, prepared once per process."""

    def __init__(self, options: Options) -> None:
        from replycoach.playbook.answers import collect_answers
        from replycoach.playbook.registry import load_registry
        from replycoach.reply.deadline import as_datetime as _now

        answers = collect_answers(
            options.answers, options.sets, playbook=options.playbook, customer_type=options.customer_type
        )
        self.registry = load_registry(tuple(options.playbooks))
        if answers.playbook:
            self.registry.get(answers.playbook)  # an unknown id stops the batch before it starts
        agent = answers.settings.get("agent") or os.environ.get("REPLYCOACH_AGENT")
        if not str(agent or "").strip() and not options.placeholders:
            raise UsageError(
                "every draft needs the agent's name: give --set agent=NAME (or REPLYCOACH_AGENT), "
                "or --placeholders for visible [[markers]]",
                field="agent",
            )
        self.answers = answers
        self.options = options
        self.now = _now(options.now)
        from replycoach.checking.checker import load_rules

        self.rules = load_rules()  # once: per message, stamping ~50 rule files cost ~0.2 ms
        self._log: Any = None
        self._log_pid = -1

    def history_log(self) -> Any:
        """The complaint log every message's history is read from: whether there is one
        is asked once, and one that exists is opened once, per process (a connection must
        not cross a fork). Asking and opening per message cost ~40 us without a log and
        a connection plus a migration check with one. ``False``: there is no log."""
        pid = os.getpid()
        if self._log_pid != pid:
            from replycoach.record import store

            self._log_pid, self._log = pid, False
            if store.exists(None):
                try:
                    self._log = store.open_store(None)
                except ReplycoachError:
                    self._log = None  # each message's history then carries the error, as in draft
        return self._log

    def close(self) -> None:
        log, self._log = self._log, None
        if log and self._log_pid == os.getpid():
            log.close()

    def draft(self, raw: bytes) -> dict[str, Any]:
        """The same result as ``api.draft_text`` with the same options (tests compare them)."""
        from replycoach.message import parse_message
        from replycoach.reply.compose import analyse, build

        message = parse_message(raw)
        answers = self.answers
        analysis = analyse(
            message,
            self.registry,
            playbook=answers.playbook,
            customer_type=answers.customer_type,
            language=self.options.lang or answers.language,
            db=self.history_log(),
            clock=self.now,
        )
        return build(
            message,
            self.registry,
            analysis,
            answers,
            placeholders=self.options.placeholders,
            now=self.now,
            rules=self.rules,
        )

    def payload(self, item: Item) -> tuple[bool, str | bytes]:
        """(True, what to write: a JSONL line or the file's bytes), or (False, the error)."""
        try:
            if item.raw is None:
                raise InputError(item.error or "unreadable")
            return True, self.render(item, self.draft(item.raw))
        except ReplycoachError as exc:
            return False, str(exc)
        except RecursionError:
            return False, "message nested too deeply"
        except Exception as exc:  # a bug on one message must not lose the other thousands
            return False, f"internal error: {type(exc).__name__}: {exc}"

    def render(self, item: Item, result: dict[str, Any]) -> str | bytes:
        fmt = self.options.fmt
        # A draft still holding a [[marker]] waits for the agent; it is never "ready".
        result["status"] = "needs-agent" if "[[" in result["draft"] else "ready"
        if fmt == "jsonl":
            return jsonl_record(item, result)
        from replycoach.reply import formats as output

        if fmt == "eml":
            return output.draft_email(result, self.options.sender)
        if fmt == "json":
            return output.to_json(result).encode("utf-8")
        if fmt == "md":
            return output.draft_markdown(result).encode("utf-8")
        return result["draft"].encode("utf-8")


_ENCODE: Callable[[Any], str] | None = None


def _encode(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False)`` from one encoder for the process:
    ``dumps`` builds a new ``JSONEncoder`` per call when given options. Results are
    trees built fresh for each message, so the encoder's cycle check (a dict of the
    id of every container on the way down) is left out; a cycle would be a bug, and
    would still fail the message (RecursionError) instead of hanging."""
    global _ENCODE
    if _ENCODE is None:
        import json

        _ENCODE = json.JSONEncoder(ensure_ascii=False, check_circular=False).encode
    return _ENCODE(value)


def jsonl_record(item: Item, result: dict[str, Any]) -> str:
    """``json.dumps({"id": item.id, "source": item.source, **result}, ensure_ascii=False)``
    and a newline, without copying ``result`` into a new dict: the two leading keys
    are encoded on their own and joined to the result's own object."""
    if not result or "id" in result or "source" in result:  # the plain form keeps its key order
        return _encode({"id": item.id, "source": item.source, **result}) + "\n"
    return f'{{"id": {_encode(item.id)}, "source": {_encode(item.source)}, {_encode(result)[1:]}\n'


def needs_agent(payload: str | bytes) -> bool:
    """Whether a written draft waits for the agent: the status its JSON carries, or a
    [[marker]] in a plain draft file."""
    data = payload.encode("utf-8") if isinstance(payload, str) else payload
    if data.startswith(b"{"):
        return b'"status": "needs-agent"' in data
    return b"[[" in data


def error_record(item: Item, message: str) -> str:
    """The JSONL line for a message that could not be drafted."""
    import json

    return (
        json.dumps({"id": item.id, "source": item.source, "status": "error", "error": message}, ensure_ascii=False)
        + "\n"
    )


# --- where the results go ------------------------------------------------------------------


_UNSAFE = re.compile(r"[^A-Za-z0-9._@+=-]")


def file_stem(ident: str) -> str:
    """A file name for an id: the id itself when it is safe, else a cleaned copy plus a
    checksum of the id so two different ids never share a file."""
    safe = _UNSAFE.sub("_", ident).lstrip(".")[:150]
    if safe == ident:
        return safe
    return f"{safe}~{zlib.crc32(ident.encode('utf-8', errors='surrogatepass')):08x}"


class Sink:
    """Writes one result; knows which ids are already written (for ``--resume``)."""

    where = "standard output"

    def written(self, ident: str) -> bool:
        return False

    def write(self, item: Item, ok: bool, payload: str | bytes) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        pass


class StreamSink(Sink):
    """JSONL records on a text stream; error records go there too."""

    def __init__(self, stream: Any, *, terminal: bool) -> None:
        self.stream = stream
        self.terminal = terminal

    def write(self, item: Item, ok: bool, payload: str | bytes) -> None:
        assert isinstance(payload, str)
        if not ok:
            payload = error_record(item, payload)
        if self.terminal:
            from replycoach.reply.formats import terminal_safe

            payload = terminal_safe(payload[:-1]) + "\n"
        self.stream.write(payload)

    def close(self) -> None:
        self.stream.flush()


class DirSink(Sink):
    """One file per draft in a folder; written atomically so an interrupted batch
    never leaves half a draft that ``--resume`` would take for a finished one."""

    def __init__(self, folder: str, fmt: str) -> None:
        self.folder = Path(folder)
        self.suffix = "." + {"text": "txt"}.get(fmt, fmt)
        self.where = folder
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the output folder: {exc.strerror}", file=folder, field="--out") from None

    def path(self, ident: str) -> Path:
        return self.folder / (file_stem(ident) + self.suffix)

    def written(self, ident: str) -> bool:
        return self.path(ident).exists()

    def write(self, item: Item, ok: bool, payload: str | bytes) -> None:
        if not ok:
            return
        assert isinstance(payload, bytes)
        target = self.path(item.id)
        tmp = target.with_name(f".{target.name}.tmp")
        try:
            tmp.write_bytes(payload)
            os.replace(tmp, target)
        except OSError as exc:  # a full disk stops the batch with one line, not a traceback
            raise UsageError(f"cannot write: {exc.strerror}", file=str(target), field="--out") from None


class MaildirSink(Sink):
    """Replies delivered as drafts into a Maildir folder (``cur/``, flags ``DS``), the
    way mail clients store drafts: written in ``tmp/`` and renamed into place.

    File names derive from the message id, so ``--resume`` finds earlier drafts even
    after a mail client renamed them to change their flags.
    """

    def __init__(self, folder: str) -> None:
        self.root = Path(folder)
        self.where = folder
        try:
            for sub in ("tmp", "new", "cur"):
                (self.root / sub).mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"cannot create the Maildir: {exc.strerror}", file=folder, field="--maildir") from None
        self._existing: set[str] | None = None

    def written(self, ident: str) -> bool:
        if self._existing is None:
            self._existing = {name.split(":", 1)[0] for sub in ("cur", "new") for name in os.listdir(self.root / sub)}
        return self.key(ident) in self._existing

    @staticmethod
    def key(ident: str) -> str:
        return "replycoach." + file_stem(ident).replace(":", "_")

    def write(self, item: Item, ok: bool, payload: str | bytes) -> None:
        if not ok:
            return
        assert isinstance(payload, bytes)
        key = self.key(item.id)
        tmp = self.root / "tmp" / key
        try:
            tmp.write_bytes(payload.replace(b"\r\n", b"\n"))  # Maildir files use the local line ending
            os.replace(tmp, self.root / "cur" / f"{key}:2,DS")
        except OSError as exc:
            raise UsageError(f"cannot write: {exc.strerror}", file=str(tmp), field="--maildir") from None


# --- running the batch ---------------------------------------------------------------------


@dataclass
class Summary:
    total: int = 0
    drafted: int = 0  # ready and needs-agent together; failed ones are the "error" records
    needs_agent: int = 0
    failed: int = 0
    skipped: int = 0
    interrupted: bool = False
    stopped_before: str | None = None  # the first id not written when interrupted
    last_written: str | None = None
    where: str = ""
    # How many failures each error message had (at most REASONS distinct ones, so memory
    # stays flat when every message fails its own way): one cause failing most of a
    # batch, such as an answer every draft needs, is named once in the summary.
    reasons: dict[str, int] = field(default_factory=dict)

    def failed_with(self, reason: str) -> None:
        self.failed += 1
        if reason in self.reasons or len(self.reasons) < REASONS:
            self.reasons[reason] = self.reasons.get(reason, 0) + 1

    def commonest_failure(self) -> tuple[str, int] | None:
        """The error message most failures share, and how many: None unless two or more do."""
        if not self.reasons:
            return None
        reason = max(self.reasons, key=self.reasons.__getitem__)  # the first seen on a tie
        return (reason, self.reasons[reason]) if self.reasons[reason] > 1 else None

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed else 0


@dataclass(slots=True)
class Event:
    """Reported after each message is written (progress bar, error lines)."""

    item_id: str
    ok: bool
    error: str | None
    skipped: bool = False


_WORKER: Drafter | None = None
# Set in each worker process: freeze what its first chunk leaves alive (see _worker_chunk).
_FREEZE_PENDING = False


def _worker_init(options: Options) -> None:
    import signal

    global _WORKER, _FREEZE_PENDING
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
    if _WORKER is None or _WORKER.options != options:  # forked children inherit a warm one
        _WORKER = Drafter(options)
    _FREEZE_PENDING = True


def _worker_chunk(items: list[tuple[str, str, bytes | None, str | None]]) -> list[tuple[bool, str | bytes]]:
    """Drafts a chunk sent as plain tuples: pickle writes and reads a tuple in C, but a
    slotted dataclass through Python-level state calls (~1.5 us a message across the
    two processes)."""
    global _FREEZE_PENDING
    assert _WORKER is not None
    payload = _WORKER.payload
    results = [payload(Item(*fields)) for fields in items]
    if _FREEZE_PENDING:
        # After the first chunk a worker holds what it keeps for good: playbooks, rules,
        # compiled regexes and templates, the analysis caches (~33,000 objects), which
        # every older-generation pass of the cycle collector walked again (gen-2 passes
        # ~16 -> ~7 us a message; 0.5% fewer instructions in all, worker_freeze.py
        # under callgrind). Frozen, the collector skips them; reference counting still
        # frees whatever of them is let go. Only in worker processes: freezing a
        # caller's heap is not the library's to do.
        import gc

        _FREEZE_PENDING = False
        gc.collect()  # this chunk's cyclic garbage is freed, not frozen
        gc.freeze()
    return results


def _chunks(items: Iterator[Item]) -> Iterator[list[Item]]:
    chunk: list[Item] = []
    size = 0
    for item in items:
        chunk.append(item)
        size += len(item.raw or b"")
        if len(chunk) >= CHUNK or size >= CHUNK_BYTES:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def run(
    sources: list[Source],
    options: Options,
    sink: Sink,
    *,
    jobs: int = 1,
    resume: bool = False,
    report: Callable[[Event], None] | None = None,
) -> Summary:
    """Draft every message of ``sources`` into ``sink``, in input order.

    Ctrl-C (``KeyboardInterrupt``) stops the batch cleanly: every draft already finished
    is written, and the summary names the first message that was not.
    """
    global _WORKER
    summary = Summary(where=sink.where)
    drafter = Drafter(options)  # option errors surface here, before any message is read
    _WORKER = drafter

    def todo() -> Iterator[Item]:
        for source in sources:
            for item in source.items():
                if resume and sink.written(item.id):
                    summary.skipped += 1
                    if report:
                        report(Event(item.id, True, None, skipped=True))
                    continue
                yield item

    def emit(item: Item, ok: bool, payload: str | bytes) -> None:
        sink.write(item, ok, payload)
        summary.last_written = item.id
        summary.total += 1
        if ok:
            summary.drafted += 1
            if needs_agent(payload):
                summary.needs_agent += 1
        else:
            summary.failed_with(str(payload))
        if report:
            report(Event(item.id, ok, None if ok else str(payload)))

    pending: deque[_Task] = deque()
    current: list[Item] = []
    try:
        if jobs <= 1:
            for item in todo():
                current = [item]
                ok, payload = drafter.payload(item)
                with interrupts_deferred():
                    emit(item, ok, payload)
                    current = []
        else:
            _run_parallel(todo(), options, jobs, pending, emit)
    except KeyboardInterrupt:
        summary.interrupted = True
        # Chunks that finished before the interrupt are written, in order.
        while pending and pending[0].future.done() and not pending[0].future.cancelled():
            try:
                _drain_one(pending, emit)
            except Exception:
                break
        if pending:
            task = pending[0]
            summary.stopped_before = task.chunk[task.emitted].id
        elif current:
            summary.stopped_before = current[0].id
    finally:
        sink.close()
        drafter.close()
    return summary


def _run_parallel(
    items: Iterator[Item],
    options: Options,
    jobs: int,
    pending: deque[_Task],
    emit: Callable[[Item, bool, str | bytes], None],
) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork: children start with the parent's warm caches (playbooks, compiled regexes).
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    context = multiprocessing.get_context(method)
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_worker_init, initargs=(options,))
    window = 2 * jobs + 1  # bounded: memory stays flat, workers never starve
    try:
        for chunk in _chunks(items):
            fields = [(it.id, it.source, it.raw, it.error) for it in chunk]
            pending.append(_Task(chunk, executor.submit(_worker_chunk, fields)))
            while len(pending) > window or (pending and pending[0].future.done()):
                _drain_one(pending, emit)
        while pending:
            _drain_one(pending, emit)
    except BaseException:  # Ctrl-C, a closed pipe, a full disk: stop the workers at once
        for task in pending:
            task.future.cancel()
        # Results still being computed would not be written anyway; without this the exit
        # waits for each worker to finish its chunk. (Python 3.14 names it terminate_workers.)
        workers = list((getattr(executor, "_processes", None) or {}).values())
        # The call queue's feeder thread may be blocked writing the next chunk into a pipe
        # that no (terminated) worker will read; at exit multiprocessing joins that thread
        # and the process would hang for ever. The unsent chunks are not wanted anyway.
        # (Taken before shutdown(), which drops the executor's reference to it.)
        call_queue = getattr(executor, "_call_queue", None)
        if call_queue is not None:
            call_queue.cancel_join_thread()
        manager = getattr(executor, "_executor_manager_thread", None)
        executor.shutdown(wait=False, cancel_futures=True)
        for worker in workers:
            worker.terminate()
        # Let the manager thread see the dead workers and close its wake-up pipe now: at
        # exit, CPython 3.11's concurrent.futures otherwise races that close and prints an
        # "OSError: Bad file descriptor" traceback under the interrupt message.
        if manager is not None:
            manager.join(timeout=10)
        raise
    executor.shutdown(wait=True)


@dataclass(slots=True)
class _Task:
    """A chunk sent to a worker, and how many of its results are already written."""

    chunk: list[Item]
    future: Any
    emitted: int = 0


def _drain_one(pending: deque[_Task], emit: Callable[[Item, bool, str | bytes], None]) -> None:
    task = pending[0]
    results = task.future.result()
    # Written and counted, or neither: a Ctrl-C waits until the chunk is out (blocking
    # it once a chunk, not once a message: two system calls a message cost ~1.5 us).
    # Counted as it goes, so an error mid-chunk still knows where it stopped.
    with interrupts_deferred():
        while task.emitted < len(task.chunk):
            ok, payload = results[task.emitted]
            emit(task.chunk[task.emitted], ok, payload)
            task.emitted += 1
    pending.popleft()


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C (SIGINT) until the block is done; it is delivered right after.

    A KeyboardInterrupt between writing a draft and counting it would make the
    interrupt handler write (and count) the same message again."""
    import signal
    import threading

    if not hasattr(signal, "pthread_sigmask") or threading.current_thread() is not threading.main_thread():
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def cpu_count() -> int:
    """CPUs this process may use (a container or ``taskset`` may allow fewer than exist)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def count(sources: list[Source]) -> int | None:
    """Messages in all sources, or None when one of them cannot be counted cheaply."""
    total = 0
    for source in sources:
        n = source.count()
        if n is None:
            return None
        total += n
    return total
