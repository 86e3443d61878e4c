"""Checking a reply: rules as data, applied to any reply, the tool's own drafts included."""
