"""The client's page and the script dialog, driven with Pilot."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Sparkline, Static

from clientfit_tui.app.app import ClientfitApp
from clientfit_tui.app.checklist import ChecklistScreen
from clientfit_tui.app.client import ClientScreen
from clientfit_tui.app.clients import ClientsScreen
from clientfit_tui.app.script import ScriptDialog
from clientfit_tui.app.widgets import RowTable
from test_app import drive as open_app

NOW = "2026-11-27T10:00:00"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)


def drive(path: Path, script: Callable[[ClientfitApp, Pilot[int]], Awaitable[None]],
          size: tuple[int, int] = (80, 24)) -> ClientfitApp:
    """The app with no polling: these tests change the file only through the app."""
    return open_app(path, script, size, poll_interval=3600)


async def select(app: ClientfitApp, pilot: Pilot[int], cid: str) -> None:
    table = app.screen.query_one(RowTable)
    table.cursor = table.keys.index(cid)
    await pilot.pause()


def page_text(app: ClientfitApp) -> str:
    return str(app.screen.query_one("#dossier", Static).render())


def test_client_page_from_the_list_shows_the_dossier(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await select(app, pilot, "slowpay")
        await pilot.press("i")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ClientScreen) and screen.client_id == "slowpay"
        assert screen.query_one("#trend", Sparkline).data == \
            [0, 5, 5, 3, 3, 1, 3, 0, 2, 1, 3, 2]
        text = page_text(app)
        first = text.index("Asked to split 2026-033 into three payments, after the fact")
        last = text.rindex("Second reminder for 2026-028; 'accounts is on it'\n")
        assert first < text.index("Missed the kickoff call without notice") < last
        assert "2026-029  980.50 EUR  due 2026-10-15  unpaid, 43 days late" in text
        assert "Checklist (5/9 done)" in text and "Loose ends" in text
        assert "Money" in text and "Effective rate:" in text        # as `status CLIENT`
        body = screen.query_one("#body", VerticalScroll)
        assert body.has_focus and body.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("escape")
        assert isinstance(app.screen, ClientsScreen)
    drive(sample_file, script)


def test_client_page_and_checklist_go_back_and_forth_without_piling_up(
        sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await select(app, pilot, "slowpay")
        await pilot.press("enter")
        assert isinstance(app.screen, ChecklistScreen)
        await pilot.press("i")
        assert isinstance(app.screen, ClientScreen)
        depth = len(app.screen_stack)
        await pilot.press("c")
        assert isinstance(app.screen, ChecklistScreen)
        assert len(app.screen_stack) == depth - 1
        await pilot.press("i", "c", "i")
        assert isinstance(app.screen, ClientScreen) and len(app.screen_stack) == depth
    drive(sample_file, script)


def test_script_from_the_checklist_is_shown_and_copied(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await select(app, pilot, "slowpay")
        await pilot.press("enter", "s")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ScriptDialog)
        shown = str(dialog.query_one("#script-text", Static).render())
        assert shown.startswith("TALKING POINTS: Slowpay Logistics, with Bob Grant")
        assert "never by email" in shown and "WRITTEN CONFIRMATION" in shown
        await pilot.press("c")
        assert app.clipboard == dialog.text
        assert "How: by video." in app.clipboard and "Hello Bob Grant," in app.clipboard
        await pilot.press("m")
        assert app.clipboard.startswith("WRITTEN CONFIRMATION")
        assert "TALKING POINTS" not in app.clipboard
        await pilot.press("escape")
        assert isinstance(app.screen, ChecklistScreen)
    drive(sample_file, script)


def test_a_bad_template_is_said_not_shown(sample_file: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cfg" / "clientfit" / "templates"
    folder.mkdir(parents=True)
    (folder / "meeting.txt").write_text("Hi $contact\n$oops\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("enter", "s")
        await pilot.pause()
        assert isinstance(app.screen, ChecklistScreen)
        said = [n.message for n in app._notifications]
        assert any(f"{folder / 'meeting.txt'}:2: unknown placeholder $oops" in m for m in said)
    drive(sample_file, script)


def test_sparkline_column_only_where_the_width_allows(sample_file: Path) -> None:
    async def narrow(app: ClientfitApp, pilot: Pilot[int]) -> None:
        table = app.screen.query_one(RowTable)
        assert [c.title for c in table.columns][-1] == "Mark"
        await pilot.resize_terminal(120, 24)
        await pilot.pause()
        assert [c.title for c in table.columns][-1] == "12 months"
        await pilot.resize_terminal(100, 24)
        await pilot.pause()
        assert [c.title for c in table.columns][-1] == "Rate/h"   # room for the rate only

    async def wide(app: ClientfitApp, pilot: Pilot[int]) -> None:
        table = app.screen.query_one(RowTable)
        assert [c.title for c in table.columns][-1] == "12 months"
        row = table.rows[table.keys.index("slowpay")]
        assert str(row[-1]) == "▁██▆▆▃▆▁▄▃▆▄"
    drive(sample_file, narrow, size=(80, 24))
    drive(sample_file, wide, size=(120, 30))


def test_client_page_header_says_what_is_pressing(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await select(app, pilot, "acme")
        await pilot.press("i")
        await pilot.pause()
        who = str(app.screen.query_one("#who", Static).render())
        assert who.startswith("ACME Corp (watch) · Wile E. Coyote\n28 incidents, trouble 57")
        assert "Owed 1,200.00 EUR · cooling off 2d 13h · instinct: 3 reviews in 90 days" in who
    drive(sample_file, script)


@pytest.mark.parametrize("width", [12, 30, 47, 78, 118])
def test_month_axis_puts_each_month_under_its_bars(width: int) -> None:
    """The sparkline draws column c from value c * 12 // width: each month's name starts
    in a column drawn from that month."""
    from datetime import date

    from clientfit_tui.app.client import axis

    starts = [date(2025 + (m + 11) // 12, (m + 11) % 12 + 1, 1) for m in range(12)]
    line = axis(starts, width)
    assert len(line) == width
    at = 0
    for k, d in enumerate(starts):
        name = d.strftime("%b") if width >= 48 else d.strftime("%b")[0]
        at = line.index(name, at)
        assert at * 12 // width == k
        at += len(name)
