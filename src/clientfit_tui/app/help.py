"""The help screen: every key, from the commands table, grouped by where it works."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..i18n import N_, _
from .commands import HELP, LIST, PLACES, at, bindings, dialog_keys, effective_keys, speak

MARKS = N_("Marks: P Pareto (the few clients with most of the trouble), "
           "! instinct (considered ending it often), $ unpaid invoices, "
           "x something clientfit check flags (a decision inside its cooling-off, a "
           "reason of more than one sentence, a referral skipped), < pays below your rate "
           "(trouble included).")


DIALOG_WORDS = (N_("cancel"), N_("save"), N_("next field"), N_("previous field"),
                N_("next or save"), N_("previous option"), N_("next option"), N_("yes"),
                N_("no"), N_("close"), N_("copy note"))
"""What the keys of the dialogs do, as the help says it (their description, or their id,
in lower case): here so that each has its translation."""


def shown_keys(app: App[Any], keys: list[str]) -> str:
    return ", ".join(app.get_key_display(Binding(k, "")) for k in keys)


def keys_text(app: App[Any], under: str | None, keymap: Mapping[str, str]) -> RenderableType:
    """Every key as it is now bound: the screen underneath first, then every other place."""
    places = list(PLACES)
    if under in places:
        places.remove(under)
        places.insert(0, under)
    parts: list[RenderableType] = [Text(_("Keys"), style="bold")]
    for place in places:
        rows = [(shown_keys(app, effective_keys(c, keymap)), _(c.does)) for c in at(place)]
        title = _(PLACES[place][0])
        if place == under:
            title = _("{place} (this screen)").format(place=title)
        parts.append(_group(title, rows))
    dialog = [(shown_keys(app, keymap.get(b.id or "", b.key).split(",")),
               _((b.description or (b.id or "").replace("-", " ")).lower()))
              for b in dialog_keys()]
    parts.append(_group(_("In a dialog"), dialog))
    parts.append(Text("\n" + _(MARKS), style="dim"))
    return Group(*parts)


def _group(title: str, rows: list[tuple[str, str]]) -> RenderableType:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold", no_wrap=True, min_width=10, max_width=18)
    table.add_column(ratio=1)
    for keys, does in rows:
        table.add_row(keys, does)
    return Group(Text(f"\n{title}", style="bold underline"), table)


class HelpText(VerticalScroll, inherit_bindings=False):
    """The help's text, scrolled by the same keys as a list (so a rebinding moves both)."""

    BINDINGS = bindings(LIST)

    def __init__(self) -> None:
        super().__init__()
        speak(self)

    def action_cursor(self, lines: int) -> None:
        self.scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        if pages < 0:
            self.scroll_page_up(animate=False)
        else:
            self.scroll_page_down(animate=False)

    def action_jump(self, where: int) -> None:
        if where == 0:
            self.scroll_home(animate=False)
        else:
            self.scroll_end(animate=False)


class HelpScreen(ModalScreen[None]):
    """Every key: the screen underneath's first, then the app's and every other screen's."""

    WHERE = HELP
    BINDINGS = bindings(HELP)
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > HelpText { width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $panel; padding: 0 1; }
    """

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under
        speak(self)

    def compose(self) -> ComposeResult:
        keymap: Mapping[str, str] = getattr(self.app, "key_overrides", {})
        self.body = keys_text(self.app, getattr(self.under, "WHERE", None), keymap)
        with HelpText():
            yield Static(self.body)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)

