"""``python -m replycoach`` and the ``replycoach`` console script."""

from __future__ import annotations

import sys


def main() -> None:
    # ``entry`` serves --help and common drafts from cached artefacts, else runs typer.
    from replycoach.terminal.entry import FAST_COMMANDS
    from replycoach.terminal.entry import main as run

    argv = sys.argv[1:]
    one_shot = bool(argv) and argv[0] in FAST_COMMANDS
    if one_shot:
        import gc

        # A draft is one message in a process that ends right after: what it allocates
        # (imported modules, cached data, one parse and render) lives until exit. The
        # cycle collector's passes found nothing to free yet cost ~8 ms of each run, and
        # its sweep at interpreter shutdown ~10 ms more; frozen objects are skipped
        # there. Reference counting frees everything acyclic as usual. Long-running
        # commands (batch, coach) and the Python API keep the collector.
        gc.disable()
    code = run(argv)
    if one_shot:
        gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    main()
