"""Moments said as phrases (`el 1 de diciembre a las 17:00`, `ayer a las 22:10`, `lunes
pasado`, `anoche`, `esta tarde`; `last monday`, `last night`, `this morning`), read in
both languages whatever the reader's; and the near misses, refused rather than misread."""

from __future__ import annotations

import tomllib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from dateutil import tz
from hypothesis import given, strategies as st

from clientfit_tui.domain import dates
from clientfit_tui.i18n import set_language
from test_cli import run

Z = tz.gettz("Europe/Madrid")
EVENING = datetime(2026, 12, 2, 17, 58, tzinfo=UTC)  # 18:58 in Madrid, a Wednesday
NIGHT = datetime(2026, 12, 2, 22, 30, tzinfo=UTC)  # 23:30 in Madrid, the same Wednesday
MONDAY = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)  # 12:00 in Madrid, a Monday
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
          "septiembre", "octubre", "noviembre", "diciembre")


def when(text: str, now: datetime = NIGHT, past: bool = True) -> dates.Moment:
    return dates.parse_when(text, now, Z, past=past)


@pytest.fixture(params=["en", "es"])
def lang(request: pytest.FixtureRequest) -> str:
    set_language(request.param)
    return str(request.param)


@pytest.mark.parametrize(("text", "expected"), [
    ("1 de diciembre", date(2026, 12, 1)),
    ("1 de diciembre de 2026", date(2026, 12, 1)),
    ("1 de diciembre del 2026", date(2026, 12, 1)),
    ("5 de dic", date(2025, 12, 5)),               # no year, ahead: last year's
    ("5 de dic.", date(2025, 12, 5)),
    ("5 de mar", date(2026, 3, 5)),                # after `de`, `mar` is March
    ("el 1 de diciembre a las 17:00", datetime(2026, 12, 1, 17, 0)),
    ("El 1 De Diciembre A Las 17:00", datetime(2026, 12, 1, 17, 0)),
    ("ayer a las 22:10", datetime(2026, 12, 1, 22, 10)),
    ("hoy a las 9", datetime(2026, 12, 2, 9, 0)),
    ("hoy a las 9h30", datetime(2026, 12, 2, 9, 30)),
    ("hoy a la 1", datetime(2026, 12, 2, 1, 0)),
    ("anteayer a las 8:30", datetime(2026, 11, 30, 8, 30)),
    ("yesterday at 22:10", datetime(2026, 12, 1, 22, 10)),
    ("today at 9am", datetime(2026, 12, 2, 9, 0)),
    ("at 9", datetime(2026, 12, 2, 9, 0)),         # once read as the 9th of the month
    ("monday at 10", datetime(2026, 11, 30, 10, 0)),  # once read as 10 November
    ("Nov 20 at 11", datetime(2026, 11, 20, 11, 0)),  # once read as 20 November 2011
    ("el lunes", date(2026, 11, 30)),
    ("el lunes a las 10:00", datetime(2026, 11, 30, 10, 0)),
    ("el miercoles", date(2026, 12, 2)),           # today is the latest Wednesday
    ("el sábado a las 12:00", datetime(2026, 11, 28, 12, 0)),
    ("lunes pasado", date(2026, 11, 30)),
    ("el lunes pasado", date(2026, 11, 30)),
    ("el pasado lunes", date(2026, 11, 30)),
    ("lunes pasado a las 10", datetime(2026, 11, 30, 10, 0)),
    ("miércoles pasado", date(2026, 11, 25)),      # said on a Wednesday: a week back
    ("on monday", date(2026, 11, 30)),
    ("last monday", date(2026, 11, 30)),
    ("last monday at 10am", datetime(2026, 11, 30, 10, 0)),
    ("last fri", date(2026, 11, 27)),
    ("a las 5 de la tarde", datetime(2026, 12, 2, 17, 0)),
    ("ayer a las 10 de la noche", datetime(2026, 12, 1, 22, 0)),
    ("ayer a las 10:30 de la noche", datetime(2026, 12, 1, 22, 30)),
    ("hoy a las 8 de la mañana", datetime(2026, 12, 2, 8, 0)),
    ("ayer a las 12 de la mañana", datetime(2026, 12, 1, 12, 0)),
    ("ayer a las 12 de la noche", datetime(2026, 12, 1, 0, 0)),
    ("ayer a las 3 de la madrugada", datetime(2026, 12, 1, 3, 0)),
    ("el lunes a las 9 de la noche", datetime(2026, 11, 30, 21, 0)),
    ("1 de diciembre a las 6 de la tarde", datetime(2026, 12, 1, 18, 0)),
    ("yesterday at 8 in the evening", datetime(2026, 12, 1, 20, 0)),
    ("yesterday at 11 at night", datetime(2026, 12, 1, 23, 0)),
    ("ayer por la tarde", datetime(2026, 12, 1, 16, 0)),
    ("ayer por la mañana a las 10", datetime(2026, 12, 1, 10, 0)),
    ("ayer por la manana a las 2", datetime(2026, 12, 1, 2, 0)),  # not the small hours
    ("ayer por la noche", datetime(2026, 12, 1, 22, 0)),
    ("ayer por la noche a las 2", datetime(2026, 12, 2, 2, 0)),   # as anoche a las 2
    ("hoy por la tarde", datetime(2026, 12, 2, 16, 0)),
    ("hoy por la noche", datetime(2026, 12, 2, 21, 0)),
    ("yesterday afternoon", datetime(2026, 12, 1, 16, 0)),
    ("yesterday morning at 7", datetime(2026, 12, 1, 7, 0)),
    ("yesterday evening", datetime(2026, 12, 1, 22, 0)),
    ("2026-11-20 2314", datetime(2026, 11, 20, 23, 14)),  # once read as the day alone
    ("2026-11-20 0930", datetime(2026, 11, 20, 9, 30)),
    ("anteanoche", datetime(2026, 11, 30, 22, 0)),
    ("anteanoche a las 2", datetime(2026, 12, 1, 2, 0)),
    ("hace dos horas", datetime(2026, 12, 2, 21, 30)),
    ("hace media hora", datetime(2026, 12, 2, 23, 0)),
    ("hace tres días", datetime(2026, 11, 29, 23, 30)),
    ("three days ago", datetime(2026, 11, 29, 23, 30)),
    ("half an hour ago", datetime(2026, 12, 2, 23, 0)),
    ("ayer, a las 22:10", datetime(2026, 12, 1, 22, 10)),
    ("el lunes, a las 10", datetime(2026, 11, 30, 10, 0)),
    ("anoche", datetime(2026, 12, 1, 22, 0)),
    ("anoche a las 23:40", datetime(2026, 12, 1, 23, 40)),
    ("anoche 23:40", datetime(2026, 12, 1, 23, 40)),
    ("anoche a las 11", datetime(2026, 12, 1, 23, 0)),
    ("anoche a las 2", datetime(2026, 12, 2, 2, 0)),   # the small hours: today
    ("esta mañana", datetime(2026, 12, 2, 9, 0)),
    ("esta manana", datetime(2026, 12, 2, 9, 0)),
    ("ESTA MAÑANA", datetime(2026, 12, 2, 9, 0)),
    ("esta mañana a las 8", datetime(2026, 12, 2, 8, 0)),
    ("esta tarde", datetime(2026, 12, 2, 16, 0)),
    ("esta tarde a las 5", datetime(2026, 12, 2, 17, 0)),
    ("esta tarde a las 17:30", datetime(2026, 12, 2, 17, 30)),
    ("esta noche", datetime(2026, 12, 2, 21, 0)),
    ("esta noche a las 10", datetime(2026, 12, 2, 22, 0)),
    ("last night", datetime(2026, 12, 1, 22, 0)),
    ("last night at 11pm", datetime(2026, 12, 1, 23, 0)),
    ("last night at 2am", datetime(2026, 12, 2, 2, 0)),
    ("this morning", datetime(2026, 12, 2, 9, 0)),
    ("this morning at 8", datetime(2026, 12, 2, 8, 0)),
    ("this afternoon", datetime(2026, 12, 2, 16, 0)),
    ("this afternoon at 3", datetime(2026, 12, 2, 15, 0)),
    ("this evening", datetime(2026, 12, 2, 21, 0)),
    ("tonight", datetime(2026, 12, 2, 21, 0)),
])
def test_phrases_are_read(lang: str, text: str, expected: dates.Moment) -> None:
    got = when(text)
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize(("text", "now", "expected"), [
    ("last monday", MONDAY, date(2026, 11, 23)),          # on a Monday: a week back
    ("lunes pasado", MONDAY, date(2026, 11, 23)),
    ("el lunes", MONDAY, date(2026, 11, 30)),             # the latest Monday: today
    ("anoche", MONDAY, datetime(2026, 11, 29, 22, 0)),
    ("esta mañana", MONDAY, datetime(2026, 11, 30, 9, 0)),
])
def test_phrases_on_another_day(lang: str, text: str, now: datetime,
                                expected: dates.Moment) -> None:
    assert when(text, now) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("el lunes", date(2026, 12, 7)),                      # not past: the coming one
    ("lunes pasado", date(2026, 11, 30)),                 # past whatever is asked
    ("esta noche", datetime(2026, 12, 2, 21, 0)),
    ("mañana a las 9", datetime(2026, 12, 3, 9, 0)),
])
def test_phrases_not_in_the_past(lang: str, text: str, expected: dates.Moment) -> None:
    assert when(text, EVENING, past=False) == expected


@pytest.mark.parametrize("text", [
    "el", "el ", "de diciembre", "de diciembre de 2026", "1 de", "1 de diciembre de",
    "1 de diciembre de 26", "31 de noviembre", "32 de diciembre", "1 de lunes",
    "a las", "a las 25", "hoy a las", "ayer a las", "ayer a las tarde", "at", "el lunes a las",
    "pasado", "el pasado", "pasado mañana", "last", "lunes pasado 5 dic", "esta", "this",
    "last night at", "esta mañana a las 25", "this morning at 13pm",
    "de la tarde", "a las de la tarde", "a las 17 de la tarde", "a las 13 de la noche",
    "ayer por la", "por la tarde", "ayer por la siesta", "yesterday at night",
    "3", " 30 ", "2026",  # a number alone: once read as a day of this month
    "dos", "hace dos", "hace media", ",", " , ", "2026-11-20 2514", "2026-11-20 2370",
])
def test_near_misses_are_refused(lang: str, text: str) -> None:
    with pytest.raises(ValueError, match=r"^(cannot read|no se puede leer) "):
        when(text)


@pytest.mark.parametrize(("text", "en", "es"), [
    ("esta tarde a las 10", "'esta tarde' is from 12:00 to 21:59; 10:00 is not",
     "'esta tarde' va de las 12:00 a las 21:59; las 10:00 no"),
    ("esta noche a las 3", "'esta noche' is from 18:00 to 23:59; 03:00 is not",
     "'esta noche' va de las 18:00 a las 23:59; las 03:00 no"),
    ("anoche a las 12", "'anoche' is from 18:00 to 05:59; 12:00 is not",
     "'anoche' va de las 18:00 a las 05:59; las 12:00 no"),
    ("this morning at 8pm", "'this morning' is from 00:00 to 12:59; 20:00 is not",
     "'this morning' va de las 00:00 a las 12:59; las 20:00 no"),
])
def test_a_time_outside_its_part_of_the_day_is_refused(lang: str, text: str, en: str,
                                                       es: str) -> None:
    lead = {"en": "cannot read", "es": "no se puede leer"}[lang]
    with pytest.raises(ValueError) as e:
        when(text)
    assert str(e.value) == f"{lead} {text!r}: {en if lang == 'en' else es}"


@pytest.mark.parametrize(("text", "en", "es"), [
    ("esta noche", "esta noche (21:00) has not happened yet",
     "esta noche (21:00) aún no ha llegado"),
    ("this evening", "this evening (21:00) has not happened yet",
     "this evening (21:00) aún no ha llegado"),
    ("esta tarde a las 8", "esta tarde (20:00) has not happened yet",
     "esta tarde (20:00) aún no ha llegado"),
])
def test_a_part_of_the_day_still_ahead_has_not_happened(lang: str, text: str, en: str,
                                                        es: str) -> None:
    with pytest.raises(ValueError) as e:
        when(text, EVENING)
    assert str(e.value).endswith(": " + (en if lang == "en" else es))
    assert "\n" not in str(e.value)


@given(st.dates(date(1000, 1, 1), date(9998, 12, 31)), st.sampled_from(["", "el "]))
def test_a_day_of_a_month_of_a_year_is_that_date(day: date, article: str) -> None:
    for lang in ("en", "es"):
        set_language(lang)
        text = f"{article}{day.day} de {MONTHS[day.month - 1]} de {day.year}"
        assert when(text) == day


WEEKDAYS = (("lunes", "mon"), ("martes", "tue"), ("miércoles", "wed"), ("jueves", "thu"),
            ("viernes", "fri"), ("sábado", "sat"), ("domingo", "sun"))


@given(st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)), st.integers(0, 6))
def test_last_weekday_is_the_latest_before_today(at: datetime, weekday: int) -> None:
    now = at.replace(tzinfo=Z)
    today = dates.wall(now, Z).date()
    es, en = WEEKDAYS[weekday]
    for text in (f"{es} pasado", f"last {en}"):
        got = when(text, now)
        assert isinstance(got, date) and got.weekday() == weekday
        assert timedelta(days=1) <= today - got <= timedelta(days=7)


def test_log_reads_a_phrase(spanish: None, sample_file: Path) -> None:
    r = run("--file", str(sample_file), "log", "acme", "x", "--at", "anoche a las 23:40",
            env={"CLIENTFIT_NOW": "2026-12-02T18:58"})
    assert r.returncode == 0, r.stderr
    data = tomllib.loads(sample_file.read_text())["clients"]
    assert data["acme"]["incidents"][-1]["at"] == datetime(2026, 12, 1, 23, 40)


def test_log_refuses_a_part_of_the_day_still_ahead(spanish: None, sample_file: Path) -> None:
    before = sample_file.read_text()
    r = run("--file", str(sample_file), "log", "acme", "x", "--at", "esta noche",
            env={"CLIENTFIT_NOW": "2026-12-02T18:58"})
    assert r.returncode == 1
    assert "esta noche (21:00) aún no ha llegado" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert sample_file.read_text() == before
