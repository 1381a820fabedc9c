"""What a command does when its output or its file is not what it expects: stdout full,
closed or gone; a path that is no regular file; an empty path; a cache folder that
others could write. One line, the right exit code, never a traceback."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clientfit_tui.store import cache
from clientfit_tui.store.files import key

SAMPLE = Path(__file__).resolve().parent.parent / "sample.toml"
NOW = "2026-12-01T12:00:00"

# every command, as a person would type it: (arguments, whether it writes the file)
# (test_every_command_is_here keeps this list whole)
COMMANDS = [
    (["log", "acme", "full", "--at", "-1h"], True),
    (["decide", "orbit"], True),
    (["import", "{csv}"], True),
    (["add", "newco", "--name", "New Co"], True),
    (["check"], False),
    (["status"], False),
    (["pareto"], False),
    (["whatif", "acme"], False),
    (["due"], False),
    (["script", "acme"], False),
    (["report", "acme"], False),
    (["export", "--csv"], False),
    (["merge", "--setup"], False),
    (["completion", "bash"], False),
]


def test_every_command_is_here() -> None:
    from clientfit_tui.cli.parser import COMMANDS as ALL

    assert {c[0][0] for c in COMMANDS} == set(ALL)


def env(tmp: Path) -> dict[str, str]:
    e = dict(os.environ, CLIENTFIT_NOW=NOW, CLIENTFIT_SETTLE="0")
    e.pop("CLIENTFIT_FILE", None)
    return e


def clientfit(tmp: Path, args: list[str], stdout: str, **kw: object) -> subprocess.CompletedProcess[str]:
    """Run clientfit with stdout "full" (/dev/full), "closed", or "gone" (a pipe whose
    reader has left)."""
    cmd = [sys.executable, "-m", "clientfit_tui", *args]
    if stdout == "closed":
        return subprocess.run(cmd, stdout=None, stderr=subprocess.PIPE, text=True, cwd=tmp,
                              env=env(tmp), close_fds=True, timeout=120,
                              preexec_fn=lambda: os.close(1), **kw)  # type: ignore[call-overload]
    if stdout == "gone":
        r, w = os.pipe()
        os.close(r)
        try:
            return subprocess.run(cmd, stdout=w, stderr=subprocess.PIPE, text=True, cwd=tmp,
                                  env=env(tmp), timeout=120, **kw)  # type: ignore[call-overload]
        finally:
            os.close(w)
    with open("/dev/full", "w") as full:
        return subprocess.run(cmd, stdout=full, stderr=subprocess.PIPE, text=True, cwd=tmp,
                              env=env(tmp), timeout=120, **kw)  # type: ignore[call-overload]


def prepared(tmp: Path) -> Path:
    f = tmp / "c.toml"
    shutil.copyfile(SAMPLE, f)
    os.chmod(f, 0o600)
    (tmp / "in.csv").write_text(
        "type,client,at,kind,severity,minutes,note,number,amount,due,paid\n"
        "incident,acme,2026-11-30T10:00:00+00:00,other,1,5,imported one,,,,\n")
    subprocess.run(["git", "init", "-q", str(tmp)], check=True)  # for `merge --setup`
    return f


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("stdout", ["full", "closed", "gone"])
@pytest.mark.parametrize(("args", "writes"), COMMANDS, ids=[c[0][0] for c in COMMANDS])
def test_output_that_cannot_be_written(tmp_path: Path, args: list[str], writes: bool,
                                       stdout: str) -> None:
    f = prepared(tmp_path)
    before = f.read_bytes()
    argv = ["--file", str(f), *[a.replace("{csv}", str(tmp_path / "in.csv")) for a in args]]
    r = clientfit(tmp_path, argv, stdout)
    assert "Traceback" not in r.stderr and "Error" not in r.stderr, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) <= 1, r.stderr
    if writes:  # the write landed: that is the outcome, whatever became of the output
        assert f.read_bytes() != before
        assert r.returncode == 0, r.stderr
        if stdout != "gone":
            why = "No space left on device" if stdout == "full" else "standard output is closed"
            assert lines == [f"clientfit: saved, but cannot write the output: {why}"]
        return
    assert f.read_bytes() == before
    if stdout == "full":
        assert r.returncode == 1
        assert lines == ["clientfit: cannot write the output: No space left on device"]
    elif stdout == "closed":
        assert r.returncode == 1
        assert lines == ["clientfit: cannot write the output: standard output is closed"]
    else:
        assert r.returncode == 1 and lines == []


def run(tmp: Path, *args: str, extra: dict[str, str] | None = None
        ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "clientfit_tui", *args], capture_output=True,
                          text=True, cwd=tmp, env={**env(tmp), **(extra or {})}, timeout=60)


@pytest.mark.parametrize("argv", [["--file", ""], ["--file="]])
@pytest.mark.parametrize("command", [["status"], ["log", "acme", "x"], ["check"]])
def test_an_empty_file_name_is_refused(tmp_path: Path, argv: list[str],
                                       command: list[str]) -> None:
    data = tmp_path / "xdg"
    r = run(tmp_path, *argv, *command, extra={"XDG_DATA_HOME": str(data)})
    assert (r.returncode, r.stderr) == (1, "clientfit: --file: the path is empty\n")
    assert not data.exists()  # no data file made from the template


def test_an_empty_clientfit_file_is_as_if_not_set(tmp_path: Path) -> None:
    data = tmp_path / "xdg"
    r = run(tmp_path, "check", extra={"XDG_DATA_HOME": str(data), "CLIENTFIT_FILE": ""})
    assert r.returncode == 0 and r.stdout.startswith(f"{data}/clientfit/clients.toml: ok")


def test_an_empty_file_name_in_process() -> None:
    from clientfit_tui.cli.common import UserError, resolve_store

    with pytest.raises(UserError, match=r"^--file: the path is empty$"):
        resolve_store("")


def test_paths_that_are_no_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "zero").symlink_to("/dev/zero")
    cases = {str(fifo): "is a pipe, not a file", "/dev/zero": "is a device, not a file",
             str(tmp_path / "zero"): "is a device, not a file",
             str(tmp_path / "a"): "cannot read: Too many levels of symbolic links",
             str(tmp_path): "is a folder, not a file"}
    for path, why in cases.items():
        for command in (["status"], ["log", "acme", "x"], ["decide", "acme"], ["check"]):
            r = run(tmp_path, "--file", path, *command)
            assert (r.returncode, r.stderr) == (1, f"clientfit: {path}: {why}\n"), (path, command)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b", "pipe", "zero"]


# -- the cache folder -------------------------------------------------------------------

def planted(folder: Path, data: Path) -> Path:
    """A pickle that, loaded, makes a file: proof that code ran."""
    proof = folder.parent / "ran"

    class Boom:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {proof}",))

    base = folder / key(os.path.realpath(data))
    blob = pickle.dumps(Boom())
    for kind in ("data", "journal"):
        Path(f"{base}.{kind}").write_bytes(cache.sealed(blob) if kind == "data" else
                                           cache._record(blob))
    return proof


@pytest.mark.skipif(os.geteuid() != 0, reason="needs another owner for the folder")
def test_a_cache_folder_of_someone_else_is_not_used(tmp_path: Path) -> None:
    f = prepared(tmp_path)
    shared = tmp_path / "shared"
    folder = shared / "clientfit"
    folder.mkdir(parents=True)
    assert run(tmp_path, "--file", str(f), "due",
               extra={"XDG_CACHE_HOME": str(shared)}).returncode == 0
    os.chown(folder, 65534, 65534)
    os.chmod(folder, 0o777)
    proof = planted(folder, f)
    for command in (["due"], ["status"], ["log", "acme", "x"]):
        r = run(tmp_path, "--file", str(f), *command, extra={"XDG_CACHE_HOME": str(shared)})
        assert r.returncode == 0, r.stderr
    assert not proof.exists()


def test_a_loose_cache_folder_of_ours_is_tightened(tmp_path: Path) -> None:
    f = prepared(tmp_path)
    shared = tmp_path / "shared"
    folder = shared / "clientfit"
    folder.mkdir(parents=True)
    os.chmod(folder, 0o777)
    r = run(tmp_path, "--file", str(f), "due", extra={"XDG_CACHE_HOME": str(shared)})
    assert r.returncode == 0
    assert folder.stat().st_mode & 0o777 == 0o700
    assert any(p.name.endswith(".index") for p in folder.iterdir())  # and used


def test_cache_entries_are_opened_only_as_our_own_regular_files(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch
                                                              ) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "c"))
    c = cache.Cache(str(tmp_path / "x.toml"))
    assert cache.trusted()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(cache.sealed(b"x"))
    os.symlink(elsewhere, c.path("data"))
    assert c._load("data") is None  # a symlink is not followed
    os.mkfifo(c.path("index"))
    assert c._load("index") is None  # a pipe is not read (nor waited on)
    assert not c.known("0" * 64)
    if os.geteuid() == 0:
        Path(c.path("text")).write_bytes(b"abc")
        os.chown(c.path("text"), 65534, 65534)
        assert c._load("text") is None  # someone else's entry
        os.chown(c.path("text"), 0, 0)
        assert c._load("text") == b"abc"
