"""`clientfit due [--days N] [--json]`: what needs attention now."""

from __future__ import annotations

import argparse
from typing import Any

from ..store.store import Store
from .common import EXIT_OK, clip, dump_json, load_model, now_for


def add(sub: Any) -> None:
    def days(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not 0 <= n <= 3650:
            raise argparse.ArgumentTypeError("from 0 to 3650")
        return n

    p = sub.add_parser("due", help="what needs attention now", description="What needs "
                       "attention: notice periods ending within the days given (and ended), "
                       "invoices past due, cooling-off windows that end today, the next step of "
                       "each client in offboarding, and reviews to revisit.")
    p.add_argument("--days", type=days, default=7, metavar="N",
                   help="look this many days ahead (default 7)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def run(store: Store, args: argparse.Namespace) -> int:
    from ..domain import dates
    from ..domain.due import days_text, due

    data = load_model(store)
    s = data.settings
    d = due(data, now_for(s), args.days)
    if args.json:
        print(dump_json(as_json(d, s)))
        return EXIT_OK
    ahead = {0: "today", 1: "today and tomorrow"}.get(d.days, f"the next {d.days} days")
    if not d.count:
        print(f"Nothing due ({d.today}, looking at {ahead}).")
        return EXIT_OK
    print(f"Due on {d.today} (looking at {ahead}):")
    if d.cooling:
        print("\nCooling-off ends today")
        for x in d.cooling:
            at = dates.show(x.unlocks, s.tz)[11:]
            said = f"ended at {at}: decide with a clear head" if x.over else \
                f"ends at {at}: no decision before then"
            print(f"  {clip(x.client.id, 16):<16} {said}")
    if d.notices:
        print("\nNotice ending")
        for n in d.notices:
            verb = "ended" if n.left < 0 else "ends"
            print(f"  {clip(n.client.id, 16):<16} {verb} {n.ends} ({days_text(n.left)}), "
                  f"{n.how}")
    if d.invoices:
        print(f"\nInvoices past due: {d.owed:,.2f} owed")
        for i in d.invoices:
            print(f"  {clip(i.client.id, 16):<16} {clip(i.number, 12):<12} {i.amount:>10,.2f}  "
                  f"due {i.due}, {i.days_late} day{'s' if i.days_late != 1 else ''} late")
    if d.steps:
        print("\nSteps waiting")
        for w in d.steps:
            held = f" (held: {w.step.why_held})" if w.step.why_held else ""
            print(f"  {clip(w.client.id, 16):<16} {w.number}. {w.step.title}\n"
                  f"  {'':<16}    {w.step.detail}{held}")
    if d.revisits:
        print("\nReviews to revisit")
        for r in d.revisits:
            was = f"{r.review.outcome or 'reviewed'}"
            if r.review.at is not None:
                was += f" on {dates.show_moment(r.review.at)}"
            note = f': "{r.review.note}"' if r.review.note else ""
            print(f"  {clip(r.client.id, 16):<16} {r.on} ({days_text(r.left)}), {was}{note}")
    return EXIT_OK


def as_json(d: Any, s: Any) -> dict[str, Any]:
    """What `due` returned, as JSON values (instants with the settings' zone offset)."""
    from ..domain import dates

    def moment(m: Any) -> str | None:
        return None if m is None else dates.iso_moment(m, s.tz)

    return {
        "today": d.today.isoformat(), "days": d.days,
        "cooling_off": [{"client": x.client.id, "unlocks": moment(x.unlocks.astimezone(s.tz)), "over": x.over}
                        for x in d.cooling],
        "notices": [{"client": n.client.id, "ends": n.ends.isoformat(), "days_left": n.left,
                     "how": n.how} for n in d.notices],
        "invoices": [{"client": i.client.id, "number": i.number, "amount": i.amount,
                      "due": i.due.isoformat(), "days_late": i.days_late} for i in d.invoices],
        "steps": [{"client": w.client.id, "step": w.step.id, "number": w.number,
                   "title": w.step.title, "state": w.step.state, "detail": w.step.detail,
                   "held": w.step.why_held or None} for w in d.steps],
        "revisits": [{"client": r.client.id, "revisit": r.on.isoformat(), "days_left": r.left,
                      "reviewed": moment(r.review.at), "outcome": r.review.outcome,
                      "note": r.review.note} for r in d.revisits],
    }
