"""ISO 8601 with offsets for many moments of one zone, fast (the export's columns)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone, tzinfo

from .dates import Moment, iso_moment, localize


class LocalOffsets:
    """`iso_moment` for many moments of one zone: the zone's offset is worked out once per
    day (the zone's rules are slow to consult), and per moment only on a day when the
    offset changes."""

    def __init__(self, z: tzinfo) -> None:
        self.z = z
        self._days: dict[date, str | None] = {}
        self._midnights: dict[date, timedelta | None] = {}

    def iso(self, m: Moment) -> str:
        if not isinstance(m, datetime) or m.tzinfo is not None:
            return m.isoformat()
        day = m.date()
        if day in self._days:
            suffix = self._days[day]
        else:
            suffix = self._days[day] = self._day_offset(day)
        if suffix is None:
            return iso_moment(m, self.z)
        return m.isoformat() + suffix

    def _day_offset(self, day: date) -> str | None:
        """The zone's offset all day long ("+01:00"), or None when it changes that day."""
        try:
            start, end = self._midnight(day), self._midnight(day + timedelta(days=1))
        except (OverflowError, ValueError):
            return None
        if start is None or start != end:
            return None
        return datetime(2000, 1, 1, tzinfo=timezone(start)).isoformat()[19:]

    def _midnight(self, day: date) -> timedelta | None:
        if day not in self._midnights:
            self._midnights[day] = localize(datetime.combine(day, time()), self.z).utcoffset()
        return self._midnights[day]
