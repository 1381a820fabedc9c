"""`clientfit completion bash|zsh|fish`: print the shell's tab completion script.

The scripts (in the package's `shell/` folder) ask `clientfit __complete` for
candidates (see `complete`), so they stay right as commands are added.
"""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import N_, _
from .common import EXIT_OK


def wants_store(args: argparse.Namespace) -> bool:
    """No data file is looked for, or created."""
    return False


WHERE = {
    "bash": N_('eval "$(clientfit completion bash)" in ~/.bashrc'),
    "zsh": N_('eval "$(clientfit completion zsh)" in ~/.zshrc, after compinit'),
    "fish": "clientfit completion fish > ~/.config/fish/completions/clientfit.fish",
}


def add(sub: Any) -> None:
    p = sub.add_parser("completion", help=_("print a shell's tab completion script"),
                       description=_("Print the tab completion script for a shell. It completes "
                                     "commands, options, client ids (from the data file) and "
                                     "kinds.") + " "
                       + "; ".join(f"{shell}: {_(how)}" for shell, how in WHERE.items()) + ".")
    p.add_argument("shell", choices=tuple(WHERE), help=_("the shell"))


def script(shell: str) -> str:
    """The completion script for `shell`, as bundled in the package."""
    from importlib.resources import files

    return (files("clientfit_tui") / "shell" / f"clientfit.{shell}").read_text(encoding="utf-8")


def run(store: None, args: argparse.Namespace) -> int:
    print(script(args.shell), end="")
    return EXIT_OK
