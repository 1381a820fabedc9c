"""The data file: read, check, edit, and write it without ever losing a byte.

`Store` is what the rest of clientfit uses; each concern has its own module:
- `disk`: the file's bytes, the writers' lock, settling, the atomic write;
- `read`: what the bytes mean (a cache hit, a read in part, a whole read);
- `write`: an edit made into bytes (a quick append, line splices, tomlkit), each
  proved by `verify` before the file is replaced;
- `cache`: what was learnt from a file, kept outside it.

Writers are serialised through a lock file beside the data file, and an edit is
re-applied to the file as it is on disk when it changed since it was read.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from ..i18n import _
from . import edit as edits
from .cache import Cache
from .disk import DataFile, Moved, exposed, stamp_of
from .errors import InvalidFile, StoreError
from .files import EarlyRead, digest
from .read import Reader
from .snapshot import Locator, Snapshot
from .verify import read_blocks
from .write import Writer

__all__ = ["InvalidFile", "Locator", "Snapshot", "Store", "StoreError", "exposed", "read_blocks"]

ATTEMPTS = 5
"""Tries at an edit whose file changes under it, before giving up."""


class Store:
    """One data file."""

    def __init__(self, path: str | os.PathLike[str], display: str | None = None) -> None:
        self.path = os.fspath(path)
        self.display = display or self.path
        self.file = DataFile(self.path, self.display)
        self._cache: Cache | None = None
        self._reader: Reader | None = None
        self._writer: Writer | None = None
        self._full_verify = False
        self.wrote = False
        """Whether an edit of this store's has been written to the file."""

    # -- the parts, made when first needed (a `log` may need only some) ------------------

    @property
    def cache(self) -> Cache:
        if self._cache is None:
            self._cache = Cache(self.file.target)
        return self._cache

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = Reader(self.display, self.cache)
            self._reader.full_verify = self._full_verify
        return self._reader

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            self._writer = Writer(self.file, self.cache, self.reader)
            self._writer.full_verify = self._full_verify
        return self._writer

    @property
    def full_verify(self) -> bool:
        """Read every write back whole and never read in part (for tests)."""
        return self._full_verify

    @full_verify.setter
    def full_verify(self, on: bool) -> None:
        self._full_verify = on
        if self._reader is not None:
            self._reader.full_verify = on
        if self._writer is not None:
            self._writer.full_verify = on

    @property
    def early(self) -> EarlyRead | None:
        """The file as read while the program was loading (used once, if still true)."""
        return self.file.early

    @early.setter
    def early(self, early: EarlyRead | None) -> None:
        self.file.early = early

    @property
    def target(self) -> str:
        return self.file.target

    @property
    def folder(self) -> str:
        return self.file.folder

    @property
    def lock_path(self) -> str:
        return self.file.lock_path

    # -- reading -----------------------------------------------------------------------

    def read_bytes(self) -> tuple[bytes, os.stat_result]:
        return self.file.read_bytes()

    def load(self, data: bool = True) -> Snapshot:
        """The file as it is now, checked. With `data`, its whole model too."""
        b, st = self.read_bytes()
        return self.snapshot(b, st, data)

    def snapshot(self, b: bytes, st: os.stat_result | None, data: bool = True,
                 d: str | None = None, known: Snapshot | None = None) -> Snapshot:
        """A snapshot of these bytes (see `Reader.snapshot`)."""
        return self.reader.snapshot(b, st, data, d, known)

    def parse(self, b: bytes, st: os.stat_result | None = None, d: str | None = None
              ) -> Snapshot:
        """Read the bytes in full and check them, or raise InvalidFile with every problem."""
        return self.reader.parse(b, st, d)

    def read_in_part(self, old: Snapshot, b: bytes, st: os.stat_result | None,
                     d: str) -> Snapshot | None:
        return self.reader.read_in_part(old, b, st, d)

    def read_since_known(self, b: bytes, st: os.stat_result | None, d: str, data: bool
                         ) -> Snapshot | None:
        return self.reader.read_since_known(b, st, d, data)

    def remember(self, snap: Snapshot) -> None:
        """Cache the model of a snapshot, so that the next start is quick (slow on big files)."""
        self.reader.remember(snap)

    def changed(self, snap: Snapshot) -> bool:
        """Whether the file on disk may differ from `snap` (a cheap stat, no read)."""
        return self.file.changed(snap.stamp)

    def refresh(self, snap: Snapshot) -> Snapshot | None:
        """A new snapshot when the content on disk differs from `snap`, else None: read
        where it changed when that can be proved enough (`read_in_part`), else whole."""
        b, st = self.read_bytes()
        d = digest(b)
        if d == snap.stamp.digest:
            snap.restamp(stamp_of(b, st, d))
            return None
        return self.snapshot(b, st, data=True, d=d, known=snap)

    # -- writing -----------------------------------------------------------------------

    def lock(self) -> AbstractContextManager[None]:
        """Hold the writers' lock beside the file (released by the OS if we die)."""
        return self.file.lock()

    def clean_temps(self) -> None:
        self.file.clean_temps()

    def create(self, text: str) -> None:
        """Create the file (and its folder, 0700) from a template; never over an existing one."""
        self.file.create(text)

    def verify(self, new_text: str, intended: dict[str, Any]) -> None:
        """The new text must read back as exactly the intended data, or nothing is written."""
        self.writer.verify(new_text, intended)

    def edit(self, make: Callable[[Snapshot], edits.Edit | None],
             on_base: Callable[[dict[str, Any]], None] | None = None) -> Snapshot | None:
        """Read the file under the lock, let `make` decide the edit, and apply it: one read."""
        with self.lock():
            for _ in range(ATTEMPTS):
                b, st, d = self.file.settled(self.cache)
                snap = self.snapshot(b, st, data=False, d=d)
                change = make(snap)
                if change is None:
                    return None
                try:
                    new = self.writer.apply(change, snap, st, on_base)
                except Moved:
                    continue
                self.wrote = True
                return new
        raise self._still_moving()

    def apply(self, change: edits.Edit, base: Snapshot | None = None,
              on_base: Callable[[dict[str, Any]], None] | None = None) -> Snapshot:
        """Apply one edit to the file as it is now, and write it. Returns the new snapshot.

        If the file changed on disk since `base`, the edit is re-applied to the
        fresh file; if the fresh file is invalid, nothing is written. `on_base` is
        called with the data the edit is applied to (to compute its inverse).
        """
        with self.lock():
            for _ in range(ATTEMPTS):
                b, st, d = self.file.settled(self.cache, base.stamp if base else None)
                snap = base if base is not None and d == base.stamp.digest else \
                    self.snapshot(b, st, data=base is not None and base.has_data, d=d)
                try:
                    new = self.writer.apply(change, snap, st, on_base)
                except Moved:
                    continue
                self.wrote = True
                return new
        raise self._still_moving()

    def _still_moving(self) -> StoreError:
        return StoreError(_("{path}: it keeps changing while clientfit saves (is an editor "
                            "writing it?); nothing was saved").format(path=self.display))
