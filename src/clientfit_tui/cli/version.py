"""`clientfit --version`: clientfit's version and those of what it runs on.

Read from the installed packages' metadata: nothing is imported to learn it.
"""

from __future__ import annotations

import argparse
import platform
from collections.abc import Sequence
from typing import Any

from .. import __version__

LIBRARIES = (("Textual", "textual"), ("tomlkit", "tomlkit"), ("python-dateutil", "python-dateutil"))
"""What is named, and the distribution it is installed as."""


def describe() -> str:
    """`clientfit 0.1.0 (Python 3.11.7, Textual 8.2.8, tomlkit 0.15.2, ...)`."""
    from importlib import metadata

    def of(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            from ..i18n import _

            return _("not installed")

    parts = [f"{platform.python_implementation()} {platform.python_version()}"]
    parts += [f"{name} {of(dist)}" for name, dist in LIBRARIES]
    return f"clientfit {__version__} ({', '.join(parts)})"


class VersionAction(argparse.Action):
    """`--version`: print `describe()` and exit 0 (worked out only when asked for)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: Any = argparse.SUPPRESS, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        print(describe())
        parser.exit()
