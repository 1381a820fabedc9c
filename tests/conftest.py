"""Shared fixtures: every test runs away from the user's real data and cache."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample.toml"


@pytest.fixture(autouse=True)
def no_user_files(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep the user's data file, cache and editor out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    for var in ("CLIENTFIT_FILE", "CLIENTFIT_NOW", "EDITOR", "VISUAL", "NO_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture
def sample_file(tmp_path: Path) -> Path:
    """A private copy of the bundled sample."""
    p = tmp_path / "clients.toml"
    shutil.copyfile(SAMPLE, p)
    os.chmod(p, 0o600)
    return p
