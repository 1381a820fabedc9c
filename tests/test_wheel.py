"""The wheel stands alone: built, installed into a fresh virtualenv, run from elsewhere.

Slow (a build and an install of the dependencies): marked `wheel` and `e2e`.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.wheel]

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "clientfit_tui"


class Installed:
    def __init__(self, dist: Path, venv: Path, away: Path) -> None:
        self.wheel = next(dist.glob("clientfit-*.whl"))
        self.sdist = next(dist.glob("clientfit-*.tar.gz"))
        self.venv = venv
        self.away = away
        """A folder outside the source tree, where the commands run."""

    def bin(self, name: str) -> str:
        return str(self.venv / "bin" / name)

    def run(self, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
        env.update(extra)
        return subprocess.run(list(args), capture_output=True, text=True, cwd=self.away, env=env,
                              timeout=600)


def step(*args: str | Path) -> None:
    r = subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, f"{args}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    step(sys.executable, "-m", "build", "--outdir", base / "dist", ROOT)
    step(sys.executable, "-m", "venv", base / "venv")
    got = Installed(base / "dist", base / "venv", base / "away")
    got.away.mkdir()
    step(got.bin("pip"), "install", "-q", got.wheel)
    return got


def test_every_file_of_the_package_is_in_the_wheel(installed: Installed) -> None:
    """Modules and data alike (stylesheets, scripts, compiled catalogs, templates), and the
    samples; a catalog's source (.po) stays in the repository."""
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for p in PACKAGE.rglob("*"):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".po"):
            assert f"clientfit_tui/{p.relative_to(PACKAGE).as_posix()}" in names
    assert {"clientfit_tui/sample.toml", "clientfit_tui/sample.es.toml"} <= names
    assert "clientfit_tui/app/app.tcss" in names
    assert "clientfit_tui/locale/es/LC_MESSAGES/clientfit.mo" in names
    assert not [n for n in names if n.endswith(".po")]


def test_the_sdist_holds_the_sources_and_tests(installed: Installed) -> None:
    with tarfile.open(installed.sdist) as t:
        names = {n.split("/", 1)[1] for n in t.getnames() if "/" in n}
    assert {"pyproject.toml", "README.md", "README.es.md", "sample.toml", "sample.es.toml",
            "src/clientfit_tui/launch.py", "src/clientfit_tui/locale/es/LC_MESSAGES/clientfit.po",
            "hatch_build.py", "tools/catalog.py", "tests/conftest.py", ".ci/lowest.txt"} <= names
    assert not any(n.startswith((".hypothesis", ".venv")) or "__pycache__" in n for n in names)


def test_version_check_and_status_on_the_bundled_sample(installed: Installed) -> None:
    r = installed.run(installed.bin("python"), "-c",
                      "import clientfit_tui, pathlib; "
                      "print(pathlib.Path(clientfit_tui.__file__).parent / 'sample.toml')")
    sample = Path(r.stdout.strip())
    assert sample.is_file() and installed.venv in sample.parents, r.stderr  # not the source tree
    r = installed.run(installed.bin("clientfit"), "--version")
    assert r.returncode == 0 and r.stdout.startswith("clientfit 0.1.0 (")
    assert "Textual 8.2.8" in r.stdout and "tomlkit " in r.stdout, r.stdout
    r = installed.run(installed.bin("clientfit"), "--file", str(sample), "check")
    assert r.returncode == 0 and "ok: 9 clients" in r.stdout, r.stderr
    r = installed.run(installed.bin("clientfit"), "--file", str(sample), "status", "--json")
    assert r.returncode == 0 and '"id": "acme"' in r.stdout, r.stderr
    r = installed.run(installed.bin("clientfit"), "completion", "bash")
    assert r.returncode == 0 and "complete -F _clientfit clientfit" in r.stdout


def test_the_installed_package_speaks_spanish(installed: Installed) -> None:
    """The compiled catalog (.mo, built by hatch_build.py) is in the package, and read from
    there: the wheel has no .po to fall back on. Its sample is in Spanish too."""
    r = installed.run(installed.bin("clientfit"), "--help", LANG="es_ES.UTF-8")
    assert r.returncode == 0 and r.stdout.startswith("uso: clientfit "), r.stdout + r.stderr
    assert "opciones:" in r.stdout and "usage:" not in r.stdout, r.stdout
    r = installed.run(installed.bin("clientfit"), "--help", LANG="C.UTF-8")
    assert r.returncode == 0 and r.stdout.startswith("usage: clientfit "), r.stdout
    r = installed.run(installed.bin("python"), "-c",
                      "import clientfit_tui.i18n as i, clientfit_tui.demo as d; "
                      "print(i.LOCALE_DIR / 'es/LC_MESSAGES/clientfit.mo'); print(d.sample_path())",
                      LANG="es_ES.UTF-8")
    mo, sample = (Path(line) for line in r.stdout.split())
    assert mo.is_file() and installed.venv in mo.parents, r.stderr
    assert not mo.with_suffix(".po").exists()
    assert sample.name == "sample.es.toml" and installed.venv in sample.parents, r.stderr
    r = installed.run(installed.bin("clientfit"), "--file", str(sample), "check")
    assert r.returncode == 0 and "ok: 9 clients" in r.stdout, r.stderr


def test_pip_check_is_clean(installed: Installed) -> None:
    """Nothing the wheel needs conflicts with the newest releases it allows."""
    r = installed.run(installed.bin("pip"), "check")
    assert r.returncode == 0, r.stdout + r.stderr


def test_demo_in_a_terminal(installed: Installed, term_factory) -> None:
    inner = f"cd {shlex.quote(str(installed.away))} && exec {installed.bin('clientfit')} --demo"
    t = term_factory(f"sh -c {shlex.quote(inner)}")
    t.wait_for("ACME", timeout=60)
    t.send("q")
    t.wait_for("EXIT=0")


def test_the_demo_in_spanish_in_a_terminal(installed: Installed, term_factory) -> None:
    """Under a Spanish locale the installed --demo opens the Spanish sample."""
    inner = f"cd {shlex.quote(str(installed.away))} && exec {installed.bin('clientfit')} --demo"
    t = term_factory(f"sh -c {shlex.quote(inner)}", LANG="es_ES.UTF-8")
    t.wait_for("ACME Ibérica", timeout=60)
    t.send("q")
    t.wait_for("EXIT=0")
