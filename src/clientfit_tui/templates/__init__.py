"""The templates of `clientfit script`: the shipped defaults, and the user's own copies.

A template in `$XDG_CONFIG_HOME/clientfit/templates/` (default `~/.config/...`) replaces
the shipped one of the same name; `install` copies the defaults there to be edited.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

NAMES = ("meeting", "confirmation")
"""The templates, in the order `clientfit script` prints them."""


def user_dir() -> Path:
    """Where the user's templates live."""
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "clientfit" / "templates"


def default(name: str) -> str:
    """The shipped text of template `name`."""
    return resources.files(__package__).joinpath(f"{name}.txt").read_text(encoding="utf-8")


def load(name: str) -> tuple[str, str]:
    """The text of template `name` and where it comes from: the user's copy when there is
    one, else the shipped default. OSError or UnicodeDecodeError when the copy is unreadable."""
    mine = user_dir() / f"{name}.txt"
    if mine.is_file():
        return mine.read_text(encoding="utf-8"), str(mine)
    return default(name), f"(default {name}.txt)"


def install() -> list[tuple[Path, bool]]:
    """Copy the defaults into `user_dir()`, never over a copy already there; each path and
    whether it was written."""
    folder = user_dir()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for name in NAMES:
        p = folder / f"{name}.txt"
        written = False
        if not p.exists():
            p.write_text(default(name), encoding="utf-8")
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
        try:
            text, where = load(name)
        except UnicodeDecodeError:
            raise TemplateError(f"{user_dir() / name}.txt: not UTF-8 text") from None
        except OSError as e:
            raise TemplateError(f"{user_dir() / name}.txt: cannot read: {e.strerror}") from None
        out.append((name, render(text, vals, where)))
    return out


def whole(vals: dict[str, str]) -> str:
    """Every template filled, one after the other."""
    return "\n\n".join(text.rstrip("\n") for _, text in texts(vals)) + "\n"
