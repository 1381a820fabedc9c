"""`clientfit export --csv|--json [--client ID]`: incidents and invoices, for a spreadsheet."""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import _
from ..store.store import Store
from .common import EXIT_OK, dump_json, find_client, load_model


def add(sub: Any) -> None:
    p = sub.add_parser("export", help=_("incidents and invoices as CSV or JSON"),
                       description=_(
                           "Write every incident and invoice to standard output. CSV: one row "
                           "each, with a header, the type column telling incident from invoice "
                           "(import reads it back). JSON: {\"incidents\": [...], "
                           "\"invoices\": [...]}. Dates in ISO 8601, a local time with the "
                           "settings' zone offset."))
    how = p.add_mutually_exclusive_group(required=True)
    how.add_argument("--csv", action="store_true", help=_("CSV with a header row"))
    how.add_argument("--json", action="store_true", help="JSON")
    p.add_argument("--client", metavar="ID", help=_("only this client's"))


def run(store: Store, args: argparse.Namespace) -> int:
    import sys

    from ..domain import sheet

    data = load_model(store)
    clients = [find_client(data, args.client)] if args.client else data.clients.values()
    if args.json:
        out: dict[str, list[dict[str, Any]]] = {"incidents": [], "invoices": []}
        for r in sheet.records(clients, data.settings):
            kind = r.pop("type")
            out["incidents" if kind == sheet.INCIDENT else "invoices"].append(r)
        print(dump_json(out))
        return EXIT_OK
    import csv

    w = csv.writer(sys.stdout)
    w.writerow(sheet.COLUMNS)
    w.writerows(sheet.rows(clients, data.settings))
    return EXIT_OK
