"""Three-way (and two-way) merge of clientfit data, as edits to apply to OURS.

The merge works on what the files mean (`tomllib`'s data), never on their lines,
and its result is a list of the store's own edits, applied to OURS's text: so
OURS's comments and layout are kept, and the result is verified like any write.

Rules (BASE is the common ancestor; without one, see `plan` with base=None):
- a value changed on one side takes that change; changed the same way on both
  sides, it is kept once; changed two different ways, it is a `Conflict`;
- a value deleted on one side goes, unless the other side changed it (then the
  change is kept: nothing written on either side is lost);
- tables (settings, a client, its offboarding, unknown tables) merge key by key;
  clients added on either side are kept;
- arrays of tables (incidents, invoices, reviews) merge element by element. An
  element has no id, so elements are matched by content: an element equal, as a
  whole table, to an element of BASE is unchanged. Of the rest, an element of
  BASE and one of a side are the same element changed when more than half of
  the keys of both are equal (the same position first, then the most keys equal,
  then the nearest). Anything left over on a side was added there; an element
  added on both sides, equal as a whole, is kept once.

Without a base (two copies left by a sync tool), every element of either copy is
kept once (an element whose keys all agree with one of the other copy's, which
only adds keys, such as an invoice's `paid`, is that element with those keys
added); tables merge key by key, a key present on one side alone is kept, and a
key with two different values is a conflict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .edit import DELETE, AddClient, Append, Remove, SetKeys

MISSING: Any = object()
"""A key that a version does not have."""

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Conflict:
    """A value changed two different ways: where it is in OURS, and both values."""

    path: Path
    """Where the value is in OURS once the clean part of the merge is applied."""
    ours: Any
    theirs: Any

    @property
    def name(self) -> str:
        """`acme.status`, `acme.invoices[2].paid` (elements count from 1)."""
        parts: list[str] = []
        start = 1 if self.path[:1] == ("clients",) else 0
        for p in self.path[start:]:
            if isinstance(p, int):
                parts[-1] += f"[{p + 1}]"
            else:
                parts.append(p)
        return ".".join(parts)


@dataclass
class Plan:
    """What OURS needs to become the merge: edits in rounds (each round is one write,
    made on the result of the one before), and the conflicts."""

    rounds: list[list[Any]] = field(default_factory=lambda: [[], []])
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(self.rounds) and not self.conflicts


def same(a: Any, b: Any) -> bool:
    """Equal as TOML data: types too (Python has 1 == 1.0 == True)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _tables(v: Any) -> bool:
    """An array of tables (incidents, invoices, reviews, or one the file adds)."""
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def merge_keys(base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any],
               path: Path, conflicts: list[Conflict]) -> dict[str, Any]:
    """The keys to set in OURS (DELETE to remove one) for a key-by-key merge of a table
    whose values are taken whole; conflicts are added to `conflicts`."""
    out: dict[str, Any] = {}
    for k in [*ours, *(k for k in theirs if k not in ours)]:
        o, t = ours.get(k, MISSING), theirs.get(k, MISSING)
        got = _merge_value(MISSING if base is None else base.get(k, MISSING), o, t)
        if got is _CONFLICT:
            conflicts.append(Conflict((*path, k), o, t))
        elif got is not o:
            out[k] = DELETE if got is MISSING else got
    return out


_CONFLICT: Any = object()


def _merge_value(b: Any, o: Any, t: Any) -> Any:
    """The merged value (MISSING: no key; _CONFLICT: two different changes)."""
    if same(o, t):
        return o
    if b is MISSING:  # added on one side, or on both (or no base at all)
        return t if o is MISSING else o if t is MISSING else _CONFLICT
    if same(o, b):
        return t  # changed (or deleted) on their side alone
    if same(t, b):
        return o
    if o is MISSING or t is MISSING:  # deleted on one side, changed on the other
        return t if o is MISSING else o
    return _CONFLICT


def plan(base: dict[str, Any] | None, ours: dict[str, Any], theirs: dict[str, Any]) -> Plan:
    """The edits that make OURS the merge of BASE, OURS and THEIRS (base None: two-way)."""
    p = Plan()
    for k in [*ours, *(k for k in theirs if k not in ours)]:
        if k == "clients":
            continue
        b = MISSING if base is None else base.get(k, MISSING)
        o, t = ours.get(k, MISSING), theirs.get(k, MISSING)
        if isinstance(o, dict) and isinstance(t, dict) and (b is MISSING or isinstance(b, dict)):
            changes = merge_keys(b if isinstance(b, dict) else None, o, t, (k,), p.conflicts)
            if changes:
                p.rounds[0].append(SetTop(k, changes))
            continue
        got = _merge_value(b, o, t)
        if got is _CONFLICT:
            p.conflicts.append(Conflict((k,), o, t))
        elif got is not o:
            p.rounds[0].append(SetTop(None, {k: DELETE if got is MISSING else got}))
    _clients(p, None if base is None else _dict(base.get("clients")),
             _dict(ours.get("clients")), _dict(theirs.get("clients")))
    return p


def _dict(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _clients(p: Plan, base: dict[str, Any] | None, ours: dict[str, Any],
             theirs: dict[str, Any]) -> None:
    for cid in [*ours, *(c for c in theirs if c not in ours)]:
        b = None if base is None else base.get(cid)
        o, t = ours.get(cid), theirs.get(cid)
        if o is not None and t is not None:
            _client(p, cid, None if base is None else _dict(b), o, t)
        elif o is None and t is not None:
            if b is None or not same(b, t):  # added there, or changed there and deleted here
                _add_client(p, cid, t)
        elif o is not None and b is not None and same(o, b):
            p.rounds[0].append(DropClient(cid))  # deleted there, unchanged here


def _add_client(p: Plan, cid: str, table: dict[str, Any]) -> None:
    """A client new to OURS: its keys in one block, then its arrays and offboarding as
    blocks of their own (so it reads like a client written by hand)."""
    plain = {k: v for k, v in table.items() if not _tables(v) and
             not (k == "offboarding" and isinstance(v, dict))}
    p.rounds[0].append(AddClient(cid, plain))
    for k, v in table.items():
        if _tables(v):
            p.rounds[1].extend(Append(cid, k, dict(x)) for x in v)
        elif k == "offboarding" and isinstance(v, dict):
            p.rounds[1].append(SetKeys(cid, dict(v), sub=k))


def _client(p: Plan, cid: str, base: dict[str, Any] | None, ours: dict[str, Any],
            theirs: dict[str, Any]) -> None:
    if same(ours, theirs) or (base is not None and same(base, theirs)):
        return  # nothing new there
    path: Path = ("clients", cid)
    plain_b: dict[str, Any] = {}
    plain_o: dict[str, Any] = {}
    plain_t: dict[str, Any] = {}
    for k in [*ours, *(k for k in theirs if k not in ours)]:
        b = MISSING if base is None else base.get(k, MISSING)
        o, t = ours.get(k, MISSING), theirs.get(k, MISSING)
        if any(_tables(v) for v in (b, o, t)) and \
                all(v is MISSING or v == [] or _tables(v) for v in (b, o, t)):
            _array(p, cid, k, None if base is None else ([] if b is MISSING else b),
                   [] if o is MISSING else o, [] if t is MISSING else t)
        elif isinstance(o, dict) and isinstance(t, dict) and \
                (b is MISSING or isinstance(b, dict)):
            sub_b = None if base is None else ({} if b is MISSING else b)
            changes = merge_keys(sub_b, o, t, (*path, k), p.conflicts)
            if changes:
                p.rounds[0].append(SetKeys(cid, changes, sub=k))
        elif o is MISSING and k == "offboarding" and isinstance(t, dict) and \
                (b is MISSING or not same(b, t)):
            p.rounds[0].append(SetKeys(cid, dict(t), sub=k))
        else:
            for side, v in ((plain_b, b), (plain_o, o), (plain_t, t)):
                if v is not MISSING:
                    side[k] = v
    changes = merge_keys(None if base is None else plain_b, plain_o, plain_t, path, p.conflicts)
    if changes:  # first: keys added at the end of the client's block go before a new
        p.rounds[0].insert(0, SetKeys(cid, changes))  # sub-table's header there


def similar(a: dict[str, Any], b: dict[str, Any]) -> int:
    """How many keys two elements share with equal values, when that is more than half
    of the keys of both; else 0."""
    keys = a.keys() | b.keys()
    n = sum(1 for k in keys if k in a and k in b and same(a[k], b[k]))
    return n if 2 * n > len(keys) else 0


def _pair(base: list[dict[str, Any]], side: list[dict[str, Any]]
          ) -> tuple[dict[int, int | None], list[int]]:
    """Each element of `base` mapped to its element in `side` (None: deleted), and the
    elements of `side` added there."""
    left = set(range(len(side)))
    out: dict[int, int | None] = {}
    for i, x in enumerate(base):  # unchanged: equal as a whole (same position first)
        if i in left and same(side[i], x):
            out[i] = i
            left.discard(i)
            continue
        hits = [j for j in left if same(side[j], x)]
        if hits:
            j = min(hits, key=lambda j: (abs(j - i), j))
            out[i] = j
            left.discard(j)
    for i, x in enumerate(base):  # changed: most keys equal
        if i in out:
            continue
        cands = [(j == i, n, -abs(j - i), -j) for j in left if (n := similar(x, side[j]))]
        out[i] = -max(cands)[3] if cands else None
        left.discard(out[i] if out[i] is not None else -1)
    return out, sorted(left)


def _array(p: Plan, cid: str, name: str, base: list[dict[str, Any]] | None,
           ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> None:
    if base is None:
        _union(p, cid, name, ours, theirs)
        return
    o_map, o_added = _pair(base, ours)
    t_map, t_added = _pair(base, theirs)
    removed: list[int] = []
    appended: list[dict[str, Any]] = []
    sets: list[tuple[int, dict[str, Any], list[Conflict]]] = []
    for i, b in enumerate(base):
        j, k = o_map[i], t_map[i]
        t_el = None if k is None else theirs[k]
        if j is None:
            if t_el is not None and not same(t_el, b):
                appended.append(t_el)  # deleted here, changed there: the change is kept
            continue
        o_el = ours[j]
        if t_el is None:
            if same(o_el, b):
                removed.append(j)  # deleted there, unchanged here
            continue
        found: list[Conflict] = []
        changes = merge_keys(b, o_el, t_el, ("clients", cid, name, j), found)
        if changes or found:
            sets.append((j, changes, found))
    ours_added = [ours[j] for j in o_added]
    for k in t_added:
        twin = next((n for n, x in enumerate(ours_added) if same(x, theirs[k])), None)
        if twin is None:
            appended.append(theirs[k])
        else:
            del ours_added[twin]  # added on both sides: kept once
    _emit(p, cid, name, ours, removed, sets, appended)


def _emit(p: Plan, cid: str, name: str, ours: list[dict[str, Any]], removed: list[int],
          sets: list[tuple[int, dict[str, Any], list[Conflict]]],
          appended: list[dict[str, Any]]) -> None:
    """Changes first, then removals from the last (so the indices the edits hold stay
    true for OURS's text), then additions at the end. Conflicts point where the element
    is once the removals before it are made."""
    for j, changes, found in sets:
        if changes:
            p.rounds[0].append(SetKeys(cid, changes, sub=name, index=j, expect=dict(ours[j])))
        shift = sum(1 for r in removed if r < j)
        for c in found:
            at = (*c.path[:3], j - shift, *c.path[4:])
            p.conflicts.append(Conflict(at, c.ours, c.theirs))
    for j in sorted(removed, reverse=True):
        p.rounds[0].append(Remove(cid, name, j, expect=dict(ours[j])))
    p.rounds[0].extend(Append(cid, name, dict(x)) for x in appended)


def _union(p: Plan, cid: str, name: str, ours: list[dict[str, Any]],
           theirs: list[dict[str, Any]]) -> None:
    """Two copies without a base: every element once; an element that only adds keys
    to one of ours is that element with those keys."""
    left = list(range(len(ours)))
    sets: list[tuple[int, dict[str, Any], list[Conflict]]] = []
    appended: list[dict[str, Any]] = []
    for t in theirs:
        hit = next((j for j in left if same(ours[j], t)), None)
        if hit is None:
            hit = next((j for j in left if _extends(ours[j], t) or _extends(t, ours[j])), None)
            if hit is not None:
                added = {k: v for k, v in t.items() if k not in ours[hit]}
                if added:
                    sets.append((hit, added, []))
        if hit is None:
            appended.append(t)
        else:
            left.remove(hit)
    _emit(p, cid, name, ours, [], sets, appended)


def _extends(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """`b` is `a` with keys added."""
    return len(b) > len(a) and all(k in b and same(v, b[k]) for k, v in a.items())


class SetTop(SetKeys):
    """Set or remove keys of a table outside `clients` (settings, or one the file adds;
    None: the top level). Spliced in place when the table is one header block of its
    own, else written through the fallback; verified like any edit."""

    def __init__(self, table: str | None, changes: dict[str, Any]) -> None:
        super().__init__("", changes)
        self.table = table

    def clients(self) -> list[str]:
        return []

    def rebase(self, raw: dict[str, Any]) -> None:
        pass

    def apply(self, raw: dict[str, Any]) -> dict[str, Any]:
        root = dict(raw)
        node = root
        if self.table is not None:
            node = dict(root.get(self.table, {}))
            root[self.table] = node
        for k, v in self.changes.items():
            if v is DELETE:
                node.pop(k, None)
            else:
                node[k] = v
        return root

    def _block(self, doc: Any, raw: dict[str, Any]) -> int | str | None:
        if self.table is None:
            return None
        want = (self.table,)
        hits = [i for i, path in enumerate(doc.index.paths)
                if path == want and not doc.index.aot[i]]
        return hits[0] if len(hits) == 1 else None

    def apply_tomlkit(self, doc: Any) -> None:
        import tomlkit

        node = doc
        if self.table is not None:
            if self.table not in doc:
                doc[self.table] = tomlkit.table()
            node = doc[self.table]
        for k, v in self.changes.items():
            if v is DELETE:
                if k in node:
                    del node[k]
            else:
                node[k] = v


class DropClient(AddClient):
    """Remove a client (deleted on one side, unchanged on the other): through the
    fallback, verified like any edit."""

    def rebase(self, raw: dict[str, Any]) -> None:
        pass

    def apply(self, raw: dict[str, Any]) -> dict[str, Any]:
        root = dict(raw)
        clients = dict(root.get("clients", {}))
        clients.pop(self.client, None)
        root["clients"] = clients
        return root

    def splice(self, doc: Any, raw: dict[str, Any]) -> None:
        return None

    def apply_tomlkit(self, doc: Any) -> None:
        del doc["clients"][self.client]
