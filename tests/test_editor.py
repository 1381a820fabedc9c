"""$EDITOR as a person meets it: missing, failing, hanging, killed with the app around it."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import CLIENTFIT

pytestmark = pytest.mark.e2e


def fake_editor(folder: Path, body: str, name: str = "vi") -> Path:
    """An editor stand-in that takes +LINE as vi does and records it."""
    p = folder / name
    p.write_text(f"#!{sys.executable}\n"
                 "import sys, pathlib, time\n"
                 "line, path = sys.argv[1], pathlib.Path(sys.argv[2])\n"
                 "pathlib.Path(sys.argv[0]).with_suffix('.log').write_text(line)\n" + body)
    p.chmod(0o755)
    return p


def app_pid(t) -> int:
    """The app's process id (the pane runs `sh -c '...; echo EXIT=$?'`)."""
    shell = int(t.tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())
    out = subprocess.run(["ps", "-ww", "-o", "pid=,args=", "--ppid", str(shell)], capture_output=True,
                         text=True).stdout
    for row in out.splitlines():
        pid, _, args = row.strip().partition(" ")
        if "clientfit" in args:
            return int(pid)
    raise AssertionError(out)


@pytest.mark.parametrize("editor", ["nosuchedit", "nosuchedit --wait", "'unclosed"])
def test_a_missing_editor_is_said_and_the_app_goes_on(term_factory, sample_file: Path,
                                                      editor: str) -> None:
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", EDITOR=editor)
    t.wait_for("ACME")
    t.send("e")
    s = t.wait_for("editor")
    assert "not found" in s or "cannot read" in s
    t.send("2")                                      # the app still takes keys
    t.wait_for("incidents ·")
    t.send("q")
    t.wait_for("EXIT=0")


def test_a_failing_editor_gives_the_terminal_back(term_factory, sample_file: Path,
                                                   tmp_path: Path) -> None:
    ed = fake_editor(tmp_path, "sys.exit(3)\n")
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", EDITOR=str(ed))
    t.wait_for("ACME")
    t.send("e")
    t.wait_for("exited with status 3")
    assert t.alternate_screen()
    t.send("2")
    t.wait_for("incidents ·")
    t.send("q")
    t.wait_for("EXIT=0")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_a_signal_ends_the_app_while_the_editor_runs(term_factory, sample_file: Path,
                                                     tmp_path: Path, sig: int) -> None:
    """A dropped SSH link (HUP) or a kill (TERM) while the editor is open ends the app,
    and the editor with it, even an editor that ignores SIGTERM."""
    ed = fake_editor(tmp_path, "import signal\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
                     "pathlib.Path(sys.argv[0]).with_suffix('.up').write_text('x')\n"
                     "time.sleep(600)\n")
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", EDITOR=str(ed))
    t.wait_for("ACME")
    pid = app_pid(t)
    t.send("e")
    deadline = time.monotonic() + 20
    while not (tmp_path / "vi.up").exists():
        assert time.monotonic() < deadline, t.screen()
        time.sleep(0.1)
    os.kill(pid, sig)
    t.wait_for("EXIT=", timeout=30)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


def test_e_on_a_broken_file_opens_at_its_first_error(term_factory, sample_file: Path,
                                                     tmp_path: Path) -> None:
    ed = fake_editor(tmp_path, "")
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", EDITOR=str(ed))
    t.wait_for("ACME")
    text = sample_file.read_text()
    sample_file.write_text(text.replace('name = "Bluebird Studio"', 'name = 3', 1)
                           if 'name = "Bluebird Studio"' in text else text + "\n[oops\n")
    t.wait_for("read-only")
    bad = subprocess.run([CLIENTFIT, "--file", str(sample_file), "check"], capture_output=True,
                         text=True).stderr.splitlines()[0]
    line = bad.split(":")[-3] if bad.count(":") >= 3 else ""
    t.send("e")
    deadline = time.monotonic() + 20
    while not (tmp_path / "vi.log").exists():
        assert time.monotonic() < deadline, t.screen()
        time.sleep(0.1)
    assert (tmp_path / "vi.log").read_text() == f"+{line}", bad
    t.send("q")
    t.wait_for("EXIT=0")
