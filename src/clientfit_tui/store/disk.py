"""The data file on disk: where it is, reading it, the writers' lock, waiting for it to
settle, and replacing it atomically. What it means is for `read` and `write`."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import time
from collections.abc import Iterator

from ..i18n import _
from .cache import Cache
from .errors import StoreError
from .files import (
    Digesting,
    EarlyRead,
    NotAFile,
    digest,
    fsync_dir,
    kind_of,
    lock_path,
    read_regular,
    write_all,
)
from .snapshot import Stamp

LOCK_TIMEOUT = 10.0
SETTLE_LIMIT = 5.0


def settle_seconds() -> float:
    """A file someone else changed less than this long ago may still be being written
    (1 s; `CLIENTFIT_SETTLE` changes it, which the tests do to run quickly)."""
    try:
        return max(0.0, float(os.environ.get("CLIENTFIT_SETTLE", "1.0")))
    except ValueError:
        return 1.0


def stamp_of(b: bytes, st: os.stat_result | None, d: str | None = None) -> Stamp:
    """What identifies these bytes, read with this stat (None: not read from disk)."""
    d = d or digest(b)
    if st is None:
        return Stamp(len(b), 0, 0, 0, d)
    return Stamp(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, d, st.st_ctime_ns)


def same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_size, a.st_mtime_ns, a.st_ctime_ns, a.st_ino, a.st_dev) == (
        b.st_size, b.st_mtime_ns, b.st_ctime_ns, b.st_ino, b.st_dev)


class Moved(Exception):
    """The file changed between reading it and replacing it."""


class DataFile:
    """One data file's bytes on disk, and the lock its writers share."""

    def __init__(self, path: str, display: str) -> None:
        self.path = path
        self.display = display
        self.early: EarlyRead | None = None
        """The file as read while the program was loading (used once, if still true)."""

    @property
    def target(self) -> str:
        """The file itself: a symlink is written through to what it points at."""
        return os.path.realpath(self.path)

    @property
    def folder(self) -> str:
        return os.path.dirname(self.target)

    @property
    def lock_path(self) -> str:
        return lock_path(self.target)

    def _temp_prefix(self) -> str:
        return f".{os.path.basename(self.target)}.clientfit-"

    # -- reading -----------------------------------------------------------------------

    def read_bytes(self) -> tuple[bytes, os.stat_result]:
        try:
            return read_regular(self.target)
        except OSError as e:
            raise self._unreadable(e) from None

    def _unreadable(self, e: OSError) -> StoreError:
        """Why the file cannot be read, in one line."""
        if isinstance(e, NotAFile):
            return StoreError(f"{self.display}: {str(e).rpartition(': ')[2]}")
        if isinstance(e, FileNotFoundError):
            return StoreError(_("{path}: no such file").format(path=self.display))
        if isinstance(e, IsADirectoryError):
            return StoreError(_("{path}: is a folder, not a file").format(path=self.display))
        return StoreError(_("{path}: cannot read: {why}").format(path=self.display,
                                                                why=e.strerror or e))

    def check_regular(self) -> None:
        """A path that is no regular file (a device, a pipe, a symlink loop) is refused
        before anything is read, locked or written beside it."""
        try:
            st = os.stat(self.target)
        except OSError as e:
            raise self._unreadable(e) from None
        if not stat.S_ISREG(st.st_mode):
            raise StoreError(f"{self.display}: {kind_of(st.st_mode)}")

    def changed(self, stamp: Stamp) -> bool:
        """Whether the file on disk may differ from the version `stamp` (a stat, no read)."""
        try:
            st = os.stat(self.target)
        except OSError:
            return True
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev) != (
            stamp.size, stamp.mtime_ns, stamp.ctime_ns, stamp.ino, stamp.dev)

    def settled(self, cache: Cache, base: Stamp | None = None
                ) -> tuple[bytes, os.stat_result, str]:
        """Read the file; if someone else changed it less than SETTLE seconds ago, wait
        until it has been quiet that long, so that a file an editor is still writing
        (valid, but half of it) is never the base of an edit. A version clientfit wrote
        itself is known by its digest and not waited for. Returns the bytes, their
        stat and their digest."""
        b, st, d = self._first_read(cache)
        if base is not None and (st.st_size, st.st_mtime_ns, st.st_ctime_ns) == (
                base.size, base.mtime_ns, base.ctime_ns):
            return b, st, d
        settle = settle_seconds()
        if time.time() - st.st_mtime >= settle or cache.known(d):
            return b, st, d
        deadline = time.monotonic() + SETTLE_LIMIT
        while time.time() - st.st_mtime < settle and time.monotonic() < deadline:
            time.sleep(0.05)
            b, st = self.read_bytes()
        return b, st, digest(b)

    def _first_read(self, cache: Cache) -> tuple[bytes, os.stat_result, str]:
        """The file's bytes, stat and digest, read under the lock: early when the lock was
        taken early (see `EarlyRead`), else now (and hashed now, unless it was early)."""
        early, self.early = self.early, None
        if early is not None and early.wait().target == self.target:
            cache.preload(early.blobs)
            if early.adopted and early.file is not None and early.stat is not None:
                return early.file, early.stat, early.digest
        b, st = self.read_bytes()
        if early is not None and early.target == self.target and early.file == b:
            return b, st, early.digest
        return b, st, digest(b)

    # -- writing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the writers' lock beside the file (released by the OS if we die)."""
        fd = self.early.adopt_lock(self.lock_path) if self.early is not None else None
        if fd is not None:
            try:
                yield
            finally:
                os.close(fd)
            return
        self.check_regular()  # no lock file beside a file that is not there (or no file)
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise StoreError(_("{path}: cannot write in {folder}: {why}").format(
                path=self.display, folder=self.folder, why=e.strerror)) from None
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(_("{path}: another clientfit is still writing it; "
                                           "try again").format(path=self.display)) from None
                    time.sleep(0.005)
            yield
        finally:
            os.close(fd)

    def clean_temps(self) -> None:
        """Remove temp files left by a write that was killed (call with the lock held)."""
        prefix = self._temp_prefix()
        folder = self.folder
        try:
            names = os.listdir(folder)
        except OSError:
            return
        for name in names:
            if name.startswith(prefix) and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))

    def write(self, parts: tuple[bytes | memoryview, ...], st: os.stat_result | None,
              check: os.stat_result | None = None) -> str:
        """Atomically replace the file: temp file in the same folder, fsync, rename, fsync.
        Raises `Moved` when the file is no longer the one `check` describes. Returns
        the digest of what was written (worked out meanwhile)."""
        hashing = Digesting(parts)
        target = self.target
        folder = os.path.dirname(target)
        mode = (st.st_mode & 0o7777) if st is not None else 0o600
        tmp = os.path.join(folder, f"{self._temp_prefix()}{os.getpid()}-{os.urandom(6).hex()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as e:
            raise StoreError(_("{path}: cannot write in {folder}: {why}").format(
                path=self.display, folder=folder, why=e.strerror)) from None
        try:
            try:
                write_all(fd, parts)
                os.fchmod(fd, mode)
                if st is not None and os.geteuid() == 0:
                    with contextlib.suppress(OSError):
                        os.fchown(fd, st.st_uid, st.st_gid)
                os.fsync(fd)
            finally:
                os.close(fd)
            if check is not None and not same_file(os.stat(target), check):
                os.unlink(tmp)
                raise Moved()
            os.replace(tmp, target)
        except OSError as e:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            why = _("the disk is full") if e.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) \
                else (e.strerror or str(e))
            raise StoreError(_("{path}: not saved: {why}; the file is unchanged").format(
                path=self.display, why=why)) from None
        fsync_dir(folder)
        return hashing.result()

    def stamp_now(self, d: str) -> Stamp:
        """The stamp of the version just written (`d`: its digest)."""
        st = os.stat(self.target)
        return Stamp(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, d, st.st_ctime_ns)

    def create(self, text: str) -> None:
        """Create the file (and its folder, 0700) from a template; never over an existing one."""
        folder = os.path.dirname(os.path.abspath(self.path))
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        except OSError as e:
            raise StoreError(_("{path}: cannot create: {why}").format(path=self.display,
                                                                    why=e.strerror)) from None
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        fsync_dir(folder)


def exposed(path: str | os.PathLike[str]) -> str | None:
    """A warning when the data file can be read or written by other users."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except OSError:
        return None
    if mode & 0o077:
        return _("warning: {path} can be read by other users (mode {mode}); "
                 "`chmod 600 {path}` keeps your notes private").format(path=path,
                                                                       mode=f"{mode:04o}")
    return None
