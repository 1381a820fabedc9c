"""`clientfit script` and `clientfit report`, run as a user runs them: in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

NOW = "2026-11-27T10:00:00"


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, "CLIENTFIT_NOW": NOW, **(env or {})}
    return subprocess.run([sys.executable, "-m", "clientfit_tui", *args], capture_output=True,
                          text=True, env=e, timeout=60)


def notes_in_time_order(sample: Path, cid: str) -> list[str]:
    from clientfit_tui.domain import dates

    z = dates.zone("Europe/Madrid")
    raw = tomllib.loads(sample.read_text())["clients"][cid]["incidents"]
    ordered = sorted(enumerate(raw), key=lambda p: (dates.to_aware(p[1]["at"], z), p[0]))
    return [i["note"] for _, i in ordered]


def test_report_markdown_has_every_whole_note_in_time_order(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "report", "acme")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("# ACME Corp (acme)\n")
    notes = notes_in_time_order(sample_file, "acme")
    assert len(notes) == 28
    at = out.index("## Incidents")
    for note in notes:  # each whole note, after the one before it
        at = out.index(f"  {note}\n", at) + 1
    for heading in ("## Summary", "## Trouble per month, 2025-12 to 2026-11", "## Incidents",
                    "## Invoices", "## Reviews", "## Offboarding checklist", "## Loose ends"):
        assert heading in out
    assert "| 2026-031 | 1,200.00 EUR | 2026-10-31 | 2026-11-21 | 21 | paid late |" in out
    assert "considered ending it 3 times in 90 days" in out


def test_report_json_parses_and_has_the_counts(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "report", "slow", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["id"] == "slowpay"
    assert d["counts"] == {"incidents": 12, "by_kind": {"late-payment": 10, "other": 2},
                           "trouble": 28, "minutes": 535.0}
    assert [m["month"] for m in d["months"]][::11] == ["2025-12", "2026-11"]
    assert sum(m["trouble"] for m in d["months"]) == 28
    assert [i["note"] for i in d["incidents"]] == notes_in_time_order(sample_file, "slowpay")
    assert {(i["number"], i["days_late"], i["state"]) for i in d["invoices"]} == {
        ("2026-007", 48, "paid late"), ("2026-029", 43, "overdue"), ("2026-035", 12, "overdue")}
    assert d["owed"] == 2400.5
    assert d["checklist"]["started"] and d["checklist"]["done"] == 5
    assert d["checklist"]["notice_end"] == "2026-12-27"
    assert d["loose_ends"][0] == "invoice 2026-029: 980.50 EUR unpaid, 43 days late"


def test_report_of_an_unknown_client_is_one_line(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "report", "acmee")
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr == "clientfit: no client 'acmee' (did you mean acme?)\n"


def test_script_for_a_client_mid_offboarding(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "script", "slowpay")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("TALKING POINTS: Slowpay Logistics, with Bob Grant (2026-11-27)\n")
    assert "How: by video.\n" in out and "never by email" in out
    assert '"I no longer think my services meet your needs."' in out
    assert "The work ends on 2026-12-27." in out
    assert "- Invoice 2026-029: 980.50 EUR, due 2026-10-15 (43 days late).\n" in out
    assert "[missing: a colleague to refer" in out
    assert "WRITTEN CONFIRMATION" in out and "Hello Bob Grant," in out
    assert "- My last day of work for Slowpay Logistics is 2026-12-27.\n" in out
    assert "$" not in out


def test_user_templates_replace_the_defaults(sample_file: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "cfg"
    r = run("script", "--init-templates", env={"XDG_CONFIG_HOME": str(cfg)})
    assert r.returncode == 0, r.stderr
    folder = cfg / "clientfit" / "templates"
    assert r.stdout.splitlines() == [str(folder / "meeting.txt"),
                                     str(folder / "confirmation.txt")]
    (folder / "meeting.txt").write_text("Call $contact: $reason\n")
    (folder / "confirmation.txt").write_text("Ends ${end_date}.\n")
    r = run("--file", str(sample_file), "script", "harbor", env={"XDG_CONFIG_HOME": str(cfg)})
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("Call Victor Hale: I no longer think my services meet your needs.\n\n"
                        "Ends 2026-04-29.\n")
    again = run("script", "--init-templates", env={"XDG_CONFIG_HOME": str(cfg)})
    assert "(kept: already there)" in again.stdout
    assert (folder / "meeting.txt").read_text() == "Call $contact: $reason\n"


@pytest.mark.parametrize(("text", "line", "message"), [
    ("Hello $contact\n\nWe end on $end_day.\n", 3, "unknown placeholder $end_day"),
    ("Hello\n${clinet}\n", 2, "unknown placeholder $clinet"),
    ("Fee: $40\n", 1, "a $ that names no placeholder"),
])
def test_a_bad_template_is_one_line_with_its_place(sample_file: Path, tmp_path: Path,
                                                   text: str, line: int, message: str) -> None:
    folder = tmp_path / "cfg" / "clientfit" / "templates"
    folder.mkdir(parents=True)
    (folder / "confirmation.txt").write_text(text)
    before = sample_file.read_bytes()
    r = run("--file", str(sample_file), "script", "acme",
            env={"XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert r.returncode == 1 and r.stdout == ""
    assert r.stderr.startswith(f"{folder / 'confirmation.txt'}:{line}: {message}")
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert sample_file.read_bytes() == before


def test_a_template_that_is_not_utf8_is_one_line(sample_file: Path, tmp_path: Path) -> None:
    folder = tmp_path / "cfg" / "clientfit" / "templates"
    folder.mkdir(parents=True)
    (folder / "meeting.txt").write_bytes(b"caf\xe9 $client\n")
    r = run("--file", str(sample_file), "script", "acme",
            env={"XDG_CONFIG_HOME": str(tmp_path / "cfg")})
    assert r.returncode == 1
    assert r.stderr == f"{folder / 'meeting.txt'}: not UTF-8 text\n"


@pytest.mark.parametrize("cmd", ["script", "report"])
def test_help(cmd: str) -> None:
    r = run(cmd, "--help")
    assert r.returncode == 0 and "usage: clientfit" in r.stdout


def test_report_escapes_control_characters(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[clients.a]\nname = "A"\n[[clients.a.incidents]]\nat = 2026-11-01\n'
                 'kind = "other"\nnote = "bell\\u0007 and\\nsecond line"\n')
    r = run("--file", str(p), "report", "a")
    assert r.returncode == 0, r.stderr
    assert "bell\\x07 and\n  second line" in r.stdout and "\x07" not in r.stdout


def test_script_without_a_client_is_a_usage_error() -> None:
    r = run("script")
    assert r.returncode == 2 and "name a client" in r.stderr


def test_every_placeholder_is_in_the_help_and_the_readme() -> None:
    from clientfit_tui.domain.script import PLACEHOLDERS

    shown = run("script", "--help").stdout
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for name in PLACEHOLDERS:
        assert f"  ${name} " in shown
        assert f"| `${name}` |" in readme


def test_script_escapes_control_characters(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[clients.a]\nname = "A\\u001b[31m"\n')
    r = run("--file", str(p), "script", "a")
    assert r.returncode == 0, r.stderr
    assert "A\\x1b[31m" in r.stdout and "\x1b" not in r.stdout


def test_report_says_the_money_as_status_does(sample_file: Path) -> None:
    """The dossier carries the client's money: the same lines as `status CLIENT`, and in
    JSON the same object as `status --json`."""
    md = run("--file", str(sample_file), "report", "acme").stdout
    status = run("--file", str(sample_file), "status", "acme").stdout
    section = md[md.index("## Money"):md.index("## Trouble per month")]
    effective = next(line for line in status.splitlines() if line.startswith("Effective rate"))
    assert f"- {effective}" in section
    got = json.loads(run("--file", str(sample_file), "report", "acme", "--json").stdout)
    rows = json.loads(run("--file", str(sample_file), "status", "--json").stdout)
    assert got["money"] == next(r for r in rows if r["id"] == "acme")["money"]
