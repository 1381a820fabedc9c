"""The command line, read once, with as little imported as can be.

A `log` command line is read here without argparse (logging is the hot path,
and its data file is read early on another core while the rest of clientfit
loads); anything else, help and errors included, goes to the full parser.
"""

from __future__ import annotations

import os
import re
from types import SimpleNamespace

TYPE_CHECKING = False  # `typing` costs milliseconds on the hot path
if TYPE_CHECKING:
    import argparse

_RELATIVE_AT = re.compile(r"-(?:\d+(?:[.,]\d+)?\s*[mhdw]\s*)+", re.I)
_LOG_OPTIONS = ("--kind", "--severity", "--minutes", "--at")


def default_path() -> str:
    """$XDG_DATA_HOME/clientfit/clients.toml."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                           "share")
    return os.path.join(base, "clientfit", "clients.toml")


def chosen_file(file: str | None) -> str | None:
    """The file named by --file, else by $CLIENTFIT_FILE (None: the default). An empty
    --file is a mistake (ValueError); an empty $CLIENTFIT_FILE is as if
    it were not set, as with the XDG variables."""
    if file == "":
        from ..i18n import _

        raise ValueError(_("--file: the path is empty"))
    return file or os.environ.get("CLIENTFIT_FILE") or None


def leading_file(argv: list[str]) -> tuple[str | None, list[str]]:
    """A leading `--file PATH` (or `--file=PATH`), and the arguments after it."""
    if argv[:1] == ["--file"] and len(argv) > 1:
        return argv[1], argv[2:]
    if argv and argv[0].startswith("--file="):
        return argv[0][7:], argv[1:]
    return None, list(argv)


def join_relative_at(argv: list[str]) -> list[str]:
    """`--at -3h` reads as an option to argparse; make it `--at=-3h`."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] == "--at" and i + 1 < len(argv) and _RELATIVE_AT.fullmatch(argv[i + 1]):
            out.append(f"--at={argv[i + 1]}")
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


def minutes(text: str) -> float | int:
    """Minutes as typed (argparse reports a ValueError's message)."""
    from ..domain.values import read_minutes

    return read_minutes(text)


def quick_log(argv: list[str]) -> argparse.Namespace | None:
    """`[--file PATH] log CLIENT NOTE... [--kind K] [--severity N] [--minutes M] [--at WHEN]`,
    read without building the whole parser; None for anything else (or anything odd),
    which the full parser then reads, errors and help included. The note is every word
    after the client that is not an option (options may come before or after it).
    `--kind` is checked by the command, which sends an unknown kind back to the full
    parser."""
    file, args = leading_file(argv)
    if file == "":  # a mistake: said by the store's resolver, with no early read
        return None
    if len(args) < 3 or args[0] != "log" or args[1].startswith("-"):
        return None
    ns = SimpleNamespace(file=file, demo=False, command="log", client=args[1], note="",
                         kind=None, severity=1, minutes=None, at="now")
    words: list[str] = []
    rest = args[2:]
    while rest:
        if not rest[0].startswith("-") or rest[0] == "-":
            words.append(rest[0])
            rest = rest[1:]
            continue
        opt, _, value = rest[0].partition("=")
        if opt not in _LOG_OPTIONS:
            return None
        if not value:
            if len(rest) < 2:
                return None
            value, rest = rest[1], rest[2:]
        else:
            rest = rest[1:]
        try:
            if opt == "--severity":
                ns.severity = int(value)
                if ns.severity not in (1, 2, 3):
                    return None
            elif opt == "--minutes":
                ns.minutes = minutes(value)
            else:
                setattr(ns, opt[2:], value)
        except ValueError:
            return None
    if not words:
        return None
    ns.note = " ".join(words)
    return ns  # type: ignore[return-value]


def command(name: str) -> object:
    """The module of command `name` (see `parser.COMMANDS`), imported when it runs."""
    import importlib

    module = "import_" if name == "import" else name  # `import` is a keyword
    return importlib.import_module(f"{__package__}.{module}")


def log_target(quick: argparse.Namespace | None) -> str | None:
    """The real path of the file a `log` command line writes, or None for any other."""
    if quick is None:
        return None
    return os.path.realpath(os.path.expanduser(chosen_file(quick.file) or default_path()))
