"""The screens at 40x12 and 80x24 in both languages: what must stay in view (issue #13's
user trial). The snapshots show the look; these say what the look is for."""

from __future__ import annotations

import asyncio
import html
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from textual.content import Content
from textual.pilot import Pilot
from textual.widgets import Static

from clientfit_tui.app.app import ClientfitApp
from clientfit_tui.app.widgets import RowTable
from clientfit_tui.store.store import Store

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", "2026-11-27T10:00:00")


def screen_text(app: ClientfitApp) -> list[str]:
    """The screen's lines as a person sees them."""
    svg = app.export_screenshot()
    lines: dict[int, list[tuple[float, str]]] = {}
    for x, n, t in re.findall(r'<text[^>]*x="([\d.]+)"[^>]*line-(\d+)\)">(.*?)</text>', svg):
        lines.setdefault(int(n), []).append((float(x), re.sub(r"<[^>]+>", "", t)))
    out = []
    for n in sorted(lines):
        row = ""
        for x, t in sorted(lines[n]):
            row = row.ljust(round(x / 12.2)) + html.unescape(t).replace("\xa0", " ")
        out.append(row.rstrip())
    return out


def run(tmp_path: Path, sample: str, size: tuple[int, int], keys: tuple[str, ...],
        check: Callable[[ClientfitApp, list[str]], None]) -> None:
    p = tmp_path / "clients.toml"
    shutil.copyfile(ROOT / sample, p)
    p.chmod(0o600)

    async def main() -> None:
        app = ClientfitApp(Store(p), poll_interval=3600)
        async with app.run_test(size=size) as pilot:
            await loaded(pilot)
            for key in keys:
                await pilot.press(key)
                await pilot.pause()
            check(app, screen_text(app))
    asyncio.run(main())


async def loaded(pilot: Pilot[int]) -> None:
    for _i in range(200):
        if pilot.app.loaded:  # type: ignore[attr-defined]
            break
        await pilot.pause(0.05)
    await pilot.pause()


SAMPLES = pytest.mark.parametrize("lang, sample", [("en", "sample.toml"), ("es", "sample.es.toml")])


@pytest.fixture
def lang_of(request: pytest.FixtureRequest) -> Callable[[str], None]:
    def use(lang: str) -> None:
        if lang == "es":
            request.getfixturevalue("spanish")
    return use


@SAMPLES
def test_small_checklist_shows_its_steps_and_whole_lines(tmp_path: Path, lang: str, sample: str,
                                                        lang_of: Callable[[str], None]) -> None:
    lang_of(lang)

    def check(app: ClientfitApp, lines: list[str]) -> None:
        table = app.screen.query_one(RowTable)
        assert table.size.height >= 6, lines  # a heading and five steps at least
        assert sum(1 for ln in lines if ln.lstrip().startswith(("[ ]", "[!]", "[x]"))) >= 5
        text = "\n".join(lines)
        # the instinct line said to its end; the cooling-off's time left in view
        assert ("listen to your instincts." if lang == "en" else "escucha a tu instinto.") in \
            text.replace("\n ", " "), lines
        assert ("2d 13h" if lang == "en" else "2 d 13 h") in text, lines
        assert "0/9" in lines[0], lines
        assert not app.screen.query_one("#detail", Static).display

    run(tmp_path, sample, (40, 12), ("enter",), check)


@SAMPLES
def test_small_incident_log_says_whose_incident(tmp_path: Path, lang: str, sample: str,
                                                lang_of: Callable[[str], None]) -> None:
    lang_of(lang)

    def check(app: ClientfitApp, lines: list[str]) -> None:
        rows = lines[2:10]
        assert all(re.match(r" \S+( \d\d:\d\d)?\s+(acme|orbit|gecko|slowpay|bluebird|lumen|"
                            r"harbor|northwind|pixel-fox|zorro)\b", r) for r in rows[:7]), lines
        assert rows[0].startswith(" 11-26 23:14 acme" if lang == "en" else " 26/11 23:14 acme")

    run(tmp_path, sample, (40, 12), ("2",), check)


@SAMPLES
def test_small_pareto_shows_every_client_and_its_share(tmp_path: Path, lang: str, sample: str,
                                                       lang_of: Callable[[str], None]) -> None:
    lang_of(lang)

    def check(app: ClientfitApp, lines: list[str]) -> None:
        marks = [ln for ln in lines if ln.startswith(" [ ]")]
        assert len(marks) == 8, lines
        assert re.search(r"acme\s+█+ 41 ?%", marks[0]), lines
        legend = next(ln for ln in lines if ln.startswith(" P "))
        assert legend.endswith("EUR/h" if lang == "en" else "€/h"), legend
        # the footer's keys whole: the palette's key makes room at this width
        assert ("c Clear marks" if lang == "en" else "c Quitar marcas") in lines[-1], lines

    run(tmp_path, sample, (40, 12), ("p",), check)


@SAMPLES
def test_the_sort_is_in_view(tmp_path: Path, lang: str, sample: str,
                             lang_of: Callable[[str], None]) -> None:
    lang_of(lang)
    said = "sort: name" if lang == "en" else "orden: nombre"

    def check(app: ClientfitApp, lines: list[str]) -> None:
        assert said in lines[0], lines
        # the Pareto part whole, or its key and name alone, or nothing: never "· p"
        assert not re.search(r"· p?$|· p Pa?r?e?t?o?$|…$", lines[0]), lines
        if app.size.width >= 52:
            assert "· p Pareto" in lines[0], lines

    for size in ((80, 24), (52, 12), (40, 12)):
        run(tmp_path, sample, size, ("s",), check)


def test_names_sort_as_a_dictionary_does(tmp_path: Path, spanish: None) -> None:
    def check(app: ClientfitApp, lines: list[str]) -> None:
        text = "\n".join(lines)
        assert text.index("Logística") < text.index("Órbita Medios") < text.index("Puerto"), lines

    run(tmp_path, "sample.es.toml", (80, 24), ("s",), check)


def test_a_number_is_not_parted_from_its_unit() -> None:
    """Textual wraps at a no-break space unless the app says otherwise (it does)."""
    import clientfit_tui.app.app  # noqa: F401  (its import teaches the wrap)

    said = "periodo de calma hasta el 4 dic 2026 23:14 (quedan 2\xa0d 03\xa0h). Nunca decidas"
    for width in range(12, len(said)):  # a break at a no-break space would drop it
        assert sum(str(ln).count("\xa0") for ln in Content(said).wrap(width)) == 2, width
    assert [str(ln) for ln in Content("es 65,00\xa0€/h: paga").wrap(12)] == [
        "es", "65,00\xa0€/h:", "paga"]
