"""The incident log: every incident, newest first, filtered by client and kind."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Footer, Static

from ..domain import dates
from ..domain.model import KINDS, Client, Incident
from .base import DataScreen
from .commands import INCIDENTS, bindings
from .widgets import Column, RowTable, lit

Key = tuple[str, int]
"""(client id, index in its incidents)."""


class IncidentsScreen(DataScreen):
    WHERE = INCIDENTS
    BINDINGS = bindings(WHERE)
    COLUMNS = [Column("When", 16), Column("Client", 12), Column("Kind", 12),
               Column("Sev", 3, True), Column("Min", 4, True), Column("Note", 27)]

    def __init__(self) -> None:
        super().__init__()
        self.client_filter = ""
        self.kind_filter = ""
        self._order: list[tuple[datetime, str, int]] = []
        self._order_of: object = None

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        yield Static(id="filters")
        table = RowTable(self.COLUMNS, id="incidents")
        table.empty_text = "No incidents. n logs one."
        yield table
        yield Footer()

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
            return
        clients = snap.data.clients
        keys: list[Key] = []
        for _, cid, i in self._sorted():
            if self.client_filter and cid != self.client_filter:
                continue
            if self.kind_filter and clients[cid].incidents_by_index(i).kind != self.kind_filter:
                continue
            keys.append((cid, i))

        def cells(key: Key) -> tuple[Text | str, ...]:
            inc = clients[key[0]].incidents_by_index(key[1])
            return (dates.show_moment(inc.at)[:16], lit(key[0]), inc.kind,
                    Text(str(inc.severity), style="bold" if inc.severity == 3 else ""),
                    f"{inc.minutes:.0f}" if inc.minutes else "", lit(inc.note))

        self.table.show(keys, cells, keep=self.table.current_key)
        f = Text(no_wrap=True, overflow="ellipsis")
        f.append(f"{len(keys)} incidents", style="bold")
        f.append(" · client: ")
        f.append_text(lit(self.client_filter or "all"))
        f.append(f" · kind: {self.kind_filter or 'all'}")
        self.query_one("#filters", Static).update(f)

    def action_edit(self) -> None:
        hit = self.selected()
        if hit:
            self.app.edit_incident(*hit)  # type: ignore[attr-defined]

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
        self.refresh_data()
