"""`clientfit pareto`: the clients that make most of the trouble."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain import rules
from ..store.store import Store
from .common import EXIT_OK, clip


def add(sub: Any) -> None:
    sub.add_parser("pareto", help="the Pareto table", description="The smallest set of "
                   "clients that makes up 80% of the trouble, beside their share of revenue.")


def run(store: Store, args: argparse.Namespace) -> int:
    snap = store.load()
    p = rules.pareto(snap.data)
    print(f"{'':2}{'client':<16} {'trouble':>7} {'share':>6} {'cum':>6} {'minutes':>8} "
          f"{'revenue':>8}")
    for r in p.rows:
        rev = f"{r.revenue_share:.0%}" if r.revenue_share is not None else "-"
        print(f"{'*' if r.vital else ' ':2}{clip(r.client.id, 16):<16} {r.trouble:>7} "
              f"{r.trouble_share:>6.0%} {r.cumulative:>6.0%} {r.minutes:>8.0f} {rev:>8}")
    if p.total_trouble:
        rev = (f"{p.vital_revenue_share:.0%} of the revenue" if p.vital_revenue_share is not None
               else "no revenue recorded")
        print(f"\n* {p.vital_count} of {len(p.rows)} clients make "
              f"{p.vital_trouble_share:.0%} of the trouble and bring {rev}.")
    else:
        print("\nNo trouble recorded.")
    return EXIT_OK
