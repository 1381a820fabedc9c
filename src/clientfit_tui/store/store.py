"""The data file: read, check, edit, and write it without ever losing a byte.

- Reads with `tomllib` (the authority on what the file means) and indexes its
  structure with `scan` (where things are).
- Writes only the lines an edit needs, reads the new text back and compares it
  with the intended data before it replaces the file, atomically.
- Serialises writers through a lock file beside the data file, and re-applies
  an edit to the file as it is on disk when it changed since it was read.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import tempfile
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..domain.model import Data, Problem, load_data
from . import edit as edits
from .scan import Index, line_col, scan, scan_block

BOM = "\ufeff"
_TOML_POS = re.compile(r"^(.*) \(at line (\d+), column (\d+)\)$", re.S)
_TOML_END = re.compile(r"^(.*) \(at end of document\)$", re.S)
LOCK_TIMEOUT = 10.0
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


@dataclass(frozen=True, slots=True)
class Stamp:
    """What identifies one version of the file on disk."""

    size: int
    mtime_ns: int
    ino: int
    dev: int
    digest: str


@dataclass(slots=True)
class Snapshot:
    """One version of the file, understood."""

    text: str
    """The text, without any byte-order mark."""
    bom: bool
    raw: dict[str, Any]
    """What `tomllib` read."""
    data: Data
    index: Index
    stamp: Stamp
    warnings: list[str]
    """`path:line:col: warning: ...` lines for what valid data still flags."""

    @property
    def nl(self) -> str:
        return newline_of(self.text)


def newline_of(text: str) -> str:
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


def digest(b: bytes) -> str:
    return hashlib.blake2b(b, digest_size=20).hexdigest()


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


class Store:
    """One data file."""

    def __init__(self, path: str | os.PathLike[str], display: str | None = None) -> None:
        self.path = Path(path)
        self.display = display or str(path)

    # -- locations ---------------------------------------------------------------------

    @property
    def target(self) -> Path:
        """The file itself: a symlink is written through to what it points at."""
        return Path(os.path.realpath(self.path))

    @property
    def lock_path(self) -> Path:
        t = self.target
        return t.with_name(f".{t.name}.lock")

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

    def load(self) -> Snapshot:
        b, st = self.read_bytes()
        return self.parse(b, st)

    def parse(self, b: bytes, st: os.stat_result | None = None) -> Snapshot:
        """Understand the bytes of the file, or raise InvalidFile with every problem."""
        try:
            text = b.decode("utf-8")
        except UnicodeDecodeError as e:
            line = b.count(b"\n", 0, e.start) + 1
            col = e.start - (b.rfind(b"\n", 0, e.start) + 1) + 1
            raise InvalidFile([f"{self.display}:{line}:{col}: not valid UTF-8 "
                               f"(byte 0x{b[e.start]:02x})"]) from None
        bom = text.startswith(BOM)
        if bom:
            text = text[1:]
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
            raise InvalidFile(self.locate_all(text, index, problems))
        from ..domain.rules import warnings

        warns = self.locate_all(text, index, warnings(data))
        stamp = _stamp(b, st)
        return Snapshot(text, bom, raw, data, index, stamp, warns)

    def _syntax_error(self, text: str, msg: str) -> str:
        m = _TOML_POS.match(msg)
        if m:
            return f"{self.display}:{m.group(2)}:{m.group(3)}: {_lower(m.group(1))}"
        m = _TOML_END.match(msg)
        line, col = line_col(text, len(text))
        return f"{self.display}:{line}:{col}: {_lower(m.group(1) if m else msg)}"

    def locate_all(self, text: str, index: Index, problems: list[Problem]) -> list[str]:
        loc = Locator(text, index)
        out = []
        for p in problems:
            line, col = loc.find(p.path)
            tag = "warning: " if p.warning else ""
            out.append(f"{self.display}:{line}:{col}: {tag}{p.message}")
        return out

    # -- change detection ---------------------------------------------------------------

    def changed(self, snap: Snapshot) -> bool:
        """Whether the file on disk may differ from `snap` (a cheap stat, no read)."""
        try:
            st = os.stat(self.target)
        except OSError:
            return True
        s = snap.stamp
        return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev) != (
            s.size, s.mtime_ns, s.ino, s.dev)

    def refresh(self, snap: Snapshot) -> Snapshot | None:
        """A new snapshot when the content on disk differs from `snap`, else None."""
        b, st = self.read_bytes()
        if digest(b) == snap.stamp.digest:
            snap.stamp = _stamp(b, st)
            return None
        return self.parse(b, st)

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

    def apply(self, change: edits.Edit, base: Snapshot | None = None,
              on_base: Callable[[dict[str, Any]], None] | None = None) -> Snapshot:
        """Apply one edit to the file as it is now, and write it. Returns the new snapshot.

        If the file changed on disk since `base`, the edit is re-applied to the
        fresh file; if the fresh file is invalid, nothing is written. `on_base` is
        called with the data the edit is applied to (to compute its inverse).
        """
        with self.lock():
            self.clean_temps()
            b, st = self.read_bytes()
            snap = base if base is not None and digest(b) == base.stamp.digest else self.parse(b, st)
            try:
                change.rebase(snap.raw)
                if on_base is not None:
                    on_base(snap.raw)
                new_raw = change.apply(snap.raw)
            except edits.EditError as e:
                raise StoreError(str(e)) from None
            data, problems = load_data(new_raw)
            if data is None:
                raise StoreError(f"{self.display}: refused: the change would make the file "
                                 f"invalid ({problems[0].message})")
            new_text = self._edited_text(snap, change, new_raw)
            out = ((BOM if snap.bom else "") + new_text).encode("utf-8")
            self._write(out, st)
            new_st = os.stat(self.target)
            from ..domain.rules import warnings

            index = scan(new_text)
            warns = self.locate_all(new_text, index, warnings(data))
            return Snapshot(new_text, snap.bom, new_raw, data, index, _stamp(out, new_st), warns)

    def _edited_text(self, snap: Snapshot, change: edits.Edit, intended: dict[str, Any]) -> str:
        """The new text: line-level splices first, else tomlkit; whichever reads back right."""
        doc = edits.Doc(snap.text, snap.index, snap.nl)
        splices = change.splice(doc, snap.raw)
        failure: StoreError | None = None
        if splices is not None:
            text = edits.apply_splices(snap.text, splices)
            try:
                self.verify(text, intended)
                return text
            except StoreError as e:
                failure = e
        try:
            text = self._tomlkit_text(snap, change)
        except Exception as e:  # tomlkit has open bugs with some shapes of file
            raise failure or StoreError(
                f"{self.display}: refused to write: this part of the file has a shape "
                f"clientfit cannot edit ({type(e).__name__}); edit it by hand (e). "
                "The file is unchanged") from None
        self.verify(text, intended)
        return text

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

    def _write(self, data: bytes, st: os.stat_result | None) -> None:
        """Atomically replace the file: temp file in the same folder, fsync, rename, fsync."""
        target = self.target
        folder = target.parent
        mode = (st.st_mode & 0o7777) if st is not None else 0o600
        try:
            fd, tmp = tempfile.mkstemp(prefix=self._temp_prefix(), suffix=".tmp", dir=folder)
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


def _stamp(b: bytes, st: os.stat_result | None) -> Stamp:
    if st is None:
        return Stamp(len(b), 0, 0, 0, digest(b))
    return Stamp(st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, digest(b))


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
