"""Export and import: spreadsheets out and in, and the round trip between them."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import tomllib
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from clientfit_tui.actions import imports
from clientfit_tui.domain import dates, offsets, sheet
from clientfit_tui.domain.model import KINDS, Client, load_data
from clientfit_tui.store import tomlfmt
from clientfit_tui.store.store import Store

NOW = "2026-11-27T10:00:00"
HEADER = "type,client,at,kind,severity,minutes,note,number,amount,due,paid"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLIENTFIT_NOW": NOW}
    return subprocess.run([sys.executable, "-m", "clientfit_tui", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def without_records(text: str) -> str:
    """The file with every incident and invoice block taken out (clients kept)."""
    out, skip = [], False
    for line in text.splitlines(keepends=True):
        if line.startswith("["):
            skip = re.match(r"\[\[clients\.[a-z0-9-]+\.(incidents|invoices)\]\]", line) is not None
        if not skip:
            out.append(line)
    return "".join(out)


def clients(path: Path) -> dict[str, Client]:
    d, problems = load_data(tomllib.loads(path.read_text()))
    assert d is not None, problems
    return d.clients


@pytest.fixture
def empty_file(tmp_path: Path, sample_file: Path) -> Path:
    """The sample's clients and settings, without incidents or invoices."""
    p = tmp_path / "empty.toml"
    p.write_text(without_records(sample_file.read_text()))
    assert not any(c.incidents or c.invoices for c in clients(p).values())
    return p


def test_export_csv_has_a_header_and_iso_moments_with_offsets(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "export", "--csv")
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert r.stdout.splitlines()[0] == HEADER
    assert len(rows) == 92 + 10
    first = rows[0]
    assert first == {"type": "incident", "client": "acme", "at": "2025-12-25T20:36:00+01:00",
                     "kind": "after-hours", "severity": "2", "minutes": "20",
                     "note": "Slack ping at 20:36, then again ten minutes later", "number": "",
                     "amount": "", "due": "", "paid": ""}
    summer = next(x for x in rows if x["client"] == "orbit" and x["at"].startswith("2026-05-25"))
    assert summer["at"] == "2026-05-25T12:15:00+02:00"     # the zone's summer offset
    assert any(x["at"] == "2026-06-05" for x in rows)       # a date stays a date
    inv = next(x for x in rows if x["type"] == "invoice" and x["number"] == "2026-029")
    assert (inv["client"], inv["amount"], inv["due"], inv["paid"], inv["at"]) == \
        ("slowpay", "980.5", "2026-10-15", "", "")


def test_export_json_and_one_client(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "export", "--json", "--client", "orb")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout)
    assert {i["client"] for i in got["incidents"]} == {"orbit"}
    assert got["invoices"] == [
        {"client": "orbit", "number": "2026-026", "amount": 760.0, "due": "2026-09-30",
         "paid": "2026-10-29"},
        {"client": "orbit", "number": "2026-033", "amount": 1300.0, "due": "2026-11-10",
         "paid": None}]
    assert run("--file", str(sample_file), "export").returncode == 2   # --csv or --json


def test_export_then_import_gives_the_same_incidents_and_invoices(
        sample_file: Path, empty_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    out.write_text(run("--file", str(sample_file), "export", "--csv").stdout)
    before = empty_file.read_text()
    r = run("--file", str(empty_file), "import", str(out), "--dry-run")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "would add 92 incidents and 10 invoices"
    assert empty_file.read_text() == before
    r = run("--file", str(empty_file), "import", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "added 92 incidents and 10 invoices"
    old, new = clients(sample_file), clients(empty_file)
    for cid, c in old.items():
        assert new[cid].incidents == c.incidents
        assert new[cid].invoices == c.invoices
    assert new == old
    # the rest of the file is as it was: the new blocks only were added
    assert run("--file", str(empty_file), "check").returncode == 0
    assert run("--file", str(empty_file), "export", "--csv").stdout == out.read_text()
    # imported again: every row is already there
    r = run("--file", str(empty_file), "import", str(out))
    assert r.stdout == "nothing to add; 102 rows already in the file\n"


def test_a_hand_made_sheet(sample_file: Path, tmp_path: Path) -> None:
    """Columns in any order, some left out, a BOM and CRLF (as spreadsheets save them)."""
    p = tmp_path / "mine.csv"
    p.write_bytes("\ufeffClient,Type,Note,At,Minutes,Amount,Due\r\n"
                  "gecko,incident,\"a note, with a comma\r\nand two lines\",2026-11-26 21:30,15,,\r\n"
                  ",,,,,,\r\n"
                  "gecko,invoice,,,,\"250\",2026-12-15\r\n".encode())
    r = run("--file", str(sample_file), "import", str(p))
    assert r.returncode == 0, r.stderr
    g = tomllib.loads(sample_file.read_text())["clients"]["gecko"]
    assert g["incidents"][-1] == {"at": datetime(2026, 11, 26, 21, 30), "kind": "after-hours",
                                  "severity": 1, "minutes": 15,
                                  "note": "a note, with a comma\r\nand two lines"}
    assert g["invoices"][-1] == {"amount": 250.0, "due": date(2026, 12, 15)}


def test_bad_rows_are_each_reported_and_nothing_is_written(sample_file: Path,
                                                           tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(f"{HEADER}\n"
                 "incident,acme,2026-11-20T10:00:00,other,1,,fine\n"
                 "incident,acme,2026-12-20,other,1,,in the future\n"
                 "incident,nobody,2026-11-20,other,1,,who?\n"
                 "invoice,acme,,,,,,X-1,12o,2026-11-01,\n"
                 "incident,acme,20/11/2026,other,,,a local date format\n"
                 "incident,acme,2026-11-20,rude,,,\n"
                 "incident,acme,2026-11-20,other,4,,\n"
                 "invoice,acme,2026-11-20,,,,,X-2,10,2026-11-01,\n"
                 "invoice,acme,,,,,,2026-031,1200,2026-10-31,\n"
                 "payment,acme,,,,,,,,,\n"
                 "invoice,acme,,,,,,X-3,1e16,2026-11-01,\n")
    before = sample_file.read_bytes()
    r = run("--file", str(sample_file), "import", str(p))
    assert r.returncode == 1
    assert sample_file.read_bytes() == before
    name = str(p)
    lines = r.stderr.splitlines()
    assert [ln.split(": ")[0] for ln in lines[:-1]] == [f"{name}:{n}" for n in range(3, 13)]
    assert "in the future" in lines[0] and "no client 'nobody'" in lines[1]
    assert "amount: not a number: '12o'" in lines[2] and "not an ISO date" in lines[3]
    assert "unknown kind 'rude'" in lines[4] and "severity is 1, 2 or 3" in lines[5]
    assert "with at filled in" in lines[6] and "already in the file with other" in lines[7]
    assert "type must be incident or invoice" in lines[8]
    assert "'amount' must be at most" in lines[9]
    assert lines[-1] == "clientfit: 10 bad rows: nothing was written"
    assert "Traceback" not in r.stderr


@pytest.mark.parametrize(("text", "message"), [
    ("type,client,severty\n", "bad.csv:1: unknown column 'severty'"),
    ("client,at\n", "bad.csv:1: missing column 'type'"),
    ("", "bad.csv: empty"),
    ("type,client,at\nincident,acme,\"2026-11-20\n", "bad.csv:2: unexpected end of data"),
])
def test_a_bad_header_or_file(sample_file: Path, tmp_path: Path, text: str, message: str
                              ) -> None:
    p = tmp_path / "bad.csv"
    p.write_text(text)
    before = sample_file.read_bytes()
    r = run("--file", str(sample_file), "import", str(p))
    assert r.returncode == 1 and message in r.stderr, r.stderr
    assert sample_file.read_bytes() == before


def test_a_missing_or_non_utf8_sheet(sample_file: Path, tmp_path: Path) -> None:
    r = run("--file", str(sample_file), "import", str(tmp_path / "nope.csv"))
    assert (r.returncode, r.stderr) == (1, f"clientfit: {tmp_path / 'nope.csv'}: no such file\n")
    p = tmp_path / "latin.csv"
    p.write_bytes(b"type,client,note\nincident,acme,caf\xe9\n")
    r = run("--file", str(sample_file), "import", str(p))
    assert r.returncode == 1 and "latin.csv:2: not UTF-8" in r.stderr


# -- the round trip, on generated incidents -------------------------------------------

ZONES = ["Europe/Madrid", "America/New_York", "Asia/Kolkata", "UTC", "Australia/Lord_Howe"]
WHEN = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
notes = st.text(st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t\r"),
                max_size=40).map(str.strip)
naive = st.datetimes(datetime(2000, 1, 1), datetime(2026, 11, 20))
moments = st.one_of(
    st.dates(date(2000, 1, 1), date(2026, 11, 20)),
    naive,
    st.builds(lambda d, m: d.replace(tzinfo=timezone(timedelta(minutes=m))),
              naive, st.integers(-12 * 4, 14 * 4).map(lambda q: q * 15)),
)
incidents = st.fixed_dictionaries(
    {"at": moments, "kind": st.sampled_from(KINDS), "severity": st.integers(1, 3)},
    optional={"minutes": st.one_of(st.integers(0, 10**6),
                                   st.floats(0, 1e6, allow_nan=False).map(lambda f: round(f, 3))),
              "note": notes.filter(bool)})


def toml_file(zone: str, items: dict[str, list[dict[str, object]]]) -> str:
    lines = ["[settings]", f"timezone = {tomlfmt.string(zone)}", ""]
    for cid, incs in items.items():
        lines += [f"[clients.{cid}]", f"name = {tomlfmt.string(cid.upper())}", ""]
        for i in incs:
            lines += [f"[[clients.{cid}.incidents]]",
                      *(f"{k} = {tomlfmt.value(v)}" for k, v in i.items()), ""]
    return "\n".join(lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(zone=st.sampled_from(ZONES),
       a=st.lists(incidents, max_size=6), b=st.lists(incidents, max_size=6))
def test_round_trip_of_generated_incidents(tmp_path: Path, zone: str, a: list[dict[str, object]],
                                           b: list[dict[str, object]]) -> None:
    """Exported and imported into a file with the same clients: the same incidents (a local
    time that does not exist, in a DST gap, comes back as the instant it stands for)."""
    src = toml_file(zone, {"a": a, "b": b})
    d, problems = load_data(tomllib.loads(src))
    assert d is not None, problems
    text = io.StringIO()
    w = csv.writer(text)
    w.writerow(sheet.COLUMNS)
    w.writerows(sheet.rows(d.clients.values(), d.settings))
    target = tmp_path / f"t-{zone.replace('/', '-')}.toml"
    target.write_text(toml_file(zone, {"a": [], "b": []}))
    rows, errors = imports.read_csv(text.getvalue(), "x.csv")
    assert not errors
    store = Store(target)
    snap = store.load(data=False)
    plan = imports.plan(snap, WHEN, rows, "x.csv")
    assert not plan.errors and not plan.skipped
    change = plan.change()
    if change is not None:
        store.apply(change.edit)
    got = store.load().data
    z = d.settings.tz
    for cid in ("a", "b"):
        old, new = d.clients[cid].incidents, got.clients[cid].incidents
        assert len(old) == len(new)
        for x, y in zip(old, new, strict=True):
            assert (x.instant, type(x.at), x.kind, x.severity, x.minutes, x.note) == \
                (y.instant, type(y.at), y.kind, y.severity, y.minutes, y.note)
            if isinstance(x.at, datetime) and x.at.tzinfo is None and \
                    dates.localize(x.at, z).replace(tzinfo=None) == x.at:
                assert y.at == x.at          # a local time that exists stays that local time


@settings(max_examples=300, deadline=None)
@given(zone=st.sampled_from(ZONES), ms=st.lists(moments, max_size=20))
def test_offsets_worked_out_per_day_are_the_zone_s(zone: str, ms: list[date]) -> None:
    """The quick offsets of export are those of the zone, DST days included."""
    z = dates.zone(zone)
    quick = offsets.LocalOffsets(z)
    for m in [*ms, datetime(2026, 3, 29, 2, 30), datetime(2026, 10, 25, 2, 30),
              datetime(2026, 3, 29, 1, 59), datetime(2026, 10, 25, 23, 0)]:
        assert quick.iso(m) == dates.iso_moment(m, z)


def test_values_at_the_edges_round_trip(tmp_path: Path) -> None:
    """Year 1 (where the zone's offset has seconds), year 9999, big numbers."""
    p = tmp_path / "edge.toml"
    p.write_text('[settings]\ntimezone = "Asia/Tokyo"\n[clients.a]\nname = "A"\n'
                 '[[clients.a.incidents]]\nat = 0001-01-02T05:00:00\nkind = "other"\n'
                 'minutes = 1e15\n[[clients.a.incidents]]\nat = 0001-01-02\nkind = "other"\n'
                 '[[clients.a.invoices]]\namount = 123456789012.345\ndue = 9999-12-31\npaid = 0001-01-01\n'
                 '[clients.b]\nname = "B"\n')
    out = run("--file", str(p), "export", "--csv").stdout
    assert "0001-01-02T05:00:00+09:18:59" in out and ",123456789012.345,9999-12-31,0001-01-01" in out
    sheet_b = tmp_path / "b.csv"
    sheet_b.write_text(out.replace(",a,", ",b,"))
    r = run("--file", str(p), "import", str(sheet_b))
    assert r.returncode == 0, r.stderr
    got = clients(p)
    assert got["b"].incidents == got["a"].incidents
    assert got["b"].invoices == got["a"].invoices
