"""The dialogs' workflow (Pilot): a picker reached again never flips unseen nor scrambles
the note; a first Esc warns in the dialog itself; an empty When is now; and the dialogs
read in Spanish."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from clientfit_tui.app.app import ClientfitApp
from clientfit_tui.app.client_picker import ClientPicker
from clientfit_tui.app.clients import ClientsScreen
from clientfit_tui.app.dialogs import Choice, Dialog
from clientfit_tui.app.incident_dialog import IncidentDialog
from clientfit_tui.app.questions import ChoiceDialog, Confirm
from test_app import NOW, drive, incidents, plain


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)


def text_of(dialog: Dialog, selector: str) -> str:
    return plain(dialog.query_one(selector, Static).render()).strip()


def notice(dialog: Dialog) -> str:
    """What the dialog's notice line says ("" when there is none, or it is hidden)."""
    found = list(dialog.query("#notice"))
    if not found or not found[0].display:
        return ""
    return text_of(dialog, "#notice")


def shown(dialog: Dialog) -> str:
    """Every text the dialog shows."""
    parts = []
    for w in dialog.query("Static, Label, Choice"):
        parts.append(plain(w.render()).strip())
    for i in dialog.query(Input):
        parts.append(i.value or i.placeholder)
    return "\n".join(parts)


# -- 1. the review's picker, reached again by Tab ----------------------------------------

def test_a_picker_reached_again_never_flips_unseen_nor_scrambles_the_note(
        sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("r", "e", *"fed up")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        picker, note = dialog.query_one("#choice", Choice), dialog.query_one("#text", Input)
        assert picker.value == "end" and app.focused is note
        await pilot.press("shift+tab", *"kept")    # Shift+Tab went back to the picker
        await pilot.pause()
        assert note.value == "fed up"               # nothing typed landed in the note
        assert app.focused is picker                # a change keeps the focus there...
        assert picker.value == "end"                # k then e: back where it was
        assert "Changed to end" in notice(dialog)   # ...and every change is said
        await pilot.press(*"ouch")                  # not its keys (nor s, t): nothing at all
        assert picker.value == "end" and note.value == "fed up"
        await pilot.press("k")
        assert picker.value == "keep" and "Changed to keep" in notice(dialog)
        assert app.focused is picker
        await pilot.press("k", *" again")           # the same key again: on to the note's end
        await pilot.pause()
        assert note.value == "fed up again" and picker.value == "keep"
        assert notice(dialog) == ""

    drive(sample_file, script)


def test_the_first_pick_moves_on_with_the_cursor_at_the_note_end(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("r")
        dialog = app.screen
        note = dialog.query_one("#text", Input)
        note.value = "already here"
        note.cursor_position = 0
        await pilot.press("e", *" and more")
        await pilot.pause()
        assert note.value == "already here and more"
        assert dialog.query_one("#choice", Choice).value == "end"

    drive(sample_file, script)


# -- 2. Esc with something typed ------------------------------------------------------

def test_a_first_esc_warns_in_the_dialog_and_a_second_discards(sample_file: Path) -> None:
    before = sample_file.read_bytes()

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("r", "e", *"fed up", "escape")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert "Esc again to discard what you typed" in notice(dialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)

    drive(sample_file, script)
    assert sample_file.read_bytes() == before


def test_any_other_key_after_a_first_esc_clears_the_warning(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("r", "e", *"fed up", "escape")
        await pilot.pause()
        dialog = app.screen
        assert "Esc again" in notice(dialog)
        await pilot.press("!")
        await pilot.pause()
        assert notice(dialog) == ""
        assert dialog.query_one("#text", Input).value == "fed up!"
        await pilot.press("escape")                 # warns again: the dialog stays
        await pilot.pause()
        assert app.screen is dialog and "Esc again" in notice(dialog)
        await pilot.press("tab")                    # a key that moves the focus clears it too
        await pilot.pause()
        assert notice(dialog) == "" and app.screen is dialog
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)

    drive(sample_file, script)


def test_esc_on_an_untouched_dialog_closes_at_once(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("r", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)

    drive(sample_file, script)


# -- 3. the quick entry's When ------------------------------------------------------

def test_when_is_empty_and_means_now_so_typing_replaces_it(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("n")
        dialog = app.screen
        assert isinstance(dialog, IncidentDialog)
        when = dialog.query_one("#when", Input)
        assert when.value == "" and when.placeholder.startswith("now")
        await pilot.press("tab", "v", "2", *"-2h", "tab", "tab", *"typed over", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)

    drive(sample_file, script)
    inc = tomllib.loads(sample_file.read_text())["clients"]["acme"]["incidents"][-1]
    assert inc["note"] == "typed over" and str(inc["at"]) == "2026-11-27 08:00:00"


def test_an_empty_when_saves_now(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("n", "tab", "v", "2", "tab", "tab", "tab", *"just now", "enter")
        await pilot.pause()

    drive(sample_file, script)
    inc = tomllib.loads(sample_file.read_text())["clients"]["acme"]["incidents"][-1]
    assert inc["note"] == "just now" and str(inc["at"]) == "2026-11-27 10:00:00"


def test_editing_an_incident_shows_its_own_moment(sample_file: Path) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("2", "enter")
        dialog = app.screen
        assert isinstance(dialog, IncidentDialog)
        assert dialog.query_one("#when", Input).value == "2026-11-26 23:14"

    drive(sample_file, script)


# -- in Spanish ------------------------------------------------------------------------

def test_the_quick_entry_reads_in_spanish(sample_file: Path, spanish: None) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("n")
        dialog = app.screen
        assert isinstance(dialog, IncidentDialog)
        text = shown(dialog)
        for words in ("Registrar un incidente", "Cliente", "Tipo", "Gravedad", "Cuándo",
                      "Minutos", "Nota", "otro", "1 leve", "ahora", "qué pasó",
                      "Tab: campo siguiente"):
            assert words in text, words
        for english in ("Log an incident", "Severity", "minor", "what happened",
                        "next field"):
            assert english not in text, english
        assert "a v l s d o" in text                 # the one-letter keys stay as they are
        await pilot.press("tab", "a")
        assert "fuera de horario" in plain(dialog.query_one("#kind", Choice).render())
        dialog.query_one("#client", Input).value = ""
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert text_of(dialog, "#error") == (
            "Elige un cliente: escribe unas letras de su id o de su nombre.")
        await pilot.press("escape")
        await pilot.pause()
        assert "Esc otra vez descarta lo escrito." in notice(dialog)

    drive(sample_file, script)


def test_the_review_and_the_picker_read_in_spanish(sample_file: Path, spanish: None) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("r")
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        picker = dialog.query_one("#choice", Choice)
        assert "< seguir >  s t" in plain(picker.render())   # the Spanish keys shown
        assert "Letra o ←/→ elige · Intro guarda · Esc cancela" in shown(dialog)
        await pilot.press("t", *"harto")            # t: terminar, and on to the note
        assert picker.value == "terminar"
        assert dialog.query_one("#text", Input).value == "harto"
        await pilot.press("shift+tab", "s")         # s: seguir
        assert picker.value == "seguir" and "Cambiado a seguir" in notice(dialog)
        await pilot.press("e")                      # the English keys work too
        assert picker.value == "terminar" and "Cambiado a terminar" in notice(dialog)
        await pilot.press("k")
        assert picker.value == "seguir" and "Cambiado a seguir" in notice(dialog)
        await pilot.press("escape", "escape", "2", "f")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, ClientPicker)
        assert "¿De qué cliente ver los incidentes?" in shown(picker)
        assert "todos los clientes" in shown(picker)
        await pilot.press(*"zzzz", "enter")
        await pilot.pause()
        assert text_of(picker, "#error") == "Ningún cliente coincide."
        assert "ningún cliente coincide" in text_of(picker, "#match")

    drive(sample_file, script)


def test_deleting_an_incident_asks_in_spanish(sample_file: Path, spanish: None) -> None:
    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("2", "x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, Confirm)
        text = shown(dialog)
        assert "¿Borrar este incidente de acme?" in text
        assert "26 nov 2026 23:14 fuera de horario" in text
        assert "s sí · n no" in text
        await pilot.press("s")                      # sí
        for _ in range(50):
            if len(incidents(sample_file, "acme")) < before:
                break
            await pilot.pause(0.05)
        assert any(n.message == "Se borró un incidente de acme" for n in app._notifications)
        await pilot.press("u")
        for _ in range(50):
            if any(n.message.startswith("Deshecho") for n in app._notifications):
                break
            await pilot.pause(0.05)
        assert any(n.message == "Deshecho: se borró un incidente de acme"
                   for n in app._notifications)

    before = len(incidents(sample_file, "acme"))
    drive(sample_file, script)
    assert len(incidents(sample_file, "acme")) == before


@pytest.mark.parametrize("lang", ["en", "es"])
def test_y_confirms_in_either_language(sample_file: Path, lang: str,
                                       request: pytest.FixtureRequest) -> None:
    if lang == "es":
        request.getfixturevalue("spanish")
    before = len(incidents(sample_file, "acme"))

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("2", "x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert ("y yes · n no" if lang == "en" else "s sí · n no") in shown(app.screen)
        await pilot.press("y")
        for _ in range(50):
            if len(incidents(sample_file, "acme")) < before:
                break
            await pilot.pause(0.05)

    drive(sample_file, script)
    assert len(incidents(sample_file, "acme")) == before - 1


@pytest.mark.parametrize("lang", ["en", "es"])
def test_editor_messages(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from clientfit_tui.app import editor
    from clientfit_tui.i18n import set_language

    set_language(lang)
    try:
        monkeypatch.setenv("EDITOR", "no-such-editor-here")
        _args, why = editor.command("/tmp/x.toml", 3)
    finally:
        set_language("en")
    assert why == ("editor not found: no-such-editor-here (set $VISUAL or $EDITOR)"
                   if lang == "en" else
                   "editor no encontrado: no-such-editor-here (define $VISUAL o $EDITOR)")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_status_picker_shows_the_keys_of_the_language_and_takes_both(
        sample_file: Path, lang: str, request: pytest.FixtureRequest) -> None:
    if lang == "es":
        request.getfixturevalue("spanish")

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        app.add_client()
        await pilot.pause()
        dialog = app.screen
        status = dialog.query_one("#status", Choice)
        keys = "a w o e" if lang == "en" else "a b d t"
        assert plain(status.render()).rstrip().endswith(keys)
        status.focus()
        await pilot.press("d")                      # en despedida
        assert status.value == "offboarding"
        for key, value in (("e", "ended"), ("b", "watch"), ("w", "watch"), ("a", "active"),
                           ("t", "ended"), ("o", "offboarding")):
            status.focus()
            await pilot.press(key)
            assert status.value == value, key

    drive(sample_file, script)


def test_every_picker_key_picks_one_option() -> None:
    """No key picks two options in any picker, in either language."""
    from clientfit_tui.app.dialogs import SEVERITIES, choice
    from clientfit_tui.app.notes import STATUS_KEYS
    from clientfit_tui.domain.checklist import Meeting
    from clientfit_tui.domain.model import KIND_KEYS, MEETINGS

    for options, values in ((STATUS_KEYS, None), (list(KIND_KEYS.items()), None),
                            (SEVERITIES, None), ([("k", "seguir"), ("e", "terminar")],
                                                 ["keep", "end"]),
                            ([(Meeting.KEYS[m], m) for m in MEETINGS], None)):
        picker = choice(options, options[0][1], values=values)   # raises on a clash
        assert all(len(b) == 1 for b in picker._bindings.key_to_bindings.values())
        for i, (k, _v) in enumerate(options):
            assert picker.option_of(k) == i and picker.option_of(picker.SPANISH[i]) == i


def test_enter_on_the_picker_saves_and_a_new_pick_clears_an_old_refusal(
        sample_file: Path) -> None:
    """The hint says Enter saves: on the picker too. A refusal said of one pick goes when
    the pick changes."""
    before = len(incidents(sample_file, "acme"))
    reviews = len(tomllib.loads(sample_file.read_text())["clients"]["acme"]["reviews"])

    async def script(app: ClientfitApp, pilot: Pilot[int]) -> None:
        await pilot.press("r", "e", "enter")                # end, in the cooling-off
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceDialog)
        assert "cooling off" in text_of(dialog, "#error")
        await pilot.press("shift+tab", "k")                  # keep: the refusal goes
        await pilot.pause()
        assert text_of(dialog, "#error") == ""
        await pilot.press("enter")                           # on the picker: saves
        await pilot.pause()
        assert isinstance(app.screen, ClientsScreen)

    drive(sample_file, script)
    assert len(incidents(sample_file, "acme")) == before
    got = tomllib.loads(sample_file.read_text())["clients"]["acme"]["reviews"]
    assert len(got) == reviews + 1 and got[-1]["outcome"] == "keep"
