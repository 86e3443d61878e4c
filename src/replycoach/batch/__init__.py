"""Many messages at once: inbox readers, worker processes, ordered output."""
