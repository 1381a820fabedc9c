"""The client list: the home screen."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Input, Static

from .. import l10n
from ..domain import dates, money, rules
from ..domain.due import brief, due
from ..domain.model import STATUSES, Client, Data
from ..domain.report import Months, spark, trouble_per_month
from ..domain.search import folded
from ..domain.vocab import label
from ..i18n import N_, _, ngettext
from .base import BROKEN, DataScreen, footer, spoken
from .commands import CLIENTS, bindings
from .widgets import Column, FindBox, RowTable, lit, safe

SORTS = ("trouble", "name", "last incident", "status", "cooling-off")
SORT_NAMES = {"trouble": N_("trouble"), "name": N_("name"), "last incident": N_("last incident"),
              "status": N_("status"), "cooling-off": N_("cooling-off")}
STATUS_ORDER = {"offboarding": 0, "watch": 1, "active": 2, "ended": 3}


@dataclass(frozen=True, slots=True)
class Row:
    client: Client
    last: datetime | None
    unlocks: datetime | None
    in30: int
    in90: int
    trouble: int
    minutes: float
    pareto: bool
    instinct: bool
    flagged: bool
    money: money.ClientMoney
    below_rate: bool | None


def collated(name: str) -> str:
    """A name as a dictionary orders it: "Órbita" between "Logística" and "Puerto"."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold())
                   if not unicodedata.combining(ch))


def summarise(data: Data, now: datetime, vital: frozenset[str]) -> list[Row]:
    """One row of evidence per client; `vital` are the clients in the Pareto set."""
    s = data.settings
    rows = []
    for c in data.clients.values():
        cool = rules.cooling(c, s, now)
        rows.append(Row(c, cool.last_incident, cool.unlocks,
                        rules.incidents_since(c, s, now, 30), rules.incidents_since(c, s, now, 90),
                        rules.trouble(c), rules.minutes_lost(c), c.id in vital,
                        rules.instinct(c, s, now), bool(rules.warnings_for(c, s)),
                        m := money.client_money(c, s, now),
                        c.status != "ended" and money.below_rate(m, s)))
    return rows


def fit(head: str, parts: list[str], width: int, lines: int) -> str:
    """As many of `parts` as fit in `lines` lines after `head`, and how many more."""
    import textwrap

    def fits(text: str) -> bool:
        return width <= 0 or len(textwrap.wrap(head + text, width)) <= lines

    for n in range(len(parts), 0, -1):
        more = _(" · +{n} more: clientfit due").format(n=len(parts) - n) \
            if n < len(parts) else ""
        text = " · ".join(parts[:n]) + more
        if fits(text):
            return text
    return " · ".join(parts)  # the line's own ellipsis cuts it


class ClientsScreen(DataScreen):
    """Every client, with the evidence: trouble, recent incidents, cooling-off, marks."""

    WHERE = CLIENTS
    BINDINGS = bindings(WHERE)

    AUTO_FOCUS = "#clients"
    # TRANSLATORS: the client list's column headings; each fits its width (16, 11, 3...)
    COLUMNS = [Column(N_("Client"), 16), Column(N_("Status"), 11), Column(N_("30d"), 3, True),
               Column(N_("90d"), 3, True), Column(N_("Trbl"), 4, True), Column(N_("Min"), 5, True),
               Column(N_("Revenue"), 7, True), Column(N_("Last"), 5, True),
               Column(N_("Cooling"), 10), Column(N_("Mark"), 5)]

    RATE = Column(N_("Rate/h"), 8, True)
    """The effective hourly rate, trouble included: shown from `RATED` columns."""
    RATED = 89
    SPARK = Column(N_("12 months"), 12)
    """Trouble per month, shown only wider than `WIDE` columns."""
    WIDE = 102
    NARROW_COLUMNS = [Column(N_("Client"), 14), Column(N_("Trbl"), 4, True),
                      Column(N_("Cooling"), 10), Column(N_("Mark"), 5)]
    """Narrower than `NARROW` columns (40x12 over SSH): what decides, nothing else."""
    NARROW = 60

    def __init__(self) -> None:
        super().__init__()
        self.sort_by = 0
        self.filter_text = ""
        self.summary: list[Row] = []
        self.wide = False
        self.rated = False
        self.narrow = False
        self.sparks: dict[str, str] = {}
        self._due_for: tuple[object, datetime] | None = None
        """The snapshot and minute the due line was worked out for."""

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        yield Static(id="summary")
        box = FindBox(placeholder=_("find: a few letters of an id, name or status; "
                                    "Enter keeps it, Esc clears it"), id="filter")
        box.display = False
        yield box
        yield Static(id="due")
        table = RowTable(self.fitted(self.COLUMNS), id="clients")
        table.empty_text = _("No clients yet: a adds one (or e, in the file).")
        yield table
        yield footer()

    def refresh_data(self) -> None:
        super().refresh_data()
        snap = self.session.snap
        if snap is None:
            if self.session.problems:
                self.table.empty_text = _(BROKEN)
                self.table.set_rows([], [])
            return
        now = self.session.now().astimezone(UTC)
        p = rules.pareto(snap.data)
        self.summary = summarise(snap.data, now, p.vital_ids)
        if self.wide:
            s, window = snap.data.settings, Months(now, snap.data.settings)
            self.sparks = {c.id: spark(trouble_per_month(c, s, now, window=window))
                           for c in snap.data.clients.values()}
        text = Text(no_wrap=True, overflow="ellipsis")
        shown = sum(1 for r in self.summary if self._keep(r))
        total = len(snap.data.clients)
        text.append(ngettext("{shown} of {total} client", "{shown} of {total} clients", total)
                    .format(shown=shown, total=total) if self.filter_text.strip() else
                    ngettext("{total} client", "{total} clients", total).format(total=total),
                    style="bold")
        pareto = Text()
        if p.total_trouble:
            share = money.fmt_share(p.vital_trouble_share)
            pareto.append(
                ngettext(" · p Pareto: {n} makes {share} of trouble, {revenue} of revenue",
                         " · p Pareto: {n} make {share} of trouble, {revenue} of revenue",
                         p.vital_count).format(n=p.vital_count, share=share,
                                               revenue=money.fmt_share(p.vital_revenue_share))
                if p.vital_revenue_share is not None else
                ngettext(" · p Pareto: {n} makes {share} of trouble",
                         " · p Pareto: {n} make {share} of trouble",
                         p.vital_count).format(n=p.vital_count, share=share))
        order = Text(_(" · sort: {by}").format(by=_(SORT_NAMES[SORTS[self.sort_by]])),
                     style="dim")
        room = self.size.width - 2
        if text.cell_len + pareto.cell_len + order.cell_len > room:
            # the sort, what `s` changes, is never cut off; the Pareto line after it is
            # shown whole or as its key alone, never cut in the middle of a word
            short = Text(_(" · p Pareto"))
            left = room - text.cell_len - order.cell_len
            pareto = pareto if pareto.cell_len <= left else (
                short if p.total_trouble and short.cell_len <= left else Text())
        text.append_text(pareto)
        text.append_text(order)
        if self.filter_text:
            text.append(_(" · filter: "), style="dim")
            text.append_text(lit(self.filter_text))
        self.query_one("#summary", Static).update(text)
        self.show_due(now)
        self.render_rows(now)

    def show_due(self, now: datetime) -> None:
        """What is due, in a line or two (`clientfit due` gives the whole of it); worked
        out again when the file is reloaded, and as the minutes pass."""
        snap = self.session.snap
        minute = now.replace(second=0, microsecond=0)
        if snap is None or self._due_for == (snap, minute):
            return
        self._due_for = (snap, minute)
        d = due(snap.data, now)
        box = self.query_one("#due", Static)
        one_line = self.size.height < 20  # the list comes first
        box.styles.max_height = 1 if one_line else 2
        box.styles.text_wrap = "nowrap" if one_line else "wrap"
        text = Text()
        if not d.count:
            text.append(ngettext("Nothing due in the next {days} day.",
                                 "Nothing due in the next {days} days.", d.days)
                        .format(days=d.days), style="dim")
        else:
            head = _("Due ({count}): ").format(count=d.count)
            text.append(head, style="bold")
            text.append(safe(fit(head, brief(d, snap.data.settings), self.size.width - 2,
                                 1 if one_line else 2)))
        box.update(text)

    def on_resize(self) -> None:
        self._due_for = None
        self.show_due(self.session.now().astimezone(UTC))

    def render_rows(self, now: datetime) -> None:
        snap = self.session.snap
        if snap is None:
            return
        s = snap.data.settings
        rows = [r for r in self.summary if self._keep(r)]
        rows.sort(key=self._sort_key)
        self.table.empty_text = (
            _("No client matches '{text}'. Esc clears the filter.").format(
                text=self.filter_text.strip())
            if self.filter_text.strip() and self.summary else
            _("No clients. The file is read-only until its errors are fixed: e opens it.")
            if self.session.read_only else
            _("No clients yet: a adds one (or e, in the file)."))
        cells = [self._cells(r, now, s.tz) for r in rows]
        self.table.set_rows(cells, [r.client.id for r in rows], keep=self.table.current_key)

    def tick(self) -> None:
        """Once a second: the countdowns move, and a decision unlocks by itself."""
        now = self.session.now().astimezone(UTC)
        self.show_due(now)
        if any(r.unlocks is not None for r in self.summary):
            self.render_rows(now)

    def _keep(self, r: Row) -> bool:
        q = folded(self.filter_text.strip())
        if not q:
            return True
        c = r.client
        return q in folded(c.id) or q in folded(c.name) or c.status.startswith(q) or \
            folded(label(c.status)).startswith(q)

    def _sort_key(self, r: Row) -> tuple[object, ...]:
        by = SORTS[self.sort_by]
        if by == "name":
            return (collated(r.client.name), r.client.id)
        if by == "last incident":
            return (-(r.last.timestamp() if r.last else float("-inf")), r.client.id)
        if by == "status":
            return (STATUS_ORDER.get(r.client.status, 9), -r.trouble, r.client.id)
        if by == "cooling-off":
            return (r.unlocks is None, r.unlocks.timestamp() if r.unlocks else 0, r.client.id)
        return (-r.trouble, -r.minutes, r.client.id)

    def _cells(self, r: Row, now: datetime, z: object) -> tuple[Text | str, ...]:
        c = r.client
        last = "-" if r.last is None else _("{days}d").format(days=max(0, (now - r.last).days))
        cooling: Text | str = "-"
        if r.unlocks is not None and now < r.unlocks:
            cooling = Text(dates.countdown(r.unlocks - now), style="bold")
        elif r.unlocks is not None:
            cooling = _("open")
        marks = "".join(m for m, on_ in (("P", r.pareto), ("!", r.instinct),
                                         ("$", bool(c.unpaid)), ("x", r.flagged),
                                         ("<", bool(r.below_rate))) if on_)
        revenue = l10n.number(c.revenue) if c.revenue is not None else "-"
        status_style = {"offboarding": "bold", "watch": "underline", "ended": "dim"}.get(
            c.status, "")
        if self.narrow:
            return (lit(c.name), str(r.trouble), cooling, Text(marks, style="bold"))
        cells = (lit(c.name), Text(label(c.status), style=status_style),
                 str(r.in30), str(r.in90), str(r.trouble), f"{r.minutes:.0f}", revenue, last,
                 cooling, Text(marks, style="bold"), money.fmt_effective(r.money))
        return (*cells, self.sparks.get(c.id, "")) if self.wide else cells

    @on(events.Resize)
    def _fit_columns(self) -> None:
        """From `RATED` columns each client's effective rate; past `WIDE` columns, a
        sparkline of its last 12 months too."""
        width = self.size.width
        wide, rated, narrow = width > self.WIDE, width >= self.RATED, width < self.NARROW
        if (wide, rated, narrow) != (self.wide, self.rated, self.narrow):
            self.wide, self.rated, self.narrow = wide, rated, narrow
            self.table.columns = self.fitted(self.NARROW_COLUMNS if narrow else [
                *self.COLUMNS, *([self.RATE] if rated else []), *([self.SPARK] if wide else [])],
                self.table.scrollable_content_region.width)
            self.refresh_data()

    @staticmethod
    def fitted(columns: list[Column], room: int = 0) -> list[Column]:
        """The columns in the reader's language, each as wide as its heading and the words
        it shows (a status, a countdown); unless they all fit in `room` cells, what that
        takes comes first from the countdown's spare cells, then from the name (never
        under 12)."""
        out = spoken(columns)
        longest = {
            "Status": max(len(label(s)) for s in STATUSES),
            "Cooling": max(len(_("open")), len(dates.countdown(timedelta(days=13, hours=23))),
                           len(dates.countdown(timedelta(hours=23, minutes=59)))),
        }
        need = {c.title: max(len(_(c.title)), longest.get(c.title, 0)) for c in columns}
        short = sum(max(0, need[c.title] - c.width) for c in columns)
        if not short:
            return out
        widths = [max(c.width, need[c.title]) for c in columns]
        if sum(widths) + len(widths) - 1 <= room:
            return [replace(c, width=w) for c, w in zip(out, widths, strict=True)]
        for giver, floor in (("Cooling", need["Cooling"]), ("Client", 12)):
            if giver in need:
                i = next(i for i, c in enumerate(columns) if c.title == giver)
                give = min(short, max(0, widths[i] - floor))
                widths[i] -= give
                short -= give
        return [replace(c, width=w) for c, w in zip(out, widths, strict=True)]

    def action_info(self) -> None:
        cid = self.selected_client()
        if cid:
            self.app.open_client(cid)  # type: ignore[attr-defined]

    def action_open(self) -> None:
        cid = self.selected_client()
        if cid:
            self.app.open_checklist(cid)  # type: ignore[attr-defined]

    def action_sort(self) -> None:
        self.sort_by = (self.sort_by + 1) % len(SORTS)
        self.notify(_("Sorted by {by}").format(by=_(SORT_NAMES[SORTS[self.sort_by]])), timeout=2)
        self.refresh_data()

    def action_filter(self) -> None:
        self.open_box("filter")

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.filter_text = event.value
        self.refresh_data()

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.box_done(event.input)

    def action_clear_filter(self) -> None:
        """Esc: the filter emptied and put away, every client shown."""
        if self.clear_box("filter"):
            self.filter_text = ""
            self.refresh_data()

    def action_add_client(self) -> None:
        self.app.add_client()  # type: ignore[attr-defined]

    def action_decide(self) -> None:
        cid = self.selected_client()
        if cid:
            self.app.decide(cid)  # type: ignore[attr-defined]

    def action_review(self) -> None:
        cid = self.selected_client()
        if cid:
            self.app.record_review(cid)  # type: ignore[attr-defined]
