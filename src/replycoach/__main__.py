"""``python -m replycoach`` and the ``replycoach`` console script."""

from __future__ import annotations

import sys


def main() -> None:
    # ``entry`` serves --help and common drafts from cached artefacts, else runs typer.
    from replycoach.terminal.entry import main as run
    from replycoach.terminal.fast_draft import COMMANDS

    argv = sys.argv[1:]
    one_shot = bool(argv) and argv[0] in COMMANDS
    if one_shot:
        import gc

        # A draft is one message in a process that ends right after: what it allocates
        # (imported modules, cached data, one parse and render) lives until exit. The
        # cycle collector's passes find nothing to free, yet with them (and its sweep at
        # interpreter shutdown, which skips frozen objects) a draft took 1.35x and 1.46x
        # as long (benchmarks/startup.py --against). Reference counting frees everything
        # acyclic as usual; tests/test_startup_imports.py checks the console script's
        # draft is the API's. Long-running commands (batch, coach) and the Python API
        # keep the collector.
        gc.disable()
    code = run(argv)
    if one_shot:
        gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    main()
