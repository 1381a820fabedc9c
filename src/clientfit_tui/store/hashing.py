"""Digests of file contents: BLAKE2b, from the interpreter's own module (loading
OpenSSL for `hashlib` costs more than hashing a typical file), and worked out on
another core where there is something else to do meanwhile."""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # not CPython
    from hashlib import blake2b


def digest(*parts: bytes | memoryview) -> str:
    """The digest of the bytes `parts` make in order."""
    h = blake2b(digest_size=32)
    for p in parts:
        h.update(p)
    return h.hexdigest()


def key(text: str) -> str:
    """A short digest of a name (for cache file names)."""
    return blake2b(text.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()


class Digesting:
    """The digest of some bytes, worked out on another core meanwhile (hashing lets
    go of the interpreter's lock), e.g. while the same bytes are written and synced."""

    def __init__(self, parts: tuple[bytes | memoryview, ...]) -> None:
        import _thread

        self._parts = parts
        self._value: str | None = None
        self._done = _thread.allocate_lock()
        self._done.acquire()
        try:
            _thread.start_new_thread(self._run, ())
        except RuntimeError:  # no thread to be had: work it out when asked
            self._done.release()

    def _run(self) -> None:
        try:
            self._value = digest(*self._parts)
        finally:
            self._done.release()

    def result(self) -> str:
        with self._done:
            if self._value is None:
                self._value = digest(*self._parts)
            return self._value


class EarlyRead:
    """A data file and its cache entries read, and the file hashed, on another thread
    while the program is still loading (imports hold the interpreter's lock; reading
    and hashing mostly do not). Nothing read early is trusted: the store reads the
    file again under its lock, and takes the digest only if the bytes are the same."""

    def __init__(self, target: str, extra: tuple[str, ...] = ()) -> None:
        import _thread

        self.target = target
        self._extra = extra
        self.file: bytes | None = None
        self.digest = ""
        self.blobs: dict[str, bytes | None] = {}
        self._done = _thread.allocate_lock()
        self._done.acquire()
        try:
            _thread.start_new_thread(self._run, ())
        except RuntimeError:
            self._done.release()

    def _run(self) -> None:
        try:
            for path in self._extra:
                self.blobs[path] = _read(path)
            self.file = _read(self.target)
            if self.file is not None:
                self.digest = digest(self.file)
        finally:
            self._done.release()

    def wait(self) -> EarlyRead:
        with self._done:
            return self


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return None
