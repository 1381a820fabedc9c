"""`clientfit decide CLIENT`: start offboarding (refused within the cooling-off)."""

from __future__ import annotations

import argparse
from typing import Any

from ..actions import Change, offboarding
from ..domain import dates
from ..store.store import Snapshot, Store
from .common import EXIT_OK, client_id, now_for, refused


def add(sub: Any) -> None:
    p = sub.add_parser("decide", help="start offboarding a client", description="Start "
                       "offboarding. Refused (exit 3) within the cooling-off period.")
    p.add_argument("client")


def run(store: Store, args: argparse.Namespace) -> int:
    said: list[Any] = []

    def make(snap: Snapshot) -> Any:
        cid = client_id(snap, args.client)
        out = offboarding.decide_now(snap, now_for(snap.settings), cid)
        said[:] = [cid, out]
        return out.edit if isinstance(out, Change) else None

    store.edit(make)
    cid, out = said
    if not isinstance(out, Change):
        return refused(out)
    print(f"{cid}: offboarding started {dates.show_moment(out.facts['decided'])}. "
          "Next: review the contract.")
    return EXIT_OK
