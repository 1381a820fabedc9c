"""What every data screen shares: the banner that shows a broken file's errors."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from ..i18n import N_, _, language, ngettext
from .commands import speak as speak  # also for the dialogs of notes.py (commands reads them)
from .widgets import Column, RowTable, safe

if TYPE_CHECKING:
    from ..session import Session


def spoken(columns: list[Column]) -> list[Column]:
    """Columns whose headings (marked N_) are in the reader's language."""
    return [replace(c, title=_(c.title)) if c.title else c for c in columns]


PALETTE_HINT_WIDTH = 60
"""Below this width the footer leaves out the palette's key (Ctrl+P still opens it), so
that the screen's own keys fit, their words whole."""


class KeysFooter(Footer):
    """The footer, without the palette's key on a narrow terminal."""

    def on_resize(self, event: events.Resize) -> None:
        wide = event.size.width >= PALETTE_HINT_WIDTH
        if wide != self.show_command_palette:
            self.show_command_palette = wide
            self.refresh(recompose=True)


def footer() -> Footer:
    """The keys of the screen: compact in a language whose words are longer than
    English's, so that as many keys fit."""
    return KeysFooter(compact=language() != "en")


BROKEN = N_("Nothing to show until the file's errors are fixed: e opens it.")
"""What an empty list says while the file has never been read whole (it has errors)."""

TEXT_BOX_KEYS = frozenset({"back", "clear_filter", "clear_find"})
"""The screen's actions that still act while a text box of the screen has the focus."""


class DataScreen(Screen[None]):
    """A screen over the session's data; `refresh_data` redraws it from the latest snapshot.

    Keys that open a dialog are priority bindings, run before the app reads the next
    key, so what is typed right after them lands in the dialog. While a text box of
    the screen has the focus they are letters, not commands.
    """

    def __init__(self) -> None:
        super().__init__()
        speak(self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
            return not (isinstance(self.focused, Input) and action not in TEXT_BOX_KEYS)

    def open_box(self, box_id: str) -> None:
        """Show a text box of the screen (a filter, a search) and focus it now, not later:
        the keys of the same burst are the box's."""
        box = self.query_one(f"#{box_id}", Input)
        box.display = True
        self.set_focus(box)

    def box_done(self, box: Input) -> None:
        """Enter in a box: an empty one is put away; the list has the keys again."""
        if not box.value:
            box.display = False
        self.set_focus(self.table)

    def clear_box(self, box_id: str) -> bool:
        """Esc in a box: emptied and put away; False when it was that already."""
        box = self.query_one(f"#{box_id}", Input)
        if not box.value and not box.display:
            return False
        box.value = ""
        box.display = False
        self.set_focus(self.table)
        return True

    def selected_client(self) -> str | None:
        """The client the screen is about, or whose row is selected (a list keyed by id)."""
        key = self.table.current_key
        return key if isinstance(key, str) else None

    @property
    def table(self) -> RowTable:
        """The screen's list (each data screen has one)."""
        return self.query_one(RowTable)

    def compose_banner(self) -> ComposeResult:
        yield Static(id="banner", classes="hidden")

    @property
    def session(self) -> Session:
        return self.app.session  # type: ignore[attr-defined, no-any-return]

    def refresh_data(self) -> None:
        banner = self.query_one("#banner", Static)
        problems = self.session.problems
        demo = getattr(self.app, "demo", "")
        banner.set_class(bool(demo) and not problems, "demo")
        if not problems:
            banner.set_class(not demo, "hidden")
            if demo:
                banner.update(Text(safe(demo), no_wrap=True, overflow="ellipsis"))
            return
        t = Text()
        t.append(_("The file has errors: showing the last good data, read-only. "
                   "e opens it to fix.") + "\n", style="bold")
        for line in problems[:3]:
            t.append(safe(line) + "\n")
        if len(problems) > 3:
            more = len(problems) - 3
            t.append(ngettext("... and {n} more (clientfit check lists them all)",
                              "... and {n} more (clientfit check lists them all)",
                              more).format(n=more))
        banner.update(t)
        banner.remove_class("hidden")

    def tick(self) -> None:
        """Called once a second while the screen is shown."""

    def on_screen_resume(self) -> None:
        self.refresh_data()
