"""Dates and times: the settings' zone, TOML's three kinds of moment, `--at` forms."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING

from dateutil import tz as dtz

from ..i18n import _, language
from .whenwords import (
    _AGO,
    _AGO_SECONDS,
    _DAY_AND_TIME,
    _NUMERIC_DATE,
    _SHIFT,
    _SPANISH_DAYS,
    _SPANISH_MONTHS,
    _WORDS,
    plain,
)

if TYPE_CHECKING:
    from dateutil.relativedelta import relativedelta

Moment = date | datetime
"""What a TOML file holds for a moment: a date, a local date-time, or an offset date-time."""

_PERIOD = re.compile(r"\s*(\d+)\s*(days?|weeks?|months?|years?|d[ií]as?|semanas?|mes(?:es)?"
                     r"|a[ñn]os?)\s*", re.I)
"""`30 days`, `2 weeks`; in Spanish too (`30 días`, `2 semanas`, `1 mes`, `1 año`)."""
_PERIOD_UNIT = {"day": "day", "dia": "day", "día": "day", "week": "week", "semana": "week",
                "month": "month", "mes": "month", "year": "year", "año": "year",
                "ano": "year"}


def _unit(word: str) -> str:
    """The English unit of a period's word: `días` is `day`."""
    w = word.lower()
    if w in _PERIOD_UNIT:
        return _PERIOD_UNIT[w]
    return "month" if w == "meses" else _PERIOD_UNIT[w[:-1]]
_RELATIVE = re.compile(r"\s*([+-]?)\s*((?:\d+(?:[.,]\d+)?\s*[mhdw]\s*)+)", re.I)
"""`-3h`, `-2h30m`, `-1.5d`, `+10m`: time from now, in parts."""
_RELATIVE_PART = re.compile(r"(\d+(?:[.,]\d+)?)\s*([mhdw])", re.I)
_UNITS = {"m": 60, "h": 3600, "d": 86400, "w": 604800}
_WORD = re.compile(r"[^\W\d_]+\.?")
_CLOCK_TIME = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?")
LEEWAY = timedelta(minutes=5)
"""How far ahead of now a moment that happened may be (clocks differ a little)."""
_ZONE_NAME = re.compile(r"(.*\S)\s+([A-Za-z_]+(?:/[A-Za-z0-9_+-]+)+)\s*")
"""A date-time followed by a zone's name, as in `2026-11-27 10:00 America/New_York`."""
_NAMED_OFFSET = re.compile(r"\b(GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\d*", re.I)
"""`GMT+3`, which dateutil reads the POSIX way (three hours behind GMT)."""

LONGEST_DAYS = 36525
"""The longest period the rules add to or take from a moment: a period (notice) is at most
100 years, the cooling-off at most 365 days, the instinct window at most 36,500 days."""
_PERIOD_MAX = {"day": LONGEST_DAYS, "week": LONGEST_DAYS // 7, "month": 1200, "year": 100}
_REACH = timedelta(days=LONGEST_DAYS + 2)
"""How far from "now" the rules may reach, with a day either side for any zone's offset."""
_FIRST = datetime.min.replace(tzinfo=UTC)
_LAST = datetime.max.replace(tzinfo=UTC)
_SAFE = timedelta(days=2)
"""An instant this far inside the calendar is on it in every zone (offsets are under a day)."""


def zone(name: str | None) -> tzinfo:
    """The zone named in the settings, or the system's local zone."""
    if name:
        z = dtz.gettz(name)
        if z is None:
            raise ValueError(_("unknown time zone {name}").format(name=repr(name)))
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


def local(instant: datetime, z: tzinfo) -> datetime:
    """An instant as it is written in the file: the wall-clock time in zone `z`, to the
    second; with its offset when that wall-clock time happens twice (the night the clocks
    go back), so that it reads back as the same instant."""
    aware = instant.astimezone(z).replace(microsecond=0)
    if dtz.datetime_ambiguous(aware):
        off = aware.utcoffset()
        assert off is not None
        return aware.replace(tzinfo=timezone(off))
    return aware.replace(tzinfo=None)


def written(naive: datetime, z: tzinfo) -> datetime:
    """A wall-clock time typed for zone `z`, as it is written: a time skipped when the
    clocks go forward becomes the time it is read as (an hour later); a time that happens
    twice is written with the offset of the first, which is how it is read."""
    aware = naive.replace(tzinfo=z)
    if not dtz.datetime_exists(aware):
        return dtz.resolve_imaginary(aware).replace(tzinfo=None)
    if dtz.datetime_ambiguous(aware):
        off = aware.utcoffset()
        assert off is not None
        return aware.replace(tzinfo=timezone(off))
    return naive


def zone_label(name: str | None) -> str:
    """How the settings' zone (`timezone = name`) is named in a message."""
    return name or _("the file's time zone")


def instant_of(m: Moment, z: tzinfo, days_after: int = 0, zone_name: str | None = None
               ) -> datetime:
    """The instant of `m` (as `to_aware`), checked for what the rules do with it: it is
    shown on the wall clock of `z`, and so is the end of a `days_after` days wait after
    it (the cooling-off). ValueError, saying why, when any of that would leave the
    calendar (years 1 to 9999) in UTC or in `z`."""
    try:
        instant = to_aware(m, z)
        if not _FIRST + _SAFE <= instant <= _LAST - _SAFE:
            instant.astimezone(z)
    except (OverflowError, ValueError, OSError):
        raise ValueError(_("{moment} is outside the years 1 to 9999, in UTC or in {zone}")
                         .format(moment=show_moment(m), zone=zone_label(zone_name))) from None
    if instant > _LAST - _SAFE - timedelta(days=days_after):
        try:
            add_days(instant, days_after, z).astimezone(z)
        except (OverflowError, ValueError, OSError):
            raise ValueError(_("{moment} is too late: the {days}-day cooling-off after it "
                               "would end after the year 9999")
                             .format(moment=show_moment(m), days=days_after)) from None
    return instant


def check_room(day: date, period: str) -> None:
    """ValueError unless `period` (a valid one) can be added to `day` within the calendar."""
    if day.year < 9999 - 101:
        return
    try:
        day + parse_period(period)
    except (OverflowError, ValueError):
        raise ValueError(_("{day} is too late: {period} after it would end after the year "
                           "9999").format(day=day.isoformat(), period=period.strip())) from None


def check_period(text: str) -> None:
    """ValueError unless the text is a period `parse_period` reads: at most 100 years."""
    m = _PERIOD.fullmatch(text)
    if m is None:
        raise ValueError(_("not a period: {text} (try '30 days', '2 weeks' or '1 month')")
                         .format(text=repr(text)))
    n = m.group(1).lstrip("0")
    if len(n) > 6 or int(n or 0) > _PERIOD_MAX[_unit(m.group(2))]:
        raise ValueError(_("a period is at most 100 years; found {text}")
                         .format(text=repr(text.strip())))


def english_period(text: str) -> str:
    """A period as the file writes it, in English: `30 days` for `30 días`; a period
    already in English is kept as typed. ValueError as `check_period`."""
    check_period(text)
    m = _PERIOD.fullmatch(text)
    assert m is not None
    if m.group(2).lower().rstrip("s") in ("day", "week", "month", "year"):
        return text
    n, unit = int(m.group(1)), _unit(m.group(2))
    return f"{n} {unit}" + ("" if n == 1 else "s")


def show_period(text: str) -> str:
    """A period for reading: as written in English (`30 days`), in the reader's words
    otherwise (`30 días`); a text that is no period is shown as it is."""
    from ..i18n import language, ngettext

    m = _PERIOD.fullmatch(text)
    if m is None or language() == "en":
        return text
    n, unit = int(m.group(1)), _unit(m.group(2))
    if unit == "day":
        said = ngettext("{count} day", "{count} days", n)
    elif unit == "week":
        said = ngettext("{count} week", "{count} weeks", n)
    elif unit == "month":
        said = ngettext("{count} month", "{count} months", n)
    else:
        said = ngettext("{count} year", "{count} years", n)
    return said.format(count=n)


def parse_period(text: str) -> relativedelta:
    """'30 days', '2 weeks', '1 month' as a relativedelta; ValueError otherwise."""
    check_period(text)
    m = _PERIOD.fullmatch(text)
    assert m is not None
    from dateutil.relativedelta import relativedelta

    n, unit = int(m.group(1)), _unit(m.group(2))
    if unit == "day":
        return relativedelta(days=n)
    if unit == "week":
        return relativedelta(weeks=n)
    if unit == "month":
        return relativedelta(months=n)
    return relativedelta(years=n)


def parse_when(text: str, now: datetime, z: tzinfo, past: bool = False) -> Moment:
    """A moment typed by a person: what dateutil parses, or today, yesterday, -2d, -3h,
    `yesterday 22:10`; tomorrow too, unless `past`. Spanish words are read as well,
    whatever the reader's language: ahora, hoy, ayer, mañana (`ayer 22:10`), day names
    (`vie 10:00`, `miércoles`), month names (`5 dic 2026`), and phrases such as `el 1 de
    diciembre a las 17:00`, `lunes pasado`, `anoche`, `this morning` (`whenwords.plain`).

    With `past` (something that happened), a day's name or a bare time means the latest
    one not ahead of now: `fri 10:00` on a Wednesday is last Friday, `23:14` typed at
    10:00 is yesterday's; a date written in full is kept as written; a part of the day
    still ahead (`esta tarde` in the morning) is refused, as tomorrow is.

    `today` and `yesterday` give dates; the rest give wall-clock date-times in `z`
    (with their offset when that wall-clock time happens twice, see `local` and
    `written`), or offset date-times when the text names an offset or a zone
    (`+01:00`, `Z`, `UTC`, `EST`, `America/New_York`). A zone's abbreviation is
    honoured when `z` or the zone of that name uses it at that time; any other is
    refused rather than ignored. ValueError, saying why, for text that is no moment,
    or a moment outside the years 1 to 9999 in UTC or in `z`.
    """
    try:
        said, part = plain(text, wall(now, z).date())
        if past:
            first = said.strip().split(" ")[0].lower()
            if _WORDS.get(first) == "tomorrow":
                raise ValueError(_("{word} has not happened yet").format(word=first))
        m = _parse_when(said, now, z)
        if past:
            m = _latest_past(said, m, now, z)
            if part is not None and to_aware(m, z) > now + LEEWAY:
                raise ValueError(_("{word} has not happened yet").format(word=part))
        instant_of(m, z)
    except OverflowError:
        raise ValueError(_("{text} is outside the years 1 to 9999, in UTC or in the file's "
                           "time zone").format(text=repr(text.strip()))) from None
    except ValueError as e:
        raise ValueError(_("cannot read {text}: {why}").format(text=repr(text.strip()), why=e)
                         ) from None
    return m


def _latest_past(text: str, m: Moment, now: datetime, z: tzinfo) -> Moment:
    """`m`, or when it is ahead of now and the text left its date to the default
    (a bare time, a day's name, a month and day), the latest such moment before now:
    dateutil reads the text again from defaults a day to a week back, and a year back."""
    if to_aware(m, z) <= now + LEEWAY or \
            _DAY_AND_TIME.fullmatch(text) or _RELATIVE.fullmatch(text.strip()) or \
            text.strip().lower() in _WORDS or \
            (isinstance(m, datetime) and m.tzinfo is not None):
        return m
    today = wall(now, z).date()
    best: Moment | None = None
    defaults = [today - timedelta(days=k) for k in range(1, 8)]
    if today.year > 1:
        defaults.append(today.replace(year=today.year - 1, day=min(today.day, 28)))
    for default in defaults:
        try:
            got = _parse_naive(text, now, z, default=default)
            got = written(got, z) if isinstance(got, datetime) else got
            if to_aware(got, z) <= now + LEEWAY and \
                    (best is None or to_aware(got, z) > to_aware(best, z)):
                best = got
        except (ValueError, OverflowError):
            continue
    return m if best is None else best


def _parse_when(text: str, now: datetime, z: tzinfo) -> Moment:
    t = " ".join(text.lower().split())
    both = _DAY_AND_TIME.fullmatch(text)
    if both is not None:
        word = " ".join(both.group(1).lower().split())
        day = wall(now, z).date() + timedelta(days=_SHIFT[_WORDS[word]])
        parsed = _parse_naive(both.group(2), now, z, default=day)
        if not isinstance(parsed, datetime) or parsed.date() != day:
            raise ValueError(_("after {word}, give a time of day (22:10)").format(word=word))
        return written(parsed, z)
    meant = _WORDS.get(t)
    if meant == "now":
        return local(now, z)
    if meant is not None:
        return wall(now, z).date() + timedelta(days=_SHIFT[meant])
    ago = _AGO.fullmatch(t)
    if ago is not None:
        n, unit = (ago.group(1), ago.group(2)) if ago.group(1) else (ago.group(3), ago.group(4))
        count = float(n.replace(",", ".")) if n[0].isdigit() else 1.0
        if len(n) > 9:
            raise OverflowError
        step = _AGO_SECONDS["w" if unit.startswith(("w", "sem")) else unit[0]]
        return local(now.astimezone(UTC) - timedelta(seconds=round(count * step)), z)
    m = _RELATIVE.fullmatch(t)
    if m is not None:
        if not m.group(1):
            raise ValueError(_("no sign: write -{span} for that long ago")
                             .format(span=m.group(2).strip()))
        seconds = 0.0
        for number, unit in _RELATIVE_PART.findall(m.group(2)):
            if len(number) > 9:
                raise OverflowError
            seconds += float(number.replace(",", ".")) * _UNITS[unit.lower()]
        sign = -1 if m.group(1) == "-" else 1
        return local(now.astimezone(UTC) + sign * timedelta(seconds=round(seconds)), z)
    named = _ZONE_NAME.fullmatch(text.strip())
    if named is not None and (other := dtz.gettz(named.group(2))) is not None:
        naive = _parse_naive(named.group(1), now, z)
        if not isinstance(naive, datetime):
            raise ValueError(_("a zone needs a time of day"))
        aware = localize(naive, other)
        return aware.replace(tzinfo=timezone(aware.utcoffset() or timedelta(0)))
    if (said := _NAMED_OFFSET.search(text)) is not None:
        alone = f"{said.group(2)}{int(said.group(3)):02d}:{said.group(4) or '00'}"
        raise ValueError(_("'{said}' is read two ways: write the offset alone, like {alone}")
                         .format(said=said.group().strip(), alone=alone))
    seen: list[tuple[str | None, int | None]] = []
    parsed = _parse_naive(text, now, z, seen)
    if not seen:
        return written(parsed, z) if isinstance(parsed, datetime) else parsed
    name, offset = seen[0]
    if not isinstance(parsed, datetime):
        raise ValueError(_("a zone needs a time of day"))
    if offset is not None:
        return parsed.replace(tzinfo=timezone(timedelta(seconds=offset)))
    assert name is not None
    for candidate in (z, dtz.gettz(name)):
        for fold in (0, 1):
            aware = parsed.replace(tzinfo=candidate, fold=fold)
            if candidate is not None and dtz.datetime_exists(aware) and \
                    aware.tzname() == name:
                off = aware.utcoffset()
                assert off is not None
                return parsed.replace(tzinfo=timezone(off))
    raise ValueError(_("unknown time zone {name} at that date: write an offset (like -05:00) "
                       "or a zone's name (like America/New_York)").format(name=repr(name)))


def _parse_naive(text: str, now: datetime, z: tzinfo,
                 seen: list[tuple[str | None, int | None]] | None = None,
                 default: date | None = None) -> Moment:
    """What dateutil reads in `text`: a naive date-time (or a date, when no time of day
    is written); a zone or offset named in it goes to `seen`, (name, offset seconds)."""
    from dateutil import parser as dparser

    def note(name: str | None, offset: int | None) -> None:
        if name is None and offset is None:
            return  # dateutil asks even when the text names no zone
        if seen is None:
            raise ValueError(_("one zone at most"))
        seen.append((name, offset))

    day = wall(now, z).date() if default is None else default
    spanish = language() == "es"
    read = _numeric_date(text, day, dayfirst=True) if spanish else text
    try:
        parsed = dparser.parse(english(read), default=datetime.combine(day, time()),
                               tzinfos=note)
    except (ValueError, OverflowError) as e:
        if not spanish:
            _numeric_date(text, day, dayfirst=False)  # says which day does not exist
        raise ValueError(_("not a date or time")) from e
    has_time = bool(re.search(r"\d:\d|\d\s*[ap]\.?m\b|T\d", text, re.I))
    naive = parsed.replace(microsecond=0, tzinfo=None)
    return naive if has_time or seen else naive.date()


def _numeric_date(text: str, default: date, dayfirst: bool) -> str:
    """`text` with a leading date of numbers (`1/12/2026`, `1.12`, `1-12-26`) written
    as ISO (`2026-12-01`), read day first or month first; the year defaults to
    `default`'s. ValueError when that day does not exist; the text as it is when it
    does not start with such a date."""
    m = _NUMERIC_DATE.match(text)
    if m is None:
        return text
    first, second, year = int(m.group(1)), int(m.group(3)), m.group(4)
    d, mo = (first, second) if dayfirst or first > 12 >= second else (second, first)
    if year is None:
        y = default.year
    elif len(year) == 2:
        from dateutil import parser as dparser

        y = dparser.parserinfo().convertyear(int(year))
    else:
        y = int(year)
    if not 1 <= mo <= 12:
        raise ValueError(_("not a valid date: there is no month {month}").format(month=mo))
    try:
        iso = date(y, mo, d).isoformat()
    except ValueError:
        raise ValueError(_("not a valid date: there is no day {day} in month {month}")
                         .format(day=d, month=mo)) from None
    return iso + text[m.end():]


def english(text: str) -> str:
    """`text` with its Spanish day and month names in English, for dateutil."""
    if text.isascii() and not re.search(r"[a-z]{3}", text, re.I):
        return text

    def swap(m: re.Match[str]) -> str:
        word = m.group().rstrip(".").lower()
        if word == "mar":
            rest = _CLOCK_TIME.sub("", text)
            return m.group() if re.search(r"\d", rest) else "tue"
        return _SPANISH_DAYS.get(word) or _SPANISH_MONTHS.get(word) or m.group()
    return _WORD.sub(swap, text)


def parse_now(text: str, z: tzinfo) -> datetime:
    """CLIENTFIT_NOW: an ISO date-time (or date); a naive one is wall time in `z`."""
    try:
        v = datetime.fromisoformat(text.strip())
    except ValueError as e:
        raise ValueError(_("CLIENTFIT_NOW={text} is not an ISO date-time")
                         .format(text=repr(text))) from e
    try:
        instant = (v if v.tzinfo is not None else localize(v, z)).astimezone(UTC)
        if not _FIRST + _REACH <= instant <= _LAST - _REACH:
            raise OverflowError
    except OverflowError:
        raise ValueError(_("CLIENTFIT_NOW={text} is too near the year 1 or 9999: the rules "
                           "look up to 100 years back and ahead").format(text=repr(text))
                         ) from None
    return instant


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
    from .. import l10n

    return l10n.duration(d, h, m, s)


def show(instant: datetime, z: tzinfo) -> str:
    """An instant as 'YYYY-MM-DD HH:MM' in zone `z`."""
    return instant.astimezone(z).isoformat(" ", "minutes")[:16]


def show_moment(m: Moment) -> str:
    """A moment as written: 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM', or that and ' +HHMM'."""
    if isinstance(m, datetime):
        s = m.isoformat(" ", "minutes")[:16]
        off = m.utcoffset()
        if off is not None:
            s += m.strftime(" %z")
        return s
    return m.isoformat()


def iso_moment(m: Moment, z: tzinfo) -> str:
    """ISO 8601 for data out: a date stays a date; a local date-time gets the offset of
    zone `z` at that time (a time in a DST gap moves forward); an offset one keeps its own."""
    if isinstance(m, datetime):
        return (m if m.tzinfo is not None else localize(m, z)).isoformat()
    return m.isoformat()
