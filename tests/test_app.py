"""The app, driven with Textual's Pilot: each screen and flow, checked on screen and on disk."""

from __future__ import annotations

import asyncio
import io
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from rich.console import Console
from textual.pilot import Pilot

from clientfit_tui.app.app import ClientfitApp, HelpScreen
from clientfit_tui.app.checklist import ChecklistScreen
from clientfit_tui.app.clients import ClientsScreen
from clientfit_tui.app.incident_dialog import IncidentDialog
from clientfit_tui.app.incidents import IncidentsScreen
from clientfit_tui.app.questions import Confirm
from clientfit_tui.app.widgets import RowTable
from clientfit_tui.store.store import Store

NOW = "2026-11-27T10:00:00"


def drive(path: Path, script: Callable[[ClientfitApp, Pilot[int]], Awaitable[None]],
          size: tuple[int, int] = (80, 24), poll_interval: float = 0.1) -> ClientfitApp:
    """Open the app on `path`, wait until the file is loaded, run `script`, close it."""
    async def main() -> ClientfitApp:
        app = ClientfitApp(Store(path), poll_interval=poll_interval)
        async with app.run_test(size=size) as pilot:
            for _ in range(200):
                if app.loaded:
                    break
                await pilot.pause(0.05)
            assert app.loaded
            await pilot.pause()
            await script(app, pilot)
        return app
    return asyncio.run(main())


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)


def rows(app: ClientfitApp) -> list[str]:
    table = app.screen.query_one(RowTable)
    return [" ".join(str(c) for c in r) for r in table.rows]


def plain(renderable: object, width: int = 100) -> str:
    """What a Rich renderable shows, as plain text."""
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def incidents(path: Path, cid: str) -> list[dict]:
    return tomllib.loads(path.read_text())["clients"][cid].get("incidents", [])


def test_client_list_shows_the_evidence(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        assert isinstance(app.screen, ClientsScreen)
        first = rows(app)[0]
        assert first.startswith("ACME Corp watch 3 13 57 1140")
        assert "2d 13h" in first and "P!$" in first
    drive(sample_file, script)


def test_log_an_incident_in_a_few_keys(sample_file: Path) -> None:
    """n, Tab (the selected client), kind by one key, severity, note, Enter: saved beside
    the client's incidents."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("n")
        assert isinstance(app.screen, IncidentDialog)
        await pilot.press("tab", "v", "2", "tab", "tab", "1", "5", "tab", *"Not quite it, again",
                          "enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
    n = len(incidents(sample_file, "acme"))
    drive(sample_file, script)
    inc = incidents(sample_file, "acme")
    assert len(inc) == n + 1
    assert inc[-1]["kind"] == "vague-feedback" and inc[-1]["severity"] == 2
    assert inc[-1]["minutes"] == 15 and inc[-1]["note"] == "Not quite it, again"


def test_quick_entry_picks_a_client_by_fuzzy_match(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("2")
        assert isinstance(app.screen, IncidentsScreen)
        await pilot.press("n")
        await pilot.press(*"pxfx", "tab", "d", "3", "tab", "tab", "tab", *"rude", "enter")
        await pilot.pause()
    drive(sample_file, script)
    assert incidents(sample_file, "pixel-fox")[-1]["kind"] == "disrespect"


def test_after_hours_is_suggested_from_the_time(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("n")
        dialog = app.screen
        assert dialog.query_one("#kind").value == "other"  # 10:00 on a Friday
        await pilot.press("tab", "tab", "tab", "ctrl+u", *"2026-11-28 23:00")
        await pilot.pause()
        assert dialog.query_one("#kind").value == "after-hours"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
    drive(sample_file, script)


def test_decide_refused_in_cooling_off_then_allowed(sample_file: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    async def refused(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("enter")
        assert isinstance(app.screen, ChecklistScreen)
        assert "decision unlocks in 2d 13h" in rows(app)[0]
        await pilot.press("d")
        await pilot.pause()
        assert not isinstance(app.screen, Confirm)
        assert any("refused: cooling off until 2026-11-29 23:14" in n.message
                   for n in app._notifications)
    drive(sample_file, refused)
    assert "offboarding" not in tomllib.loads(sample_file.read_text())["clients"]["acme"]

    monkeypatch.setenv("CLIENTFIT_NOW", "2026-11-29T23:15:00")

    async def allowed(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("enter", "d")
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert rows(app)[0].startswith("[x] Decide")
    drive(sample_file, allowed)
    acme = tomllib.loads(sample_file.read_text())["clients"]["acme"]
    assert acme["status"] == "offboarding" and "decided" in acme["offboarding"]


def test_complete_a_checklist(sample_file: Path) -> None:
    """Walk slowpay through every step: pay, reason kept, referral, meeting, end."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        listing = app.screen.query_one(RowTable)
        listing.cursor = listing.keys.index("slowpay")
        await pilot.press("enter")
        assert isinstance(app.screen, ChecklistScreen) and app.screen.client_id == "slowpay"
        table = app.screen.query_one(RowTable)

        async def step(sid: str, *keys: str) -> None:
            table.cursor = table.keys.index(sid)
            await pilot.press("enter", *keys)
            await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
            await pilot.pause()

        await step("meeting")
        assert any("Held back" in n.message for n in app._notifications)
        await step("invoices", "1", "enter")                    # mark 2026-029 paid
        await step("invoices", "1", "enter")                    # and 2026-035
        await step("referral", *"a logistics specialist agency", "enter")
        await step("meeting", "p", "enter")                      # by phone, now
        await step("end")                                       # the notice still runs:
        assert "The notice runs until" in str(app.screen.query_one(".title").render())
        await pilot.press(*"they asked to stop at once", "enter")   # why, recorded
        await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
        await pilot.pause()
        done, total = app.screen.list.progress  # type: ignore[union-attr]
        assert (done, total) == (9, 9)
    drive(sample_file, script)
    slow = tomllib.loads(sample_file.read_text())["clients"]["slowpay"]
    assert slow["status"] == "ended"
    assert slow["offboarding"]["ended_early"] == "they asked to stop at once"
    assert slow["offboarding"]["meeting"] == "phone"
    assert all("paid" in i for i in slow["invoices"])


def test_external_change_is_reloaded(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        text = sample_file.read_text().replace('name = "ACME Corp"', 'name = "ACME Renamed"')
        sample_file.write_text(text)
        for _ in range(40):
            await pilot.pause(0.05)
            if rows(app)[0].startswith("ACME Renamed"):
                break
        assert rows(app)[0].startswith("ACME Renamed")
    drive(sample_file, script)


def test_invalid_file_is_shown_and_nothing_is_written(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        good = sample_file.read_text()
        bad = good.replace('status = "watch"  ', 'status = "meh"    ', 1)
        sample_file.write_text(bad)
        banner = app.screen.query_one("#banner")
        for _ in range(40):  # the problems are found, then the screens redrawn
            await pilot.pause(0.05)
            if app.session.problems and not banner.has_class("hidden"):
                break
        assert not banner.has_class("hidden")
        assert f"{sample_file}:24:1: 'status' must be one of" in str(banner.render())
        assert rows(app)[0].startswith("ACME Corp")         # the last good data stays
        await pilot.press("n")
        await pilot.press("tab", "v", "tab", "tab", "tab", "tab", *"x", "enter")
        await pilot.pause()
        assert sample_file.read_text() == bad               # read-only
        sample_file.write_text(good)
        for _ in range(40):
            await pilot.pause(0.05)
            if not app.session.problems:
                break
        await pilot.pause()
        assert banner.has_class("hidden")
    drive(sample_file, script)


def test_undo_the_last_changes(sample_file: Path) -> None:
    before = sample_file.read_bytes()

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        for note in ("one", "two"):
            await pilot.press("n", "tab", "o", "tab", "tab", "tab", "tab", *note, "enter")
            await pilot.pause()
        assert sample_file.read_bytes() != before
        await pilot.press("u", "u")
        await pilot.pause()
    drive(sample_file, script)
    assert sample_file.read_bytes() == before


def test_edit_and_delete_in_the_incident_log(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("2")
        assert rows(app)[0].startswith("2026-11-26 23:14 acme after-hours")
        await pilot.press("enter")
        assert isinstance(app.screen, IncidentDialog)
        await pilot.press("shift+tab", "ctrl+u", *"edited note", "enter")
        await pilot.pause()
        assert incidents(sample_file, "acme")[-1]["note"] == "edited note"
        await pilot.press("x", "y")
        await pilot.pause()
    n = len(incidents(sample_file, "acme"))
    drive(sample_file, script)
    assert len(incidents(sample_file, "acme")) == n - 1


def test_filter_the_log_by_client_and_kind(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("2", "f", *"blue", "enter")
        await pilot.pause()
        assert rows(app) and all(" bluebird " in r for r in rows(app))
        await pilot.press("k", "k")   # after-hours, then vague-feedback
        await pilot.pause()
        assert rows(app) and all("vague-feedb" in r for r in rows(app))
        await pilot.press("a")
        await pilot.pause()
        assert len(rows(app)) == 92
    drive(sample_file, script)


def test_help_lists_the_keys(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = plain(app.screen.body)
        for words in ("offboarding checklist", "log an incident", "undo the last change",
                      "open the file in", "quit", "cycle the sort", "filter by id",
                      "the incident log"):
            assert words in text
        await pilot.press("escape")
        assert isinstance(app.screen, ClientsScreen)
    drive(sample_file, script)


def test_client_text_is_shown_literally(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[clients.x]\nname = "[b]Bold[/b] \\u001b[31mred"\n[[clients.x.incidents]]\n'
                 'at = 2026-11-20\nkind = "other"\nnote = "[link=http://e.x]click[/link] [/"\n')

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        assert rows(app)[0].startswith("[b]Bold[/b] \\x1b[31mred")
        assert "[b]Bold[/b] \\x1" in app.screen.query_one(RowTable).render_line(1).text
        await pilot.press("2")
        assert "[link=http://e.x]click[/link] [/" in rows(app)[0]
    drive(p, script)


def test_small_terminal_still_works(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("n", "tab", "o", "tab", "tab", "tab", "tab", *"tiny", "enter")
        await pilot.pause()
    drive(sample_file, script, size=(40, 12))
    assert incidents(sample_file, "acme")[-1]["note"] == "tiny"


def test_a_broken_file_at_start_is_shown_not_crashed(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[clients.x]\nname = 3\n')

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        assert app.session.read_only
        assert "c.toml:2:1: 'name' must be a string" in str(
            app.screen.query_one("#banner").render())
    drive(p, script)


def test_a_failed_save_keeps_what_was_typed(sample_file: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Disk full (or any write error): the error is shown and the form comes back as typed."""
    import errno
    import os as _os

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        real = _os.fsync

        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(_os, "fsync", full)
        await pilot.press("n", "tab", "s", "3", "tab", "tab", "tab", *"do not lose me", "enter")
        await pilot.pause(0.3)
        assert isinstance(app.screen, IncidentDialog)
        assert app.screen.query_one("#note").value == "do not lose me"
        assert "disk is full" in str(app.screen.query_one("#error").render())
        monkeypatch.setattr(_os, "fsync", real)
        await pilot.press("ctrl+s")
        await pilot.pause(0.3)
        assert isinstance(app.screen, ClientsScreen)

    before = sample_file.read_bytes()
    drive(sample_file, script)
    assert sample_file.read_bytes() != before
    assert incidents(sample_file, "acme")[-1]["note"] == "do not lose me"


def test_the_screen_answers_while_a_save_waits_for_the_lock(sample_file: Path) -> None:
    """Saves run off the UI thread: another writer holding the lock does not freeze the
    screen, and the save lands once the lock is free."""
    import threading

    before = sample_file.read_bytes()
    held = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with Store(sample_file).lock():
            held.set()
            release.wait(20)

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        holder = threading.Thread(target=hold)
        holder.start()
        held.wait(5)
        await pilot.press("n", "tab", "o", "tab", "tab", "tab", "tab", *"while locked", "enter")
        await pilot.pause(0.2)
        await pilot.press("2")                       # the screen still answers
        await pilot.pause()
        assert isinstance(app.screen, IncidentsScreen)
        assert sample_file.read_bytes() == before    # the save is waiting
        release.set()
        holder.join()
        await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
        await pilot.pause()
        assert rows(app)[0].endswith("while locked")

    drive(sample_file, script)
    assert incidents(sample_file, "acme")[-1]["note"] == "while locked"


def test_quitting_waits_for_the_saves_asked_for(sample_file: Path) -> None:
    """A save asked for just before q is written before the app ends."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("n", "tab", "o", "tab", "tab", "tab", "tab", *"last words", "enter", "q")
        await pilot.pause()

    drive(sample_file, script)
    assert incidents(sample_file, "acme")[-1]["note"] == "last words"


def test_telling_them_out_of_order_asks_why_then_how(sample_file: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A step ahead of its turn asks why and records it, then goes on as usual."""
    monkeypatch.setenv("CLIENTFIT_NOW", "2026-11-29T23:15:00")

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("enter", "d", "y")                      # acme: decide
        await app.workers.wait_for_complete()
        await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
        await pilot.pause()
        for _ in range(7):
            await pilot.press("down")
        table = app.screen.query_one(RowTable)
        assert table.current_key == "meeting"
        await pilot.press("enter")                                # held: 1 invoice unpaid
        await pilot.pause()
        assert any("Held back" in n.message for n in app._notifications)
        app.screen.query_one(RowTable).cursor = 3                 # proceed without payment
        await pilot.press("enter", "p", "enter", "y")
        await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
        await pilot.pause()
        app.screen.query_one(RowTable).cursor = 7
        await pilot.press("enter")
        await pilot.pause()
        assert "Not done yet" in str(app.screen.query_one(".title").render())
        await pilot.press(*"they called me first", "enter")
        await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
        await pilot.pause()
        await pilot.pause()
        assert "How did you tell them" in str(app.screen.query_one(".title").render())
        await pilot.press("p", "enter")
        await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
        await pilot.pause()

    drive(sample_file, script)
    acme = tomllib.loads(sample_file.read_text())["clients"]["acme"]["offboarding"]
    assert acme["told_early"] == "they called me first" and acme["meeting"] == "phone"
    assert acme["proceed_unpaid"] is True


def test_the_client_filter_shows_counts_says_no_match_and_esc_clears_it(
        sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("slash", *"zzz")
        await pilot.pause()
        box = app.screen.query_one("#filter")
        assert box.display and box.region.height == 1      # shown, not under the footer
        summary = str(app.screen.query_one("#summary").render())
        assert summary.startswith("0 of 9 clients")
        assert "No client matches 'zzz'" in app.screen.query_one(RowTable).empty_text
        await pilot.press("ctrl+u", *"gec", "enter")
        await pilot.pause()
        assert [r.split()[0] for r in rows(app)] == ["Gecko"]
        assert str(app.screen.query_one("#summary").render()).startswith("1 of 9 clients")
        await pilot.press("escape")
        await pilot.pause()
        assert not box.display and len(rows(app)) == 9
        assert str(app.screen.query_one("#summary").render()).startswith("9 clients")

    drive(sample_file, script)


def test_typing_a_name_in_quick_entry_replaces_the_client_not_the_kind(
        sample_file: Path) -> None:
    """Quick entry opens on the client, its name selected: typing another replaces it,
    and no letter of the name is taken for a kind."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("n", *"slowpay")
        dialog = app.screen
        assert isinstance(dialog, IncidentDialog)
        assert dialog.query_one("#client").value == "slowpay"
        assert dialog.query_one("#kind").value == "other"
        await pilot.press("tab", "l", "2", "tab", "tab", "tab", *"x", "enter")
        await pilot.pause()

    drive(sample_file, script)
    assert incidents(sample_file, "slowpay")[-1]["kind"] == "late-payment"


def test_a_form_given_back_saves_with_enter_and_needs_two_escapes(
        sample_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os as _os

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        real = _os.fsync

        def full(fd: int) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(_os, "fsync", full)
        await pilot.press("n", "tab", "s", "3", "tab", "tab", "tab", *"keep me", "enter")
        await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
        await pilot.pause(0.2)
        dialog = app.screen
        assert isinstance(dialog, IncidentDialog) and app.focused is dialog.query_one("#note")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is dialog                   # one Esc warns, keeps the form
        monkeypatch.setattr(_os, "fsync", real)
        await pilot.press("enter")                    # Enter on the note saves again
        await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)

    drive(sample_file, script)
    assert incidents(sample_file, "acme")[-1]["note"] == "keep me"


def test_a_refused_answer_keeps_the_dialog_and_what_was_typed(
        sample_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A review `end` refused by the cooling-off keeps its note; a bad notice stays."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("r", "e", *"enough is enough", "enter")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#text").value == "enough is enough"
        assert "cooling off until" in str(dialog.query_one("#error").render())
        await pilot.press("escape", "escape", "down", "enter")  # slowpay's checklist
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        table.cursor = table.keys.index("notice")
        await pilot.press("enter", "ctrl+u", *"soonish", "enter")
        await pilot.pause()
        dialog = app.screen
        assert dialog.query_one("#text").value == "soonish"
        assert "is not a period" in str(dialog.query_one("#error").render())

    drive(sample_file, script)


def test_after_a_refusal_the_field_takes_keys_again(sample_file: Path) -> None:
    """A refused answer leaves the dialog live: the next keys edit what was typed."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("r", "e", *"fed up", "enter")            # acme: cooling off
        await pilot.pause()
        dialog = app.screen
        assert "cooling off until" in str(dialog.query_one("#error").render())
        await pilot.press(*" again")
        await pilot.pause()
        assert dialog.query_one("#text").value == "fed up again"
        await pilot.press("escape", "escape", "down", "enter")     # slowpay's checklist
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        table.cursor = table.keys.index("notice")
        await pilot.press("enter", "ctrl+u", *"3 fortnights", "enter")
        await pilot.pause()
        await pilot.press("ctrl+u", *"2 weeks", "enter")
        await asyncio.get_running_loop().run_in_executor(None, app.writer.drain)
        await pilot.pause()

    drive(sample_file, script)
    slow = tomllib.loads(sample_file.read_text())["clients"]["slowpay"]["offboarding"]
    assert slow["notice"] == "2 weeks"


def test_a_refused_field_still_shows_what_was_typed(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("n", "tab", "s", "3", "ctrl+u", *"2026-13-01 10:00", "ctrl+s")
        await pilot.pause()
        when = app.screen.query_one("#when")
        assert when.has_class("-invalid") and app.focused is when
        assert when.region.height == 1 and when.content_region.height == 1
        await pilot.press("ctrl+u", *"-1h", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)

    drive(sample_file, script)


def test_at_40_columns_the_lists_keep_what_decides(sample_file: Path) -> None:
    """40x12 over SSH: the client list keeps trouble, cooling-off and marks; the checklist
    keeps each step's state readable."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        table = app.screen.query_one(RowTable)
        assert [c.title for c in table.columns] == ["Client", "Trbl", "Cooling", "Mark"]
        assert rows(app)[0].split()[-2:] == ["13h", "P!$<"]
        await pilot.press("down", "enter")
        await pilot.pause()
        steps = app.screen.query_one(RowTable)
        assert steps.columns[-1].grow
        assert "decided 2026-11-18" in str(steps.rows[0][-1])

    drive(sample_file, script, size=(40, 12))


def test_one_and_two_show_the_lists_whatever_is_open_over_them(sample_file: Path) -> None:
    """`1` is the client list itself, from a checklist, a client's page or the Pareto
    view, and after `2` too (not the checklist left open under it)."""
    from clientfit_tui.app.client import ClientScreen
    from clientfit_tui.app.pareto import ParetoScreen

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        for opening, kind in ((("enter",), ChecklistScreen), (("i",), ClientScreen),
                              (("p",), ParetoScreen), (("enter", "i"), ClientScreen)):
            await pilot.press(*opening)
            await pilot.pause()
            assert isinstance(app.screen, kind), opening
            await pilot.press("1")
            await pilot.pause()
            assert isinstance(app.screen, ClientsScreen), opening
            await pilot.press(*opening, "2")
            await pilot.pause()
            assert isinstance(app.screen, IncidentsScreen), opening
            await pilot.press("1")
            await pilot.pause()
            assert isinstance(app.screen, ClientsScreen), opening
            assert len(app.screen_stack) == 1
    drive(sample_file, script)


def test_a_broken_file_is_not_said_to_be_empty(tmp_path: Path) -> None:
    """A file that cannot be read shows no "a adds one": adding would be refused. The
    list says what to do instead, in the language in use."""
    broken = tmp_path / "c.toml"
    broken.write_text('[clients.acme]\nname = "ACME\n')

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        for _ in range(40):
            await pilot.pause(0.05)
            if app.session.problems:
                break
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        assert table.empty_text == "Nothing to show until the file's errors are fixed: e opens it."
        await pilot.press("2")
        await pilot.pause()
        empty = app.screen.query_one(RowTable).empty_text
        assert empty == "Nothing to show until the file's errors are fixed: e opens it."
    drive(broken, script)


def test_an_empty_file_broken_while_open_says_it_is_read_only(tmp_path: Path) -> None:
    f = tmp_path / "c.toml"
    f.write_text("# nothing yet\n")

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        table = app.screen.query_one(RowTable)
        assert table.empty_text.startswith("No clients yet: a adds one")
        f.write_text("[clients.acme\n")
        for _ in range(60):
            await pilot.pause(0.05)
            if app.session.problems:
                break
        await pilot.pause()
        empty = app.screen.query_one(RowTable).empty_text
        assert empty == ("No clients. The file is read-only until its errors are fixed: "
                         "e opens it."), empty
        await pilot.press("2")
        await pilot.pause()
        empty = app.screen.query_one(RowTable).empty_text
        assert empty == ("No incidents. The file is read-only until its errors are fixed: "
                         "e opens it."), empty
    drive(f, script)


def test_x_marks_what_check_flags_as_the_help_says(sample_file: Path) -> None:
    """A reason of two sentences is flagged by `check`: the list marks it `x`, and the
    help's legend says that `x` is what check flags, not only a hasty decision."""
    from clientfit_tui.app.help import MARKS

    text = sample_file.read_text().replace(
        'reason = "I no longer think my services meet your needs."',
        'reason = "They pay late. They argue."', 1)
    sample_file.write_text(text)

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        row = next(r for r in rows(app) if r.startswith("Slowpay"))
        assert "P$x<" in row.split(), row

    drive(sample_file, script)
    assert "reason of more than one sentence" in MARKS
