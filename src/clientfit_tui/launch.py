"""The `clientfit` command's first steps, with as little imported as can be.

The command line is read once, here (`cli.args`). An actual `log` starts reading
and hashing its data file (and reading the cache) on another core while the
rest of clientfit loads. A command that has finished, its output flushed and
every file it wrote closed, exits at once: tearing the interpreter down would
only cost time. The app exits the usual way.
"""

from __future__ import annotations

import gc
import os
import sys

TYPE_CHECKING = False  # `typing` costs milliseconds: the early read starts before it
if TYPE_CHECKING:
    from typing import NoReturn

    from .store.files import EarlyRead


def read_early(target: str | None) -> EarlyRead | None:
    """Start reading the file a `log` writes (`target`; None: not a `log`)."""
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
    if sys.argv[1:2] == ["__complete"]:  # the shell's tab completion (see cli.complete)
        from .cli.complete import main as complete

        os._exit(complete(sys.argv[2:]))
    from .cli.args import join_relative_at, log_target, quick_log

    quick = quick_log(join_relative_at(sys.argv[1:]))
    early = read_early(log_target(quick))
    from .cli.main import main, read

    args = quick if quick is not None else read(sys.argv[1:])
    code = main(early=early, args=args)
    if args.command is not None:
        for out in (sys.stdout, sys.stderr):  # `main` has said what could not be written
            try:
                if out is not None:
                    out.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    sys.exit(code)
