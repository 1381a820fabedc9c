"""The full argparse parser, built from the command modules.

A command is one module of this package with `add(sub)`, which adds its
subparser, and `run(store, args) -> int`; a command that does not work on the
data file also has `wants_store(args) -> bool` (then `run` gets None). To add
one, write the module and add its name to `COMMANDS`. Tab completion (`complete`)
reads commands, options and choices from this parser: a positional or option named
`client` completes client ids, one named `file` (or with a PATH or FILE metavar) paths.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from ..i18n import _, ngettext
from .common import EXIT_USAGE

# argparse's own words ("usage:", "options", its errors) come from our catalog too
# (tools/catalog.py extracts them): it looks `_` and `ngettext` up in its module at
# each use.
argparse._ = _  # type: ignore[attr-defined]
argparse.ngettext = ngettext  # type: ignore[attr-defined]

COMMANDS = ("log", "add", "check", "status", "decide", "pareto", "whatif", "due", "script",
            "report", "export", "import", "merge", "completion")
"""Each command's module name, in the order `--help` lists them."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("{prog}: error: {message}").format(prog=self.prog,
                                                                  message=message) + "\n")


from .args import command  # noqa: E402  (one place that names a command's module)


def build() -> Parser:
    from .version import VersionAction

    p = Parser(prog="clientfit", description=_("Decide calmly, on evidence, whether to end a "
               "client relationship, then end it professionally. With no command, opens the "
               "app."))
    p.add_argument("--file", metavar=_("PATH"), help=_("the data file (default: $CLIENTFIT_FILE, "
                   "else $XDG_DATA_HOME/clientfit/clients.toml)"))
    p.add_argument("--demo", action="store_true",
                   help=_("open the app on a temporary copy of the bundled sample"))
    p.add_argument("--version", action=VersionAction,
                   help=_("show the versions of clientfit, Python, Textual and tomlkit, and "
                          "exit"))
    sub = p.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=Parser)
    for name in COMMANDS:
        command(name).add(sub)  # type: ignore[attr-defined]
    return p
