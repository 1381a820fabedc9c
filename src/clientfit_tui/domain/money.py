"""What trouble costs: hours lost, their cost at your rate, each client's effective rate,
and what ending some clients would change. Pure functions of data and now.

The period is the revenue's: `revenue` and `hours` are per year, and the hours lost
are the minutes of the incidents in the year up to now. A month is a year / 12.
The arithmetic is in `Decimal`, and every amount is rounded to the cent (half up)
only when it is shown or written out, so `--json` is exact to the cent.

Every number a person reads goes through `fmt_*` here, so the formatting for the
reader's language can be swapped in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from .. import l10n
from ..i18n import N_, _, ngettext
from . import rules
from .model import Client, Data, Settings

YEAR = timedelta(days=365)
MONTHS = Decimal(12)
CENT = Decimal("0.01")
ZERO = Decimal(0)
NO_HOURS = N_("no hours recorded")
NO_REVENUE = N_("no revenue recorded")
NO_TIME = N_("no time recorded")
"""Why there is no effective rate: kept in English in `ClientMoney.why` (and `--json`),
shown translated: `_(m.why)`."""


def dec(x: float | int) -> Decimal:
    """A number from the file as the decimal it was written as (`0.1` is 0.1, not 0.1000…05)."""
    return Decimal(repr(x)) if isinstance(x, float) else Decimal(x)


def cents(x: Decimal) -> Decimal:
    """Rounded to the cent, half up."""
    return x.quantize(CENT, rounding=ROUND_HALF_UP)


class ClientMoney(NamedTuple):
    """One client's time and money over the revenue's period (a year)."""

    client: Client
    revenue: Decimal | None
    """None: no revenue recorded."""
    hours: Decimal | None
    """Hours of paid work; None: no hours recorded."""
    lost_hours: Decimal
    """Hours lost to trouble: the minutes of the year's incidents."""
    lost_cost: Decimal | None
    """The hours lost at your rate; None without a rate."""
    effective_rate: Decimal | None
    """revenue / (hours + hours lost); None where the data does not allow it (see `why`)."""
    why: str
    """Why there is no effective rate ("" when there is one)."""


def lost_hours(c: Client, s: Settings, now: datetime) -> Decimal:
    """Hours lost to trouble in the year up to `now` (the incidents' minutes / 60)."""
    now = now.astimezone(UTC)
    since = now - YEAR
    whole = 0
    parts = ZERO
    for i in c.incidents:
        x = i.minutes
        if x and since <= rules.incident_instant(i, s) <= now:
            if x.is_integer():  # the usual case, added exactly without a Decimal each
                whole += int(x)
            else:
                parts += dec(x)
    return (parts + whole) / 60


def effective_rate(revenue: Decimal | None, hours: Decimal | None,
                   lost: Decimal) -> tuple[Decimal | None, str]:
    """revenue / (hours + lost), or None and why not."""
    if hours is None:
        return None, NO_HOURS
    if revenue is None:
        return None, NO_REVENUE
    if hours + lost <= 0:
        return None, NO_TIME
    return revenue / (hours + lost), ""


def client_money(c: Client, s: Settings, now: datetime) -> ClientMoney:
    revenue = dec(c.revenue) if c.revenue is not None else None
    hours = dec(c.hours) if c.hours is not None else None
    lost = lost_hours(c, s, now)
    rate = your_rate(s)
    eff, why = effective_rate(revenue, hours, lost)
    return ClientMoney(c, revenue, hours, lost, lost * rate if rate is not None else None,
                       eff, why)


def your_rate(s: Settings) -> Decimal | None:
    return dec(s.rate) if s.rate is not None else None


def below_rate(m: ClientMoney, s: Settings) -> bool | None:
    """The client pays less per hour, trouble included, than your rate (None: can't tell)."""
    rate = your_rate(s)
    if m.effective_rate is None or rate is None:
        return None
    return cents(m.effective_rate) < cents(rate)


class Side(NamedTuple):
    """A set of clients, added up."""

    revenue: Decimal
    hours: Decimal
    """Hours of paid work of the clients that have them."""
    lost_hours: Decimal
    trouble: int
    rate: Decimal | None
    """Effective rate of the clients with both revenue and hours; None if there are none."""
    rated: int
    """How many clients the rate is taken over."""
    clients: int
    """How many clients."""

    @property
    def time(self) -> Decimal:
        """Hours of work and of trouble."""
        return self.hours + self.lost_hours


def side(rows: Iterable[ClientMoney]) -> Side:
    revenue = hours = lost = ZERO
    rated_rev = rated_time = ZERO
    trouble = rated = count = 0
    for m in rows:
        count += 1
        revenue += m.revenue or ZERO
        hours += m.hours or ZERO
        lost += m.lost_hours
        trouble += rules.trouble(m.client)
        if m.effective_rate is not None and m.revenue is not None and m.hours is not None:
            rated += 1
            rated_rev += m.revenue
            rated_time += m.hours + m.lost_hours
    rate = rated_rev / rated_time if rated else None
    return Side(revenue, hours, lost, trouble, rate, rated, count)


class WhatIf(NamedTuple):
    """What ending the `gone` clients would change (ended clients count in neither side)."""

    gone: tuple[ClientMoney, ...]
    today: Side
    """Every client that is not ended."""
    without: Side
    """The clients that would remain."""
    lost: Side
    """The clients that would end."""
    ignored: tuple[str, ...]
    """Ids asked for that are already ended."""

    @property
    def revenue_share(self) -> Decimal | None:
        """The share of all revenue lost; None with no revenue at all."""
        return self.lost.revenue / self.today.revenue if self.today.revenue else None

    @property
    def trouble_share(self) -> Decimal | None:
        """The share of all trouble removed; None with no trouble at all."""
        return Decimal(self.lost.trouble) / self.today.trouble if self.today.trouble else None

    @property
    def work_per_month(self) -> Decimal:
        return self.lost.hours / MONTHS

    @property
    def trouble_per_month(self) -> Decimal:
        return self.lost.lost_hours / MONTHS


def money(data: Data, now: datetime) -> dict[str, ClientMoney]:
    """Every client's money, by id."""
    return {cid: client_money(c, data.settings, now) for cid, c in data.clients.items()}


def whatif(data: Data, now: datetime, ids: Iterable[str],
           table: dict[str, ClientMoney] | None = None) -> WhatIf:
    """What ending the clients `ids` would change."""
    table = table if table is not None else money(data, now)
    wanted = set(ids)
    live = [m for m in table.values() if m.client.status != "ended"]
    gone = tuple(m for m in live if m.client.id in wanted)
    stay = [m for m in live if m.client.id not in wanted]
    ignored = tuple(cid for cid in table if cid in wanted and table[cid].client.status == "ended")
    return WhatIf(gone, side(live), side(stay), side(gone), ignored)


def client_lines(m: ClientMoney, s: Settings) -> list[str]:
    """A client's money in words, a line each (`status CLIENT`; a page or report may
    say the same)."""
    cur = s.currency
    rate = your_rate(s)
    out = [_("Revenue: {amount} a year").format(amount=fmt_amount(m.revenue, cur))
           if m.revenue is not None else _("Revenue: {why}").format(why=_(NO_REVENUE))]
    out.append(_("Work: {hours} a year").format(hours=fmt_hours(m.hours))
               if m.hours is not None else _("Work: {why}").format(why=_(NO_HOURS)))
    lost = fmt_hours(m.lost_hours)
    out.append(_("Lost to trouble: {hours} in the last 12 months, {amount} at your rate").format(
        hours=lost, amount=fmt_amount(m.lost_cost, cur)) if m.lost_cost is not None
        else _("Lost to trouble: {hours} in the last 12 months").format(hours=lost))
    if m.effective_rate is None:
        out.append(_("Effective rate: none ({why})").format(why=_(m.why)))
    else:
        eff = fmt_rate(m.effective_rate, cur)
        if rate is None:
            out.append(_("Effective rate: {rate}, trouble included").format(rate=eff))
        elif below_rate(m, s):
            out.append(_("Effective rate: {rate}, trouble included; your rate is {yours}: it "
                         "pays less than your rate").format(rate=eff, yours=fmt_rate(rate, cur)))
        else:
            out.append(_("Effective rate: {rate}, trouble included; your rate is {yours}")
                       .format(rate=eff, yours=fmt_rate(rate, cur)))
    return out


def whatif_lines(w: WhatIf, s: Settings) -> list[str]:
    """The what-if in words, a line each (the command line and the app say the same)."""
    cur, rate = s.currency, your_rate(s)
    out: list[str] = []
    for cid in w.ignored:
        out.append(_("{client} is ended: it counts in neither side.").format(client=cid))
    if not w.gone:
        out.append(_("No client marked: nothing would change."))
        return out
    names = ", ".join(m.client.id for m in w.gone)
    out.append(ngettext("Without {clients} ({count} of {total} client):",
                        "Without {clients} ({count} of {total} clients):", w.today.clients)
               .format(clients=names, count=len(w.gone), total=w.today.clients))
    rows: list[tuple[str, str]] = []
    rev = fmt_amount(w.lost.revenue, cur)
    rows.append((_("revenue lost"),
                 _("{amount} a year, {share} of {total}").format(
                     amount=rev, share=fmt_share(w.revenue_share),
                     total=fmt_amount(w.today.revenue, cur)) if w.revenue_share is not None
                 else _("{amount} ({why})").format(amount=rev, why=_(NO_REVENUE))))
    rows.append((_("trouble removed"),
                 _("{share} ({count} of {total})").format(
                     share=fmt_share(w.trouble_share), count=w.lost.trouble,
                     total=w.today.trouble) if w.trouble_share is not None
                 else _("none (no trouble recorded)")))
    freed = w.work_per_month + w.trouble_per_month
    rows.append((_("hours freed"),
                 _("{hours} a month: {work} of work, {trouble} of trouble").format(
                     hours=fmt_hours(freed), work=fmt_hours(w.work_per_month),
                     trouble=fmt_hours(w.trouble_per_month))))
    unknown = [m.client.id for m in w.gone if m.hours is None]
    if unknown:
        rows.append(("", _("({why} for {clients}: not counted as work)").format(
            why=_(NO_HOURS), clients=", ".join(unknown))))
    rows.append((_("income a month"), _("{now} now, {without} without them").format(
        now=fmt_amount(w.today.revenue / MONTHS, cur),
        without=fmt_amount(w.without.revenue / MONTHS, cur))))
    rows.append((_("time a month"), _("{now} now (work and trouble), {without} without them")
                 .format(now=fmt_hours(w.today.time / MONTHS),
                         without=fmt_hours(w.without.time / MONTHS))))
    today = fmt_rate(w.today.rate, cur) if w.today.rate is not None else \
        _("none ({why})").format(why=_(NO_HOURS))
    after = fmt_rate(w.without.rate, cur) if w.without.rate is not None else \
        _("none (no client with hours would remain)")
    rows.append((_("effective rate"), _("{after} for the clients that remain, {today} today")
                 .format(after=after, today=today)))
    if rate is not None:
        rows.append(("", _("(your rate: {rate})").format(rate=fmt_rate(rate, cur))))
    width = max(len(label) for label, _text in rows) + 2
    out.extend(f"  {label:<{width}}{text}" for label, text in rows)
    return out


# -- formatting: the one place numbers become text ------------------------------------

def fmt_amount(x: Decimal | float | None, currency: str | None = None,
               whole: bool = False) -> str:
    """An amount: `14,200.00 EUR`; whole units with `whole`; "-" for None. Where the
    currency shows and where a bare number will do: `l10n.amount`'s rule."""
    if x is None:
        return "-"
    return l10n.amount(x, currency, whole)


def fmt_rate(x: Decimal | None, currency: str | None = None) -> str:
    """An hourly rate: `45.20 EUR/h`."""
    if x is None:
        return "-"
    return f"{fmt_amount(x, currency)}/h"


def fmt_effective(m: ClientMoney) -> str:
    """A client's effective rate in a narrow column: the amount, "no hours", or "-"."""
    if m.effective_rate is None:
        return _("no hours") if m.why == NO_HOURS else "-"
    return fmt_amount(m.effective_rate)


def fmt_hours(x: Decimal | None) -> str:
    """Hours: `12.5 h` (one decimal)."""
    if x is None:
        return "-"
    return f"{l10n.number(x, 1)} h"


def fmt_share(x: Decimal | float | None) -> str:
    """A share: `34%`."""
    if x is None:
        return "-"
    return l10n.percent(x)


def to_json(x: Decimal | None, places: Decimal = CENT) -> float | None:
    """A decimal for JSON, rounded (to the cent by default): its text is the exact decimal."""
    return None if x is None else float(x.quantize(places, rounding=ROUND_HALF_UP))
