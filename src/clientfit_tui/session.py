"""What the app holds open: the file, its latest good snapshot, and the undo history.

Textual-free, so the app's behaviour (undo, reload, read-only on a broken file)
is tested without a screen.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .domain import dates
from .i18n import _
from .store import edit
from .store.store import InvalidFile, Snapshot, Store, StoreError

UNDO_DEPTH = 50


@dataclass(frozen=True, slots=True)
class Done:
    """One change made in the app, and how to take it back."""

    label: str
    inverse: edit.Edit


class ReadOnly(StoreError):
    """The file on disk has errors: nothing is written until it is fixed."""


class Session:
    def __init__(self, store: Store) -> None:
        self.store = store
        self.snap: Snapshot | None = None
        """The latest good version of the file."""
        self.problems: list[str] = []
        """The errors of the file on disk, when it is broken (the app is read-only then)."""
        self.history: list[Done] = []
        self.lock = threading.RLock()
        """Held while the file is read or written: the poll and the writer run on threads
        of their own, and each changes what the session holds."""
        self._loader: threading.Thread | None = None
        self._load_error: StoreError | None = None

    # -- reading ---------------------------------------------------------------------

    def load(self) -> Snapshot:
        with self.lock:
            return self._load()

    def _load(self) -> Snapshot:
        try:
            self.snap = self.store.load()
            self.problems = []
        except InvalidFile as e:
            self.problems = e.lines
            raise
        return self.snap

    def start_loading(self) -> None:
        """Begin reading the file in a thread, so that it overlaps the UI's own start."""

        def load() -> None:
            try:
                self.load()
            except StoreError as e:
                self._load_error = e
            except Exception as e:  # reported where the load is awaited
                self._load_error = StoreError(f"{self.store.display}: {type(e).__name__}")

        self._load_error = None
        self._loader = threading.Thread(target=load, name="clientfit-load", daemon=True)
        self._loader.start()

    def finish_loading(self) -> None:
        """Wait for the load begun by `start_loading` (or load now); raise what it raised."""
        loader = self._loader
        if loader is None:
            self.load()
            return
        loader.join()
        self._loader = None
        if self._load_error is not None:
            raise self._load_error

    def remember(self) -> None:
        """Cache the model of what was loaded, for a quick next start (call off the UI)."""
        if self.snap is not None:
            self.store.remember(self.snap)

    def poll(self) -> str:
        """Check the file on disk: 'same', 'reloaded' or 'invalid'."""
        with self.lock:
            return self._poll()

    def _poll(self) -> str:
        if self.snap is not None and not self.store.changed(self.snap) and not self.problems:
            return "same"
        try:
            if self.snap is None:
                self._load()
                return "reloaded"
            fresh = self.store.refresh(self.snap)
        except InvalidFile as e:
            changed = e.lines != self.problems
            self.problems = e.lines
            return "invalid" if changed else "same"
        except StoreError as e:
            changed = [str(e)] != self.problems
            self.problems = [str(e)]
            return "invalid" if changed else "same"
        was_broken = bool(self.problems)
        self.problems = []
        if fresh is None:
            return "reloaded" if was_broken else "same"
        self.snap = fresh
        return "reloaded"

    @property
    def read_only(self) -> bool:
        return bool(self.problems)

    def now(self) -> datetime:
        try:
            return dates.now(self.snap.data.settings.tz if self.snap else dates.zone(None))
        except ValueError:  # a bad CLIENTFIT_NOW: the app keeps to the clock
            return datetime.now(UTC)

    # -- writing ---------------------------------------------------------------------

    def apply(self, change: edit.Edit, label: str) -> Snapshot:
        """Write one change (re-applied on the file as it is now) and remember its inverse."""
        with self.lock:
            return self._apply(change, label)

    def _apply(self, change: edit.Edit, label: str) -> Snapshot:
        if self.read_only:
            raise ReadOnly(_("the file has errors: fix them first (e opens it); nothing was saved"))
        assert self.snap is not None
        undo: list[edit.Edit] = []

        def remember(raw: dict[str, Any]) -> None:
            if not isinstance(change, edit.AddClient):  # a new client is removed in the file
                undo.append(change.inverse(raw))

        try:
            new = self.store.apply(change, self.snap, on_base=remember)
        except InvalidFile as e:
            self.problems = e.lines
            raise ReadOnly(_("the file changed on disk and now has errors; nothing was saved")) \
                from None
        self.snap = new
        if undo:
            self.history.append(Done(label, undo[-1]))  # of the attempt that was written
            del self.history[:-UNDO_DEPTH]
        return new

    def undo(self) -> str | None:
        """Take back the latest change; its label, or None when there is nothing to undo."""
        with self.lock:
            return self._undo()

    def _undo(self) -> str | None:
        if not self.history:
            return None
        if self.read_only:
            raise ReadOnly(_("the file has errors: fix them first (e opens it)"))
        done = self.history[-1]
        assert self.snap is not None
        self.snap = self.store.apply(done.inverse, self.snap)
        self.history.pop()
        return done.label

