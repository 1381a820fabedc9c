"""`clientfit whatif CLIENT... [--json]`: what ending those clients would change."""

from __future__ import annotations

import argparse
from decimal import Decimal
from typing import Any

from ..domain import money
from ..i18n import _
from ..store.store import Store
from .common import EXIT_OK, dump_json, find_client, now_for


def add(sub: Any) -> None:
    p = sub.add_parser(
        "whatif", help=_("what ending some clients would change"),
        description=_("For the clients named: the revenue lost, the trouble removed, the hours "
                      "freed each month (a year / 12), and the effective hourly rate of the "
                      "clients that remain against today's. Ended clients count in neither "
                      "side."))
    p.add_argument("clients", nargs="+", metavar=_("CLIENT"),
                   help=_("an id, or a unique start of an id or name"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))


def run(store: Store, args: argparse.Namespace) -> int:
    data = store.load().data
    now = now_for(data.settings)
    ids = list(dict.fromkeys(find_client(data, text).id for text in args.clients))
    w = money.whatif(data, now, ids)
    if args.json:
        print(dump_json(as_json(w, data.settings.rate, data.settings.currency)))
    else:
        for line in money.whatif_lines(w, data.settings):
            print(line)
    return EXIT_OK


def as_json(w: money.WhatIf, rate: float | None, currency: str | None) -> dict[str, Any]:
    share = Decimal("0.0001")
    return {
        "clients": [m.client.id for m in w.gone],
        "ended_ignored": list(w.ignored),
        "currency": currency,
        "rate": money.to_json(money.dec(rate)) if rate is not None else None,
        "revenue_lost": money.to_json(w.lost.revenue),
        "revenue_total": money.to_json(w.today.revenue),
        "revenue_lost_share": money.to_json(w.revenue_share, share),
        "trouble_removed": w.lost.trouble,
        "trouble_total": w.today.trouble,
        "trouble_removed_share": money.to_json(w.trouble_share, share),
        "hours_freed_per_month": {
            "work": money.to_json(w.work_per_month),
            "trouble": money.to_json(w.trouble_per_month),
        },
        "income_per_month": {
            "today": money.to_json(w.today.revenue / money.MONTHS),
            "without": money.to_json(w.without.revenue / money.MONTHS),
        },
        "hours_per_month": {
            "today": money.to_json(w.today.time / money.MONTHS),
            "without": money.to_json(w.without.time / money.MONTHS),
        },
        "effective_rate": {
            "today": money.to_json(w.today.rate),
            "today_clients": w.today.rated,
            "without": money.to_json(w.without.rate),
            "without_clients": w.without.rated,
        },
    }
