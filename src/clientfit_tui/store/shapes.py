"""Clients written without a header of their own: set by dotted keys (`acme.status =
"watch"` under `[clients]`, or `clients.acme.status` at the top) or as one inline table.

A dotted client's keys are spliced as dotted keys, a table it gains (`offboarding`)
too; tomlkit is left the inline tables, where its new sub-tables are made inline
(a header block cannot go inside a client that has no header)."""

from typing import Any

from . import tomlfmt
from .lex import Statement
from .scan import Key
from .splice import Doc, Splice, insert_at


def dotted_set(doc: Doc, cid: str, sub: str | None, changes: dict[str, Any],
               delete: Any) -> list[Splice] | None:
    """Setting (or removing: value `delete`) keys of client `cid`'s table, or of its
    sub-table `sub`, when the client is written with dotted keys: each key's value
    replaced, or its line removed, or a new line after the client's last one. None for
    another shape (a header of its own, an inline table, a key that is a table)."""
    client: Key = ("clients", cid)
    target: Key = client + ((sub,) if sub is not None else ())
    index = doc.index
    for i in index.client_headers(cid):
        if index.paths[i][: len(target)] == target or \
                index.paths[i] == target[: len(index.paths[i])]:
            return None  # a header of its own (or of a key to set)
    blocks = [-1] + [i for i, p in enumerate(index.paths) if p == ("clients",)
                     and not index.aot[i]]
    found: dict[str, Statement] = {}
    last: tuple[Key, Statement] | None = None
    for b in blocks:
        head: Key = () if b < 0 else index.paths[b]
        for st in doc.block(b).statements:
            full = head + st.key
            if full[: len(client)] != client:
                continue
            if target[: len(full)] == full:
                return None  # the client (or the table) is one inline table
            last = (head, st)
            if full[: len(target)] != target:
                continue
            key = full[len(target)]
            if key in changes:
                if len(full) > len(target) + 1:
                    return None  # the key is itself a table of dotted keys
                found[key] = st
    if last is None:
        return None
    out: list[Splice] = []
    added: dict[str, Any] = {}
    for k, v in changes.items():
        have = found.get(k)
        if have is None:
            if v is not delete:
                added[k] = v
        elif v is delete:
            out.append((have.start, have.end, ""))
        else:
            out.append((have.value_start, have.value_end, tomlfmt.value(v)))
    if added:
        head, st = last
        indent = doc.text[st.start : st.key_col]
        prefix = target[len(head) :]
        body = "".join(f"{indent}{tomlfmt.dotted((*prefix, k))} = {tomlfmt.value(v)}{doc.nl}"
                       for k, v in added.items())
        out.append(insert_at(doc, st.end, body))
    return out


def sub_table(parent: Any, items: dict[str, Any]) -> Any:
    """A new sub-table of a client's tomlkit table, in the client's own shape: under a
    header of its own for a client with one; else an inline table (tomlkit would put a
    header block where the client's later keys fall into it)."""
    import tomlkit

    if has_header(parent):
        return tomlkit.table()
    return tomlkit.parse("x = " + tomlfmt.inline(items, spacing(parent)))["x"]


def has_header(table: Any) -> bool:
    """Whether a client's tomlkit table is one under a header of its own."""
    import tomlkit

    return isinstance(table, tomlkit.items.Table) and not table.is_super_table()


def spacing(table: Any) -> bool:
    """Whether new inline tables in this client go spaced (`{ a = 1 }`): as its own
    inline table is, if it is one."""
    import tomlkit

    from .fallback import inline_style  # tomlkit's path only

    return inline_style(table.as_string()) if isinstance(
        table, tomlkit.items.InlineTable) else True
