"""The two bundled samples (sample.toml, sample.es.toml) and `--demo`, which opens the one in the
reader's language.

The Spanish sample is the English one with its words in Spanish: the same clients, incidents,
kinds, severities, dates, amounts, checklists and reviews, line for line, so that every
feature shows the same way in both languages. Only free text (names, contacts, notes, reasons,
comments) differs; keys and stored values are English in both (the file format is one).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from clientfit_tui import demo
from clientfit_tui.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
EN = ROOT / "sample.toml"
ES = ROOT / "sample.es.toml"
FREE_TEXT = {"name", "contact", "email", "contract", "notes", "note", "reason", "alternatives"}
"""The keys whose values are words a person wrote: the only values that differ."""
TRANSLATED = FREE_TEXT - {"email"}
"""...and of those, the ones that must read differently in Spanish (an address may stay)."""


def load(p: Path) -> dict[str, Any]:
    return tomllib.loads(p.read_text(encoding="utf-8"))


def same_shape(en: Any, es: Any, where: str = "") -> list[str]:
    """Where the two documents differ in anything but free text."""
    if isinstance(en, dict):
        if not isinstance(es, dict) or list(en) != list(es):
            return [f"{where}: keys {list(en)} != {list(es) if isinstance(es, dict) else es!r}"]
        out: list[str] = []
        for k in en:
            if k in FREE_TEXT:
                if not (isinstance(en[k], str) and isinstance(es[k], str)):
                    out.append(f"{where}.{k}: {en[k]!r} / {es[k]!r}")
                elif k in TRANSLATED and en[k] == es[k]:
                    out.append(f"{where}.{k}: not translated: {es[k]!r}")
            else:
                out += same_shape(en[k], es[k], f"{where}.{k}")
        return out
    if isinstance(en, list):
        if not isinstance(es, list) or len(en) != len(es):
            return [f"{where}: {len(en)} items != {es!r:.60}"]
        return [d for i, (a, b) in enumerate(zip(en, es, strict=True))
                for d in same_shape(a, b, f"{where}[{i}]")]
    if type(en) is not type(es) or en != es:
        return [f"{where}: {en!r} != {es!r}"]
    return []


def test_the_samples_hold_the_same_data_but_free_text() -> None:
    en, es = load(EN), load(ES)
    assert same_shape(en, es) == []
    assert len(en["clients"]) == 9   # the walk above did compare something
    assert sum(len(c.get("incidents", [])) for c in es["clients"].values()) == 92


def test_the_spanish_sample_reads_in_spanish() -> None:
    es = load(ES)["clients"]
    assert es["acme"]["name"] == "ACME Ibérica"
    assert es["slowpay"]["offboarding"]["reason"] == (
        "Creo que mis servicios ya no encajan con lo que necesitáis.")
    assert es["acme"]["incidents"][-1]["note"] == (
        "Mensaje a las 23:14 pidiendo cambios en el logo para el mismo día")
    english = re.compile(r"\b(the|and|for|with|asked|called|invoice|paid|after)\b", re.I)
    texts = [v for c in es.values() for v in _free_texts(c)]
    assert texts and not [t for t in texts if english.search(t)]


def _free_texts(node: Any) -> list[str]:
    if isinstance(node, dict):
        out: list[str] = []
        for k, v in node.items():
            out += [v] if k in TRANSLATED and isinstance(v, str) else _free_texts(v)
        return out
    if isinstance(node, list):
        return [x for item in node for x in _free_texts(item)]
    return []


def _strip(line: str) -> tuple[str, str]:
    """A line without the text inside its strings, and its comment."""
    code, comment, quoted = [], "", False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            comment = line[i:]
            break
        if not quoted or ch == '"':
            code.append(ch)
    return "".join(code).rstrip(), comment.strip()


def test_the_samples_line_up_and_every_comment_is_translated() -> None:
    """Line for line: the same tables, keys and values, and a comment where the English
    has one, in Spanish (the rules of dashes and the empty `#` excepted)."""
    en = EN.read_text(encoding="utf-8").split("\n")
    es = ES.read_text(encoding="utf-8").split("\n")
    assert len(en) == len(es)
    comments = 0
    for n, (a, b) in enumerate(zip(en, es, strict=True), 1):
        (code_en, comment_en), (code_es, comment_es) = _strip(a), _strip(b)
        assert code_en == code_es, f"line {n}"
        assert bool(comment_en) == bool(comment_es), f"line {n}"
        if comment_en.strip("#- "):
            assert comment_en != comment_es, f"line {n}: {comment_es}"
            comments += 1
    assert comments >= 30


@pytest.mark.parametrize("sample", [EN, ES], ids=["en", "es"])
def test_both_samples_pass_check(sample: Path, tmp_path: Path) -> None:
    p = tmp_path / "clients.toml"
    shutil.copyfile(sample, p)
    os.chmod(p, 0o600)
    r = subprocess.run([sys.executable, "-m", "clientfit_tui", "--file", str(p), "check"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == f"{p}: ok: 9 clients, 92 incidents", r.stdout + r.stderr
    assert "warning" not in r.stderr


def test_every_feature_sees_the_same_numbers(tmp_path: Path) -> None:
    """`status --json` on both samples: the same states, counts, flags and money."""
    def status(sample: Path) -> list[dict[str, Any]]:
        p = tmp_path / sample.name
        shutil.copyfile(sample, p)
        os.chmod(p, 0o600)
        r = subprocess.run([sys.executable, "-m", "clientfit_tui", "--file", str(p), "status",
                            "--json"], capture_output=True, text=True, timeout=60,
                           env={**os.environ, "CLIENTFIT_NOW": "2026-11-27T10:00:00"})
        assert r.returncode == 0, r.stderr
        rows: list[dict[str, Any]] = json.loads(r.stdout)
        return rows

    en, es = status(EN), status(ES)
    assert [c.pop("name") for c in en] != [c.pop("name") for c in es]
    assert en == es


def _reads(monkeypatch: pytest.MonkeyPatch, **env: str) -> str:
    """The language of the demo for an environment (read as the app reads it)."""
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    set_language(None)
    try:
        text = demo.make_demo(date(2026, 11, 27)).read_text(encoding="utf-8")
    finally:
        set_language("en")
    assert text.startswith("# ")
    return "es" if 'name = "ACME Ibérica"' in text else "en"


@pytest.mark.parametrize(("env", "lang"), [
    ({"LANG": "es_ES.UTF-8"}, "es"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "es_MX.UTF-8"}, "es"),
    ({"LANG": "es_ES.UTF-8", "LC_ALL": "C"}, "en"),          # C/POSIX: English, LANGUAGE or not
    ({"LANG": "POSIX", "LANGUAGE": "es"}, "en"),
    ({"LANG": "fr_FR.UTF-8", "LANGUAGE": "fr:es"}, "es"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
])
def test_the_demo_opens_the_sample_in_the_readers_language(
        monkeypatch: pytest.MonkeyPatch, env: dict[str, str], lang: str) -> None:
    assert _reads(monkeypatch, **env) == lang


def test_the_spanish_demo_is_the_spanish_sample_dated_for_today(
        monkeypatch: pytest.MonkeyPatch, spanish: None) -> None:
    monkeypatch.setenv("CLIENTFIT_NOW", "2027-03-10T12:00:00")
    text = demo.make_demo().read_text(encoding="utf-8")
    assert text == demo.shift_dates(ES.read_text(encoding="utf-8"), 103)
    assert "at = 2027-03-09T23:14:00    # anteanoche" in text
    assert "2026-11-26T23:14" not in text
    assert demo.make_demo(lang="en").read_text(encoding="utf-8") == demo.shift_dates(
        EN.read_text(encoding="utf-8"), 103)


def test_a_language_without_a_sample_gets_the_english_one() -> None:
    assert demo.sample_name("es") == "sample.es.toml"
    assert demo.sample_path("es").name == "sample.es.toml"
    assert demo.sample_path("en").name == "sample.toml"
    assert demo.sample_path("fr").name == "sample.toml"
