"""`clientfit import FILE.csv [--dry-run]`: add the incidents and invoices of a spreadsheet."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Any

from ..store.store import Snapshot, Store
from .common import EXIT_BAD, EXIT_OK, UserError, now_for

if TYPE_CHECKING:
    from ..actions.imports import Add, Plan, Row


def add(sub: Any) -> None:
    p = sub.add_parser("import", help="add incidents and invoices from a CSV file",
                       description="Add the incidents and invoices of a CSV file (as `export "
                       "--csv` writes it, or made by hand with the same headers) in one write. "
                       "Every row is checked first: a bad row is reported as FILE:LINE: "
                       "message, and then nothing is written (exit 1). Rows already in the "
                       "file are skipped.")
    p.add_argument("csv", metavar="FILE.csv", help="the spreadsheet, saved as CSV (UTF-8)")
    p.add_argument("--dry-run", action="store_true",
                   help="say what would be added, and write nothing")


def read_rows(path: str) -> list[Row]:
    from ..actions.imports import read_csv

    try:
        with open(path, "rb") as f:
            b = f.read()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except OSError as e:
        raise UserError(f"{path}: cannot read: {e.strerror}") from None
    try:
        text = b.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = b.count(b"\n", 0, e.start) + 1
        raise UserError(f"{path}:{line}: not UTF-8 (save the spreadsheet as CSV, UTF-8)") \
            from None
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
            say(done, "would add")
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
        say(planned[0], "added")
        return EXIT_OK
    except Bad as e:
        for line in e.errors:
            print(line, file=sys.stderr)
        n = len(e.errors)
        what = f"{n} bad row{'s' if n > 1 else ''}: " if e.rows else ""
        print(f"clientfit: {what}nothing was written", file=sys.stderr)
        return EXIT_BAD


def say(p: Plan, verb: str) -> None:
    from ..actions.imports import counted

    for a in p.adds:
        print(f"{verb} {describe(a)}")
    skipped = (f"; {len(p.skipped)} row{'s' if len(p.skipped) > 1 else ''} already in the file"
               if p.skipped else "")
    if not p.adds:
        print(f"nothing to add{skipped}")
        return
    print(f"{'would add' if verb == 'would add' else 'added'} {counted(p.adds)}{skipped}")


def describe(a: Add) -> str:
    from ..domain import dates

    i = a.item
    if a.array == "incidents":
        note = f": {i['note']}" if i.get("note") else ""
        mins = f", {i['minutes']} min" if "minutes" in i else ""
        return (f"{a.client} incident {dates.show_moment(i['at'])} {i['kind']} "
                f"(severity {i['severity']}{mins}){note}")
    paid = f", paid {i['paid']}" if "paid" in i else ", unpaid"
    return f"{a.client} invoice {i.get('number', '(no number)')} {i['amount']:,.2f} " \
        f"due {i['due']}{paid}"
