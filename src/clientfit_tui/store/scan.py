"""A structural index of a TOML text: where each table header and statement is.

`tomllib` tells us what a file means but not where anything is. This scanner
tells us where: the table headers (found in one pass that jumps between the
few places that can matter) and, on demand, the statements inside one block.
It runs only on text that `tomllib` has already accepted, so it may be lenient
about errors; it must never be wrong about structure.
"""

from __future__ import annotations

import bisect
import re
import sys
import tomllib
from typing import NamedTuple

Key = tuple[str, ...]

# A line that starts a table header, or a value that may run over several lines.
_HOT = re.compile(r"^[ \t]*\[|\"\"\"|'''|=[ \t]*[\[{]", re.M)
_BARE = re.compile(r"[A-Za-z0-9_-]+")
_BASIC = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_LITERAL = re.compile(r"'[^'\n]*'")
_ML_BASIC = re.compile(r'"""(?:[^"\\]|\\[\s\S]|"(?!""))*"""(?:"{0,2})')
_ML_LITERAL = re.compile(r"'''[\s\S]*?'''(?:'{0,2})")
_RUN = re.compile(r"[^\"'\[\]{}#\n]+")
_WS = re.compile(r"[ \t]*")


class Header(NamedTuple):
    """One table header: `[a.b]` or `[[a.b]]`."""

    path: Key
    """The decoded key path."""
    aot: bool
    """True for an array-of-tables header `[[...]]`."""
    start: int
    """Offset of the start of the header's line."""
    line: int
    """0-based line number of the header."""
    end: int = 0
    """Offset just past the end of the header's line (its newline included)."""


class Statement(NamedTuple):
    """A key/value statement inside a block."""

    key: Key
    """The (possibly dotted) key, decoded."""
    start: int
    """Offset of the start of the statement's first line."""
    key_col: int
    """Offset of the key's first character."""
    value_start: int
    """Offset of the value's first character."""
    value_end: int
    """Offset just past the value's last character (before any comment)."""
    end: int
    """Offset just past the statement's last line (its newline included)."""
    depth: int = 0
    """How deep the key and value nest (arrays and inline tables count one level each)."""


class Block:
    """The statements of one block: a header (or the root) and what follows it."""

    __slots__ = ("body_end", "statements")

    def __init__(self, statements: list[Statement] | None = None, body_end: int = 0) -> None:
        self.statements: list[Statement] = statements if statements is not None else []
        self.body_end = body_end
        """Offset just past the last statement (or the header line when empty)."""


class Index:
    """Every table header of a text, in order, kept as columns (cheap to shift and pickle)."""

    def __init__(self, paths: list[Key], aot: list[bool], starts: list[int], lines: list[int],
                 ends: list[int], length: int, deepest: tuple[int, int] = (0, 0),
                 others: list[int] | None = None, _by_client: dict[str, list[int]] | None = None,
                 _known: dict[str, list[int]] | None = None) -> None:
        self.paths = paths
        self.aot = aot
        self.starts = starts
        """Offset of the start of each header's line."""
        self.lines = lines
        """0-based line number of each header."""
        self.ends = ends
        """Offset just past each header's line."""
        self.length = length
        self.deepest = deepest
        """(nesting depth, offset) of the most deeply nested key or value."""
        self.others: list[int] = others if others is not None else []
        """The headers that are not under `clients.<id>` (settings, `[clients]`, unknown tables)."""
        self._by_client = _by_client
        self._known: dict[str, list[int]] = _known if _known is not None else {}
        """Header lists of some clients, carried over a patch while `_by_client` is not rebuilt."""

    @classmethod
    def from_headers(cls, headers: list[Header], length: int,
                     deepest: tuple[int, int] = (0, 0)) -> Index:
        paths = [h.path for h in headers]
        others = [i for i, p in enumerate(paths) if len(p) < 2 or p[0] != "clients"]
        return cls(paths, [h.aot for h in headers], [h.start for h in headers],
                   [h.line for h in headers], [h.end for h in headers], length, deepest, others)

    def __len__(self) -> int:
        return len(self.paths)

    def header(self, i: int) -> Header:
        return Header(self.paths[i], self.aot[i], self.starts[i], self.lines[i], self.ends[i])

    def block_bounds(self, i: int) -> tuple[int, int]:
        """Offsets of block `i` (-1 for the root block): from its header to the next one."""
        start = 0 if i < 0 else self.starts[i]
        nxt = i + 1
        end = self.starts[nxt] if nxt < len(self.starts) else self.length
        return start, end

    def client_headers(self, cid: str) -> list[int]:
        """The headers under `clients.<cid>`, in file order."""
        if self._by_client is None:
            if cid in self._known:
                return self._known[cid]
            by: dict[str, list[int]] = {}
            for i, p in enumerate(self.paths):
                if len(p) >= 2 and p[0] == "clients":
                    by.setdefault(p[1], []).append(i)
            self._by_client = by
        return self._by_client.get(cid, [])

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

    def patched(self, old_text: str, start: int, end: int, new: str) -> Index:
        """The index of `old_text` with text[start:end] replaced by `new`.

        The replaced span must start at a line start and cover whole statements
        and headers (as every edit's splice does); `new` likewise.
        """
        lo = bisect.bisect_left(self.starts, start)
        hi = bisect.bisect_left(self.starts, end)
        delta = len(new) - (end - start)
        line_delta = new.count("\n") - old_text.count("\n", start, end)
        first_line = self.line_at(old_text, start)
        inner = scan(new)
        paths = self.paths[:lo] + inner.paths + self.paths[hi:]
        aot = self.aot[:lo] + inner.aot + self.aot[hi:]
        starts = (self.starts[:lo] + [s + start for s in inner.starts]
                  + [s + delta for s in self.starts[hi:]])
        ends = (self.ends[:lo] + [e + start for e in inner.ends]
                + [e + delta for e in self.ends[hi:]])
        lines = (self.lines[:lo] + [n + first_line for n in inner.lines]
                 + [n + line_delta for n in self.lines[hi:]])
        deepest = max(self.deepest, (inner.deepest[0], inner.deepest[1] + start))
        moved = len(inner.paths) - (hi - lo)

        def remap(ids: list[int], new_ids: list[int]) -> list[int]:
            kept = [i if i < lo else i + moved for i in ids if not lo <= i < hi]
            return sorted(kept + [lo + j for j in new_ids])

        others = remap(self.others, inner.others)
        known: dict[str, list[int]] = {}
        touched = {p[1] for p in inner.paths if len(p) >= 2 and p[0] == "clients"}
        touched |= {self.paths[i][1] for i in range(lo, hi)
                    if len(self.paths[i]) >= 2 and self.paths[i][0] == "clients"}
        for cid in touched:
            mine = [j for j, p in enumerate(inner.paths) if len(p) >= 2 and p[:2] == ("clients", cid)]
            known[cid] = remap(self.client_headers(cid), mine)
        return Index(paths, aot, starts, lines, ends, self.length + delta, deepest, others,
                     None, known)


def _decode_key_part(text: str, i: int) -> tuple[str, int]:
    """Read one simple key (bare or quoted) at `i`; return it and the offset after it."""
    c = text[i : i + 1]
    if c == '"':
        m = _BASIC.match(text, i)
        if m is None:
            raise ValueError("unterminated key")
        raw = m.group(0)
        value = tomllib.loads(f"k = {raw}")["k"] if "\\" in raw else raw[1:-1]
        return str(value), m.end()
    if c == "'":
        m = _LITERAL.match(text, i)
        if m is None:
            raise ValueError("unterminated key")
        return m.group(0)[1:-1], m.end()
    m = _BARE.match(text, i)
    if m is None:
        raise ValueError("bad key")
    return m.group(0), m.end()


def read_key(text: str, i: int) -> tuple[Key, int]:
    """Read a dotted key starting at `i`; return its parts and the offset after it."""
    parts: list[str] = []
    while True:
        part, i = _decode_key_part(text, i)
        parts.append(part)
        j = _WS.match(text, i).end()  # type: ignore[union-attr]
        if text.startswith(".", j):
            i = _WS.match(text, j + 1).end()  # type: ignore[union-attr]
            continue
        return tuple(parts), j


def _line_end(text: str, i: int) -> int:
    """Offset just past the newline that ends the line containing `i`."""
    j = text.find("\n", i)
    return len(text) if j < 0 else j + 1


def skip_value(text: str, i: int) -> tuple[int, int, int]:
    """Skip a value starting at `i`; return (value_end, statement_end, deepest nesting)."""
    n = len(text)
    depth = 0
    deepest = 0
    value_end = i
    while i < n:
        c = text[i]
        if c == '"':
            m = (_ML_BASIC if text.startswith('"""', i) else _BASIC).match(text, i)
            i = m.end() if m else n
            value_end = i
        elif c == "'":
            m = (_ML_LITERAL if text.startswith("'''", i) else _LITERAL).match(text, i)
            i = m.end() if m else n
            value_end = i
        elif c in "[{":
            depth += 1
            deepest = max(deepest, depth)
            i += 1
        elif c in "]}":
            depth -= 1
            i += 1
            value_end = i
        elif c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j
        elif c == "\n":
            if depth <= 0:
                return value_end, i + 1, deepest
            i += 1
        else:
            m = _RUN.match(text, i)
            assert m is not None
            i = m.end()
            stripped = m.group(0).rstrip(" \t\r")
            if stripped:
                value_end = m.start() + len(stripped)
    return value_end, n, deepest


_PATHS: dict[Key, Key] = {}


def _shared(path: Key) -> Key:
    """One object per distinct path (and its parts), so that the index pickles small."""
    got = _PATHS.get(path)
    if got is None:
        got = tuple(sys.intern(p) for p in path)
        _PATHS[got] = got
    return got


def _parse_header(text: str, i: int, line: int) -> Header:
    """Parse the header whose line starts at `i`."""
    j = _WS.match(text, i).end()  # type: ignore[union-attr]
    aot = text.startswith("[[", j)
    j += 2 if aot else 1
    j = _WS.match(text, j).end()  # type: ignore[union-attr]
    path, _ = read_key(text, j)
    return Header(path=_shared(path), aot=aot, start=i, line=line, end=_line_end(text, j))


def _statement_at(text: str, i: int) -> tuple[Statement | None, int]:
    """Read whatever starts the line at `i`: a key/value, or trivia. Return it and its end."""
    j = _WS.match(text, i).end()  # type: ignore[union-attr]
    c = text[j : j + 1]
    if c in ("", "\n", "#", "\r"):
        return None, _line_end(text, j)
    key, k = read_key(text, j)
    # k is at '='
    v = _WS.match(text, k + 1).end()  # type: ignore[union-attr]
    value_end, end, depth = skip_value(text, v)
    return Statement(key=key, start=i, key_col=j, value_start=v, value_end=value_end, end=end,
                     depth=depth + len(key)), end


def scan(text: str) -> Index:
    """Index every table header of a text that `tomllib` accepts."""
    headers: list[Header] = []
    deepest = (0, 0)
    pos = 0
    line = 0
    n = len(text)
    search = _HOT.search
    count = text.count
    while pos < n:
        m = search(text, pos)
        if m is None:
            break
        nl = text.rfind("\n", pos, m.start())
        start = pos if nl < 0 else nl + 1
        line += count("\n", pos, start)
        j = _WS.match(text, start).end()  # type: ignore[union-attr]
        if text.startswith("[", j):
            h = _parse_header(text, start, line)
            headers.append(h)
            end = h.end
            if len(h.path) > deepest[0]:
                deepest = (len(h.path), start)
        else:
            st, end = _statement_at(text, start)
            if st is not None and st.depth > deepest[0]:
                deepest = (st.depth, st.start)
        line += count("\n", start, end)
        pos = end
    return Index.from_headers(headers, n, deepest)


def scan_block(text: str, start: int, end: int, has_header: bool) -> Block:
    """List the statements of the block in text[start:end]."""
    block = Block()
    i = start
    if has_header:
        i = _line_end(text, start)
    block.body_end = i
    while i < end:
        st, nxt = _statement_at(text, i)
        if st is not None:
            block.statements.append(st)
            block.body_end = nxt
        i = nxt
    return block


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of an offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col
