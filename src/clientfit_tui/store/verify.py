"""Checks that a new text means exactly what was intended, whole or in part."""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Callable
from typing import Any

from .edit import Splice
from .scan import Block, Index, Key, scan, scan_block

_NONBLANK = re.compile(r"\S")
MAX_DEPTH = 32
"""Deeper keys or values are refused: no clientfit file needs them, and they can
exhaust the recursion of the libraries that read them."""


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


def same_data(a: Any, b: Any) -> bool:
    """Equal as TOML data: table key order does not matter, everything else does."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    return strict_equal(a, b)


Region = Callable[[int, int], str]
"""The text between two offsets (of a text that may not be decoded whole)."""


def region_of(text: str | Region) -> Region:
    return (lambda a, b: text[a:b]) if isinstance(text, str) else text


def read_blocks(text: str | Region, index: Index, blocks: list[int]) -> dict[str, Any]:
    """What some blocks of a valid text mean, read alone and in their order."""
    region = region_of(text)
    return tomllib.loads("".join(region(*index.block_bounds(i)) for i in blocks))


def block_at(text: str | Region, index: Index, i: int) -> tuple[Block, int]:
    """The statements of block `i` (-1: the root), with offsets from the block's start;
    and that start."""
    start, end = index.block_bounds(i)
    return scan_block(region_of(text)(start, end), 0, end - start, i >= 0), start


def exact_clients(text: str | Region, index: Index) -> bool:
    """Whether no statement outside the clients' own header blocks defines a client: not
    in the root block, nor in a `[clients]` block."""
    if any(st.key[0] == "clients" for st in block_at(text, index, -1)[0].statements):
        return False
    return not any(index.paths[i] == ("clients",) and block_at(text, index, i)[0].statements
                   for i in index.others)


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


def tail_verified(block: str, start: int, length: int, at: int, new: str, path: Key,
                  item: dict[str, Any]) -> bool:
    """Whether inserting `new` at offset `at` of a text of `length` adds exactly `item`
    at the end of the array of tables `path`, and changes nothing else, when `block`
    (at offset `start`) is the array's last element, from its header to the next.

    Equivalent to reading the whole new text back, because, in a valid text where
    every element of that array is a `[[path]]` header and none comes after this
    one (so no static array, no sub-table of an element, and nothing after the
    array that names it):
    (1) `at` is just past the last statement of the block (the scanner's
        `body_end`), so what follows it up to the next header is blank or comments,
        and `new` goes between two statements, never inside a value;
    (2) `new` is blank space, then one `[[path]]` header, then statements, ending
        with a newline unless it ends the file: so it opens one new element, and no
        statement of the text after it can join that element;
    (3) `new`, read alone, is exactly {path: [item]}: the element's contents.
    A `[[path]]` header appends a table to the array, and no other statement of the
    file refers to the array's last element: so the new file means the old one
    with `item` appended, and nothing else changed.
    """
    if at != start + scan_block(block, 0, len(block), True).body_end:
        return False
    if at < length and not new.endswith("\n"):
        return False
    if block[at - start - 1 : at - start] != "\n" and not new.startswith(("\n", "\r\n")):
        return False
    try:
        inner = scan(new)
    except ValueError:
        return False
    if inner.paths != [path] or inner.aot != [True] or new[:inner.starts[0]].strip() or \
            inner.deepest[0] > MAX_DEPTH:
        return False
    try:
        got = tomllib.loads(new)
    except tomllib.TOMLDecodeError:
        return False
    want: dict[str, Any] = {}
    node = want
    for part in path[:-1]:
        node = node.setdefault(part, {})
    node[path[-1]] = [item]
    return same_data(got, want)


def changed_span(old: str, new: str, chunk: int = 1 << 16) -> tuple[int, int]:
    """(p, s): the lengths of the longest common prefix and suffix of two texts (not
    overlapping), found a chunk at a time and then by halving (comparisons in C)."""
    n = min(len(old), len(new))

    def common(a: str, b: str, limit: int, back: bool) -> int:
        got = 0
        while got < limit:
            step = min(chunk, limit - got)
            if back:
                x, y = a[len(a) - got - step:len(a) - got], b[len(b) - got - step:len(b) - got]
            else:
                x, y = a[got:got + step], b[got:got + step]
            if x == y:
                got += step
                continue
            lo, hi = 0, step  # the longest equal run within the chunk
            while lo < hi:
                mid = (lo + hi + 1) // 2
                same = x[step - mid:] == y[step - mid:] if back else x[:mid] == y[:mid]
                lo, hi = (mid, hi) if same else (lo, mid - 1)
            return got + lo
        return got

    p = common(old, new, n, back=False)
    s = common(old, new, n - p, back=True)
    return p, s
