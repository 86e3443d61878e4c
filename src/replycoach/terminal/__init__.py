"""The terminal layer: the typer app, the fast start-up path, and the coach, fix, batch and report screens. Thin: parse, call the API, render, map errors."""
