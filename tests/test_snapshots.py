"""SVG snapshots of each screen at 80x24, 40x12 and without colour.

Update after an intended change of the look: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from clientfit_tui.app.app import ClientfitApp
from clientfit_tui.app.widgets import RowTable
from clientfit_tui.store.store import Store

SAMPLE = Path(__file__).resolve().parent.parent / "sample.toml"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", "2026-11-27T10:00:00")


def make_app(tmp_path: Path, text: str | None = None) -> ClientfitApp:
    p = tmp_path / "clients.toml"
    if text is None:
        shutil.copyfile(SAMPLE, p)
    else:
        p.write_text(text)
    p.chmod(0o600)
    return ClientfitApp(Store(p, display="clients.toml"), poll_interval=3600)


async def loaded(pilot: Pilot[int]) -> None:
    while not pilot.app.loaded:  # type: ignore[attr-defined]
        await pilot.pause(0.05)
    await pilot.pause()


def keys_after_load(*keys: str):  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot[int]) -> None:
        await loaded(pilot)
        if keys:
            await pilot.press(*keys)
        await pilot.pause()
    return run


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
def test_clients(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=keys_after_load())


def test_clients_no_color(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24),
                        run_before=keys_after_load("down"))


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
def test_incident_log(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=size, run_before=keys_after_load("2"))


def test_checklist(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot[int]) -> None:
        await loaded(pilot)
        table = pilot.app.screen.query_one(RowTable)
        table.cursor = table.keys.index("slowpay")
        await pilot.press("enter", "down", "down", "down")
        await pilot.pause()
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24), run_before=run)


def test_checklist_no_color(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24),
                        run_before=keys_after_load("enter"))


def test_quick_entry(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24),
                        run_before=keys_after_load("n", "tab", "s", "3"))


def test_quick_entry_small(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(40, 12),
                        run_before=keys_after_load("n"))


def test_help(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24),
                        run_before=keys_after_load("question_mark"))


def test_help_small(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(40, 12),
                        run_before=keys_after_load("2", "question_mark", "pagedown"))


def test_invalid_file(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    text = '[clients.acme]\nname = "ACME"\nstatus = "meh"\n'
    assert snap_compare(make_app(tmp_path, text), terminal_size=(80, 24),
                        run_before=keys_after_load())


def test_client_page(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot[int]) -> None:
        await loaded(pilot)
        table = pilot.app.screen.query_one(RowTable)
        table.cursor = table.keys.index("slowpay")
        await pilot.press("i")
        await pilot.pause()
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24), run_before=run)


def test_script_dialog(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot[int]) -> None:
        await loaded(pilot)
        table = pilot.app.screen.query_one(RowTable)
        table.cursor = table.keys.index("slowpay")
        await pilot.press("enter", "s")
        await pilot.pause()
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24), run_before=run)


def test_clients_wide_with_sparklines(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(120, 24),
                        run_before=keys_after_load())


def test_pareto(snap_compare, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24),
                        run_before=keys_after_load("p", "space", "space"))


def test_pareto_no_color(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(tmp_path), terminal_size=(80, 24),
                        run_before=keys_after_load("p", "down", "space"))


SMALL = {
    # the first client: a cooling-off and an instinct line above its steps
    "checklist_cooling": keys_after_load("enter"),
    "pareto": keys_after_load("p"),
}


@pytest.mark.parametrize("screen", list(SMALL))
def test_small(snap_compare, tmp_path: Path, screen: str) -> None:  # type: ignore[no-untyped-def]
    """At 40x12 the list comes first: steps, clients with their share, under the lines."""
    assert snap_compare(make_app(tmp_path), terminal_size=(40, 12), run_before=SMALL[screen])


# -- in Spanish: the same screens, their words longer ----------------------------------

def to_slowpay(*keys: str):  # type: ignore[no-untyped-def]
    async def run(pilot: Pilot[int]) -> None:
        await loaded(pilot)
        table = pilot.app.screen.query_one(RowTable)
        table.cursor = table.keys.index("slowpay")
        for key in keys:  # each screen drawn before the next key, however busy the machine
            await pilot.press(key)
            await pilot.pause()
    return run


SPANISH = {
    "clients": keys_after_load(),
    "incident_log": keys_after_load("2"),
    # the cursor on a row the 40x12 list shows without scrolling
    "checklist": to_slowpay("enter", "down"),
    "client_page": to_slowpay("i"),
    "help": keys_after_load("question_mark"),
    "checklist_cooling": keys_after_load("enter"),
    "pareto": keys_after_load("p"),
    "sorted": keys_after_load("s"),
}


@pytest.mark.parametrize("size", [(80, 24), (40, 12)], ids=["80x24", "40x12"])
@pytest.mark.parametrize("screen", list(SPANISH))
def test_spanish(snap_compare, tmp_path: Path, spanish: None, screen: str,  # type: ignore[no-untyped-def]
                 size: tuple[int, int]) -> None:
    text = (SAMPLE.parent / "sample.es.toml").read_text(encoding="utf-8")  # the Spanish demo's
    assert snap_compare(make_app(tmp_path, text), terminal_size=size,
                        run_before=SPANISH[screen])
