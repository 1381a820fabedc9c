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
import os
import re
import time
import tomllib
from collections.abc import Callable, Iterator
from typing import Any

from ..domain import rules
from ..domain.model import Client, Data, Incident, load_client, load_data, load_item, with_clients, with_item
from . import edit as edits
from .cache import Cache
from .errors import InvalidFile, StoreError
from .files import Digesting, EarlyRead, digest, fsync_dir, lock_path, write_all
from .scan import Index, line_col, scan, scan_block
from .snapshot import (
    BOM,
    BOM_BYTES,
    AppendItem,
    Locator,
    ReplaceClients,
    Snapshot,
    Stamp,
    encode_instant,
    locate_all,
)
from .verify import (
    MAX_DEPTH,
    changed_span,
    confined,
    read_blocks,
    same_data,
    tail_verified,
)

__all__ = ["InvalidFile", "Locator", "Snapshot", "Store", "StoreError", "exposed", "read_blocks"]

_TOML_POS = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$", re.S)
_TOML_END = re.compile(r"^(.*) \(at end of document\)$", re.S)
LOCK_TIMEOUT = 10.0
STEPS_LIMIT = 16
"""Insertions recorded in the cache before its index is stored whole again."""
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


class Store:
    """One data file."""

    full_verify = False
    """Read every write back whole, even where the incremental check would do (for tests)."""

    def __init__(self, path: str | os.PathLike[str], display: str | None = None) -> None:
        self.path = os.fspath(path)
        self.display = display or self.path
        self._cache: Cache | None = None
        self.early: EarlyRead | None = None
        """The file as read while the program was loading (used once, if still true)."""

    # -- locations ---------------------------------------------------------------------

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

    @property
    def cache(self) -> Cache:
        if self._cache is None:
            self._cache = Cache(self.target)
        return self._cache

    def _temp_prefix(self) -> str:
        return f".{os.path.basename(self.target)}.clientfit-"

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

    def snapshot(self, b: bytes, st: os.stat_result | None, data: bool = True,
                 d: str | None = None, known: Snapshot | None = None) -> Snapshot:
        """A snapshot of these bytes: from the cache when it knows them; else read where
        they differ from a version known to be valid (`known`, else the last one
        clientfit wrote) when that is proved enough (`read_in_part`); else in full."""
        d = d or digest(b)
        entry = self.cache.index(d)
        if entry is not None:
            columns, latest, steps = entry
            index = Index.from_columns(columns)
            _replay(steps, index, latest)
            snap = Snapshot(self.display, None, b.startswith(BOM_BYTES), index,
                            _stamp(b, st, d), blob=(b,))
            snap._latest = latest
            snap.steps = len(steps)
            if data:
                model, replayed = self.cache.data(d, Data)
                if model is not None:
                    snap._data = model
                    snap.cached = replayed == 0
                else:
                    _ = snap.data
            return snap
        since = (self.read_in_part(known, b, st, d) if known is not None else None) or \
            self._read_since_known(b, st, d, data)
        if since is not None:
            if data:
                _ = since.data
            return since
        return self.parse(b, st, d)

    def _read_since_known(self, b: bytes, st: os.stat_result | None, d: str, data: bool
                          ) -> Snapshot | None:
        """These bytes read against the version clientfit last knew (an edit by hand
        since): rebuilt from the cache, checked by its digest, then `read_in_part`
        (with that version's model, when `data` is wanted and the cache has it)."""
        known = self.cache.last_known()
        if known is None:
            return None
        content, columns, latest, steps, at = known
        try:
            text, bom = _decode(content)
        except UnicodeDecodeError:
            return None
        index = Index.from_columns(columns)
        text = _replay(steps, index, latest, text) or ""
        blob = ((BOM if bom else "") + text).encode("utf-8")
        if digest(blob) != at:
            return None
        old = Snapshot(self.display, text, bom, index, _stamp(blob, None, at), blob=(blob,))
        old._latest = latest
        if data:
            old._data = self.cache.data(at, Data)[0]
        return self.read_in_part(old, b, st, d)

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
            from .markers import unresolved

            raise InvalidFile(unresolved(self.display, text, str(e)) or
                              [self._syntax_error(text, str(e))]) from None
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
        snap = Snapshot(self.display, text, bom, index, _stamp(b, st, d), raw, data, blob=(b,))
        self._put_index(snap)
        return snap

    def _put_index(self, snap: Snapshot) -> None:
        latest = snap.latest_table()
        if latest is not None:
            self.cache.put_index(snap.stamp.digest, snap.index.columns(), latest, snap.blob)

    def remember(self, snap: Snapshot) -> None:
        """Cache the model of a snapshot, so that the next start is quick (slow on big files)."""
        if snap.has_data and not snap.cached:
            self.cache.put_data(snap.stamp.digest, snap.data.settings, snap.data.clients)
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
        """A new snapshot when the content on disk differs from `snap`, else None: read
        where it changed when that can be proved enough (`read_in_part`), else whole."""
        b, st = self.read_bytes()
        d = digest(b)
        if d == snap.stamp.digest:
            snap.stamp = _stamp(b, st, d)
            return None
        return self.snapshot(b, st, data=True, d=d, known=snap)

    def read_in_part(self, old: Snapshot, b: bytes, st: os.stat_result | None,
                     d: str) -> Snapshot | None:
        """The new version of a file, read against a version known to be valid (the one
        the app holds, or the last one clientfit wrote) only where it changed (an edit
        made in an editor): None when that is not proved to mean the same as reading
        it whole, or the changed clients are not valid (then a whole read reports
        where). Unchanged clients keep their models, when `old` has them.

        The text that changed is widened to whole blocks of the old text. The new file
        is the old one with just some clients redefined, and nothing else changed, when:
        those blocks, and the headers of the new text in their place, are all under
        `clients.<id>` (for some ids); the new span starts with a header (no
        statement of it joins the block before), reads alone as TOML, and ends with a
        newline (or the file), so the text after it is read as before; and every
        client lives in blocks of its own (`exact`). Those clients are then read from
        all their blocks in the new text.
        """
        if self.full_verify or (old._data is None and old._latest is None) or not old.exact:
            return None
        try:
            text, bom = _decode(b)
        except UnicodeDecodeError:
            return None
        index = old.index
        if bom != old.bom or not len(index):
            return None
        p, s = changed_span(old.text, text)
        old_end = len(old.text) - s
        first = bisect.bisect_right(index.starts, p) - 1
        last = bisect.bisect_left(index.starts, old_end) - 1 if old_end > p else first
        if first < 0 or last < first:
            return None
        start, end = index.starts[first], index.block_bounds(last)[1]
        region = text[start : end + len(text) - len(old.text)]
        span = index.owners[first : last + 1]
        if None in span or (end < len(old.text) and not region.endswith("\n")):
            return None
        try:
            tomllib.loads(region)  # read alone, it leaves nothing open (a string) for after
            new_index = index.patched(old.text, start, end, region)
            added = new_index.owners[first : len(new_index) - len(index) + last + 1]
            head = new_index.starts[first] - start if added else len(region)
            if scan_block(region, 0, head, False).statements:
                return None  # statements before the first header would join the block before
        except (tomllib.TOMLDecodeError, ValueError, RecursionError):
            return None  # read whole, which says where the problem is
        if None in added or new_index.deepest[0] > MAX_DEPTH:
            return None
        ids = {o for o in span + added if o is not None}
        settings = old.settings
        raws: dict[str, Any] = {}
        models: dict[str, Client] = {}
        for cid in ids:
            hs = new_index.client_headers(cid)
            if not hs:
                continue  # all of its blocks deleted
            try:
                raw = read_blocks(text, new_index, hs).get("clients", {}).get(cid)
            except tomllib.TOMLDecodeError:
                return None
            model, _ = load_client(settings, cid, raw)
            if model is None:
                return None
            raws[cid], models[cid] = raw, model
        order = dict.fromkeys(o for o in new_index.owners if o is not None)
        data = None
        if old._data is not None:
            data = Data(old._data.settings, {cid: models[cid] if cid in models else
                                              old._data.clients[cid] for cid in order})
        raw = None
        if old._raw is not None:
            raw = {**old._raw, "clients": {cid: raws[cid] if cid in raws else
                                           old._raw["clients"][cid] for cid in order}}
        new = Snapshot(self.display, text, bom, new_index, _stamp(b, st, d), raw, data,
                       blob=(b,))
        new._settings, new._exact = old._settings, True
        new._clients.update(raws)
        latest = old.latest_table()
        if latest is not None:
            new._latest = {cid: encode_instant(rules.latest_incident(models[cid], settings))
                           if cid in models else latest.get(cid) for cid in order}
        self._put_index(new)
        return new

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
        if not os.path.exists(self.target):  # no lock file beside a file that is not there
            raise StoreError(f"{self.display}: no such file")
        try:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:
            raise StoreError(f"{self.display}: cannot write in {self.folder}: "
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
        folder = self.folder
        try:
            names = os.listdir(folder)
        except OSError:
            return
        for name in names:
            if name.startswith(prefix) and name.endswith(".tmp"):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(folder, name))

    def edit(self, make: Callable[[Snapshot], edits.Edit | None],
             on_base: Callable[[dict[str, Any]], None] | None = None) -> Snapshot | None:
        """Read the file under the lock, let `make` decide the edit, and apply it: one read."""
        with self.lock():
            for _ in range(ATTEMPTS):
                b, st, d = self._settled()
                snap = self.snapshot(b, st, data=False, d=d)
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
                b, st, d = self._settled(base)
                snap = base if base is not None and d == base.stamp.digest else \
                    self.snapshot(b, st, data=base is not None and base.has_data, d=d)
                try:
                    return self._apply_locked(change, snap, b, st, on_base)
                except _Moved:
                    continue
        raise self._still_moving()

    def _still_moving(self) -> StoreError:
        return StoreError(f"{self.display}: it keeps changing while clientfit saves (is an "
                          "editor writing it?); nothing was saved")

    def _settled(self, base: Snapshot | None = None) -> tuple[bytes, os.stat_result, str]:
        """Read the file; if someone else changed it less than SETTLE seconds ago, wait
        until it has been quiet that long, so that a file an editor is still writing
        (valid, but half of it) is never the base of an edit. A version clientfit wrote
        itself is known by its digest and not waited for. Returns the bytes, their
        stat and their digest."""
        b, st, d = self._first_read()
        if base is not None and (st.st_size, st.st_mtime_ns, st.st_ctime_ns) == (
                base.stamp.size, base.stamp.mtime_ns, base.stamp.ctime_ns):
            return b, st, d
        settle = settle_seconds()
        if time.time() - st.st_mtime >= settle or self.cache.known(d):
            return b, st, d
        deadline = time.monotonic() + SETTLE_LIMIT
        while time.time() - st.st_mtime < settle and time.monotonic() < deadline:
            time.sleep(0.05)
            b, st = self.read_bytes()
        return b, st, digest(b)

    def _first_read(self) -> tuple[bytes, os.stat_result, str]:
        """The file's bytes, stat and digest, read under the lock: early when the lock was
        taken early (see `EarlyRead`), else now (and hashed now, unless it was early)."""
        early, self.early = self.early, None
        if early is not None and early.wait().target == self.target:
            self.cache.preload(early.blobs)
            if early.adopted and early.file is not None and early.stat is not None:
                return early.file, early.stat, early.digest
        b, st = self.read_bytes()
        if early is not None and early.target == self.target and early.file == b:
            return b, st, early.digest
        return b, st, digest(b)

    def _apply_locked(self, change: edits.Edit, snap: Snapshot, b: bytes,
                      st: os.stat_result, on_base: Callable[[dict[str, Any]], None] | None
                      ) -> Snapshot:
        self.clean_temps()
        quick = self._append_quick(change, snap, st, on_base)
        if quick is not None:
            return quick
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
                raise self._refused(problems[0].message)
            models[cid] = model
        new_text, new_index = self._edited(snap, change, base, after)
        out = ((BOM if snap.bom else "") + new_text).encode("utf-8")
        d = self._write((out,), st, check=st)
        raw = None
        if snap._raw is not None:
            raw = {**snap._raw, "clients": {**snap._raw.get("clients", {}), **after["clients"]}}
        data = with_clients(snap._data, models) if snap._data is not None else None
        new = self._written(snap, (out,), d, new_text, new_index, raw, data)
        for cid in ids:  # verified above: what these clients now are
            new._clients[cid] = after["clients"].get(cid)
        latest = snap.latest_table()
        if latest is not None:
            new._latest = {**latest, **{cid: encode_instant(rules.latest_incident(m, settings))
                                        for cid, m in models.items()}}
        self._put_index(new)
        self.cache.note(snap.stamp.digest, new.stamp.digest, ReplaceClients(models))
        return new

    def _refused(self, why: str) -> StoreError:
        return StoreError(f"{self.display}: refused: the change would make the file invalid "
                          f"({why})")

    def _written(self, snap: Snapshot, parts: tuple[bytes | memoryview, ...], d: str,
                 text: str | None, index: Index | Callable[[], Index],
                 raw: dict[str, Any] | None, data: Any) -> Snapshot:
        """The snapshot of what was just written (`d`: its digest)."""
        st = os.stat(self.target)
        stamp = Stamp(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, d, st.st_ctime_ns)
        new = Snapshot(self.display, text, snap.bom, index, stamp, raw, data, blob=parts)
        new._settings = snap._settings
        new._exact = snap._exact
        return new

    def _append_quick(self, change: edits.Edit, snap: Snapshot, st: os.stat_result,
                      on_base: Callable[[dict[str, Any]], None] | None) -> Snapshot | None:
        """One element added at the end of a client's array of tables (an incident
        logged), reading neither the client nor the rest of the file: None when the
        file's shape needs the general path.

        The new element is checked alone: a client's elements are checked one by one,
        and the rest of the file was valid. The text is checked where it changed
        (`tail_verified`). Only the block before the new one is decoded; the file is
        written from its old bytes and the new block's.
        """
        if not isinstance(change, edits.Append) or change.position is not None or \
                self.full_verify or not snap.exact or \
                (snap._latest is None and snap._data is None):
            return None
        cid, array = change.client, change.array
        path = ("clients", cid, array)
        index = snap.index
        mine = index.client_headers(cid)
        elements = [i for i in mine if index.paths[i][:3] == path]
        if not elements or any(index.paths[i] != path or not index.aot[i] for i in elements):
            return None
        last = elements[-1]
        if any(i > last and len(index.paths[i]) == 2 for i in mine):
            return None  # `[clients.<id>]` after the array: left to the general path
        settings = snap.settings
        try:
            item, problems = load_item(settings, cid, array, len(elements), change.item)
        except ValueError:
            return None
        if item is None:
            raise self._refused(problems[0].message)
        start, end = index.block_bounds(last)
        block = snap.region(start, end)
        offset, new = change.tail(block, snap.nl, at_end=end == index.length)
        at = start + offset
        if not tail_verified(block, start, index.length, at, new, path, change.item):
            return None
        if on_base is not None:
            on_base(snap.partial([cid]))
        blob = memoryview(snap.blob)
        cut = snap.byte_offset(at)
        parts = (blob[:cut], new.encode("utf-8"), blob[cut:])
        line = index.line(last) + block.count("\n", 0, at - start)
        d = self._write(parts, st, check=st)
        raw = change.apply(snap._raw) if snap._raw is not None else None
        data = None
        if snap._data is not None:
            data = with_clients(snap._data, {cid: with_item(snap._data.clients[cid], array,
                                                            item)})
        written = self._written(snap, parts, d, None,  # the text is decoded when asked for
                                lambda: index.inserted(at, new, line, last + 1), raw, data)
        if snap._clients.get(cid) is not None:
            written._clients[cid] = change.apply({"clients": {cid: snap._clients[cid]}}
                                                 )["clients"][cid]
        latest = snap.latest_table()
        changed: dict[str, int | None] = {}
        if latest is not None:
            was = latest.get(cid)
            now = encode_instant(item.instant) if isinstance(item, Incident) else None
            if now is not None and (was is None or now > was):
                changed[cid] = now
            written._latest = {**latest, **changed}
        if snap.steps < STEPS_LIMIT and latest is not None:
            written.steps = snap.steps + 1
            self.cache.put_step(snap.stamp.digest, written.stamp.digest,
                                (at, new, line, last + 1, changed))
        else:
            self._put_index(written)
        self.cache.note(snap.stamp.digest, written.stamp.digest, AppendItem(cid, array, item))
        return written

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
                          after: dict[str, Any], splices: list[edits.Splice]) -> bool:
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
                if not same_data(got, after["clients"].get(cid)):
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
        if not same_data(back, intended):
            raise StoreError(f"{self.display}: refused to write: the edited text would not "
                             "read back as intended; the file is unchanged")

    def _write(self, parts: tuple[bytes | memoryview, ...], st: os.stat_result | None,
               check: os.stat_result | None = None) -> str:
        """Atomically replace the file: temp file in the same folder, fsync, rename, fsync.
        Returns the digest of what was written (worked out meanwhile)."""
        hashing = Digesting(parts)
        target = self.target
        folder = os.path.dirname(target)
        mode = (st.st_mode & 0o7777) if st is not None else 0o600
        tmp = os.path.join(folder, f"{self._temp_prefix()}{os.getpid()}-{os.urandom(6).hex()}.tmp")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except OSError as e:
            raise StoreError(f"{self.display}: cannot write in {folder}: {e.strerror}") from None
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
        fsync_dir(folder)
        return hashing.result()

    def create(self, text: str) -> None:
        """Create the file (and its folder, 0700) from a template; never over an existing one."""
        folder = os.path.dirname(os.path.abspath(self.path))
        try:
            os.makedirs(folder, mode=0o700, exist_ok=True)
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
        fsync_dir(folder)


def _replay(steps: list[Any], index: Index, latest: dict[str, int | None],
            text: str | None = None) -> str | None:
    """Take in the insertions logged since the index was stored whole: into a fresh
    index (changed in place), the latest-incident table, and the text when given."""
    for _, _, (at, new, line, lo, changed) in steps:
        index.insert(at, new, line, lo)
        latest.update(changed)
        if text is not None:
            text = text[:at] + new + text[at:]
    return text


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


def exposed(path: str | os.PathLike[str]) -> str | None:
    """A warning when the data file can be read or written by other users."""
    try:
        mode = os.stat(path).st_mode & 0o777
    except OSError:
        return None
    if mode & 0o077:
        return (f"warning: {path} can be read by other users (mode {mode:04o}); "
                f"`chmod 600 {path}` keeps your notes private")
    return None
