"""A cache of what was learnt from a file, keyed by the file's content, outside the file.

It lives in `$XDG_CACHE_HOME/clientfit/` (default `~/.cache/clientfit/`). Every
entry names the digest of the exact bytes it describes, and is used only when
the file on disk has that digest: the file is always the truth. Entries:

- `KEY.index`: the header index of a valid file, and each client's latest
  incident (what `log` needs). It starts with the digest, so that "is this the
  content clientfit last read or wrote?" is a small read;
- `KEY.steps`: insertions made since `KEY.index` (an incident logged), each
  with the digest before and after: a few hundred bytes each, where writing the
  index whole means megabytes on a big file;
- `KEY.text`: the bytes of the version `KEY.index` describes, so that a version
  edited by hand can be read where it changed (with the steps, the last version
  clientfit knew is rebuilt exactly, and checked by its digest);
- `KEY.data`: the model of a valid file (what the app needs);
- `KEY.journal`: clients changed by writes since `KEY.data` was made, each with
  the digest before and after, so a model can be brought up to date cheaply.

Only files that passed validation are ever cached. Any unreadable, foreign,
damaged or stale entry is ignored (a miss):
- each entry (and each step of `.steps` and `.journal`) ends with a checksum of
  its own bytes;
- entries name the layout of what they hold: `fingerprint.FORMAT` (how entries
  are laid out) and a fingerprint of the fields of the cached types, so that
  a changed model or index never loads old values into the wrong fields; and the
  version of clientfit and Python and the local time zone (times without an
  offset are read in it).
What the index says is also checked against the file's bytes before a quick
write builds on it (`verify.append_target`).
"""

from __future__ import annotations

import marshal
import os
from binascii import crc32
from stat import S_ISDIR

from .files import key as name_key, open_regular, read_regular

_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_APPEND = os.O_WRONLY | os.O_CREAT | os.O_APPEND | _NOFOLLOW

TYPE_CHECKING = False  # the cache is read before `typing` is loaded (see `launch`)
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any, BinaryIO

JOURNAL_LIMIT = 64
_MAGIC = b"clientfit-index\n"
_TEXT = b"clientfit-text\n"
_SUM = 4
"""Bytes of the checksum that ends each entry and each step."""


def sealed(body: bytes) -> bytes:
    """An entry: its bytes, then their checksum."""
    return body + crc32(body).to_bytes(_SUM, "big")


def opened(blob: bytes | memoryview) -> memoryview | None:
    """An entry's bytes, when its checksum says they are the ones written; else None."""
    view = memoryview(blob)
    if len(view) < _SUM or crc32(view[:-_SUM]) != int.from_bytes(view[-_SUM:], "big"):
        return None
    return view[:-_SUM]


def _record(body: bytes) -> bytes:
    """One step of an append-only entry: its length, its checksum, its bytes."""
    return len(body).to_bytes(4, "big") + crc32(body).to_bytes(_SUM, "big") + body


def _records(blob: bytes | None) -> Iterator[memoryview]:
    """The steps of an append-only entry, up to the first torn or damaged one."""
    if blob is None:
        return
    view = memoryview(blob)
    i = 0
    while i + 4 + _SUM <= len(view):
        n = int.from_bytes(view[i : i + 4], "big")
        body = view[i + 4 + _SUM : i + 4 + _SUM + n]
        if len(body) != n or crc32(body) != int.from_bytes(view[i + 4 : i + 4 + _SUM], "big"):
            return
        yield body
        i += 4 + _SUM + n


class _Summing:
    """A file that keeps the checksum of what is written to it."""

    def __init__(self, f: BinaryIO) -> None:
        self.f = f
        self.sum = 0

    def write(self, b: bytes) -> int:
        self.sum = crc32(b, self.sum)
        return self.f.write(b)


def folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "clientfit")


def disabled() -> bool:
    """No cache: asked for (`CLIENTFIT_NO_CACHE`), or its folder cannot be trusted."""
    return os.environ.get("CLIENTFIT_NO_CACHE", "") not in ("", "0") or not trusted()


def trusted(path: str | None = None) -> bool:
    """Whether the cache folder may be used: its entries are loaded as code would be
    (pickles), so it must be the user's own and writable by nobody else. A folder
    that is not there is made (0700); one of the user's own that others could write
    is tightened to 0700; anyone else's is not used (the run goes without a cache)."""
    path = path or folder()
    try:
        st = os.stat(path)
    except FileNotFoundError:
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
            st = os.stat(path)
        except OSError:
            return False
    except OSError:
        return False
    if not S_ISDIR(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
        return False
    if st.st_mode & 0o077:
        try:
            os.chmod(path, 0o700)
        except OSError:
            return False
    return True


class Cache:
    """The cache entries of one data file."""

    def __init__(self, target: str) -> None:
        key = name_key(target)
        self.folder = folder()
        self.base = os.path.join(self.folder, key)
        self._versions: dict[str, str] = {}
        self._early: dict[str, bytes | None] = {}

    @property
    def version(self) -> str:
        """What `.index` and `.steps` entries must name (worked out when first needed:
        `launch` reads entries before the types are loaded)."""
        if "index" not in self._versions:
            from .fingerprint import index_types, version

            self._versions["index"] = version(index_types())
        return self._versions["index"]

    @property
    def model_version(self) -> str:
        """What `.data` and `.journal` entries must name."""
        if "model" not in self._versions:
            from .fingerprint import model_types, version

            self._versions["model"] = version(model_types())
        return self._versions["model"]

    def preload(self, blobs: dict[str, bytes | None]) -> None:
        """Entries read early (see `EarlyRead`), by path: used once, and read again if
        they do not lead to the version asked for."""
        self._early = dict(blobs)

    def path(self, kind: str) -> str:
        return f"{self.base}.{kind}"

    def _load(self, kind: str) -> bytes | None:
        if disabled():
            return None
        path = self.path(kind)
        if path in self._early:
            return self._early.pop(path)
        try:
            return read_regular(path, entry=True)[0]
        except OSError:
            return None

    def _store(self, kind: str, blob: bytes | Callable[[BinaryIO], None]) -> None:
        """Write an entry (bytes, or written by a function into a file) whole or not at
        all: a temp file renamed over it; no fsync: a torn or lost entry is only a miss."""
        if disabled():
            return
        path = self.path(kind)
        tmp = f"{path}.{os.getpid()}.tmp"
        try:
            os.makedirs(self.folder, mode=0o700, exist_ok=True)
            _unlink(tmp)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
            with open(fd, "wb") as f:
                if isinstance(blob, bytes):
                    f.write(blob)
                else:
                    blob(f)
            os.replace(tmp, path)
        except Exception:  # a cache that cannot be written is no cache, not an error
            _unlink(tmp)

    # -- the index -------------------------------------------------------------------

    def index(self, digest: str) -> tuple[Any, Any, list[Any]] | None:
        """What is stored for `digest`: the index columns and latest-incident table of
        a base version, and the steps (insertions) that lead from it to `digest`."""
        early = bool(self._early)
        got = self._index(digest)
        if got is None and early:  # read early, and changed since: read it now
            self._early = {}
            got = self._index(digest)
        return got

    def _index(self, digest: str) -> tuple[Any, Any, list[Any]] | None:
        base = self._base()
        if base is None:
            return None
        at, columns, latest = base
        if at == digest:
            return columns, latest, []
        chain = []
        for step in self._steps():
            if step[0] == at:
                chain.append(step)
                at = step[1]
                if at == digest:
                    return columns, latest, chain
        return None

    def _base(self) -> tuple[str, Any, Any] | None:
        """The digest, index columns and latest-incident table stored whole."""
        blob = self._load("index")
        body = opened(blob) if blob is not None else None
        if body is None or not blob.startswith(_MAGIC):  # type: ignore[union-attr]
            return None
        head = blob.find(b"\n", len(_MAGIC))  # type: ignore[union-attr]
        try:
            v, columns, latest = marshal.loads(body[head + 1:])
        except (ValueError, EOFError, TypeError):
            return None
        if v != self.version or not isinstance(latest, dict):
            return None
        return bytes(body[len(_MAGIC):head]).decode("ascii", "replace"), columns, latest

    def last_known(self) -> tuple[bytes, Any, Any, list[Any], str] | None:
        """The version clientfit last knew of this file, to read a new version against
        (an edit made by hand): the bytes, index columns and latest-incident table of
        the version stored whole, the steps since, and the digest they lead to."""
        base = self._base()
        blob = self._load("text")
        text = opened(blob) if blob is not None else None
        if base is None or text is None:
            return None
        at, columns, latest = base
        head = _TEXT + at.encode() + b"\n"
        if text[:len(head)] != head:
            return None
        chain = []
        for step in self._steps():
            if step[0] == at:
                chain.append(step)
                at = step[1]
        return bytes(text[len(head):]), columns, latest, chain, at

    def put_index(self, digest: str, columns: Any, latest: Any, content: bytes | None = None
                  ) -> None:
        """Store the index of version `digest` whole (and forget the steps); with
        `content`, that version's bytes too (a copy, to read a later hand edit against)."""
        if disabled():
            return
        if content is not None:
            self._store("text", lambda f: _write_sealed(f, _TEXT + digest.encode() + b"\n",
                                                        content))
        head = _MAGIC + digest.encode() + b"\n"
        self._store("index", sealed(head + marshal.dumps((self.version, columns, latest), 4)))
        _unlink(self.path("steps"))

    def put_step(self, before: str, after: str, step: tuple[Any, ...]) -> None:
        """Record that version `after` is version `before` with one insertion: a few
        hundred bytes appended, where storing the index whole means megabytes."""
        if disabled():
            return
        blob = marshal.dumps((self.version, before, after, tuple(step)), 4)
        try:
            fd = os.open(self.path("steps"), _APPEND, 0o600)
            try:
                os.write(fd, _record(blob))  # one write: whole or torn
            finally:
                os.close(fd)
        except OSError:
            pass

    def _steps(self) -> list[tuple[str, str, Any]]:
        out: list[tuple[str, str, Any]] = []
        for body in _records(self._load("steps")):
            try:
                v, before, after, step = marshal.loads(body)
            except (ValueError, EOFError, TypeError):
                break
            if v == self.version:
                out.append((before, after, step))
        return out

    def known(self, digest: str) -> bool:
        """Whether clientfit itself read or wrote exactly this content last (a small read)."""
        if disabled():
            return False
        head = _MAGIC + digest.encode() + b"\n"
        try:
            fd, _ = open_regular(self.path("index"), entry=True)
            with open(fd, "rb") as f:
                if f.read(len(head)) == head:
                    return True
        except OSError:
            return False
        steps = self._steps()
        return bool(steps) and steps[-1][1] == digest

    # -- the model, and the journal of changes since it was made ---------------------

    def data(self, digest: str, build: Callable[[Any, dict[str, Any]], Any]) -> tuple[Any, int]:
        """The model for `digest` (the cached one, made by `build` from its head and
        items, brought up to date by the journal), and how many journal steps that
        took; (None, 0) when the cache cannot tell."""
        import io
        import pickle

        blob = self._load("data")
        body = opened(blob) if blob is not None else None
        if body is None:
            return None, 0
        try:
            f = io.BytesIO(body)
            entry = pickle.load(f)
            if not (isinstance(entry, dict) and entry.get("v") == self.model_version):
                return None, 0
            items = {}
            for _ in range(entry["items"]):
                k, v = pickle.load(f)
                items[k] = v
            data = build(entry["head"], items)
        except Exception:  # a torn or foreign entry is just a miss
            return None, 0
        at = entry["digest"]
        if at == digest:
            return data, 0
        steps = 0
        for step in self._journal():
            if step.get("from") != at:
                continue
            data = step["apply"](data)
            at = step["to"]
            steps += 1
            if at == digest:
                return data, steps
        return None, 0

    def put_data(self, digest: str, head: Any, items: dict[str, Any]) -> None:
        """Store a model as its head and its items, each pickled on its own: a pickler
        remembers every object it wrote, which for a whole big file would cost tens of
        megabytes at once."""
        if disabled():
            return
        import pickle

        def write(f: BinaryIO) -> None:
            out = _Summing(f)
            pickle.dump({"v": self.model_version, "digest": digest, "head": head,
                         "items": len(items)}, out, protocol=pickle.HIGHEST_PROTOCOL)
            for pair in items.items():
                pickle.dump(pair, out, protocol=pickle.HIGHEST_PROTOCOL)
            f.write(out.sum.to_bytes(_SUM, "big"))

        self._store("data", write)
        _unlink(self.path("journal"))

    def _journal(self) -> list[dict[str, Any]]:
        import pickle

        out: list[dict[str, Any]] = []
        for body in _records(self._load("journal")):
            try:
                step = pickle.loads(body)
            except Exception:  # a foreign step
                return out
            if isinstance(step, dict) and step.get("v") == self.model_version:
                out.append(step)
        return out

    def note(self, before: str, after: str, apply: Any) -> None:
        """Record a write: `apply` turns the model at `before` into the model at `after`.

        Only worth it when there is a model to bring up to date."""
        if disabled() or not os.path.exists(self.path("data")):
            return
        import pickle

        path = self.path("journal")
        try:
            if os.path.exists(path) and os.path.getsize(path) > JOURNAL_LIMIT * 64 * 1024:
                _unlink(path)  # too long to be worth replaying: the next start rebuilds
            blob = pickle.dumps({"v": self.model_version, "from": before, "to": after,
                                 "apply": apply}, protocol=pickle.HIGHEST_PROTOCOL)
            fd = os.open(path, _APPEND, 0o600)
            with os.fdopen(fd, "ab") as f:
                f.write(_record(blob))
        except (OSError, pickle.PicklingError):
            pass


def _write_sealed(f: BinaryIO, head: bytes, body: bytes) -> None:
    """Write an entry of two parts and its checksum, without joining them (a big file)."""
    f.write(head)
    f.write(body)
    f.write(crc32(body, crc32(head)).to_bytes(_SUM, "big"))


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
