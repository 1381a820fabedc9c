"""Values at the edges, through the command line (in a subprocess): one clear line and an
untouched file, or a correct write; never a traceback, never a failure after a write."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

NOW = "2026-11-27T10:00:00"
BASE = 'timezone = "{zone}"\ncooling_off_days = 3\n\n[clients.acme]\nname = "Acme"\n'
LOCATED = re.compile(r"^\S+:\d+:\d+: ")


def run(*args: str | bytes, env: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, "CLIENTFIT_NOW": NOW, **(env or {})}
    return subprocess.run([sys.executable, "-m", "clientfit_tui", *args], capture_output=True,
                          text=True, env=e, timeout=60)


def data_file(tmp_path: Path, more: str = "", zone: str = "Europe/Madrid") -> Path:
    p = tmp_path / "clients.toml"
    p.write_text("[settings]\n" + BASE.format(zone=zone) + more)
    return p


def refused(r: subprocess.CompletedProcess[str], code: int = 1) -> str:
    """The one line of a refusal (no traceback)."""
    assert r.returncode == code, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.splitlines()
    if code == 2:  # argparse: the usage, then one line
        assert lines[0].startswith("usage:") and "error:" in lines[-1], r.stderr
        return lines[-1]
    assert len(lines) == 1, r.stderr
    return lines[0]


@pytest.mark.parametrize(("args", "zone", "says"), [
    (("--at", "9999-12-30 10:00"), "Europe/Madrid", "cooling-off"),       # item 2
    (("--at=+99999999w",), "Europe/Madrid", "9999"),                       # item 7
    (("--at", "0001-01-01 00:30"), "Asia/Tokyo", "9999"),                  # item 7
    (("--at", "2026-11-27 10:00 PST"), "Europe/Madrid", "PST"),            # item 8
    (("--at", "1e400"), "Europe/Madrid", "cannot read"),
])
def test_a_moment_the_rules_cannot_use_is_refused_before_writing(
        tmp_path: Path, args: tuple[str, ...], zone: str, says: str) -> None:
    p = data_file(tmp_path, zone=zone)
    before = p.read_bytes()
    line = refused(run("--file", str(p), "log", "acme", "x", *args))
    assert says in line
    assert p.read_bytes() == before


@pytest.mark.parametrize(("more", "zone"), [
    ('[[clients.acme.incidents]]\nat = 9999-12-28T12:00:00Z\nkind = "other"\n', "UTC"),
    ('[[clients.acme.incidents]]\nat = 9999-12-28\nkind = "other"\n', "Pacific/Kiritimati"),
    ('[[clients.acme.incidents]]\nat = 0001-01-01\nkind = "other"\n', "America/New_York"),
    ('[clients.acme.offboarding]\ndecided = 2026-01-01\ntold = 9999-11-30\n'
     'notice = "30 days"\n', "UTC"),
])
def test_a_file_just_inside_the_calendar_is_read_by_every_reader(tmp_path: Path, more: str,
                                                                 zone: str) -> None:
    p = data_file(tmp_path, more, zone)
    for cmd in (("check",), ("status",), ("status", "--json"), ("pareto",), ("decide", "acme"),
                ("log", "acme", "x")):
        r = run("--file", str(p), *cmd)
        assert "Traceback" not in r.stderr and r.returncode in (0, 3), (cmd, r.stderr)


@pytest.mark.parametrize(("more", "zone"), [
    ('[[clients.acme.incidents]]\nat = 0001-01-01T00:00:00+05:00\nkind = "other"\n',
     "Europe/Madrid"),
    ('[[clients.acme.incidents]]\nat = 0001-01-01\nkind = "other"\n', "Asia/Tokyo"),
    ('[clients.acme.offboarding]\ndecided = 2026-01-01\ntold = 9999-12-20\n'
     'notice = "30 days"\n', "Europe/Madrid"),
    ('[[clients.acme.incidents]]\nat = 9999-12-31T12:00:00Z\nkind = "other"\n', "UTC"),
    ('[[clients.acme.incidents]]\nat = 2026-01-01\nkind = "other"\nminutes = 1e308\n'
     '[[clients.acme.incidents]]\nat = 2026-01-02\nkind = "other"\nminutes = 1e308\n', "UTC"),
    ('[[clients.acme.incidents]]\nat = 2026-01-01\nkind = "other"\n'
     'minutes = 100000000000000000000\n', "UTC"),
    ('revenue = 1e308\n[clients.b]\nname = "B"\nrevenue = 1e308\n', "UTC"),
    ('[clients.acme.offboarding]\nnotice = "99999 years"\n', "UTC"),
])
@pytest.mark.parametrize("command", [("check",), ("status",), ("status", "--json"),
                                     ("decide", "acme"), ("pareto",)])
def test_a_file_the_readers_cannot_use_is_refused_where_it_says_so(
        tmp_path: Path, more: str, zone: str, command: tuple[str, ...]) -> None:
    """Item 3 and 4: every reader refuses at path:line:col; none prints a traceback."""
    p = data_file(tmp_path, more, zone)
    before = p.read_bytes()
    r = run("--file", str(p), *command)
    assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
    assert LOCATED.match(r.stderr), r.stderr
    assert p.read_bytes() == before


def test_minutes_that_do_not_fit_the_file_are_refused(tmp_path: Path) -> None:
    p = data_file(tmp_path)
    before = p.read_bytes()
    for minutes in ("1e20", "9223372036854775808", "inf", "nan"):
        line = refused(run("--file", str(p), "log", "acme", "x", "--minutes", minutes), code=2)
        assert "--minutes" in line
    assert p.read_bytes() == before
    r = run("--file", str(p), "log", "acme", "x", "--minutes", "1e15")
    assert r.returncode == 0, r.stderr
    assert tomllib.loads(p.read_text())["clients"]["acme"]["incidents"][0]["minutes"] == 10**15


def _strict(text: str) -> object:
    def no(c: str) -> object:
        raise AssertionError(f"not JSON: {c}")

    return json.loads(text, parse_constant=no)


def test_status_json_is_strict_at_the_largest_numbers(tmp_path: Path) -> None:
    more = "".join(f'[[clients.acme.incidents]]\nat = 2026-01-0{i}\nkind = "other"\n'
                   "minutes = 1e15\n" for i in range(1, 8))
    p = data_file(tmp_path, "revenue = 1e15\n" + more
                  + '[clients.b]\nname = "B"\nrevenue = 1e15\n')
    r = run("--file", str(p), "status", "--json")
    assert r.returncode == 0, r.stderr
    rows = _strict(r.stdout)
    assert isinstance(rows, list) and rows[0]["minutes"] == 7e15
    r = run("--file", str(p), "pareto")
    assert r.returncode == 0 and "50%" in r.stdout, r.stdout


def test_a_note_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    """Item 7: refused with one line (nothing written), rather than replaced silently."""
    p = data_file(tmp_path)
    before = p.read_bytes()
    line = refused(run("--file", str(p), "log", "acme", b"bad\xffbyte"))
    assert "UTF-8" in line and "0xff" in line
    assert p.read_bytes() == before
    r = run("--file", str(p), "log", b"acme\xff", "x")   # an id: simply not found
    assert "no client" in refused(r)


def test_a_named_zone_is_written_as_an_offset_and_nothing_leaks(tmp_path: Path) -> None:
    """Item 8: EST is honoured (-05:00), with no dateutil warning."""
    p = data_file(tmp_path)
    r = run("--file", str(p), "log", "acme", "x", "--at", "2026-11-27 03:00 EST")
    assert r.returncode == 0 and r.stderr == "", r.stderr
    assert "at = 2026-11-27T03:00:00-05:00\n" in p.read_text()
    r = run("--file", str(p), "status", "--json")
    # in the settings' zone, with its offset (as the text shows it)
    assert _strict(r.stdout)[0]["last_incident"] == "2026-11-27T09:00:00+01:00"  # type: ignore[index]


@pytest.mark.parametrize(("now", "written"), [
    ("2026-10-25T00:30:00Z", "2026-10-25T02:30:00+02:00"),   # the first 02:30
    ("2026-10-25T01:30:00Z", "2026-10-25T02:30:00+01:00"),   # the second
    ("2026-10-25T02:30:00Z", "2026-10-25T03:30:00"),         # not ambiguous: as before
])
def test_now_in_the_hour_the_clocks_repeat_reads_back_as_itself(
        tmp_path: Path, now: str, written: str) -> None:
    p = data_file(tmp_path)
    r = run("--file", str(p), "log", "acme", "x", env={"CLIENTFIT_NOW": now})
    assert r.returncode == 0, r.stderr
    assert f"at = {written}\n" in p.read_text()
    r = run("--file", str(p), "status", "--json", env={"CLIENTFIT_NOW": now})
    got = _strict(r.stdout)[0]["last_incident"]  # type: ignore[index]
    assert datetime.fromisoformat(got) == datetime.fromisoformat(now.replace("Z", "+00:00"))


def test_a_decision_in_the_repeated_hour_is_written_with_its_offset(tmp_path: Path) -> None:
    p = data_file(tmp_path)
    r = run("--file", str(p), "decide", "acme", env={"CLIENTFIT_NOW": "2026-10-25T01:30:00Z"})
    assert r.returncode == 0, r.stderr
    assert tomllib.loads(p.read_text())["clients"]["acme"]["offboarding"]["decided"] \
        .isoformat() == "2026-10-25T02:30:00+01:00"


def test_a_time_the_clocks_skip_is_written_as_the_time_it_is_read_as(tmp_path: Path) -> None:
    p = data_file(tmp_path)
    r = run("--file", str(p), "log", "acme", "x", "--at", "2026-03-29 02:30")
    assert r.returncode == 0, r.stderr
    assert "at = 2026-03-29T03:30:00\n" in p.read_text() and "03:30" in r.stdout


def test_nothing_after_the_write_turns_it_into_a_failure(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    """Item 2: the line said after a write cannot fail it (every retry would add a copy)."""
    from clientfit_tui.cli.main import main
    from clientfit_tui.domain import rules

    def broken(*_: object) -> object:
        raise OverflowError("date value out of range")

    monkeypatch.setattr(rules, "cooling_after", broken)
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)
    p = data_file(tmp_path)
    assert main(["--file", str(p), "log", "acme", "x"]) == 0
    assert "logged other" in capsys.readouterr().out
    assert len(tomllib.loads(p.read_text())["clients"]["acme"]["incidents"]) == 1
