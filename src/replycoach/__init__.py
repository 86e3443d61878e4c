"""replycoach: a command-line reply coach for customer-support agents.

The public Python API mirrors the CLI's JSON output::

    import replycoach
    replycoach.analyze_text(raw_email_bytes)        # = replycoach analyze --format json
    replycoach.draft_text(text, customer_type="aggressive", answers={...})
    replycoach.check_text(reply, message=None)      # list of findings

Importing this package is cheap: the API functions load their modules on first use.
"""

from __future__ import annotations

from replycoach.foundation.version import __version__

TYPE_CHECKING = False  # typing is not imported: `import replycoach` must stay cheap

__all__ = ["ReplycoachError", "__version__", "analyze_text", "check_text", "draft_text"]

if TYPE_CHECKING:
    from replycoach.api import analyze_text, check_text, draft_text
    from replycoach.foundation.errors import ReplycoachError


def __getattr__(name: str) -> object:
    if name in {"analyze_text", "draft_text", "check_text"}:
        from replycoach import api

        return getattr(api, name)
    if name == "ReplycoachError":
        from replycoach.foundation.errors import ReplycoachError

        return ReplycoachError
    raise AttributeError(f"module 'replycoach' has no attribute {name!r}")
