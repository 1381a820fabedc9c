"""The rules: cooling-off, instinct, Pareto, after-hours. Pure functions of data and now."""

from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

from .. import l10n
from ..i18n import _, ngettext
from . import dates
from .model import Client, Data, Incident, Problem, Settings


class Cooling(NamedTuple):
    """The cooling-off state of one client at one moment."""

    last_incident: datetime | None
    unlocks: datetime | None
    """When a decision becomes allowed (UTC); None when there was never an incident."""
    now: datetime

    @property
    def active(self) -> bool:
        return self.unlocks is not None and self.now < self.unlocks

    @property
    def left(self) -> timedelta:
        return (self.unlocks - self.now) if self.active and self.unlocks else timedelta(0)


def incident_instant(i: Incident, s: Settings) -> datetime:
    return i.instant if i.instant is not datetime.min else dates.to_aware(i.at, s.tz)


def latest_incident(c: Client, s: Settings, before: datetime | None = None) -> datetime | None:
    """The instant of the client's latest incident (at or before `before`, if given)."""
    best: datetime | None = None
    for i in c.incidents:
        t = incident_instant(i, s)
        if before is not None and t > before:
            continue
        if best is None or t > best:
            best = t
    return best


def unlock_after(instant: datetime, s: Settings) -> datetime:
    """When the cooling-off after an incident at `instant` ends."""
    return dates.add_days(instant, s.cooling_off_days, s.tz)


def cooling(c: Client, s: Settings, now: datetime) -> Cooling:
    """Cooling-off: no decision until `cooling_off_days` after the latest incident (none
    once the relationship has ended: there is nothing left to decide)."""
    if c.status == "ended":
        return Cooling(latest_incident(c, s), None, now.astimezone(UTC))
    return cooling_after(latest_incident(c, s), s, now)


def cooling_after(last: datetime | None, s: Settings, now: datetime) -> Cooling:
    """Cooling-off for a client whose latest incident was at `last` (None: never)."""
    return Cooling(last, unlock_after(last, s) if last else None, now.astimezone(UTC))


def decision_in_window(c: Client, s: Settings, decided: datetime) -> datetime | None:
    """If a decision at `decided` was made inside a cooling-off window, when it unlocked."""
    last = latest_incident(c, s, before=decided)
    if last is None:
        return None
    unlock = unlock_after(last, s)
    return unlock if decided < unlock else None


def reviews_in_window(c: Client, s: Settings, now: datetime) -> int:
    """Reviews (times you considered ending it) within `instinct.within_days` of now."""
    now = now.astimezone(UTC)
    since = now - timedelta(days=s.instinct_within_days)
    n = 0
    for r in c.reviews:
        if r.at is None:
            continue
        t = dates.to_aware(r.at, s.tz)
        if since <= t <= now:
            n += 1
    return n


def instinct(c: Client, s: Settings, now: datetime) -> bool:
    """Considered ending it `instinct.reviews` times or more lately: listen to your instincts."""
    return reviews_in_window(c, s, now) >= s.instinct_reviews


def is_after_hours(m: dates.Moment, s: Settings) -> bool:
    """Outside the work days or hours, on the wall clock of the settings' zone.

    A date alone says nothing of the hour and is never after-hours. Hours that
    wrap midnight ("22:00-06:00") are understood.
    """
    if not isinstance(m, datetime):
        return False
    local = m.astimezone(s.tz) if m.tzinfo is not None else m
    t = local.time().replace(tzinfo=None)
    start, end = s.work_start, s.work_end
    if start < end or end == start:
        in_hours = start <= t < end if start != end else True
        workday = local.weekday() in s.work_days
    else:  # wraps midnight: the shift belongs to the day it starts on
        in_hours = t >= start or t < end
        day = local.weekday() if t >= start else (local.weekday() - 1) % 7
        workday = day in s.work_days
    return not (in_hours and workday)


def trouble(c: Client) -> int:
    """Incidents weighted by severity."""
    return sum(i.severity for i in c.incidents)


def minutes_lost(c: Client) -> float:
    return sum(i.minutes for i in c.incidents)


def incidents_since(c: Client, s: Settings, now: datetime, days: int) -> int:
    since = now.astimezone(UTC) - timedelta(days=days)
    return sum(1 for i in c.incidents if incident_instant(i, s) >= since)


class ParetoRow(NamedTuple):
    client: Client
    trouble: int
    minutes: float
    trouble_share: float
    revenue_share: float | None
    cumulative: float
    vital: bool
    """In the smallest set of clients that makes up 80% of the trouble."""


class Pareto(NamedTuple):
    rows: tuple[ParetoRow, ...]
    vital_count: int
    vital_trouble_share: float
    vital_revenue_share: float | None
    total_trouble: int

    @property
    def vital_ids(self) -> frozenset[str]:
        return frozenset(r.client.id for r in self.rows if r.vital)


def pareto(data: Data, threshold: float = 0.8) -> Pareto:
    """The smallest set of clients (not ended) that makes up `threshold` of the trouble.

    Clients are ranked by trouble, then minutes lost, then id; the set is the
    shortest prefix of that ranking whose trouble reaches the threshold.
    """
    clients = [c for c in data.clients.values() if c.status != "ended"]
    ranked = sorted(clients, key=lambda c: (-trouble(c), -minutes_lost(c), c.id))
    total = sum(trouble(c) for c in ranked)
    revenue_total = sum(c.revenue or 0.0 for c in ranked)
    rows = []
    cum = 0
    vital_n = 0
    reached = total == 0
    for c in ranked:
        t = trouble(c)
        vital = not reached and t > 0
        if vital:
            vital_n += 1
        cum += t
        if total and cum / total >= threshold - 1e-12:
            reached = True
        rows.append(ParetoRow(
            client=c, trouble=t, minutes=minutes_lost(c),
            trouble_share=t / total if total else 0.0,
            revenue_share=(c.revenue or 0.0) / revenue_total if revenue_total else None,
            cumulative=cum / total if total else 0.0, vital=vital,
        ))
    vital_rows = [r for r in rows if r.vital]
    return Pareto(
        rows=tuple(rows), vital_count=vital_n,
        vital_trouble_share=sum(r.trouble_share for r in vital_rows),
        vital_revenue_share=(sum(r.revenue_share or 0.0 for r in vital_rows)
                             if revenue_total else None),
        total_trouble=total,
    )


def warnings(data: Data) -> list[Problem]:
    """What `check` flags in valid data: decisions made inside a cooling-off window."""
    out: list[Problem] = []
    for c in data.clients.values():
        out.extend(warnings_for(c, data.settings))
    return out


def future_problems(data: Data, now: datetime) -> list[Problem]:
    """Incidents dated ahead of now (beyond the clocks' leeway): an incident is something
    that happened, and one in the future holds the client's decisions back until then."""
    out: list[Problem] = []
    s = data.settings
    for c in data.clients.values():
        for i in c.incidents:
            if i.instant > now + dates.LEEWAY:
                until = dates.add_days(i.instant, s.cooling_off_days, s.tz)
                out.append(Problem(("clients", c.id, "incidents", i.index, "at"),
                                   _("incident in the future ({when}): it holds decisions back "
                                     "until {until}").format(when=l10n.moment(i.at),
                                                             until=l10n.instant(until, s.tz)),
                                   warning=True))
    return out


def warnings_for(c: Client, s: Settings) -> list[Problem]:
    """What is flagged on one client (see `warnings`)."""
    out: list[Problem] = []
    off = c.offboarding or {}
    decided = off.get("decided")
    if decided is not None:
        when = dates.to_aware(decided, s.tz)
        unlock = decision_in_window(c, s, when)
        if unlock is not None:
            out.append(Problem(("clients", c.id, "offboarding", "decided"),
                               _("decision made within the cooling-off period (it unlocked "
                                 "{when})").format(when=l10n.instant(unlock, s.tz)),
                               warning=True))
    for r in c.reviews:
        if r.outcome == "end" and r.at is not None:
            unlock = decision_in_window(c, s, dates.to_aware(r.at, s.tz))
            if unlock is not None:
                out.append(Problem(("clients", c.id, "reviews", r.index, "at"),
                                   _("review decided 'end' within the cooling-off period (it "
                                     "unlocked {when})").format(when=l10n.instant(unlock, s.tz)),
                                   warning=True))
    if off.get("referral_skipped") is True and not c.disrespectful:
        out.append(Problem(("clients", c.id, "offboarding", "referral_skipped"),
                           _("the referral may be skipped only for a client marked "
                             "disrespectful"),
                           warning=True))
    reason = off.get("reason")
    if isinstance(reason, str) and sentences(reason) > 1:
        out.append(Problem(("clients", c.id, "offboarding", "reason"),
                           _("give one reason, in one short sentence"), warning=True))
    out.extend(Problem(("clients", c.id, "offboarding", key), message, warning=True)
               for key, message in order_problems(c, s))
    return out


def _day(v: Any) -> date | None:
    if isinstance(v, datetime):
        return v.date()
    return v if isinstance(v, date) else None


def notice_end(c: Client, s: Settings, today: date) -> date:
    """The last day of notice: a deliverable's date, or the notice period from telling them."""
    off = c.offboarding or {}
    deliverable = _day(off.get("deliverable"))
    if deliverable is not None:
        return deliverable
    base = _day(off.get("told")) or today
    period = off.get("notice") if isinstance(off.get("notice"), str) else s.notice
    return base + dates.parse_period(str(period))


def before(a: dates.Moment, b: dates.Moment, s: Settings) -> bool:
    """Whether `a` came before `b`: by the day when either is a date alone, else by
    the instant."""
    if not isinstance(a, datetime) or not isinstance(b, datetime):
        return (_day(a) or date.min) < (_day(b) or date.min)
    return dates.to_aware(a, s.tz) < dates.to_aware(b, s.tz)


def order_problems(c: Client, s: Settings) -> list[tuple[str, str]]:
    """Checklist steps recorded out of their order (the key, and what is wrong): telling
    them before deciding, ending before telling them, or before the notice ran out
    without a reason recorded (`told_early`, `ended_early`)."""
    off = c.offboarding or {}
    out: list[tuple[str, str]] = []
    decided, told, ended = (_day(off.get(k)) for k in ("decided", "told", "ended"))
    if told is not None and decided is None:
        out.append(("told", _("told them, but no decision is recorded (step 1: decided)")))
    elif told is not None and decided is not None and before(off["told"], off["decided"], s):
        out.append(("told", _("told them on {told}, before the decision of {decided}").format(
            told=l10n.moment(off["told"]), decided=l10n.moment(off["decided"]))))
    if ended is not None and told is None:
        out.append(("ended", _("ended without telling them (step 8: told)")))
    elif ended is not None and told is not None and not off.get("ended_early"):
        end = notice_end(c, s, ended)
        if ended < end:
            out.append(("ended", _("ended on {ended}, before the notice ran out on {end} (say "
                                   "why in ended_early)").format(ended=l10n.date(ended),
                                                                 end=l10n.date(end))))
    if told is not None and not off.get("proceed_unpaid"):
        owed = [i for i in c.invoices if i.due <= told and (i.paid is None or i.paid > told)]
        if owed:
            out.append(("told", ngettext(
                "told them while {count} invoice due was unpaid (step 4: get paid first, or "
                "proceed_unpaid)",
                "told them while {count} invoices due were unpaid (step 4: get paid first, or "
                "proceed_unpaid)", len(owed)).format(count=len(owed))))
    return out


def sentences(text: str) -> int:
    """How many sentences a text holds (a sentence ends in . ! or ? before more text)."""
    import re

    t = text.strip()
    if not t:
        return 0
    return 1 + len(re.findall(r"[.!?]+[\"')\]]*\s+(?=\S)", t))
