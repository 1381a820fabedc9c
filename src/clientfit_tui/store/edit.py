"""Edits to a clientfit file: what each one means, and the few lines it changes.

Each edit has three faces:
- `apply(raw)`: the intended data, from the data `tomllib` read (never mutated);
- `splice(doc)`: the text change, touching only the lines it must, or None when
  the file's shape (inline tables, dotted keys, static arrays) needs the fallback;
- `apply_tomlkit(doc)`: the fallback, through tomlkit's document model.
Whatever produced the text, the store reads it back before writing it.
"""

from typing import Any, NoReturn

from ..i18n import N_, _
from . import tomlfmt
from .errors import StoreError
from .scan import Key, scan_block
from .shapes import dotted_set, has_header, spacing, sub_table
from .splice import (
    Doc,
    Splice,
    aot_headers,
    apply_splices,
    block_span,
    block_text,
    indent_of,
    insert_at,
    lines_of,
    new_block,
)

__all__ = ["DELETE", "AddClient", "Append", "Doc", "Edit", "EditError", "Many", "Remove",
           "SetKeys", "Splice", "apply_splices"]


_GONE = {
    "incidents": N_("that incident of '{id}' was changed or removed in the file"),
    "invoices": N_("that invoice of '{id}' was changed or removed in the file"),
    "reviews": N_("that review of '{id}' was changed or removed in the file"),
    "items": N_("that item of '{id}' was changed or removed in the file"),
}
"""What to say when an element an edit expects is no longer there, by array."""


class EditError(Exception):
    """An edit that cannot apply to the data as it is now (one line, for the user)."""


class _Delete:
    def __repr__(self) -> str:
        return "DELETE"


DELETE: Any = _Delete()
"""A value for `SetKeys` that removes the key."""


def _client(raw: dict[str, Any], cid: str) -> dict[str, Any]:
    clients = raw.get("clients")
    if not isinstance(clients, dict) or not isinstance(clients.get(cid), dict):
        raise EditError(_("no client '{id}' in the file").format(id=cid))
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
        elements = aot_headers(doc, path, len(existing))
        if elements is None:
            return None
        header = f"[[{tomlfmt.dotted(path)}]]"
        if self.position is not None and self.position < len(elements):
            here = elements[self.position]
            body = header + doc.nl + lines_of(doc, self.item, indent_of(doc, here)) + doc.nl
            return [(doc.index.starts[here], doc.index.starts[here], body)]
        if elements:
            start, end = doc.index.block_bounds(elements[-1])
            offset, body = self.tail(doc.text[start:end], doc.nl, at_end=end == len(doc.text))
            return [(start + offset, start + offset, body)]
        mine = doc.headers_under(path[:2])
        # a client with no header of its own (dotted keys): a new sub-table at the end
        # is what TOML allows; the read-back check decides
        return [new_block(doc, mine[-1] if mine else None, header, self.item)]

    def tail(self, block: str, nl: str, at_end: bool) -> tuple[int, str]:
        """Where in `block` the new element goes, and its text, when `block` is the text
        of the array's last element (from its header to the next header; `at_end`: to
        the end of the file): just past its last statement, a blank line, the header,
        the keys indented alike."""
        header = f"[[{tomlfmt.dotted(('clients', self.client, self.array))}]]"
        scanned = scan_block(block, 0, len(block), True)
        first = scanned.statements[:1]
        indent = block[first[0].start : first[0].key_col] if first else ""
        body = block_text(nl, header, self.item, indent)
        if at_end and scanned.body_end == len(block) and not block.endswith("\n"):
            body = nl + body
        return scanned.body_end, body

    def inverse(self, raw: dict[str, Any]) -> "Remove":
        """The edit that takes this one back, given the data it is applied to."""
        n = len(raw["clients"][self.client].get(self.array, []))
        pos = n if self.position is None else self.position
        return Remove(self.client, self.array, pos, expect=dict(self.item))

    def apply_tomlkit(self, doc: Any) -> None:
        import tomlkit

        table = doc["clients"][self.client]
        if self.array not in table:
            if not has_header(table):  # an inline array, in the client's own shape
                spaced = spacing(table)
                table[self.array] = tomlkit.parse(
                    f"x = [{tomlfmt.inline(self.item, spaced)}]")["x"]
                return
            table.append(self.array, tomlkit.aot())
        arr = table[self.array]
        if isinstance(arr, tomlkit.items.AoT):
            new: Any = tomlkit.table()
            new.update(self.item)
        else:  # spaced like its neighbours
            from .fallback import inline_style  # tomlkit's path only

            spaced = inline_style(arr.as_string())
            new = tomlkit.parse("x = " + tomlfmt.inline(self.item, spaced))["x"]
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
    raise EditError(_(_GONE.get(array, _GONE["items"])).format(id=cid))


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
        elements = aot_headers(doc, path, len(client.get(self.sub, [])))
        return None if elements is None else elements[self.index]

    def splice(self, doc: Doc, raw: dict[str, Any]) -> list[Splice] | None:
        where = self._block(doc, raw)
        if where is None or (where == "new" and not doc.headers_under(("clients", self.client))):
            if self.index is not None or type(self) is not SetKeys:
                return None
            return dotted_set(doc, self.client, self.sub, self.changes, DELETE)
        if where == "new":
            mine = doc.headers_under(("clients", self.client))
            items = {k: v for k, v in self.changes.items() if v is not DELETE}
            header = f"[{tomlfmt.dotted(('clients', self.client, str(self.sub)))}]"
            return [new_block(doc, mine[-1], header, items)]
        assert isinstance(where, int)
        block = doc.block(where)
        if self.drop_if_empty and self.sub is not None and self.index is None:
            current = _client(raw, self.client).get(self.sub, {})
            after = {k: v for k, v in current.items() if self.changes.get(k, v) is not DELETE}
        if self.drop_if_empty and self.index is None and self._drops(after):
            if len(block.statements) != len(current):
                return None
            return [block_span(doc, where)]
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
            out.append(insert_at(doc, block.body_end, lines_of(doc, added, indent_of(doc, where))))
        return out

    def inverse(self, raw: dict[str, Any]) -> "SetKeys":
        """The edit that takes this one back, given the data it is applied to: the old
        values put back (keys it added removed), and a table it created dropped."""
        client = raw["clients"][self.client]
        created = self.sub is not None and self.index is None and self.sub not in client
        old: Any = client
        if self.sub is not None:
            old = old.get(self.sub, {})
            if self.index is not None:
                old = old[self.index]
        old = dict(old)
        back = {k: old.get(k, DELETE) for k in self.changes}
        new_item = None
        if self.index is not None:
            new_item = dict(old)
            for k, v in self.changes.items():
                if v is DELETE:
                    new_item.pop(k, None)
                else:
                    new_item[k] = v
        return SetKeys(self.client, back, sub=self.sub, index=self.index, expect=new_item,
                       drop_if_empty=created)

    def apply_tomlkit(self, doc: Any) -> None:
        table = doc["clients"][self.client]
        if self.sub is not None:
            if self.sub not in table:
                table[self.sub] = sub_table(
                    table, {k: v for k, v in self.changes.items() if v is not DELETE})
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
        elements = aot_headers(doc, path, len(_client(raw, self.client)[self.array]))
        if elements is None:
            return None
        return [block_span(doc, elements[self.index])]

    def inverse(self, raw: dict[str, Any]) -> Append:
        """The edit that takes this one back, given the data it is applied to."""
        old = raw["clients"][self.client][self.array][self.index]
        return Append(self.client, self.array, dict(old), position=self.index)

    def apply_tomlkit(self, doc: Any) -> None:
        table = doc["clients"][self.client]
        del table[self.array][self.index]
        if not len(table[self.array]):  # as `apply`: an empty array goes, key and all
            del table[self.array]


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
            raise EditError(_("'clients' is not a table"))
        if self.client in clients:
            raise EditError(_("there is already a client '{id}'").format(id=self.client))

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
        return [new_block(doc, None, header, self.table)]

    def inverse(self, raw: dict[str, Any]) -> NoReturn:
        """Not undone in the app: there is no edit that removes a whole client."""
        raise StoreError(_("adding a client cannot be undone here; remove it in the file"))

    def apply_tomlkit(self, doc: Any) -> None:
        import tomlkit

        if "clients" not in doc:
            doc["clients"] = tomlkit.table(is_super_table=True)
        t = tomlkit.table()
        t.update(self.table)
        doc["clients"][self.client] = t


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

    def inverse(self, raw: dict[str, Any]) -> "Many":
        """The inverses of its edits, in reverse order, each computed on the data that
        edit is applied to."""
        parts: list[Append | SetKeys | Remove | AddClient] = []
        for e in self.edits:
            back = e.inverse(raw)
            assert not isinstance(back, Many)
            parts.append(back)
            raw = e.apply(raw)
        return Many(list(reversed(parts)))

    def apply_tomlkit(self, doc: Any) -> None:
        for e in self.edits:
            e.apply_tomlkit(doc)


Edit = Append | SetKeys | Remove | AddClient | Many
