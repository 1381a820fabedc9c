"""The client's page: the dossier of `clientfit report`, with trouble per month as a sparkline."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Footer, Sparkline, Static

from ..domain import dates, money, report
from ..domain.checklist import DONE, HELD, SKIPPED, WARN
from .base import DataScreen
from .commands import CLIENT, bindings
from .widgets import lit, safe

if TYPE_CHECKING:
    from ..domain.model import Settings

MARKS = {DONE: "[x]", HELD: "[!]", SKIPPED: "[-]", WARN: "[~]"}


def note_text(note: str) -> str:
    """A note made harmless, its lines kept."""
    return "\n".join(safe(line) for line in note.split("\n"))


def dossier(r: report.Report, s: Settings) -> Text:
    """The body of the page: every section of the dossier, as text."""
    t = Text()

    def head(title: str) -> None:
        t.append(f"\n{title}\n", style="bold underline")

    c = r.client
    head("Money")
    for line in money.client_lines(money.client_money(c, s, r.now), s):
        t.append(safe(line) + "\n")
    head(f"Incidents ({len(r.incidents)}, oldest first)")
    for i in r.incidents:
        mins = f", {i.minutes:g} min" if i.minutes else ""
        t.append(dates.show_moment(i.at), style="bold")
        t.append(f"  {i.kind}, severity {i.severity}{mins}\n")
        t.append("  " + note_text(i.note or "(no note)").replace("\n", "\n  ") + "\n")
    if not r.incidents:
        t.append("None.\n", style="dim")

    head("Invoices")
    for ln in r.invoices:
        inv = ln.invoice
        paid = f"paid {inv.paid.isoformat()}" if inv.paid else "unpaid"
        late = f", {ln.days_late} days late" if ln.days_late else ""
        t.append(f"{safe(report.invoice_name(inv))}  {inv.amount:,.2f}  due {inv.due.isoformat()}"
                 f"  {paid}{late}\n", style="bold" if ln.state == "overdue" else "")
    if not r.invoices:
        t.append("None.\n", style="dim")

    head(f"Reviews ({r.reviews_lately} in {s.instinct_within_days} days)")
    for v in r.reviews:
        note = f": {note_text(v.note)}" if v.note else ""
        t.append(f"{dates.show_moment(v.at) if v.at else '(no date)'} "
                 f"{v.outcome or '(no outcome)'}{note}\n")
    if not r.reviews:
        t.append("None.\n", style="dim")

    done, total = r.checklist.progress
    head(f"Checklist ({done}/{total} done)" if r.started
         else "Checklist (not started: no decision yet)")
    for n, st in enumerate(r.checklist.steps, 1):
        t.append(f"{MARKS.get(st.state, '[ ]')} {n}. {st.title}: ")
        t.append(safe(st.why_held or st.detail) + "\n",
                 style="bold" if st.state in (HELD, WARN) else "")

    head("Loose ends")
    for e in r.loose_ends:
        t.append(f"- {safe(e)}\n")
    if not r.loose_ends:
        t.append("None.\n", style="dim")
    if c.notes:
        head("Notes")
        t.append(note_text(c.notes) + "\n")
    return t


class MonthAxis(Widget):
    """The months under a `Sparkline` of the same width, each centred under its bars."""

    DEFAULT_CSS = "MonthAxis { height: 1; }"

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.starts: list[date] = []

    def show(self, starts: list[date]) -> None:
        self.starts = starts
        self.refresh()

    def render(self) -> Text:
        return Text(axis(self.starts, self.size.width), no_wrap=True, style="dim")


def axis(starts: list[date], width: int) -> str:
    """A line naming each month under its bars: the sparkline draws column `c` from
    value `c * n // width`, so month `k` spans columns ceil(k*width/n) up to the next."""
    n = len(starts)
    if not n or width <= 0:
        return ""
    line = [" "] * width
    for k, d in enumerate(starts):
        lo, hi = -(-k * width // n), -(-(k + 1) * width // n)
        name = d.strftime("%b") if hi - lo >= 4 else d.strftime("%b")[0]
        at = lo + max(0, (hi - lo - len(name)) // 2)
        line[at:at + len(name)] = name[:max(0, width - at)]
    return "".join(line)[:width]


class ClientScreen(DataScreen):
    """One client's dossier: the evidence, the money, the reviews, the checklist."""

    WHERE = CLIENT
    BINDINGS = bindings(WHERE)
    DEFAULT_CSS = """
    ClientScreen #trend { height: 2; margin: 0 1; }
    ClientScreen #months { margin: 0 1; }
    ClientScreen #trend-label { height: 1; padding: 0 1; }
    ClientScreen #who { text-wrap: nowrap; text-overflow: ellipsis; }
    ClientScreen #body { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    """

    def __init__(self, client_id: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.report: report.Report | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        yield Static(id="who")
        yield Static(id="trend-label")
        yield Sparkline([], id="trend")
        yield MonthAxis(id="months")
        with VerticalScroll(id="body"):
            yield Static(id="dossier")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#body", VerticalScroll).focus()

    def refresh_data(self) -> None:
        super().refresh_data()
        snap = self.session.snap
        c = snap.data.clients.get(self.client_id) if snap else None
        if c is None or snap is None:
            self.report = None
            self.query_one("#who", Static).update(Text(f"No client '{self.client_id}' any more."))
            self.query_one("#dossier", Static).update("")
            return
        s = snap.data.settings
        r = self.report = report.build(c, s, self.session.now())
        who = Text(no_wrap=True, overflow="ellipsis")
        who.append_text(lit(c.name, "bold"))
        who.append(f" ({c.status})")
        if c.contact:
            who.append(" · ")
            who.append_text(lit(c.contact))
        kinds = ", ".join(f"{k} {n}" for k, n in r.by_kind.items())
        who.append(f"\n{len(r.incidents)} incidents, trouble {r.trouble}, "
                   f"{r.minutes:,.0f} min lost" + (f": {kinds}" if kinds else ""))
        flags = []
        if r.owed:
            flags.append(f"owed {r.owed:,.2f}")
        if r.cooling.active and r.cooling.unlocks:
            flags.append(f"cooling off {dates.countdown(r.cooling.left)}")
        if r.instinct:
            flags.append(f"instinct: {r.reviews_lately} reviews in {s.instinct_within_days} "
                         "days")
        if flags:
            who.append("\n" + " · ".join(flags).capitalize(), style="bold")
        self.query_one("#who", Static).update(who)
        values = [m.trouble for m in r.months]
        self.query_one("#trend-label", Static).update(Text(
            f"Trouble per month, {r.months[0].start:%b %Y} to {r.months[-1].start:%b %Y} "
            f"(highest {max(values)})", no_wrap=True, overflow="ellipsis"))
        self.query_one("#trend", Sparkline).data = values
        self.query_one("#months", MonthAxis).show([m.start for m in r.months])
        self.query_one("#dossier", Static).update(dossier(r, s))

    def tick(self) -> None:
        """While cooling off, the countdown in the header moves."""
        if self.report is not None and self.report.cooling.unlocks is not None and \
                self.report.cooling.active:
            self.refresh_data()

    def selected_client(self) -> str | None:
        return self.client_id

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_checklist(self) -> None:
        self.app.open_checklist(self.client_id)  # type: ignore[attr-defined]

    def action_script(self) -> None:
        self.app.open_script(self.client_id)  # type: ignore[attr-defined]

    def action_decide(self) -> None:
        self.app.decide(self.client_id)  # type: ignore[attr-defined]

    def action_review(self) -> None:
        self.app.record_review(self.client_id)  # type: ignore[attr-defined]
