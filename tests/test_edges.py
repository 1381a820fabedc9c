"""Values at the edges, in the domain: moments near the years 1 and 9999 in every zone,
numbers past what a sum or a 64-bit integer holds, text that was not UTF-8, times the
clocks skip or repeat."""

from __future__ import annotations

import json
import math
import warnings
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from dateutil import tz
from hypothesis import HealthCheck, example, given, settings, strategies as st

from clientfit_tui.domain import checklist, dates, rules
from clientfit_tui.domain.model import load_data, load_item
from clientfit_tui.domain.values import LARGEST, read_number, text_problem

ZONES = ("UTC", "Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/New_York",
         "Europe/Madrid", "America/Los_Angeles")
MADRID = tz.gettz("Europe/Madrid")
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

offsets = st.integers(-(24 * 60 - 1), 24 * 60 - 1).map(lambda m: timezone(timedelta(minutes=m)))
near_ends = st.one_of(
    st.datetimes(datetime(1, 1, 1), datetime(1, 1, 4)),
    st.datetimes(datetime(9998, 12, 20), datetime(9999, 12, 31, 23, 59, 59)),
)
moments = st.one_of(
    near_ends,
    near_ends.map(lambda d: d.date()),
    st.builds(lambda d, off: d.replace(tzinfo=off), near_ends, offsets),
)


def _rules_can(m: dates.Moment, z: Any, days: int) -> bool:
    """What the rules do with an incident's moment, done directly: True when all works."""
    try:
        instant = dates.to_aware(m, z)
        dates.show(instant, z)
        dates.show(dates.add_days(instant, days, z), z)
    except (OverflowError, ValueError):
        return False
    return True


@settings(max_examples=400, deadline=None)
@given(m=moments, zone=st.sampled_from(ZONES), days=st.sampled_from((0, 1, 3, 365)))
@example(datetime(1, 1, 1, tzinfo=UTC), "America/New_York", 0)
@example(datetime(1, 1, 1, 3), "Asia/Tokyo", 0)
@example(datetime(9999, 12, 31, 23, tzinfo=UTC), "Asia/Tokyo", 0)
@example(date(9999, 12, 31), "Pacific/Pago_Pago", 0)
@example(date(9999, 12, 30), "Pacific/Kiritimati", 1)
@example(date(9998, 12, 31), "UTC", 365)
def test_a_moment_is_accepted_exactly_when_the_rules_can_use_it(m: dates.Moment, zone: str,
                                                                days: int) -> None:
    """instant_of refuses a moment (ValueError) exactly when UTC, the zone's wall clock or
    the end of the cooling-off after it would leave the calendar."""
    z = dates.zone(zone)
    can = _rules_can(m, z, days)
    try:
        dates.instant_of(m, z, days, zone)
    except ValueError as e:
        assert not can, e
        assert "9999" in str(e)
    else:
        assert can


@pytest.mark.parametrize(("text", "zone", "where"), [
    ("[[clients.acme.incidents]]\nat = 0001-01-01T00:00:00+05:00\nkind = \"other\"\n",
     "Europe/Madrid", "at"),
    ("[[clients.acme.incidents]]\nat = 0001-01-01\nkind = \"other\"\n", "Asia/Tokyo", "at"),
    ("[[clients.acme.incidents]]\nat = 0001-01-01T00:00:00Z\nkind = \"other\"\n",
     "America/New_York", "at"),
    ("[[clients.acme.incidents]]\nat = 9999-12-31T12:00:00Z\nkind = \"other\"\n", "UTC", "at"),
    ("[[clients.acme.incidents]]\nat = 9999-12-31\nkind = \"other\"\n", "Pacific/Pago_Pago",
     "at"),
    ("[clients.acme.offboarding]\ntold = 9999-12-20\nnotice = \"30 days\"\n", "UTC", "told"),
    ("[clients.acme.offboarding]\ntold = 9999-06-20\n", "UTC", "told"),   # settings: 1 year
    ("[clients.acme.offboarding]\ndecided = 0001-01-01T00:30:00\n", "Asia/Tokyo", "decided"),
    ("[[clients.acme.reviews]]\nat = 0001-01-01\n", "Asia/Tokyo", "at"),
])
def test_moments_the_rules_cannot_use_are_refused_where_they_stand(text: str, zone: str,
                                                                   where: str) -> None:
    import tomllib

    raw = tomllib.loads(f'[settings]\ntimezone = "{zone}"\nnotice = "1 year"\n'
                        f'[clients.acme]\nname = "Acme"\n{text}')
    data, problems = load_data(raw)
    assert data is None
    assert problems[0].path[-1] == where and problems[0].path[:2] == ("clients", "acme")


@pytest.mark.parametrize(("text", "zone"), [
    ("at = 9999-12-28T12:00:00Z", "UTC"),           # 3 days later: 9999-12-31 12:00
    ("at = 9999-12-28", "Pacific/Kiritimati"),       # +14:00
    ("at = 0001-01-01", "America/New_York"),         # behind UTC: in the year 1 both ways
    ("at = 0001-01-01T23:59:59+23:59", "UTC"),
])
def test_moments_just_inside_the_calendar_are_kept(text: str, zone: str) -> None:
    import tomllib

    raw = tomllib.loads(f'[settings]\ntimezone = "{zone}"\n[clients.acme]\nname = "A"\n'
                        f'[[clients.acme.incidents]]\n{text}\nkind = "other"\n')
    data, problems = load_data(raw)
    assert data is not None, problems
    _read_everything(data, NOW)


def _read_everything(data: Any, now: datetime) -> None:
    """Everything `status`, `decide`, `check`, `pareto` and the app compute on a file."""
    s = data.settings
    p = rules.pareto(data)
    for c in data.clients.values():
        cool = rules.cooling(c, s, now)
        if cool.unlocks is not None:
            dates.show(cool.unlocks, s.tz)
        dates.countdown(cool.left)
        checklist.build(c, s, now)
        rules.instinct(c, s, now)
        rules.incidents_since(c, s, now, 90)
        rules.warnings_for(c, s)
        for i in c.incidents:
            rules.is_after_hours(i.at, s)
            dates.show_moment(i.at)
    json.dumps([(r.trouble_share, r.revenue_share, r.minutes, r.cumulative) for r in p.rows],
               allow_nan=False)


nows = st.sampled_from((NOW, dates.parse_now("0101-03-01T00:00:00Z", UTC),
                        dates.parse_now("9898-10-01T00:00:00Z", UTC)))


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(zone=st.sampled_from(ZONES), days=st.sampled_from((0, 3, 365)),
       notice=st.sampled_from(("30 days", "100 years", "1200 months")),
       incidents=st.lists(moments, max_size=3), review=moments, told=moments,
       decided=moments, now=nows)
@example("America/New_York", 0, "30 days", [datetime(1, 1, 1, 1, tzinfo=UTC)], date(2026, 1, 1),
         date(2026, 1, 1), date(2026, 1, 1), NOW)
@example("UTC", 3, "100 years", [datetime(9999, 12, 29, tzinfo=UTC)], date(2026, 1, 1),
         date(9899, 1, 1), date(2026, 1, 1), NOW)
def test_a_file_that_validates_can_be_read_by_every_reader(
        zone: str, days: int, notice: str, incidents: list[dates.Moment],
        review: dates.Moment, told: dates.Moment, decided: dates.Moment,
        now: datetime) -> None:
    """Either the file is refused (each problem at a path), or nothing that reads it fails."""
    raw = {"settings": {"timezone": zone, "cooling_off_days": days, "notice": notice},
           "clients": {"acme": {
               "name": "Acme", "revenue": float(LARGEST),
               "incidents": [{"at": m, "kind": "other", "minutes": LARGEST} for m in incidents],
               "reviews": [{"at": review, "outcome": "end"}],
               "offboarding": {"decided": decided, "told": told}}}}
    data, problems = load_data(raw)
    if data is None:
        assert all(p.path[:2] == ("clients", "acme") for p in problems)
        return
    _read_everything(data, now)


@pytest.mark.parametrize("text", ["+99999999w", "-99999999w", "+999999999999999999999d",
                                  "-3000000d", "0001-01-01 00:30", "9999-12-31 23:30 -05:00",
                                  "0001-01-01 00:00 +05:00", "0001-01-01 00:30 Asia/Tokyo"])
def test_parse_when_refuses_moments_outside_the_calendar(text: str) -> None:
    with pytest.raises(ValueError, match="years 1 to 9999"):
        dates.parse_when(text, NOW, tz.gettz("Asia/Tokyo"))


@settings(max_examples=300, deadline=None)
@given(text=st.one_of(
    st.text(max_size=30),
    st.builds(lambda s, n, u: f"{s}{n}{u}", st.sampled_from("+-"), st.integers(0, 10**12),
              st.sampled_from("mhdw")),
    st.builds(lambda d, z: f"{d.isoformat(' ')} {z}", near_ends,
              st.sampled_from(("", "EST", "CET", "Z", "UTC", "+05:00", "-23:59", "JST",
                               "Asia/Tokyo", "America/Los_Angeles"))),
), zone=st.sampled_from(ZONES))
def test_parse_when_gives_a_usable_moment_or_one_clear_error(text: str, zone: str) -> None:
    """Whatever is typed: a moment the rules can use, or a ValueError; never a warning."""
    z = dates.zone(zone)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            m = dates.parse_when(text, NOW, z)
        except ValueError:
            return
    dates.instant_of(m, z)


@pytest.mark.parametrize(("text", "written"), [
    ("2026-11-27 10:00 EST", datetime(2026, 11, 27, 10, tzinfo=timezone(timedelta(hours=-5)))),
    ("2026-11-27 10:00 CET", datetime(2026, 11, 27, 10, tzinfo=timezone(timedelta(hours=1)))),
    ("2026-07-27 10:00 CEST", datetime(2026, 7, 27, 10, tzinfo=timezone(timedelta(hours=2)))),
    ("2026-10-25 02:30 CET", datetime(2026, 10, 25, 2, 30,
                                      tzinfo=timezone(timedelta(hours=1)))),
    ("2026-11-27 10:00 America/New_York",
     datetime(2026, 11, 27, 10, tzinfo=timezone(timedelta(hours=-5)))),
    ("2026-11-27 10:00 UTC", datetime(2026, 11, 27, 10, tzinfo=UTC)),
])
def test_a_named_zone_is_honoured(text: str, written: datetime) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = dates.parse_when(text, NOW, MADRID)
    assert got == written and got.utcoffset() == written.utcoffset()


@pytest.mark.parametrize("text", ["2026-11-27 10:00 PST", "2026-11-27 10:00 XYZ",
                                  "2026-07-27 10:00 CET", "2026-11-27 10:00 GMT+3"])
def test_a_zone_that_cannot_be_told_is_refused_not_ignored(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValueError, match=r"zone|offset"):
            dates.parse_when(text, NOW, MADRID)


def test_now_in_the_repeated_hour_is_written_with_its_offset() -> None:
    """The night the clocks go back, each 02:30 reads back as itself."""
    first = datetime(2026, 10, 25, 0, 30, tzinfo=UTC)   # 02:30 CEST
    second = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    for instant in (first, second):
        m = dates.parse_when("now", instant, MADRID)
        assert isinstance(m, datetime) and m.utcoffset() is not None
        assert dates.to_aware(m, MADRID) == instant
    assert dates.local(datetime(2026, 10, 25, 3, 30, tzinfo=UTC), MADRID).tzinfo is None


@settings(max_examples=300, deadline=None)
@given(minutes=st.integers(0, 4 * 24 * 60), zone=st.sampled_from(ZONES),
       night=st.sampled_from((datetime(2026, 10, 24, tzinfo=UTC), datetime(2026, 3, 28, tzinfo=UTC),
                              datetime(2026, 10, 31, tzinfo=UTC), datetime(2026, 3, 7, tzinfo=UTC))))
def test_what_is_written_for_an_instant_reads_back_as_it(minutes: int, zone: str,
                                                         night: datetime) -> None:
    instant = night + timedelta(minutes=minutes)
    z = dates.zone(zone)
    assert dates.to_aware(dates.local(instant, z), z) == instant
    relative = dates.parse_when("-90m", instant + timedelta(minutes=90), z)
    assert dates.to_aware(relative, z) == instant


def test_a_typed_time_the_clocks_skip_is_written_as_the_time_it_is_read_as() -> None:
    got = dates.parse_when("2026-03-29 02:30", NOW, MADRID)
    assert got == datetime(2026, 3, 29, 3, 30) and got.tzinfo is None


@pytest.mark.parametrize(("text", "ok"), [
    ("100 years", True), ("1200 months", True), ("36525 days", True), ("5217 weeks", True),
    ("101 years", False), ("1201 months", False), ("99999 years", False),
    ("9" * 5000 + " days", False), ("0000030 days", True),
])
def test_a_period_is_at_most_100_years(text: str, ok: bool) -> None:
    if ok:
        dates.check_period(text)
        dates.parse_period(text)
    else:
        with pytest.raises(ValueError, match="100 years"):
            dates.check_period(text)


@pytest.mark.parametrize("text", ["9999-01-01", "0001-06-01T00:00:00+05:00", "0100-01-01"])
def test_a_fixed_now_must_leave_room_for_the_rules(text: str) -> None:
    with pytest.raises(ValueError, match="CLIENTFIT_NOW"):
        dates.parse_now(text, MADRID)


def test_show_pads_early_years() -> None:
    assert dates.show_moment(datetime(1, 1, 1, 0, 30)) == "0001-01-01 00:30"
    assert dates.show(datetime(999, 1, 1, tzinfo=UTC), UTC) == "0999-01-01 00:00"


# -- numbers ------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "ok"), [
    ("25", True), ("0", True), ("1e15", True), ("2.5", True),
    ("1e20", False), ("1e16", False), ("inf", False), ("nan", False), ("-1", False),
    ("1e400", False), ("abc", False),
])
def test_typed_numbers_fit_the_file(text: str, ok: bool) -> None:
    if ok:
        v = read_number(text)
        assert math.isfinite(v) and -2**63 <= int(v) < 2**63
    else:
        with pytest.raises(ValueError):
            read_number(text)


@pytest.mark.parametrize(("key", "value"), [
    ("minutes", 1e308), ("minutes", 10**20), ("minutes", 2**63), ("minutes", LARGEST + 1),
])
def test_numbers_past_what_can_be_summed_are_refused(key: str, value: float) -> None:
    raw = {"at": date(2026, 1, 1), "kind": "other", key: value}
    item, problems = load_item(_settings(), "acme", "incidents", 0, raw)
    assert item is None and problems[0].path[-1] == key


@pytest.mark.parametrize(("field", "value"), [
    ("revenue", 1e308), ("revenue", 10**19),
])
def test_revenue_past_what_can_be_summed_is_refused(field: str, value: float) -> None:
    data, problems = load_data({"clients": {"a": {"name": "A", field: value}}})
    assert data is None and problems[0].path == ("clients", "a", field)


def test_an_invoice_number_past_64_bits_is_refused() -> None:
    raw = {"number": 2**63, "amount": 1.0, "due": date(2026, 1, 1)}
    item, problems = load_item(_settings(), "acme", "invoices", 0, raw)
    assert item is None and problems[0].path[-1] == "number"
    ok, _ = load_item(_settings(), "acme", "invoices", 0, {**raw, "number": 2**63 - 1})
    assert ok is not None


def test_the_largest_numbers_still_sum_and_share() -> None:
    clients = {f"c{i}": {"name": f"C{i}", "revenue": float(LARGEST),
                         "incidents": [{"at": date(2026, 1, 1), "kind": "other",
                                        "minutes": LARGEST}] * 3}
               for i in range(50)}
    data, problems = load_data({"clients": clients})
    assert data is not None, problems
    p = rules.pareto(data)
    assert all(r.revenue_share == pytest.approx(1 / 50) for r in p.rows)
    assert math.isfinite(sum(rules.minutes_lost(c) for c in data.clients.values()))


# -- text ---------------------------------------------------------------------------------

def test_text_that_was_not_utf8_is_refused() -> None:
    note = b"bad\xffbyte".decode("utf-8", "surrogateescape")
    assert "0xff" in (text_problem(note) or "")
    assert text_problem("café ☕ 😀") is None
    item, problems = load_item(_settings(), "acme", "incidents", 0,
                               {"at": date(2026, 1, 1), "kind": "other", "note": note})
    assert item is None and problems[0].path[-1] == "note"


def _settings() -> Any:
    from clientfit_tui.domain.model import Settings

    return Settings(tz=MADRID, timezone="Europe/Madrid")
