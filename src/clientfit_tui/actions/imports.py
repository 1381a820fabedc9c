"""Import: the incidents and invoices of a spreadsheet, added in one write.

`read_csv` reads the rows (a file `export --csv` wrote, or one made by hand with
the same headers); `plan` checks every row against the file and gives what to
add, or every bad row as `FILE:LINE: message`. An incident row goes through the
same checks as `log` (`incidents.read`). A row already in the file (the same
values) is skipped, so that a spreadsheet kept up to date can be imported again.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from ..domain import dates, sheet
from ..domain.model import Settings, load_client, load_item
from ..i18n import N_, _, ngettext
from ..store import edit
from . import Change, Refusal
from .incidents import IncidentInput, read

if TYPE_CHECKING:
    from ..store.snapshot import Snapshot

ARRAYS = {sheet.INCIDENT: "incidents", sheet.INVOICE: "invoices"}


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    """Where the row starts in the file (1 is the header)."""
    cells: dict[str, str]
    """Column name to text, stripped; a column the file lacks is absent."""


@dataclass(frozen=True, slots=True)
class Add:
    """One element to append: from which line, to which client and array."""

    line: int
    client: str
    array: str
    item: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Plan:
    """What a spreadsheet adds to the file, or what is wrong with it."""

    adds: tuple[Add, ...]
    skipped: tuple[int, ...]
    """Lines of rows already in the file."""
    errors: tuple[str, ...]
    """`FILE:LINE: message`, every one."""

    def change(self) -> Change | None:
        """The one write that adds every row (None: nothing to add, or errors)."""
        if self.errors or not self.adds:
            return None
        return Change(edit.Many([edit.Append(a.client, a.array, a.item) for a in self.adds]),
                      _("Imported {what}").format(what=counted(self.adds)))


def counted(adds: tuple[Add, ...]) -> str:
    """'3 incidents and 1 invoice' (in the reader's language)."""
    n = Counter(a.array for a in adds)
    incidents = ngettext("{n} incident", "{n} incidents", n["incidents"]).format(
        n=n["incidents"])
    invoices = ngettext("{n} invoice", "{n} invoices", n["invoices"]).format(n=n["invoices"])
    if n["incidents"] and n["invoices"]:
        return _("{incidents} and {invoices}").format(incidents=incidents, invoices=invoices)
    if n["incidents"]:
        return incidents
    if n["invoices"]:
        return invoices
    return _("nothing")


def _csv_error(e: csv.Error) -> str:
    """The csv module's message in the reader's language (the common ones; any other as
    the module says it)."""
    said = str(e)
    known = (N_("unexpected end of data"), N_("line contains NUL"),
             N_("',' expected after '\"'"),
             N_("new-line character seen in unquoted field - do you need to open the file "
                "with newline=''?"))
    return _(said) if said in known else said


def read_csv(text: str, name: str) -> tuple[list[Row], list[str]]:
    """The data rows of a CSV text (blank rows left out), or the errors of its header."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as e:
        return [], [f"{name}:1: {_csv_error(e)}"]
    if header is None:
        return [], [f"{name}: " + _("empty: the first row must name the columns "
                                    "({columns})").format(columns=", ".join(sheet.COLUMNS))]
    cols = [h.strip().lower() for h in header]
    errors = []
    unknown = [h for h in cols if h and h not in sheet.COLUMNS]
    if unknown:
        errors.append(f"{name}:1: " + ngettext(
            "unknown column {names} (the columns: {columns})",
            "unknown columns {names} (the columns: {columns})", len(unknown)).format(
            names=", ".join(map(repr, unknown)), columns=", ".join(sheet.COLUMNS)))
    twice = sorted({h for h in cols if h and cols.count(h) > 1})
    if twice:
        errors.append(f"{name}:1: " + _("column {names} given twice").format(
            names=", ".join(map(repr, twice))))
    missing = [h for h in ("type", "client") if h not in cols]
    if missing:
        errors.append(f"{name}:1: " + _("missing column {names}").format(
            names=", ".join(map(repr, missing))))
    if errors:
        return [], errors
    rows = []
    line = reader.line_num + 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                if len(cells) > len(cols) and any(c.strip() for c in cells[len(cols):]):
                    errors.append(f"{name}:{line}: " + _("more cells than columns"))
                else:
                    rows.append(Row(line, {k: v.strip() for k, v in zip(cols, cells,
                                                                          strict=False) if k}))
            line = reader.line_num + 1
    except csv.Error as e:
        errors.append(f"{name}:{line}: {_csv_error(e)}")
    return rows, errors


def plan(snap: Snapshot, now: datetime, rows: list[Row], name: str) -> Plan:
    """Check every row against the file as it is: what to add, rows already there, errors."""
    s = snap.settings
    adds: list[Add] = []
    skipped: list[int] = []
    errors: list[str] = []
    there: dict[str, Counter[tuple[Any, ...]]] = {}
    numbers: dict[str, dict[str, tuple[Any, ...]]] = {}
    for row in rows:
        out = _item(row, s, now)
        if isinstance(out, Refusal):
            errors.append(f"{name}:{row.line}: {out.reason}")
            continue
        cid, array, item = out
        _model, problems = load_item(s, cid, array, 0, item)  # as the file's own checks say
        if problems:
            errors.append(f"{name}:{row.line}: {'; '.join(p.message for p in problems)}")
            continue
        if cid not in there:
            if not snap.has_client(cid):
                errors.append(f"{name}:{row.line}: " + _(
                    "no client {id} in the file (add it first; ids are exact)").format(
                    id=repr(cid)))
                continue
            there[cid], numbers[cid] = _existing(snap, cid)
        key = same_key(array, item, s.tz)
        if there[cid][key] > 0:
            there[cid][key] -= 1
            skipped.append(row.line)
            continue
        num = item.get("number")
        if array == "invoices" and num and numbers[cid].get(num, key) != key:
            errors.append(f"{name}:{row.line}: " + _(
                "invoice {number} of {id} is already in the file with other values (import "
                "only adds; change it in the file)").format(number=num, id=cid))
            continue
        if array == "invoices" and num:
            numbers[cid][num] = key
        adds.append(Add(row.line, cid, array, item))
    return Plan(tuple(adds), tuple(skipped), tuple(errors))


def same_key(array: str, item: dict[str, Any], z: tzinfo) -> tuple[Any, ...]:
    """What makes two incidents (or invoices) the same, as the model reads them."""
    if array == "incidents":
        return (dates.to_aware(item["at"], z), isinstance(item["at"], datetime), item["kind"],
                item.get("severity", 1), float(item.get("minutes", 0)), item.get("note", ""))
    return (str(item.get("number", "")), float(item["amount"]), item["due"], item.get("paid"))


def _existing(snap: Snapshot, cid: str) -> tuple[Counter[tuple[Any, ...]],
                                                  dict[str, tuple[Any, ...]]]:
    """A client's incidents and invoices as `same_key`s, and its invoices by number."""
    model, _problems = load_client(snap.settings, cid, snap.client_raw(cid))
    keys: Counter[tuple[Any, ...]] = Counter()
    numbers: dict[str, tuple[Any, ...]] = {}
    if model is None:
        return keys, numbers
    z = snap.settings.tz
    for i in model.incidents:
        item = {"at": i.at, "kind": i.kind, "severity": i.severity, "minutes": i.minutes,
                "note": i.note}
        keys[same_key("incidents", item, z)] += 1
    for v in model.invoices:
        k = same_key("invoices", {"number": v.number, "amount": v.amount, "due": v.due,
                                  "paid": v.paid}, z)
        keys[k] += 1
        if v.number:
            numbers[v.number] = k
    return keys, numbers


def _item(row: Row, s: Settings, now: datetime) -> tuple[str, str, dict[str, Any]] | Refusal:
    """The client, the array and the element a row adds, or why it cannot."""
    c = row.cells
    kind = c.get("type", "").lower()
    if kind not in ARRAYS:
        return Refusal(_("type must be incident or invoice, found {found}").format(
            found=repr(c.get("type", ""))))
    cid = c.get("client", "")
    if not cid:
        return Refusal(_("client is empty"))
    other = sheet.INVOICE_COLUMNS if kind == sheet.INCIDENT else sheet.INCIDENT_COLUMNS
    stray = [k for k in other if c.get(k)]
    if stray:
        said = _("an incident row with {columns} filled in (a column out of place?)") \
            if kind == sheet.INCIDENT else \
            _("an invoice row with {columns} filled in (a column out of place?)")
        return Refusal(said.format(columns=", ".join(stray)))
    item = _incident(c, s, now) if kind == sheet.INCIDENT else _invoice(c)
    if isinstance(item, Refusal):
        return item
    return cid, ARRAYS[kind], item


def _incident(c: dict[str, str], s: Settings, now: datetime) -> dict[str, Any] | Refusal:
    if not c.get("at"):
        return Refusal(_("at is empty: when did it happen?"))
    try:
        at = moment(c["at"], s.tz)
    except ValueError as e:
        return Refusal(_("at: {problem}").format(problem=e))
    sev = c.get("severity", "")
    try:
        severity = int(float(sev)) if sev else 1
        if sev and float(sev) != severity:
            raise ValueError
    except (ValueError, OverflowError):
        return Refusal(_("severity is 1, 2 or 3, found {found}").format(found=repr(sev)))
    out = read(IncidentInput("", at, c.get("kind") or None, severity, c.get("minutes"),
                             c.get("note", "")), s, now)
    return out


def _invoice(c: dict[str, str]) -> dict[str, Any] | Refusal:
    item: dict[str, Any] = {}
    if c.get("number"):
        item["number"] = c["number"]
    text = c.get("amount", "")
    if not text:
        return Refusal(_("amount is empty"))
    try:
        amount = float(text)
    except ValueError:
        return Refusal(_("amount: not a number: {found} (write 1200.50, no thousands "
                         "separator)").format(found=repr(text)))
    if not math.isfinite(amount) or amount < 0:
        return Refusal(_("amount must be 0 or more, found {found}").format(found=repr(text)))
    item["amount"] = amount
    for k in ("due", "paid"):
        if not c.get(k):
            if k == "due":
                return Refusal(_("due is empty: the date the invoice is due"))
            continue
        try:
            d = moment(c[k], None)
        except ValueError as e:
            return Refusal(_("{column}: {problem}").format(column=k, problem=e))
        if isinstance(d, datetime):
            return Refusal(_("{column}: a date (2026-10-31), not a date and time").format(
                column=k))
        item[k] = d
    return item


def moment(text: str, z: tzinfo | None) -> dates.Moment:
    """An ISO date or date-time. An offset date-time that is a local time of zone `z`
    (what `export` writes for one) comes back as that local time; any other keeps its
    offset. ValueError with the reason."""
    t = text.strip()
    try:
        if len(t) <= 10 and ":" not in t:
            return date.fromisoformat(t)
        m = datetime.fromisoformat(t)
    except ValueError:
        raise ValueError(_("{text} is not an ISO date (2026-11-20) or date-time "
                           "(2026-11-20T23:14:00, 2026-11-20T23:14:00+01:00)").format(
            text=repr(t))) from None
    off = m.utcoffset()
    if off is None or z is None:
        return m
    try:
        local = m.astimezone(z).replace(tzinfo=None, fold=0)
        if dates.to_aware(local, z) == m:
            return local
    except (OverflowError, ValueError):
        pass
    if off % timedelta(minutes=1):  # TOML has no seconds in an offset
        raise ValueError(_("{text}: an offset of whole minutes, please").format(text=repr(t)))
    return m
