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

Only files that passed validation are ever cached. Any unreadable, foreign or
stale entry is ignored. Entries also name the version of clientfit and Python
and the local time zone (times without an offset are read in it), and are
ignored when any of those differ.
"""

from __future__ import annotations

import marshal
import os
import sys
import time

from .. import __version__
from .files import key as name_key

TYPE_CHECKING = False  # the cache is read before `typing` is loaded (see `launch`)
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, BinaryIO

JOURNAL_LIMIT = 64
_MAGIC = b"clientfit-index\n"
_TEXT = b"clientfit-text\n"


def version() -> str:
    """What an entry must have been written under to be read."""
    zone = f"{os.environ.get('TZ', '')}|{'/'.join(time.tzname)}|{time.timezone}|{time.altzone}"
    return f"{__version__}/7/{sys.version_info[0]}.{sys.version_info[1]}/{sys.byteorder}/{zone}"


def folder() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "clientfit")


def disabled() -> bool:
    return os.environ.get("CLIENTFIT_NO_CACHE", "") not in ("", "0")


class Cache:
    """The cache entries of one data file."""

    def __init__(self, target: str) -> None:
        key = name_key(target)
        self.folder = folder()
        self.base = os.path.join(self.folder, key)
        self.version = version()
        self._early: dict[str, bytes | None] = {}

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
            with open(self.path(kind), "rb") as f:
                return f.read()
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
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
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
        if blob is None or not blob.startswith(_MAGIC):
            return None
        head = blob.find(b"\n", len(_MAGIC))
        try:
            v, columns, latest = marshal.loads(memoryview(blob)[head + 1:])
        except (ValueError, EOFError, TypeError):
            return None
        if v != self.version:
            return None
        return blob[len(_MAGIC):head].decode("ascii", "replace"), columns, latest

    def last_known(self) -> tuple[bytes, Any, Any, list[Any], str] | None:
        """The version clientfit last knew of this file, to read a new version against
        (an edit made by hand): the bytes, index columns and latest-incident table of
        the version stored whole, the steps since, and the digest they lead to."""
        base = self._base()
        text = self._load("text")
        if base is None or text is None:
            return None
        at, columns, latest = base
        head = _TEXT + at.encode() + b"\n"
        if not text.startswith(head):
            return None
        chain = []
        for step in self._steps():
            if step[0] == at:
                chain.append(step)
                at = step[1]
        return text[len(head):], columns, latest, chain, at

    def put_index(self, digest: str, columns: Any, latest: Any, content: bytes | None = None
                  ) -> None:
        """Store the index of version `digest` whole (and forget the steps); with
        `content`, that version's bytes too (a copy, to read a later hand edit against)."""
        if content is not None:
            self._store("text", _TEXT + digest.encode() + b"\n" + content)
        head = _MAGIC + digest.encode() + b"\n"
        self._store("index", head + marshal.dumps((self.version, columns, latest), 4))
        _unlink(self.path("steps"))

    def put_step(self, before: str, after: str, step: tuple[Any, ...]) -> None:
        """Record that version `after` is version `before` with one insertion: a few
        hundred bytes appended, where storing the index whole means megabytes."""
        if disabled():
            return
        blob = marshal.dumps((self.version, before, after, step), 4)
        try:
            fd = os.open(self.path("steps"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                os.write(fd, len(blob).to_bytes(4, "big") + blob)  # one write: whole or torn
            finally:
                os.close(fd)
        except OSError:
            pass

    def _steps(self) -> list[tuple[str, str, Any]]:
        blob = self._load("steps")
        out: list[tuple[str, str, Any]] = []
        i = 0
        while blob is not None and i + 4 <= len(blob):
            n = int.from_bytes(blob[i : i + 4], "big")
            try:
                v, before, after, step = marshal.loads(blob[i + 4 : i + 4 + n])
            except (ValueError, EOFError, TypeError):
                break  # a torn last step
            if v == self.version:
                out.append((before, after, step))
            i += 4 + n
        return out

    def known(self, digest: str) -> bool:
        """Whether clientfit itself read or wrote exactly this content last (a small read)."""
        if disabled():
            return False
        head = _MAGIC + digest.encode() + b"\n"
        try:
            with open(self.path("index"), "rb") as f:
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
        if blob is None:
            return None, 0
        try:
            f = io.BytesIO(blob)
            entry = pickle.load(f)
            if not (isinstance(entry, dict) and entry.get("v") == self.version):
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
        import pickle

        def write(f: BinaryIO) -> None:
            pickle.dump({"v": self.version, "digest": digest, "head": head,
                         "items": len(items)}, f, protocol=pickle.HIGHEST_PROTOCOL)
            for pair in items.items():
                pickle.dump(pair, f, protocol=pickle.HIGHEST_PROTOCOL)

        self._store("data", write)
        _unlink(self.path("journal"))

    def _journal(self) -> list[dict[str, Any]]:
        import pickle

        blob = self._load("journal")
        out: list[dict[str, Any]] = []
        if blob is None:
            return out
        import io

        f = io.BytesIO(blob)
        while True:
            try:
                step = pickle.load(f)
            except Exception:  # the end, or a torn last step
                return out
            if isinstance(step, dict) and step.get("v") == self.version:
                out.append(step)

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
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "ab") as f:
                f.write(pickle.dumps({"v": self.version, "from": before, "to": after,
                                      "apply": apply}, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError):
            pass


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
