"""Run a command line: the app, or one command."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

from ..store.store import InvalidFile, Store, StoreError
from .common import EXIT_BAD, UserError, resolve_store

if TYPE_CHECKING:
    import argparse

    from ..store.files import EarlyRead


def _ignore_file_size_limit() -> None:
    """A file-size limit must fail the write with an error, not kill the process."""
    sig: Any
    try:  # `signal` itself spends a millisecond making enums
        sig = __import__("_signal")
    except ImportError:  # not CPython
        import signal as sig
    if hasattr(sig, "SIGXFSZ"):
        sig.signal(sig.SIGXFSZ, sig.SIG_IGN)


def read(argv: list[str]) -> argparse.Namespace:
    """The command line, read: the quick `log` reader, else the full parser (which exits
    2 with its usage for a mistake, or 0 after --help)."""
    from .args import join_relative_at, quick_log

    argv = join_relative_at(argv)
    args = quick_log(argv)
    if args is not None and _kind_ok(args):
        return args
    from .parser import build

    return build().parse_args(argv)


def _kind_ok(args: argparse.Namespace) -> bool:
    if getattr(args, "kind", None) is None:
        return True
    from ..domain.model import KIND_KEYS, KINDS

    args.kind = KIND_KEYS.get(args.kind, args.kind)
    return args.kind in KINDS


def main(argv: list[str] | None = None, early: EarlyRead | None = None,
         args: argparse.Namespace | None = None) -> int:
    """Run the command line `argv` (default: the process's), or `args` when it was read
    already; `early`: the data file as read while clientfit was loading (see `launch`)."""
    _ignore_file_size_limit()
    if args is None or not _kind_ok(args):
        args = read(sys.argv[1:] if argv is None else argv)
    try:
        if args.demo:
            from ..demo import make_demo

            if args.command:
                raise UserError("--demo opens the app; it takes no command")
            path = make_demo()
            return _run_app(Store(path, display=str(path)), demo=True)
        if args.command is None:
            store = resolve_store(args.file)
            store.read_bytes()  # a missing or unreadable file: one line, before the screen
            return _run_app(store)
        from .parser import command

        module: Any = command(args.command)
        wants = getattr(module, "wants_store", None)
        if wants is not None and not wants(args):  # e.g. `merge`: its files are its own
            return int(module.run(None, args))
        store = resolve_store(args.file)
        if early is not None and args.command == "log":
            store.early = early
        return int(module.run(store, args))
    except InvalidFile as e:
        for line in e.lines:
            print(line, file=sys.stderr)
        return EXIT_BAD
    except (StoreError, UserError) as e:
        print(f"clientfit: {e}", file=sys.stderr)
        return EXIT_BAD
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`| head`); what was done is done
        try:  # nothing more to the pipe, not even when the interpreter flushes at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_BAD


def _run_app(store: Store, demo: bool = False) -> int:
    # Over a slow link the bytes of one key (an arrow is ESC [ D) can arrive apart; wait
    # longer than Textual's 100 ms before reading a lone ESC as the Escape key.
    os.environ.setdefault("ESCDELAY", "600" if os.environ.get("SSH_CONNECTION") else "300")
    from ..session import Session

    session = Session(store)
    session.start_loading()  # reading the file overlaps importing the UI
    from ..app.app import run

    return run(store, session, demo=demo)
