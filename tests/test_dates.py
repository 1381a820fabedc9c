"""`--at WHEN` and CLIENTFIT_NOW."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from dateutil import tz

from clientfit_tui.domain import dates

Z = tz.gettz("Europe/Madrid")
NOW = datetime(2026, 11, 27, 10, 30, 15, tzinfo=Z)


@pytest.mark.parametrize(("text", "expected"), [
    ("now", datetime(2026, 11, 27, 10, 30, 15)),
    ("today", date(2026, 11, 27)),
    ("yesterday", date(2026, 11, 26)),
    ("-2d", datetime(2026, 11, 25, 10, 30, 15)),
    ("-3h", datetime(2026, 11, 27, 7, 30, 15)),
    ("-90m", datetime(2026, 11, 27, 9, 0, 15)),
    ("2026-11-20 23:14", datetime(2026, 11, 20, 23, 14)),
    ("2026-11-20T23:14:00", datetime(2026, 11, 20, 23, 14)),
    ("2026-11-20", date(2026, 11, 20)),
    ("23:14", datetime(2026, 11, 27, 23, 14)),
    ("Nov 20 11pm", datetime(2026, 11, 20, 23, 0)),
    ("2026-11-20T23:14:00-05:00", datetime(2026, 11, 20, 23, 14,
                                           tzinfo=timezone(timedelta(hours=-5)))),
])
def test_parse_when(text: str, expected: dates.Moment) -> None:
    got = dates.parse_when(text, NOW, Z)
    assert got == expected and type(got) is type(expected)
    if isinstance(expected, datetime):
        assert got.utcoffset() == expected.utcoffset()  # type: ignore[union-attr]


def test_relative_time_across_dst_is_real_elapsed_time() -> None:
    """-3h just after the clocks went back is three real hours earlier."""
    now = datetime(2026, 10, 25, 3, 30, tzinfo=Z)  # 03:30 CET, after 03:00 CEST -> 02:00
    assert dates.parse_when("-3h", now, Z) == datetime(2026, 10, 25, 1, 30)


@pytest.mark.parametrize("text", ["soonish", "2026-02-30", "", "-2x"])
def test_parse_when_refuses_nonsense(text: str) -> None:
    if text == "":
        assert dates.parse_when(text, NOW, Z) == datetime(2026, 11, 27, 10, 30, 15)
        return
    with pytest.raises(ValueError):
        dates.parse_when(text, NOW, Z)


def test_parse_now_naive_is_in_zone() -> None:
    assert dates.parse_now("2026-11-27T10:00:00", Z) == datetime(2026, 11, 27, 10, tzinfo=Z)
    with pytest.raises(ValueError):
        dates.parse_now("tomorrow", Z)


@pytest.mark.parametrize(("text", "ago"), [
    ("-3h", timedelta(hours=3)),
    ("-2h30m", timedelta(hours=2, minutes=30)),
    ("- 2h 30m", timedelta(hours=2, minutes=30)),
    ("-0.5h", timedelta(minutes=30)),
    ("-1,5h", timedelta(minutes=90)),
    ("-1.5d", timedelta(hours=36)),
    ("-1w2d", timedelta(days=9)),
    ("+10m", -timedelta(minutes=10)),
])
def test_time_from_now_in_parts(text: str, ago: timedelta) -> None:
    """`--at` as elapsed time: parts, decimals (either mark), never misread as a date."""
    now = datetime(2026, 12, 1, 11, 0, tzinfo=UTC)
    got = dates.parse_when(text, now, UTC)
    assert isinstance(got, datetime)
    assert dates.to_aware(got, UTC) == now - ago


@pytest.mark.parametrize("text", ["1h", "2h30m", "0.5d"])
def test_time_from_now_needs_its_sign(text: str) -> None:
    """`1h` alone was once read as a date (today); it is refused, with the fix."""
    with pytest.raises(ValueError, match=f"no sign: write -{text}"):
        dates.parse_when(text, datetime(2026, 12, 1, 11, 0, tzinfo=UTC), UTC)
