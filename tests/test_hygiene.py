"""The core stays free of the UI, and the code passes its linters."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("module", ["clientfit_tui.domain.rules", "clientfit_tui.domain.checklist",
                                    "clientfit_tui.store.store", "clientfit_tui.session",
                                    "clientfit_tui.cli.main", "clientfit_tui.cli.parser",
                                    "clientfit_tui.actions.incidents",
                                    "clientfit_tui.actions.offboarding",
                                    "clientfit_tui.domain.report", "clientfit_tui.domain.script",
                                    "clientfit_tui.cli.report", "clientfit_tui.cli.script",
                                    "clientfit_tui.templates"])
def test_core_does_not_import_textual(module: str) -> None:
    """The model, rules, store and command line never load Textual (or tomlkit, eagerly)."""
    code = (f"import sys, {module}\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'tomlkit')]\n"
            "print(','.join(bad))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def _tool(name: str) -> str:
    exe = Path(sys.executable).parent / name
    found = str(exe) if exe.exists() else shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
    return found


def test_ruff() -> None:
    targets = [d for d in ("src", "tests", "bench") if (ROOT / d).is_dir()]
    r = subprocess.run([_tool("ruff"), "check", *targets], cwd=ROOT,
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def test_mypy_strict_core() -> None:
    r = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
