"""Faults: a save killed at any point, a full disk, failing I/O. Old file or new, never torn."""

from __future__ import annotations

import errno
import os
import random
import signal
import subprocess
import sys
import time
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from clientfit_tui.store import edit
from clientfit_tui.store.store import Store, StoreError

RUNS = 200


def _writer(path: Path) -> None:
    """In a forked child: save incidents as fast as possible until killed."""
    store = Store(path)
    snap = store.load()
    n = len(snap.raw["clients"]["acme"].get("incidents", []))
    while True:
        snap = store.apply(edit.Append("acme", "incidents", {
            "at": datetime(2026, 11, 27, 9, 0), "kind": "other", "note": f"n{n}"}), snap)
        n += 1


def test_sigkill_during_saves_never_tears_the_file(tmp_path: Path) -> None:
    """Killed at random points of a save, 200 times: the file is always whole and valid."""
    p = tmp_path / "c.toml"
    p.write_text('# mine\n[clients.acme]\nname = "A"\n')
    rng = random.Random(1234)
    seen = 0
    for _ in range(RUNS):
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child is killed
            try:
                _writer(p)
            finally:
                os._exit(1)
        time.sleep(rng.uniform(0.0, 0.02))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        text = p.read_text()
        data = tomllib.loads(text)
        notes = [i["note"] for i in data["clients"]["acme"].get("incidents", [])]
        assert notes == [f"n{i}" for i in range(len(notes))], "a save was torn or lost"
        assert text.startswith('# mine\n[clients.acme]\nname = "A"\n')
        assert len(notes) >= seen
        seen = len(notes)
    assert seen > 0, "the writer never got to save"
    # the next writer cleans up the temp files a killed one left behind
    Store(p).apply(edit.Append("acme", "incidents", {"at": datetime(2026, 1, 1), "kind": "other",
                                                     "note": f"n{seen}"}))
    assert [n for n in os.listdir(tmp_path) if n.endswith(".tmp")] == []


def test_full_disk_keeps_the_old_file(sample_file: Path) -> None:
    """A file-size limit (as on a full disk): exit 1, one line, the file as it was."""
    before = sample_file.read_bytes()
    limit = len(before) + 10
    code = ("import resource, sys\n"
            f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit}))\n"
            "from clientfit_tui.cli.main import main\n"
            "sys.exit(main(sys.argv[1:]))\n")
    r = subprocess.run([sys.executable, "-c", code, "--file", str(sample_file), "log", "acme",
                        "a note long enough to push the file past the limit"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1, r.stderr
    assert "not saved: the disk is full; the file is unchanged" in r.stderr
    assert "Traceback" not in r.stderr
    assert sample_file.read_bytes() == before
    assert [n for n in os.listdir(sample_file.parent) if n.endswith(".tmp")] == []


@pytest.mark.parametrize("fail", ["writev", "fsync", "replace"])
def test_io_errors_keep_the_old_file(sample_file: Path, monkeypatch: pytest.MonkeyPatch,
                                     fail: str) -> None:
    before = sample_file.read_bytes()
    store = Store(sample_file)
    snap = store.load()

    def broken(*args: object, **kw: object) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, fail, broken)
    with pytest.raises(StoreError, match="not saved: Input/output error; the file is unchanged"):
        store.apply(edit.Append("acme", "incidents", {"at": datetime(2026, 1, 1),
                                                      "kind": "other"}), snap)
    monkeypatch.undo()
    assert sample_file.read_bytes() == before
    assert [n for n in os.listdir(sample_file.parent) if n.endswith(".tmp")] == []


def test_unwritable_folder_is_a_clear_error(sample_file: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """(Root ignores permissions, so the refusal is simulated at the system call.)"""
    before = sample_file.read_bytes()
    real_open = os.open

    def no_create(path: object, flags: int, *a: object) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(errno.EACCES, "Permission denied")
        return real_open(path, flags, *a)  # type: ignore[arg-type]

    store = Store(sample_file)
    snap = store.load()
    monkeypatch.setattr(os, "open", no_create)
    with pytest.raises(StoreError, match=r"cannot write in .*Permission denied"):
        store.apply(edit.Append("acme", "incidents", {"at": datetime(2026, 1, 1),
                                                      "kind": "other"}), snap)
    monkeypatch.undo()
    assert sample_file.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_a_clear_error(sample_file: Path) -> None:  # pragma: no cover
    os.chmod(sample_file, 0)
    with pytest.raises(StoreError, match="cannot read"):
        Store(sample_file).load()


def test_stale_lock_from_a_killed_process_does_not_wedge(sample_file: Path) -> None:
    """A writer killed while holding the lock: the next one gets it at once."""
    store = Store(sample_file)
    pid = os.fork()
    if pid == 0:  # pragma: no cover
        with store.lock():
            time.sleep(30)
        os._exit(0)
    time.sleep(0.3)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    assert os.path.exists(store.lock_path)
    t = time.monotonic()
    store.apply(edit.Append("acme", "incidents", {"at": datetime(2026, 1, 1), "kind": "other"}))
    assert time.monotonic() - t < 5


