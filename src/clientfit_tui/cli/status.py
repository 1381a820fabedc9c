"""`clientfit status [CLIENT] [--json]`: each client's state."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from ..domain import dates, money, rules
from ..domain.model import Client, Data, Settings
from ..domain.vocab import label
from ..i18n import N_, _, language, ngettext
from ..store.store import Store
from .common import EXIT_OK, clip, dump_json, find_client, now_for


def add(sub: Any) -> None:
    p = sub.add_parser("status", help=_("each client's state"), description=_(
        "Each client: status, incidents, trouble, cooling-off unlock time, checklist "
        "progress."))
    p.add_argument("client", nargs="?", metavar=_("client"), help=_(
        "this client's page: its row, then the cooling-off, each checklist step and what "
        "holds it back, its incidents (newest first, whole notes), invoices and reviews"))
    p.add_argument("--money", action="store_true", help=_(
        "each client's revenue, hours, hours lost to trouble and their cost, and effective "
        "hourly rate"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))


STEP_STATES = {"done": N_("step state: done"), "todo": N_("step state: todo"),
               "held": N_("step state: held"), "skipped": N_("step state: skipped"),
               "warn": N_("step state: warn")}
"""How a checklist step's state reads in Spanish (English shows the state itself, as the
JSON has it; the texts say what they are, for the translator)."""
INVOICE_STATES = {"paid": N_("invoice state: paid"), "paid late": N_("invoice state: paid late"),
                  "overdue": N_("invoice state: overdue"), "open": N_("invoice state: open")}
"""How an invoice's state reads in Spanish (English: the state itself)."""


def state_label(value: str, names: dict[str, str]) -> str:
    """A computed state in the reader's language (English: the value itself)."""
    return value if value not in names or language() == "en" else _(names[value])


def amount(x: float, currency: str | None = None) -> str:
    """An amount of the file (a float) for reading: `1,234.50 EUR`; `1.234,50 €`; the bare
    number without a currency (`l10n.amount`'s rule)."""
    if language() == "en" and not currency:
        return f"{x:,.2f}"
    return money.fmt_amount(money.dec(x), currency)


def width(least: int, *texts: str) -> int:
    """A column's width: `least`, or more for a longer heading or value."""
    return max(least, *(len(t) for t in texts))


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
    from .. import l10n

    cells = []
    for r, c in zip(rows, clients, strict=True):
        cool = rules.cooling(c, s, now)
        cooling = (_("until {day}").format(day=l10n.instant(cool.unlocks, s.tz))
                   if cool.active and cool.unlocks else "-")
        below = r["money"]["below_rate"] and c.status != "ended"
        flags = " ".join(f for f, on in (
            (_("pareto"), r["pareto"]), (_("instinct"), r["instinct"]),
            (_("below-rate"), below),
            (_("unpaid {amount}").format(amount=amount(r["unpaid"], s.currency)), r["unpaid"] > 0))
            if on)
        cells.append((clip(c.id, 16), label(r["status"]), str(r["incidents"]),
                      str(r["trouble"]), cooling, r["checklist"] or "-", flags))
    head = (_("client"), _("status"), _("inc"), _("trouble"), _("cooling-off"), _("checklist"),
            _("flags"))
    w = [width(least, head[i], *(row[i] for row in cells))
         for i, least in enumerate((16, 12, 4, 7, 22, 9))]
    print(f"{head[0]:<{w[0]}} {head[1]:<{w[1]}} {head[2]:>{w[2]}} {head[3]:>{w[3]}}  "
          f"{head[4]:<{w[4]}} {head[5]:<{w[5]}} {head[6]}")
    for row in cells:
        print(f"{row[0]:<{w[0]}} {row[1]:<{w[1]}} {row[2]:>{w[2]}} {row[3]:>{w[3]}}  "
              f"{row[4]:<{w[4]}} {row[5]:<{w[5]}} {row[6]}")
    if args.client:
        print()
        for line in money.client_lines(money.client_money(clients[0], s, now), s):
            print(line)
        print("\n".join(page(clients[0], s, now)))
    elif any(r["money"]["below_rate"] for r in rows):
        print("\n" + _("below-rate: pays less per hour than your rate, trouble included "
                       "(status --money)"))
    return EXIT_OK


def page(c: Client, s: Settings, now: datetime) -> list[str]:
    """One client's page, below its row of the table: the dossier's data (domain.report),
    the newest first."""
    from .. import l10n
    from ..domain import report

    r = report.build(c, s, now)
    out = [""]
    cool = r.cooling
    if c.status == "ended":
        out.append(_("Cooling-off: none (the relationship has ended)"))
    elif cool.active and cool.unlocks:
        out.append(_("Cooling-off: decisions wait until {day} ({left} left)").format(
            day=l10n.instant(cool.unlocks, s.tz), left=dates.countdown(cool.left)))
    else:
        out.append(_("Cooling-off: over; a decision may be made"))
    out += ["", _("Checklist")]
    states = max(len(state_label(x, STEP_STATES)) for x in STEP_STATES)
    for i, step in enumerate(r.checklist.steps, 1):
        line = f"  {i}. [{state_label(step.state, STEP_STATES):<{states}}] {step.title}"
        if step.detail:
            line += f": {step.detail}"
        out.append(_plain(line))
        if step.why_held:
            why = step.why_held.removeprefix("held: ").removeprefix(
                _("held: {why}").format(why=""))
            out.append(_plain("       " + _("held back: {why}").format(why=why)))
    out += ["", _("Incidents ({n}, newest first)").format(n=len(r.incidents))]
    for inc in reversed(r.incidents):
        said = {"kind": label(inc.kind), "severity": inc.severity}
        if inc.minutes:
            said["minutes"] = _number(inc.minutes)
            what = _("{kind}, severity {severity}, {minutes} min").format(**said)
        else:
            what = _("{kind}, severity {severity}").format(**said)
        out.append(_plain(f"  {l10n.moment(inc.at)}  {what}"))
        if inc.note:
            out.extend(_plain(f"    {part}") for part in inc.note.splitlines() or [""])
    out += ["", _("Invoices") if r.invoices else _("Invoices: none")]
    for line_ in r.invoices:
        inv = line_.invoice
        state = state_label(line_.state, INVOICE_STATES)
        if line_.days_late:
            state = ngettext("{state} ({n} day)", "{state} ({n} days)", line_.days_late).format(
                state=state, n=line_.days_late)
        said = {"name": report.invoice_name(inv), "amount": amount(inv.amount, s.currency),
                "due": l10n.date(inv.due), "state": state}
        if inv.paid:
            text = _("{name}  {amount}  due {due}, paid {paid}  {state}").format(
                paid=l10n.date(inv.paid), **said)
        else:
            text = _("{name}  {amount}  due {due}  {state}").format(**said)
        out.append(_plain("  " + text))
    out += ["", _("Reviews") if r.reviews else _("Reviews: none")]
    for rv in reversed(r.reviews):
        when = l10n.moment(rv.at) if rv.at is not None else _("(no date)")
        line = f"  {when}  {label(rv.outcome) if rv.outcome else '-'}"
        out.append(_plain(line + (f": {rv.note}" if rv.note else "")))
    return out


def _number(x: float) -> str:
    """Minutes as written (`20`, `7.5`); `7,5` in Spanish."""
    if language() == "en" or float(x).is_integer():
        return f"{x:g}"
    from .. import l10n

    return l10n.number(money.dec(x), len(f"{x:g}".partition(".")[2]))


SPACES = " \u00a0\u202f"
"""The spaces text may hold: Babel puts a no-break space before "€" and "%"."""


def _plain(s: str) -> str:
    """Text from the file, shown as text: control characters escaped."""
    return "".join(c if c.isprintable() or c in SPACES else f"\\x{ord(c):02x}" for c in s)


def print_money(clients: list[Client], s: Settings, now: datetime) -> None:
    """The money table (`status --money`): fits 80 columns."""
    cur = s.currency
    rate = money.your_rate(s)
    head = (_("Per year, in {currency}; hours lost: the last 12 months").format(currency=cur)
            if cur else _("Per year; hours lost: the last 12 months"))
    print(head + "; " + (_("your rate {rate}.").format(rate=money.fmt_rate(rate, cur))
                         if rate is not None else _("no rate set ([settings] rate).")))
    names = (_("client"), _("revenue"), _("work"), _("lost"), _("lost cost"), _("rate/h"),
             _("note"))
    w = [width(least, name) for least, name in zip((14, 9, 8, 7, 9, 8), names, strict=False)]
    print(f"{names[0]:<{w[0]}} {names[1]:>{w[1]}} {names[2]:>{w[2]}} {names[3]:>{w[3]}} "
          f"{names[4]:>{w[4]}} {names[5]:>{w[5]}}  {names[6]}")
    for c in clients:
        m = money.client_money(c, s, now)
        below = money.below_rate(m, s)
        note = _(m.why) if m.why else (_("below your rate") if below else "")
        if c.status == "ended":
            note = label("ended")
        print(f"{clip(c.id, 14):<{w[0]}} {money.fmt_amount(m.revenue, whole=True):>{w[1]}} "
              f"{money.fmt_hours(m.hours):>{w[2]}} {money.fmt_hours(m.lost_hours):>{w[3]}} "
              f"{money.fmt_amount(m.lost_cost, whole=True):>{w[4]}} "
              f"{money.fmt_amount(m.effective_rate):>{w[5]}}  {note}".rstrip())
