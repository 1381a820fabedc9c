"""What happened is past: day names and bare times mean the latest past one; minutes and
kinds as a person writes them; the words after the client are the note."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest
from dateutil import tz

from clientfit_tui.actions.incidents import read_minutes
from clientfit_tui.cli.parser import COMMANDS
from clientfit_tui.domain import dates
from test_cli import run

Z = tz.gettz("Europe/Madrid")
WEDNESDAY = datetime(2026, 12, 2, 10, 0, tzinfo=Z)


@pytest.mark.parametrize(("text", "expected"), [
    ("fri 10:00", datetime(2026, 11, 27, 10, 0)),     # last Friday, not next
    ("sun 21:30", datetime(2026, 11, 29, 21, 30)),
    ("wed 11:00", datetime(2026, 11, 25, 11, 0)),     # today's name, later today: a week ago
    ("wed 9:00", datetime(2026, 12, 2, 9, 0)),        # today's name, earlier today
    ("23:14", datetime(2026, 12, 1, 23, 14)),         # a bare time ahead: yesterday's
    ("09:58", datetime(2026, 12, 2, 9, 58)),
    ("10:03", datetime(2026, 12, 2, 10, 3)),          # within the clocks' leeway: today
    ("fri", date(2026, 11, 27)),
    ("Dec 25", date(2025, 12, 25)),
    ("yesterday 22:10", datetime(2026, 12, 1, 22, 10)),
    ("today 9:00", datetime(2026, 12, 2, 9, 0)),
    ("2027-03-01", date(2027, 3, 1)),                 # written in full: kept (and refused)
    ("2026-12-05 10:00", datetime(2026, 12, 5, 10, 0)),
])
def test_day_names_and_bare_times_are_the_latest_past_one(text: str,
                                                          expected: dates.Moment) -> None:
    got = dates.parse_when(text, WEDNESDAY, Z, past=True)
    assert got == expected and type(got) is type(expected)


def test_without_past_a_bare_time_is_today() -> None:
    """A deliverable's date or a plan is not moved back."""
    assert dates.parse_when("23:14", WEDNESDAY, Z) == datetime(2026, 12, 2, 23, 14)


def test_yesterday_needs_a_time_after_it() -> None:
    with pytest.raises(ValueError, match="time of day"):
        dates.parse_when("yesterday 2026-01-01", WEDNESDAY, Z)


@pytest.mark.parametrize(("text", "expected"), [
    ("20", 20), ("1h", 60), ("1h30", 90), ("1h 30m", 90), ("90m", 90), ("1:30", 90),
    ("1.5h", 90), ("2.5", 2.5), ("", None),
])
def test_minutes_as_people_write_them(text: str, expected: float | None) -> None:
    assert read_minutes(text) == expected


@pytest.mark.parametrize("text", ["abc", "-3", "1:75", "h"])
def test_minutes_refused_with_the_reason(text: str) -> None:
    with pytest.raises(ValueError, match="minutes"):
        read_minutes(text)


WED = "2026-12-02T10:00:00"


def test_log_at_a_day_name_is_last_week(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "log", "gecko", "x", "--at", "fri 10:00",
            env={"CLIENTFIT_NOW": WED})
    assert r.returncode == 0, r.stderr
    got = tomllib.loads(sample_file.read_text())["clients"]["gecko"]["incidents"][-1]
    assert got["at"] == datetime(2026, 11, 27, 10, 0)


def test_log_a_year_typo_is_refused_and_nothing_written(sample_file: Path) -> None:
    before = sample_file.read_bytes()
    r = run("--file", str(sample_file), "log", "gecko", "x", "--at", "2027-03-01")
    assert r.returncode == 1 and "in the future" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert sample_file.read_bytes() == before


@pytest.mark.parametrize("argv", [
    ["log", "acme", "IM", "at", "23:14", "about", "logo", "--kind", "a", "--minutes", "1h30",
     "--at", "yesterday 22:10"],
    ["log", "--kind", "a", "acme", "IM", "at", "23:14", "about", "logo", "--minutes=90m",
     "--at", "yesterday 22:10"],
    ["log", "acme", "--at", "yesterday 22:10", "IM", "at", "23:14", "--minutes", "1:30",
     "about", "logo", "--kind=after-hours"],
])
def test_log_without_quotes(sample_file: Path, argv: list[str]) -> None:
    r = run("--file", str(sample_file), *argv)
    assert r.returncode == 0, r.stderr
    got = tomllib.loads(sample_file.read_text())["clients"]["acme"]["incidents"][-1]
    assert got["note"] == "IM at 23:14 about logo"
    assert got["kind"] == "after-hours" and got["minutes"] == 90
    assert got["at"] == datetime(2026, 11, 26, 22, 10)


def test_log_through_the_full_parser_takes_the_words_too(sample_file: Path) -> None:
    """An option the quick reader leaves to argparse (an unknown kind's error aside)."""
    from clientfit_tui.cli.parser import build

    args = build().parse_args(["log", "acme", "two", "words", "--kind", "v"])
    assert args.note == ["two", "words"] and args.kind == "vague-feedback"


@pytest.mark.parametrize("key", ["a", "v", "l", "s", "d", "o"])
def test_kind_takes_the_apps_keys(sample_file: Path, key: str) -> None:
    from clientfit_tui.domain.model import KIND_KEYS

    r = run("--file", str(sample_file), "log", "gecko", "x", "--kind", key)
    assert r.returncode == 0, r.stderr
    got = tomllib.loads(sample_file.read_text())["clients"]["gecko"]["incidents"][-1]
    assert got["kind"] == KIND_KEYS[key]


def test_an_unknown_kind_is_a_usage_error(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "log", "gecko", "x", "--kind", "q")
    assert r.returncode == 2 and "invalid choice" not in r.stderr
    assert r.stderr.splitlines()[-1].endswith(
        "unknown kind 'q': one of a after-hours, v vague-feedback, l late-payment, "
        "s scope-creep, d disrespect, o other"), r.stderr


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_help_never_shows_a_doubled_percent(command: str) -> None:
    argv = [command, "--help"] if command else ["--help"]
    r = subprocess.run([sys.executable, "-m", "clientfit_tui", *argv], capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "%%" not in r.stdout
    if command == "pareto":
        assert "80% of the trouble" in r.stdout


def test_check_warns_of_an_incident_in_the_future(sample_file: Path) -> None:
    text = sample_file.read_text()
    sample_file.write_text(text + '\n[[clients.pixel-fox.incidents]]\nat = 2027-03-01\n'
                           'kind = "other"\n')
    line = len(sample_file.read_text().splitlines()) - 1
    r = run("--file", str(sample_file), "check")
    assert r.returncode == 0, r.stderr
    assert f"{sample_file}:{line}:1: warning: incident in the future (2027-03-01)" in r.stdout
    assert "1 warning" in r.stdout


def test_status_json_gives_times_in_the_settings_zone(sample_file: Path) -> None:
    import json

    r = run("--file", str(sample_file), "log", "gecko", "x", "--at", "2026-11-26 23:00")
    assert r.returncode == 0, r.stderr
    r = run("--file", str(sample_file), "status", "gecko", "--json")
    row = json.loads(r.stdout)[0]
    assert row["last_incident"] == "2026-11-26T23:00:00+01:00"      # Madrid, in winter
    assert row["cooling_off_until"] == "2026-11-29T23:00:00+01:00"
    text = run("--file", str(sample_file), "status").stdout
    assert "until 2026-11-29 23:00" in text


def test_add_a_client_byte_for_byte(sample_file: Path) -> None:
    before = sample_file.read_bytes()
    r = run("--file", str(sample_file), "add", "new-co", "--name", "New Co", "--since",
            "2026-03-01", "--revenue", "1200", "--status", "watch")
    assert r.returncode == 0, r.stderr
    assert r.stdout == "added new-co\n"
    assert sample_file.read_bytes() == before + (
        b'\n[clients.new-co]\nname = "New Co"\nstatus = "watch"\nsince = 2026-03-01\n'
        b'revenue = 1200\n')
    assert run("--file", str(sample_file), "check").returncode == 0


@pytest.mark.parametrize(("argv", "says"), [
    (["Bad_Id", "--name", "X"], "client id 'Bad_Id' must"),
    (["acme", "--name", "X"], "there is already a client 'acme'"),
    (["ok", "--name", " "], "a client needs a name"),
    (["ok", "--name", "X", "--revenue", "-1"], "revenue: must be 0 or more"),
    (["ok", "--name", "X", "--since", "soon"], "since: cannot read 'soon'"),
])
def test_add_refuses_in_one_line_and_writes_nothing(sample_file: Path, argv: list[str],
                                                    says: str) -> None:
    before = sample_file.read_bytes()
    r = run("--file", str(sample_file), "add", *argv)
    assert r.returncode == 1
    assert says in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert sample_file.read_bytes() == before


def test_status_client_is_the_clients_page(sample_file: Path) -> None:
    sample_file.write_text(sample_file.read_text() + '\n[[clients.pixel-fox.incidents]]\n'
                           'at = 2026-11-26T23:40:00\nkind = "after-hours"\n'
                           'note = "A long note that the table would cut, kept whole here '
                           'to its very last word"\n')
    r = run("--file", str(sample_file), "status", "pixel-fox")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Cooling-off: decisions wait until 2026-11-29 23:40 (2d 13h left)" in out
    steps = [line for line in out.splitlines() if line.startswith("  ") and ". [" in line]
    assert len(steps) == 9 and "Decide, calmly" in steps[0]
    assert "held back: decision unlocks in 2d 13h" in out
    incidents = out[out.index("Incidents ("):out.index("Invoices")]
    assert incidents.index("2026-11-26 23:40") < incidents.index("2026-09-23 23:24")
    assert "kept whole here to its very last word" in incidents
    assert "Reviews" in out
    r = run("--file", str(sample_file), "status", "slowpay")
    assert "2026-029  980.50 EUR  due 2026-10-15  overdue (43 days)" in r.stdout
    assert "held back: 2 invoices unpaid" in r.stdout
