"""Incidents and invoices as rows of a spreadsheet: what `export` writes and `import` reads.

One CSV file holds both, one row each, told apart by the `type` column
(`incident` or `invoice`); the other columns are the union of theirs, a row
leaving the other type's columns empty. Moments are ISO 8601: a date stays a
date, a local date-time gets the settings' zone offset, an offset date-time
keeps its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from . import offsets
from .model import Client, Settings

INCIDENT = "incident"
INVOICE = "invoice"
INCIDENT_COLUMNS = ("at", "kind", "severity", "minutes", "note")
INVOICE_COLUMNS = ("number", "amount", "due", "paid")
COLUMNS = ("type", "client", *INCIDENT_COLUMNS, *INVOICE_COLUMNS)
"""The CSV header, in order."""


def number(x: float) -> str:
    """A number as a spreadsheet reads it back exactly: 20, 12.5, 980.505."""
    return str(int(x)) if x.is_integer() and abs(x) < 2**53 else repr(x)


def records(clients: Iterable[Client], s: Settings) -> Iterator[dict[str, Any]]:
    """Each client's incidents, then its invoices, in file order, as JSON values
    (numbers as numbers, absent values as None)."""
    iso = offsets.LocalOffsets(s.tz).iso
    for c in clients:
        for i in c.incidents:
            yield {"type": INCIDENT, "client": c.id, "at": iso(i.at), "kind": i.kind,
                   "severity": i.severity,
                   "minutes": (int(i.minutes) if i.minutes.is_integer() else i.minutes)
                   if i.minutes else None, "note": i.note}
        for v in c.invoices:
            yield {"type": INVOICE, "client": c.id, "number": v.number, "amount": v.amount,
                   "due": v.due.isoformat(), "paid": v.paid.isoformat() if v.paid else None}


def rows(clients: Iterable[Client], s: Settings) -> Iterator[tuple[str, ...]]:
    """The same, as the cells of CSV rows in `COLUMNS` order ("" for none)."""
    iso = offsets.LocalOffsets(s.tz).iso
    for c in clients:
        cid = c.id
        for i in c.incidents:
            yield (INCIDENT, cid, iso(i.at), i.kind, str(i.severity),
                   number(i.minutes) if i.minutes else "", i.note, "", "", "", "")
        for v in c.invoices:
            yield (INVOICE, cid, "", "", "", "", "", v.number, number(v.amount),
                   v.due.isoformat(), v.paid.isoformat() if v.paid else "")
