"""End to end, in tmux: no colour when NO_COLOR asks; the demo says it is a copy; the
permission warning once; an editor's save said once."""

from __future__ import annotations

import os
import re
import shlex
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

from conftest import CLIENTFIT  # noqa: E402

COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;[25]|48;[25])"
                    r"[;m]")
"""An SGR colour: a foreground or background of the 8/16 colours, 256 or truecolor."""


def screen_with_codes(t) -> str:  # type: ignore[no-untyped-def]
    return t.tmux("capture-pane", "-e", "-p", "-t", "t")


@pytest.mark.parametrize("no_color", [True, False])
def test_no_color_sends_no_colour(term_factory, sample_file: Path, no_color: bool) -> None:
    env = {"NO_COLOR": "1"} if no_color else {}
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", **env)
    t.wait_for("ACME")
    t.send("2")
    t.wait_for("incidents · client")
    t.send("n")
    t.wait_for("Log an incident")
    codes = screen_with_codes(t)
    if no_color:
        assert not COLOUR.search(codes), COLOUR.findall(codes)[:5]
        assert "\x1b[" in codes                 # bold and reverse still mark things
    else:
        assert COLOUR.search(codes)             # the check would see colour if sent
    t.send("Escape")
    deadline = time.monotonic() + 10
    while "Log an incident" in t.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    t.send("q")
    t.wait_for("EXIT=0")


def test_demo_says_it_is_a_temporary_copy(term_factory) -> None:
    t = term_factory(f"{CLIENTFIT} --demo")
    s = t.wait_for("ACME")
    assert "Demo: a temporary copy at /" in s and "clientfit-demo-" in s
    t.send("2")
    assert "Demo: a temporary copy" in t.wait_for("incidents · client")
    t.send("q")
    t.wait_for("EXIT=0")


def test_the_permission_warning_is_said_once(term_factory, sample_file: Path) -> None:
    os.chmod(sample_file, 0o644)
    cmd = f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}"
    t = term_factory(cmd, XDG_CACHE_HOME=str(sample_file.parent / "cache"))
    assert "can be read by other users" in t.wait_for("can be read by other")
    t.send("q")
    t.wait_for("EXIT=0")
    again = term_factory(cmd, XDG_CACHE_HOME=str(sample_file.parent / "cache"))
    again.wait_for("ACME")
    time.sleep(1.5)           # a toast would be up by now; nothing to wait for
    assert "other users" not in again.screen()
    again.send("q")
    again.wait_for("EXIT=0")


def test_an_editors_save_is_said_once(term_factory, sample_file: Path) -> None:
    """An editor's save can reach the disk as two changes a second apart (the text, then
    a rename or a mode): one "reloaded", not two."""
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}")
    t.wait_for("ACME")
    text = sample_file.read_text()
    sample_file.write_text(text.replace("ACME Corp", "ACME Corporation", 1))
    t.wait_for("ACME Corporation")
    assert "reloaded" in t.screen()
    time.sleep(0.5)
    sample_file.write_text(text.replace("ACME Corp", "ACME Corporation", 1) + "# saved\n")
    seen = 0
    deadline = time.monotonic() + 2.5
    while time.monotonic() < deadline:
        seen = max(seen, t.screen().count("reloaded"))
        time.sleep(0.1)
    assert seen == 1
    t.send("q")
    t.wait_for("EXIT=0")


@pytest.mark.parametrize("size", [(80, 24), (40, 12)], ids=["80x24", "40x12"])
def test_log_then_find_and_read_the_note(term_factory, sample_file: Path,
                                         size: tuple[int, int]) -> None:
    """Log without quotes at a day's name, then find the note in the app with a burst of
    keys (a typo taken back included) and read it whole."""
    import subprocess

    r = subprocess.run([CLIENTFIT, "--file", str(sample_file), "log", "gecko", "Asked", "for",
                        "a", "whole", "extra", "language,", "for", "free", "--at", "wed 21:30",
                        "--minutes", "1h30"], capture_output=True, text=True, timeout=60,
                       env={**os.environ, "CLIENTFIT_NOW": "2026-11-27T10:00:00"})
    assert r.returncode == 0, r.stderr
    assert "at 2026-11-25 21:30" in r.stdout            # last Wednesday, not next
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", size)
    t.wait_for("ACME")
    t.send("2")
    t.wait_for("incidents · client")
    t.send("/")
    t.type("langauge")
    t.send("BSpace", "BSpace", "BSpace", "BSpace")
    t.type("uage")
    s = t.wait_for(" 4 incidents ·")                    # the search is done
    assert s.startswith(" 4 incidents") and "Asked for" in s
    t.send("Enter")
    t.send("v")
    s = t.wait_for("for free")
    assert "90 min" in s
    t.send("Escape")
    deadline = time.monotonic() + 10
    while "copies the note" in t.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    t.send("q")
    t.wait_for("EXIT=0")


def test_a_search_then_enter_then_a_key_in_one_burst(term_factory, sample_file: Path) -> None:
    """The key after Enter acts on the list (it was typed into the box)."""
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}")
    t.wait_for("ACME")
    t.send("2", "/", "l", "o", "g", "o", "Enter", "v")
    s = t.wait_for("copies the note")
    assert "logo" in s and "logov" not in s
    t.send("Escape")
    deadline = time.monotonic() + 10
    while "copies the note" in t.screen() and time.monotonic() < deadline:
        time.sleep(0.1)
    t.send("1", "/", "a", "c", "m", "Enter", "Enter")       # the client filter too
    t.wait_for("ACME Corp (watch)")
