"""`clientfit decide CLIENT`: start offboarding (refused within the cooling-off)."""

from __future__ import annotations

import argparse
from typing import Any

from ..actions import Change, offboarding
from ..i18n import _
from ..store.store import Snapshot, Store
from .common import EXIT_OK, client_id, now_for, refused


def add(sub: Any) -> None:
    p = sub.add_parser("decide", help=_("start offboarding a client"), description=_(
        "Start offboarding. Refused (exit 3) within the cooling-off period."))
    p.add_argument("client", metavar=_("client"),
                   help=_("client id (or a unique start of its id or name)"))


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
    from .. import l10n

    print(_("{client}: offboarding started {at}. Next: review the contract.").format(
        client=cid, at=l10n.moment(out.facts["decided"])))
    return EXIT_OK
