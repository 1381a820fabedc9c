"""Two small screens: a new client's form, and one incident read whole (its note copied
to the clipboard with OSC 52, which works over SSH)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from .. import l10n
from ..actions.clients import ClientInput
from ..domain.model import STATUSES, Client, Incident
from ..domain.vocab import label
from ..i18n import N_, _
from .base import speak
from .client import minutes
from .dialogs import Choice, Dialog, _input, choice, field
from .widgets import lit, safe

STATUS_KEYS = [(s[0], s) for s in STATUSES]
"""a active, w watch, o offboarding, e ended (in Spanish a, b, d, t too: `dialogs.SPANISH_KEYS`)."""
FIELDS = {"revenue": N_("Revenue"), "since": N_("Since"), "name": N_("Name"),
          "status": N_("Status")}
"""The fields an error may be about, by id: their labels, to find them in a message."""


class ClientDialog(Dialog[ClientInput]):
    """A new client: id, name, status (one key), since, revenue."""

    LAST_FIELD = "revenue"
    AUTO_FOCUS = "#id"

    def __init__(self, check: Callable[[ClientInput], str | None] | None = None,
                 draft: ClientInput | None = None, problem: str = "") -> None:
        super().__init__(check)
        self.draft = draft
        self.problem = problem
        self.is_draft = draft is not None

    def compose(self) -> ComposeResult:
        d = self.draft
        with Vertical():
            yield Static(_("Add a client"), classes="title")
            yield field(_("Id"), _input(d.id if d else "", id="id",
                                        placeholder=_("a-z, 0-9 and -: acme")))
            yield field(_("Name"), _input(d.name if d else "", id="name",
                                          placeholder=_("Acme Ltd")))
            yield field(_("Status"), choice(STATUS_KEYS, d.status if d else "active",
                                            id="status"))
            yield field(_("Since"), _input(str(d.since or "") if d else "", id="since",
                                           placeholder=_("a date (optional)")))
            yield field(_("Revenue"), _input(str(d.revenue or "") if d else "", id="revenue",
                                             placeholder=_("optional")))
            yield Static(lit(self.problem), id="error", classes="error")
            yield Static(_("Tab next field · Enter on Revenue or Ctrl+S saves · Esc cancels"),
                         classes="hint")

    def error(self, message: str) -> None:
        """Say why, and put the focus on the field it is about."""
        super().error(message)
        low = message.lower()
        wid = next((w for w, shown in FIELDS.items() if low.startswith(w)
                    or f"the {w}" in low or f"a {w}" in low or _(shown).lower() in low), "id")
        if wid != "status":
            self.query_one(f"#{wid}", Input).focus()

    def submit(self) -> None:
        def value(wid: str) -> str:
            return self.query_one(f"#{wid}", Input).value

        self.answer(ClientInput(value("id").strip(), value("name"),
                                self.query_one("#status", Choice).value, value("since"),
                                value("revenue")))


class IncidentView(ModalScreen[None]):
    """One incident, read only: every field and the whole note."""

    DEFAULT_CSS = """
    IncidentView { align: center middle; }
    IncidentView > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $panel;
    }
    IncidentView .title { text-style: bold; }
    IncidentView VerticalScroll { height: auto; max-height: 1fr; }
    IncidentView .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,q,v", "close", N_("Close"), id="close-view"),
                Binding("c", "copy", N_("Copy note"), id="copy-note")]

    def __init__(self, client: Client, incident: Incident) -> None:
        super().__init__()
        self.client = client
        self.incident = incident
        speak(self)

    def compose(self) -> ComposeResult:
        c, i = self.client, self.incident
        head = Text()
        head.append(safe(f"{c.name} ({c.id})"), style="bold")
        head.append("\n" + _("{when} · {kind} · severity {severity}").format(
            when=l10n.moment(i.at), kind=label(i.kind), severity=i.severity))
        if i.minutes:
            head.append(" · " + _("{minutes} min").format(minutes=minutes(i.minutes)))
        with Vertical():
            yield Static(_("Incident"), classes="title")
            yield Static(head)
            with VerticalScroll():
                yield Static(Text(safe(i.note).replace("⏎", "\n") if i.note else
                                  _("(no note)")), id="note")
            yield Static(_("c copies the note · Esc closes"), classes="hint")

    def action_close(self) -> None:
        self.dismiss(None)

    def action_copy(self) -> None:
        if not self.incident.note:
            self.notify(_("No note to copy."), timeout=3)
            return
        self.app.copy_to_clipboard(self.incident.note)
        self.notify(_("Note copied to the clipboard (OSC 52)."), timeout=3)
