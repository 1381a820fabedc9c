"""`clientfit status [CLIENT] [--json]`: each client's state."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from ..domain import dates, money, rules
from ..domain.model import Client, Data, Settings
from ..store.store import Store
from .common import EXIT_OK, clip, dump_json, find_client, now_for


def add(sub: Any) -> None:
    p = sub.add_parser("status", help="each client's state", description="Each client: status,"
                       " incidents, trouble, cooling-off unlock time, checklist progress.")
    p.add_argument("client", nargs="?", help="this client's page: its row, then the "
                   "cooling-off, each checklist step and what holds it back, its incidents "
                   "(newest first, whole notes), invoices and reviews")
    p.add_argument("--money", action="store_true", help="each client's revenue, hours, hours "
                   "lost to trouble and their cost, and effective hourly rate")
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _iso(instant: datetime | None, s: Settings) -> str | None:
    """An instant in the settings' zone, with its offset (as the text shows it)."""
    return None if instant is None else instant.astimezone(s.tz).isoformat(timespec="seconds")


def money_json(m: money.ClientMoney, s: Settings) -> dict[str, Any]:
    """A client's money for `--json`: amounts exact to the cent, null where unknown."""
    return {
        "revenue": money.to_json(m.revenue), "hours": money.to_json(m.hours),
        "lost_hours": money.to_json(m.lost_hours), "lost_cost": money.to_json(m.lost_cost),
        "effective_rate": money.to_json(m.effective_rate),
        "effective_rate_missing": m.why or None,
        "below_rate": money.below_rate(m, s),
    }


def client_status(c: Client, data: Data, now: datetime, vital: frozenset[str]) -> dict[str, Any]:
    s = data.settings
    cool = rules.cooling(c, s, now)
    progress = None
    if c.offboarding is not None:
        from ..domain import checklist

        done, total = checklist.build(c, s, now).progress
        progress = f"{done}/{total}"
    return {
        "id": c.id, "name": c.name, "status": c.status,
        "incidents": len(c.incidents), "trouble": rules.trouble(c),
        "minutes": rules.minutes_lost(c),
        "last_incident": _iso(cool.last_incident, s),
        "cooling_off_until": _iso(cool.unlocks, s) if cool.active else None,
        "checklist": progress,
        "instinct": rules.instinct(c, s, now),
        "pareto": c.id in vital,
        "unpaid": round(sum(i.amount for i in c.unpaid), 2),
        "money": money_json(money.client_money(c, s, now), s),
    }


def run(store: Store, args: argparse.Namespace) -> int:
    snap = store.load()
    data = snap.data
    now = now_for(data.settings)
    clients = [find_client(data, args.client)] if args.client else list(data.clients.values())
    vital = rules.pareto(data).vital_ids
    rows = [client_status(c, data, now, vital) for c in clients]
    if args.json:
        print(dump_json(rows))
        return EXIT_OK
    s = data.settings
    if args.money:
        print_money(clients, s, now)
        return EXIT_OK
    print(f"{'client':<16} {'status':<12} {'inc':>4} {'trouble':>7}  {'cooling-off':<22} "
          f"{'checklist':<9} flags")
    for r, c in zip(rows, clients, strict=True):
        cool = rules.cooling(c, s, now)
        cooling = (f"until {dates.show(cool.unlocks, s.tz)}" if cool.active and cool.unlocks
                   else "-")
        below = r["money"]["below_rate"] and c.status != "ended"
        flags = " ".join(f for f, on in (("pareto", r["pareto"]), ("instinct", r["instinct"]),
                                         ("below-rate", below),
                                         (f"unpaid {r['unpaid']:,.2f}", r["unpaid"] > 0)) if on)
        print(f"{clip(c.id, 16):<16} {r['status']:<12} {r['incidents']:>4} {r['trouble']:>7}  "
              f"{cooling:<22} {r['checklist'] or '-':<9} {flags}")
    if args.client:
        print()
        for line in money.client_lines(money.client_money(clients[0], s, now), s):
            print(line)
        print("\n".join(page(clients[0], s, now)))
    elif any(r["money"]["below_rate"] for r in rows):
        print("\nbelow-rate: pays less per hour than your rate, trouble included "
              "(status --money)")
    return EXIT_OK


def page(c: Client, s: Settings, now: datetime) -> list[str]:
    """One client's page, below its row of the table: the dossier's data (domain.report),
    the newest first."""
    from ..domain import report

    r = report.build(c, s, now)
    out = [""]
    cool = r.cooling
    if c.status == "ended":
        out.append("Cooling-off: none (the relationship has ended)")
    elif cool.active and cool.unlocks:
        out.append(f"Cooling-off: decisions wait until {dates.show(cool.unlocks, s.tz)} "
                   f"({dates.countdown(cool.left)} left)")
    else:
        out.append("Cooling-off: over; a decision may be made")
    out += ["", "Checklist"]
    for i, step in enumerate(r.checklist.steps, 1):
        line = f"  {i}. [{step.state:<7}] {step.title}"
        if step.detail:
            line += f": {step.detail}"
        out.append(_plain(line))
        if step.why_held:
            why = step.why_held.removeprefix("held: ")
            out.append(_plain(f"       held back: {why}"))
    out += ["", f"Incidents ({len(r.incidents)}, newest first)"]
    for inc in reversed(r.incidents):
        mins = f", {inc.minutes:g} min" if inc.minutes else ""
        out.append(_plain(f"  {dates.show_moment(inc.at)}  {inc.kind}, severity "
                          f"{inc.severity}{mins}"))
        if inc.note:
            out.extend(_plain(f"    {part}") for part in inc.note.splitlines() or [""])
    out += ["", "Invoices" if r.invoices else "Invoices: none"]
    for line_ in r.invoices:
        inv = line_.invoice
        state = line_.state + (f" ({line_.days_late} days)" if line_.days_late else "")
        paid = f", paid {inv.paid.isoformat()}" if inv.paid else ""
        out.append(_plain(f"  {report.invoice_name(inv)}  {inv.amount:,.2f}  due "
                          f"{inv.due.isoformat()}{paid}  {state}"))
    out += ["", "Reviews" if r.reviews else "Reviews: none"]
    for rv in reversed(r.reviews):
        when = dates.show_moment(rv.at) if rv.at is not None else "(no date)"
        line = f"  {when}  {rv.outcome or '-'}"
        out.append(_plain(line + (f": {rv.note}" if rv.note else "")))
    return out


def _plain(s: str) -> str:
    """Text from the file, shown as text: control characters escaped."""
    return "".join(c if c.isprintable() or c == " " else f"\\x{ord(c):02x}" for c in s)


def print_money(clients: list[Client], s: Settings, now: datetime) -> None:
    """The money table (`status --money`): fits 80 columns."""
    cur = s.currency
    rate = money.your_rate(s)
    head = f"Per year{f', in {cur}' if cur else ''}; hours lost: the last 12 months"
    print(head + (f"; your rate {money.fmt_rate(rate)}." if rate is not None else
                  "; no rate set ([settings] rate)."))
    print(f"{'client':<14} {'revenue':>9} {'work':>8} {'lost':>7} {'lost cost':>9} "
          f"{'rate/h':>8}  note")
    for c in clients:
        m = money.client_money(c, s, now)
        below = money.below_rate(m, s)
        note = m.why or ("below your rate" if below else "")
        if c.status == "ended":
            note = "ended"
        print(f"{clip(c.id, 14):<14} {money.fmt_amount(m.revenue, whole=True):>9} "
              f"{money.fmt_hours(m.hours):>8} {money.fmt_hours(m.lost_hours):>7} "
              f"{money.fmt_amount(m.lost_cost, whole=True):>9} "
              f"{money.fmt_amount(m.effective_rate):>8}  {note}".rstrip())
