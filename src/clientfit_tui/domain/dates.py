"""Dates and times: the settings' zone, TOML's three kinds of moment, `--at` forms."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from dateutil import tz as dtz

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

Moment = date | datetime
"""What a TOML file holds for a moment: a date, a local date-time, or an offset date-time."""

_PERIOD = re.compile(r"\s*(\d+)\s*(day|week|month|year)s?\s*", re.I)
_RELATIVE = re.compile(r"\s*([+-])\s*(\d+)\s*([mhdw])\s*", re.I)


def zone(name: str | None) -> tzinfo:
    """The zone named in the settings, or the system's local zone."""
    if name:
        z = dtz.gettz(name)
        if z is None:
            raise ValueError(f"unknown time zone {name!r}")
        return z
    return dtz.tzlocal()


def localize(naive: datetime, z: tzinfo) -> datetime:
    """Attach a zone to a wall-clock time; a time in a DST gap moves forward."""
    return dtz.resolve_imaginary(naive.replace(tzinfo=z))


def to_aware(m: Moment, z: tzinfo) -> datetime:
    """The instant (in UTC) of a TOML moment: a date counts from its midnight in zone `z`.

    Instants are kept in UTC because Python compares and subtracts two datetimes
    that share a tzinfo by their wall clocks, which is wrong across a DST change.
    """
    if isinstance(m, datetime):
        aware = m if m.tzinfo is not None else localize(m, z)
    else:
        aware = localize(datetime.combine(m, time()), z)
    return aware.astimezone(UTC)


def add_days(instant: datetime, days: int, z: tzinfo) -> datetime:
    """`days` calendar days later on the wall clock of zone `z` (DST-safe), in UTC."""
    wall = instant.astimezone(z).replace(tzinfo=None)
    return localize(wall + timedelta(days=days), z).astimezone(UTC)


def wall(instant: datetime, z: tzinfo) -> datetime:
    """The naive wall-clock time of an instant in zone `z`, to the second."""
    return instant.astimezone(z).replace(tzinfo=None, microsecond=0)


def check_period(text: str) -> None:
    """ValueError unless the text is a period `parse_period` reads."""
    if _PERIOD.fullmatch(text) is None:
        raise ValueError(f"not a period: {text!r} (try '30 days', '2 weeks' or '1 month')")


def parse_period(text: str) -> relativedelta:
    """'30 days', '2 weeks', '1 month' as a relativedelta; ValueError otherwise."""
    check_period(text)
    m = _PERIOD.fullmatch(text)
    assert m is not None
    from dateutil.relativedelta import relativedelta

    n, unit = int(m.group(1)), m.group(2).lower()
    if unit == "day":
        return relativedelta(days=n)
    if unit == "week":
        return relativedelta(weeks=n)
    if unit == "month":
        return relativedelta(months=n)
    return relativedelta(years=n)


def parse_when(text: str, now: datetime, z: tzinfo) -> Moment:
    """A moment typed by a person: what dateutil parses, or today, yesterday, -2d, -3h.

    `today` and `yesterday` give dates; the rest give wall-clock date-times in `z`,
    or offset date-times when the text names an offset.
    """
    t = text.strip().lower()
    local_now = wall(now, z)
    if t in ("now", ""):
        return local_now
    if t == "today":
        return local_now.date()
    if t == "yesterday":
        return local_now.date() - timedelta(days=1)
    m = _RELATIVE.fullmatch(t)
    if m is not None:
        sign = -1 if m.group(1) == "-" else 1
        n = int(m.group(2))
        unit = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}[m.group(3).lower()]
        instant = now.astimezone(UTC) + sign * timedelta(**{unit: n})
        return wall(instant, z)
    from dateutil import parser as dparser

    try:
        parsed = dparser.parse(text, default=datetime.combine(local_now.date(), time()))
    except (ValueError, OverflowError) as e:
        raise ValueError(f"cannot read {text!r} as a date or time") from e
    if parsed.tzinfo is not None:
        off = parsed.utcoffset()
        if off is None:
            return wall(parsed, z)
        return parsed.replace(tzinfo=timezone(off), microsecond=0)
    has_time = bool(re.search(r"\d:\d|\d\s*[ap]\.?m\b|T\d", text, re.I))
    return parsed.replace(microsecond=0) if has_time else parsed.date()


def parse_now(text: str, z: tzinfo) -> datetime:
    """CLIENTFIT_NOW: an ISO date-time (or date); a naive one is wall time in `z`."""
    try:
        v = datetime.fromisoformat(text.strip())
    except ValueError as e:
        raise ValueError(f"CLIENTFIT_NOW={text!r} is not an ISO date-time") from e
    return (v if v.tzinfo is not None else localize(v, z)).astimezone(UTC)


def now(z: tzinfo) -> datetime:
    """Now, in UTC: CLIENTFIT_NOW when set (for tests and demos; naive means wall time
    in `z`), else the clock. ValueError when CLIENTFIT_NOW is not a date-time."""
    import os

    fixed = os.environ.get("CLIENTFIT_NOW")
    return parse_now(fixed, z) if fixed else datetime.now(UTC)


def countdown(delta: timedelta) -> str:
    """'2d 03h', '5h 12m', '42s' for the time left."""
    secs = max(0, int(delta.total_seconds()))
    d, rem = divmod(secs, 86400)
    h, rem = divmod(rem, 3600)
    m, s = divmod(rem, 60)
    if d:
        return f"{d}d {h:02d}h"
    if h:
        return f"{h}h {m:02d}m"
    if m:
        return f"{m}m {s:02d}s"
    return f"{s}s"


def show(instant: datetime, z: tzinfo) -> str:
    """An instant as 'YYYY-MM-DD HH:MM' in zone `z`."""
    return instant.astimezone(z).strftime("%Y-%m-%d %H:%M")


def show_moment(m: Moment) -> str:
    if isinstance(m, datetime):
        s = m.strftime("%Y-%m-%d %H:%M")
        off = m.utcoffset()
        if off is not None:
            s += m.strftime(" %z")
        return s
    return m.isoformat()
