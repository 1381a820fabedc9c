"""The typed model of a clientfit file, and the check that raw TOML data means one.

`load_data(raw)` turns what `tomllib` read into a `Data`, or lists every problem
with the data path it comes from (the store turns paths into line:col).
"""

import math
import re
from datetime import date, datetime, time, tzinfo
from typing import Any, NamedTuple

from ..i18n import _
from . import dates
from .values import LARGEST, dotted, number_text, shown, text_problem
from .vocab import CLIENT_ID, CURRENCY, DAYS, KIND_KEYS, KINDS, MEETINGS, OUTCOMES, STATUSES

__all__ = ["CLIENT_ID", "CURRENCY", "DAYS", "KINDS", "KIND_KEYS", "MEETINGS", "OUTCOMES",
           "STATUSES", "Client", "Data", "Incident", "Invoice", "Problem", "Review", "Settings"]
Path = tuple[str | int, ...]
_HOURS = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")


class Problem(NamedTuple):
    """Something wrong in the file, at a data path."""

    path: Path
    message: str
    warning: bool = False


class Settings:
    """The `[settings]` table, with its defaults."""

    __slots__ = ("cooling_off_days", "currency", "instinct_reviews", "instinct_within_days",
                 "notice", "rate", "timezone", "tz", "work_days", "work_end", "work_start")

    def __init__(self, cooling_off_days: int = 3, notice: str = "30 days",
                 work_start: time = time(9, 0), work_end: time = time(18, 0),
                 work_days: frozenset[int] = frozenset(range(5)), instinct_reviews: int = 3,
                 instinct_within_days: int = 90, timezone: str | None = None,
                 tz: tzinfo | None = None, rate: float | None = None, currency: str | None = None) -> None:
        self.cooling_off_days = cooling_off_days
        """No decision within this many days of a client's latest incident."""
        self.notice = notice
        """Default notice period."""
        self.work_start = work_start
        self.work_end = work_end
        self.work_days = work_days
        """Weekdays worked, Monday = 0."""
        self.instinct_reviews = instinct_reviews
        self.instinct_within_days = instinct_within_days
        self.timezone = timezone
        self.tz: tzinfo = tz if tz is not None else dates.zone(None)
        """The zone every local time is read in."""
        self.rate, self.currency = rate, currency
        """Your hourly rate, for the cost of trouble, and its currency ("EUR"); None: not set."""


class Incident(NamedTuple):
    at: dates.Moment
    kind: str
    severity: int
    minutes: float
    note: str
    index: int  # type: ignore[assignment]  # the field shadows tuple.index, on purpose
    """Position in the client's `incidents` array."""
    instant: datetime = datetime.min
    """When it happened, in UTC (a date counts from its midnight in the settings' zone)."""


class Invoice(NamedTuple):
    number: str
    amount: float
    due: date
    paid: date | None
    index: int  # type: ignore[assignment]  # the field shadows tuple.index, on purpose


class Review(NamedTuple):
    at: dates.Moment | None
    outcome: str | None
    note: str
    index: int  # type: ignore[assignment]  # the field shadows tuple.index, on purpose
    revisit: date | None = None
    """A day to look again at the decision (shown by `due` until a later review)."""


class Client(NamedTuple):
    id: str
    name: str
    status: str = "active"
    contact: str = ""
    email: str = ""
    since: date | None = None
    regular: bool = False
    revenue: float | None = None
    hours: float | None = None
    """Hours of paid work over the same period as `revenue` (a year)."""
    contract: str = ""
    notes: str = ""
    disrespectful_flag: bool = False
    """`disrespectful = true` in the file."""
    incidents: tuple[Incident, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    reviews: tuple[Review, ...] = ()
    offboarding: dict[str, Any] | None = None
    """The raw `[clients.ID.offboarding]` table, once the decision is made."""

    @property
    def disrespectful(self) -> bool:
        """Marked disrespectful, or with a `disrespect` incident on record."""
        return self.disrespectful_flag or any(i.kind == "disrespect" for i in self.incidents)

    def incidents_by_index(self, index: int) -> Incident:
        """The incident at position `index` of the file's array."""
        inc = self.incidents[index] if index < len(self.incidents) else None
        if inc is not None and inc.index == index:
            return inc
        return next(i for i in self.incidents if i.index == index)

    @property
    def unpaid(self) -> tuple[Invoice, ...]:
        return tuple(i for i in self.invoices if i.paid is None)


class Data(NamedTuple):
    settings: Settings
    clients: dict[str, Client]


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def err(self, path: Path, message: str) -> None:
        self.problems.append(Problem(path, message))

    def table(self, v: Any, path: Path) -> dict[str, Any] | None:
        if isinstance(v, dict):
            return v
        self.err(path, _("expected a table, found {kind}").format(kind=_kind(v)))
        return None

    def str_(self, t: dict[str, Any], k: str, path: Path, required: bool = False) -> str | None:
        if k not in t:
            if required:
                self.err(path, _("{table}: missing required key '{key}'").format(table=dotted(path), key=k))
            return None
        v = t[k]
        if not isinstance(v, str):
            self.err((*path, k), _("'{key}' must be a string, found {kind}").format(key=k, kind=_kind(v)))
            return None
        why = text_problem(v, f"'{k}'")
        if why is not None:
            self.err((*path, k), why)
            return None
        return v

    def choice(self, t: dict[str, Any], k: str, path: Path, options: tuple[str, ...],
               required: bool = False) -> str | None:
        v = self.str_(t, k, path, required)
        if v is not None and v not in options:
            self.err((*path, k), _("'{key}' must be one of {options}; found {value}").format(
                key=k, options=", ".join(options), value=shown(v)))
            return None
        return v

    def number(self, t: dict[str, Any], k: str, path: Path, required: bool = False,
               integer: bool = False, lo: float = 0, hi: float = LARGEST) -> float | None:
        if k not in t:
            if required:
                self.err(path, _("{table}: missing required key '{key}'").format(table=dotted(path), key=k))
            return None
        v = t[k]
        ok = isinstance(v, int) if integer else isinstance(v, int | float)
        if isinstance(v, bool) or not ok:
            want = (_("'{key}' must be a whole number, found {kind}") if integer
                    else _("'{key}' must be a number, found {kind}"))
            self.err((*path, k), want.format(key=k, kind=_kind(v)))
            return None
        if isinstance(v, float) and not math.isfinite(v):
            self.err((*path, k), _("'{key}' must be a finite number, found {value}")
                     .format(key=k, value=v))
            return None
        if not lo <= v <= hi:
            a, b = number_text(int(lo)), number_text(int(hi))
            rng = (_("'{key}' must be from {lo} to {hi}, found {value}") if hi != LARGEST
                   else _("'{key}' must be {lo} or more, found {value}") if v < lo
                   else _("'{key}' must be at most {hi}, found {value}"))
            self.err((*path, k), rng.format(key=k, lo=a, hi=b, value=number_text(v)))
            return None
        return float(v) if not integer else v

    def moment(self, t: dict[str, Any], k: str, path: Path, required: bool = False,
               date_only: bool = False) -> dates.Moment | None:
        if k not in t:
            if required:
                self.err(path, _("{table}: missing required key '{key}'").format(table=dotted(path), key=k))
            return None
        v = t[k]
        if isinstance(v, datetime):
            return v.date() if date_only else v
        if isinstance(v, date):
            return v
        want = (_("'{key}' must be a date (2026-11-20), found {kind}") if date_only else
                _("'{key}' must be a date or date-time (2026-11-20T23:14:00), found {kind}"))
        self.err((*path, k), want.format(key=k, kind=_kind(v)))
        return None

    def instant(self, m: dates.Moment | None, k: str, path: Path, s: Settings,
                days_after: int = 0) -> datetime | None:
        """The instant of a moment checked by `dates.instant_of` (None: no moment)."""
        if m is None:
            return None
        try:
            return dates.instant_of(m, s.tz, days_after, s.timezone)
        except ValueError as e:
            self.err((*path, k), _("'{key}': {why}").format(key=k, why=e))
            return None

    def bool_(self, t: dict[str, Any], k: str, path: Path) -> bool:
        if k not in t:
            return False
        v = t[k]
        if not isinstance(v, bool):
            self.err((*path, k), _("'{key}' must be true or false, found {kind}")
                     .format(key=k, kind=_kind(v)))
            return False
        return v

    def array(self, t: dict[str, Any], k: str, path: Path) -> list[Any]:
        v = t.get(k, [])
        if not isinstance(v, list):
            self.err((*path, k), _("'{key}' must be an array of tables, found {kind}")
                     .format(key=k, kind=_kind(v)))
            return []
        return v


def _kind(v: Any) -> str:
    if isinstance(v, bool):
        return _("a boolean")
    if isinstance(v, int):
        return _("an integer")
    if isinstance(v, float):
        return _("a float")
    if isinstance(v, str):
        return _("a string")
    if isinstance(v, datetime):
        return _("a date-time")
    if isinstance(v, date):
        return _("a date")
    if isinstance(v, time):
        return _("a time")
    if isinstance(v, list):
        return _("an array")
    if isinstance(v, dict):
        return _("a table")
    return type(v).__name__


def _settings(c: _Checker, raw: Any) -> Settings:
    path: Path = ("settings",)
    t = c.table(raw, path)
    if t is None:
        return Settings()
    kw: dict[str, Any] = {}
    days = c.number(t, "cooling_off_days", path, integer=True, hi=365)
    if days is not None:
        kw["cooling_off_days"] = int(days)
    notice = c.str_(t, "notice", path)
    if notice is not None:
        try:
            dates.check_period(notice)
            kw["notice"] = notice
        except ValueError as e:
            c.err((*path, "notice"), str(e))
    hours = c.str_(t, "work_hours", path)
    if hours is not None:
        m = _HOURS.fullmatch(hours)
        parsed = None
        if m:
            h1, m1, h2, m2 = (int(x) for x in m.groups())
            if h1 < 24 and h2 <= 24 and m1 < 60 and m2 < 60 and not (h2 == 24 and m2):
                parsed = (time(h1, m1), time(0, 0) if h2 == 24 else time(h2, m2))
        if parsed is None:
            c.err((*path, "work_hours"), _("'work_hours' must look like \"09:00-18:00\"; found "
                                           "{value}").format(value=shown(hours)))
        else:
            kw["work_start"], kw["work_end"] = parsed
    if "work_days" in t:
        wd = t["work_days"]
        if not isinstance(wd, list) or not all(isinstance(d, str) for d in wd):
            c.err((*path, "work_days"),
                  _("'work_days' must be an array of day names like \"mon\""))
        else:
            bad = [d for d in wd if d.lower()[:3] not in DAYS or len(d) < 3]
            if bad:
                c.err((*path, "work_days"), _("unknown day {value} (use mon, tue, ... sun)")
                      .format(value=shown(bad[0])))
            else:
                kw["work_days"] = frozenset(DAYS.index(d.lower()[:3]) for d in wd)
    if "instinct" in t:
        it = c.table(t["instinct"], (*path, "instinct"))
        if it is not None:
            r = c.number(it, "reviews", (*path, "instinct"), integer=True, lo=1, hi=1000)
            w = c.number(it, "within_days", (*path, "instinct"), integer=True, lo=1, hi=36500)
            if r is not None:
                kw["instinct_reviews"] = int(r)
            if w is not None:
                kw["instinct_within_days"] = int(w)
    name = c.str_(t, "timezone", path)
    if name is not None:
        try:
            kw["tz"] = dates.zone(name)
            kw["timezone"] = name
        except ValueError as e:
            c.err((*path, "timezone"), str(e))
    rate, cur = c.number(t, "rate", path), c.str_(t, "currency", path)
    if cur is not None and not CURRENCY.fullmatch(cur):
        c.err((*path, "currency"), _("'currency' must be a 3-letter code like \"EUR\"; found "
                                     "{value}").format(value=shown(cur)))
    return Settings(**kw, rate=rate, currency=cur)


def _client(c: _Checker, cid: str, raw: Any, s: Settings) -> Client | None:
    path: Path = ("clients", cid)
    if not CLIENT_ID.fullmatch(cid):
        c.err(path, _("client id {id} must use only a-z, 0-9 and '-'").format(id=shown(cid)))
    t = c.table(raw, path)
    if t is None:
        return None
    name = c.str_(t, "name", path, required=True)
    if name is not None and not name.strip():
        c.err((*path, "name"), _("'name' must not be empty"))
    status = c.choice(t, "status", path, STATUSES) or "active"
    since = c.moment(t, "since", path, date_only=True)
    revenue = c.number(t, "revenue", path)
    hours = c.number(t, "hours", path)
    kw: dict[str, Any] = {}
    for k in ("contact", "email", "contract", "notes"):
        v = c.str_(t, k, path)
        if v is not None:
            kw[k] = v
    incidents = [x for i, item in enumerate(c.array(t, "incidents", path))
                 if (x := _incident(c, item, (*path, "incidents", i), i, s)) is not None]
    invoices = [y for i, item in enumerate(c.array(t, "invoices", path))
                if (y := _invoice(c, item, (*path, "invoices", i), i)) is not None]
    reviews = [z for i, item in enumerate(c.array(t, "reviews", path))
               if (z := _review(c, item, (*path, "reviews", i), i, s)) is not None]
    off = None
    if "offboarding" in t:
        off = c.table(t["offboarding"], (*path, "offboarding"))
        if off is not None:
            _offboarding(c, off, (*path, "offboarding"), s)
    if name is None:
        return None
    return Client(
        id=cid, name=name, status=status, since=since, regular=c.bool_(t, "regular", path),
        revenue=revenue, hours=hours, disrespectful_flag=c.bool_(t, "disrespectful", path),
        incidents=tuple(incidents), invoices=tuple(invoices), reviews=tuple(reviews),
        offboarding=off, **kw,
    )


def _incident(c: _Checker, item: Any, ip: Path, i: int, s: Settings) -> Incident | None:
    it = c.table(item, ip)
    if it is None:
        return None
    at = c.moment(it, "at", ip, required=True)
    kind = c.choice(it, "kind", ip, KINDS, required=True)
    sev = c.number(it, "severity", ip, integer=True, lo=1, hi=3)
    minutes = c.number(it, "minutes", ip)
    note = c.str_(it, "note", ip) or ""
    instant = c.instant(at, "at", ip, s, s.cooling_off_days)
    if at is None or kind is None or instant is None:
        return None
    return Incident(at, kind, int(sev or 1), minutes or 0.0, note, i, instant)


def _invoice(c: _Checker, item: Any, ip: Path, i: int) -> Invoice | None:
    it = c.table(item, ip)
    if it is None:
        return None
    num = it.get("number", "")
    if not isinstance(num, str | int) or isinstance(num, bool):
        c.err((*ip, "number"), _("'{key}' must be a string, found {kind}")
              .format(key="number", kind=_kind(num)))
        num = ""
    elif isinstance(num, int) and not -2**63 <= num < 2**63:
        c.err((*ip, "number"),
              _("'number' is too long for a TOML integer: write it as a string"))
        num = ""
    elif isinstance(num, str):
        num = c.str_(it, "number", ip) or ""
    amount = c.number(it, "amount", ip, required=True)
    due = c.moment(it, "due", ip, required=True, date_only=True)
    paid = c.moment(it, "paid", ip, date_only=True)
    if amount is None or due is None:
        return None
    return Invoice(str(num), amount, due, paid, i)


def _review(c: _Checker, item: Any, ip: Path, i: int, s: Settings) -> Review | None:
    it = c.table(item, ip)
    if it is None:
        return None
    at = c.moment(it, "at", ip)
    c.instant(at, "at", ip, s)
    outcome = c.choice(it, "outcome", ip, OUTCOMES)
    note = c.str_(it, "note", ip) or ""
    revisit = c.moment(it, "revisit", ip, date_only=True)
    return Review(at, outcome, note, i, revisit)


def _offboarding(c: _Checker, t: dict[str, Any], path: Path, s: Settings) -> None:
    for k in ("decided", "contract_reviewed", "obligations_met", "told", "ended"):
        c.instant(c.moment(t, k, path), k, path, s)
    c.moment(t, "deliverable", path, date_only=True)
    for k in ("reason", "referral", "told_early", "ended_early"):
        c.str_(t, k, path)
    for k in ("referral_skipped", "proceed_unpaid"):
        c.bool_(t, k, path)
    notice = c.str_(t, "notice", path)
    if notice is not None:
        try:
            dates.check_period(notice)
        except ValueError as e:
            c.err((*path, "notice"), str(e))
            notice = None
    told = t.get("told")
    if isinstance(told, date) and "deliverable" not in t:
        try:  # the notice ends that long after they were told
            dates.check_room(told.date() if isinstance(told, datetime) else told,
                             notice if notice is not None else s.notice)
        except ValueError as e:
            c.err((*path, "told"), _("'{key}': {why}").format(key="told", why=e))
    meeting = c.str_(t, "meeting", path)
    if meeting is not None and meeting not in MEETINGS:
        if "mail" in meeting.lower():
            c.err((*path, "meeting"),
                  _("the meeting is in person, by phone or by video: not by email"))
        else:
            c.err((*path, "meeting"), _("'{key}' must be one of {options}; found {value}")
                  .format(key="meeting", options=", ".join(MEETINGS), value=shown(meeting)))


def load_data(raw: dict[str, Any]) -> tuple[Data | None, list[Problem]]:
    """The model of raw TOML data, or None and every problem found."""
    c = _Checker()
    settings = _settings(c, raw["settings"]) if "settings" in raw else Settings()
    clients: dict[str, Client] = {}
    if "clients" in raw:
        ct = c.table(raw["clients"], ("clients",))
        for cid, v in (ct or {}).items():
            cl = _client(c, cid, v, settings)
            if cl is not None:
                clients[cid] = cl
    if c.problems:
        return None, c.problems
    return Data(settings, clients), []


def load_settings(raw: Any) -> tuple[Settings, list[Problem]]:
    """The settings from the `[settings]` table (None: all defaults)."""
    c = _Checker()
    return (_settings(c, raw) if raw is not None else Settings()), c.problems


def load_client(settings: Settings, cid: str, raw: Any) -> tuple[Client | None, list[Problem]]:
    """One client's model, or None and its problems."""
    c = _Checker()
    client = _client(c, cid, raw, settings)
    return (client if not c.problems else None), c.problems


def load_item(settings: Settings, cid: str, array: str, i: int, raw: Any
              ) -> tuple[Incident | Invoice | Review | None, list[Problem]]:
    """Element `i` of a client's `incidents`, `invoices` or `reviews`, checked alone (each
    element is checked on its own, so this is what `load_client` says of it)."""
    c = _Checker()
    ip: Path = ("clients", cid, array, i)
    item: Incident | Invoice | Review | None
    if array == "incidents":
        item = _incident(c, raw, ip, i, settings)
    elif array == "invoices":
        item = _invoice(c, raw, ip, i)
    elif array == "reviews":
        item = _review(c, raw, ip, i, settings)
    else:
        raise ValueError(f"not an array of a client: {array!r}")
    return (item if not c.problems else None), c.problems
