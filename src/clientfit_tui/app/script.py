"""The words for the meeting in a dialog: read, scroll, copy (OSC 52, which works over SSH)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..i18n import _
from .base import footer
from .commands import SCRIPT, bindings, speak
from .widgets import safe


class ScriptDialog(ModalScreen[None]):
    """The talking points and the written confirmation of one client."""

    WHERE = SCRIPT
    BINDINGS = bindings(WHERE)
    DEFAULT_CSS = """
    ScriptDialog { align: center middle; }
    ScriptDialog > Vertical { width: 100%; max-width: 90; height: 100%;
        border: round $primary; background: $panel; }
    ScriptDialog #script-title { height: 1; padding: 0 1; text-style: bold; }
    ScriptDialog VerticalScroll { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    """

    def __init__(self, title: str, parts: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.parts = parts
        """(template name, filled text), in order."""
        speak(self)

    @property
    def text(self) -> str:
        return "\n\n".join(t.rstrip("\n") for _name, t in self.parts) + "\n"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(safe(self.title_text), id="script-title", markup=False)
            with VerticalScroll(id="script-body"):
                yield Static(Text("\n".join(safe(line) for line in self.text.split("\n"))),
                             id="script-text")
            yield footer()

    def on_mount(self) -> None:
        self.query_one("#script-body", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self, which: str) -> None:
        text = self.text if which == "all" else \
            next((t for name, t in self.parts if name == which), self.text)
        self.app.copy_to_clipboard(text)
        self.notify(_("The script is on the clipboard (OSC 52): paste it where you need it.")
                    if which == "all" else
                    _("The written confirmation is on the clipboard (OSC 52): paste it where "
                      "you need it."), timeout=4)
