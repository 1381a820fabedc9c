"""Notes read and found, a client added, a row chosen with the mouse (Pilot)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input

from clientfit_tui.app.app import ClientfitApp
from clientfit_tui.app.clients import ClientsScreen
from clientfit_tui.app.incidents import IncidentsScreen
from clientfit_tui.app.notes import ClientDialog, IncidentView
from clientfit_tui.app.widgets import RowTable
from test_app import drive, rows

LONG = ("Called at 23:40 to ask for the fonts again, then the colours, then whether the logo "
        "could be bigger but also smaller, and all of it by Monday morning")


def _with_long_note(path: Path) -> None:
    path.write_text(path.read_text() + '\n[[clients.pixel-fox.incidents]]\n'
                    f'at = 2026-11-26T23:40:00\nkind = "after-hours"\nnote = "{LONG}"\n')


def test_the_note_column_takes_the_spare_width(sample_file: Path) -> None:
    _with_long_note(sample_file)
    seen: dict[int, str] = {}

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        seen[app.size.width] = str(table.render_line(1).text)

    drive(sample_file, script, size=(80, 24))
    drive(sample_file, script, size=(140, 24))
    drive(sample_file, script, size=(40, 12))
    # narrow: a short date, whose incident it is, and the note (kind and co. left out)
    assert seen[40].startswith("11-26 23:40 pixel-fox Called at 23:40")
    narrow, wide = seen[80].rstrip(), seen[140].rstrip()
    assert "Called at 23:40" in narrow and "…" in narrow
    assert LONG[:80] in wide and len(wide) > len(narrow) + 50


def test_an_incident_opens_read_only_with_its_whole_note_and_copies_it(
        sample_file: Path) -> None:
    _with_long_note(sample_file)
    copied: list[str] = []

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        await pilot.press("2")
        await pilot.pause()
        assert "Called at 23:40" in rows(app)[0]
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, IncidentView)
        note = app.screen.query_one("#note")
        assert "by Monday morning" in str(note.render())
        await pilot.press("c")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IncidentsScreen)

    before = sample_file.read_bytes()
    drive(sample_file, script)
    assert copied == [LONG]
    assert sample_file.read_bytes() == before


def test_the_incident_log_searches_the_notes(sample_file: Path) -> None:
    _with_long_note(sample_file)

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("2")
        await pilot.pause()
        total = len(rows(app))
        await pilot.press("slash", *"monday fonts")   # the same burst: the search's keys
        await pilot.pause()
        assert [r for r in rows(app)] and all("Called at 23:40" in r for r in rows(app))
        assert len(rows(app)) == 1
        assert "notes: monday fonts" in str(app.screen.query_one("#filters").render())
        await pilot.press("enter")             # keeps it, back to the list
        assert isinstance(app.focused, RowTable)
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, IncidentView)
        await pilot.press("escape", "slash", "x", "y", "z", "q")
        await pilot.pause()
        assert rows(app) == []
        assert "No note has" in app.screen.query_one(RowTable).empty_text
        await pilot.press("enter", "k")        # a kind shown too: the filters are named
        await pilot.pause()
        assert rows(app) == []
        empty = app.screen.query_one(RowTable).empty_text
        assert empty.startswith("None of the incidents shown has 'xyzq'"), empty
        assert "a shows every client and kind" in empty
        await pilot.press("a", "slash", "escape")
        await pilot.pause()
        assert len(rows(app)) == total
        assert not app.screen.query_one("#find", Input).display

    drive(sample_file, script)


def test_a_client_is_added_from_the_app(sample_file: Path) -> None:
    before = sample_file.read_bytes()

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("a")
        assert isinstance(app.screen, ClientDialog)
        await pilot.press(*"acme", "tab", *"Dup", "tab", "w", "tab", "tab",  # w, Tab: Since
                          "enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientDialog)      # refused: the form stays
        assert "already a client" in str(app.screen.query_one("#error").render())
        assert app.focused is app.screen.query_one("#id")   # on the field it is about
        await pilot.press("ctrl+u", *"new-co", "tab", "ctrl+u", *"New Co", "tab", "w",
                          *"2026-03-01", "tab", *"1200", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)
        await pilot.pause(0.3)
        assert any(r.startswith("New Co") for r in rows(app))

    drive(sample_file, script)
    after = sample_file.read_bytes()
    assert after == before + (b'\n[clients.new-co]\nname = "New Co"\nstatus = "watch"\n'
                              b'since = 2026-03-01\nrevenue = 1200\n')


def test_a_click_selects_a_row(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        table = app.screen.query_one(RowTable)
        assert table.cursor == 0
        await pilot.click(RowTable, offset=(2, 4))   # the header, then rows 0, 1, 2
        await pilot.pause()
        assert table.cursor == 3
        await pilot.press("down")
        assert table.cursor == 4
        await pilot.press("enter")                  # the keyboard acts on the chosen row
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ChecklistScreen"

    drive(sample_file, script)


def test_after_a_refusal_what_is_typed_corrects_the_field(sample_file: Path) -> None:
    """The reason's example is a placeholder: Enter on it is refused, and the keys typed
    next land in the field (not nowhere), so the step is done at once."""
    sample_file.write_text('[clients.x]\nname = "X"\n[clients.x.offboarding]\n'
                           'decided = 2026-11-01T10:00:00\n')

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("enter")
        await pilot.pause()
        table = app.screen.query_one(RowTable)
        table.cursor = table.keys.index("reason")
        await pilot.press("enter", "enter")
        await pilot.pause()
        dialog = app.screen
        assert "Give one reason" in str(dialog.query_one("#error").render())
        await pilot.press(*"Our paths part.", "enter")
        await pilot.pause(0.3)
        assert app.screen is not dialog

    drive(sample_file, script)
    assert 'reason = "Our paths part."' in sample_file.read_text()


def test_the_filter_and_the_search_ignore_accents(tmp_path: Path) -> None:
    """`/orbita` finds Órbita Medios; `rapida` in the notes finds "rápida"."""
    from conftest import ROOT

    f = tmp_path / "es.toml"
    f.write_bytes((ROOT / "sample.es.toml").read_bytes())
    f.chmod(0o600)

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("slash", *"orbita", "enter")
        await pilot.pause()
        assert [r.split()[0] for r in rows(app)] == ["Órbita"]
        await pilot.press("escape", "2", "slash", *"rapida")
        await pilot.pause()
        found = rows(app)
        assert found and all("rápida" in r.lower() or "rapida" in r.lower() for r in found)

    drive(f, script)
