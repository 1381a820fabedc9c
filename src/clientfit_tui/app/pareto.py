"""The Pareto screen: each client's share of trouble against its share of revenue, its
effective hourly rate, and what ending the clients marked would change."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Static

from ..domain import money, rules
from ..i18n import N_, _, ngettext
from .base import DataScreen, footer, spoken
from .commands import PARETO, bindings
from .widgets import Column, RowTable, lit

BAR = 18
"""Cells of the longest bar (the largest share on screen, trouble or revenue)."""
EIGHTHS = " ▏▎▍▌▋▊▉"
TROUBLE, REVENUE = "█", "▒"
"""Two patterns, so the two bars differ without colour."""


def bar(share: float, scale: float, fill: str, width: int = BAR) -> str:
    """A bar of `share` where `scale` fills `width` cells; the trouble bar has eighths."""
    if scale <= 0 or share <= 0:
        return ""
    cells = share / scale * width
    whole = int(cells)
    if fill == TROUBLE:
        part = EIGHTHS[int((cells - whole) * 8)]
        return (fill * whole + part).rstrip() or "▏"
    return fill * max(1, round(cells))


class ParetoScreen(DataScreen):
    """Share of trouble against share of revenue, client by client; space marks a client
    and the what-if below says what ending the marked clients would change."""

    WHERE = PARETO
    BINDINGS = bindings(WHERE)
    COLUMNS = [Column("", 3), Column("", 2), Column(N_("Client"), 11),
               Column(N_("█ Trouble"), BAR + 5), Column(N_("▒ Revenue"), BAR + 5),
               Column(N_("Rate/h"), 8, True)]

    NARROW_BAR = 10
    NARROW_COLUMNS = [Column("", 3), Column("", 2), Column(N_("Client"), 11),
                      Column(N_("█ Trouble"), NARROW_BAR + 6)]
    """Narrower than `NARROW` columns (40x12): the trouble bar alone, shorter, its share
    in view (the line above and the what-if say the revenue)."""
    NARROW, SMALL = 60, 20
    """Fewer lines than `SMALL`: the list first; the what-if only once a client is marked."""

    def __init__(self) -> None:
        super().__init__()
        self.narrow = False
        self.small = False
        self.marked: set[str] = set()
        """The ids marked for the what-if."""
        self._of: object = None
        self._pareto = rules.Pareto((), 0, 0.0, None, 0)
        self._money: dict[str, money.ClientMoney] = {}

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        yield Static(id="who")
        table = RowTable(spoken(self.COLUMNS), id="pareto")
        table.empty_text = _("No clients that are not ended.")
        yield table
        yield Static(id="legend")
        yield Static(id="whatif")
        yield footer()

    def refresh_data(self) -> None:
        super().refresh_data()
        snap = self.session.snap
        if snap is None:
            return
        data = snap.data
        s = data.settings
        if self._of is not snap:  # marking redraws; only a new snapshot recounts
            self._pareto, self._money = rules.pareto(data), money.money(data, self.session.now())
            self._of = snap
        p, table = self._pareto, self._money
        self.marked &= {r.client.id for r in p.rows}
        scale = max([0.0, *(r.trouble_share for r in p.rows),
                     *(r.revenue_share or 0.0 for r in p.rows)])
        rate = money.your_rate(s)
        rows: list[tuple[Text | str, ...]] = []
        for r in p.rows:
            m = table[r.client.id]
            below = money.below_rate(m, s)
            mark = ("P" if r.vital else " ") + ("<" if below else " ")
            rev = (f"{bar(r.revenue_share, scale, REVENUE)} {money.fmt_share(r.revenue_share)}"
                   if r.revenue_share is not None else "-")
            eff = Text(money.fmt_effective(m), style="bold" if below else "")
            width = self.NARROW_BAR if self.narrow else BAR
            rows.append(("[x]" if r.client.id in self.marked else "[ ]", Text(mark, "bold"),
                         lit(r.client.id),
                         f"{bar(r.trouble_share, scale, TROUBLE, width)} "
                         f"{money.fmt_share(r.trouble_share)}", rev, eff))
        self.table.set_rows(rows, [r.client.id for r in p.rows], keep=self.table.current_key)
        who = Text(no_wrap=True, overflow="ellipsis")
        if p.total_trouble:
            n, total = p.vital_count, len(p.rows)
            share = money.fmt_share(p.vital_trouble_share)
            if p.vital_revenue_share is not None:
                who.append(ngettext(
                    "P: {n} of {total} clients makes {share} of the trouble, brings {revenue} "
                    "of revenue",
                    "P: {n} of {total} clients make {share} of the trouble, bring {revenue} "
                    "of revenue", n).format(n=n, total=total, share=share,
                                            revenue=money.fmt_share(p.vital_revenue_share)))
            else:
                who.append(ngettext("P: {n} of {total} clients makes {share} of the trouble",
                                    "P: {n} of {total} clients make {share} of the trouble",
                                    n).format(n=n, total=total, share=share))
        else:
            who.append(_("No trouble recorded yet."))
        self.query_one("#who", Static).update(who)
        legend = Text(no_wrap=True, overflow="ellipsis", style="dim")
        legend.append(_("P most trouble") + " · ")
        if rate is None:
            legend.append(_("no rate set ([settings] rate)"))
        elif self.narrow:
            legend.append(_("< below {rate}").format(rate=money.fmt_rate(rate, s.currency)))
        else:
            legend.append(_("< below your {rate}, trouble included").format(
                rate=money.fmt_rate(rate, s.currency)))
        if not self.narrow:  # the footer says it too
            legend.append(" · " + _("space marks"))
        self.query_one("#legend", Static).update(legend)
        self._show_whatif(table)

    def _show_whatif(self, table: dict[str, money.ClientMoney]) -> None:
        snap = self.session.snap
        if snap is None:
            return
        box = self.query_one("#whatif", Static)
        box.display = bool(self.marked) or not self.small
        box.styles.max_height = 5 if self.small else 9
        if not self.marked:
            box.update(Text(_("Mark clients with space to see what ending them would change: "
                              "revenue, trouble, hours and your effective rate."),
                            style="italic"))
            return
        w = money.whatif(snap.data, self.session.now(), sorted(self.marked), table)
        box.update(Text("\n".join(money.whatif_lines(w, snap.data.settings))))

    @on(events.Resize)
    def _fit(self) -> None:
        narrow, small = self.size.width < self.NARROW, self.size.height < self.SMALL
        if (narrow, small) != (self.narrow, self.small):
            self.narrow, self.small = narrow, small
            self.table.columns = spoken(self.NARROW_COLUMNS if narrow else self.COLUMNS)
            who = self.query_one("#who", Static)
            who.styles.max_height = 1 if small else None
            who.styles.text_wrap = "nowrap" if small else "wrap"
            who.styles.text_overflow = "ellipsis" if small else "fold"
            self.refresh_data()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_mark(self) -> None:
        cid = self.selected_client()
        if cid is None:
            return
        self.marked ^= {cid}
        self.refresh_data()
        self.table.action_cursor(1)

    def action_clear_marks(self) -> None:
        self.marked.clear()
        self.refresh_data()

