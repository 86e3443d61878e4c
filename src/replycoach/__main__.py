"""``python -m replycoach`` and the ``replycoach`` console script."""

from __future__ import annotations

import sys


def main() -> None:
    # ``entry`` serves --help and common drafts from cached artefacts, else runs typer.
    from .entry import main as run

    sys.exit(run(sys.argv[1:]))


if __name__ == "__main__":
    main()
