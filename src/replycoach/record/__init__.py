"""The record (Diagnose): the complaint log's storage and migrations, what is logged, the sender's history, follow-ups and the team report."""
