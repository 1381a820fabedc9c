"""Quick entry: the form that logs (or edits) an incident."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from ..actions.incidents import IncidentInput
from ..domain import dates, rules
from ..domain.model import KIND_KEYS, Client, Settings
from ..domain.search import match_clients
from ..i18n import _
from .dialogs import SEVERITIES, SEVERITY_LABELS, Choice, Dialog, _input, choice, field
from .validators import Minutes, When, when_text
from .widgets import lit, safe


class IncidentDialog(Dialog[IncidentInput]):
    """Quick entry: client (fuzzy), kind (one key), severity (1-3), when, minutes, note.

    The kinds keep their one-letter keys in Spanish too (`KIND_KEYS`: a v l s d o, the
    keys `log --kind` takes): six Spanish initials would clash, and one set is learnt
    once. The other pickers take Spanish keys as well (`dialogs.SPANISH_KEYS`)."""

    LAST_FIELD = "note"

    def __init__(self, clients: list[Client], settings: Settings, now: datetime,
                 client: str | None = None, incident: IncidentInput | None = None,
                 draft: bool = False, problem: str = "",
                 check: Callable[[IncidentInput], str | None] | None = None) -> None:
        """`incident`: the incident to edit, or (with `draft`) a form whose save failed,
        shown again as it was typed."""
        super().__init__(check)
        self.clients = clients
        self.settings = settings
        self.now = now
        self.problem = problem
        if incident is not None:
            client = incident.client
        self.incident = incident
        self.is_draft = draft
        self.chosen: Client | None = next((c for c in clients if c.id == client), None)
        self.initial_client = client or ""
        # Focus, as the screen mounts (not later): the client, its name selected so that
        # typing another replaces it (a list's selection is only a guess); a form given
        # back after a failed save, on the note, where Enter saves again.
        self.AUTO_FOCUS = "#note" if draft else "#client"  # type: ignore[misc]

    def compose(self) -> ComposeResult:
        inc = self.incident
        title = _("Edit incident") if inc and not self.is_draft else _("Log an incident")
        # Empty is now (the placeholder says so): typing replaces it. An incident being
        # edited shows its own moment, in ISO, to be typed over.
        when = ""
        if inc is not None:
            when = inc.when if isinstance(inc.when, str) else dates.show_moment(inc.when)
            if when.strip().lower() == "now":
                when = ""
        with Vertical():
            yield Static(title, classes="title")
            yield field(_("Client"), _input(self.initial_client, id="client",
                                            placeholder=_("type a few letters"),
                                            select_on_focus=True))
            yield Static("", id="match", classes="hint")
            yield field(_("Kind"), choice(list(KIND_KEYS.items()),
                                          inc.kind if inc and inc.kind else self._suggest(when),
                                          id="kind"))
            sev = SEVERITIES[(inc.severity if inc else 1) - 1][1]
            yield field(_("Severity"), choice(SEVERITIES, sev, SEVERITY_LABELS,
                                                     id="severity"))
            yield field(_("When"), _input(when, id="when",
                                          placeholder=_("now (or today, -2h, 2026-11-20 23:14)"),
                                          validators=[When(self.now, self.settings)]))
            yield field(_("Minutes"), _input(_minutes_text(inc.minutes if inc else None),
                                             id="minutes", placeholder=_("time it cost you"),
                                             validators=[Minutes()]))
            yield field(_("Note"), _input(inc.note if inc else "", id="note",
                                          placeholder=_("what happened")))
            yield Static(lit(self.problem), id="error", classes="error")
            yield Static(_("Tab next field · Enter on Note or Ctrl+S saves · Esc cancels"),
                         classes="hint")

    def on_mount(self) -> None:
        self._update_match()

    def _suggest(self, when: str) -> str:
        try:
            at = dates.parse_when(when_text(when), self.now, self.settings.tz, past=True)
        except (ValueError, OverflowError):
            return "other"
        return "after-hours" if rules.is_after_hours(at, self.settings) else "other"

    def _update_match(self) -> None:
        q = self.query_one("#client", Input).value.strip()
        hits = match_clients(q, self.clients) if q else []
        exact = [c for c in self.clients if c.id == q]
        self.chosen = exact[0] if exact else (hits[0] if hits else None)
        label = self.query_one("#match", Static)
        if not q:
            label.update(Text("  " + _("type a client's id or name"), style="dim"))
        elif self.chosen is None:
            label.update(Text("  " + _("no client matches"), style="bold"))
        else:
            others = ", ".join(safe(c.id) for c in hits[1:4])
            t = Text("  → ")
            t.append(safe(f"{self.chosen.name} ({self.chosen.id})"), style="bold")
            if others:
                t.append("   " + _("also: {clients}").format(clients=others), style="dim")
            label.update(t)

    @on(Input.Changed, "#client")
    def _client_changed(self) -> None:
        self._update_match()

    @on(Input.Changed, "#when")
    def _when_changed(self) -> None:
        self._suggest_kind()

    def _suggest_kind(self) -> None:
        """A new incident's kind, unless picked: after-hours when When is outside work
        hours, else other."""
        kind = self.query_one("#kind", Choice)
        if not kind.touched and (self.incident is None or self.is_draft):
            kind.value = self._suggest(self.query_one("#when", Input).value)

    def submit(self) -> None:
        # What the fields hold now, not what their last change message said: in a burst,
        # the save comes before those messages (a client typed, then Enter at once).
        self._update_match()
        self._suggest_kind()
        if self.chosen is None:
            self.error(_("Choose a client: type a few letters of its id or name."))
            self.query_one("#client", Input).focus()
            return
        if self.failed("when") or self.failed("minutes"):
            return
        self.answer(IncidentInput(
            self.chosen.id, when_text(self.query_one("#when", Input).value),
            self.query_one("#kind", Choice).value,
            int(self.query_one("#severity", Choice).value[0]),
            self.query_one("#minutes", Input).value, self.query_one("#note", Input).value))


def _minutes_text(v: str | float | None) -> str:
    if v is None or v == "":
        return ""
    if isinstance(v, str):
        return v
    return str(int(v)) if float(v).is_integer() else str(v)
