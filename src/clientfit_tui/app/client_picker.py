"""The incident log's client filter: a client picked by a few letters."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from ..actions import Answer
from ..domain.model import Client
from ..domain.search import match_clients
from ..i18n import _
from .questions import TextDialog
from .widgets import lit


class ClientPicker(TextDialog):
    """A client by a few letters; empty means every client (the answer's `choice`)."""

    def __init__(self, clients: list[Client], value: str = "") -> None:
        super().__init__(_("Show incidents of which client?"), value,
                         _("Enter picks the best match · empty: all clients · Esc cancels"),
                         _("a few letters of an id or name"))
        self.clients = clients

    def below_input(self) -> ComposeResult:
        yield Static("", id="match", classes="hint")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        hits = match_clients(event.value.strip(), self.clients) if event.value.strip() else []
        self.query_one("#match", Static).update(
            lit("  → " + ", ".join(c.id for c in hits[:5])) if hits else
            Text("  " + (_("all clients") if not event.value.strip()
                         else _("no client matches"))))

    def submit(self) -> None:
        q = self.query_one("#text", Input).value.strip()
        if not q:
            self.dismiss(Answer(choice=""))
            return
        hits = match_clients(q, self.clients)
        if not hits:
            self.error(_("No client matches."))
            return
        self.dismiss(Answer(choice=hits[0].id))
