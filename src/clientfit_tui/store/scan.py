"""A structural index of a TOML text: where each table header and statement is.

`tomllib` tells us what a file means but not where anything is. This scanner
tells us where: the table headers (found in one pass that jumps between the
few places that can matter) and, on demand, the statements inside one block.
It runs only on text that `tomllib` has already accepted, so it may be lenient
about errors; it must never be wrong about structure.
"""

import bisect
from array import array
from typing import Any

from .lex import (
    HOT,
    WS,
    Block,
    Header,
    Key,
    Statement,
    line_col,
    parse_header,
    read_key,
    scan_block,
    skip_value,
    statement_at,
)

__all__ = ["Block", "Header", "Index", "Key", "Statement", "column", "line_col", "read_key",
           "scan", "scan_block", "skip_value"]


def column(values: Any = ()) -> "array[int]":
    """A column of offsets or line numbers, kept as machine words (quick to store)."""
    return array("q", values)


class Index:
    """Every table header of a text, in order, kept as columns (cheap to shift and store).

    The offset and line columns take an insertion lazily: the entries after it
    keep their old values, and a pending shift says by how much they moved. So
    adding a block to a big file costs a few list copies, not a pass in Python
    over every header; the columns are brought up to date when first read whole.
    """

    CACHED_FIELDS = ("paths", "aot", "starts", "lines", "ends", "length", "deepest", "others",
                     "owners", "shifts")
    """What `columns` gives, in order (what the cache stores, and its fingerprint)."""
    __slots__ = ("_clients", "_ends", "_lines", "_shifts", "_starts", "aot", "deepest",
                 "length", "others", "owners", "paths")

    def __init__(self, paths: list[Key], aot: list[bool], starts: "array[int]",
                 lines: "array[int]", ends: "array[int]", length: int,
                 deepest: tuple[int, int] = (0, 0),
                 others: list[int] | None = None, owners: list[str | None] | None = None,
                 shifts: list[tuple[int, int, int]] | None = None) -> None:
        self.paths = paths
        self.aot = aot
        self._starts = starts
        self._lines = lines
        self._ends = ends
        self._shifts: list[tuple[int, int, int]] = shifts or []
        """(first header, offset shift, line shift), in order of header: each applies to
        that header and every one after it."""
        self.length = length
        self.deepest = deepest
        """(nesting depth, offset) of the most deeply nested key or value."""
        self.owners: list[str | None] = owners if owners is not None else [
            p[1] if len(p) >= 2 and p[0] == "clients" else None for p in paths]
        """The client each header is under (`clients.<id>...`), else None."""
        self.others: list[int] = others if others is not None else [
            i for i, o in enumerate(self.owners) if o is None]
        """The headers that are not under `clients.<id>` (settings, `[clients]`, unknown tables)."""
        self._clients: dict[str, list[int]] = {}

    @classmethod
    def from_headers(cls, headers: list[Header], length: int,
                     deepest: tuple[int, int] = (0, 0)) -> "Index":
        return cls([h.path for h in headers], [h.aot for h in headers],
                   column(h.start for h in headers), column(h.line for h in headers),
                   column(h.end for h in headers), length, deepest)

    def columns(self) -> tuple[Any, ...]:
        """The index as plain values (what the cache stores; see `from_columns`)."""
        self._settle()
        values = {"paths": self.paths, "aot": self.aot, "starts": self._starts.tobytes(),
                  "lines": self._lines.tobytes(), "ends": self._ends.tobytes(),
                  "length": self.length, "deepest": self.deepest, "others": self.others,
                  "owners": self.owners, "shifts": self._shifts}
        return tuple(values[f] for f in self.CACHED_FIELDS)

    @classmethod
    def from_columns(cls, cols: tuple[Any, ...]) -> "Index":
        if len(cols) != len(cls.CACHED_FIELDS):
            raise ValueError("not an index")
        c = dict(zip(cls.CACHED_FIELDS, cols, strict=True))
        paths, aot, starts, lines, ends = c["paths"], c["aot"], c["starts"], c["lines"], c["ends"]
        length, deepest, others, owners, shifts = (c["length"], c["deepest"], c["others"],
                                                   c["owners"], c["shifts"])
        columns = []
        for raw in (starts, lines, ends):
            col = column()
            col.frombytes(raw)
            columns.append(col)
        return cls(paths, aot, columns[0], columns[1], columns[2], length, tuple(deepest),
                   others, owners, [tuple(x) for x in shifts])

    # -- the offset columns ------------------------------------------------------------

    def _settle(self) -> None:
        """Apply the pending shifts to the columns."""
        if not self._shifts:
            return
        starts, ends, lines = column(self._starts), column(self._ends), column(self._lines)
        for k, (first, _, _) in enumerate(self._shifts):
            upto = self._shifts[k + 1][0] if k + 1 < len(self._shifts) else len(starts)
            if first >= upto:
                continue
            off = sum(sh[1] for sh in self._shifts[: k + 1])
            ln = sum(sh[2] for sh in self._shifts[: k + 1])
            if off:
                starts[first:upto] = column(map(off.__add__, starts[first:upto]))
                ends[first:upto] = column(map(off.__add__, ends[first:upto]))
            if ln:
                lines[first:upto] = column(map(ln.__add__, lines[first:upto]))
        self._starts, self._ends, self._lines, self._shifts = starts, ends, lines, []

    @property
    def starts(self) -> "array[int]":
        """Offset of the start of each header's line."""
        self._settle()
        return self._starts

    @property
    def ends(self) -> "array[int]":
        """Offset just past each header's line."""
        self._settle()
        return self._ends

    @property
    def lines(self) -> "array[int]":
        """0-based line number of each header."""
        self._settle()
        return self._lines

    def _shift(self, i: int) -> tuple[int, int]:
        off = ln = 0
        for first, o, n in self._shifts:
            if first > i:
                break
            off += o
            ln += n
        return off, ln

    def start(self, i: int) -> int:
        """Offset of the start of header `i`'s line (without settling the columns)."""
        return self._starts[i] + self._shift(i)[0]

    def line(self, i: int) -> int:
        """0-based line number of header `i` (without settling the columns)."""
        return self._lines[i] + self._shift(i)[1]

    # -- queries -----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.paths)

    def header(self, i: int) -> Header:
        off, ln = self._shift(i)
        return Header(self.paths[i], self.aot[i], self._starts[i] + off, self._lines[i] + ln,
                      self._ends[i] + off)

    def block_bounds(self, i: int) -> tuple[int, int]:
        """Offsets of block `i` (-1 for the root block): from its header to the next one."""
        start = 0 if i < 0 else self.start(i)
        nxt = i + 1
        end = self.start(nxt) if nxt < len(self.paths) else self.length
        return start, end

    def client_headers(self, cid: str) -> list[int]:
        """The headers under `clients.<cid>`, in file order."""
        got = self._clients.get(cid)
        if got is None:
            got = []
            owners = self.owners
            find = owners.index  # a search in C: quick even with 50,000 headers
            n = len(owners)
            i = 0
            while True:
                try:
                    i = find(cid, i)
                except ValueError:
                    break
                while i < n and owners[i] == cid:  # a client's headers usually run together
                    got.append(i)
                    i += 1
            self._clients[cid] = got
        return got

    def under(self, prefix: Key) -> list[int]:
        """The headers whose path starts with `prefix`."""
        if len(prefix) >= 2 and prefix[0] == "clients":
            n = len(prefix)
            return [i for i in self.client_headers(prefix[1]) if self.paths[i][:n] == prefix]
        n = len(prefix)
        return [i for i, p in enumerate(self.paths) if p[:n] == prefix]

    def line_at(self, text: str, offset: int) -> int:
        """0-based line number of an offset, counted from the nearest header before it."""
        k = bisect.bisect_right(self.starts, offset) - 1
        if k < 0:
            return text.count("\n", 0, offset)
        return self.lines[k] + text.count("\n", self.starts[k], offset)

    # -- edits -------------------------------------------------------------------------

    def inserted(self, at: int, new: str, line: int, lo: int) -> "Index":
        """The index after inserting `new` at offset `at`, which is at 0-based line `line`
        and between header `lo - 1` and header `lo` (see `insert`)."""
        copy = Index(list(self.paths), list(self.aot), column(self._starts),
                     column(self._lines), column(self._ends), self.length, self.deepest, list(self.others),
                     list(self.owners), list(self._shifts))
        copy.insert(at, new, line, lo)
        return copy

    def insert(self, at: int, new: str, line: int, lo: int) -> None:
        """Take in the insertion of `new` at offset `at`, which is at 0-based line `line`
        and between header `lo - 1` and header `lo`. The headers after it keep their
        stored offsets, and a pending shift moves them: a few moves of memory, where
        rewriting every offset would be a pass in Python over every header."""
        inner = scan(new)
        m = len(inner.paths)
        off, ln = self._shift(lo - 1) if lo > 0 else (0, 0)
        shifts = [(f if f < lo else f + m, o, n) for f, o, n in self._shifts]
        if new:
            shifts.append((lo + m, len(new), new.count("\n")))
            shifts.sort(key=lambda sh: sh[0])
        self._shifts = shifts
        base = at - off
        self.paths[lo:lo] = inner.paths
        self.aot[lo:lo] = inner.aot
        self.owners[lo:lo] = inner.owners
        self._starts[lo:lo] = column(s + base for s in inner._starts)
        self._lines[lo:lo] = column(n + line - ln for n in inner._lines)
        self._ends[lo:lo] = column(e + base for e in inner._ends)
        self.others = sorted([i if i < lo else i + m for i in self.others]
                             + [lo + j for j in inner.others])
        self.deepest = max(
            (self.deepest[0], self.deepest[1] + (len(new) if self.deepest[1] >= at else 0)),
            (inner.deepest[0], inner.deepest[1] + at))
        self.length += len(new)
        self._clients = {}

    def patched(self, old_text: str, start: int, end: int, new: str) -> "Index":
        """The index of `old_text` with text[start:end] replaced by `new`.

        The replaced span must start at a line start and cover whole statements
        and headers (as every edit's splice does); `new` likewise.
        """
        lo = bisect.bisect_left(self.starts, start)
        if start == end:
            return self.inserted(start, new, self.line_at(old_text, start), lo)
        hi = bisect.bisect_left(self.starts, end)
        delta = len(new) - (end - start)
        line_delta = new.count("\n") - old_text.count("\n", start, end)
        first_line = self.line_at(old_text, start)
        inner = scan(new)
        moved = len(inner.paths) - (hi - lo)

        def shift(col: "array[int]", by: int) -> "array[int]":
            return col[hi:] if not by else column(map(by.__add__, col[hi:]))

        paths = self.paths[:lo] + inner.paths + self.paths[hi:]
        aot = self.aot[:lo] + inner.aot + self.aot[hi:]
        owners = self.owners[:lo] + inner.owners + self.owners[hi:]
        starts = (self.starts[:lo] + column(s + start for s in inner.starts)
                  + shift(self.starts, delta))
        ends = self.ends[:lo] + column(e + start for e in inner.ends) + shift(self.ends, delta)
        lines = (self.lines[:lo] + column(n + first_line for n in inner.lines)
                 + shift(self.lines, line_delta))
        deepest = max(self.deepest, (inner.deepest[0], inner.deepest[1] + start))
        others = [i if i < lo else i + moved for i in self.others if not lo <= i < hi]
        others = sorted(others + [lo + j for j in inner.others])
        return Index(paths, aot, starts, lines, ends, self.length + delta, deepest, others,
                     owners)


def scan(text: str) -> "Index":
    """Index every table header of a text that `tomllib` accepts."""
    headers: list[Header] = []
    deepest = (0, 0)
    pos = 0
    line = 0
    n = len(text)
    search = HOT.search
    count = text.count
    while pos < n:
        m = search(text, pos)
        if m is None:
            break
        nl = text.rfind("\n", pos, m.start())
        start = pos if nl < 0 else nl + 1
        line += count("\n", pos, start)
        j = WS.match(text, start).end()  # type: ignore[union-attr]
        if text.startswith("[", j):
            h = parse_header(text, start, line)
            headers.append(h)
            end = h.end
            if len(h.path) > deepest[0]:
                deepest = (len(h.path), start)
        else:
            st, end = statement_at(text, start)
            if st is not None and st.depth > deepest[0]:
                deepest = (st.depth, st.start)
        line += count("\n", start, end)
        pos = end
    return Index.from_headers(headers, n, deepest)
