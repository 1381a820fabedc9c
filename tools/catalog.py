"""Keep the Spanish catalog in step with the code (Babel's extraction).

    python tools/catalog.py update [--from OTHER.po ...]
        Extract every marked text from src/clientfit_tui (`_`, `N_`, `ngettext`) and
        argparse's own texts, then rewrite locale/es/LC_MESSAGES/clientfit.po: new texts
        come in untranslated, texts gone from the code go, translations stay. `--from`
        fills untranslated texts from other catalogs (a branch's copy, after a merge).
    python tools/catalog.py missing
        List the texts with no Spanish translation (exit 1 if there are any).
    python tools/catalog.py fill FILE.json
        Set translations from a JSON object: {"English text": "Spanish text"}, and for a
        text with a plural, {"singular": ["singular es", "plural es"]}.
    python tools/catalog.py compile
        Write the .mo beside each .po (the package's build does this too).

tests/test_i18n.py fails when the catalog is stale or a text is untranslated.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "clientfit_tui"
LOCALE = PACKAGE / "locale"
LANGS = ("es",)
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
FIXED = datetime(2026, 12, 1, tzinfo=UTC)  # the header's dates: no churn in diffs
PLURALS = {"es": "nplurals=2; plural=(n != 1);"}


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "clientfit.po"


def extracted() -> Catalog:
    """Every text marked in the package, and argparse's (it speaks through clientfit)."""
    cat = Catalog(project="clientfit", creation_date=FIXED, revision_date=FIXED,
                  fuzzy=False)
    for filename, _lineno, message, comments, context in extract_from_dir(
            str(PACKAGE), method_map=[("**.py", "python")], keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",), strip_comment_tags=True):
        cat.add(message, None, [(f"clientfit_tui/{filename}", None)],
                auto_comments=comments, context=context)
    for message in argparse_messages():
        if message not in cat:
            cat.add(message, None, [("argparse", None)])
    return cat


def argparse_messages() -> list[str | tuple[str, str]]:
    """The texts of this Python's argparse that a person can meet."""
    import argparse as ap

    src = Path(ap.__file__).read_bytes()
    out: list[str | tuple[str, str]] = []
    for _lineno, message, _comments, _context in extract(
            "python", io.BytesIO(src), keywords={"_": None, "ngettext": (1, 2)}):
        if isinstance(message, (tuple, list)):
            if len(message) == 2 and all(message):
                out.append((str(message[0]), str(message[1])))
        elif message:
            out.append(message)
    return out


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=path.parent.parent.name if path.parent.name == "LC_MESSAGES"
                       else "es")


def write(cat: Catalog, path: Path) -> None:
    buf = io.BytesIO()
    write_po(buf, cat, width=100, sort_output=True, include_lineno=False,
             ignore_obsolete=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    # no "Generated-By: Babel x.y": the catalog does not change with the tool's version
    text = b"".join(line for line in buf.getvalue().splitlines(keepends=True)
                    if not line.startswith(b'"Generated-By:'))
    path.write_bytes(text)


def update(lang: str, others: Iterable[Path] = ()) -> Catalog:
    path = po_path(lang)
    template = extracted()
    if path.exists():
        cat = read(path)
    else:
        cat = Catalog(locale=lang, project="clientfit", creation_date=FIXED, fuzzy=False)
    cat.creation_date = cat.revision_date = FIXED
    cat.update(template, no_fuzzy_matching=True, update_header_comment=False)
    cat.obsolete.clear()
    cat.fuzzy = False
    for other in others:
        theirs = read(other)
        for msg in cat:
            if not msg.id or _done(msg.string):
                continue
            there = theirs.get(msg.id, msg.context)
            if there is not None and _done(there.string) and not there.fuzzy:
                msg.string = there.string
    for msg in cat:
        msg.flags.discard("fuzzy")
    cat._num_plurals, cat._plural_expr = 2, "(n != 1)"  # Spanish
    write(cat, path)
    return cat


def _done(s: str | tuple[str, ...] | list[str]) -> bool:
    return all(s) if isinstance(s, (tuple, list)) else bool(s)


def missing(lang: str) -> list[str]:
    cat = read(po_path(lang))
    return [str(m.id) for m in cat if m.id and (not _done(m.string) or m.fuzzy)]


def compile_mo(po: Path) -> Path:
    mo = po.with_suffix(".mo")
    with po.open("rb") as f:
        cat = read_po(f)
    with mo.open("wb") as f:
        write_mo(f, cat)
    return mo


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="catalog.py", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    u = sub.add_parser("update")
    u.add_argument("--from", dest="others", type=Path, nargs="*", default=[])
    sub.add_parser("missing")
    f = sub.add_parser("fill")
    f.add_argument("json", type=Path, nargs="+")
    sub.add_parser("compile")
    a = p.parse_args(argv)
    if a.cmd == "update":
        for lang in LANGS:
            cat = update(lang, a.others)
            left = len(missing(lang))
            print(f"{po_path(lang).relative_to(ROOT)}: {len(cat)} texts, {left} untranslated")
        return 0
    if a.cmd == "fill":
        import json

        for lang in LANGS:
            cat = read(po_path(lang))
            unknown = []
            for src in a.json:
                for key, value in json.loads(src.read_text(encoding="utf-8")).items():
                    msg = cat.get(key)
                    if msg is None:
                        unknown.append(key)
                        continue
                    msg.string = tuple(value) if isinstance(value, list) else value
            write(cat, po_path(lang))
            for key in unknown:
                print(f"not in the catalog: {key!r}", file=sys.stderr)
            print(f"{po_path(lang).relative_to(ROOT)}: {len(missing(lang))} untranslated")
        return 0
    if a.cmd == "missing":
        bad = [m for lang in LANGS for m in missing(lang)]
        for m in bad:
            print(repr(m))
        return 1 if bad else 0
    for lang in LANGS:
        print(compile_mo(po_path(lang)).relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
