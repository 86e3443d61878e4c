"""The reply: composing the draft from the reading, the playbook and the answers; deadlines in business time; output formats."""
