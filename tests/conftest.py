"""Shared fixtures: every test runs away from the user's real data and cache."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from clientfit_tui.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample.toml"


@pytest.fixture(autouse=True)
def no_user_files(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the user's data file, cache, keys, templates and editor out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for var in ("CLIENTFIT_FILE", "CLIENTFIT_NOW", "EDITOR", "VISUAL", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.setenv("CLIENTFIT_SETTLE", "0")
    # English unless a test asks for Spanish (the `spanish` fixture), whatever the
    # machine's locale; subprocesses inherit it.
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    set_language("en")


@pytest.fixture
def spanish(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Speak Spanish, in this process and in the subprocesses it starts."""
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    set_language("es")
    yield
    set_language("en")


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    """A private copy of the bundled sample."""
    p = tmp_path / "clients.toml"
    shutil.copyfile(SAMPLE, p)
    os.chmod(p, 0o600)
    return p


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

    def wait_for_file(self, path: Path, text: str, timeout: float = 20.0) -> None:
        """Wait until the app has saved `text` into the data file."""
        deadline = time.monotonic() + timeout
        while text not in path.read_text():
            assert time.monotonic() < deadline, f"{text!r} never saved; the screen:\n{self.screen()}"
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


