"""Bursts in a real terminal (tmux): each `send` is one burst, as keys arrive over SSH."""

from __future__ import annotations

import shlex
import time
import tomllib
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

from conftest import CLIENTFIT  # noqa: E402


def reviews(path: Path, cid: str) -> list[dict]:
    return tomllib.loads(path.read_text())["clients"][cid].get("reviews", [])


@pytest.mark.parametrize(("lang", "title", "keep"), [("C.UTF-8", "Outcome?", "k"),
                                                     ("es_ES.UTF-8", "¿Resultado?", "s")])
def test_review_tab_then_the_note_in_one_burst(term_factory, sample_file: Path, lang: str,
                                               title: str, keep: str) -> None:
    """`r`, then Tab and the note in one burst: the note whole (not "rcera"), the outcome
    unchanged; then a pick, Shift+Tab, Tab and letters in one burst; then a pick and the
    Tab the hint asks for (the pick has moved on already: the Tab stays on the note)."""
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", LANG=lang)
    t.wait_for("ACME")
    before = len(reviews(sample_file, "acme"))
    for n, (keys, note) in enumerate([(("Tab", "Tercera"), "Tercera"),
                                      ((keep, "uno", "BTab", "Tab", " dos"), "uno dos"),
                                      ((keep, "Tab", "otra vez"), "otra vez")]):
        t.send("r")
        t.wait_for(title)
        t.send(*keys)
        t.send("Enter")
        deadline = time.monotonic() + 20
        while len(reviews(sample_file, "acme")) < before + n + 1:
            assert time.monotonic() < deadline, t.screen()
            time.sleep(0.1)
        last = reviews(sample_file, "acme")[-1]
        assert (last["outcome"], last.get("note")) == ("keep", note), t.screen()
        t.wait_for("ACME")
    t.send("q")
    t.wait_for("EXIT=0")


def test_esc_esc_then_a_new_entry_typed_fast(term_factory, sample_file: Path) -> None:
    """Esc Esc typed fast reaches the app as Escape and Alt+(next key): the second Esc
    still discards, and the next key is its own (no note "abcndef")."""
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", LANG="C.UTF-8")
    t.wait_for("ACME")
    t.send("n")
    t.wait_for("Log an incident")
    t.send("Tab", "Tab", "Tab", "Tab", "Tab", "abc", "Escape", "Escape", "n")
    t.wait_for("Log an incident")
    t.send("Tab", "Tab", "Tab", "Tab", "Tab", "def", "Enter")
    t.wait_for_file(sample_file, 'note = "def"')
    text = sample_file.read_text()
    assert "abc" not in text, t.screen()
    t.send("q")
    t.wait_for("EXIT=0")
