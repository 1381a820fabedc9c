"""The offboarding checklist for one client."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.widgets import Static

from .. import l10n
from ..domain import checklist, dates, rules
from ..domain.checklist import DONE, HELD, SKIPPED, WARN
from ..domain.model import Client
from ..domain.vocab import label
from ..i18n import N_, _, ngettext
from .base import DataScreen, footer, spoken
from .commands import CHECKLIST, bindings
from .widgets import Column, RowTable, lit, safe

MARKS = {DONE: "[x]", HELD: "[!]", SKIPPED: "[-]", WARN: "[~]"}


class ChecklistScreen(DataScreen):
    WHERE = CHECKLIST
    BINDINGS = bindings(WHERE)
    COLUMNS = [Column("", 3), Column(N_("Step"), 30), Column(N_("State"), 42)]
    NARROW_COLUMNS = [Column("", 3), Column(N_("Step"), 14), Column(N_("State"), 20, grow=True)]
    """Narrower than 60 columns: the step's title shortened, its state kept readable (the
    pane below says both in full)."""

    SMALL = 20
    """Fewer lines than this (40x12): the steps come first; the pane below gives way, the
    lines above are shorter."""

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.list: checklist.Checklist | None = None
        self._fit: tuple[bool, bool] | None = None
        """(narrow, small) as last laid out."""

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        yield Static(id="who")
        steps = RowTable(spoken(self.COLUMNS), id="steps")
        steps.empty_text = _("No steps.")
        yield steps
        yield Static(id="detail")
        yield footer()

    def client(self) -> Client | None:
        snap = self.session.snap
        return snap.data.clients.get(self.client_id) if snap else None

    def refresh_data(self) -> None:
        super().refresh_data()
        c = self.client()
        snap = self.session.snap
        if c is None or snap is None:
            self.query_one("#who", Static).update(Text(
                _("No client '{id}' any more.").format(id=self.client_id)))
            self.table.set_rows([], [])
            return
        s = snap.data.settings
        now = self.session.now()
        self.list = checklist.build(c, s, now)
        done, total = self.list.progress
        small = self.size.height < self.SMALL
        said = _(" ({status}) · {done}/{total} done").format(
            status=label(c.status), done=done, total=total)
        name = Text(overflow="ellipsis")
        name.append_text(lit(c.name, "bold"))
        room = self.size.width - 2 - len(said)
        if small and name.cell_len > room >= 8:  # one line, the steps first: a shorter name
            name.truncate(room, overflow="ellipsis")
        name.append(said)
        who = [name]
        cool = rules.cooling(c, s, now)
        if cool.active and cool.unlocks:
            left = dates.countdown(cool.left)
            who.append(Text(_("Cooling off: {left} to go").format(left=left) if small else
                            _("Cooling off: decision unlocks in {left} ({when})").format(
                                left=left, when=l10n.instant(cool.unlocks, s.tz)),
                            style="bold"))
        if rules.instinct(c, s, now):
            times = rules.reviews_in_window(c, s, now)
            who.append(Text(ngettext(
                "Considered ending it {n} times in {days} days: listen to your instincts.",
                "Considered ending it {n} times in {days} days: listen to your instincts.",
                times).format(n=times, days=s.instinct_within_days), style="bold"))
        for w in rules.warnings_for(c, s):
            who.append(Text(_("Flag: {message}").format(message=w.message), style="italic"))
        self.query_one("#who", Static).update(Group(*who))
        self.query_one("#detail", Static).display = not small
        rows: list[tuple[Text | str, ...]] = []
        for step in self.list.steps:
            rows.append((MARKS.get(step.state, "[ ]"), step.title,
                         lit(step.why_held or step.detail,
                             "bold" if step.state in (HELD, WARN) else "")))
        self.table.set_rows(rows, [st.id for st in self.list.steps], keep=self.table.current_key)
        self._show_detail()

    def tick(self) -> None:
        c = self.client()
        snap = self.session.snap
        if c is not None and snap is not None and \
                rules.cooling(c, snap.data.settings, self.session.now()).unlocks is not None:
            self.refresh_data()

    @on(events.Resize)
    def _fit_columns(self) -> None:
        narrow = self.size.width < 60
        fit = (narrow, self.size.height < self.SMALL)
        table = self.query_one("#steps", RowTable)
        if self._fit != fit:
            self._fit = fit
            table.columns = spoken(self.NARROW_COLUMNS if narrow else self.COLUMNS)
            self.refresh_data()

    @on(RowTable.Moved, "#steps")
    def _moved(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        if self.list is None or not self.list.steps:
            return
        sid = self.table.current_key
        step = next((s for s in self.list.steps if s.id == sid), None)
        if step is None:
            return
        t = Text()
        t.append(step.title + "\n", style="bold")
        t.append(safe(step.detail))
        if step.why_held:
            t.append("\n" + safe(step.why_held), style="bold")
        self.query_one("#detail", Static).update(t)

    def selected_client(self) -> str | None:
        return self.client_id

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_act(self) -> None:
        sid = self.table.current_key
        if isinstance(sid, str):
            self.app.do_step(self.client_id, sid)  # type: ignore[attr-defined]

    def action_decide(self) -> None:
        self.app.decide(self.client_id)  # type: ignore[attr-defined]

    def action_review(self) -> None:
        self.app.record_review(self.client_id)  # type: ignore[attr-defined]

    def action_script(self) -> None:
        self.app.open_script(self.client_id)  # type: ignore[attr-defined]

    def action_info(self) -> None:
        self.app.open_client(self.client_id)  # type: ignore[attr-defined]
