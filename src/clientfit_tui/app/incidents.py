"""The incident log: every incident, newest first, filtered by client and kind."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from .. import l10n
from ..domain.model import KINDS, Client, Incident
from ..domain.search import folded
from ..domain.vocab import label
from ..i18n import N_, _, language, ngettext
from .base import BROKEN, DataScreen, footer, spoken
from .commands import INCIDENTS, bindings
from .widgets import Column, FindBox, RowTable, lit

Key = tuple[str, int]
"""(client id, index in its incidents)."""


def short_when(at: date, year: int) -> str:
    """When, in 11 cells: `12-01 23:14` / `01/12 23:14` this year; the day alone, with its
    year, before (the incident view says it in full)."""
    spanish = language() != "en"
    if at.year != year:
        return at.strftime("%d/%m/%y" if spanish else "%Y-%m-%d")
    day = at.strftime("%d/%m" if spanish else "%m-%d")
    return f"{day} {at:%H:%M}" if isinstance(at, datetime) else day


class IncidentsScreen(DataScreen):
    WHERE = INCIDENTS
    BINDINGS = bindings(WHERE)
    AUTO_FOCUS = "#incidents"
    COLUMNS = [Column(N_("When"), 16), Column(N_("Client"), 12, optional=True),
               Column(N_("Kind"), 12, optional=True), Column(N_("Sev"), 3, True, optional=True),
               Column(N_("Min"), 4, True, optional=True), Column(N_("Note"), 27, grow=True)]

    NARROW = 60
    """Narrower than this (40x12): a short date, so that whose incident it is shows."""
    NARROW_COLUMNS = [Column(N_("When"), 11), Column(N_("Client"), 9),
                      Column(N_("Kind"), 12, optional=True), Column(N_("Note"), 16, grow=True)]

    def __init__(self) -> None:
        super().__init__()
        self.narrow = False
        self._columns: list[Column] = []
        self.client_filter = ""
        self.kind_filter = ""
        self.note_filter = ""
        self._order: list[tuple[datetime, str, int]] = []
        self._order_of: object = None

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        yield Static(id="filters")
        box = FindBox(placeholder=_("find in the notes: a few words; Enter keeps it, Esc "
                                    "clears it"), id="find")
        box.display = False
        yield box
        # a date as long as the language writes it ("28 sept 2026 23:59")
        longest = len(l10n.datetime(datetime(2026, 9, 28, 23, 59)))
        columns = [replace(self.COLUMNS[0], width=max(16, longest)), *self.COLUMNS[1:]]
        if language() != "en":
            # kinds read as words ("fuera de horario"), not the file's: up to 16 cells
            kind = max(len(label(k)) for k in KINDS)
            columns[2] = replace(columns[2], width=max(columns[2].width, min(16, kind)))
        self._columns = spoken(columns)
        table = RowTable(self._columns, id="incidents")
        table.empty_text = _("No incidents. n logs one.")
        self._empty = table.empty_text
        yield table
        yield footer()

    def selected(self) -> tuple[Client, Incident] | None:
        key = self.table.current_key
        snap = self.session.snap
        if key is None or snap is None:
            return None
        cid, i = key
        c = snap.data.clients.get(cid)
        if c is None or i >= len(c.incidents):
            return None
        inc = next((x for x in c.incidents if x.index == i), None)
        return (c, inc) if inc is not None else None

    def _sorted(self) -> list[tuple[datetime, str, int]]:
        """Every incident as (instant, client, index), newest first; cached per snapshot."""
        snap = self.session.snap
        assert snap is not None
        if self._order_of is not snap:
            order = [(i.instant, c.id, i.index)
                     for c in snap.data.clients.values() for i in c.incidents]
            order.sort(key=lambda t: (t[0], t[1], t[2]), reverse=True)
            self._order, self._order_of = order, snap
        return self._order

    def refresh_data(self) -> None:
        super().refresh_data()
        snap = self.session.snap
        if snap is None:
            if self.session.problems:
                self.table.empty_text = _(BROKEN)
                self.table.show([], lambda key: ())
            return
        clients = snap.data.clients
        keys: list[Key] = []
        words = folded(self.note_filter).split()
        for _when, cid, i in self._sorted():
            if self.client_filter and cid != self.client_filter:
                continue
            if self.kind_filter and clients[cid].incidents_by_index(i).kind != self.kind_filter:
                continue
            if words and not all(w in folded(clients[cid].incidents_by_index(i).note)
                                 for w in words):
                continue
            keys.append((cid, i))

        year = self.session.now().year

        def cells(key: Key) -> tuple[Text | str, ...]:
            inc = clients[key[0]].incidents_by_index(key[1])
            if self.narrow:
                return (short_when(inc.at, year), lit(key[0]), label(inc.kind), lit(inc.note))
            when = l10n.datetime(inc.at) if isinstance(inc.at, datetime) else l10n.date(inc.at)
            return (when, lit(key[0]), label(inc.kind),
                    Text(str(inc.severity), style="bold" if inc.severity == 3 else ""),
                    f"{inc.minutes:.0f}" if inc.minutes else "", lit(inc.note))

        filtered = bool(self.client_filter or self.kind_filter)
        if words:
            self.table.empty_text = (
                _("None of the incidents shown has '{text}' in its note. Esc clears the "
                  "search; a shows every client and kind.") if filtered else
                _("No note has '{text}'. Esc clears the search.")).format(
                    text=self.note_filter.strip())
        elif filtered:
            self.table.empty_text = _("No incidents of this client or kind. a shows them all.")
        elif self.session.read_only:
            self.table.empty_text = _("No incidents. The file is read-only until its errors "
                                      "are fixed: e opens it.")
        else:
            self.table.empty_text = self._empty
        self.table.show(keys, cells, keep=self.table.current_key)
        f = Text(no_wrap=True, overflow="ellipsis")
        f.append(ngettext("{n} incident", "{n} incidents", len(keys)).format(n=len(keys)),
                 style="bold")
        f.append(_(" · client: "))
        f.append_text(lit(self.client_filter) if self.client_filter else Text(_("all")))
        f.append(_(" · kind: {kind}").format(
            kind=label(self.kind_filter) if self.kind_filter else _("all")))
        if words:
            f.append(_(" · notes: "))
            f.append_text(lit(self.note_filter.strip()))
        self.query_one("#filters", Static).update(f)

    @on(events.Resize)
    def _fit_columns(self) -> None:
        narrow = self.size.width < self.NARROW
        if narrow != self.narrow:
            self.narrow = narrow
            self.table.columns = spoken(self.NARROW_COLUMNS) if narrow else self._columns
            self.refresh_data()

    def selected_client(self) -> str | None:
        """The selected incident's client, else the one shown."""
        hit = self.selected()
        return hit[0].id if hit else (self.client_filter or None)

    def action_edit(self) -> None:
        hit = self.selected()
        if hit:
            self.app.edit_incident(*hit)  # type: ignore[attr-defined]

    def action_view(self) -> None:
        hit = self.selected()
        if hit:
            from .notes import IncidentView

            self.app.push_screen(IncidentView(*hit))

    def action_find(self) -> None:
        self.open_box("find")

    @on(Input.Changed, "#find")
    def _find_changed(self, event: Input.Changed) -> None:
        self.note_filter = event.value
        self.refresh_data()

    @on(Input.Submitted, "#find")
    def _find_done(self, event: Input.Submitted) -> None:
        self.box_done(event.input)

    def action_clear_find(self) -> None:
        """Esc: the search emptied and put away, every incident shown."""
        if self.clear_box("find"):
            self.note_filter = ""
            self.refresh_data()

    def action_delete(self) -> None:
        hit = self.selected()
        if hit:
            self.app.delete_incident(*hit)  # type: ignore[attr-defined]

    def action_filter_client(self) -> None:
        self.app.pick_client_filter(self)  # type: ignore[attr-defined]

    def set_client_filter(self, cid: str) -> None:
        self.client_filter = cid
        self.refresh_data()

    def action_kind(self, step: int) -> None:
        options = ("", *KINDS)
        self.kind_filter = options[(options.index(self.kind_filter) + step) % len(options)]
        self.refresh_data()

    def action_clear(self) -> None:
        self.client_filter = ""
        self.kind_filter = ""
        self.note_filter = ""
        box = self.query_one("#find", Input)
        box.value, box.display = "", False
        self.refresh_data()
