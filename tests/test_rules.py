"""The rules, with a fixed clock: cooling-off, instinct, Pareto, after-hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from dateutil import tz

from clientfit_tui.domain import dates, rules
from clientfit_tui.domain.model import Client, Data, Incident, Review, Settings, load_data

MADRID = tz.gettz("Europe/Madrid")
NEW_YORK = tz.gettz("America/New_York")


def settings(zone: str = "Europe/Madrid", days: int = 3, **kw: object) -> Settings:
    return Settings(cooling_off_days=days, timezone=zone, tz=dates.zone(zone), **kw)  # type: ignore[arg-type]


def client(*moments: dates.Moment, kinds: tuple[str, ...] = (), reviews: tuple[Review, ...] = (),
           cid: str = "acme", **kw: object) -> Client:
    incs = tuple(Incident(m, (kinds[i] if i < len(kinds) else "other"), 1, 0.0, "", i)
                 for i, m in enumerate(moments))
    return Client(id=cid, name=cid.title(), incidents=incs, reviews=reviews, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(("at", "zone", "unlocks"), [
    # a local date-time counts from itself, on the zone's wall clock
    (datetime(2026, 11, 20, 23, 14), "Europe/Madrid", datetime(2026, 11, 23, 23, 14)),
    # a date alone counts from its midnight in the settings' zone
    (date(2026, 11, 20), "Europe/Madrid", datetime(2026, 11, 23, 0, 0)),
    (date(2026, 11, 20), "America/New_York", datetime(2026, 11, 23, 0, 0)),
    # across the spring-forward night: still the same wall-clock time three days later
    (datetime(2026, 3, 27, 12, 0), "Europe/Madrid", datetime(2026, 3, 30, 12, 0)),
    (datetime(2026, 3, 6, 12, 0), "America/New_York", datetime(2026, 3, 9, 12, 0)),
    # across the fall-back night
    (datetime(2026, 10, 23, 12, 0), "Europe/Madrid", datetime(2026, 10, 26, 12, 0)),
    (datetime(2026, 10, 30, 12, 0), "America/New_York", datetime(2026, 11, 2, 12, 0)),
    # landing inside the spring-forward gap (02:30 does not exist): moved forward
    (datetime(2026, 3, 26, 2, 30), "Europe/Madrid", datetime(2026, 3, 29, 3, 30)),
    (datetime(2026, 3, 5, 2, 30), "America/New_York", datetime(2026, 3, 8, 3, 30)),
])
def test_unlock_is_days_later_on_the_wall_clock(at: dates.Moment, zone: str,
                                               unlocks: datetime) -> None:
    """Cooling-off unlocks `cooling_off_days` after the latest incident, DST-safe."""
    s = settings(zone)
    cool = rules.cooling(client(at), s, datetime(2026, 1, 1, tzinfo=UTC))
    assert cool.unlocks is not None
    assert cool.unlocks.astimezone(s.tz).replace(tzinfo=None) == unlocks


def test_offset_datetime_is_compared_as_an_instant() -> None:
    """An incident written with an offset is the same instant in any zone."""
    s = settings("Europe/Madrid")
    at = datetime(2026, 11, 20, 23, 14, tzinfo=timezone(timedelta(hours=-5)))  # 05:14 in Madrid
    cool = rules.cooling(client(at), s, datetime(2026, 11, 22, tzinfo=UTC))
    assert cool.unlocks == datetime(2026, 11, 24, 5, 14, tzinfo=MADRID)


def test_latest_incident_wins_across_kinds_of_moment() -> None:
    """The latest of a date, a local and an offset date-time is found as instants."""
    s = settings("Europe/Madrid")
    c = client(date(2026, 11, 21), datetime(2026, 11, 20, 23, 0),
               datetime(2026, 11, 20, 22, 30, tzinfo=UTC))  # 23:30 Madrid on the 20th
    assert rules.latest_incident(c, s) == datetime(2026, 11, 21, tzinfo=MADRID)


@pytest.mark.parametrize(("now", "active"), [
    (datetime(2026, 11, 23, 23, 13, 59), True),
    (datetime(2026, 11, 23, 23, 14, 0), False),
    (datetime(2026, 11, 25, 0, 0), False),
])
def test_cooling_is_active_until_the_unlock_instant(now: datetime, active: bool) -> None:
    """Before the unlock time a decision is refused; from it on, allowed."""
    s = settings()
    cool = rules.cooling(client(datetime(2026, 11, 20, 23, 14)), s, now.replace(tzinfo=MADRID))
    assert cool.active is active


def test_no_incident_means_no_cooling() -> None:
    cool = rules.cooling(client(), settings(), datetime(2026, 1, 1, tzinfo=MADRID))
    assert cool.unlocks is None and not cool.active


def test_countdown_text() -> None:
    assert dates.countdown(timedelta(days=2, hours=3, minutes=5)) == "2d 03h"
    assert dates.countdown(timedelta(hours=5, minutes=12)) == "5h 12m"
    assert dates.countdown(timedelta(minutes=1, seconds=2)) == "1m 02s"
    assert dates.countdown(timedelta(seconds=-5)) == "0s"


def test_decision_inside_the_window_is_flagged() -> None:
    """A decision written by hand within days of an incident is flagged."""
    s = settings()
    c = client(datetime(2026, 11, 20, 23, 14),
               offboarding={"decided": datetime(2026, 11, 22, 9, 0)})
    flags = rules.warnings_for(c, s)
    assert [f.path for f in flags] == [("clients", "acme", "offboarding", "decided")]
    calm = client(datetime(2026, 11, 20, 23, 14),
                  offboarding={"decided": datetime(2026, 11, 24, 9, 0)})
    assert rules.warnings_for(calm, s) == []


def test_end_review_inside_the_window_is_flagged_keep_is_not() -> None:
    s = settings()
    r_end = Review(datetime(2026, 11, 21, 9, 0), "end", "", 0)
    r_keep = Review(datetime(2026, 11, 21, 9, 0), "keep", "", 1)
    c = client(datetime(2026, 11, 20, 23, 14), reviews=(r_end, r_keep))
    assert [f.path for f in rules.warnings_for(c, s)] == [("clients", "acme", "reviews", 0, "at")]


@pytest.mark.parametrize(("ages", "expected"), [
    ((1, 30, 60), True),      # three within 90 days
    ((1, 30, 91), False),     # one fell out of the window
    ((1, 30), False),
    ((0, 0, 0, 5), True),
])
def test_instinct(ages: tuple[int, ...], expected: bool) -> None:
    """Considering ending it `reviews` times within `within_days`: listen to your instincts."""
    now = datetime(2026, 11, 27, 12, 0, tzinfo=MADRID)
    reviews = tuple(Review((now - timedelta(days=a)).date(), "keep", "", i)
                    for i, a in enumerate(ages))
    assert rules.instinct(client(reviews=reviews), settings(), now) is expected


def _data(*clients: Client) -> Data:
    return Data(settings(), {c.id: c for c in clients})


def test_pareto_smallest_set_reaching_80_percent() -> None:
    """The shortest prefix of the ranking by trouble that reaches 80% of it."""
    d = _data(client(*[date(2026, 1, 1)] * 6, cid="a", revenue=10.0),
              client(*[date(2026, 1, 1)] * 3, cid="b", revenue=30.0),
              client(date(2026, 1, 1), cid="c", revenue=60.0),
              client(cid="d", revenue=0.0))
    p = rules.pareto(d)
    assert [r.client.id for r in p.rows if r.vital] == ["a", "b"]
    assert p.vital_trouble_share == pytest.approx(0.9)
    assert p.vital_revenue_share == pytest.approx(0.4)


def test_pareto_exactly_80_percent_stops_there() -> None:
    d = _data(client(*[date(2026, 1, 1)] * 8, cid="a"), client(*[date(2026, 1, 1)] * 2, cid="b"))
    p = rules.pareto(d)
    assert p.vital_ids == {"a"}
    assert p.vital_revenue_share is None


def test_pareto_leaves_out_ended_clients_and_handles_no_trouble() -> None:
    d = _data(client(date(2026, 1, 1), cid="gone", status="ended"), client(cid="b"))
    p = rules.pareto(d)
    assert [r.client.id for r in p.rows] == ["b"]
    assert p.vital_count == 0 and p.total_trouble == 0


def test_pareto_weights_severity() -> None:
    heavy = Client("heavy", "H", incidents=(Incident(date(2026, 1, 1), "other", 3, 0.0, "", 0),))
    light = client(date(2026, 1, 1), date(2026, 1, 2), cid="light")
    p = rules.pareto(_data(heavy, light))
    assert p.rows[0].client.id == "heavy" and p.rows[0].trouble == 3


@pytest.mark.parametrize(("moment", "after"), [
    (datetime(2026, 11, 20, 23, 14), True),    # Friday night
    (datetime(2026, 11, 20, 9, 0), False),     # start of the day is in hours
    (datetime(2026, 11, 20, 18, 0), True),     # the end is not
    (datetime(2026, 11, 21, 11, 0), True),     # Saturday
    (date(2026, 11, 21), False),               # a date says nothing of the hour
    (datetime(2026, 11, 20, 22, 30, tzinfo=UTC), True),   # 23:30 in Madrid
    (datetime(2026, 11, 20, 8, 30, tzinfo=UTC), False),   # 09:30 in Madrid
])
def test_after_hours(moment: dates.Moment, after: bool) -> None:
    """Outside work hours or days, on the settings' wall clock."""
    assert rules.is_after_hours(moment, settings()) is after


def test_after_hours_with_a_night_shift() -> None:
    """Work hours that wrap midnight belong to the day they start on."""
    data, problems = load_data({"settings": {"work_hours": "22:00-06:00",
                                             "work_days": ["mon"], "timezone": "UTC"}})
    assert data is not None and not problems
    s = data.settings
    assert rules.is_after_hours(datetime(2026, 11, 23, 23, 0), s) is False   # Monday 23:00
    assert rules.is_after_hours(datetime(2026, 11, 24, 5, 0), s) is False    # Tue 05:00, Monday's shift
    assert rules.is_after_hours(datetime(2026, 11, 24, 23, 0), s) is True    # Tuesday's shift: not worked


@pytest.mark.parametrize(("text", "n"), [
    ("I no longer think my services meet your needs.", 1),
    ("I no longer think my services meet your needs", 1),
    ("It's over. You never pay. Also the logo.", 3),
    ("Dr. No", 2),
    ("", 0),
])
def test_sentences(text: str, n: int) -> None:
    assert rules.sentences(text) == n
