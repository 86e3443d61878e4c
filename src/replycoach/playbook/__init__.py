"""Playbooks and answers: the YAML library of what to ask and offer per scenario, and the agent's answers to it."""
