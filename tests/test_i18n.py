"""The languages: which one the environment asks for, the Spanish catalog kept in step
with the code and complete, and the formatting of dates, numbers and amounts."""

from __future__ import annotations

import ast
import string
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from clientfit_tui import i18n, l10n
from clientfit_tui.i18n import _, language_from, ngettext, set_language

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import catalog  # noqa: E402

PACKAGE = ROOT / "src" / "clientfit_tui"


@pytest.mark.parametrize(("env", "lang"), [
    ({}, "en"),
    ({"LANG": "es_ES.UTF-8"}, "es"),
    ({"LANG": "es_MX"}, "es"),
    ({"LANG": "es"}, "es"),
    ({"LANG": "es_ES.UTF-8@euro"}, "es"),
    ({"LANG": "C.UTF-8"}, "en"),
    ({"LANG": "POSIX"}, "en"),
    ({"LANG": "en_GB.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "es"}, "es"),
    ({"LANG": "en_US.UTF-8", "LANGUAGE": "fr:es:en"}, "es"),
    ({"LANG": "es_ES.UTF-8", "LANGUAGE": "en"}, "en"),
    ({"LANG": "es_ES.UTF-8", "LANGUAGE": "fr"}, "es"),
    # GNU gettext: in the C locale LANGUAGE is not consulted
    ({"LANG": "C.UTF-8", "LANGUAGE": "es"}, "en"),
    ({"LANGUAGE": "es"}, "en"),
    # LC_ALL, then LC_MESSAGES, then LANG
    ({"LANG": "es_ES.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),
    ({"LANG": "C.UTF-8", "LC_ALL": "es_ES.UTF-8"}, "es"),
    ({"LANG": "C.UTF-8", "LC_MESSAGES": "es_AR.UTF-8"}, "es"),
    ({"LANG": "es_ES.UTF-8", "LC_MESSAGES": "en_US.UTF-8"}, "en"),
    ({"LANG": "es_ES.UTF-8", "LC_ALL": ""}, "es"),
])
def test_language_from_environment(env: dict[str, str], lang: str) -> None:
    assert language_from(env) == lang


def test_set_language_reads_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    set_language(None)
    assert i18n.language() == "es"
    monkeypatch.setenv("LANG", "C.UTF-8")
    set_language(None)
    assert i18n.language() == "en"
    with pytest.raises(ValueError):
        set_language("fr")


def test_spanish_speaks(spanish: None) -> None:
    assert _("usage: ") != "usage: "
    assert ngettext("expected %s argument", "expected %s arguments", 1) != "expected %s argument"


def test_english_is_the_code(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _("usage: ") == "usage: "
    assert ngettext("a", "b", 1) == "a" and ngettext("a", "b", 2) == "b"


def test_catalog_compiles_from_po_when_mo_missing(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "clientfit.po").write_bytes(catalog.po_path("es").read_bytes())
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    tr = i18n.translations("es")
    assert tr.gettext("usage: ") != "usage: "
    catalog.compile_mo(folder / "clientfit.po")
    import os
    os.utime(folder / "clientfit.po", (1, 1))
    assert i18n.translations("es").gettext("usage: ") == tr.gettext("usage: ")
    assert i18n.translations("xx").gettext("usage: ") == "usage: "


# -- the catalog ---------------------------------------------------------------------------

def _ids(cat: object) -> set[object]:
    return {m.id if not isinstance(m.id, list) else tuple(m.id)  # type: ignore[attr-defined]
            for m in cat if m.id}  # type: ignore[attr-defined]


def test_catalog_is_in_step_with_the_code() -> None:
    """`python tools/catalog.py update` was run after the last change of a marked text."""
    code = catalog.extracted()
    po = catalog.read(catalog.po_path("es"))
    stale = sorted(map(str, _ids(code) - _ids(po)))
    assert not stale, f"not in the catalog (run tools/catalog.py update): {stale[:10]}"
    arg = {m if isinstance(m, str) else tuple(m) for m in catalog.argparse_messages()}
    gone = sorted(map(str, _ids(po) - _ids(code) - arg))
    # argparse's texts of other Pythons may stay; the code's own must not linger
    gone = [g for g in gone if "clientfit_tui" in str(
        [loc for loc in po.get(g if isinstance(g, str) else g[0]).locations])]
    assert not gone, f"in the catalog but not in the code: {gone[:10]}"


def _fields(s: str) -> set[str]:
    out = set()
    for _lit, name, _spec, _conv in string.Formatter().parse(s):
        if name is not None:
            out.add(name)
    return out


def test_every_text_has_its_spanish() -> None:
    po = catalog.read(catalog.po_path("es"))
    missing = catalog.missing("es")
    assert not missing, f"{len(missing)} texts untranslated, e.g. {missing[:10]}"
    for m in po:
        if not m.id:
            continue
        ids = list(m.id) if isinstance(m.id, (list, tuple)) else [m.id]
        strs = list(m.string) if isinstance(m.string, (list, tuple)) else [m.string]
        for s in strs:
            # the same placeholders, whatever their order
            try:
                want = _fields(ids[-1])
                got = _fields(s)
            except ValueError:  # printf-style (argparse) or a brace in the text
                want = got = set()
            assert got <= _fields(ids[0]) | want, (m.id, s)
            assert want <= got | _fields(ids[0]), (m.id, s)
            for spec in ("%s", "%(prog)s", "%(value)r", "%(message)s"):
                if spec in ids[0]:
                    assert spec in s, (m.id, s)


def _module_level_calls(tree: ast.Module) -> list[int]:
    """Lines of `_()` / `ngettext()` calls outside any function: at import."""
    out: list[int] = []

    def visit(node: ast.AST, inside: bool) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            inside = True
        if (not inside and isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext")):
            out.append(node.lineno)
        for child in ast.iter_child_nodes(node):
            visit(child, inside)

    visit(tree, False)
    return out


def test_no_text_is_translated_at_import() -> None:
    """A text translated at import would stay in the language of the first import: mark
    constants with N_() and translate them where they are shown."""
    bad = []
    for path in PACKAGE.rglob("*.py"):
        lines = _module_level_calls(ast.parse(path.read_text(encoding="utf-8")))
        bad += [f"{path.relative_to(ROOT)}:{n}" for n in lines]
    assert not bad


# -- formatting ----------------------------------------------------------------------------

def test_formats_in_english() -> None:
    assert l10n.date(date(2026, 12, 5)) == "2026-12-05"
    assert l10n.datetime(datetime(2026, 12, 5, 17, 58)) == "2026-12-05 17:58"
    assert l10n.number(Decimal("14200.5"), 2) == "14,200.50"
    assert l10n.amount(Decimal("1200"), "EUR") == "1,200.00 EUR"
    assert l10n.amount(Decimal("1200.4"), None, whole=True) == "1,200"
    assert l10n.percent(Decimal("0.34")) == "34%"
    assert l10n.duration(2, 3) == "2d 03h"
    assert l10n.month(date(2026, 12, 1)) == "Dec"
    assert l10n.date(date(1, 1, 1)) == "0001-01-01"


def test_formats_in_spanish(spanish: None) -> None:
    assert l10n.date(date(2026, 12, 5)) == "5 dic 2026"
    assert l10n.date(date(2026, 9, 5)) == "5 sept 2026"
    assert l10n.datetime(datetime(2026, 12, 5, 7, 8)) == "5 dic 2026 07:08"
    assert l10n.number(Decimal("14200.5"), 2) == "14.200,50"
    assert l10n.number(Decimal("-1200.5"), 2) == "-1.200,50"
    assert l10n.amount(Decimal("1200"), "EUR") == "1.200,00\xa0€"
    assert l10n.amount(Decimal("14200"), "EUR", whole=True) == "14.200\xa0€"
    assert l10n.amount(Decimal("1200"), "XQQ") in ("1.200,00 XQQ", "1.200,00\xa0XQQ")
    assert l10n.amount(Decimal("1200"), None) == "1.200,00"
    assert l10n.percent(Decimal("0.34")) == "34\xa0%"
    assert l10n.duration(2, 3) == "2\xa0d 03\xa0h"  # a number never parted from its unit
    assert l10n.month(date(2026, 12, 1)) == "dic"
    assert l10n.date(date(9999, 12, 31)) == "31 dic 9999"
    assert l10n.date(date(1, 1, 1)) == "1 ene 1"
