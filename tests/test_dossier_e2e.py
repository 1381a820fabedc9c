"""The meeting prepared in a real terminal: the client page, the script, and its copy
reaching the terminal's clipboard by OSC 52 (tmux keeps what it receives as a buffer)."""

from __future__ import annotations

import shlex
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

from conftest import CLIENTFIT  # noqa: E402


def test_prepare_the_meeting_and_copy_the_confirmation(term_factory, sample_file: Path) -> None:  # type: ignore[no-untyped-def]
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}")
    t.tmux("set", "-g", "set-clipboard", "on")
    t.wait_for("Slowpay")
    t.send("Down")
    t.send("i")
    t.wait_for("Trouble per month")
    t.send("c")
    t.wait_for("Review the contract")
    t.send("s")
    s = t.wait_for("TALKING POINTS: Slowpay Logistics")
    assert "never by email" in s
    t.send("m")
    deadline = time.monotonic() + 20
    while "Hello Bob Grant," not in (buffer := t.tmux("show-buffer")):
        assert time.monotonic() < deadline, f"nothing copied; the screen:\n{t.screen()}"
        time.sleep(0.1)
    assert buffer.startswith("WRITTEN CONFIRMATION")
    assert "- My last day of work for Slowpay Logistics is 2026-12-27." in buffer
    t.send("Escape")
    t.wait_for("Do step")
    t.send("q")
    t.wait_for("EXIT=0")
