"""The dossier on one client: every incident in time order, the counts, trouble per month,
invoices with days late, reviews and the instinct flag, the checklist and its loose ends.

`build(client, settings, now)` returns the data; the command line and the app format it.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, time

from .. import l10n
from ..i18n import _, ngettext
from . import checklist, dates, rules
from .model import KINDS, Client, Incident, Invoice, Review, Settings

MONTHS = 12
"""How many months `Report.months` covers, the current one last."""


@dataclass(frozen=True, slots=True)
class Month:
    """One calendar month (on the settings' wall clock) of a client's trouble."""

    start: date
    """Its first day."""
    incidents: int
    trouble: int
    """Severities summed."""

    @property
    def label(self) -> str:
        """`2026-12`, as data (`--json`); `l10n.month_year(start)` is for reading."""
        return self.start.strftime("%Y-%m")


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    invoice: Invoice
    days_late: int
    """Paid: days between due and paid. Unpaid: days past due until today. Never negative."""
    state: str
    """paid | paid late | overdue | open (unpaid, not due yet); `vocab.label` shows it."""


@dataclass(frozen=True, slots=True)
class Report:
    client: Client
    now: datetime
    today: date
    incidents: tuple[Incident, ...]
    """Oldest first (file order among equal instants)."""
    by_kind: dict[str, int]
    """Incidents per kind, in the order of `KINDS`, kinds with none left out."""
    trouble: int
    minutes: float
    months: tuple[Month, ...]
    """The last `MONTHS` calendar months, oldest first, the current one last."""
    invoices: tuple[InvoiceLine, ...]
    owed: float
    reviews: tuple[Review, ...]
    """Oldest first; reviews without a date last."""
    reviews_lately: int
    """Reviews within `instinct.within_days`."""
    instinct: bool
    cooling: rules.Cooling
    checklist: checklist.Checklist
    started: bool
    """Whether offboarding has started (the client has an `[offboarding]` table)."""
    flags: tuple[str, ...]
    """What `check` warns about on this client."""
    loose_ends: tuple[str, ...]


def month_starts(now: datetime, s: Settings, months: int = MONTHS) -> list[date]:
    """The first days of the last `months` calendar months (wall clock), oldest first."""
    today = dates.wall(now, s.tz).date()
    y, m = today.year, today.month
    out = []
    for _n in range(months):
        out.append(date(y, m, 1))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    return out[::-1]


class Months:
    """The last `n` calendar months on the wall clock at `now`: their first days, and the
    instants they start (worked out once, then shared by every client)."""

    __slots__ = ("bounds", "starts")

    def __init__(self, now: datetime, s: Settings, n: int = MONTHS) -> None:
        self.starts = month_starts(now, s, n)
        self.bounds = [dates.to_aware(datetime.combine(d, time()), s.tz) for d in self.starts]


def monthly(c: Client, s: Settings, now: datetime, months: int = MONTHS,
            window: Months | None = None) -> list[Month]:
    """Incidents and trouble per calendar month for the last `months` months.

    An incident is placed by comparing its instant with the months' first instants
    (no zone conversion per incident). Incidents after now count in the current month;
    those before the first month are left out.
    """
    w = window or Months(now, s, months)
    counts = [0] * len(w.starts)
    weights = [0] * len(w.starts)
    for i in c.incidents:
        k = bisect_right(w.bounds, rules.incident_instant(i, s)) - 1
        if k >= 0:
            counts[k] += 1
            weights[k] += i.severity
    return [Month(d, n, t) for d, n, t in zip(w.starts, counts, weights, strict=True)]


def trouble_per_month(c: Client, s: Settings, now: datetime, months: int = MONTHS,
                      window: Months | None = None) -> list[int]:
    """Just the trouble of each of the last `months` months, oldest first."""
    return [m.trouble for m in monthly(c, s, now, months, window)]


def invoice_line(inv: Invoice, today: date) -> InvoiceLine:
    if inv.paid is not None:
        late = max(0, (inv.paid - inv.due).days)
        return InvoiceLine(inv, late, "paid late" if late else "paid")
    late = max(0, (today - inv.due).days)
    return InvoiceLine(inv, late, "overdue" if late else "open")


def invoice_name(inv: Invoice) -> str:
    return inv.number or f"#{inv.index + 1}"


def _moment_key(m: dates.Moment | None, s: Settings) -> tuple[int, datetime]:
    return (1, datetime.min) if m is None else (0, dates.to_aware(m, s.tz))


def build(c: Client, s: Settings, now: datetime) -> Report:
    """The dossier on client `c` at `now`."""
    today = dates.wall(now, s.tz).date()
    incidents = tuple(sorted(c.incidents, key=lambda i: (rules.incident_instant(i, s), i.index)))
    counts = {k: 0 for k in KINDS}
    for i in incidents:
        counts[i.kind] = counts.get(i.kind, 0) + 1
    lines = tuple(invoice_line(inv, today) for inv in c.invoices)
    steps = checklist.build(c, s, now)
    flags = tuple(p.message for p in rules.warnings_for(c, s))
    return Report(
        client=c, now=now, today=today, incidents=incidents,
        by_kind={k: n for k, n in counts.items() if n},
        trouble=rules.trouble(c), minutes=rules.minutes_lost(c),
        months=tuple(monthly(c, s, now)),
        invoices=lines, owed=sum(inv.amount for inv in c.unpaid),
        reviews=tuple(sorted(c.reviews, key=lambda r: (_moment_key(r.at, s), r.index))),
        reviews_lately=rules.reviews_in_window(c, s, now), instinct=rules.instinct(c, s, now),
        cooling=rules.cooling(c, s, now), checklist=steps, started=c.offboarding is not None,
        flags=flags, loose_ends=tuple(loose_ends(c, lines, steps, flags, s.currency)),
    )


def loose_ends(c: Client, invoices: tuple[InvoiceLine, ...], steps: checklist.Checklist,
               flags: tuple[str, ...], currency: str | None = None) -> list[str]:
    """What is still open: unpaid invoices, the checklist's steps not done (once offboarding
    has started), and what `check` flags."""
    out = []
    for line in invoices:
        inv = line.invoice
        if inv.paid is None:
            amount = l10n.amount(inv.amount, currency)
            if line.days_late:
                out.append(ngettext("invoice {invoice}: {amount} unpaid, {count} day late",
                                    "invoice {invoice}: {amount} unpaid, {count} days late",
                                    line.days_late).format(
                    invoice=invoice_name(inv), amount=amount, count=line.days_late))
            else:
                out.append(_("invoice {invoice}: {amount} unpaid, due {day}").format(
                    invoice=invoice_name(inv), amount=amount, day=l10n.date(inv.due)))
    if c.offboarding is not None:
        for n, step in enumerate(steps.steps, 1):
            if step.state in (checklist.DONE, checklist.SKIPPED):
                continue
            if step.id == "invoices" and step.state == checklist.TODO:
                continue  # said above, invoice by invoice
            out.append(_("step {number}, {step}: {detail}").format(
                number=n, step=step.title.lower(), detail=step.why_held or step.detail))
    out.extend(_("flag: {flag}").format(flag=f) for f in flags)
    return out


def spark(values: list[int]) -> str:
    """A line of block characters, one per value, scaled to the largest: the lowest bar
    only for none, so that a month with a little trouble still shows."""
    bars = "▁▂▃▄▅▆▇█"
    top = max(values, default=0)
    return "".join(bars[0] if v <= 0 or top <= 0 else bars[1 + round((v / top) * 6)]
                   for v in values)
