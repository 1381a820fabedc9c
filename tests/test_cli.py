"""The command line, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import os
import shlex
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

NOW = "2026-11-27T10:00:00"


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
        stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, "CLIENTFIT_NOW": NOW, **(env or {})}
    return subprocess.run([sys.executable, "-m", "clientfit_tui", *args], capture_output=True,
                          text=True, env=e, cwd=cwd, input=stdin, timeout=60)


def test_check_sample_is_valid(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "check")
    assert r.returncode == 0, r.stderr
    assert "ok: 9 clients" in r.stdout


def test_log_appends_one_incident(sample_file: Path) -> None:
    before = sample_file.read_text()
    r = run("--file", str(sample_file), "log", "acme", "Called at 23:40 about fonts",
            "--at", "2026-11-26 23:40", "--minutes", "25", "--severity", "2")
    assert r.returncode == 0, r.stderr
    assert "after-hours" in r.stdout and "2026-11-29 23:40" in r.stdout
    after = sample_file.read_text()
    assert after.startswith(before[: before.index("[[clients.acme.invoices]]") - 200])
    inc = tomllib.loads(after)["clients"]["acme"]["incidents"][-1]
    assert inc["kind"] == "after-hours" and inc["minutes"] == 25 and inc["severity"] == 2
    assert inc["note"] == "Called at 23:40 about fonts"


@pytest.mark.parametrize(("at", "kind"), [
    ("2026-11-25 11:00", "other"),         # a Wednesday in work hours
    ("2026-11-21 11:00", "after-hours"),   # a Saturday
    ("today", "other"),                    # a date alone: no hour to judge
    ("-3h", "other"),                      # 07:00 UTC = 08:00 Madrid: before hours?
])
def test_log_kind_defaults_from_work_hours(sample_file: Path, at: str, kind: str) -> None:
    r = run("--file", str(sample_file), "log", "gecko", "x", "--at", at)
    assert r.returncode == 0, r.stderr
    got = tomllib.loads(sample_file.read_text())["clients"]["gecko"]["incidents"][-1]
    expected = "after-hours" if at == "-3h" else kind   # 07:00 in Madrid is before 09:00
    assert got["kind"] == expected


def test_log_finds_a_client_by_a_unique_start(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "log", "blue", "meh", "--kind", "vague-feedback")
    assert r.returncode == 0, r.stderr
    assert tomllib.loads(sample_file.read_text())["clients"]["bluebird"]["incidents"][-1][
        "kind"] == "vague-feedback"


@pytest.mark.parametrize(("args", "code", "message"), [
    (("log", "nobody", "x"), 1, "no client 'nobody'"),
    (("log", "acme", "x", "--at", "soonish"), 1, "cannot read 'soonish'"),
    (("log", "acme", "x", "--severity", "5"), 2, "invalid choice"),
    (("log", "acme", "x", "--kind", "rude"), 2, "unknown kind 'rude': one of a after-hours,"),
    (("log", "acme", "x", "--minutes", "-4"), 2, "0 or more"),
    (("log", "acme"), 2, "required"),
    (("frobnicate",), 2, "invalid choice"),
    (("decide", "nobody"), 1, "no client"),
])
def test_bad_input_is_one_line_and_changes_nothing(sample_file: Path, args: tuple[str, ...],
                                                   code: int, message: str) -> None:
    before = sample_file.read_bytes()
    r = run("--file", str(sample_file), *args)
    assert r.returncode == code
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert sample_file.read_bytes() == before


def test_decide_is_refused_in_cooling_off_then_allowed(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "decide", "acme")
    assert r.returncode == 3
    assert "2026-11-29 23:14" in r.stderr
    r = run("--file", str(sample_file), "decide", "acme", env={"CLIENTFIT_NOW": "2026-11-29T23:14"})
    assert r.returncode == 0, r.stderr
    acme = tomllib.loads(sample_file.read_text())["clients"]["acme"]
    assert acme["status"] == "offboarding"
    assert "decided" in acme["offboarding"]
    r = run("--file", str(sample_file), "decide", "acme", env={"CLIENTFIT_NOW": "2026-11-30T10:00"})
    assert r.returncode == 0 and "already decided" in r.stdout


def test_status_json(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "status", "--json")
    assert r.returncode == 0, r.stderr
    rows = {row["id"]: row for row in json.loads(r.stdout)}
    assert rows["acme"]["cooling_off_until"] == "2026-11-29T23:14:00+01:00"  # as the text
    assert rows["acme"]["instinct"] is True and rows["acme"]["pareto"] is True
    assert rows["slowpay"]["checklist"] == "5/9"
    assert rows["northwind"]["cooling_off_until"] is None


def test_status_one_client_and_table(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "status", "acme")
    assert r.returncode == 0
    lines = r.stdout.strip().splitlines()
    assert lines[1].startswith("acme ") and "until 2026-11-29 23:14" in lines[1]
    assert not any(line.startswith(("bluebird", "gecko")) for line in lines)


def test_pareto(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "pareto")
    assert r.returncode == 0
    assert "* acme" in r.stdout and "of the trouble" in r.stdout


def test_check_reports_each_problem_with_its_place(tmp_path: Path) -> None:
    p = tmp_path / "bad.toml"
    p.write_text('[clients.acme]\nname = "A"\nstatus = "gone"\n\n[[clients.acme.incidents]]\n'
                 'at = 2026-11-20\nkind = "rude"\nseverity = 7\n')
    r = run("--file", str(p), "check")
    assert r.returncode == 1
    assert r.stderr.splitlines() == [
        f"{p}:3:1: 'status' must be one of active, watch, offboarding, ended; found \"gone\"",
        f"{p}:7:1: 'kind' must be one of after-hours, vague-feedback, late-payment, "
        "scope-creep, disrespect, other; found \"rude\"",
        f"{p}:8:1: 'severity' must be from 1 to 3, found 7",
    ]


def test_check_flags_a_hasty_decision_as_a_warning(tmp_path: Path) -> None:
    p = tmp_path / "c.toml"
    p.write_text('[clients.acme]\nname = "A"\n[[clients.acme.incidents]]\nat = 2026-11-20T23:00:00\n'
                 'kind = "other"\n[clients.acme.offboarding]\ndecided = 2026-11-21T09:00:00\n')
    r = run("--file", str(p), "check")
    assert r.returncode == 0
    assert f"{p}:7:1: warning: decision made within the cooling-off period" in r.stdout


@pytest.mark.parametrize("cmd", [("check",), ("status",), ("pareto",), ("log", "a", "b"),
                                 ("decide", "a"), ()])
def test_missing_file_is_one_line(tmp_path: Path, cmd: tuple[str, ...]) -> None:
    r = run("--file", str(tmp_path / "nope.toml"), *cmd)
    assert r.returncode == 1
    assert r.stderr.strip() == f"clientfit: {tmp_path / 'nope.toml'}: no such file"


def test_file_from_environment(sample_file: Path) -> None:
    r = run("check", env={"CLIENTFIT_FILE": str(sample_file)})
    assert r.returncode == 0 and "9 clients" in r.stdout


def test_default_file_is_created_private_from_the_template(tmp_path: Path) -> None:
    data = tmp_path / "xdg"
    r = run("check", env={"XDG_DATA_HOME": str(data)})
    assert r.returncode == 0, r.stderr
    p = data / "clientfit" / "clients.toml"
    assert stat.S_IMODE(p.stat().st_mode) == 0o600
    assert stat.S_IMODE(p.parent.stat().st_mode) == 0o700
    assert "# clientfit data." in p.read_text()
    r = run("log", "acme", "x", env={"XDG_DATA_HOME": str(data)})
    assert r.returncode == 1 and "no client 'acme'" in r.stderr


@pytest.mark.parametrize("cmd", ["log", "check", "status", "decide", "pareto", "whatif"])
def test_every_command_has_help(cmd: str) -> None:
    r = run(cmd, "--help")
    assert r.returncode == 0 and "usage: clientfit" in r.stdout


def test_bad_clientfit_now_is_one_line(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "status", env={"CLIENTFIT_NOW": "tomorrow"})
    assert r.returncode == 1 and "CLIENTFIT_NOW" in r.stderr and "Traceback" not in r.stderr


def test_two_processes_logging_at_once_lose_nothing(sample_file: Path) -> None:
    """Two writers, 100 incidents each, at the same time: all 200 are in the file."""
    script = (
        "import sys\nfrom clientfit_tui.cli.main import main\n"
        "for i in range(100):\n"
        "    assert main(['--file', sys.argv[1], 'log', sys.argv[2], f'n{i}', '--at', '-1d']) == 0\n"
    )
    env = {**os.environ, "CLIENTFIT_NOW": NOW}
    procs = [subprocess.Popen([sys.executable, "-c", script, str(sample_file), who], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
             for who in ("lumen", "northwind")]
    for p in procs:
        assert p.wait(timeout=300) == 0, p.stderr.read() if p.stderr else ""
    data = tomllib.loads(sample_file.read_text())["clients"]
    assert [i["note"] for i in data["lumen"]["incidents"][-100:]] == [f"n{i}" for i in range(100)]
    assert [i["note"] for i in data["northwind"]["incidents"][-100:]] == [
        f"n{i}" for i in range(100)]


def test_demo_is_dated_by_clientfit_now(monkeypatch: pytest.MonkeyPatch) -> None:
    """The demo moves the sample to "today", which CLIENTFIT_NOW fixes for replays and tests."""
    from clientfit_tui.demo import make_demo

    monkeypatch.setenv("CLIENTFIT_NOW", "2027-03-10T12:00:00")
    text = make_demo().read_text()
    assert "at = 2027-03-09T23:14:00" in text   # acme's latest: the night before "today"
    assert "2026-11-26T23:14" not in text


@pytest.mark.parametrize("cmd", [("log", "acme", "piped"), ("status",), ("pareto",)])
def test_a_reader_that_goes_away_is_no_traceback(sample_file: Path, cmd: tuple[str, ...]) -> None:
    """`clientfit ... | head -c0`: the pipe closes before the output is written."""
    r = subprocess.run(f"{shlex.quote(sys.executable)} -m clientfit_tui --file "
                       f"{shlex.quote(str(sample_file))} {shlex.join(cmd)} | head -c0",
                       shell=True, capture_output=True, text=True, timeout=60,
                       env={**os.environ, "CLIENTFIT_NOW": NOW})
    assert "Traceback" not in r.stderr and "Exception" not in r.stderr, r.stderr
    if cmd[0] == "log":
        assert 'note = "piped"' in sample_file.read_text()  # done before the output


def test_merge_as_a_driver_makes_no_data_file(sample_file: Path, tmp_path: Path) -> None:
    """git runs the driver on its own temporary files: no default data file is created."""
    import shutil

    paths = []
    for name in ("base", "ours", "theirs"):
        p = tmp_path / f"{name}.toml"
        shutil.copyfile(sample_file, p)
        paths.append(str(p))
    r = run("merge", *paths)
    assert r.returncode == 0, r.stderr
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "clientfit" / "clients.toml").exists()
