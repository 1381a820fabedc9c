"""End to end: the installed `clientfit` in a real terminal (tmux), typed at like a person."""

from __future__ import annotations

import shlex
import sys
import time
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

from conftest import CLIENTFIT  # noqa: E402


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
    t.send("Tab", "s", "3", "Tab", "Tab")  # the Tab after a pick is the pick's own move
    t.type("45")
    t.send("Tab")
    t.type("Asked for a whole new site [b]free[/b]")
    t.send("Enter")
    t.wait_for_file(sample_file, "whole new site")
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
    t.wait_for("refused: cooling off")
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
    assert (tmp_path / "vi.log").read_text() == "+20"   # [clients.acme] is on line 20
    t.send("q")
    t.wait_for("EXIT=0")


def test_a_fast_burst_of_keys_is_handled_in_order(term_factory, sample_file: Path) -> None:
    """Arrows, Enter, a choice and Enter sent in one go (as a paste or a fast typist over
    SSH sends them): each acts on what the keys before it made current."""
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}")
    t.wait_for("ACME")
    t.send("Down", "Enter", "Down", "Down", "Down", "Enter", "1", "Enter")
    deadline = time.monotonic() + 20
    while True:
        slow = tomllib.loads(sample_file.read_text())["clients"]["slowpay"]["invoices"]
        if "paid" in slow[1]:
            break
        assert time.monotonic() < deadline, t.screen()
        time.sleep(0.1)
    assert "refused" not in t.screen()
    acme = tomllib.loads(sample_file.read_text())["clients"]["acme"]
    assert "offboarding" not in acme and acme["status"] == "watch"
    t.send("q")
    t.wait_for("EXIT=0")


def test_a_data_file_named_log_takes_logs_while_the_app_has_it_open(term_factory,
                                                                   sample_file: Path) -> None:
    """`clientfit --file log` opens the app (it is not a `log` command line): it holds no
    lock, so `clientfit --file log log ...` from another shell writes at once."""
    import shutil
    import subprocess

    folder = sample_file.parent
    shutil.copyfile(sample_file, folder / "log")
    t = term_factory(f"sh -c {shlex.quote(f'cd {shlex.quote(str(folder))} && {CLIENTFIT} --file log')}")
    t.wait_for("ACME")
    r = subprocess.run([CLIENTFIT, "--file", "log", "log", "acme", "from the other shell"],
                       cwd=folder, capture_output=True, text=True, timeout=60,
                       env={"PATH": "/usr/bin:/bin", "HOME": str(folder),
                            "CLIENTFIT_NOW": "2026-11-27T10:00:00"})
    assert r.returncode == 0, r.stderr
    t.wait_for("reloaded")
    t.send("n", "Tab", "o", "Tab", "Tab", "Tab", "Tab")
    t.type("from the app")
    t.send("Enter")
    t.wait_for_file(folder / "log", "from the app")
    t.send("q")
    t.wait_for("EXIT=0")
    notes = [i.get("note") for i in
             tomllib.loads((folder / "log").read_text())["clients"]["acme"]["incidents"]]
    assert notes[-2:] == ["from the other shell", "from the app"]


BURSTS = [
    (("Called about teh", "BSpace", "BSpace", "he logo"), "Called about the logo"),
    (("logo", "Left", "Left", "X", "End", "!"), "loXgo!"),
    (("abc", "Home", "Z", "End", "d"), "Zabcd"),
    (("junk", "C-u", "gecko"), "gecko"),
    (("one two", "C-w", "three"), "one three"),
    (("a-b", "Left", "BSpace", "End", "BSpace", "c"), "ac"),
]


def test_bursts_of_editing_keys_apply_in_order(term_factory, sample_file: Path) -> None:
    """Keys that arrive in one burst (a paste, a slow SSH link) edit a field in the order
    they were typed: Backspace, arrows, Home, End, Ctrl+U and Ctrl+W among letters."""
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}")
    t.wait_for("ACME")
    before = len(tomllib.loads(sample_file.read_text())["clients"]["acme"]["incidents"])
    for n, (keys, _) in enumerate(BURSTS):
        t.send("n")
        t.wait_for("Log an incident")
        t.send("Tab", "o", "1", "Tab", "Tab", "Tab")   # client, kind, severity, note
        t.send(*keys)                                  # one send-keys: one burst
        t.send("Enter")
        deadline = time.monotonic() + 20
        while len(tomllib.loads(sample_file.read_text())["clients"]["acme"]["incidents"]) \
                < before + n + 1:
            assert time.monotonic() < deadline, t.screen()
            time.sleep(0.1)
    t.send("/")
    t.send("xyz", "C-u", "gec")
    s = t.wait_for("1 of 9 clients")
    assert "Gecko Labs" in s and "ACME" not in s
    t.send("Escape")
    deadline = time.monotonic() + 20
    while not t.screen().startswith(" 9 clients"):
        assert time.monotonic() < deadline, t.screen()
        time.sleep(0.1)
    t.send("q")
    t.wait_for("EXIT=0")
    notes = [i.get("note") for i in
             tomllib.loads(sample_file.read_text())["clients"]["acme"]["incidents"][before:]]
    assert notes == [want for _, want in BURSTS]
