"""The money on the command line: `status --money`, `status CLIENT`, `--json`, `whatif`."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import run


def test_whatif_says_what_ending_a_client_changes(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "whatif", "acme")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "Without acme (1 of 8 clients):"
    assert "14,200.00 EUR a year, 17% of 81,200.00 EUR" in lines[1]
    assert "41% (57 of 139)" in lines[2]
    assert "21.6 h a month: 20.0 h of work, 1.6 h of trouble" in lines[3]
    assert "69.29 EUR/h for the clients that remain, 66.03 EUR/h today" in r.stdout
    assert all(len(line) <= 80 for line in lines)


def test_whatif_json_is_exact_to_the_cent(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "whatif", "acme", "blue", "harbor", "--json")
    assert r.returncode == 0, r.stderr
    w = json.loads(r.stdout)
    assert w["clients"] == ["acme", "bluebird"] and w["ended_ignored"] == ["harbor"]
    assert (w["revenue_lost"], w["revenue_total"], w["currency"]) == (21000.0, 81200.0, "EUR")
    assert w["revenue_lost_share"] == 0.2586 and w["trouble_removed_share"] == 0.554
    # (240 + 110) / 12 = 29.1666..; (1140 + 645) min / 60 / 12 = 2.479..
    assert w["hours_freed_per_month"] == {"work": 29.17, "trouble": 2.48}
    assert w["income_per_month"] == {"today": 6766.67, "without": 5016.67}
    assert w["effective_rate"]["today"] == 66.03 and w["effective_rate"]["without"] == 71.32


def test_whatif_errors_are_one_line(sample_file: Path) -> None:
    before = sample_file.read_bytes()
    r = run("--file", str(sample_file), "whatif", "acme", "nobody")
    assert r.returncode == 1 and r.stderr == "clientfit: no client 'nobody'\n" and not r.stdout
    assert run("--file", str(sample_file), "whatif").returncode == 2
    assert sample_file.read_bytes() == before


def test_status_money_table_fits_80_columns(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "status", "--money")
    assert r.returncode == 0, r.stderr
    rows = {line.split()[0]: line for line in r.stdout.splitlines()[2:]}
    assert "54.83" in rows["acme"] and rows["acme"].endswith("below your rate")
    assert rows["orbit"].endswith("no hours recorded") and " 0.00" not in rows["orbit"]
    assert all(len(line) <= 80 for line in r.stdout.splitlines())


def test_status_marks_clients_below_your_rate(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "status")
    rows = {line.split()[0]: line for line in r.stdout.splitlines()[1:] if line.strip()}
    assert "below-rate" in rows["acme"] and "below-rate" not in rows["gecko"]
    assert "below-rate" not in rows["orbit"]   # no hours: cannot tell


def test_status_client_page_says_the_money(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "status", "acme")
    assert "Lost to trouble: 19.0 h in the last 12 months, 1,235.00 EUR at your rate" in r.stdout
    assert "Effective rate: 54.83 EUR/h" in r.stdout and "less than your rate" in r.stdout
    r = run("--file", str(sample_file), "status", "orbit")
    assert "Effective rate: none (no hours recorded)" in r.stdout


def test_status_json_money(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "status", "--json")
    rows = {row["id"]: row["money"] for row in json.loads(r.stdout)}
    assert rows["acme"] == {"revenue": 14200.0, "hours": 240.0, "lost_hours": 19.0,
                            "lost_cost": 1235.0, "effective_rate": 54.83,
                            "effective_rate_missing": None, "below_rate": True}
    assert rows["orbit"]["effective_rate"] is None
    assert rows["orbit"]["effective_rate_missing"] == "no hours recorded"


def test_check_places_bad_money_keys(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text('[settings]\nrate = -60\ncurrency = "euro"\n\n[clients.a]\nname = "A"\n'
                 'hours = "ten"\n')
    r = run("--file", str(p), "check")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        f"{p}:2:1: 'rate' must be 0 or more, found -60",
        f"{p}:3:1: 'currency' must be a 3-letter code like \"EUR\"; found \"euro\"",
        f"{p}:7:1: 'hours' must be a number, found a string",
    ]
