"""The data file: read, check, edit, and write it without ever losing a byte.

- Reads with `tomllib` (the authority on what the file means) and indexes its
  structure with `scan` (where things are).
- Writes only the lines an edit needs, reads the new text back and compares it
  with the intended data before it replaces the file, atomically.
- Serialises writers through a lock file beside the data file, and re-applies
  an edit to the file as it is on disk when it changed since it was read.
"""

from __future__ import annotations

import bisect
import contextlib
import errno
import fcntl
import hashlib
import os
import re
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.model import (
    Client,
    Data,
    Problem,
    Settings,
    load_client,
    load_data,
    load_settings,
    with_clients,
)
from . import edit as edits
from .cache import Cache
from .edit import Splice
from .scan import Index, line_col, scan, scan_block

BOM = "\ufeff"
_TOML_POS = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$", re.S)
_TOML_END = re.compile(r"^(.*) \(at end of document\)$", re.S)
_NONBLANK = re.compile(r"\S")
LOCK_TIMEOUT = 10.0
ATTEMPTS = 5
"""Tries at an edit whose file changes under it, before giving up."""
SETTLE_LIMIT = 5.0


def settle_seconds() -> float:
    """A file someone else changed less than this long ago may still be being written
    (1 s; `CLIENTFIT_SETTLE` changes it, which the tests do to run quickly)."""
    try:
        return max(0.0, float(os.environ.get("CLIENTFIT_SETTLE", "1.0")))
    except ValueError:
        return 1.0
MAX_DEPTH = 32
"""Deeper keys or values are refused: no clientfit file needs them, and they can
exhaust the recursion of the libraries that read them."""


class StoreError(Exception):
    """A problem with the file, said in one line (or one line per problem)."""


class InvalidFile(StoreError):
    """The file is not valid TOML or not valid clientfit data."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines


@dataclass(frozen=True)
class Stamp:
    """What identifies one version of the file on disk."""

    size: int
    mtime_ns: int
    ino: int
    dev: int
    digest: str
    ctime_ns: int = 0
    """Changes on any write, even one that puts the old mtime back."""


class Snapshot:
    """One version of the file, known to be valid; what it means is worked out on demand.

    A snapshot from the cache has only the text and its header index; the full
    data (`raw`) and model (`data`) are read when first asked for, and one
    client's data alone can be read from its own blocks (`client_raw`).
    """

    def __init__(self, display: str, text: str, bom: bool, index: Index, stamp: Stamp,
                 raw: dict[str, Any] | None = None, data: Data | None = None) -> None:
        self.display = display
        self.text = text
        self.bom = bom
        self.index = index
        self.stamp = stamp
        self._raw = raw
        self._data = data
        self._exact: bool | None = None
        self._warnings: list[str] | None = None
        self._settings: Settings | None = None
        self.cached = False
        """Whether the model came from the cache as it is (nothing to remember)."""
        self._clients: dict[str, dict[str, Any] | None] = {}
        """Clients read alone from their blocks (or known from a verified write)."""

    @property
    def nl(self) -> str:
        return newline_of(self.text)

    @property
    def raw(self) -> dict[str, Any]:
        """Everything the file holds, as `tomllib` reads it."""
        if self._raw is None:
            self._raw = tomllib.loads(self.text)
        return self._raw

    @property
    def has_data(self) -> bool:
        return self._data is not None

    @property
    def data(self) -> Data:
        """The model of the whole file."""
        if self._data is None:
            data, problems = load_data(self.raw)
            if data is None:  # only valid files make snapshots
                raise StoreError(f"{self.display}: {problems[0].message}")
            self._data = data
        return self._data

    @property
    def settings(self) -> Settings:
        if self._data is not None:
            return self._data.settings
        if self._settings is None:
            raw = self._partial_settings()
            self._settings, _ = load_settings(raw.get("settings") if raw is not None else None)
        return self._settings

    @property
    def warnings(self) -> list[str]:
        """`path:line:col: warning: ...` for what valid data still flags."""
        if self._warnings is None:
            from ..domain.rules import warnings

            self._warnings = locate_all(self.display, self.text, self.index, warnings(self.data))
        return self._warnings

    @property
    def exact(self) -> bool:
        """Whether every client lives in header blocks of its own (no dotted or inline
        definitions in the root or `[clients]` blocks), so that it can be read alone."""
        if self._exact is None:
            self._exact = exact_clients(self.text, self.index)
        return self._exact

    def _partial_settings(self) -> dict[str, Any] | None:
        if self._raw is not None:
            return self._raw
        blocks = [i for i in self.index.others if self.index.paths[i][:1] == ("settings",)]
        root = scan_block(self.text, *self.index.block_bounds(-1), False)
        if any(st.key[0] == "settings" for st in root.statements):
            return self.raw
        return read_blocks(self.text, self.index, blocks)

    def client_raw(self, cid: str) -> dict[str, Any] | None:
        """One client's data, read from its own blocks when it can be."""
        if self._raw is None and self.exact:
            if cid in self._clients:
                return self._clients[cid]
            hs = self.index.client_headers(cid)
            got = read_blocks(self.text, self.index, hs).get("clients", {}).get(cid) if hs else None
            self._clients[cid] = got if isinstance(got, dict) else None
            return self._clients[cid]
        clients = self.raw.get("clients", {})
        got = clients.get(cid) if isinstance(clients, dict) else None
        return got if isinstance(got, dict) else None

    def partial(self, ids: list[str]) -> dict[str, Any]:
        """The data an edit of clients `ids` works on: those clients alone."""
        clients: dict[str, Any] = {}
        for cid in ids:
            c = self.client_raw(cid)
            if c is not None:
                clients[cid] = c
        return {"clients": clients}


class ReplaceClients:
    """A journal step: the model with some clients replaced (picklable)."""

    def __init__(self, clients: dict[str, Client]) -> None:
        self.clients = clients

    def __call__(self, data: Data) -> Data:
        return with_clients(data, self.clients)


def read_blocks(text: str, index: Index, blocks: list[int]) -> dict[str, Any]:
    """What some blocks of a valid text mean, read alone and in their order."""
    return tomllib.loads("".join(text[slice(*index.block_bounds(i))] for i in blocks))


def exact_clients(text: str, index: Index) -> bool:
    root = scan_block(text, *index.block_bounds(-1), False)
    if any(st.key[0] == "clients" for st in root.statements):
        return False
    for i in index.others:
        if index.paths[i] == ("clients",) and \
                scan_block(text, *index.block_bounds(i), True).statements:
            return False
    return True


def confined(text: str, index: Index, ids: list[str], splices: list[Splice]) -> bool:
    """Whether every splice stays within the blocks of clients `ids`.

    A splice may replace text inside those blocks, or blank space just before
    one of them or at the end of the file; text it inserts outside them must
    start with a table header of one of those clients. The new text is built
    from the old by these splices alone, so everything else is unchanged.
    """
    spans: list[tuple[int, int]] = []
    for i in sorted(h for cid in ids for h in index.client_headers(cid)):
        start, end = index.block_bounds(i)
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    starts = [sp[0] for sp in spans]
    mine = {("clients", cid) for cid in ids}

    def span_at(pos: int) -> tuple[int, int] | None:
        k = bisect.bisect_right(starts, pos) - 1
        if k >= 0 and spans[k][0] <= pos <= spans[k][1]:
            return spans[k]
        return None

    def gap_end(pos: int) -> int:
        """Where the blank space from `pos` must end: the next touched block, or the end."""
        k = bisect.bisect_right(starts, pos)
        return spans[k][0] if k < len(spans) else len(text)

    for start, end, new in splices:
        pos = start
        while pos < end:  # the replaced text: inside touched blocks, or blank
            sp = span_at(pos)
            if sp is not None and sp[1] > pos:
                pos = sp[1]
                continue
            stop = min(end, gap_end(pos))
            if _NONBLANK.search(text, pos, stop):
                return False
            if stop == pos:
                return False
            pos = stop
        if new:
            inner = scan(new)
            if any(p[:2] not in mine for p in inner.paths):
                return False
            sp = span_at(start)
            inside = sp is not None and sp[0] < start
            if not inside:
                if _NONBLANK.search(text, start, gap_end(start)):
                    return False
                if not new.lstrip(" \t\r\n").startswith("["):
                    return False
    return True


def newline_of(text: str) -> str:
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


def digest(b: bytes) -> str:
    return hashlib.sha256(b).hexdigest()


def strict_equal(a: Any, b: Any) -> bool:
    """Equality that tells 1 from 1.0 and True, a date from a date-time, and offsets apart."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and list(a) == list(b) and all(
            strict_equal(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(strict_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return bool(b != b)
    if hasattr(a, "utcoffset") and hasattr(a, "tzinfo"):
        return bool(a == b) and bool(a.utcoffset() == b.utcoffset())
    return bool(a == b)


def _same_data(a: Any, b: Any) -> bool:
    """Equal as TOML data: table key order does not matter, everything else does."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same_data(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same_data(x, y) for x, y in zip(a, b, strict=True))
    return strict_equal(a, b)


def locate_all(display: str, text: str, index: Index, problems: list[Problem]) -> list[str]:
    loc = Locator(text, index)
    out = []
    for p in problems:
        line, col = loc.find(p.path)
        tag = "warning: " if p.warning else ""
        out.append(f"{display}:{line}:{col}: {tag}{p.message}")
    return out


class Store:
    """One data file."""

    full_verify = False
    """Read every write back whole, even where the incremental check would do (for tests)."""

    def __init__(self, path: str | os.PathLike[str], display: str | None = None) -> None:
        self.path = Path(path)
        self.display = display or str(path)
        self._cache: Cache | None = None

    # -- locations ---------------------------------------------------------------------

    @property
    def target(self) -> Path:
        """The file itself: a symlink is written through to what it points at."""
        return Path(os.path.realpath(self.path))

    @property
    def lock_path(self) -> Path:
        t = self.target
        return t.with_name(f".{t.name}.lock")

    @property
    def cache(self) -> Cache:
        if self._cache is None:
            self._cache = Cache(self.target)
        return self._cache

    def _temp_prefix(self) -> str:
        return f".{self.target.name}.clientfit-"

    # -- reading -----------------------------------------------------------------------

    def read_bytes(self) -> tuple[bytes, os.stat_result]:
        try:
            with open(self.target, "rb") as f:
                st = os.fstat(f.fileno())
                return f.read(), st
        except FileNotFoundError:
            raise StoreError(f"{self.display}: no such file") from None
        except IsADirectoryError:
            raise StoreError(f"{self.display}: is a folder, not a file") from None
        except OSError as e:
            raise StoreError(f"{self.display}: cannot read: {e.strerror}") from None

    def load(self, data: bool = True) -> Snapshot:
        """The file as it is now, checked. With `data`, its whole model too."""
        b, st = self.read_bytes()
        return self.snapshot(b, st, data)

    def snapshot(self, b: bytes, st: os.stat_result | None, data: bool = True) -> Snapshot:
        """A snapshot of these bytes: from the cache when it knows them, else read in full."""
        d = digest(b)
        index = self.cache.index(d)
        if index is not None:
            text, bom = _decode(b)
            snap = Snapshot(self.display, text, bom, index, _stamp(b, st, d))
            if data:
                model, steps = self.cache.data(d)
                if model is not None:
                    snap._data = model
                    snap.cached = steps == 0
                else:
                    _ = snap.data
            return snap
        return self.parse(b, st, d)

    def parse(self, b: bytes, st: os.stat_result | None = None, d: str | None = None) -> Snapshot:
        """Read the bytes in full and check them, or raise InvalidFile with every problem."""
        try:
            text, bom = _decode(b)
        except UnicodeDecodeError as e:
            line = b.count(b"\n", 0, e.start) + 1
            col = e.start - (b.rfind(b"\n", 0, e.start) + 1) + 1
            raise InvalidFile([f"{self.display}:{line}:{col}: not valid UTF-8 "
                               f"(byte 0x{b[e.start]:02x})"]) from None
        try:
            raw = tomllib.loads(text)
        except tomllib.TOMLDecodeError as e:
            raise InvalidFile([self._syntax_error(text, str(e))]) from None
        except RecursionError:
            raise InvalidFile([f"{self.display}:1:1: nested too deeply"]) from None
        index = scan(text)
        if index.deepest[0] > MAX_DEPTH:
            line, col = line_col(text, index.deepest[1])
            raise InvalidFile([f"{self.display}:{line}:{col}: nested too deeply "
                               f"({index.deepest[0]} levels; clientfit reads up to {MAX_DEPTH})"])
        data, problems = load_data(raw)
        if data is None:
            raise InvalidFile(locate_all(self.display, text, index, problems))
        stamp = _stamp(b, st, d)
        self.cache.put_index(stamp.digest, index)
        return Snapshot(self.display, text, bom, index, stamp, raw, data)

    def remember(self, snap: Snapshot) -> None:
        """Cache the model of a snapshot, so that the next start is quick (slow on big files)."""
        if snap.has_data and not snap.cached:
            self.cache.put_data(snap.stamp.digest, snap.data)
            snap.cached = True

    def _syntax_error(self, text: str, msg: str) -> str:
        m = _TOML_POS.match(msg)
        if m:
            return f"{self.display}:{m.group(2)}:{m.group(3)}: {_lower(m.group(1))}"
        m = _TOML_END.match(msg)
        line, col = line_col(text, len(text))
        return f"{self.display}:{line}:{col}: {_lower(m.group(1) if m else msg)}"

    # -- change detection ---------------------------------------------------------------

    def changed(self, snap: Snapshot) -> bool:
        """Whether the file on disk may differ from `snap` (a cheap stat, no read)."""
        try:
            st = os.stat(self.target)
        except OSError:
            return True
        s = snap.stamp
        return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev) != (
            s.size, s.mtime_ns, s.ctime_ns, s.ino, s.dev)

    def refresh(self, snap: Snapshot) -> Snapshot | None:
        """A new snapshot when the content on disk differs from `snap`, else None."""
        b, st = self.read_bytes()
        d = digest(b)
        if d == snap.stamp.digest:
            snap.stamp = _stamp(b, st, d)
            return None
        return self.snapshot(b, st, data=True)

    # -- writing -----------------------------------------------------------------------

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the writers' lock beside the file (released by the OS if we die)."""
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise StoreError(f"{self.display}: cannot write in {self.target.parent}: "
                             f"{e.strerror}") from None
        try:
            deadline = time.monotonic() + LOCK_TIMEOUT
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise StoreError(f"{self.display}: another clientfit is still "
                                         "writing it; try again") from None
                    time.sleep(0.005)
            yield
        finally:
            os.close(fd)

    def clean_temps(self) -> None:
        """Remove temp files left by a write that was killed (call with the lock held)."""
        prefix = self._temp_prefix()
        folder = self.target.parent
        try:
            names = os.listdir(folder)
        except OSError:
            return
        for name in names:
            if name.startswith(prefix) and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)

    def edit(self, make: Callable[[Snapshot], edits.Edit | None],
             on_base: Callable[[dict[str, Any]], None] | None = None) -> Snapshot | None:
        """Read the file under the lock, let `make` decide the edit, and apply it: one read."""
        with self.lock():
            for _ in range(ATTEMPTS):
                b, st = self._settled()
                snap = self.snapshot(b, st, data=False)
                change = make(snap)
                if change is None:
                    return None
                try:
                    return self._apply_locked(change, snap, b, st, on_base)
                except _Moved:
                    continue
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
                b, st = self._settled(base)
                snap = base if base is not None and digest(b) == base.stamp.digest else \
                    self.snapshot(b, st, data=base is not None and base.has_data)
                try:
                    return self._apply_locked(change, snap, b, st, on_base)
                except _Moved:
                    continue
        raise self._still_moving()

    def _still_moving(self) -> StoreError:
        return StoreError(f"{self.display}: it keeps changing while clientfit saves (is an "
                          "editor writing it?); nothing was saved")

    def _settled(self, base: Snapshot | None = None) -> tuple[bytes, os.stat_result]:
        """Read the file; if someone else changed it less than SETTLE seconds ago, wait
        until it has been quiet that long, so that a file an editor is still writing
        (valid, but half of it) is never the base of an edit. A version clientfit wrote
        itself is known by its digest and not waited for."""
        b, st = self.read_bytes()
        if base is not None and (st.st_size, st.st_mtime_ns, st.st_ctime_ns) == (
                base.stamp.size, base.stamp.mtime_ns, base.stamp.ctime_ns):
            return b, st
        settle = settle_seconds()
        if time.time() - st.st_mtime >= settle or self.cache.known(digest(b)):
            return b, st
        deadline = time.monotonic() + SETTLE_LIMIT
        while time.time() - st.st_mtime < settle and time.monotonic() < deadline:
            time.sleep(0.05)
            b, st = self.read_bytes()
        return b, st

    def _apply_locked(self, change: edits.Edit, snap: Snapshot, b: bytes,
                      st: os.stat_result, on_base: Callable[[dict[str, Any]], None] | None
                      ) -> Snapshot:
        self.clean_temps()
        ids = change.clients()
        base = snap.partial(ids)
        try:
            change.rebase(base)
            if on_base is not None:
                on_base(base)
            after = change.apply(base)
        except edits.EditError as e:
            raise StoreError(str(e)) from None
        settings = snap.settings
        models: dict[str, Client] = {}
        for cid in ids:
            if cid not in after["clients"]:
                continue
            model, problems = load_client(settings, cid, after["clients"][cid])
            if model is None:
                raise StoreError(f"{self.display}: refused: the change would make the file "
                                 f"invalid ({problems[0].message})")
            models[cid] = model
        new_text, new_index = self._edited(snap, change, base, after)
        out = ((BOM if snap.bom else "") + new_text).encode("utf-8")
        self._write(out, st, check=st)
        new_st = os.stat(self.target)
        stamp = _stamp(out, new_st)
        raw = None
        if snap._raw is not None:
            raw = {**snap._raw, "clients": {**snap._raw.get("clients", {}), **after["clients"]}}
        data = with_clients(snap._data, models) if snap._data is not None else None
        new = Snapshot(self.display, new_text, snap.bom, new_index, stamp, raw, data)
        new._settings = snap._settings
        new._exact = snap._exact
        for cid in ids:  # verified above: what these clients now are
            new._clients[cid] = after["clients"].get(cid)
        self.cache.put_index(stamp.digest, new_index)
        self.cache.note(snap.stamp.digest, stamp.digest, ReplaceClients(models))
        return new

    def _edited(self, snap: Snapshot, change: edits.Edit, base: dict[str, Any],
                after: dict[str, Any]) -> tuple[str, Index]:
        """The new text and its index: line-level splices checked incrementally when they
        can be, else read back whole; else tomlkit, read back whole; else refused."""
        doc = edits.Doc(snap.text, snap.index, snap.nl, snap.exact)
        splices = change.splice(doc, base if snap.exact else snap.raw)
        failure: StoreError | None = None
        if splices is not None:
            text = edits.apply_splices(snap.text, splices)
            try:
                index: Index | None = _patch(snap.text, snap.index, splices)
            except ValueError:  # the scanner met text it cannot index: prove it whole
                index = None
            ids = change.clients()
            if index is not None and snap.exact and not self.full_verify and \
                    index.deepest[0] <= MAX_DEPTH and \
                    self._verified_in_part(snap, text, index, ids, after, splices):
                return text, index
            try:
                self.verify(text, change.apply(snap.raw))
                return text, index if index is not None else scan(text)
            except StoreError as e:
                failure = e
        intended = change.apply(snap.raw)
        try:
            text = self._tomlkit_text(snap, change)
        except Exception as e:  # tomlkit has open bugs with some shapes of file
            raise failure or StoreError(
                f"{self.display}: refused to write: this part of the file has a shape "
                f"clientfit cannot edit ({type(e).__name__}); edit it by hand (e). "
                "The file is unchanged") from None
        self.verify(text, intended)
        return text, scan(text)

    def _verified_in_part(self, snap: Snapshot, text: str, index: Index, ids: list[str],
                          after: dict[str, Any], splices: list[Splice]) -> bool:
        """Whether the new text means exactly the intended data, checked where it changed.

        Equivalent to reading the whole new text back, because: (1) the blocks of the
        edited clients, read alone, are exactly their intended data; (2) no other
        statement defines a client (`exact`: true of the old text, and the splices
        add only headers of those clients); and (3) the splices stay within those
        blocks or blank space before them (`confined`), so everything else is the
        same text. So the new file means the old one with those clients replaced.
        """
        try:
            for cid in ids:
                hs = index.client_headers(cid)
                got = read_blocks(text, index, hs).get("clients", {}).get(cid) if hs else None
                if not _same_data(got, after["clients"].get(cid)):
                    return False
        except tomllib.TOMLDecodeError:
            return False
        try:
            return confined(snap.text, snap.index, ids, splices)
        except ValueError:  # text the scanner cannot index is not proved here
            return False

    def _tomlkit_text(self, snap: Snapshot, change: edits.Edit) -> str:
        import tomlkit

        doc = tomlkit.parse(snap.text)
        change.apply_tomlkit(doc)
        text = tomlkit.dumps(doc)
        if snap.nl == "\r\n":
            text = re.sub(r"(?<!\r)\n", "\r\n", text)
        return text

    def verify(self, new_text: str, intended: dict[str, Any]) -> None:
        """The new text must read back as exactly the intended data, or nothing is written."""
        try:
            back = tomllib.loads(new_text)
        except tomllib.TOMLDecodeError as e:
            raise StoreError(f"{self.display}: refused to write: the edited text would not "
                             f"be valid TOML ({e}); the file is unchanged") from None
        if not _same_data(back, intended):
            raise StoreError(f"{self.display}: refused to write: the edited text would not "
                             "read back as intended; the file is unchanged")

    def _write(self, data: bytes, st: os.stat_result | None,
               check: os.stat_result | None = None) -> None:
        """Atomically replace the file: temp file in the same folder, fsync, rename, fsync."""
        target = self.target
        folder = target.parent
        mode = (st.st_mode & 0o7777) if st is not None else 0o600
        tmp = str(folder / f"{self._temp_prefix()}{os.getpid()}-{os.urandom(6).hex()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as e:
            raise StoreError(f"{self.display}: cannot write in {folder}: {e.strerror}") from None
        try:
            try:
                view = memoryview(data)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fchmod(fd, mode)
                if st is not None and os.geteuid() == 0:
                    with contextlib.suppress(OSError):
                        os.fchown(fd, st.st_uid, st.st_gid)
                os.fsync(fd)
            finally:
                os.close(fd)
            if check is not None and not _same_file(os.stat(target), check):
                os.unlink(tmp)
                raise _Moved()
            os.replace(tmp, target)
        except OSError as e:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            why = "the disk is full" if e.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT) \
                else (e.strerror or str(e))
            raise StoreError(f"{self.display}: not saved: {why}; the file is unchanged") from None
        _fsync_dir(folder)

    def create(self, text: str) -> None:
        """Create the file (and its folder, 0700) from a template; never over an existing one."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return
        except OSError as e:
            raise StoreError(f"{self.display}: cannot create: {e.strerror}") from None
        try:
            os.write(fd, text.encode("utf-8"))
            os.fsync(fd)
        finally:
            os.close(fd)
        _fsync_dir(folder)


def _lower(s: str) -> str:
    return s[:1].lower() + s[1:]


def _stamp(b: bytes, st: os.stat_result | None, d: str | None = None) -> Stamp:
    d = d or digest(b)
    if st is None:
        return Stamp(len(b), 0, 0, 0, d)
    return Stamp(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, d, st.st_ctime_ns)


def _same_file(a: os.stat_result, b: os.stat_result) -> bool:
    return (a.st_size, a.st_mtime_ns, a.st_ctime_ns, a.st_ino, a.st_dev) == (
        b.st_size, b.st_mtime_ns, b.st_ctime_ns, b.st_ino, b.st_dev)


class _Moved(Exception):
    """The file changed between reading it and replacing it."""


def _decode(b: bytes) -> tuple[str, bool]:
    text = b.decode("utf-8")
    return (text[1:], True) if text.startswith(BOM) else (text, False)


def _patch(text: str, index: Index, splices: list[edits.Splice]) -> Index:
    """The index after the splices, patched from the last to the first."""
    order = sorted(range(len(splices)), key=lambda i: (splices[i][0], splices[i][1], i),
                   reverse=True)
    for i in order:
        start, end, new = splices[i]
        index = index.patched(text, start, end, new)
    return index


def _fsync_dir(folder: Path) -> None:
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


class Locator:
    """Finds the line and column of a data path in a text."""

    def __init__(self, text: str, index: Index) -> None:
        self.text = text
        self.index = index
        self.by_path: dict[tuple[str | int, ...], int] = {}
        counts: dict[tuple[str, ...], int] = {}
        for i, path in enumerate(index.paths):
            if index.aot[i]:
                k = counts.get(path, 0)
                counts[path] = k + 1
                self.by_path[(*path, k)] = i
            else:
                self.by_path.setdefault(path, i)

    def find(self, path: tuple[str | int, ...]) -> tuple[int, int]:
        for n in range(len(path), -1, -1):
            prefix = path[:n]
            i = self.by_path.get(prefix, -1) if n else -1
            if n and i < 0:
                continue
            rest = path[n:]
            pos = self._in_block(i, rest)
            if pos is None:
                if i < 0:
                    return 1, 1
                h = self.index.header(i)
                j = h.start + (len(self.text[h.start : h.end]) -
                               len(self.text[h.start : h.end].lstrip(" \t")))
                return line_col(self.text, j)
            return line_col(self.text, pos)
        return 1, 1

    def _in_block(self, i: int, rest: tuple[str | int, ...]) -> int | None:
        if not rest:
            return None
        start, end = self.index.block_bounds(i)
        block = scan_block(self.text, start, end, i >= 0)
        keys = tuple(p for p in rest if isinstance(p, str))
        best = None
        for st in block.statements:
            n = min(len(st.key), len(keys))
            if n and st.key[:n] == keys[:n] and (best is None or len(st.key) > len(best.key)):
                best = st
        return best.key_col if best is not None else None


def exposed(path: Path) -> str | None:
    """A warning when the data file can be read or written by other users."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except OSError:
        return None
    if mode & 0o077:
        return (f"warning: {path} can be read by other users (mode {mode:04o}); "
                f"`chmod 600 {path}` keeps your notes private")
    return None
