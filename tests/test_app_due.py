"""The home screen says what is due, in a line or two above the list."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from clientfit_tui.app.app import ClientfitApp
from clientfit_tui.app.widgets import RowTable
from test_app import drive

NOW = "2026-11-27T10:00:00"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)


def due_line(app: ClientfitApp) -> str:
    return str(app.screen.query_one("#due", Static).render())


@pytest.mark.parametrize(("size", "lines"), [((80, 24), 2), ((40, 12), 1)])
def test_what_is_due_is_above_the_list_never_over_it(sample_file: Path, size: tuple[int, int],
                                                     lines: int) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        text = due_line(app)
        assert text.startswith("Due (5): 3 invoices late (3,700.50 EUR: slowpay, orbit) · "
                               "slowpay step 4: get paid before you tell them · "
                               "orbit revisit in 4 days")
        box, table = app.screen.query_one("#due"), app.screen.query_one(RowTable)
        assert box.region.height == lines
        assert box.region.bottom <= table.region.y
        assert len(table.rows) == 9
    drive(sample_file, script, size)


def test_it_follows_the_file_and_the_clock(sample_file: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        # an invoice paid, in an editor: the line follows the reload
        text = sample_file.read_text().replace("due = 2026-11-10            # overdue",
                                               "due = 2026-11-10\npaid = 2026-11-26")
        sample_file.write_text(text)
        for _ in range(60):
            await pilot.pause(0.05)
            if "2 invoices late" in due_line(app):
                break
        assert "2 invoices late (2,400.50 EUR: slowpay)" in due_line(app)
        # days pass: the revisit comes and goes by, a cooling-off ends today
        for now, said in [("2026-11-29T10:00:00", "Due (5): acme cooling-off ends 23:14 · "),
                          ("2026-11-29T23:30:00", "Due (5): acme cooling-off ended 23:14 · "),
                          ("2026-12-02T10:00:00", "· orbit revisit yesterday")]:
            monkeypatch.setenv("CLIENTFIT_NOW", now)
            app.screen.tick()  # type: ignore[attr-defined]
            await pilot.pause()
            assert said in due_line(app)
    drive(sample_file, script)


def test_nothing_due(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[clients.a]\nname = "A"\n')

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        assert due_line(app) == "Nothing due in the next 7 days."
    drive(p, script)


def test_the_line_says_how_many_more_when_they_do_not_fit() -> None:
    from clientfit_tui.app.clients import fit

    parts = [f"client-{i:04d} step 4: get paid before you tell them" for i in range(5)]
    got = fit("Due (5): ", parts, 78, 2)
    assert got == " · ".join(parts[:2]) + " · +3 more: clientfit due"
    assert fit("Due (1): ", parts[:1], 78, 1) == parts[0]
