"""What is due: notices ending, invoices late, cooling-off ending today, steps, revisits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from datetime import date, datetime
from pathlib import Path

import pytest

from clientfit_tui.domain import dates
from clientfit_tui.domain.due import brief, days_text, due
from clientfit_tui.domain.model import Data, load_data

HEAD = '[settings]\ntimezone = "Europe/Madrid"\ncooling_off_days = 3\n'
NOW = "2026-11-27T10:00:00"


def data(text: str) -> Data:
    d, problems = load_data(tomllib.loads(HEAD + text))
    assert d is not None, problems
    return d


def at(text: str, d: Data) -> datetime:
    """A wall time in the settings' zone, as the instant `due` takes."""
    return dates.parse_now(text, d.settings.tz)


def test_invoices_past_due_with_amount_and_days_late() -> None:
    """Unpaid and past due only; an ended client's debt still counts; most late first."""
    d = data("""
[clients.a]
name = "A"
invoices = [{number = "1", amount = 100.0, due = 2026-11-20},
            {number = "2", amount = 50.0, due = 2026-11-01, paid = 2026-11-25},
            {number = "3", amount = 70.0, due = 2026-11-27},
            {amount = 30.0, due = 2026-10-28}]
[clients.b]
name = "B"
status = "ended"
invoices = [{number = "9", amount = 10.5, due = 2026-11-26}]
""")
    got = due(d, at(NOW, d))
    assert [(i.client.id, i.number, i.amount, i.days_late) for i in got.invoices] == [
        ("a", "#4", 30.0, 30), ("a", "1", 100.0, 7), ("b", "9", 10.5, 1)]
    assert got.owed == 140.5


@pytest.mark.parametrize(("told", "days", "left"), [
    ("2026-11-01", 7, 4),      # 30 days from Nov 1st: Dec 1st, in 4 days
    ("2026-11-01", 3, None),   # beyond the days looked at
    ("2026-10-01", 7, -27),    # ended Oct 31st and not closed: overdue
    ("2026-10-28T16:00:00", 0, 0),  # ends today
])
def test_notice_periods_ending(told: str, days: int, left: int | None) -> None:
    """A running notice (told, or a deliverable) ending within N days, or already over."""
    d = data(f"""
[clients.a]
name = "A"
status = "offboarding"
offboarding = {{ decided = 2026-09-01T10:00:00, notice = "30 days", told = {told} }}
""")
    got = due(d, at(NOW, d), days)
    assert [n.left for n in got.notices] == ([] if left is None else [left])


def test_notice_by_deliverable_and_not_yet_told() -> None:
    d = data("""
[clients.a]
name = "A"
offboarding = { decided = 2026-09-01T10:00:00, deliverable = 2026-11-30 }
[clients.b]
name = "B"
offboarding = { decided = 2026-09-01T10:00:00, notice = "2 weeks" }
[clients.c]
name = "C"
status = "ended"
offboarding = { decided = 2026-09-01T10:00:00, told = 2026-10-01, notice = "2 weeks" }
""")
    got = due(d, at(NOW, d))
    assert [(n.client.id, n.ends, n.how) for n in got.notices] == [
        ("a", date(2026, 11, 30), "the deliverable of 2026-11-30")]


@pytest.mark.parametrize(("now", "over"), [("2026-11-27T10:00:00", False),
                                           ("2026-11-27T15:00:00", True)])
def test_cooling_off_that_ends_today(now: str, over: bool) -> None:
    """Windows ending today, running or over; not those of other days, nor decided clients."""
    d = data("""
[clients.a]
name = "A"
incidents = [{at = 2026-11-24T14:00:00, kind = "other"}]
[clients.b]
name = "B"
incidents = [{at = 2026-11-23T14:00:00, kind = "other"}]
[clients.c]
name = "C"
incidents = [{at = 2026-11-24T12:00:00, kind = "other"}]
offboarding = { decided = 2026-11-20T10:00:00 }
""")
    got = due(d, at(now, d))
    assert [(x.client.id, dates.show(x.unlocks, d.settings.tz), x.over) for x in got.cooling] \
        == [("a", "2026-11-27 14:00", over)]
    assert brief(got, d.settings)[0] == f"a cooling-off {'ended' if over else 'ends'} 14:00"


def test_today_is_the_settings_zone_s() -> None:
    """At 23:30 UTC it is already tomorrow in Madrid."""
    d = data('[clients.a]\nname = "A"\ninvoices = [{amount = 1.0, due = 2026-11-27}]\n')
    assert due(d, at("2026-11-27T23:30:00+00:00", d)).today == date(2026, 11, 28)
    assert len(due(d, at("2026-11-27T23:30:00+00:00", d)).invoices) == 1


def test_the_next_step_of_each_client_in_offboarding() -> None:
    d = data("""
[clients.a]
name = "A"
status = "offboarding"
offboarding = { decided = 2026-11-20T10:00:00, contract_reviewed = 2026-11-21 }
[clients.b]
name = "B"
status = "ended"
offboarding = { decided = 2026-11-20T10:00:00 }
[clients.c]
name = "C"
""")
    got = due(d, at(NOW, d))
    assert [(w.client.id, w.number, w.step.id) for w in got.steps] == [("a", 3, "obligations")]


def test_reviews_to_revisit() -> None:
    """Due by the horizon (or past), until a later review is recorded; not for ended clients."""
    d = data("""
[clients.a]
name = "A"
reviews = [{at = 2026-10-01, outcome = "keep", revisit = 2026-12-01}]
[clients.b]
name = "B"
reviews = [{at = 2026-10-01, outcome = "keep", revisit = 2026-11-01},
           {at = 2026-11-10, outcome = "keep"}]
[clients.c]
name = "C"
reviews = [{at = 2026-10-01, outcome = "keep", revisit = 2026-12-05}]
[clients.d]
name = "D"
reviews = [{at = 2026-10-01, outcome = "keep", revisit = 2026-11-02}]
[clients.e]
name = "E"
status = "ended"
reviews = [{at = 2026-10-01, outcome = "keep", revisit = 2026-11-02}]
""")
    got = due(d, at(NOW, d))
    assert [(r.client.id, r.left) for r in got.revisits] == [("d", -25), ("a", 4)]
    assert [r.client.id for r in due(d, at(NOW, d), 8).revisits] == ["d", "a", "c"]


def test_nothing_due() -> None:
    d = data('[clients.a]\nname = "A"\n')
    got = due(d, at(NOW, d))
    assert got.count == 0 and brief(got, d.settings) == []


@pytest.mark.parametrize(("n", "text"), [(0, "today"), (1, "tomorrow"), (-1, "yesterday"),
                                          (3, "in 3 days"), (-4, "4 days ago")])
def test_days_text(n: int, text: str) -> None:
    assert days_text(n) == text


# -- the command ---------------------------------------------------------------------

def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLIENTFIT_NOW": NOW}
    return subprocess.run([sys.executable, "-m", "clientfit_tui", *args], capture_output=True,
                          text=True, env=env, timeout=60)


def test_due_on_the_sample(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "due")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert "Due on 2026-11-27 (looking at the next 7 days)" in out
    assert "Invoices past due: 3,700.50 EUR owed" in out  # the sample's currency is EUR
    assert "slowpay          2026-029       980.50 EUR  due 2026-10-15, 43 days late" in out
    assert "slowpay          4. Get paid before you tell them" in out
    assert "orbit            2026-12-01 (in 4 days), keep on 2026-10-02" in out
    assert "Reviews to revisit" not in run("--file", str(sample_file), "due", "--days", "3").stdout


def test_due_json_is_strict(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "due", "--json", "--days", "10")
    assert r.returncode == 0, r.stderr
    got = json.loads(r.stdout, parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}"))
    assert got["today"] == "2026-11-27" and got["days"] == 10
    assert [i["days_late"] for i in got["invoices"]] == [43, 17, 12]
    assert got["steps"][0] | {"detail": ""} == {
        "client": "slowpay", "step": "invoices", "number": 4, "state": "todo", "detail": "",
        "title": "Get paid before you tell them", "held": None}
    assert got["revisits"][0]["revisit"] == "2026-12-01"
    assert got["revisits"][0]["reviewed"] == "2026-10-02"


def test_due_nothing_and_bad_days(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[clients.a]\nname = "A"\n')
    r = run("--file", str(p), "due")
    assert (r.returncode, r.stdout) == (0, "Nothing due (2026-11-27, looking at the next 7 days).\n")
    r = run("--file", str(p), "due", "--days", "-1")
    assert r.returncode == 2 and "from 0 to 3650" in r.stderr
