"""Checks that a new text means exactly what was intended, whole or in part."""

from __future__ import annotations

import bisect
import re
import tomllib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .edit import Splice
from .scan import Block, Index, Key, scan, scan_block

if TYPE_CHECKING:
    from .snapshot import Snapshot

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


def append_target(snap: Snapshot, cid: str, array: str) -> tuple[int, int] | None:
    """The quick append's preconditions (see `tail_verified`): the header of the last
    element of `clients.<cid>.<array>` and how many elements there are, when every
    element is a `[[...]]` header of its own and nothing of the client comes after
    the last one; else None (the general path).

    What the index says is checked against the file's own bytes where the new block
    goes, so that an index that does not describe the file (a damaged cache entry)
    is a miss, never a write: the text's length; that the block starts a line with
    the array's header and ends at the end of the text or at the next header's line
    (`headers_fit`); and that it reads alone as that header and its statements (so
    it is not cut inside a value, nor runs into another header)."""
    if not snap.exact or not snap.knows_latest:
        return None
    path = ("clients", cid, array)
    index = snap.index
    mine = index.client_headers(cid)
    elements = [i for i in mine if index.paths[i][:3] == path]
    if not elements or any(index.paths[i] != path or not index.aot[i] for i in elements):
        return None
    last = elements[-1]
    if any(i > last and len(index.paths[i]) == 2 for i in mine):
        return None  # `[clients.<id>]` after the array: left to the general path
    start, end = index.block_bounds(last)
    if not start < end or not headers_fit(index, snap, {last, last + 1}):
        return None
    block = snap.region(start, end)
    try:
        inner = scan(block)
        if inner.paths != [path] or inner.aot != [True] or inner.starts[0] != 0:
            return None
        tomllib.loads(block)
    except (ValueError, tomllib.TOMLDecodeError, RecursionError):
        return None
    return last, len(elements)


def index_fits(index: Index, snap: Snapshot) -> bool:
    """Whether an index (from the cache) can describe this text: its length, and its
    first and last headers (see `headers_fit`)."""
    return headers_fit(index, snap, {0, len(index) - 1} if len(index) else set())


def headers_fit(index: Index, snap: Snapshot, heads: set[int]) -> bool:
    """Whether the index's length is the text's, and each of these headers is where the
    index says: the line it starts reads as that header (so the blocks it bounds
    are the text's own). What an edit of some clients builds on, checked against
    the file's bytes: their headers and the ones after them."""
    if index.length != snap.length():
        return False
    for i in heads:
        if not 0 <= i < len(index):
            continue
        start = index.start(i)
        if not 0 <= start < index.length or (start and snap.region(start - 1, start) != "\n"):
            return False
        line = snap.region(start, min(index.length, start + 4096))
        cut = line.find("\n")
        try:
            got = scan(line if cut < 0 else line[: cut + 1])
        except ValueError:
            return False
        if got.paths != [index.paths[i]] or got.aot != [index.aot[i]] or got.starts[0] != 0:
            return False
    return True


def client_heads(index: Index, ids: list[str]) -> set[int]:
    """The headers of these clients, and the one after each (where its block ends)."""
    return {j for cid in ids for i in index.client_headers(cid) for j in (i, i + 1)}


def splices_verified(old: str, old_index: Index, text: str, index: Index, ids: list[str],
                     after: dict[str, Any], splices: list[Splice]) -> bool:
    """Whether the new text (`old` with the splices made; `index`, its index) means
    exactly the intended data (`after`: the clients `ids` as they must be), checked
    where it changed. Precondition: every client of `old` lives in header blocks
    of its own (`exact_clients`).

    Equivalent to reading the whole new text back, because: (1) the blocks of the
    edited clients, read alone, are exactly their intended data; (2) no other
    statement defines a client (`exact`: true of the old text, and the splices
    add only headers of those clients); and (3) the splices stay within those
    blocks or blank space before them (`confined`), so everything else is the
    same text. So the new file means the old one with those clients replaced.
    """
    if index.deepest[0] > MAX_DEPTH:
        return False
    try:
        for cid in ids:
            hs = index.client_headers(cid)
            got = read_blocks(text, index, hs).get("clients", {}).get(cid) if hs else None
            if not same_data(got, after["clients"].get(cid)):
                return False
    except tomllib.TOMLDecodeError:
        return False
    try:
        return confined(old, old_index, ids, splices)
    except ValueError:  # text the scanner cannot index is not proved here
        return False


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


def changed_clients(old: str, index: Index, text: str) -> tuple[Index, set[str]] | None:
    """A read in part's precondition and proof: the index of `text` and the clients
    whose blocks changed, when `text` is `old` (valid, indexed by `index`, every
    client in blocks of its own) with just some clients redefined; else None.

    The text that changed is widened to whole blocks of the old text. The new file
    is the old one with just some clients redefined, and nothing else changed, when:
    those blocks, and the headers of the new text in their place, are all under
    `clients.<id>` (for some ids); the new span starts with a header (no statement
    of it joins the block before), reads alone as TOML, and ends with a newline (or
    the file), so the text after it is read as before; and every client lives in
    blocks of its own (`exact_clients`). Reading those clients from all their
    blocks in the new text then gives what a whole read gives.
    """
    p, s = changed_span(old, text)
    old_end = len(old) - s
    first = bisect.bisect_right(index.starts, p) - 1
    last = bisect.bisect_left(index.starts, old_end) - 1 if old_end > p else first
    if first < 0 or last < first:
        return None
    start, end = index.starts[first], index.block_bounds(last)[1]
    region = text[start : end + len(text) - len(old)]
    span = index.owners[first : last + 1]
    if None in span or (end < len(old) and not region.endswith("\n")):
        return None
    try:
        tomllib.loads(region)  # read alone, it leaves nothing open (a string) for after
        new_index = index.patched(old, start, end, region)
        added = new_index.owners[first : len(new_index) - len(index) + last + 1]
        head = new_index.starts[first] - start if added else len(region)
        if scan_block(region, 0, head, False).statements:
            return None  # statements before the first header would join the block before
    except (tomllib.TOMLDecodeError, ValueError, RecursionError):
        return None  # read whole, which says where the problem is
    if None in added or new_index.deepest[0] > MAX_DEPTH:
        return None
    return new_index, {o for o in span + added if o is not None}


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
