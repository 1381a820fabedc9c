"""Hostile input, editors racing us, signals, crashes and split keys: nothing is lost."""

from __future__ import annotations

import contextlib
import io
import os
import shlex
import signal
import subprocess
import sys
import threading
import time
import tomllib
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from clientfit_tui.cli.main import main
from clientfit_tui.session import Session
from clientfit_tui.store import edit
from clientfit_tui.store.store import InvalidFile, Store, StoreError

SAMPLE = (Path(__file__).resolve().parent.parent / "sample.toml").read_bytes()
INC = {"at": datetime(2026, 11, 27, 9, 30), "kind": "other", "note": "hardening"}


def mutate(data: bytes, draw: st.DrawFn) -> bytes:
    """One random damage of the kinds a bad edit, a bad disk or a bad copy does."""
    n = len(data)
    if n == 0:
        return draw(st.binary(max_size=40))
    how = draw(st.sampled_from(["flip", "delete", "insert", "dup-line", "swap-lines",
                                "truncate", "replace-line"]))
    i = draw(st.integers(0, n - 1))
    if how == "flip":
        return data[:i] + bytes([data[i] ^ draw(st.integers(1, 255))]) + data[i + 1:]
    if how == "delete":
        return data[:i] + data[i + draw(st.integers(1, 200)):]
    if how == "insert":
        return data[:i] + draw(st.binary(min_size=1, max_size=30)) + data[i:]
    if how == "truncate":
        return data[:i]
    lines = data.split(b"\n")
    j = draw(st.integers(0, len(lines) - 1))
    k = draw(st.integers(0, len(lines) - 1))
    if how == "dup-line":
        lines.insert(k, lines[j])
    elif how == "swap-lines":
        lines[j], lines[k] = lines[k], lines[j]
    else:
        lines[j] = draw(st.sampled_from([
            b'status = "gone"', b"severity = 9", b"at = 2026-02-30", b"[clients.acme]",
            b"[[clients.acme]]", b'kind = ""', b"minutes = -1", b"x = [[[[[[", b'"""',
            b"name = 1", b"[clients.Bad_Id]", b"cooling_off_days = 1e9", b"at = 25:61:00"]))
    return b"\n".join(lines)


@settings(max_examples=200, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(steps=st.data())
def test_damaged_files_never_crash_and_are_never_written(tmp_path: Path,
                                                         steps: st.DataObject) -> None:
    """Random damage to a valid file: the loader, `check` and `log` answer in one piece;
    an invalid file is never written."""
    data = SAMPLE
    for _ in range(steps.draw(st.integers(1, 3))):
        data = mutate(data, steps.draw)
    p = tmp_path / "c.toml"
    p.write_bytes(data)
    try:
        Store(p).load()
        valid = True
    except InvalidFile as e:
        valid = False
        assert all(line.startswith(f"{p}:") and "\n" not in line for line in e.lines)
    except StoreError:
        valid = False
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--file", str(p), "check"])
        assert code == (0 if valid else 1)
        code = main(["--file", str(p), "log", "acme", "x", "--at", "2026-11-27 10:00"])
        assert code in (0, 1)
    if not valid:
        assert p.read_bytes() == data
    assert "Traceback" not in err.getvalue()


def test_editor_replacing_the_file_with_same_size_and_time_is_seen(sample_file: Path) -> None:
    s = Session(Store(sample_file))
    s.load()
    st_before = sample_file.stat()
    new = sample_file.read_text().replace('name = "Gecko Labs"', 'name = "Gecko Labz"')
    tmp = sample_file.with_name("x.tmp")
    tmp.write_text(new)
    os.utime(tmp, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    os.replace(tmp, sample_file)                      # new inode, same size, same mtime
    assert s.poll() == "reloaded"
    assert s.snap is not None and s.snap.data.clients["gecko"].name == "Gecko Labz"


def test_editor_rewriting_in_place_with_the_old_time_is_seen(sample_file: Path) -> None:
    s = Session(Store(sample_file))
    s.load()
    st_before = sample_file.stat()
    new = sample_file.read_text().replace('name = "Gecko Labs"', 'name = "Gecko Labz"')
    with open(sample_file, "r+", encoding="utf-8") as f:   # same inode, same size
        f.write(new)
    os.utime(sample_file, ns=(st_before.st_atime_ns, st_before.st_mtime_ns))
    assert s.poll() == "reloaded"


def test_a_file_caught_half_written_is_never_saved_over(sample_file: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """An editor writes the file in two goes; a save in between lands on the whole file."""
    monkeypatch.setenv("CLIENTFIT_SETTLE", "1.0")
    full = sample_file.read_text() + '\n[clients.newer]\nname = "Newer"\n'
    half = full[: full.index("[clients.gecko]")]          # valid TOML, fewer clients
    s = Session(Store(sample_file))
    s.load()

    def editor() -> None:
        with open(sample_file, "w", encoding="utf-8") as f:
            f.write(half)
            f.flush()
            time.sleep(0.15)
            f.write(full[len(half):])

    t = threading.Thread(target=editor)
    t.start()
    time.sleep(0.05)
    try:
        s.apply(edit.Append("acme", "incidents", INC), "log")
    except StoreError:
        pass
    t.join()
    data = tomllib.loads(sample_file.read_text())["clients"]
    assert "gecko" in data and "newer" in data, "the half-written file was saved over"


def test_check_warns_when_others_can_read_the_file(sample_file: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    os.chmod(sample_file, 0o644)
    assert main(["--file", str(sample_file), "check"]) == 0
    assert "can be read by other users (mode 0644)" in capsys.readouterr().out
    os.chmod(sample_file, 0o600)
    assert main(["--file", str(sample_file), "check"]) == 0
    assert "other users" not in capsys.readouterr().out


def test_a_write_keeps_a_stricter_mode(sample_file: Path) -> None:
    os.chmod(sample_file, 0o400)
    Store(sample_file).apply(edit.Append("acme", "incidents", INC))
    assert sample_file.stat().st_mode & 0o777 == 0o400


# -- in a real terminal --------------------------------------------------------------

from conftest import CLIENTFIT, Term  # noqa: E402


@pytest.mark.e2e
def test_a_crash_shows_no_client_data(term_factory, sample_file: Path, tmp_path: Path) -> None:
    """Textual's own crash report prints local variables; clientfit's must not."""
    script = tmp_path / "crash.py"
    script.write_text(
        "import sys\n"
        "from clientfit_tui.app import clients\n"
        "def boom(self):\n"
        "    secret = 'Wile E. Coyote owes 1,200'\n"
        "    raise ValueError(secret)\n"
        "clients.ClientsScreen.refresh_data = boom\n"
        "from clientfit_tui.cli.main import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    t = term_factory(f"{sys.executable} {script} --file {shlex.quote(str(sample_file))}")
    screen = t.wait_for("EXIT=")
    assert "internal error (ValueError at app/" in screen
    assert "Coyote" not in screen and "owes" not in screen
    assert "EXIT=1" in screen


def _app_pid(t: Term) -> int:
    out = subprocess.run(["pgrep", "-f", "clientfit_tui|bin/clientfit"], capture_output=True,
                         text=True).stdout.split()
    shell = int(t.tmux("display-message", "-p", "-t", "t", "#{pane_pid}").strip())
    for pid in map(int, out):
        try:
            with open(f"/proc/{pid}/stat") as f:
                if int(f.read().split(") ")[1].split()[1]) == shell:
                    return pid
        except OSError:
            continue
    raise AssertionError("the app's process was not found")


@pytest.mark.e2e
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP])
def test_signals_leave_every_change_and_the_terminal(term_factory, sample_file: Path,
                                                     sig: signal.Signals) -> None:
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}")
    t.wait_for("ACME")
    t.send("n")
    t.wait_for("Log an incident")
    t.send("Tab", "o", "Tab", "Tab", "Tab", "Tab")
    t.type("before the signal")
    t.send("Enter")
    t.wait_for_file(sample_file, "before the signal")
    os.kill(_app_pid(t), sig)
    t.wait_for("EXIT=")
    assert not t.alternate_screen(), "the terminal was left in the app's screen"
    Store(sample_file).load()  # whole and valid
    assert "before the signal" in sample_file.read_text()


@pytest.mark.e2e
def test_an_arrow_key_split_over_a_slow_link_types_nothing(term_factory,
                                                           sample_file: Path) -> None:
    """ESC, then a pause longer than the escape delay, then `[D`: a left arrow, not text."""
    t = term_factory(f"{CLIENTFIT} --file {shlex.quote(str(sample_file))}", ESCDELAY="50")
    t.wait_for("ACME")
    t.send("n")
    t.wait_for("Log an incident")
    t.send("Tab", "o", "Tab", "Tab", "Tab", "Tab")
    t.type("abc")
    time.sleep(0.3)
    t.tmux("send-keys", "-t", "t", "-H", "1b")
    time.sleep(0.3)
    t.type("[D")
    time.sleep(0.3)
    t.type("X")
    t.send("Enter")
    t.wait_for_file(sample_file, "abXc")
    assert "[D" not in sample_file.read_text()
