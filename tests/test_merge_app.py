"""The app and merges: a sync tool's copy is pointed out; a file with conflict markers
is shown read-only, its markers named."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clientfit_tui.app.app import ClientfitApp
from test_app import drive

NOW = "2026-11-27T10:00:00"


def loaded(path: Path) -> ClientfitApp:
    """Open the app on `path`, wait until it is loaded, and return it (closed)."""
    async def nothing(app: ClientfitApp, pilot: object) -> None:
        pass

    return drive(path, nothing)


def test_a_sync_copy_beside_the_file_is_pointed_out(sample_file: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)
    copy = sample_file.with_name("clients.sync-conflict-20261127-101112-ABCDEFG.toml")
    shutil.copyfile(sample_file, copy)
    app = loaded(sample_file)
    said = [n.message for n in app._notifications if "merge --two" in n.message]
    assert said and copy.name in said[0] and str(sample_file) in said[0]


def test_no_word_about_copies_when_there_is_none(sample_file: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)
    app = loaded(sample_file)
    assert not [n for n in app._notifications if "merge --two" in n.message]


def test_a_file_with_conflict_markers_is_read_only(sample_file: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)
    text = sample_file.read_text().replace(
        'status = "watch"            # active | watch | offboarding | ended',
        '<<<<<<< ours\nstatus = "ended"\n=======\nstatus = "offboarding"\n>>>>>>> theirs', 1)
    sample_file.write_text(text)
    app = loaded(sample_file)
    assert app.session.snap is None
    assert any("unresolved merge conflict (marker lines 24, 26, 28)" in p
               for p in app.session.problems)
    assert sample_file.read_text() == text


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "clientfit_tui", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def test_merge_two_on_the_command_line(sample_file: Path) -> None:
    copy = sample_file.with_name("clients (conflicted copy).toml")
    text = sample_file.read_text()
    copy.write_text(text + '\n[[clients.gecko.incidents]]\nat = 2026-11-26\nkind = "other"\n'
                    'note = "from the other machine"\n')
    check = cli("--file", str(sample_file), "check", cwd=sample_file.parent)
    assert "merge --two" in check.stdout and check.returncode == 0
    r = cli("merge", "--two", str(sample_file), str(copy), cwd=sample_file.parent)
    assert r.returncode == 0, r.stderr
    assert "can now be deleted" in r.stdout
    merged = sample_file.read_text()
    assert merged.startswith(text[: text.index("[clients.gecko]")])
    assert "from the other machine" in merged
    assert cli("--file", str(sample_file), "check", cwd=sample_file.parent).returncode == 0


@pytest.mark.parametrize("args", [
    ["merge"], ["merge", "a"], ["merge", "--two", "a"], ["merge", "--setup", "a"],
    ["merge", "--two", "--setup"],
])
def test_merge_usage_errors_exit_2(tmp_path: Path, args: list[str]) -> None:
    r = cli(*args, cwd=tmp_path)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_a_version_that_is_not_toml_is_one_line_and_ours_is_untouched(sample_file: Path) -> None:
    bad = sample_file.with_name("theirs.toml")
    bad.write_text("[clients.acme\n")
    ours = sample_file.read_text()
    r = cli("merge", "--two", str(sample_file), str(bad), cwd=sample_file.parent)
    assert r.returncode == 1
    assert r.stderr.startswith(f"{bad}:1:") and "Traceback" not in r.stderr
    assert sample_file.read_text() == ours


def test_setup_outside_git_says_so(sample_file: Path) -> None:
    r = cli("--file", str(sample_file), "merge", "--setup", cwd=sample_file.parent)
    assert r.returncode == 1
    assert "is not in a git repository" in r.stderr and len(r.stderr.splitlines()) == 1


def test_a_version_clientfit_cannot_read_is_merged_line_by_line(tmp_path: Path) -> None:
    """As git's driver: the text merge of `git merge-file`, markers and all, exit 1."""
    base = 'x = 1\n\n[clients.acme]\nname = "ACME"\n'
    (tmp_path / "base").write_text(base)
    (tmp_path / "ours").write_text(base.replace('"ACME"', '"ACME Corp"'))
    (tmp_path / "theirs").write_text(base.replace('"ACME"', '"ACME" oops'))
    r = cli("merge", "base", "ours", "theirs", "clients.toml", cwd=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.startswith("theirs:4:")
    if shutil.which("git"):
        assert "merged line by line instead" in r.stderr
        assert "<<<<<<< ours" in (tmp_path / "ours").read_text()
