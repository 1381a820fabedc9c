"""Merging data files: read the versions, apply the merge's edits to a private copy of
OURS through the store (each write verified), mark the conflicts, and write the
result over OURS atomically."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..i18n import _
from .edit import Many
from .merge import Conflict, DropClient, SetTop, plan
from .store import Locator, Snapshot, Store, StoreError


@dataclass
class Merged:
    """The outcome of a merge."""

    content: bytes
    """The merged file (OURS's bytes when nothing changed)."""
    conflicts: list[tuple[int, Conflict]]
    """Each conflict, with the line of its first marker."""
    changed: bool


@contextlib.contextmanager
def _no_cache() -> Iterator[None]:
    """The versions merged are temporary files: nothing of them goes to the cache."""
    old = os.environ.get("CLIENTFIT_NO_CACHE")
    os.environ["CLIENTFIT_NO_CACHE"] = "1"
    try:
        yield
    finally:
        if old is None:
            del os.environ["CLIENTFIT_NO_CACHE"]
        else:
            os.environ["CLIENTFIT_NO_CACHE"] = old


def read_bytes(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise StoreError(_("{path}: cannot read: {why}").format(path=path, why=e.strerror or e)) \
            from None


def read(path: str) -> dict[str, Any]:
    """What one version means, as `tomllib` reads it (only the version edited, OURS, is
    checked as clientfit data); a version that cannot be read: one line per problem."""
    b = read_bytes(path)
    try:
        raw: dict[str, Any] = tomllib.loads(b.decode("utf-8").removeprefix("\ufeff"))
        return raw
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError):
        Store(path).parse(b)  # raises InvalidFile with where and what
        raise


def merge(base: str | None, ours: str, theirs: str, display: str | None = None) -> Merged:
    """Merge THEIRS (and BASE, their common ancestor; None for two copies without one)
    into OURS's text. OURS itself is not written here (see `write`)."""
    display = display or ours
    with _no_cache():
        theirs_raw = read(theirs)
        base_raw = None if base is None else read(base)  # empty: added on both sides
        folder = tempfile.mkdtemp(prefix="clientfit-merge-")
        try:
            copy = os.path.join(folder, "clients.toml")
            with open(copy, "wb") as f:
                f.write(read_bytes(ours))
            store = Store(copy, display)
            snap = store.load()
            work = plan(base_raw, snap.raw, theirs_raw)
            if work.empty:
                return Merged(snap.blob, [], False)
            rounds = [r for r in work.rounds if r]
            for n, edits in enumerate(rounds):
                snap = store.apply(Many(edits), base=snap)
                if n + 1 < len(rounds) or any(isinstance(e, SetTop | DropClient) for e in edits):
                    snap = store.load()  # checked whole: settings and all
            if not work.conflicts:
                return Merged(snap.blob, [], True)
            return _marked(snap, work.conflicts)
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def _marked(snap: Snapshot, conflicts: list[Conflict]) -> Merged:
    from .markers import mark

    loc = Locator(snap.text, snap.index)
    found: list[tuple[tuple[int, int], list[str], Any]] = []
    for c in conflicts:
        last = max((i for i, p in enumerate(c.path) if isinstance(p, int)), default=-1)
        found.append((loc.find(c.path), [str(p) for p in c.path[last + 1:]], c.theirs))
    text, lines = mark(snap.text, snap.nl, found)
    blob = (("\ufeff" if snap.bom else "") + text).encode("utf-8")
    return Merged(blob, sorted(zip(lines, conflicts, strict=True), key=lambda x: x[0]), True)


def write(path: str, content: bytes, was: bytes | None = None) -> None:
    """Replace the file atomically with `content` (temp file in its folder, fsync,
    rename), keeping its mode. With `was` (a data file in use): under the writers' lock,
    and refused when the file no longer holds those bytes (someone wrote it meanwhile).
    Without it (git's temporary file), no lock file is made beside it."""
    store = Store(path)
    with store.lock() if was is not None else contextlib.nullcontext():
        if was is not None and store.read_bytes()[0] != was:
            raise StoreError(_("{path}: changed while it was being merged; nothing was "
                               "written; run the merge again").format(path=path))
        target = store.target
        folder = os.path.dirname(target)
        mode = os.stat(target).st_mode & 0o7777
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.clientfit-",
                                   suffix=".tmp", dir=folder)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(content)
                f.flush()
                os.fchmod(f.fileno(), mode)
                os.fsync(f.fileno())
            os.replace(tmp, target)
        except OSError as e:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise StoreError(_("{path}: not written: {why}; the file is unchanged").format(
                path=path, why=e.strerror)) from None
        dfd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)

