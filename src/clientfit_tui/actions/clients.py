"""Clients: add one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..domain import dates
from ..domain.model import CLIENT_ID, STATUSES
from ..domain.values import read_number, text_problem
from ..i18n import _
from ..store import edit
from . import Change, Refusal

if TYPE_CHECKING:
    from ..store.snapshot import Snapshot


@dataclass(frozen=True, slots=True)
class ClientInput:
    """A new client as a person gave it (the app's form, or `clientfit add`)."""

    id: str
    name: str
    status: str = "active"
    since: str | date | None = None
    """As typed ("2026-03-01", "today"), or already read; None or "" for none."""
    revenue: str | float | None = None
    """As typed, or a number; None or "" for none."""


def read(entry: ClientInput, snap: Snapshot, now: datetime) -> dict[str, Any] | Refusal:
    """The new client's table, or why it cannot be."""
    cid = entry.id.strip()
    if not CLIENT_ID.fullmatch(cid):
        return Refusal(_("client id {id} must start with a-z or 0-9 and use only a-z, 0-9 "
                         "and '-'").format(id=repr(cid)))
    if snap.has_client(cid):
        return Refusal(_("there is already a client '{id}'").format(id=cid))
    name = entry.name.strip()
    if not name:
        return Refusal(_("a client needs a name"))
    why = text_problem(name, _("the name"))
    if why is not None:
        return Refusal(why)
    if entry.status not in STATUSES:
        return Refusal(_("unknown status {status} (one of: {known})").format(
            status=repr(entry.status), known=", ".join(STATUSES)))
    table: dict[str, Any] = {"name": name}
    if entry.status != "active":
        table["status"] = entry.status
    since = entry.since
    if isinstance(since, str):
        since = since.strip() or None
    if since is not None:
        if isinstance(since, str):
            try:
                since = dates.parse_when(since, now, snap.settings.tz)
            except ValueError as e:
                return Refusal(_("since: {problem}").format(problem=e))
        table["since"] = since.date() if isinstance(since, datetime) else since
    revenue = entry.revenue
    if isinstance(revenue, str):
        revenue = revenue.strip() or None
    if revenue is not None:
        try:
            table["revenue"] = read_number(str(revenue))
        except ValueError as e:
            return Refusal(_("revenue: {problem}").format(problem=e))
    return table


def add_client(snap: Snapshot, now: datetime, entry: ClientInput) -> Change | Refusal:
    """A new client table, after the last client's blocks."""
    table = read(entry, snap, now)
    if isinstance(table, Refusal):
        return table
    cid = entry.id.strip()
    return Change(edit.AddClient(cid, table),
                  _("Added {id} (u does not take it back: remove it in the file, e)").format(
                      id=cid),
                  facts={"id": cid})
