"""`clientfit add ID --name NAME`: add a client."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from ..actions import Change, Refusal
from ..actions.clients import ClientInput, add_client
from ..domain import dates
from ..domain.model import STATUSES
from ..domain.values import read_number
from ..i18n import _
from ..store.store import Snapshot, Store
from .common import EXIT_OK, now_for, refused


def add(sub: Any) -> None:
    p = sub.add_parser("add", help=_("add a client"), description=_(
        "Add a client: a new table after the last client's; every other byte of the file "
        "stays."))
    p.add_argument("id", help=_("the client's id: a-z, 0-9 and '-' (used on the command "
                                "line)"))
    p.add_argument("--name", required=True, metavar=_("NAME"), help=_("the client's name"))
    p.add_argument("--status", choices=STATUSES, default="active", help=_("default active"))
    p.add_argument("--since", metavar=_("DATE"), help=_("client since (a date)"))
    p.add_argument("--revenue", metavar="N", help=_("revenue from this client"))


def run(store: Store, args: argparse.Namespace) -> int:
    said: list[Any] = []

    def make(snap: Snapshot) -> Any:
        now = now_for(snap.settings)
        entry = typed(args, snap, now)
        out = entry if isinstance(entry, Refusal) else add_client(snap, now, entry)
        said[:] = [out]
        return out.edit if isinstance(out, Change) else None

    store.edit(make)
    out = said[0]
    if not isinstance(out, Change):
        return refused(out)
    print(_("added {client}").format(client=out.facts["id"]))
    return EXIT_OK


def typed(args: argparse.Namespace, snap: Snapshot, now: datetime) -> ClientInput | Refusal:
    """The client as typed, its `--since` and `--revenue` read (in the reader's language),
    or why not, naming the option."""
    since, revenue = args.since, args.revenue
    try:
        if since and since.strip():
            since = dates.parse_when(since, now, snap.settings.tz)
    except ValueError as e:
        return Refusal(_("--since: {problem}").format(problem=e))
    try:
        if revenue and revenue.strip():
            revenue = read_number(revenue)
    except ValueError as e:
        return Refusal(_("--revenue: {problem}").format(problem=e))
    return ClientInput(args.id, args.name, args.status, since, revenue)
