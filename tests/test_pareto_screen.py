"""The Pareto screen, driven with Pilot: shares of trouble and revenue, rates, the what-if."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from clientfit_tui.app.app import ClientfitApp
from clientfit_tui.app.clients import ClientsScreen
from clientfit_tui.app.pareto import ParetoScreen, bar
from clientfit_tui.app.widgets import RowTable
from test_app import drive, rows


def text_of(app: ClientfitApp, wid: str) -> str:
    return str(app.screen.query_one(wid, Static).render())


def test_p_opens_the_pareto_screen_ranked_by_trouble(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ParetoScreen)
        table = app.screen.query_one(RowTable)
        assert table.keys == ["acme", "slowpay", "bluebird", "gecko", "orbit", "lumen",
                              "northwind", "pixel-fox"]   # harbor is ended: not charted
        r = rows(app)
        assert r[0].startswith("[ ] P< acme") and r[0].endswith("41% ▒▒▒▒▒▒▒▒ 17% 54.83")
        assert r[3].startswith("[ ] P  gecko") and r[3].endswith("74.95")
        assert r[4].endswith("no hours")                    # orbit: said, never 0
        assert "4 of 8 clients make 88% of the trouble" in text_of(app, "#who")
        assert "Mark clients with space" in text_of(app, "#whatif")
        await pilot.press("escape")
        assert isinstance(app.screen, ClientsScreen)
    drive(sample_file, script)


def test_marking_updates_the_whatif_live(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("p", "space")
        await pilot.pause()
        assert app.screen.marked == {"acme"}  # type: ignore[attr-defined]
        assert rows(app)[0].startswith("[x]")
        w = text_of(app, "#whatif")
        assert "Without acme (1 of 8 clients)" in w and "14,200.00 EUR a year, 17%" in w
        assert "69.29 EUR/h for the clients that remain, 66.03 EUR/h today" in w
        await pilot.press("space")                 # the cursor moved on: slowpay too
        await pilot.pause()
        assert "Without acme, slowpay (2 of 8" in text_of(app, "#whatif")
        await pilot.press("up", "up", "space")     # back to acme: unmarked
        await pilot.pause()
        assert "Without slowpay (1 of 8" in text_of(app, "#whatif")
        await pilot.press("c")
        await pilot.pause()
        assert "Mark clients with space" in text_of(app, "#whatif")
    drive(sample_file, script)


def test_the_palette_opens_it(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"pareto")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ParetoScreen)
    drive(sample_file, script)


def test_without_a_rate_or_revenue_it_says_so(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[clients.a]\nname = "A"\n[[clients.a.incidents]]\nat = 2026-11-01\n'
                 'kind = "other"\n[clients.b]\nname = "B"\nhours = 10\n')
    p.chmod(0o600)

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("p", "space")
        await pilot.pause()
        assert "no rate set" in text_of(app, "#legend")
        w = text_of(app, "#whatif")
        assert "no revenue recorded" in w and "no hours recorded" in w
    drive(p, script)


@pytest.mark.parametrize(("share", "scale", "fill", "text"), [
    (0.5, 0.5, "█", "█" * 18), (0.25, 0.5, "█", "█" * 9), (0.01, 0.5, "█", "▎"),
    (0.001, 0.5, "█", "▏"), (0.0, 0.5, "█", ""), (0.25, 0.5, "▒", "▒" * 9),
    (0.001, 0.5, "▒", "▒"),
])
def test_bars(share: float, scale: float, fill: str, text: str) -> None:
    """A share above zero always shows; bars are to one scale."""
    assert bar(share, scale, fill) == text


@pytest.mark.parametrize(("width", "shown"), [(80, False), (100, True)])
def test_client_list_shows_the_rate_where_it_fits(sample_file: Path, width: int,
                                                 shown: bool) -> None:
    """`<` marks a client below your rate; a wide terminal also shows each rate."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        r = {row.split()[0]: row for row in rows(app)}
        assert r["ACME"].split()[-2] == "P!$<" and r["ACME"].endswith("54.83")
        assert r["Orbit"].endswith("no hours")
        table = app.screen.query_one(RowTable)
        assert (table.columns[-1].title == "Rate/h") is shown   # drawn only where it fits
        assert "<" not in r["Harbor"]      # ended: no longer a question
    drive(sample_file, script, size=(width, 24))
