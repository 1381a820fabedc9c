"""End to end: the installed `clientfit` in a real terminal (tmux), typed at like a person."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import tomllib
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

TMUX = shutil.which("tmux")
CLIENTFIT = str(Path(sys.executable).parent / "clientfit")
NOW = "2026-11-27T10:00:00"


class Term:
    """One tmux server and session running a command."""

    def __init__(self, command: str, size: tuple[int, int], env: dict[str, str]) -> None:
        self.socket = f"cf-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
        # a clean environment, as a login would give: nothing of the test run leaks in
        # (COLUMNS and LINES, for one, would override the pane's real size)
        script = f"env -i {exports} {command}; echo EXIT=$?; sleep 30"
        self.tmux("new-session", "-d", "-s", "t", "-x", str(size[0]), "-y", str(size[1]), script)

    def tmux(self, *args: str) -> str:
        assert TMUX is not None
        r = subprocess.run([TMUX, "-L", self.socket, "-f", "/dev/null", *args],
                           capture_output=True, text=True, timeout=30)
        return r.stdout

    def send(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", "t", *keys)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", "t", "-l", text)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", "t")

    def wait_for(self, text: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            s = self.screen()
            if text in s:
                return s
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} never appeared; the screen was:\n{s}")
            time.sleep(0.1)

    def alternate_screen(self) -> bool:
        return self.tmux("display-message", "-p", "-t", "t", "#{alternate_on}").strip() == "1"

    def close(self) -> None:
        self.tmux("kill-server")


@pytest.fixture
def term_factory() -> Iterator:
    if TMUX is None:
        pytest.skip("tmux is not installed (apt-get install tmux); .ci/run installs it")
    made: list[Term] = []

    def make(command: str, size: tuple[int, int] = (80, 24), **env: str) -> Term:
        t = Term(command, size, {"CLIENTFIT_NOW": NOW, "HOME": os.environ["HOME"],
                                 "PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8",
                                 "TERM": "xterm-256color", **env})
        made.append(t)
        return t
    yield make
    for t in made:
        t.close()


@pytest.mark.parametrize(("size", "env"), [
    ((80, 24), {"TERM": "xterm-256color"}),
    ((80, 24), {"TERM": "xterm"}),
    ((80, 24), {"TERM": "screen"}),
    ((80, 24), {"TERM": "linux", "NO_COLOR": "1"}),
    ((40, 12), {"TERM": "xterm-256color"}),
], ids=["xterm-256color", "xterm", "screen", "linux-no-color", "40x12"])
def test_log_an_incident_and_quit(term_factory, sample_file: Path, size: tuple[int, int],
                                  env: dict[str, str]) -> None:
    """Open the app, log an incident from the keyboard, quit with q: it is in the file."""
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", size, **env)
    t.wait_for("ACME")
    t.send("n")
    t.wait_for("Log an incident")
    t.send("s", "3", "Tab")
    t.type("45")
    t.send("Tab")
    t.type("Asked for a whole new site [b]free[/b]")
    t.send("Enter")
    deadline = time.monotonic() + 20
    while "whole new site" not in sample_file.read_text():
        assert time.monotonic() < deadline, t.screen()
        time.sleep(0.1)
    t.send("q")
    t.wait_for("EXIT=0")
    assert not t.alternate_screen(), "the terminal was not restored"
    inc = tomllib.loads(sample_file.read_text())["clients"]["acme"]["incidents"][-1]
    assert inc == {"at": inc["at"], "kind": "scope-creep", "severity": 3, "minutes": 45,
                   "note": "Asked for a whole new site [b]free[/b]"}


def test_demo_shows_every_state(term_factory) -> None:
    """--demo: a client cooling off (live countdown), one mid-offboarding, instinct, Pareto."""
    t = term_factory(f"{CLIENTFIT} --demo")
    s = t.wait_for("ACME")
    assert "2d 13h" in s                        # acme: cooling off, counting down
    assert "offboarding" in s and "P!$" in s    # slowpay mid-offboarding; marks
    t.send("Enter")
    t.wait_for("listen to your instincts")
    t.send("d")
    t.wait_for("Refused: cooling off")
    t.send("q")
    t.wait_for("EXIT=0")


def test_editor_round_trip(term_factory, sample_file: Path, tmp_path: Path) -> None:
    """e opens $EDITOR at the client's line; a valid edit is reloaded, an invalid one shown."""
    editor = tmp_path / "vi"   # a stand-in that takes +LINE as vi does
    editor.write_text(
        f"#!{sys.executable}\n"
        "import sys, pathlib\n"
        "line, path = sys.argv[1], pathlib.Path(sys.argv[2])\n"
        "pathlib.Path(sys.argv[0]).with_suffix('.log').write_text(line)\n"
        "t = path.read_text()\n"
        "path.write_text(t.replace('name = \"ACME Corp\"', 'name = \"ACME Edited\"'))\n")
    editor.chmod(0o755)
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", EDITOR=str(editor))
    t.wait_for("ACME Corp")
    t.send("e")
    t.wait_for("ACME Edited")
    assert (tmp_path / "vi.log").read_text() == "+18"   # [clients.acme] is on line 18
    t.send("q")
    t.wait_for("EXIT=0")
