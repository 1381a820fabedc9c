"""`clientfit --version`: clientfit's version and those of what it runs on, cheaply."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from importlib import metadata

import clientfit_tui


def test_version_names_clientfit_python_and_libraries() -> None:
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "clientfit_tui", "--version"],
                       capture_output=True, text=True, timeout=60,
                       env={**os.environ, "CLIENTFIT_FILE": "/nonexistent/clients.toml"})
    assert r.returncode == 0
    assert r.stdout == (f"clientfit {clientfit_tui.__version__} (CPython {platform.python_version()}, "
                        f"Textual {metadata.version('textual')}, "
                        f"tomlkit {metadata.version('tomlkit')}, "
                        f"python-dateutil {metadata.version('python-dateutil')})\n")
    imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines() if "|" in line}
    assert not {m for m in imported if m.split(".")[0] in ("textual", "tomlkit")}


def test_the_package_version_is_the_distribution_version() -> None:
    """One version, in src/clientfit_tui/__init__.py, read by the build."""
    assert metadata.version("clientfit") == clientfit_tui.__version__
