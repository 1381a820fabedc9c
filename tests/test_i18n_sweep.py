"""The issue's test as a person would do it: with LANG=es_ES.UTF-8, the app and the
command line, used end to end on the Spanish sample, show no English sentence; with
LANG=C.UTF-8, on the English sample, no Spanish one.

Words are checked whole, case-insensitively, after taking out what stays English by
design: command and option names, TOML keys named in messages, key names.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from clientfit_tui.app.app import ClientfitApp
from test_app import drive

ROOT = Path(__file__).resolve().parent.parent
NOW = "2026-11-27T10:00:00"

ENGLISH = {
    "the", "and", "with", "without", "of", "to", "for", "from", "until", "before", "after",
    "your", "you", "this", "that", "is", "are", "was", "not", "none", "days", "day", "client",
    "clients", "incident", "incidents", "invoice", "invoices", "paid", "unpaid", "late", "step",
    "steps", "warning", "usage", "options", "show", "notice", "left", "trouble", "owed", "since",
    "today", "yesterday", "nothing", "every", "each", "which", "when", "what", "there",
    "here", "keys", "back", "quit", "open", "edit", "save", "cancel", "yes", "search", "filter",
    "undo", "help", "note", "kind", "severity", "minutes", "decision", "checklist", "offboarding",
    "revenue", "hours", "lost", "cooling", "wait", "ended", "active", "watch", "meeting",
    "contract", "deliverable", "alternatives", "reason", "theme", "screenshot", "palette",
}
SPANISH = {
    "el", "la", "los", "las", "del", "para", "con", "hasta", "desde", "cliente", "clientes",
    "incidente", "incidentes", "factura", "facturas", "días", "aviso", "paso", "pasos", "uso",
    "opciones", "que", "una", "por", "sin", "hoy", "ayer", "nota", "tipo", "gravedad",
}
KEEP = re.compile(
    r"--[a-z-]+|`[^`]*`|'[^']*'|\S+\.toml\b|\$\w+|\{[^}]*\}|\b(?:clientfit|told_early|ended_early|keys\.toml)\b"
    r"|\bctrl\+\w+|\b[a-z_]+ = "
    r"|\b(?:after-hours|vague-feedback|late-payment|scope-creep|disrespect|other|active|watch"
    r"|offboarding|ended|keep|end|in-person|phone|video)\b(?=\s+\()|\(after-hours\)|\(active\)")
"""What stays English in Spanish: options, quoted code and keys, variables."""


def strange_words(text: str, words: set[str]) -> list[str]:
    text = KEEP.sub(" ", text)
    text = re.sub(r"[^\s\xa0]+▏", " ", text)  # a footer's last key, cut where the palette's begins
    found = re.findall(r"[^\W\d_]+", text.lower())
    return sorted({w for w in found if w in words})


def run(args: list[str], file: Path, lang: str) -> str:
    env = {**os.environ, "LANG": lang, "CLIENTFIT_FILE": str(file), "CLIENTFIT_NOW": NOW,
           "NO_COLOR": "1"}
    r = subprocess.run([sys.executable, "-m", "clientfit_tui", *args], env=env,
                       capture_output=True, text=True, timeout=60)
    return r.stdout + r.stderr


COMMANDS: list[list[str]] = [
    ["--help"], ["log", "--help"], ["add", "--help"], ["check", "--help"], ["status", "--help"],
    ["decide", "--help"], ["pareto", "--help"], ["whatif", "--help"], ["due", "--help"],
    ["script", "--help"], ["report", "--help"], ["export", "--help"], ["import", "--help"],
    ["merge", "--help"], ["completion", "--help"],
    ["status"], ["status", "acme"], ["status", "slowpay"], ["status", "--money"], ["pareto"],
    ["whatif", "acme"], ["due"], ["report", "acme"], ["report", "harbor"], ["script", "slowpay"],
    ["script", "acme"], ["check"], ["decide", "acme"], ["log", "acme", "--kind", "x"],
    ["log", "nobody", "hola"], ["status", "--nope"], ["nosuchcommand"],
    ["log", "acme", "--at", "mañana 10:00", "llamada a las 23h"],
    ["log", "acme", "--kind", "l", "--minutes", "20", "pago tarde otra vez"],
]


@pytest.fixture
def es_file(tmp_path: Path) -> Path:
    p = tmp_path / "clientes.toml"
    shutil.copyfile(ROOT / "sample.es.toml", p)
    p.chmod(0o600)
    return p


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_command_line_in_spanish_has_no_english(es_file: Path, args: list[str]) -> None:
    out = run(args, es_file, "es_ES.UTF-8")
    assert out.strip()
    assert "Traceback" not in out
    assert not strange_words(out, ENGLISH), out


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_command_line_in_english_has_no_spanish(sample_file: Path, args: list[str]) -> None:
    args = [a.replace("mañana", "tomorrow").replace("hola", "hello")
            .replace("llamada a las 23h", "call at 23h")
            .replace("pago tarde otra vez", "paid late again") for a in args]
    out = run(args, sample_file, "C.UTF-8")
    assert "Traceback" not in out
    assert not strange_words(out, SPANISH), out


# -- the app ---------------------------------------------------------------------------------

def screen_text(app: ClientfitApp) -> str:
    """What the terminal shows, line by line, from the app's own screenshot."""
    svg = app.export_screenshot()
    lines: dict[str, list[tuple[float, str]]] = {}
    for m in re.finditer(r'<text[^>]*\bx="([\d.]+)"[^>]*\by="([\d.]+)"[^>]*>(.*?)</text>', svg):
        lines.setdefault(m.group(2), []).append((float(m.group(1)), html.unescape(m.group(3))))
    return "\n".join("".join(t for _x, t in sorted(parts))
                     for _y, parts in sorted(lines.items(), key=lambda kv: float(kv[0])))


# Each tour: keys pressed from the client list, then what the screen shows.
TOURS: list[tuple[str, list[str]]] = [
    ("client list", []),
    ("incident log", ["2"]),
    ("checklist", ["enter"]),
    ("checklist of an offboarding", ["down", "down", "enter"]),
    ("client page", ["i"]),
    ("pareto", ["p"]),
    ("help", ["question_mark"]),
    ("palette", ["ctrl+p"]),
    ("quick entry", ["n"]),
    ("review", ["r"]),
    ("decide refused", ["d"]),
    ("script", ["enter", "s"]),
    ("filter", ["slash", "z", "z", "z"]),
    ("note search", ["2", "slash", "z", "z", "z"]),
]


def tour(path: Path, keys: list[str], size: tuple[int, int]) -> str:
    seen: list[str] = []

    async def script(app: ClientfitApp, pilot) -> None:  # type: ignore[no-untyped-def]
        for k in keys:
            await pilot.press(k)
            await pilot.pause(0.05)
        await pilot.pause(0.2)
        seen.append(screen_text(app))

    drive(path, script, size=size)
    return seen[0]


@pytest.fixture
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", NOW)


@pytest.mark.parametrize("size", [(80, 24), (40, 12)], ids=["80x24", "40x12"])
@pytest.mark.parametrize(("name", "keys"), TOURS, ids=[t[0] for t in TOURS])
def test_app_in_spanish_has_no_english(es_file: Path, spanish: None, fixed_now: None,
                                       name: str, keys: list[str],
                                       size: tuple[int, int]) -> None:
    text = tour(es_file, keys, size)
    assert text.strip()
    assert not strange_words(text, ENGLISH), text


@pytest.mark.parametrize(("name", "keys"), TOURS, ids=[t[0] for t in TOURS])
def test_app_in_english_has_no_spanish(sample_file: Path, fixed_now: None, name: str,
                                       keys: list[str]) -> None:
    text = tour(sample_file, keys, (80, 24))
    assert not strange_words(text, SPANISH), text
