"""Run a command line: the app, or one command."""

from __future__ import annotations

import contextlib
import errno
import os
import sys
from typing import TYPE_CHECKING, Any

from ..store.store import InvalidFile, Store, StoreError
from .common import EXIT_BAD, EXIT_OK, UserError, resolve_store

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


class OutputError(OSError):
    """The command's output could not be written (stdout full, closed, or gone)."""


class _Out:
    """Standard output, with every failure to write it made an `OutputError`."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def _call(self, name: str, *a: Any) -> Any:
        if self._real is None:  # started with stdout closed
            raise OutputError(errno.EBADF, "standard output is closed")
        try:
            return getattr(self._real, name)(*a)
        except (OSError, ValueError) as e:
            code = getattr(e, "errno", None) or errno.EBADF
            raise OutputError(code, os.strerror(code)) from None

    def write(self, text: str) -> int:
        return int(self._call("write", text))

    def flush(self) -> None:
        self._call("flush")

    def __getattr__(self, name: str) -> Any:
        if self._real is None:
            raise OutputError(errno.EBADF, "standard output is closed")
        return getattr(self._real, name)


def main(argv: list[str] | None = None, early: EarlyRead | None = None,
         args: argparse.Namespace | None = None) -> int:
    """Run the command line `argv` (default: the process's), or `args` when it was read
    already; `early`: the data file as read while clientfit was loading (see `launch`).

    A command's output that cannot be written (stdout full, closed, or its reader
    gone) is one line on stderr and exit 1, or, once the command's write to the data
    file has landed, exit 0: what was done is done."""
    _ignore_file_size_limit()
    if args is None or not _kind_ok(args):
        args = read(sys.argv[1:] if argv is None else argv)
    if args.command is None or args.demo:
        return _main(args, early, [])
    real: Any = sys.stdout
    stores: list[Store] = []
    sys.stdout = _Out(real)
    try:
        code = _main(args, early, stores)
        sys.stdout.flush()
        return code
    except OutputError as e:
        wrote = any(getattr(s, "wrote", False) for s in stores)
        if real is not None:  # what could not be written is dropped, not tried again
            with contextlib.suppress(OSError, ValueError):
                os.dup2(os.open(os.devnull, os.O_WRONLY), real.fileno())
        if e.errno != errno.EPIPE:  # a reader that went away (`| head`) wants no more
            from ..i18n import _

            said = (_("clientfit: saved, but cannot write the output: {error}") if wrote
                    else _("clientfit: cannot write the output: {error}"))
            _say(said.format(error=e.strerror))
        return EXIT_OK if wrote else EXIT_BAD
    finally:
        sys.stdout = real


def _say(line: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(line, file=sys.stderr, flush=True)


def _main(args: argparse.Namespace, early: EarlyRead | None, stores: list[Store]) -> int:
    try:
        if args.demo:
            from ..demo import make_demo

            if args.command:
                from ..i18n import _

                raise UserError(_("--demo opens the app; it takes no command"))
            path = make_demo()
            return _run_app(Store(path, display=str(path)), demo=True)
        if args.command is None:
            store = resolve_store(args.file)
            store.read_bytes()  # a missing or unreadable file: one line, before the screen
            return _run_app(store)
        from .args import command

        module: Any = command(args.command)
        wants = getattr(module, "wants_store", None)
        if wants is not None and not wants(args):  # e.g. `merge`: its files are its own
            return int(module.run(None, args))
        store = resolve_store(args.file)
        stores.append(store)
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


def _run_app(store: Store, demo: bool = False) -> int:
    # Over a slow link the bytes of one key (an arrow is ESC [ D) can arrive apart; wait
    # longer than Textual's 100 ms before reading a lone ESC as the Escape key.
    os.environ.setdefault("ESCDELAY", "600" if os.environ.get("SSH_CONNECTION") else "300")
    from ..session import Session

    session = Session(store)
    session.start_loading()  # reading the file overlaps importing the UI
    from ..app.app import run

    return run(store, session, demo=demo)
