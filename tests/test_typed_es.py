"""What a Spanish speaker types: day-first dates, decimal commas, `anteayer` and `hace 2
horas`; and a note that says nothing is refused on the command line."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from dateutil import tz

from clientfit_tui.actions import Refusal
from clientfit_tui.actions.clients import ClientInput, read as read_client
from clientfit_tui.actions.incidents import read_minutes
from clientfit_tui.domain import dates
from clientfit_tui.domain.values import read_number
from clientfit_tui.i18n import set_language
from clientfit_tui.store.store import Store
from test_cli import run

Z = tz.gettz("Europe/Madrid")
NOW = datetime(2026, 12, 2, 17, 58, tzinfo=UTC)  # 18:58 in Madrid, a Wednesday
AT = {"CLIENTFIT_NOW": "2026-12-02T18:58"}


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield


def when(text: str) -> dates.Moment:
    return dates.parse_when(text, NOW, Z, past=True)


# -- dates --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("1/12/2026 09:00", datetime(2026, 12, 1, 9, 0)),
    ("1/2/2024", date(2024, 2, 1)),
    ("1.12.2026", date(2026, 12, 1)),
    ("1-12-26", date(2026, 12, 1)),
    ("1/12", date(2026, 12, 1)),
    ("5/12", date(2025, 12, 5)),         # no year, ahead: last year's
    ("13/1/2026", date(2026, 1, 13)),
    ("2026-12-01", date(2026, 12, 1)),   # ISO stays ISO
    ("anteayer", date(2026, 11, 30)),
    ("antes de ayer", date(2026, 11, 30)),
    ("anteayer 22:10", datetime(2026, 11, 30, 22, 10)),
    ("hace 2 horas", datetime(2026, 12, 2, 16, 58)),
    ("hace 30 minutos", datetime(2026, 12, 2, 18, 28)),
    ("hace 3 días", datetime(2026, 11, 29, 18, 58)),
    ("hace una hora", datetime(2026, 12, 2, 17, 58)),
    ("hace 1,5 horas", datetime(2026, 12, 2, 17, 28)),
    ("ayer 22:10", datetime(2026, 12, 1, 22, 10)),
    ("5 dic 2026", date(2026, 12, 5)),
])
def test_spanish_dates_are_day_first(spanish: None, text: str, expected: dates.Moment) -> None:
    assert when(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("1/12/2026 09:00", datetime(2026, 1, 12, 9, 0)),   # as before: month first
    ("1/2/2024", date(2024, 1, 2)),
    ("12/31/2026", date(2026, 12, 31)),
    ("2 hours ago", datetime(2026, 12, 2, 16, 58)),
    ("3 days ago", datetime(2026, 11, 29, 18, 58)),
    ("an hour ago", datetime(2026, 12, 2, 17, 58)),
    ("anteayer", date(2026, 11, 30)),                   # Spanish words are always read
])
def test_english_dates_are_month_first(english: None, text: str,
                                       expected: dates.Moment) -> None:
    assert when(text) == expected


def test_an_impossible_date_is_said_to_be_one(spanish: None) -> None:
    with pytest.raises(ValueError, match="no es una fecha válida: el mes 11 no tiene día 31"):
        when("31/11/2026")
    with pytest.raises(ValueError, match="no es una fecha válida: no hay mes 13"):
        when("1/13/2026")


def test_an_impossible_date_is_said_to_be_one_in_english(english: None) -> None:
    with pytest.raises(ValueError, match="not a valid date: there is no day 31 in month 11"):
        when("11/31/2026")


# -- numbers ------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("3.500,50", 3500.5), ("3500,50", 3500.5), ("3500.50", 3500.5), ("1.234.567,8", 1234567.8),
    ("12", 12), ("0,5", 0.5), ("3.500,50 €", 3500.5), ("€ 3.500,50", 3500.5),
    ("12 000", 12000), ("12\u00a0000,50", 12000.5), ("1\u202f200", 1200), ("EUR 1200", 1200),
    ("1.200 EUR", 1200), ("1.50", 1.5), ("1.500", 1500)])
def test_spanish_numbers_have_a_decimal_comma(spanish: None, text: str,
                                              expected: float) -> None:
    assert read_number(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("3500.50", 3500.5), ("3,500.50", 3500.5), ("1,234,567", 1234567), ("12", 12),
    ("$1,200", 1200), ("1,200.50 USD", 1200.5), ("12 000", 12000), ("12 000.50", 12000.5),
    ("€30", 30)])
def test_english_numbers(english: None, text: str, expected: float) -> None:
    assert read_number(text) == expected


@pytest.mark.parametrize("text", ["EUR", "€", "1 INF", "12  000", "1 2 3", "12 00", "€ €5",
                                  "5 EURO", "ABC 5"])
@pytest.mark.parametrize("lang", ["es", "en"])
def test_no_amount_is_made_up(lang: str, text: str, request: pytest.FixtureRequest) -> None:
    """A sign or code with no number, an unknown code, spaces that do not set apart groups
    of three: refused, in both languages."""
    request.getfixturevalue("spanish" if lang == "es" else "english")
    with pytest.raises(ValueError):
        read_number(text)


def test_a_dot_with_four_digits_after_it_is_asked_about(spanish: None) -> None:
    """`1.5000` in Spanish: a slip of the thousands dot (15.000), or 1,5? Refused, saying
    both, rather than read as 1.5."""
    with pytest.raises(ValueError, match=r'^"1.5000" puede ser 1,5000 o 15000'):
        read_number("1.5000")
    assert read_number("15.000") == 15000 and read_number("1.50") == 1.5


def test_english_keeps_refusing_a_decimal_comma(english: None) -> None:
    with pytest.raises(ValueError, match="not a number"):
        read_number("3500,50")
    with pytest.raises(ValueError, match="minutes: not a number of minutes"):
        read_minutes("1,5h")


@pytest.mark.parametrize(("text", "expected"), [
    ("1,5h", 90), ("1,5 h", 90), ("2 horas", 120), ("90 minutos", 90), ("12,5", 12.5),
    ("1h30", 90), ("1:30", 90)])
def test_spanish_minutes(spanish: None, text: str, expected: float) -> None:
    assert read_minutes(text) == expected


def test_the_form_names_its_fields(spanish: None, sample_file: Path) -> None:
    snap = Store(sample_file).load()
    out = read_client(ClientInput("nuevo", "Nuevo", revenue="mucho"), snap, NOW)
    assert isinstance(out, Refusal) and out.reason.startswith("Ingresos: no es un número")
    out = read_client(ClientInput("nuevo", "Nuevo", since="31/11/2026"), snap, NOW)
    assert isinstance(out, Refusal) and out.reason.startswith("Desde: ")
    out = read_client(ClientInput("nuevo", "Nuevo", "active", "1/2/2024", "3.500,50"), snap, NOW)
    assert out == {"name": "Nuevo", "since": date(2024, 2, 1), "revenue": 3500.5}
    with pytest.raises(ValueError, match=r"^Minutos: "):
        read_minutes("diez")


# -- the command line ---------------------------------------------------------------

def test_log_and_add_read_spanish(spanish: None, sample_file: Path) -> None:
    r = run("--file", str(sample_file), "log", "acme", "x", "--at", "1/12/2026 09:00",
            "--minutes", "1,5h", env=AT)
    assert r.returncode == 0, r.stderr
    r = run("--file", str(sample_file), "add", "nuevo", "--name", "Nuevo", "--since",
            "1/2/2024", "--revenue", "3.500,50 €", env=AT)
    assert r.returncode == 0, r.stderr
    data = tomllib.loads(sample_file.read_text())["clients"]
    assert data["acme"]["incidents"][-1]["at"] == datetime(2026, 12, 1, 9, 0)
    assert data["acme"]["incidents"][-1]["minutes"] == 90
    assert data["nuevo"]["since"] == date(2024, 2, 1)
    assert data["nuevo"]["revenue"] == 3500.5


def test_the_command_line_names_its_options(spanish: None, sample_file: Path) -> None:
    before = sample_file.read_text()
    r = run("--file", str(sample_file), "add", "nuevo", "--name", "Nuevo", "--revenue",
            "mucho", env=AT)
    assert r.returncode == 1 and "--revenue: no es un número" in r.stderr
    r = run("--file", str(sample_file), "add", "nuevo", "--name", "Nuevo", "--since",
            "31/11/2026", env=AT)
    assert r.returncode == 1 and "--since: " in r.stderr and "fecha válida" in r.stderr
    assert sample_file.read_text() == before


@pytest.mark.parametrize("note", ["", "   "])
def test_log_refuses_an_empty_note(sample_file: Path, note: str) -> None:
    before = sample_file.read_text()
    r = run("--file", str(sample_file), "log", "acme", note, env=AT)
    assert r.returncode == 1 and "the note is empty" in r.stderr
    assert sample_file.read_text() == before


def test_log_help_says_what_a_spanish_speaker_may_type(spanish: None) -> None:
    r = run("log", "--help")
    assert "1/12/2026" in r.stdout and "hace 2 horas" in r.stdout and "anteayer" in r.stdout


# -- accents -------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "text", "matches"), [
    ("orbita", "Órbita Medios", True), ("clinica", "Clínica Lumen", True),
    ("CLÍNICA", "clinica", True), ("pixel", "Zorro Píxel", True), ("ano", "año", True),
    ("orbita", "Orbe", False)])
def test_searches_ignore_case_and_accents(query: str, text: str, matches: bool) -> None:
    from clientfit_tui.domain.search import score

    assert (score(query, text) is not None) == matches


def test_log_finds_a_client_typed_without_accents(sample_file: Path, tmp_path: Path) -> None:
    from conftest import ROOT

    f = tmp_path / "es.toml"
    f.write_bytes((ROOT / "sample.es.toml").read_bytes())
    for typed, cid in (("orbita", "orbit"), ("clinica", "lumen"), ("ÓRBITA", "orbit")):
        r = run("--file", str(f), "log", typed, "x", env=AT)
        assert r.returncode == 0, r.stderr
        assert tomllib.loads(f.read_text())["clients"][cid]["incidents"][-1]["note"] == "x"
