"""README.es.md: the Spanish README says what README.md says, and its commands work."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
README_ES = (ROOT / "README.es.md").read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    m = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert m, heading
    return m.group(1)


def commands(block: str) -> list[str]:
    """The command lines of the first ```sh block, without their comments."""
    m = re.search(r"```sh\n(.*?)```", block, re.S)
    assert m
    return [line for line in m.group(1).splitlines() if line and not line.startswith("#")]


def test_the_readmes_link_each_other() -> None:
    assert "[Español](README.es.md)" in README.split("\n## ")[0]
    assert "[English](README.md)" in README_ES.split("\n## ")[0]
    assert "## Languages" in README


def test_the_spanish_quick_start_is_the_same_two_commands() -> None:
    en = commands(section(README, "Quick start"))
    assert len(en) == 2
    assert commands(section(README_ES, "Para empezar")) == en


def test_the_everyday_commands_of_the_spanish_readme_work(tmp_path: Path) -> None:
    """Each line of "El día a día", in Spanish, on a copy of the Spanish sample."""
    data = tmp_path / "clients.toml"
    shutil.copyfile(ROOT / "sample.es.toml", data)
    os.chmod(data, 0o600)
    env = {**os.environ, "CLIENTFIT_FILE": str(data), "CLIENTFIT_NOW": "2026-11-27T10:00:00",
           "LANG": "es_ES.UTF-8"}
    lines = commands(section(README_ES, "El día a día"))
    ran = set()
    for line in lines:
        args = shlex.split(line, comments=True)
        assert args[0] == "clientfit", line
        if len(args) == 1:
            continue  # the app
        if ">" in args:
            args = args[:args.index(">")]
        r = subprocess.run([sys.executable, "-m", "clientfit_tui", *args[1:]], cwd=tmp_path,
                           capture_output=True, text=True, timeout=60, env=env)
        assert r.returncode == (3 if args[1] == "decide" else 0), f"{line}\n{r.stdout}{r.stderr}"
        ran.add(args[1])
    assert ran == {"log", "status", "due", "decide", "script", "report"}
