"""The reader's language: English or Spanish, and the words in it.

Every sentence a person reads is written in English in the code, wrapped in `_()`
(or `ngettext()` when it depends on a number), and looked up in the Spanish catalog
(`locale/es/LC_MESSAGES/clientfit.po`, compiled to `.mo` when the package is built).

- `_("text")` at the moment the text is shown, never at import: the language can
  change in a process (the tests show the app in both).
- `N_("text")` marks a text kept in a constant, for `_()` to translate where it is
  shown: `_(CONSTANT)`.
- Placeholders are named and filled with `str.format` after translating:
  `_("ends on {day}").format(day=...)`, so a translation may move them.

The language comes from the environment the way GNU gettext reads it: the locale is
`LC_ALL`, else `LC_MESSAGES`, else `LANG`; when it is unset, "C" or "POSIX" (in any
encoding), everything is English and `LANGUAGE` is not consulted. Otherwise the first
language of `LANGUAGE` (a colon-separated list) that clientfit speaks wins, else the
locale's own. No system locale needs to exist: nothing here calls `locale.setlocale`.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "clientfit"
LANGUAGES = ("en", "es")
"""What clientfit speaks; the first is the code's own."""
LOCALE_DIR = Path(__file__).parent / "locale"


def language_from(env: Mapping[str, str]) -> str:
    """The language of an environment (see the module's text)."""
    locale = next((env[v] for v in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(v)), "")
    if _code(locale) in ("", "c", "posix"):
        return LANGUAGES[0]
    for name in [*env.get("LANGUAGE", "").split(":"), locale]:
        code = _code(name)
        if code in LANGUAGES:
            return code
    return LANGUAGES[0]


def _code(name: str) -> str:
    """'es' of 'es_ES.UTF-8@euro', 'es-MX', 'ES'; 'c' of 'C.UTF-8'."""
    return name.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].strip().lower()


class _State:
    lang: str | None = None
    tr: _gettext.NullTranslations | None = None


_state = _State()


def language() -> str:
    """The language in use: set by `set_language`, else read from the environment once."""
    if _state.lang is None:
        set_language(language_from(os.environ))
    assert _state.lang is not None
    return _state.lang


def set_language(lang: str | None) -> None:
    """Speak `lang` ("en" or "es") from now on; None: read the environment again."""
    if lang is None:
        lang = language_from(os.environ)
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _state.lang = lang
    _state.tr = None if lang == LANGUAGES[0] else translations(lang)


def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalog of `lang`: the `.mo` built with the package; in a source
    tree where the `.po` is newer than it (or it was never built), the `.po` itself,
    compiled in memory with Babel."""
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    mo, po = folder / f"{DOMAIN}.mo", folder / f"{DOMAIN}.po"
    try:
        mo_time = mo.stat().st_mtime
    except OSError:
        mo_time = None
    try:
        po_time = po.stat().st_mtime
    except OSError:
        po_time = None
    if mo_time is not None and (po_time is None or po_time <= mo_time):
        with mo.open("rb") as f:
            return _gettext.GNUTranslations(f)
    if po_time is None:
        return _gettext.NullTranslations()
    return _compile(po)


def _compile(po: Path) -> _gettext.NullTranslations:
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as f:
        catalog = read_po(f)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return _gettext.GNUTranslations(buf)


def _(message: str) -> str:
    """`message` in the reader's language."""
    if _state.lang is None:
        language()
    tr = _state.tr
    return message if tr is None else tr.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of `singular`/`plural` for `n`, in the reader's language."""
    if _state.lang is None:
        language()
    tr = _state.tr
    if tr is None:
        return singular if n == 1 else plural
    return tr.ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Marks a text to translate later, where it is shown (`_(CONSTANT)`)."""
    return message
