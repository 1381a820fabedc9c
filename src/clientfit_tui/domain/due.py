"""What is due: what needs attention now, or within a few days.

`due(data, now, days)` gathers, for clients whose relationship has not ended:
notice periods ending (and overdue), invoices past due (any client: money owed
stays owed), cooling-off windows that end today, the next checklist step of
each client in offboarding, and reviews to look at again. Pure: the command
line and the app only format what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from .. import l10n
from ..i18n import _, ngettext
from . import checklist, dates, rules
from .model import Client, Data, Review, Settings

DEFAULT_DAYS = 7


@dataclass(frozen=True, slots=True)
class NoticeEnd:
    """A notice period that ends within the days looked at, or has ended."""

    client: Client
    ends: date
    left: int
    """Days from today to the end (negative: ended that many days ago)."""
    how: str
    """'30 days from 2026-11-20' or 'the deliverable of 2026-12-20': data (`--json`), in
    English; `said` is what a person reads."""
    period: str = ""
    """The notice period that ends ("" when a deliverable's date ends it)."""
    told: date | None = None
    """The day they were told (None when a deliverable's date ends it)."""

    @property
    def said(self) -> str:
        """`how` in the reader's language, its dates for reading."""
        if self.told is None:
            return _("the deliverable of {day}").format(day=l10n.date(self.ends))
        return _("{period} from {day}").format(period=dates.show_period(self.period),
                                               day=l10n.date(self.told))


@dataclass(frozen=True, slots=True)
class LateInvoice:
    client: Client
    number: str
    amount: float
    due: date
    days_late: int


@dataclass(frozen=True, slots=True)
class CoolingEnd:
    """A cooling-off window that ends today (still running, or over since earlier today)."""

    client: Client
    unlocks: datetime
    """In UTC."""
    over: bool


@dataclass(frozen=True, slots=True)
class StepWaiting:
    """The next step of a client in offboarding."""

    client: Client
    number: int
    """1-based, as the checklist shows it."""
    step: checklist.Step


@dataclass(frozen=True, slots=True)
class Revisit:
    """A review whose `revisit` day has come, or comes within the days looked at."""

    client: Client
    on: date
    left: int
    """Days from today (negative: that many days ago)."""
    review: Review


@dataclass(frozen=True, slots=True)
class Due:
    today: date
    """Today, in the settings' zone."""
    days: int
    """How many days ahead were looked at."""
    notices: tuple[NoticeEnd, ...]
    invoices: tuple[LateInvoice, ...]
    cooling: tuple[CoolingEnd, ...]
    steps: tuple[StepWaiting, ...]
    revisits: tuple[Revisit, ...]

    @property
    def count(self) -> int:
        return (len(self.notices) + len(self.invoices) + len(self.cooling) + len(self.steps)
                + len(self.revisits))

    @property
    def owed(self) -> float:
        """The total of the invoices past due."""
        return sum(i.amount for i in self.invoices)


def ended(c: Client) -> bool:
    return c.status == "ended" or "ended" in (c.offboarding or {})


def in_offboarding(c: Client) -> bool:
    return not ended(c) and (c.status == "offboarding" or c.offboarding is not None)


def due(data: Data, now: datetime, days: int = DEFAULT_DAYS) -> Due:
    """Everything due at `now` (UTC), looking `days` days ahead."""
    s = data.settings
    today = dates.wall(now, s.tz).date()
    horizon = today + timedelta(days=days)
    back = timedelta(days=s.cooling_off_days)
    near = (now - back - timedelta(days=2), now - back + timedelta(days=2))
    notices: list[NoticeEnd] = []
    invoices: list[LateInvoice] = []
    cooling: list[CoolingEnd] = []
    steps: list[StepWaiting] = []
    revisits: list[Revisit] = []
    for c in data.clients.values():
        invoices.extend(LateInvoice(c, i.number or f"#{i.index + 1}", i.amount, i.due,
                                    (today - i.due).days)
                        for i in c.invoices if i.paid is None and i.due < today)
        if ended(c):
            continue
        revisits.extend(_revisits(c, s, today, horizon))
        off = c.offboarding or {}
        if not in_offboarding(c) or "decided" not in off:
            last = rules.latest_incident(c, s)
            # the zone's rules are slow to consult: only an incident about `cooling_off_days`
            # ago (a day either way covers any offset change) can unlock today
            if last is not None and near[0] <= last <= near[1]:
                unlocks = rules.unlock_after(last, s)
                if dates.wall(unlocks, s.tz).date() == today:
                    cooling.append(CoolingEnd(c, unlocks, now >= unlocks))
        if not in_offboarding(c):
            continue
        if "told" in off or "deliverable" in off:
            end = rules.notice_end(c, s, today)
            if end <= horizon:
                if "deliverable" in off:
                    notices.append(NoticeEnd(c, end, (end - today).days,
                                             f"the deliverable of {end}"))
                else:
                    period, told = str(off.get("notice", s.notice)), off["told"]
                    told_day = told.date() if isinstance(told, datetime) else told
                    notices.append(NoticeEnd(
                        c, end, (end - today).days,
                        f"{period} from {dates.show_moment(told)[:10]}", period, told_day))
        steps_ = checklist.build(c, s, now).steps
        nxt = next(((n, st) for n, st in enumerate(steps_, 1)
                    if st.state in (checklist.TODO, checklist.HELD)), None)
        if nxt is not None:
            steps.append(StepWaiting(c, nxt[0], nxt[1]))
    return Due(today, days,
               tuple(sorted(notices, key=lambda n: (n.ends, n.client.id))),
               tuple(sorted(invoices, key=lambda i: (-i.days_late, i.client.id, i.number))),
               tuple(sorted(cooling, key=lambda x: (x.unlocks, x.client.id))),
               tuple(steps),
               tuple(sorted(revisits, key=lambda r: (r.on, r.client.id))))


def _revisits(c: Client, s: Settings, today: date, horizon: date) -> list[Revisit]:
    """The client's revisits due by `horizon`, unless a later review was recorded."""
    out = []
    for r in c.reviews:
        if r.revisit is None or r.revisit > horizon:
            continue
        if any(_later(other, r, s) for other in c.reviews):
            continue
        out.append(Revisit(c, r.revisit, (r.revisit - today).days, r))
    return out


def _later(a: Review, b: Review, s: Settings) -> bool:
    """Review `a` was recorded after review `b` (by time; by place in the file when
    either has no time)."""
    if a.index == b.index:
        return False
    if a.at is None or b.at is None:
        return a.index > b.index
    return dates.to_aware(a.at, s.tz) > dates.to_aware(b.at, s.tz)


def days_text(n: int) -> str:
    """'today', 'tomorrow', 'in 3 days', 'yesterday', '4 days ago'."""
    if n == 0:
        return _("today")
    if n == 1:
        return _("tomorrow")
    if n == -1:
        return _("yesterday")
    return (ngettext("in {count} day", "in {count} days", n) if n > 0 else
            ngettext("{count} day ago", "{count} days ago", -n)).format(count=abs(n))


def brief(d: Due, s: Settings) -> list[str]:
    """The due items as short phrases, the most pressing first (for one line of a screen)."""
    out: list[str] = []
    for x in d.cooling:
        at = l10n.time(x.unlocks.astimezone(s.tz))
        out.append((_("{client} cooling-off ended {time}") if x.over else
                    _("{client} cooling-off ends {time}")).format(client=x.client.id, time=at))
    for n in d.notices:
        out.append((_("{client} notice ended {when}") if n.left < 0 else
                    _("{client} notice ends {when}")).format(client=n.client.id,
                                                             when=days_text(n.left)))
    if d.invoices:
        clients = list(dict.fromkeys(i.client.id for i in d.invoices))
        who = ", ".join(clients[:2]) + (" ..." if len(clients) > 2 else "")
        out.append(ngettext("{count} invoice late ({owed}: {clients})",
                            "{count} invoices late ({owed}: {clients})", len(d.invoices))
                   .format(count=len(d.invoices), owed=l10n.amount(d.owed, s.currency), clients=who))
    for w in d.steps:
        out.append(_("{client} step {number}: {step}").format(
            client=w.client.id, number=w.number, step=w.step.title.split(";")[0].lower()))
    for r in d.revisits:
        out.append(_("{client} revisit {when}").format(client=r.client.id,
                                                       when=days_text(r.left)))
    return out
