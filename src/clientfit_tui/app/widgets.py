"""Widgets: a text field that keeps bursts of keys in order, a virtual row table (draws
only the rows on screen), and literal text helpers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input

from ..i18n import _


class TextInput(Input):
    """An Input whose editing keys keep their place among the characters typed.

    Textual's Input types a character as its key arrives, but runs a bound key
    (Backspace, the arrows, Home, End, Ctrl+U, Ctrl+W, ...) only once the key has
    bubbled up to the app. Keys that arrive in one burst (a paste, a fast typist,
    a slow SSH link) were therefore applied out of order: `teh` Backspace Backspace
    `he` gave `tehhe`. Here the field's own bindings run as their key arrives, the
    way upstream Textual proposes to (textual#6605). Priority bindings are the
    app's and have run before the key reaches the field.
    """

    async def _on_key(self, event: events.Key) -> None:
        if not event.is_printable:
            for binding in self._bindings.key_to_bindings.get(event.key, ()):
                if not binding.priority and await self.app.run_action(binding.action, self):
                    event.stop()
                    event.prevent_default()
                    return
        await super()._on_key(event)


class FindBox(TextInput):
    """A list's search box: Enter keeps what it holds and gives the keys back to the list.
    Enter is a priority binding, run by the app before it reads the next key, so that a
    key typed right after it (in the same burst) acts on the list, not in the box; an
    empty box is put away."""

    BINDINGS = [Binding("enter", "keep", show=False, priority=True, id="keep-find")]

    def action_keep(self) -> None:
        table = next(iter(self.screen.query(RowTable)), None)
        if not self.value:
            self.display = False
        if table is not None:
            self.screen.set_focus(table)
        self.post_message(self.Submitted(self, self.value, None))


from .commands import LIST, bindings  # noqa: E402  (commands needs nothing from here)

_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe(s: str) -> str:
    """Client text made harmless to show: control characters become visible escapes."""
    def esc(m: re.Match[str]) -> str:
        c = m.group(0)
        return "⏎" if c == "\n" else f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"
    return _CONTROL.sub(esc, s.replace("\t", " "))


def lit(s: str, style: str | Style = "") -> Text:
    """Client text as literal Text: never read as markup, never a control code."""
    return Text(safe(s), style=style, no_wrap=True, end="")


NOTE_MIN = 20


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: int
    right: bool = False
    optional: bool = False
    """Left out (the rightmost first) when a growing last column would have under
    `NOTE_MIN` cells: on a narrow terminal the note is what counts."""
    grow: bool = False
    """The last column takes the width the others leave (a note): more on a wide
    terminal, a little less on a narrow one (down to 8), its end marked by an ellipsis."""


class RowTable(ScrollView, can_focus=True):
    """A table that draws only the rows in view, so 50,000 rows cost what 20 do."""

    # Priority, like the screens' own keys: keys typed fast are handled in the order
    # they were typed (an ordinary binding would run after a later priority one).
    BINDINGS = bindings(LIST)
    COMPONENT_CLASSES = {"rowtable--header", "rowtable--cursor"}
    DEFAULT_CSS = """
    RowTable { height: 1fr; }
    RowTable > .rowtable--header { text-style: bold underline; }
    RowTable > .rowtable--cursor { text-style: reverse; }
    RowTable:focus > .rowtable--cursor { text-style: bold reverse; }
    """

    cursor = reactive(0, always_update=True, init=False)
    """The selected row."""

    class _RowMessage(Message):
        def __init__(self, table: RowTable, row: int) -> None:
            super().__init__()
            self.table = table
            self.row = row

        @property
        def control(self) -> RowTable:
            return self.table

    class Moved(_RowMessage):
        """The cursor moved to another row."""

    def __init__(self, columns: list[Column], **kw: Any) -> None:
        super().__init__(**kw)
        self.columns = columns
        self.keys: list[Any] = []
        self.empty_text = _("Nothing here.")
        self._row_fn: Callable[[Any], tuple[Text | str, ...]] | None = None
        self._cells: dict[int, tuple[Text | str, ...]] = {}

    @property
    def rows(self) -> list[tuple[Text | str, ...]]:
        """Every row's cells (built on demand; the screen itself builds only what it shows)."""
        return [self._row(i) for i in range(len(self.keys))]

    def _row(self, i: int) -> tuple[Text | str, ...]:
        cells = self._cells.get(i)
        if cells is None:
            assert self._row_fn is not None
            cells = self._row_fn(self.keys[i])
            if len(self._cells) > 2000:
                self._cells.clear()
            self._cells[i] = cells
        return cells

    @property
    def row_width(self) -> int:
        """The width of a row as drawn (a growing last column fills the width)."""
        if self.columns and self.columns[-1].grow and self.is_mounted and \
                self.scrollable_content_region.width > 0:
            return sum(self._widths().values()) + len(self._widths()) - 1
        return sum(c.width for c in self.columns) + len(self.columns) - 1

    def set_rows(self, rows: list[tuple[Text | str, ...]], keys: list[Any],
                 keep: Any = None) -> None:
        """Replace the rows; keep the cursor on the row whose key is `keep` when present."""
        by_key = dict(zip(keys, rows, strict=True))
        self.show(keys, by_key.__getitem__, keep)

    def show(self, keys: list[Any], row_fn: Callable[[Any], tuple[Text | str, ...]],
             keep: Any = None) -> None:
        """Show one row per key, its cells made by `row_fn` only when the row is on screen."""
        self.keys = keys
        self._row_fn = row_fn
        self._cells = {}
        self.virtual_size = Size(self.row_width, len(keys) + 1)
        target = min(self.cursor, max(0, len(keys) - 1))
        if keep is not None and keep in keys:
            target = keys.index(keep)
        self.cursor = target
        self.refresh()

    @property
    def current_key(self) -> Any:
        return self.keys[self.cursor] if 0 <= self.cursor < len(self.keys) else None

    def watch_cursor(self, row: int) -> None:
        body = self.scrollable_content_region.height - 1
        top = self.scroll_offset.y
        if row < top:
            self.scroll_to(y=row, animate=False)
        elif body > 0 and row >= top + body:
            self.scroll_to(y=row - body + 1, animate=False)
        self.refresh()
        self.post_message(self.Moved(self, row))

    def action_cursor(self, delta: int) -> None:
        if self.keys:
            self.cursor = max(0, min(len(self.keys) - 1, self.cursor + delta))

    def action_page(self, direction: int) -> None:
        step = max(1, self.scrollable_content_region.height - 2)
        self.action_cursor(direction * step)

    def action_jump(self, where: int) -> None:
        if self.keys:
            self.cursor = 0 if where == 0 else len(self.keys) - 1

    def on_click(self, event: events.Click) -> None:
        """A click selects the row under it (the keyboard stays the way to act on it)."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = self.scroll_offset.y + offset.y - 1
        if 0 <= row < len(self.keys):
            self.cursor = row
        self.focus()

    def _widths(self) -> dict[int, int]:
        """The width of each column shown, by its index."""
        cols = self.columns
        shown = list(range(len(cols)))
        avail = self.scrollable_content_region.width
        if not cols or not cols[-1].grow or avail <= 0:
            return {i: cols[i].width for i in shown}

        def fixed(ix: list[int]) -> int:
            return sum(cols[i].width + 1 for i in ix[:-1])

        for i in reversed(range(len(cols) - 1)):
            if fixed(shown) + NOTE_MIN <= avail:
                break
            if cols[i].optional:
                shown.remove(i)
        widths = {i: cols[i].width for i in shown}
        widths[len(cols) - 1] = max(8, avail - fixed(shown))
        return widths

    def on_resize(self) -> None:
        self.virtual_size = Size(self.row_width, len(self.keys) + 1)

    def _line(self, cells: tuple[Text | str, ...]) -> Text:
        out = Text(no_wrap=True, end="")
        widths = self._widths()
        first = True
        for i, (col, cell) in enumerate(zip(self.columns, cells, strict=False)):
            if i not in widths:
                continue
            if not first:
                out.append(" ")
            first = False
            t = cell.copy() if isinstance(cell, Text) else Text(cell)
            t.truncate(widths[i], overflow="ellipsis")
            pad = widths[i] - t.cell_len
            if col.right:
                out.append(" " * pad)
                out.append_text(t)
            else:
                out.append_text(t)
                out.append(" " * pad)
        return out

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            header = self._line(tuple(c.title for c in self.columns))
            style = self.get_component_rich_style("rowtable--header")
            return self._strip(header, scroll_x, width, base + style)
        i = scroll_y + y - 1
        if not self.keys:
            if y == 1:
                return self._strip(Text(self.empty_text, style="italic"), 0, width, base)
            return Strip.blank(width, base)
        if i >= len(self.keys):
            return Strip.blank(width, base)
        line = self._line(self._row(i))
        style = base
        if i == self.cursor:
            style = base + self.get_component_rich_style("rowtable--cursor")
        return self._strip(line, scroll_x, width, style)

    def _strip(self, text: Text, scroll_x: int, width: int, style: Style) -> Strip:
        segments = [Segment(s.text, style + s.style if s.style else style)
                    for s in text.render(self.app.console)]
        return Strip(segments).crop(scroll_x, scroll_x + width).extend_cell_length(width, style)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.keys) + 1
