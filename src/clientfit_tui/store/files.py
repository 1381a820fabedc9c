"""The data file's lowest level: where its lock is, the digests of its contents, and
its first reads.

Digests are BLAKE2b, from the interpreter's own module (loading OpenSSL for
`hashlib` costs more than hashing a typical file), worked out on another core
where there is something else to do meanwhile. Nothing here loads more than the
interpreter's own modules: `launch` uses it before the rest of clientfit loads.
"""

from __future__ import annotations

import os
import stat

from ..i18n import _

try:
    from _blake2 import blake2b
except ImportError:  # not CPython
    from hashlib import blake2b


def lock_path(target: str) -> str:
    """The writers' lock file of a data file: beside it, hidden."""
    return os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.lock")


def digest(*parts: bytes | memoryview) -> str:
    """The digest of the bytes `parts` make in order."""
    h = blake2b(digest_size=32)
    for p in parts:
        h.update(p)
    return h.hexdigest()


def key(text: str) -> str:
    """A short digest of a name (for cache file names)."""
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()


def write_all(fd: int, parts: tuple[bytes | memoryview, ...]) -> None:
    """Write the pieces in order, in as few calls as the system allows."""
    views = [memoryview(p) for p in parts if len(p)]
    while views:
        n = os.writev(fd, views[:512])
        while n:
            if n >= len(views[0]):
                n -= len(views.pop(0))
            else:
                views[0] = views[0][n:]
                n = 0


def fsync_dir(folder: str) -> None:
    """Make a rename in `folder` durable (where the system allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class _Aside:
    """Work done on another thread meanwhile (reading and hashing let go of the
    interpreter's lock); done when waited for if no thread could be had. A subclass
    sets up its fields first, then starts the work with `super().__init__()`."""

    def __init__(self) -> None:
        import _thread

        self._done = _thread.allocate_lock()
        self._done.acquire()
        self._started = True
        try:
            _thread.start_new_thread(self._aside, ())
        except RuntimeError:
            self._started = False
            self._done.release()

    def _aside(self) -> None:
        try:
            self._work()
        finally:
            self._done.release()

    def _work(self) -> None:
        raise NotImplementedError

    def _wait(self) -> None:
        with self._done:
            if not self._started:
                self._started = True
                self._work()


class Digesting(_Aside):
    """The digest of some bytes, worked out meanwhile, e.g. while the same bytes are
    written and synced."""

    def __init__(self, parts: tuple[bytes | memoryview, ...]) -> None:
        self._parts = parts
        self._value = ""
        super().__init__()

    def _work(self) -> None:
        self._value = digest(*self._parts)

    def result(self) -> str:
        self._wait()
        return self._value


class EarlyRead(_Aside):
    """A `log`'s first reads, made while the program is still loading (imports hold the
    interpreter's lock): the writers' lock taken, then the data file read and hashed,
    and its cache entries read. The store adopts the lock, and with it the bytes read
    under it; without the lock it reads the file again, and takes only the digest of
    the same bytes."""

    def __init__(self, target: str, lock: str, extra: tuple[str, ...] = ()) -> None:
        self.target = target
        self.lock = lock
        self._extra = extra
        self.lock_fd: int | None = None
        """The lock file, locked (None: not taken early)."""
        self.adopted = False
        self.file: bytes | None = None
        self.stat: os.stat_result | None = None
        self.digest = ""
        self.blobs: dict[str, bytes | None] = {}
        super().__init__()

    def _work(self) -> None:
        self._lock()
        for path in self._extra:
            self.blobs[path] = _read(path, entry=True)[0]
        self.file, self.stat = _read(self.target)
        if self.file is not None:
            self.digest = digest(self.file)

    def _lock(self) -> None:
        try:  # nothing to lock (or no file to read): the store says so
            if not stat.S_ISREG(os.stat(self.target).st_mode):
                return
        except OSError:
            return
        try:
            import fcntl

            fd = os.open(self.lock, os.O_RDWR | os.O_CREAT, 0o600)
        except (ImportError, OSError):
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # held by another writer: the store waits for it
            os.close(fd)
            return
        self.lock_fd = fd

    def wait(self) -> EarlyRead:
        self._wait()
        return self

    def adopt_lock(self, path: str) -> int | None:
        """The locked lock file, if it is `path`'s: from now on the caller's to close."""
        self.wait()
        fd, self.lock_fd = self.lock_fd, None
        if fd is not None and path != self.lock:
            os.close(fd)
            return None
        self.adopted = fd is not None
        return fd


class NotAFile(OSError):
    """A path that is there but is no regular file (a device, a pipe, a folder)."""


def open_regular(path: str, entry: bool = False) -> tuple[int, os.stat_result]:
    """Open `path` to read, and its stat: only a regular file (after symlinks; a device
    or a pipe could be read without end, or block), without blocking on a pipe. An
    `entry` (of the cache) must be no symlink itself, and be the user's own."""
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if entry:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise NotAFile(f"{path}: {kind_of(st.st_mode)}")
        if entry and hasattr(os, "geteuid") and st.st_uid != os.geteuid():
            raise NotAFile(_("{path}: not the user's own").format(path=path))
        return fd, st
    except BaseException:
        os.close(fd)
        raise


def kind_of(mode: int) -> str:
    """What a path that is not a regular file is, in words."""
    if stat.S_ISDIR(mode):
        return _("is a folder, not a file")
    if stat.S_ISFIFO(mode):
        return _("is a pipe, not a file")
    if stat.S_ISSOCK(mode):
        return _("is a socket, not a file")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return _("is a device, not a file")
    return _("is not a regular file")


def read_regular(path: str, entry: bool = False) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file and their stat (see `open_regular`)."""
    fd, st = open_regular(path, entry)
    with open(fd, "rb") as f:
        return f.read(), st


def _read(path: str, entry: bool = False) -> tuple[bytes | None, os.stat_result | None]:
    try:
        return read_regular(path, entry)
    except OSError:
        return None, None
