"""The app in Spanish: every screen, the footer, the help and the palette, with no English
word of their own; and in English again in the same process (the language is learnt by
each app, screen and binding when it is made)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from rich.console import Console
from textual.command import CommandList, CommandPalette
from textual.pilot import Pilot
from textual.widgets import Input, Static
from textual.widgets._footer import FooterKey

import test_app
from clientfit_tui import templates
from clientfit_tui.app.app import ClientfitApp
from clientfit_tui.app.checklist import ChecklistScreen
from clientfit_tui.app.client import ClientScreen
from clientfit_tui.app.help import HelpScreen
from clientfit_tui.app.incidents import IncidentsScreen
from clientfit_tui.app.notes import IncidentView
from clientfit_tui.app.pareto import ParetoScreen
from clientfit_tui.app.script import ScriptDialog
from clientfit_tui.app.widgets import RowTable
from clientfit_tui.domain import checklist, money, report, rules, script
from clientfit_tui.domain.due import brief, due
from clientfit_tui.store.store import Store

NOW = "2026-11-27T10:00:00"

DATA = """\
[settings]
cooling_off_days = 3
notice = "30 days"
timezone = "Europe/Madrid"
rate = 65.0
currency = "EUR"

[clients.pepe]
name = "Pepe Gómez"
contact = "Pepe"
status = "offboarding"
regular = true
revenue = 9100.0
hours = 140
notes = "Paga tarde."

[[clients.pepe.incidents]]
at = 2026-10-14T13:25:00
kind = "late-payment"
severity = 3
minutes = 15
note = "Segundo aviso de la factura"

[[clients.pepe.incidents]]
at = 2026-11-24T22:10:00
kind = "after-hours"
severity = 2
minutes = 20
note = "Llamada a las 22:10"

[[clients.pepe.invoices]]
number = "2026-029"
amount = 980.5
due = 2026-10-15

[[clients.pepe.invoices]]
number = "2026-007"
amount = 1850.0
due = 2026-03-15
paid = 2026-05-02

[[clients.pepe.reviews]]
at = 2026-11-18
outcome = "end"
note = "Otra vez tarde."

[clients.pepe.offboarding]
decided = 2026-11-18T09:30:00

[clients.luz]
name = "Luz Díaz"
status = "watch"
revenue = 12000.0
hours = 160

[[clients.luz.incidents]]
at = 2026-09-02T16:00:00
kind = "scope-creep"
severity = 2
minutes = 60
note = "Pide más páginas"

[clients.mar]
name = "Mar Ruiz"
status = "active"
revenue = 4000.0
"""

ENGLISH = re.compile(
    r"\b(the|and|of|with|to|in|on|at|for|from|your|you|it|is|an|by|this|that|all|any|every|"
    r"client|clients|incident|incidents|invoice|invoices|checklist|step|steps|done|decide|"
    r"decision|review|reviews|reviewed|keys?|quit|open|back|close|log|sort|filter|find|"
    r"search|notes?|kind|when|status|trouble|revenue|rate|money|none|unpaid|paid|owed|due|"
    r"days?|months?|late|severity|lost|mark|marks|clear|delete|edit|view|copy|press|"
    r"matches|found|commands?|palette|reading|file|help|everywhere|cooling|watch|active|"
    r"ended|offboarding|after|hours|scope|creep|payment|nothing|more|yet|page|script|"
    r"cancel|save|yes|field|option|previous|next)\b",
    re.IGNORECASE)


def plain(renderable: object, width: int = 200) -> str:
    console = Console(width=width, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def shown(app: ClientfitApp) -> str:
    """What the screen shows (the screenshot's text), and the whole of every text on it
    (what a person scrolls to): statics, lists, boxes' placeholders, footer keys."""
    svg = app.export_screenshot()
    screen = " ".join(re.sub(r"<[^>]+>", "", t).replace("&#160;", " ")
                      for t in re.findall(r"<text[^>]*>(.*?)</text>", svg, re.S))
    # a word cut at the edge ("Client…", "Client ▏" of "Clientes") is no word
    parts = [re.sub(r"\w+\s*[…▏]", " ", screen)]
    for w in app.screen.query("*"):
        if isinstance(w, Static):
            parts.append(plain(w.content))
        elif isinstance(w, RowTable):
            parts.append(" ".join(c.title for c in w.columns))
            parts.append(w.empty_text)
            parts.extend(" ".join(str(c) for c in row) for row in w.rows)
        elif isinstance(w, Input):
            parts.append(w.placeholder)
        elif isinstance(w, FooterKey):
            parts.append(w.description)
    return "\n".join(parts)


def foreign_words(app: ClientfitApp) -> set[str]:
    """The words of texts that other parts of clientfit write (the checklist's steps, the
    money's lines, what is due, the what-if...), in the language they speak now: this
    test is about the app's own words."""
    snap = app.session.snap
    assert snap is not None
    s, now = snap.data.settings, app.session.now()
    texts: list[str] = list(brief(due(snap.data, now), s))
    table = money.money(snap.data, now)
    for c in snap.data.clients.values():
        steps = checklist.build(c, s, now).steps
        texts += [t for st in steps for t in (st.title, st.detail, st.why_held or "")]
        texts += money.client_lines(money.client_money(c, s, now), s)
        texts += report.build(c, s, now).loose_ends
        texts += [w.message for w in rules.warnings_for(c, s)]
        texts.append(money.fmt_effective(table[c.id]))
        texts += [t for _name, t in templates.texts(script.values(c, s, now))]
    texts += money.whatif_lines(money.whatif(snap.data, now, ["pepe"], table), s)
    return {w.lower() for t in texts for w in re.findall(r"\w+", t)}


def english_in(text: str, foreign: set[str]) -> list[str]:
    return sorted({m.lower() for m in ENGLISH.findall(text)} - foreign)


drive = partial(test_app.drive, poll_interval=3600)
"""The shared Pilot loop (tests/test_app.py), without polling the file."""


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)
    p = tmp_path / "clientes.toml"
    p.write_text(DATA, encoding="utf-8")
    p.chmod(0o600)
    yield p


@pytest.mark.parametrize("size", [(80, 24), (40, 12), (120, 30)])
def test_every_screen_speaks_spanish(spanish: None, data: Path,
                                     size: tuple[int, int]) -> None:
    seen: dict[str, str] = {}

    async def look(app: ClientfitApp, pilot: Pilot[int], name: str) -> None:
        await pilot.pause()
        seen[name] = shown(app)

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        foreign = foreign_words(app)
        await look(app, pilot, "clients")
        await pilot.press("slash")
        await look(app, pilot, "clients, filter box")
        await pilot.press("z", "z", "z")
        await look(app, pilot, "clients, no match")
        await pilot.press("escape", "s")
        await look(app, pilot, "clients, sorted")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await look(app, pilot, "help")
        await pilot.press("escape", "2")
        assert isinstance(app.screen, IncidentsScreen)
        await look(app, pilot, "incident log")
        await pilot.press("k")
        await look(app, pilot, "incident log, one kind")
        await pilot.press("a", "slash")
        await look(app, pilot, "incident log, search box")
        await pilot.press("escape", "v")
        assert isinstance(app.screen, IncidentView)
        await look(app, pilot, "one incident")
        await pilot.press("escape", "1", "enter")
        assert isinstance(app.screen, ChecklistScreen)
        await look(app, pilot, "checklist")
        await pilot.press("i")
        assert isinstance(app.screen, ClientScreen)
        await look(app, pilot, "client page")
        await pilot.press("s")
        assert isinstance(app.screen, ScriptDialog)
        await look(app, pilot, "script")
        await pilot.press("escape", "escape", "escape", "p")
        assert isinstance(app.screen, ParetoScreen)
        await look(app, pilot, "Pareto")
        await pilot.press("space")
        await look(app, pilot, "Pareto, one marked")
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.pause(0.3)
        await look(app, pilot, "palette")
        palette = app.screen.query_one(CommandList)
        assert palette.option_count > 5
        seen["palette's commands"] = "\n".join(
            plain(palette.get_option_at_index(i).prompt) for i in range(palette.option_count))
        await pilot.press(*"qqqqzzzz")
        await pilot.pause(1.0)
        await look(app, pilot, "palette, no match")
        assert "Ninguna coincide" in seen["palette, no match"]
        await pilot.press("escape")
        app.action_help_quit()
        await pilot.pause()
        seen["notices"] = "\n".join(f"{n.title} {n.message}" for n in app._notifications)
        assert "¿Quieres salir?" in seen["notices"]
        for name, text in seen.items():
            english = english_in(text, foreign)
            assert not english, f"English on {name} at {size}: {english}\n{text}"

    drive(data, script, size)


def test_the_footer_help_and_palette_say_spanish_words(spanish: None, data: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        footer = {k.description for k in app.screen.query(FooterKey)}
        assert {"Abrir", "Decidir", "Revisar", "paleta"} <= footer
        await pilot.press("question_mark")
        help_text = plain(app.screen.query_one("HelpText Static", Static).content)
        assert "Lista de clientes (esta pantalla)" in help_text
        assert "registrar un incidente (entrada rápida)" in help_text
        assert "Marcas: P Pareto" in help_text
        await pilot.press("escape", "ctrl+p")
        await pilot.pause(0.3)
        box = app.screen.query_one(Input)
        assert box.placeholder == "Buscar órdenes…"
        prompts = app.screen.query_one(CommandList)
        text = "\n".join(plain(prompts.get_option_at_index(i).prompt)
                         for i in range(prompts.option_count))
        assert "Añadir un cliente" in text and "Añadir: a, +" in text

    drive(data, script)


def test_statuses_kinds_dates_and_amounts_read_in_spanish(spanish: None, data: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        rows = {r[0].plain: r for r in app.screen.query_one(RowTable).rows}  # type: ignore[union-attr]
        pepe = rows["Pepe Gómez"]
        assert str(pepe[1]) == "en despedida"
        assert str(pepe[6]) == "9.100"
        assert str(pepe[7]) == "2 d"
        assert [c.title for c in app.screen.query_one(RowTable).columns][:2] == \
            ["Cliente", "Estado"]
        await pilot.press("2")
        first = app.screen.query_one(RowTable).rows[0]
        assert str(first[0]) == "24 nov 2026 22:10" and str(first[2]) == "fuera de horario"
        await pilot.press("1", "enter", "i")
        page = plain(app.screen.query_one("#dossier", Static).content)
        assert "Facturas" in page and "vence el 15 oct 2026" in page
        assert "pagada el 2 may 2026" in page
        months = app.screen.query_one("#months").render().plain  # type: ignore[attr-defined]
        assert "dic" in months and "Dec" not in months

    drive(data, script, (100, 30))


def test_english_again_in_the_same_process(data: Path) -> None:
    """After the Spanish tests, a new app speaks English (the class's bindings were never
    changed)."""
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        footer = {k.description for k in app.screen.query(FooterKey)}
        assert {"Open", "Decide", "Review", "palette"} <= footer
        assert [c.title for c in app.screen.query_one(RowTable).columns][:2] == \
            ["Client", "Status"]
        assert "clients" in shown(app)

    drive(data, script)


def test_a_spanish_app_keeps_spanish_keys_while_an_english_one_runs(data: Path) -> None:
    """Binding descriptions belong to each instance: making an English app does not change
    a Spanish one's, nor the reverse."""
    from clientfit_tui.i18n import set_language

    set_language("es")
    try:
        spanish_app = ClientfitApp(Store(data))
    finally:
        set_language("en")
    english_app = ClientfitApp(Store(data))
    spoken = {b.id: b.description for _k, b in spanish_app._bindings if b.id}
    plain_ = {b.id: b.description for _k, b in english_app._bindings if b.id}
    assert spoken["quit"] == "Salir" and plain_["quit"] == "Quit"
