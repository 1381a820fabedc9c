"""`clientfit add ID --name NAME`: add a client."""

from __future__ import annotations

import argparse
from typing import Any

from ..actions import Change
from ..actions.clients import ClientInput, add_client
from ..domain.model import STATUSES
from ..store.store import Snapshot, Store
from .common import EXIT_OK, now_for, refused


def add(sub: Any) -> None:
    p = sub.add_parser("add", help="add a client", description="Add a client: a new table "
                       "after the last client's; every other byte of the file stays.")
    p.add_argument("id", help="the client's id: a-z, 0-9 and '-' (used on the command line)")
    p.add_argument("--name", required=True, help="the client's name")
    p.add_argument("--status", choices=STATUSES, default="active", help="default active")
    p.add_argument("--since", metavar="DATE", help="client since (a date)")
    p.add_argument("--revenue", metavar="N", help="revenue from this client")


def run(store: Store, args: argparse.Namespace) -> int:
    said: list[Any] = []

    def make(snap: Snapshot) -> Any:
        out = add_client(snap, now_for(snap.settings), ClientInput(
            args.id, args.name, args.status, args.since, args.revenue))
        said[:] = [out]
        return out.edit if isinstance(out, Change) else None

    store.edit(make)
    out = said[0]
    if not isinstance(out, Change):
        return refused(out)
    print(f"added {out.facts['id']}")
    return EXIT_OK
