"""Edits to a clientfit file: what each one means, and the few lines it changes.

Each edit has three faces:
- `apply(raw)`: the intended data, from the data `tomllib` read (never mutated);
- `splice(doc)`: the text change, touching only the lines it must, or None when
  the file's shape (inline tables, dotted keys, static arrays) needs the fallback;
- `apply_tomlkit(doc)`: the fallback, through tomlkit's document model.
Whatever produced the text, the store reads it back before writing it.
"""

from typing import Any, NamedTuple

from . import tomlfmt
from .scan import Block, Index, Key, scan_block


class EditError(Exception):
    """An edit that cannot apply to the data as it is now (one line, for the user)."""


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"


DELETE: Any = _Delete()
"""A value for `SetKeys` that removes the key."""


class Doc(NamedTuple):
    """A text and its header index, with the file's line ending."""

    text: str
    index: Index  # type: ignore[assignment]  # the field shadows tuple.index, on purpose
    nl: str
    exact: bool = True
    """Every client lives in header blocks of its own."""

    def headers_under(self, prefix: Key) -> list[int]:
        return self.index.under(prefix)

    def block(self, i: int) -> Block:
        start, end = self.index.block_bounds(i)
        return scan_block(self.text, start, end, i >= 0)


Splice = tuple[int, int, str]
"""Replace text[start:end] with the string."""


def _block_span(doc: Doc, i: int) -> Splice:
    """Removing block `i`: its header and statements, and the blank line before it.

    This mirrors how a block is inserted (a blank line, then the block), so that
    an insertion and its removal give back the same bytes.
    """
    start = doc.index.starts[i]
    end = doc.block(i).body_end
    prev = doc.text.rfind("\n", 0, max(0, start - 1)) + 1
    if start > 0 and not doc.text[prev:start].strip():
        start = prev
    return start, end, ""


def _client(raw: dict[str, Any], cid: str) -> dict[str, Any]:
    clients = raw.get("clients")
    if not isinstance(clients, dict) or not isinstance(clients.get(cid), dict):
        raise EditError(f"no client '{cid}' in the file")
    client: dict[str, Any] = clients[cid]
    return client


def _copy_path(raw: dict[str, Any], path: tuple[str | int, ...]) -> tuple[dict[str, Any], Any]:
    """A copy of raw sharing everything but the containers on `path`; and the last one."""
    root = dict(raw)
    node: Any = root
    for p in path:
        child = node[p]
        child = list(child) if isinstance(child, list) else dict(child)
        node[p] = child
        node = child
    return root, node


def _aot_headers(doc: Doc, path: Key, length: int) -> list[int] | None:
    """The headers of array-of-tables `path`, if they define every element and nothing else."""
    n = len(path)
    found: list[int] = []
    for i in doc.index.client_headers(path[1]):
        p = doc.index.paths[i]
        if p[:n] != path:
            continue
        if len(p) > n or not doc.index.aot[i]:
            return None  # sub-tables of elements, or a plain table: leave it to the fallback
        found.append(i)
    return found if len(found) == length else None


def _indent(doc: Doc, i: int) -> str:
    b = doc.block(i)
    if not b.statements:
        return ""
    st = b.statements[0]
    return doc.text[st.start : st.key_col]


def _lines(doc: Doc, items: dict[str, Any], indent: str = "") -> str:
    return _item_lines(doc.nl, items, indent)


def _item_lines(nl: str, items: dict[str, Any], indent: str = "") -> str:
    return "".join(line + nl for line in tomlfmt.table_lines(items, indent))


def _insert_at(doc: Doc, offset: int, body: str) -> Splice:
    """Insert `body` at `offset`, adding a newline first when the text ends without one."""
    if offset == len(doc.text) and doc.text and not doc.text.endswith("\n"):
        body = doc.nl + body
    return offset, offset, body


def _new_block(doc: Doc, anchor: int | None, header: str, items: dict[str, Any],
               indent: str = "") -> Splice:
    """A new block after block `anchor`'s last statement (at the end of the file when None)."""
    offset = len(doc.text) if anchor is None else doc.block(anchor).body_end
    body = _block_text(doc.nl, header, items, indent)
    if not doc.text or doc.text.isspace():
        body = body.lstrip("\r\n")
    return _insert_at(doc, offset, body)


def _block_text(nl: str, header: str, items: dict[str, Any], indent: str = "") -> str:
    """A new block: a blank line, its header, its items' lines."""
    return nl + header + nl + _item_lines(nl, items, indent)


class _Shown:
    """A readable repr for the edits (plain classes: made at import for nothing)."""

    def __repr__(self) -> str:
        fields = ", ".join(f"{k}={v!r}" for k, v in vars(self).items())
        return f"{type(self).__name__}({fields})"


class Append(_Shown):
    """Add one incident, invoice or review to a client."""

    def __init__(self, client: str, array: str, item: dict[str, Any],
                 position: int | None = None) -> None:
        self.client = client
        self.array = array
        self.item = item
        self.position = position
        """Insert before this element instead of at the end (to undo a removal)."""

    def clients(self) -> list[str]:
        return [self.client]

    def rebase(self, raw: dict[str, Any]) -> None:
        arr = _client(raw, self.client).get(self.array, [])
        if self.position is not None and self.position >= len(arr):
            self.position = None

    def apply(self, raw: dict[str, Any]) -> dict[str, Any]:
        self.rebase(raw)
        root, table = _copy_path(raw, ("clients", self.client))
        arr = list(table.get(self.array, []))
        if self.position is None:
            arr.append(dict(self.item))
        else:
            arr.insert(self.position, dict(self.item))
        table[self.array] = arr
        return root

    def splice(self, doc: Doc, raw: dict[str, Any]) -> list[Splice] | None:
        path: Key = ("clients", self.client, self.array)
        existing = _client(raw, self.client).get(self.array, [])
        elements = _aot_headers(doc, path, len(existing))
        if elements is None:
            return None
        header = f"[[{tomlfmt.dotted(path)}]]"
        if self.position is not None and self.position < len(elements):
            here = elements[self.position]
            body = header + doc.nl + _lines(doc, self.item, _indent(doc, here)) + doc.nl
            return [(doc.index.starts[here], doc.index.starts[here], body)]
        if elements:
            start, end = doc.index.block_bounds(elements[-1])
            offset, body = self.tail(doc.text[start:end], doc.nl, at_end=end == len(doc.text))
            return [(start + offset, start + offset, body)]
        mine = doc.headers_under(path[:2])
        # a client with no header of its own (dotted keys): a new sub-table at the end
        # is what TOML allows; the read-back check decides
        return [_new_block(doc, mine[-1] if mine else None, header, self.item)]

    def tail(self, block: str, nl: str, at_end: bool) -> tuple[int, str]:
        """Where in `block` the new element goes, and its text, when `block` is the text
        of the array's last element (from its header to the next header; `at_end`: to
        the end of the file): just past its last statement, a blank line, the header,
        the keys indented alike."""
        header = f"[[{tomlfmt.dotted(('clients', self.client, self.array))}]]"
        scanned = scan_block(block, 0, len(block), True)
        first = scanned.statements[:1]
        indent = block[first[0].start : first[0].key_col] if first else ""
        body = _block_text(nl, header, self.item, indent)
        if at_end and scanned.body_end == len(block) and not block.endswith("\n"):
            body = nl + body
        return scanned.body_end, body

    def apply_tomlkit(self, doc: Any) -> None:
        import tomlkit

        table = doc["clients"][self.client]
        if self.array not in table:
            table.append(self.array, tomlkit.aot())
        arr = table[self.array]
        new: Any = tomlkit.table() if isinstance(arr, tomlkit.items.AoT) else \
            tomlkit.inline_table()
        new.update(self.item)
        if self.position is None:
            arr.append(new)
        else:
            arr.insert(self.position, new)


def _resolve(raw: dict[str, Any], cid: str, array: str, index: int,
             expect: dict[str, Any] | None) -> int:
    arr = _client(raw, cid).get(array, [])
    if expect is None:
        if 0 <= index < len(arr):
            return index
    else:
        if 0 <= index < len(arr) and arr[index] == expect:
            return index
        for j, item in enumerate(arr):
            if item == expect:
                return j
    raise EditError(f"that {array[:-1]} of '{cid}' was changed or removed in the file")


class SetKeys(_Shown):
    """Set or remove keys of one table: a client, its offboarding, or one array element."""

    def __init__(self, client: str, changes: dict[str, Any], sub: str | None = None,
                 index: int | None = None, expect: dict[str, Any] | None = None,
                 drop_if_empty: bool = False) -> None:
        self.client = client
        self.changes = changes
        self.sub = sub
        """None for the client's own table; 'offboarding'; or an array name with `index`."""
        self.index = index
        self.expect = expect
        """The element as it was when the edit was made (to find it again after a reload)."""
        self.drop_if_empty = drop_if_empty
        """Remove the `sub` table itself when the edit leaves it empty (to undo its creation)."""

    def clients(self) -> list[str]:
        return [self.client]

    def rebase(self, raw: dict[str, Any]) -> None:
        if self.index is not None and self.sub is not None:
            self.index = _resolve(raw, self.client, self.sub, self.index, self.expect)
        else:
            _client(raw, self.client)

    def path(self) -> tuple[str | int, ...]:
        p: tuple[str | int, ...] = ("clients", self.client)
        if self.sub is not None:
            p += (self.sub,)
        if self.index is not None:
            p += (self.index,)
        return p

    def apply(self, raw: dict[str, Any]) -> dict[str, Any]:
        self.rebase(raw)
        if self.sub == "offboarding" and "offboarding" not in _client(raw, self.client):
            root, client = _copy_path(raw, ("clients", self.client))
            client["offboarding"] = {}
            root, table = _copy_path(root, self.path())
        else:
            root, table = _copy_path(raw, self.path())
        for k, v in self.changes.items():
            if v is DELETE:
                table.pop(k, None)
            else:
                table[k] = v
        if self._drops(table):
            root, client = _copy_path(root, ("clients", self.client))
            del client[str(self.sub)]
        return root

    def _drops(self, table: dict[str, Any]) -> bool:
        return self.drop_if_empty and self.sub is not None and self.index is None and not table

    def _block(self, doc: Doc, raw: dict[str, Any]) -> int | str | None:
        """The header index of the table's block; 'new' when it must be created."""
        client = _client(raw, self.client)
        if self.sub is None:
            want: Key = ("clients", self.client)
            hits = [i for i in doc.index.client_headers(self.client)
                    if doc.index.paths[i] == want and not doc.index.aot[i]]
            return hits[0] if len(hits) == 1 else None
        if self.index is None:
            want = ("clients", self.client, self.sub)
            if self.sub not in client:
                return "new"
            hits = [i for i in doc.index.client_headers(self.client)
                    if doc.index.paths[i] == want and not doc.index.aot[i]]
            return hits[0] if len(hits) == 1 else None
        path: Key = ("clients", self.client, self.sub)
        elements = _aot_headers(doc, path, len(client.get(self.sub, [])))
        return None if elements is None else elements[self.index]

    def splice(self, doc: Doc, raw: dict[str, Any]) -> list[Splice] | None:
        where = self._block(doc, raw)
        if where is None:
            return None
        if where == "new":
            mine = doc.headers_under(("clients", self.client))
            if not mine:
                return None
            items = {k: v for k, v in self.changes.items() if v is not DELETE}
            header = f"[{tomlfmt.dotted(('clients', self.client, str(self.sub)))}]"
            return [_new_block(doc, mine[-1], header, items)]
        assert isinstance(where, int)
        block = doc.block(where)
        if self.drop_if_empty and self.sub is not None and self.index is None:
            current = _client(raw, self.client).get(self.sub, {})
            after = {k: v for k, v in current.items() if self.changes.get(k, v) is not DELETE}
        if self.drop_if_empty and self.index is None and self._drops(after):
            if len(block.statements) != len(current):
                return None
            return [_block_span(doc, where)]
        by_key = {st.key: st for st in block.statements}
        out: list[Splice] = []
        added: dict[str, Any] = {}
        for k, v in self.changes.items():
            st = by_key.get((k,))
            if st is None:
                if any(key[0] == k for key in by_key):
                    return None  # defined by dotted keys: fallback
                if v is not DELETE:
                    added[k] = v
                continue
            if v is DELETE:
                out.append((st.start, st.end, ""))
            else:
                out.append((st.value_start, st.value_end, tomlfmt.value(v)))
        if added:
            out.append(_insert_at(doc, block.body_end, _lines(doc, added, _indent(doc, where))))
        return out

    def apply_tomlkit(self, doc: Any) -> None:
        import tomlkit

        table = doc["clients"][self.client]
        if self.sub is not None:
            if self.sub not in table:
                table[self.sub] = tomlkit.table()
            parent, table = table, table[self.sub]
            if self.index is not None:
                table = table[self.index]
        for k, v in self.changes.items():
            if v is DELETE:
                if k in table:
                    del table[k]
            else:
                table[k] = v
        if self.sub is not None and self._drops(dict(table)):
            del parent[self.sub]


class Remove(_Shown):
    """Delete one element of a client's incidents, invoices or reviews."""

    def __init__(self, client: str, array: str, index: int,
                 expect: dict[str, Any] | None = None) -> None:
        self.client = client
        self.array = array
        self.index = index
        self.expect = expect

    def clients(self) -> list[str]:
        return [self.client]

    def rebase(self, raw: dict[str, Any]) -> None:
        self.index = _resolve(raw, self.client, self.array, self.index, self.expect)

    def apply(self, raw: dict[str, Any]) -> dict[str, Any]:
        self.rebase(raw)
        root, table = _copy_path(raw, ("clients", self.client))
        arr = list(table[self.array])
        del arr[self.index]
        if arr:
            table[self.array] = arr
        else:
            del table[self.array]  # no block left in the file means no key
        return root

    def splice(self, doc: Doc, raw: dict[str, Any]) -> list[Splice] | None:
        path: Key = ("clients", self.client, self.array)
        elements = _aot_headers(doc, path, len(_client(raw, self.client)[self.array]))
        if elements is None:
            return None
        return [_block_span(doc, elements[self.index])]

    def apply_tomlkit(self, doc: Any) -> None:
        del doc["clients"][self.client][self.array][self.index]


class AddClient(_Shown):
    """A new client table at the end of the file."""

    def __init__(self, client: str, table: dict[str, Any] | None = None) -> None:
        self.client = client
        self.table: dict[str, Any] = table if table is not None else {}

    def clients(self) -> list[str]:
        return [self.client]

    def rebase(self, raw: dict[str, Any]) -> None:
        clients = raw.get("clients", {})
        if not isinstance(clients, dict):
            raise EditError("'clients' is not a table")
        if self.client in clients:
            raise EditError(f"there is already a client '{self.client}'")

    def apply(self, raw: dict[str, Any]) -> dict[str, Any]:
        self.rebase(raw)
        root = dict(raw)
        clients = dict(root.get("clients", {}))
        import copy

        clients[self.client] = copy.deepcopy(self.table)
        root["clients"] = clients
        return root

    def splice(self, doc: Doc, raw: dict[str, Any]) -> list[Splice] | None:
        if not doc.exact and "clients" in raw and \
                not any(p[:1] == ("clients",) for p in doc.index.paths):
            return None
        header = f"[{tomlfmt.dotted(('clients', self.client))}]"
        return [_new_block(doc, None, header, self.table)]

    def apply_tomlkit(self, doc: Any) -> None:
        import tomlkit

        if "clients" not in doc:
            doc["clients"] = tomlkit.table(is_super_table=True)
        t = tomlkit.table()
        t.update(self.table)
        doc["clients"][self.client] = t


def apply_splices(text: str, splices: list[Splice]) -> str:
    """Apply non-overlapping splices to a text; inserts at one offset keep their order."""
    if len(splices) == 1:
        start, end, new = splices[0]
        return "".join((text[:start], new, text[end:]))
    parts: list[str] = []
    pos = 0
    order = sorted(range(len(splices)), key=lambda i: (splices[i][0], splices[i][1], i))
    for i in order:
        start, end, new = splices[i]
        parts.append(text[pos:start])
        parts.append(new)
        pos = max(pos, end)
    parts.append(text[pos:])
    return "".join(parts)


class Many(_Shown):
    """Several edits to different tables, written as one change."""

    def __init__(self, edits: list[Append | SetKeys | Remove | AddClient]) -> None:
        self.edits = edits

    def clients(self) -> list[str]:
        return list(dict.fromkeys(c for e in self.edits for c in e.clients()))

    def rebase(self, raw: dict[str, Any]) -> None:
        for e in self.edits:
            e.rebase(raw)

    def apply(self, raw: dict[str, Any]) -> dict[str, Any]:
        for e in self.edits:
            raw = e.apply(raw)
        return raw

    def splice(self, doc: Doc, raw: dict[str, Any]) -> list[Splice] | None:
        out: list[Splice] = []
        for e in self.edits:
            part = e.splice(doc, raw)
            if part is None:
                return None
            out.extend(part)
        return out

    def apply_tomlkit(self, doc: Any) -> None:
        for e in self.edits:
            e.apply_tomlkit(doc)


Edit = Append | SetKeys | Remove | AddClient | Many
