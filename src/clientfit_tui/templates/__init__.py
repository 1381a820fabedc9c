"""The templates of `clientfit script`: the shipped defaults, and the user's own copies,
in the reader's language.

Shipped: `meeting.txt` and `confirmation.txt` here are English (the code's language);
`es/meeting.txt` and `es/confirmation.txt` are Spanish, with the same placeholders.

The user's own copies live in `$XDG_CONFIG_HOME/clientfit/templates/` (default
`~/.config/...`), and a user's copy always wins over a shipped one. For template NAME
read in language LANG, the first that exists is used:

1. `templates/LANG/NAME.txt`: the user's copy for that language;
2. `templates/NAME.txt`: the user's copy for any language (where copies were always
   kept; a user with one set of templates keeps it whatever the language);
3. the shipped NAME.txt of LANG (English when clientfit has none in LANG).

`install` copies the shipped defaults of the reader's language where step 1 or 2
looks for them: English into `templates/`, Spanish into `templates/es/` (never over a
copy already there).
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from ..i18n import LANGUAGES, _, language

NAMES = ("meeting", "confirmation")
"""The templates, in the order `clientfit script` prints them."""


def user_dir() -> Path:
    """Where the user's templates live."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "clientfit" / "templates"


def default(name: str, lang: str | None = None) -> str:
    """The shipped text of template `name` in `lang` (default: the reader's language;
    English where there is none in it)."""
    lang = lang or language()
    root = resources.files(__package__)
    if lang != LANGUAGES[0]:
        mine = root.joinpath(lang, f"{name}.txt")
        if mine.is_file():
            return mine.read_text(encoding="utf-8")
    return root.joinpath(f"{name}.txt").read_text(encoding="utf-8")


def _own(name: str, lang: str) -> Path | None:
    """The user's copy of template `name` for `lang` (see the module's text), if any."""
    folder = user_dir()
    for p in (folder / lang / f"{name}.txt", folder / f"{name}.txt"):
        if p.is_file():
            return p
    return None


def _install_dir(lang: str) -> Path:
    """Where `install` puts the copies of `lang`."""
    folder = user_dir()
    return folder if lang == LANGUAGES[0] else folder / lang


def load(name: str) -> tuple[str, str]:
    """The text of template `name` in the reader's language and where it comes from: the
    user's copy when there is one (see the module's text), else the shipped default.
    OSError or UnicodeDecodeError when the copy is unreadable."""
    lang = language()
    mine = _own(name, lang)
    if mine is not None:
        return mine.read_text(encoding="utf-8"), str(mine)
    if lang == LANGUAGES[0]:
        return default(name, lang), f"(default {name}.txt)"
    return default(name, lang), f"(default {lang}/{name}.txt)"


def install() -> list[tuple[Path, bool]]:
    """Copy the defaults of the reader's language where `load` finds the user's copies
    (`user_dir()` for English, its `es/` for Spanish), never over a copy already there;
    each path and whether it was written."""
    lang = language()
    folder = _install_dir(lang)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in NAMES:
        p = folder / f"{name}.txt"
        written = False
        if not p.exists():
            p.write_text(default(name, lang), encoding="utf-8")
            written = True
        out.append((p, written))
    return out


def texts(vals: dict[str, str]) -> list[tuple[str, str]]:
    """Each template filled with `vals`, by name. TemplateError (with the template's path
    and line) for an unknown placeholder; OSError or UnicodeDecodeError, said with the
    path, as TemplateError too."""
    from ..domain.script import TemplateError, render

    out = []
    for name in NAMES:
        path = _own(name, language()) or user_dir() / f"{name}.txt"
        try:
            text, where = load(name)
        except UnicodeDecodeError:
            raise TemplateError(_("{path}: not UTF-8 text").format(path=path)) from None
        except OSError as e:
            raise TemplateError(_("{path}: cannot read: {why}").format(path=path,
                                                                         why=e.strerror)) from None
        out.append((name, render(text, vals, where)))
    return out


def whole(vals: dict[str, str]) -> str:
    """Every template filled, one after the other."""
    return "\n\n".join(text.rstrip("\n") for _name, text in texts(vals)) + "\n"
