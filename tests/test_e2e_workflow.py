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
