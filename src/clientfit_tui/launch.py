"""The `clientfit` command's first steps, with as little imported as can be.

A `log` starts reading and hashing its data file (and reading the cache) on
another core while the rest of clientfit loads. A command that has finished,
its output flushed and every file it wrote closed, exits at once: tearing the
interpreter down would only cost time. The app exits the usual way.
"""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # `typing` costs milliseconds: the early read starts before it
if TYPE_CHECKING:
    from typing import NoReturn

    from .store.files import EarlyRead


def default_path() -> str:
    """$XDG_DATA_HOME/clientfit/clients.toml."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                           "share")
    return os.path.join(base, "clientfit", "clients.toml")


def data_file(argv: list[str]) -> str | None:
    """The file a `log` command line names (--file, $CLIENTFIT_FILE, the default), or None
    for any other command line. A guess made before the arguments are read properly:
    a wrong one costs only the early read."""
    if "log" not in argv:
        return None
    chosen = leading_file(argv)[0] or os.environ.get("CLIENTFIT_FILE") or default_path()
    return os.path.realpath(os.path.expanduser(chosen))


def leading_file(argv: list[str]) -> tuple[str | None, list[str]]:
    """A leading `--file PATH` (or `--file=PATH`), and the arguments after it."""
    if argv[:1] == ["--file"] and len(argv) > 1:
        return argv[1], argv[2:]
    if argv and argv[0].startswith("--file="):
        return argv[0][7:], argv[1:]
    return None, list(argv)


def read_early(argv: list[str]) -> EarlyRead | None:
    target = data_file(argv)
    if target is None:
        return None
    from .store.cache import Cache, disabled
    from .store.files import EarlyRead, lock_path

    cache = Cache(target)
    return EarlyRead(target, lock_path(target),
                     () if disabled() else (cache.path("index"), cache.path("steps")))


def entry() -> NoReturn:
    # A command line command makes few objects that could hold each other in a cycle,
    # and ends soon: the collector only costs it time (a tenth of loading clientfit).
    # The app turns it back on.
    gc.disable()
    argv = sys.argv[1:]
    early = read_early(argv)
    from . import cli

    code = cli.main(argv, early)
    if cli.finished:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except OSError:  # a closed pipe: what was printed is lost either way
            code = code or cli.EXIT_BAD
        os._exit(code)
    sys.exit(code)
