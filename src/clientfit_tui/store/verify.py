"""Checks that a new text means exactly what was intended, whole or in part."""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Callable
from typing import Any

from .edit import Splice
from .scan import Block, Index, scan, scan_block

_NONBLANK = re.compile(r"\S")


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
