"""Two machines, one file, with real git: a bare repository, two clones that both log,
then pull and push with `clientfit merge` as the merge driver."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import SAMPLE

NOW = "2026-11-27T10:00:00"
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(cwd: Path, *args: str, ok: bool = True) -> subprocess.CompletedProcess[str]:
    r = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
                       env=_env(cwd))
    if ok:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


def _env(clone: Path) -> dict[str, str]:
    return {**os.environ, "CLIENTFIT_NOW": NOW, "CLIENTFIT_FILE": str(clone / "clients.toml"),
            "GIT_AUTHOR_NAME": "Me", "GIT_AUTHOR_EMAIL": "me@example.com",
            "GIT_COMMITTER_NAME": "Me", "GIT_COMMITTER_EMAIL": "me@example.com",
            "GIT_CONFIG_NOSYSTEM": "1"}


def cf(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "clientfit_tui", *args], cwd=clone,
                          capture_output=True, text=True, timeout=120, env=_env(clone))


def incidents(clone: Path) -> list[tuple[str, str]]:
    d = tomllib.loads((clone / "clients.toml").read_text())["clients"]
    return sorted((cid, i["note"]) for cid, c in d.items() for i in c.get("incidents", []))


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.fixture
def clones(tmp_path: Path) -> tuple[Path, Path]:
    """A bare repository holding the sample and the driver's .gitattributes; two clones,
    each set up with `clientfit merge --setup`, as each machine would be."""
    hub = tmp_path / "hub.git"
    git(tmp_path, "init", "-q", "--bare", "--initial-branch=main", str(hub))
    a, b = tmp_path / "laptop", tmp_path / "vps"
    git(tmp_path, "clone", "-q", str(hub), str(a))
    shutil.copyfile(SAMPLE, a / "clients.toml")
    (a / "clients.toml").chmod(0o600)
    r = cf(a, "merge", "--setup")
    assert r.returncode == 0, r.stderr
    assert "/clients.toml merge=clientfit" in (a / ".gitattributes").read_text()
    git(a, "add", "clients.toml", ".gitattributes")
    git(a, "commit", "-qm", "clients")
    git(a, "push", "-q", "origin", "HEAD:main")
    git(tmp_path, "clone", "-q", str(hub), str(b))
    for clone in (a, b):
        git(clone, "config", "pull.rebase", "false")
    r = cf(b, "merge", "--setup")
    assert r.returncode == 0, r.stderr
    assert "merge.clientfit.driver" in r.stdout
    return a, b


def test_setup_configures_the_driver_once(clones: tuple[Path, Path]) -> None:
    a, _ = clones
    again = cf(a, "merge", "--setup")
    assert again.returncode == 0, again.stderr
    assert (a / ".gitattributes").read_text() == "/clients.toml merge=clientfit\n"
    assert "merge %O %A %B %P" in git(a, "config", "merge.clientfit.driver").stdout
    assert git(a, "check-attr", "merge", "clients.toml").stdout.strip().endswith("clientfit")
    cf(a, "log", "acme", "a write makes the lock file")
    assert git(a, "status", "--short").stdout.strip() == "M clients.toml"  # lock file ignored


def test_two_clones_log_then_pull_and_push_without_conflict(clones: tuple[Path, Path]) -> None:
    """The same client and different ones, on both machines: every incident is kept."""
    a, b = clones
    before = incidents(a)
    sample_comments = comments((a / "clients.toml").read_text())
    for clone, notes in ((a, [("acme", "laptop acme"), ("gecko", "laptop gecko")]),
                         (b, [("acme", "vps acme"), ("bluebird", "vps bluebird")])):
        for cid, note in notes:
            r = cf(clone, "log", cid, note, "--at", "-1h")
            assert r.returncode == 0, r.stderr
        git(clone, "commit", "-qam", "logged")
    git(a, "push", "-q", "origin", "HEAD:main")
    pulled = git(b, "pull", "-q", "--no-edit", ok=False)
    assert pulled.returncode == 0, pulled.stdout + pulled.stderr
    assert "CONFLICT" not in pulled.stdout + pulled.stderr
    git(b, "push", "-q", "origin", "HEAD:main")
    git(a, "pull", "-q", "--no-edit")
    added = [("acme", "laptop acme"), ("acme", "vps acme"), ("bluebird", "vps bluebird"),
             ("gecko", "laptop gecko")]
    for clone in (a, b):
        assert incidents(clone) == sorted(before + added)
        assert comments((clone / "clients.toml").read_text()) == sample_comments
        assert cf(clone, "check").returncode == 0
        assert git(clone, "status", "--short").stdout == ""
    assert (a / "clients.toml").read_text() == (b / "clients.toml").read_text()


def test_a_rebasing_pull_merges_too(clones: tuple[Path, Path]) -> None:
    a, b = clones
    cf(a, "log", "acme", "from a")
    git(a, "commit", "-qam", "a")
    git(a, "push", "-q", "origin", "HEAD:main")
    cf(b, "log", "acme", "from b")
    git(b, "commit", "-qam", "b")
    git(b, "pull", "-q", "--rebase")
    notes = [n for _, n in incidents(b)]
    assert "from a" in notes and "from b" in notes


def test_a_true_conflict_stops_with_both_values(clones: tuple[Path, Path]) -> None:
    a, b = clones
    for clone, status in ((a, "ended"), (b, "offboarding")):
        p = clone / "clients.toml"
        text = p.read_text()
        old = re.search(r'^\[clients\.acme\].*\n(?:.*\n)*?(status = "watch".*)$', text, re.M)
        assert old is not None
        p.write_text(text.replace(old.group(1), old.group(1).replace('"watch"', f'"{status}"'), 1))
        cf(clone, "log", "gecko", f"logged on {clone.name}")
        git(clone, "commit", "-qam", status)
    git(a, "push", "-q", "origin", "HEAD:main")
    pulled = git(b, "pull", "--no-edit", ok=False)
    out = pulled.stdout + pulled.stderr
    assert pulled.returncode != 0
    assert "CONFLICT" in out
    said = re.search(r'clients\.toml:(\d+): acme\.status: ours "offboarding", theirs "ended"', out)
    assert said is not None, out
    lines = (b / "clients.toml").read_text().splitlines()
    n = int(said.group(1))
    assert lines[n - 1] == "<<<<<<< ours" and lines[n].startswith('status = "offboarding"')
    assert lines[n + 1] == "=======" and lines[n + 2].startswith('status = "ended"')
    assert lines[n + 3] == ">>>>>>> theirs"
    text = "\n".join(lines)
    assert "logged on laptop" in text and "logged on vps" in text  # the rest is merged
    check = cf(b, "check")
    assert check.returncode == 1
    assert f"clients.toml:{n}:1: an unresolved merge conflict" in check.stderr
    assert "Traceback" not in check.stderr
    # fixed by hand: keep one side, drop the markers; then the file is whole again
    keep = [*lines[: n - 1], lines[n + 2], *lines[n + 4:]]
    (b / "clients.toml").write_text("\n".join(keep) + "\n")
    assert cf(b, "check").returncode == 0
    git(b, "commit", "-qam", "merged")
