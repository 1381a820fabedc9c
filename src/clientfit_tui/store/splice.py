"""Text changes made of whole lines: the file's text seen as its header blocks, and
the splices an edit makes to it (see `edit`)."""

from typing import Any, NamedTuple

from . import tomlfmt
from .scan import Block, Index, Key, scan_block


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


def block_span(doc: Doc, i: int) -> Splice:
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


def aot_headers(doc: Doc, path: Key, length: int) -> list[int] | None:
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


def indent_of(doc: Doc, i: int) -> str:
    b = doc.block(i)
    if not b.statements:
        return ""
    st = b.statements[0]
    return doc.text[st.start : st.key_col]


def lines_of(doc: Doc, items: dict[str, Any], indent: str = "") -> str:
    return item_lines(doc.nl, items, indent)


def item_lines(nl: str, items: dict[str, Any], indent: str = "") -> str:
    return "".join(line + nl for line in tomlfmt.table_lines(items, indent))


def insert_at(doc: Doc, offset: int, body: str) -> Splice:
    """Insert `body` at `offset`, adding a newline first when the text ends without one."""
    if offset == len(doc.text) and doc.text and not doc.text.endswith("\n"):
        body = doc.nl + body
    return offset, offset, body


def new_block(doc: Doc, anchor: int | None, header: str, items: dict[str, Any],
               indent: str = "") -> Splice:
    """A new block after block `anchor`'s last statement (at the end of the file when None)."""
    offset = len(doc.text) if anchor is None else doc.block(anchor).body_end
    body = block_text(doc.nl, header, items, indent)
    if not doc.text or doc.text.isspace():
        body = body.lstrip("\r\n")
    return insert_at(doc, offset, body)


def block_text(nl: str, header: str, items: dict[str, Any], indent: str = "") -> str:
    """A new block: a blank line, its header, its items' lines."""
    return nl + header + nl + item_lines(nl, items, indent)


def ending_before(text: str, offset: int, default: str) -> str:
    """The line ending of the last line that ends before `offset`: the ending a line
    inserted there takes (the file's first ending when no line ends before it)."""
    j = text.rfind("\n", 0, offset)
    if j < 0:
        return default
    return "\r\n" if j > 0 and text[j - 1] == "\r" else "\n"


def local_endings(text: str, splices: list[Splice], default: str) -> list[Splice]:
    """The splices with each new line ending as the line it follows ends (a file may mix
    LF and CRLF; the bodies are made with `default`, and hold no line break inside a
    value: `tomlfmt` escapes them)."""
    out: list[Splice] = []
    for start, end, new in splices:
        if "\n" in new:
            new = new.replace("\r\n", "\n")
            if ending_before(text, start, default) == "\r\n":
                new = new.replace("\n", "\r\n")
        out.append((start, end, new))
    return out


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
