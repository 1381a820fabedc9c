"""A cache of what was learnt from a file, keyed by the file's content, outside the file.

It lives in `$XDG_CACHE_HOME/clientfit/` (default `~/.cache/clientfit/`). Every
entry names the digest of the exact bytes it describes, and is used only when
the file on disk has that digest: the file is always the truth. Entries:

- `KEY.index`: the header index of a valid file (what `log` needs);
- `KEY.data`: the model of a valid file (what the app needs);
- `KEY.journal`: clients changed by writes since `KEY.data` was made, each with
  the digest before and after, so a model can be brought up to date cheaply.

Only files that passed validation are ever cached. Any unreadable, foreign or
stale entry is ignored.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from .. import __version__

VERSION = f"{__version__}/2/{sys.version_info[0]}.{sys.version_info[1]}"
"""Entries written by another version of clientfit or Python are not read."""
JOURNAL_LIMIT = 64


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clientfit"


def disabled() -> bool:
    return os.environ.get("CLIENTFIT_NO_CACHE", "") not in ("", "0")


class Cache:
    """The cache entries of one data file."""

    def __init__(self, target: Path) -> None:
        key = hashlib.blake2b(str(target).encode(), digest_size=12).hexdigest()
        self.base = folder() / key

    def _path(self, kind: str) -> Path:
        return self.base.with_name(f"{self.base.name}.{kind}")

    def _read(self, kind: str) -> Any:
        if disabled():
            return None
        try:
            with open(self._path(kind), "rb") as f:
                return pickle.load(f)
        except Exception:  # a missing, torn or foreign entry is just a miss
            return None

    def _write(self, kind: str, obj: Any) -> None:
        if disabled():
            return
        path = self._path(kind)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "wb") as f:
                pickle.dump(obj, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:  # a cache that cannot be written is no cache, not an error
            with contextlib.suppress(OSError):
                os.unlink(tmp)

    # -- the index -------------------------------------------------------------------

    def index(self, digest: str) -> Any:
        entry = self._read("index")
        if isinstance(entry, dict) and entry.get("v") == VERSION and entry.get("digest") == digest:
            return entry["index"]
        return None

    def put_index(self, digest: str, index: Any) -> None:
        self._write("index", {"v": VERSION, "digest": digest, "index": index})
        if not disabled():
            with contextlib.suppress(OSError):
                self._path("digest").write_text(digest)

    def known(self, digest: str) -> bool:
        """Whether clientfit itself read or wrote exactly this content last (a small read)."""
        try:
            return self._path("digest").read_text() == digest
        except OSError:
            return False

    # -- the model, and the journal of changes since it was made ---------------------

    def data(self, digest: str) -> tuple[Any, int]:
        """The model for `digest` (the cached one brought up to date by the journal), and
        how many journal steps that took; (None, 0) when the cache cannot tell."""
        entry = self._read("data")
        if not (isinstance(entry, dict) and entry.get("v") == VERSION):
            return None, 0
        data, at = entry["data"], entry["digest"]
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

    def put_data(self, digest: str, data: Any) -> None:
        self._write("data", {"v": VERSION, "digest": digest, "data": data})
        with contextlib.suppress(OSError):
            os.unlink(self._path("journal"))

    def _journal(self) -> list[dict[str, Any]]:
        if disabled():
            return []
        out: list[dict[str, Any]] = []
        try:
            with open(self._path("journal"), "rb") as f:
                while True:
                    try:
                        step = pickle.load(f)
                    except EOFError:
                        break
                    if isinstance(step, dict) and step.get("v") == VERSION:
                        out.append(step)
        except Exception:
            return out
        return out

    def note(self, before: str, after: str, apply: Any) -> None:
        """Record a write: `apply` turns the model at `before` into the model at `after`."""
        if disabled():
            return
        path = self._path("journal")
        try:
            if path.exists() and path.stat().st_size > JOURNAL_LIMIT * 64 * 1024:
                os.unlink(path)  # too long to be worth replaying: the next start rebuilds
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            with os.fdopen(fd, "ab") as f:
                f.write(pickle.dumps({"v": VERSION, "from": before, "to": after,
                                      "apply": apply}, protocol=pickle.HIGHEST_PROTOCOL))
        except (OSError, pickle.PicklingError):
            pass
