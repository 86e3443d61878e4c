"""The README's command examples run as written on a fresh machine after one ``config set``.

Every ``replycoach …`` (and ``cat samples/… | replycoach …``) line of the README's ``sh``
blocks that names only files the repository has (or an earlier example writes) runs in a
fresh home, in order, and exits 0."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Lines that stand for the reader's own files, folders or shell set-up.
PLACEHOLDERS = ("~/", "inbox.mbox", "exported-emls/", "tickets.json", "team/", ">> ~", "echo ", ".venv/")


def examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.S):
        for line in block.splitlines():
            line = re.sub(r"\s+#(?![^\"']*[\"'][^\"']*$).*$", "", line).strip()  # a trailing comment
            if not re.match(r"^(replycoach |cat samples/)", line) or any(p in line for p in PLACEHOLDERS):
                continue
            lines.append(line)
    return lines


def test_readme_examples_run_as_written(tmp_path: Path) -> None:
    found = examples()
    assert len(found) >= 15, found
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    wrapper = bin_dir / "replycoach"
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH={ROOT / "src"} exec {sys.executable} -m replycoach "$@"\n')
    wrapper.chmod(0o755)
    work = tmp_path / "clone"
    work.mkdir()
    (work / "samples").symlink_to(ROOT / "samples")
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / ".config"),
        "REPLYCOACH_HOME": str(tmp_path / "home" / "data"),
    }
    setup = subprocess.run(["replycoach", "config", "set", "agent", "Sam Lee"], cwd=work, env=env, capture_output=True)
    assert setup.returncode == 0, setup.stderr
    for line in found:
        p = subprocess.run(["bash", "-c", line], cwd=work, env=env, capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, f"{line}\n{p.stderr}"
