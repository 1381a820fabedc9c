"""One version of the data file, understood: its text, its index, and what it means."""

import tomllib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

from ..domain import rules
from ..domain.model import (
    Client,
    Data,
    Incident,
    Invoice,
    Problem,
    Review,
    Settings,
    load_client,
    load_data,
    load_settings,
)
from ..domain.updated import with_clients, with_item
from ..i18n import _
from .errors import StoreError
from .scan import Index, line_col, scan_block
from .verify import block_at, exact_clients, read_blocks

BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")

class Stamp(NamedTuple):
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

    def __init__(self, display: str, text: str | None, bom: bool,
                 index: Index | Callable[[], Index], stamp: Stamp,
                 raw: dict[str, Any] | None = None, data: Data | None = None,
                 blob: tuple[bytes | memoryview, ...] = ()) -> None:
        self.display = display
        self._index = index
        """The header index, or how to make it when first asked for."""
        self._text = text
        self._blob = blob
        """The file's bytes (BOM included), in pieces: the text is decoded when needed."""
        self._ascii: bool | None = None
        self.bom = bom
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
        self._latest: dict[str, int | None] | None = None
        """Each client's latest incident (`encode_instant`), for every client, when known."""
        self.steps = 0
        """Insertions the cache has recorded since it last stored the index whole."""

    # -- constructors: the only places a snapshot's state is set ------------------------

    @classmethod
    def whole(cls, display: str, text: str, bom: bool, index: Index, stamp: Stamp,
              raw: dict[str, Any], data: Data, blob: bytes) -> "Snapshot":
        """A version read in full and checked: its text, data and model."""
        return cls(display, text, bom, index, stamp, raw, data, blob=(blob,))

    @classmethod
    def from_cache(cls, display: str, blob: bytes, index: Index, stamp: Stamp,
                   latest: dict[str, int | None], steps: int, data: Data | None = None,
                   cached: bool = False) -> "Snapshot":
        """A version the cache knows: its bytes and index, each client's latest incident,
        and, when given, its model (`cached`: stored as it is, nothing to remember)."""
        snap = cls(display, None, blob.startswith(BOM_BYTES), index, stamp, data=data,
                   blob=(blob,))
        snap._latest = latest
        snap.steps = steps
        snap.cached = cached and data is not None
        return snap

    @classmethod
    def rebuilt(cls, display: str, text: str, bom: bool, index: Index, stamp: Stamp,
                blob: bytes, latest: dict[str, int | None], data: Data | None) -> "Snapshot":
        """The version clientfit last knew, rebuilt from the cache (checked by digest)."""
        snap = cls(display, text, bom, index, stamp, data=data, blob=(blob,))
        snap._latest = latest
        return snap

    def derive(self, text: str | None, index: Index | Callable[[], Index], stamp: Stamp,
               raw: dict[str, Any] | None, data: Data | None,
               blob: tuple[bytes | memoryview, ...],
               clients: dict[str, dict[str, Any] | None] | None = None,
               latest: dict[str, int | None] | None = None, steps: int = 0,
               exact: bool | None = None) -> "Snapshot":
        """A later version of this file, proved to be this one with some clients changed:
        it keeps this one's settings (and, unless told, whether clients are exact);
        `clients`: the data of the changed clients; `latest`: every client's latest
        incident, when known."""
        new = Snapshot(self.display, text, self.bom, index, stamp, raw, data, blob=blob)
        new._settings = self._settings
        new._exact = self._exact if exact is None else exact
        if clients:
            new._clients.update(clients)
        new._latest = latest
        new.steps = steps
        return new

    def restamp(self, stamp: Stamp) -> None:
        """The same content found again on disk, with a new stat."""
        self.stamp = stamp

    def remembered(self) -> None:
        """The model was stored in the cache as it is."""
        self.cached = True

    # -- what is known without working anything out ------------------------------------

    @property
    def known_raw(self) -> dict[str, Any] | None:
        """The whole file's data, when it was read (else None: not read for it)."""
        return self._raw

    @property
    def known_data(self) -> Data | None:
        """The whole model, when it was made (else None)."""
        return self._data

    def known_client(self, cid: str) -> dict[str, Any] | None:
        """One client's data, when it was read alone or known from a write."""
        return self._clients.get(cid)

    @property
    def knows_latest(self) -> bool:
        """Whether every client's latest incident is known without reading the file."""
        return self._latest is not None or self._data is not None

    # -- worked out on demand ------------------------------------------------------------

    @property
    def index(self) -> Index:
        if not isinstance(self._index, Index):
            self._index = self._index()
        return self._index

    @property
    def text(self) -> str:
        if self._text is None:
            b = self.blob
            self._text = (b[3:] if self.bom else b).decode("utf-8")
        return self._text

    @property
    def blob(self) -> bytes:
        """The file's bytes."""
        if not self._blob:
            self._blob = (((BOM if self.bom else "") + self.text).encode("utf-8"),)
        first = self._blob[0]
        if len(self._blob) == 1 and isinstance(first, bytes):
            return first
        joined = b"".join(self._blob)
        self._blob = (joined,)
        return joined

    def length(self) -> int:
        """The length of the text (without decoding it when it is plain ASCII)."""
        if self._text is None:
            if self._ascii is None:
                self._ascii = self.blob.isascii()
            if self._ascii:
                return len(self.blob)
        return len(self.text)

    def byte_offset(self, at: int) -> int:
        """Where offset `at` of the text is in the file's bytes."""
        if not self.bom:
            if self._ascii is None:
                self._ascii = self.blob.isascii()
            if self._ascii:
                return at
        return len(self.text[:at].encode("utf-8")) + (len(BOM_BYTES) if self.bom else 0)

    def region(self, start: int, end: int) -> str:
        """text[start:end], without decoding the whole file when it is plain ASCII."""
        if self._text is None:
            if self._ascii is None:
                self._ascii = self.blob.isascii()
            if self._ascii:
                return self.blob[start:end].decode("ascii")
        return self.text[start:end]

    @property
    def nl(self) -> str:
        if self._text is not None:
            return newline_of(self._text)
        b = self.blob
        i = b.find(b"\n")
        return "\r\n" if i > 0 and b[i - 1] == 13 else "\n"

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
            self._exact = exact_clients(self.region, self.index)
        return self._exact

    def _partial_settings(self) -> dict[str, Any] | None:
        if self._raw is not None:
            return self._raw
        blocks = [i for i in self.index.others if self.index.paths[i][:1] == ("settings",)]
        root, _ = block_at(self.region, self.index, -1)
        if any(st.key[0] == "settings" for st in root.statements):
            return self.raw
        return read_blocks(self.region, self.index, blocks)

    def client_raw(self, cid: str) -> dict[str, Any] | None:
        """One client's data, read from its own blocks when it can be."""
        if self._raw is None and self.exact:
            if cid in self._clients:
                return self._clients[cid]
            hs = self.index.client_headers(cid)
            got = read_blocks(self.region, self.index, hs).get("clients", {}).get(cid) if hs \
                else None
            self._clients[cid] = got if isinstance(got, dict) else None
            return self._clients[cid]
        clients = self.raw.get("clients", {})
        got = clients.get(cid) if isinstance(clients, dict) else None
        return got if isinstance(got, dict) else None

    def has_client(self, cid: str) -> bool:
        """Whether the file has a client with this id (from the index alone when it can)."""
        if self._data is not None:
            return cid in self._data.clients
        if self._raw is None and self.exact:
            return bool(self.index.client_headers(cid))
        return self.client_raw(cid) is not None

    def latest_incident(self, cid: str) -> datetime | None:
        """The instant of a client's latest incident (UTC), None when it has none."""
        if self._latest is not None and cid in self._latest:
            return decode_instant(self._latest[cid])
        if self._data is not None:
            client: Client | None = self._data.clients.get(cid)
        else:
            client, _ = load_client(self.settings, cid, self.client_raw(cid))
        return rules.latest_incident(client, self.settings) if client is not None else None

    def latest_table(self) -> dict[str, int | None] | None:
        """Every client's latest incident (`encode_instant`), when known without reading
        the whole file."""
        if self._latest is None and self._data is not None:
            s = self._data.settings
            self._latest = {cid: encode_instant(rules.latest_incident(c, s))
                            for cid, c in self._data.clients.items()}
        return self._latest

    def partial(self, ids: list[str]) -> dict[str, Any]:
        """The data an edit of clients `ids` works on: those clients alone."""
        clients: dict[str, Any] = {}
        for cid in ids:
            c = self.client_raw(cid)
            if c is not None:
                clients[cid] = c
        return {"clients": clients}


class ReplaceClients:
    """A journal step: the model with some clients replaced or removed, listed in the
    order a whole read of the new file gives (picklable)."""

    def __init__(self, clients: dict[str, Client], order: list[str]) -> None:
        self.clients = clients
        self.order = order

    def __call__(self, data: Data) -> Data:
        return in_order(with_clients(data, self.clients), self.order)


def in_order(data: Data, order: list[str]) -> Data:
    """The model with its clients in this order (a client not in it is dropped)."""
    return Data(data.settings, {cid: data.clients[cid] for cid in order})


class AppendItem:
    """A journal step: one element added at the end of a client's array (picklable)."""

    def __init__(self, cid: str, array: str, item: Incident | Invoice | Review) -> None:
        self.cid = cid
        self.array = array
        self.item = item

    def __call__(self, data: Data) -> Data:
        return with_clients(data, {self.cid: with_item(data.clients[self.cid], self.array,
                                                       self.item)})


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICRO = timedelta(microseconds=1)


def encode_instant(t: datetime | None) -> int | None:
    """An instant as a plain number (microseconds since 1970, UTC), for the cache."""
    return None if t is None else (t - _EPOCH) // _MICRO


def decode_instant(n: int | None) -> datetime | None:
    return None if n is None else _EPOCH + n * _MICRO


def newline_of(text: str) -> str:
    i = text.find("\n")
    return "\r\n" if i > 0 and text[i - 1] == "\r" else "\n"


def locate_all(display: str, text: str, index: Index, problems: list[Problem]) -> list[str]:
    loc = Locator(text, index)
    out = []
    for p in problems:
        line, col = loc.find(p.path)
        said = _("warning: {message}").format(message=p.message) if p.warning else p.message
        out.append(f"{display}:{line}:{col}: {said}")
    return out


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
                i = self._below(path, n, i)
                if i < 0:
                    return 1, 1
                h = self.index.header(i)
                j = h.start + (len(self.text[h.start : h.end]) -
                               len(self.text[h.start : h.end].lstrip(" \t")))
                return line_col(self.text, j)
            return line_col(self.text, pos)
        return 1, 1

    def _below(self, path: tuple[str | int, ...], n: int, i: int) -> int:
        """The header a path stands at when no statement names it: the first header
        under it (a client defined only by its sub-tables, like `[[clients.x.incidents]]`),
        else `i` (the header of its longest prefix that has one)."""
        for m in range(len(path), n, -1):
            under = [j for key, j in self.by_path.items() if len(key) > m and key[:m] == path[:m]]
            if under:
                return min(under)
        return i

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
