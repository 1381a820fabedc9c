"""`clientfit import FILE.csv [--dry-run]`: add the incidents and invoices of a spreadsheet."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..i18n import _, ngettext
from ..store.store import Snapshot, Store
from .common import EXIT_BAD, EXIT_OK, UserError, now_for

if TYPE_CHECKING:
    from ..actions.imports import Add, Plan, Row


def add(sub: Any) -> None:
    p = sub.add_parser("import", help=_("add incidents and invoices from a CSV file"),
                       description=_(
                           "Add the incidents and invoices of a CSV file (as `export --csv` "
                           "writes it, or made by hand with the same headers) in one write. "
                           "Every row is checked first: a bad row is reported as FILE:LINE: "
                           "message, and then nothing is written (exit 1). Rows already in the "
                           "file are skipped."))
    p.add_argument("csv", metavar=_("FILE") + ".csv",
                   help=_("the spreadsheet, saved as CSV (UTF-8)"))
    p.add_argument("--dry-run", action="store_true",
                   help=_("say what would be added, and write nothing"))


def read_rows(path: str) -> list[Row]:
    from ..actions.imports import read_csv

    try:
        with open(path, "rb") as f:
            b = f.read()
    except FileNotFoundError:
        raise UserError(f"{path}: " + _("no such file")) from None
    except OSError as e:
        raise UserError(f"{path}: " + _("cannot read: {error}").format(error=e.strerror)) \
            from None
    try:
        text = b.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = b.count(b"\n", 0, e.start) + 1
        raise UserError(f"{path}:{line}: "
                        + _("not UTF-8 (save the spreadsheet as CSV, UTF-8)")) from None
    rows, errors = read_csv(text, path)
    if errors:
        raise Bad(errors, rows=False)
    return rows


class Bad(Exception):
    """Errors to report, one a line; `rows`: they are bad rows (else the file's)."""

    def __init__(self, errors: tuple[str, ...] | list[str], rows: bool = True) -> None:
        self.errors = errors
        self.rows = rows


def run(store: Store, args: argparse.Namespace) -> int:
    from ..actions.imports import plan

    try:
        rows = read_rows(args.csv)
        if args.dry_run:
            snap = store.load(data=False)
            done = plan(snap, now_for(snap.settings), rows, args.csv)
            if done.errors:
                raise Bad(done.errors)
            say(done, dry=True)
            return EXIT_OK
        planned: list[Plan] = []

        def make(snap: Snapshot) -> Any:
            p = plan(snap, now_for(snap.settings), rows, args.csv)
            planned[:] = [p]
            change = p.change()
            return change.edit if change is not None else None

        store.edit(make)
        if planned[0].errors:
            raise Bad(planned[0].errors)
        say(planned[0], dry=False)
        return EXIT_OK
    except Bad as e:
        for line in e.errors:
            print(line, file=sys.stderr)
        n = len(e.errors)
        said = (ngettext("clientfit: {n} bad row: nothing was written",
                         "clientfit: {n} bad rows: nothing was written", n).format(n=n)
                if e.rows else _("clientfit: nothing was written"))
        print(said, file=sys.stderr)
        return EXIT_BAD


def counted(adds: tuple[Add, ...]) -> str:
    """'3 incidents and 1 invoice'."""
    inc = sum(1 for a in adds if a.array == "incidents")
    inv = len(adds) - inc
    incidents = ngettext("{n} incident", "{n} incidents", inc).format(n=inc)
    invoices = ngettext("{n} invoice", "{n} invoices", inv).format(n=inv)
    if inc and inv:
        return _("{incidents} and {invoices}").format(incidents=incidents, invoices=invoices)
    return incidents if inc else invoices if inv else _("nothing")


def say(p: Plan, dry: bool) -> None:
    for a in p.adds:
        print((_("would add {what}") if dry else _("added {what}")).format(what=describe(a)))
    n = len(p.skipped)
    if not p.adds:
        print(ngettext("nothing to add; {n} row already in the file",
                       "nothing to add; {n} rows already in the file", n).format(n=n)
              if n else _("nothing to add"))
        return
    what = counted(p.adds)
    if n:
        print(ngettext("would add {what}; {n} row already in the file",
                       "would add {what}; {n} rows already in the file", n).format(what=what, n=n)
              if dry else ngettext("added {what}; {n} row already in the file",
                                   "added {what}; {n} rows already in the file", n).format(
                                       what=what, n=n))
    else:
        print((_("would add {what}") if dry else _("added {what}")).format(what=what))


def describe(a: Add) -> str:
    from .. import l10n
    from ..domain.vocab import label
    from .status import amount

    i = a.item
    if a.array == "incidents":
        said = {"client": a.client, "at": l10n.moment(i["at"]), "kind": label(i["kind"]),
                "severity": i["severity"]}
        text = (_("{client} incident {at} {kind} (severity {severity}, {minutes} min)").format(
                    minutes=i["minutes"], **said) if "minutes" in i else
                _("{client} incident {at} {kind} (severity {severity})").format(**said))
        return text + (f": {i['note']}" if i.get("note") else "")
    said = {"client": a.client, "number": i.get("number", _("(no number)")),
            "amount": amount(i["amount"]), "due": l10n.moment(i["due"])}
    if "paid" in i:
        return _("{client} invoice {number} {amount} due {due}, paid {paid}").format(
            paid=l10n.moment(i["paid"]), **said)
    return _("{client} invoice {number} {amount} due {due}, unpaid").format(**said)
