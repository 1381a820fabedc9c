"""`clientfit merge`: git's merge driver for the data file, and sync tools' copies."""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
from typing import Any

from ..i18n import _, ngettext
from ..store.store import InvalidFile, Store, StoreError
from .common import EXIT_BAD, EXIT_OK, EXIT_USAGE, UserError

DRIVER = "merge %O %A %B %P"
NAME = "clientfit: merge the data, keeping every incident of both sides"


def add(sub: Any) -> None:
    p = sub.add_parser(
        "merge", help=_("merge two versions of the file (git's merge driver; sync copies)"),
        description=_(
            "Merge versions of the data file by what they mean: incidents, invoices and "
            "reviews of both sides are kept, a value changed on one side takes that change. "
            "BASE OURS THEIRS [NAME]: git's merge driver (%O %A %B %P); the result is written "
            "into OURS. --two OURS THEIRS: a copy left by a sync tool, merged into OURS. A "
            "value changed two different ways is a conflict: both values are kept between "
            "markers, and the exit is 1. --setup: set the driver up for the git repository the "
            "data file is in."))
    p.add_argument("files", nargs="*", metavar=_("FILE"),
                   help=_("BASE OURS THEIRS [NAME], or with --two OURS THEIRS"))
    how = p.add_mutually_exclusive_group()
    how.add_argument("--two", action="store_true",
                     help=_("merge two copies without a common version (sync tools)"))
    how.add_argument("--setup", action="store_true",
                     help=_("write the .gitattributes line and the git config for the driver"))


def wants_store(args: argparse.Namespace) -> bool:
    """Only --setup is about the data file; a merge reads the files it is given."""
    return bool(args.setup)


def run(store: Store | None, args: argparse.Namespace) -> int:
    files: list[str] = args.files
    if args.setup:
        if files:
            return _usage(_("--setup takes no files"))
        assert store is not None
        return setup(store)
    if args.two:
        if len(files) != 2:
            return _usage(_("--two takes OURS and THEIRS"))
        return _merge(None, files[0], files[1], files[0], in_use=True)
    if len(files) not in (3, 4):
        return _usage(_("give BASE OURS THEIRS (and the name to report), or --two OURS "
                        "THEIRS"))
    return _merge(files[0], files[1], files[2], files[3] if len(files) == 4 else files[1],
                  in_use=False)


def _usage(why: str) -> int:
    print(_("{prog}: error: {message}").format(prog="clientfit merge", message=why),
          file=sys.stderr)
    return EXIT_USAGE


def _merge(base: str | None, ours: str, theirs: str, display: str, in_use: bool) -> int:
    from ..store import mergefile, tomlfmt

    try:
        was = mergefile.read_bytes(ours) if in_use else None
        merged = mergefile.merge(base, ours, theirs, display)
        if merged.changed:
            mergefile.write(ours, merged.content, was)
    except (InvalidFile, StoreError) as e:
        lines = e.lines if isinstance(e, InvalidFile) else [str(e)]
        for line in lines:
            print(line if isinstance(e, InvalidFile) else f"clientfit: {line}", file=sys.stderr)
        if base is not None:
            _as_text(base, ours, theirs)
        return EXIT_BAD
    for at, c in merged.conflicts:
        print(f"{display}:{at}: {c.name}: " + _("ours {ours}, theirs {theirs}").format(
            ours=tomlfmt.value(c.ours), theirs=tomlfmt.value(c.theirs)), file=sys.stderr)
    if merged.conflicts:
        n = len(merged.conflicts)
        print(ngettext("clientfit: {n} conflict left between <<<<<<< and >>>>>>> in {file}: "
                       "keep the right value, delete the marker lines",
                       "clientfit: {n} conflicts left between <<<<<<< and >>>>>>> in {file}: "
                       "keep the right value, delete the marker lines", n).format(
                           n=n, file=display), file=sys.stderr)
        return EXIT_BAD
    if in_use:
        said = (_("merged {theirs} into {ours}; {theirs} can now be deleted") if merged.changed
                else _("merged {theirs} into {ours}: nothing new; {theirs} can now be deleted"))
        print(said.format(theirs=theirs, ours=ours))
    return EXIT_OK


def _as_text(base: str, ours: str, theirs: str) -> None:
    """A version clientfit cannot read: leave git's line merge in OURS, markers and all."""
    git = shutil.which("git")
    if git is None:
        return
    done = subprocess.run([git, "merge-file", "-L", "ours", "-L", "base", "-L", "theirs",
                           ours, base, theirs], capture_output=True, check=False)
    if 0 <= done.returncode < 128:
        print(_("clientfit: merged line by line instead; check the file before committing"),
              file=sys.stderr)


def _git(folder: str, *args: str) -> str:
    done = subprocess.run(["git", "-C", folder, *args], capture_output=True, text=True,
                          check=False)
    if done.returncode != 0:
        raise UserError(f"git {' '.join(args)}: {done.stderr.strip() or _('failed')}")
    return done.stdout.strip()


def _command() -> str:
    """How git should run this clientfit: the command itself when it is a file, else
    through the Python that runs it now."""
    me = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    if os.path.basename(me) == "clientfit" and os.access(me, os.X_OK):
        return shlex.quote(me)
    return shlex.join([sys.executable, "-m", "clientfit_tui"])


def setup(store: Store) -> int:
    """Set git up to merge the data file with `clientfit merge`."""
    if shutil.which("git") is None:
        raise UserError(_("git is not installed"))
    target = store.target
    folder = os.path.dirname(target)
    try:
        top = _git(folder, "rev-parse", "--show-toplevel")
    except UserError:
        raise UserError(_("{file} is not in a git repository; see the README's \"Several "
                          "machines\" for the lines to add by hand").format(
                              file=store.display)) from None
    rel = os.path.relpath(target, os.path.realpath(top)).replace(os.sep, "/")
    pattern = "/" + rel
    if any(ch in pattern for ch in " \t\"\\"):
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    line = f"{pattern} merge=clientfit"
    attributes = os.path.join(top, ".gitattributes")
    try:
        with open(attributes, encoding="utf-8") as f:
            have = f.read()
    except FileNotFoundError:
        have = ""
    if line not in have.splitlines():
        with open(attributes, "a", encoding="utf-8") as f:
            f.write(("\n" if have and not have.endswith("\n") else "") + line + "\n")
        print(f"{attributes}: " + _("added: {line}").format(line=line))
    else:
        print(f"{attributes}: " + _("has: {line}").format(line=line))
    driver = f"{_command()} {DRIVER}"
    _git(top, "config", "merge.clientfit.name", NAME)
    _git(top, "config", "merge.clientfit.driver", driver)
    print(f"git config merge.clientfit.name {shlex.quote(NAME)}")
    print(f"git config merge.clientfit.driver {shlex.quote(driver)}")
    _exclude_lock(top, store)
    print(_("Commit .gitattributes; run `clientfit merge --setup` once in each clone "
            "(git config is not shared)."))
    return EXIT_OK


def _exclude_lock(top: str, store: Store) -> None:
    """The writers' lock file beside the data file is not for git."""
    rel = "/" + os.path.relpath(store.lock_path, os.path.realpath(top)).replace(os.sep, "/")
    info = _git(top, "rev-parse", "--git-path", "info/exclude")
    path = info if os.path.isabs(info) else os.path.join(top, info)
    try:
        with open(path, encoding="utf-8") as f:
            have = f.read()
    except FileNotFoundError:
        have = ""
    if rel not in have.splitlines():
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "a", encoding="utf-8") as f:
            f.write(("\n" if have and not have.endswith("\n") else "") + rel + "\n")
