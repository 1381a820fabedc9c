"""Keys that arrive in one burst (over SSH they come together) land where they were typed
for, in every dialog: a focus move (Tab, Shift+Tab, a picker's pick, Enter on a field
that is not the last) takes effect before the next key of the burst is routed, and a
key that opens a dialog opens it before the next one. A burst is posted to the app's
queue all at once, as the terminal's reader does (Pilot's `press` waits between keys)."""

from __future__ import annotations

import asyncio
import tomllib
from pathlib import Path

import pytest
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input

from clientfit_tui.app.app import ClientfitApp
from clientfit_tui.app.clients import ClientsScreen
from clientfit_tui.app.widgets import RowTable
from test_app import NOW, drive

CHARS = {"tab": "\t", "enter": "\r", "shift+tab": None, "escape": "\x1b"}


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)


@pytest.fixture(params=["en", "es"])
def lang(request: pytest.FixtureRequest) -> str:
    if request.param == "es":
        request.getfixturevalue("spanish")
    return str(request.param)


def burst(app: ClientfitApp, *keys: str) -> None:
    """Post `keys` (key names, or single characters) to the app at once."""
    for k in keys:
        if k in CHARS:
            app.post_message(events.Key(k, CHARS[k]))
        else:
            assert len(k) == 1
            app.post_message(events.Key(_character_to_key(k), k))


def data(path: Path) -> dict:
    return tomllib.loads(path.read_text())["clients"]


async def settle(app: ClientfitApp, pilot: Pilot[int], done) -> None:
    """Wait until `done()`, then until the app has taken in what it wrote (its screens
    redrawn from it: the next step is computed from it)."""
    for _ in range(100):
        await pilot.pause(0.05)
        if done():
            await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
            await pilot.pause()
            return
    said = [n.message for n in app._notifications]
    shown = [str(w.render()) for w in app.screen.query("Static")]
    shown += [f"{w.id}={w.value!r}" for w in app.screen.query("Input")]
    raise AssertionError(f"never done; the screen is {app.screen}; said {said}; shows {shown}")


async def checklist_of(app: ClientfitApp, pilot: Pilot[int], cid: str) -> RowTable:
    """Open `cid`'s checklist; its list of steps."""
    listing = app.screen.query_one(RowTable)
    listing.cursor = listing.keys.index(cid)
    await pilot.press("enter")
    return app.screen.query_one(RowTable)


async def do_step(app: ClientfitApp, pilot: Pilot[int], path: Path, table: RowTable,
                  sid: str, *keys: str) -> None:
    """Enter on step `sid`, then `keys`, in one burst; wait until the client changed."""
    cid = app.screen.client_id  # type: ignore[attr-defined]
    before = str(data(path)[cid])
    table.cursor = table.keys.index(sid)
    burst(app, "enter", *keys)
    await settle(app, pilot, lambda: str(data(path)[cid]) != before)


def test_review_tab_then_the_note(sample_file: Path, lang: str) -> None:
    """r, Tab, "Tercera", Enter in one burst: a review kept, its note whole."""
    before = len(data(sample_file)["acme"]["reviews"])

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "r", "tab", *"Tercera", "enter")
        await settle(app, pilot, lambda: len(data(sample_file)["acme"]["reviews"]) > before)

    drive(sample_file, script)
    last = data(sample_file)["acme"]["reviews"][-1]
    assert (last["outcome"], last["note"]) == ("keep", "Tercera")


def test_review_pick_shift_tab_and_back(sample_file: Path, lang: str) -> None:
    """A pick moves on; Shift+Tab goes back to the picker and Tab to the note, with the
    letters after each in the right place."""
    keep = "k" if lang == "en" else "s"
    before = len(data(sample_file)["bluebird"].get("reviews", []))

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("/", *"bluebird", "enter")
        await pilot.pause()
        burst(app, "r", keep, *"uno", "shift+tab", "tab", *" dos", "shift+tab", keep,
              *" tres", "enter")
        await settle(app, pilot,
                     lambda: len(data(sample_file)["bluebird"].get("reviews", [])) > before)

    drive(sample_file, script)
    last = data(sample_file)["bluebird"]["reviews"][-1]
    assert (last["outcome"], last["note"]) == ("keep", "uno dos tres")


def test_a_tab_after_a_pick_stays_on_the_note(sample_file: Path, lang: str) -> None:
    """A pick already moves on to the note: the Tab typed after it (as the hint says)
    stays there, so the note's letters never reach the picker and flip the outcome."""
    keep = "k" if lang == "en" else "s"
    before = len(data(sample_file)["acme"]["reviews"])

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "r", keep, "tab", *"otra vez", "enter")
        await settle(app, pilot, lambda: len(data(sample_file)["acme"]["reviews"]) > before)

    drive(sample_file, script)
    last = data(sample_file)["acme"]["reviews"][-1]
    assert (last["outcome"], last["note"]) == ("keep", "otra vez")


def test_a_tab_after_the_meeting_pick_stays_on_when(sample_file: Path, lang: str) -> None:
    """Step 8: the way picked, Tab, the moment typed: all of it lands where it was meant."""
    phone = "p" if lang == "en" else "t"

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        table = await checklist_of(app, pilot, "slowpay")
        off = lambda: data(sample_file)["slowpay"]["offboarding"]  # noqa: E731
        for sid, keys in (("invoices", ("1", "enter")), ("invoices", ("1", "enter")),
                          ("referral", (*"an agency", "enter"))):
            await do_step(app, pilot, sample_file, table, sid, *keys)
        table.cursor = table.keys.index("meeting")
        burst(app, "enter", phone, "tab", *"2026-11-26 17:00", "enter")
        await settle(app, pilot, lambda: "told" in off())

    drive(sample_file, script)
    off = data(sample_file)["slowpay"]["offboarding"]
    assert off["meeting"] == "phone"
    assert str(off["told"]).startswith("2026-11-26")


def test_keys_typed_before_the_next_question_wait_for_it(sample_file: Path, lang: str) -> None:
    """Step 8 out of turn asks why, writes it, then asks how: the keys for the second
    question, typed in the same burst as the first answer, wait for it (never reaching
    the checklist under it, where letters are commands)."""
    phone = "p" if lang == "en" else "t"

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        table = await checklist_of(app, pilot, "slowpay")
        for _ in range(2):
            await do_step(app, pilot, sample_file, table, "invoices", "1", "enter")
        table.cursor = table.keys.index("meeting")
        burst(app, "enter", *"Prisa", "enter", phone, "tab", *"2026-11-26 17:00", "enter")
        await settle(app, pilot, lambda: "told" in data(sample_file)["slowpay"]["offboarding"])

    drive(sample_file, script)
    off = data(sample_file)["slowpay"]["offboarding"]
    assert (off["told_early"], off["meeting"]) == ("Prisa", "phone")
    assert str(off["told"]).startswith("2026-11-26 17:00")


def test_a_picker_typed_as_any_field_letter_then_tab(sample_file: Path, lang: str) -> None:
    """The form habit: a letter picks, Tab leaves the picker; the pick's own move on
    and that Tab are one move, so nothing lands a field too far."""
    before = len(data(sample_file)["acme"]["incidents"])

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "n", "tab", "d", "tab", "3", "tab", "tab", "tab", *"Me grito", "enter")
        await settle(app, pilot, lambda: len(data(sample_file)["acme"]["incidents"]) > before)
        burst(app, "n", "tab", "s", "tab", "2", "tab", *"2026-11-26 22:10", "tab", *"30",
              "tab", *"Otra vez", "enter")
        await settle(app, pilot,
                     lambda: len(data(sample_file)["acme"]["incidents"]) > before + 1)

    drive(sample_file, script)
    first, second = data(sample_file)["acme"]["incidents"][-2:]
    assert (first["kind"], first["severity"], first["note"]) == ("disrespect", 3, "Me grito")
    assert str(first["at"]) == "2026-11-27 10:00:00"          # now, not the 3rd
    assert (second["kind"], second["severity"], second["minutes"], second["note"]) == (
        "scope-creep", 2, 30, "Otra vez")
    assert str(second["at"]) == "2026-11-26 22:10:00"


def test_add_client_letter_then_tab(sample_file: Path, lang: str) -> None:
    watch = "w" if lang == "en" else "b"

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "a", *"nube", "tab", *"Nube Azul", "tab", watch, "tab", *"2026-12-01",
              "tab", *"3500", "enter")
        await settle(app, pilot, lambda: "nube" in data(sample_file))

    drive(sample_file, script)
    c = data(sample_file)["nube"]
    assert (c["status"], str(c["since"]), c["revenue"]) == ("watch", "2026-12-01", 3500)


def test_two_steps_in_one_burst(sample_file: Path, lang: str) -> None:
    """Two invoices marked paid in one burst: the second question is made once the first
    answer is written (else its "1" would be the invoice just paid)."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        table = await checklist_of(app, pilot, "slowpay")
        table.cursor = table.keys.index("invoices")
        burst(app, "enter", "1", "enter", "enter", "1", "enter")
        await settle(app, pilot, lambda: all(
            "paid" in i for i in data(sample_file)["slowpay"]["invoices"]))

    drive(sample_file, script)


def test_a_client_typed_in_the_burst_is_the_one_saved(sample_file: Path, lang: str) -> None:
    """The client's name, the fields and Enter in one burst: the incident is the typed
    client's (the match is made from what the field holds at the save), and its kind is
    suggested from the When typed."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "n", *"pixel", "tab", "tab", "tab", *"2026-11-27 10:00", "tab", "tab",
              *"c1", "enter")
        await settle(app, pilot, lambda: any(
            i.get("note") == "c1" for i in data(sample_file)["pixel-fox"]["incidents"]))
        burst(app, "n", *"zzzq", "tab", "tab", "tab", "tab", "tab", *"c2", "enter")
        await pilot.pause(0.5)
        assert "zzzq" in app.screen.query_one("#client", Input).value  # refused: stays

    drive(sample_file, script)
    got = next(i for i in data(sample_file)["pixel-fox"]["incidents"] if i.get("note") == "c1")
    assert got["kind"] == "other"  # Friday 10:00 is inside work hours
    assert not any(i.get("note") in ("c1", "c2") for i in data(sample_file)["acme"]["incidents"])


def test_keys_after_a_save_act_on_the_list_without_a_crash(sample_file: Path,
                                                           lang: str) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "n", "tab", "tab", "tab", "tab", "tab", *"q", "enter", "3", "enter", "3",
              "enter")
        await settle(app, pilot, lambda: any(
            i.get("note") == "q" for i in data(sample_file)["acme"]["incidents"]))
        await pilot.pause(0.5)
        assert app.is_running and app.return_code is None

    drive(sample_file, script)


def test_a_note_typed_on_the_review_picker_is_the_note(sample_file: Path, lang: str) -> None:
    """`r` then a note at once (no pick, no Tab): the note whole, the outcome unchanged
    (its letters never pick: "fine for now" has an e, "por ahora todo bien" a t)."""
    note = "fine for now" if lang == "en" else "por ahora todo bien"
    before = len(data(sample_file)["acme"]["reviews"])

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "r", *note, "enter")
        await settle(app, pilot, lambda: len(data(sample_file)["acme"]["reviews"]) > before)

    drive(sample_file, script)
    last = data(sample_file)["acme"]["reviews"][-1]
    assert (last["outcome"], last["note"]) == ("keep", note)


def test_add_client_letter_then_enter(sample_file: Path, lang: str) -> None:
    """Enter moves on as Tab does; right after a pick it is that pick's move too."""
    watch = "w" if lang == "en" else "b"

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "a", *"newtwo", "enter", *"New Two", "enter", watch, "enter",
              *"2026-01-15", "enter", *"3500", "enter")
        await settle(app, pilot, lambda: "newtwo" in data(sample_file))

    drive(sample_file, script)
    c = data(sample_file)["newtwo"]
    assert (c["status"], str(c["since"]), c["revenue"]) == ("watch", "2026-01-15", 3500)


def test_tab_stops_at_the_last_field(sample_file: Path, lang: str) -> None:
    """Tab on the last field stays: no wrap round to the picker, whose keys the letters
    after it would be; Shift+Tab goes round, to the note."""
    keep = "k" if lang == "en" else "s"
    before = len(data(sample_file)["acme"]["reviews"])

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "r", "shift+tab", *"uno", "shift+tab", keep, "tab", "tab", "tab",
              *" otra vez", "enter")
        await settle(app, pilot, lambda: len(data(sample_file)["acme"]["reviews"]) > before)

    drive(sample_file, script)
    last = data(sample_file)["acme"]["reviews"][-1]
    assert (last["outcome"], last["note"]) == ("keep", "uno otra vez")


def test_quick_entry_in_one_burst(sample_file: Path, lang: str) -> None:
    before = len(data(sample_file)["acme"]["incidents"])

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "n", "tab", "v", "tab", "2", "enter", "enter", "1", "5", "tab", *"Tercera",
              "shift+tab", "0", "tab", *" vez", "enter")
        await settle(app, pilot, lambda: len(data(sample_file)["acme"]["incidents"]) > before)

    drive(sample_file, script)
    last = data(sample_file)["acme"]["incidents"][-1]
    assert (last["kind"], last["severity"], last["minutes"], last["note"]) == (
        "vague-feedback", 2, 150, "Tercera vez")


def test_add_client_in_one_burst(sample_file: Path, lang: str) -> None:
    watch = "w" if lang == "en" else "b"

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "a", *"panaderia", "tab", *"Panaderia Sol", "tab", watch, *"2026-01-05",
              "tab", *"1200", "enter")
        await settle(app, pilot, lambda: "panaderia" in data(sample_file))

    drive(sample_file, script)
    c = data(sample_file)["panaderia"]
    assert (c["name"], c["status"], c["revenue"]) == ("Panaderia Sol", "watch", 1200)
    assert str(c["since"]) == "2026-01-05"


def test_delete_confirmed_in_one_burst(sample_file: Path, lang: str) -> None:
    yes = "y" if lang == "en" else "s"
    before = len(data(sample_file)["acme"]["incidents"])

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        burst(app, "2", "x", yes)
        await settle(app, pilot, lambda: len(data(sample_file)["acme"]["incidents"]) < before)
        burst(app, "x", "n")
        await pilot.pause(0.3)
        assert not isinstance(app.screen, ClientsScreen)

    drive(sample_file, script)
    assert len(data(sample_file)["acme"]["incidents"]) == before - 1
