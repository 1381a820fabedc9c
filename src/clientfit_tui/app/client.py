"""The client's page: the dossier of `clientfit report`, with trouble per month as a sparkline."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Sparkline, Static

from .. import l10n
from ..domain import dates, money, report
from ..domain.checklist import DONE, HELD, SKIPPED, WARN
from ..domain.vocab import label
from ..i18n import _, language, ngettext
from .base import DataScreen, footer
from .commands import CLIENT, bindings
from .widgets import lit, safe

if TYPE_CHECKING:
    from ..domain.model import Settings

MARKS = {DONE: "[x]", HELD: "[!]", SKIPPED: "[-]", WARN: "[~]"}


def note_text(note: str) -> str:
    """A note made harmless, its lines kept."""
    return "\n".join(safe(line) for line in note.split("\n"))


def minutes(x: float) -> str:
    """Minutes as few digits as they need: `30`, `7.5`; `7,5`."""
    return f"{x:g}" if language() == "en" else l10n.number(x, 1).removesuffix(",0")


def dossier(r: report.Report, s: Settings) -> Text:
    """The body of the page: every section of the dossier, as text."""
    t = Text()

    def head(title: str) -> None:
        t.append(f"\n{title}\n", style="bold underline")

    c = r.client
    head(_("Money"))
    for line in money.client_lines(money.client_money(c, s, r.now), s):
        t.append(safe(line) + "\n")
    head(ngettext("Incidents ({n}, oldest first)", "Incidents ({n}, oldest first)",
                  len(r.incidents)).format(n=len(r.incidents)))
    for i in r.incidents:
        t.append(l10n.moment(i.at), style="bold")
        t.append("  " + (_("{kind}, severity {severity}, {minutes} min") if i.minutes else
                         _("{kind}, severity {severity}")).format(
            kind=label(i.kind), severity=i.severity,
            minutes=minutes(i.minutes)) + "\n")
        t.append("  " + note_text(i.note or _("(no note)")).replace("\n", "\n  ") + "\n")
    if not r.incidents:
        t.append(_("None.") + "\n", style="dim")

    head(_("Invoices"))
    for ln in r.invoices:
        inv = ln.invoice
        paid = _("paid {day}").format(day=l10n.date(inv.paid)) if inv.paid else _("unpaid")
        late = ngettext(", {n} day late", ", {n} days late", ln.days_late).format(
            n=ln.days_late) if ln.days_late else ""
        t.append(_("{invoice}  {amount}  due {day}  {paid}{late}").format(
            invoice=safe(report.invoice_name(inv)), amount=l10n.amount(inv.amount, s.currency),
            day=l10n.date(inv.due), paid=paid, late=late) + "\n",
            style="bold" if ln.state == "overdue" else "")
    if not r.invoices:
        t.append(_("None.") + "\n", style="dim")

    head(ngettext("Reviews ({n} in {days} days)", "Reviews ({n} in {days} days)",
                  r.reviews_lately).format(n=r.reviews_lately, days=s.instinct_within_days))
    for v in r.reviews:
        note = f": {note_text(v.note)}" if v.note else ""
        when = l10n.moment(v.at) if v.at else _("(no date)")
        outcome = label(v.outcome) if v.outcome else _("(no outcome)")
        t.append(f"{when} {outcome}{note}\n")
    if not r.reviews:
        t.append(_("None.") + "\n", style="dim")

    done, total = r.checklist.progress
    head(_("Checklist ({done}/{total} done)").format(done=done, total=total) if r.started
         else _("Checklist (not started: no decision yet)"))
    for n, st in enumerate(r.checklist.steps, 1):
        t.append(f"{MARKS.get(st.state, '[ ]')} {n}. {st.title}: ")
        t.append(safe(st.why_held or st.detail) + "\n",
                 style="bold" if st.state in (HELD, WARN) else "")

    head(_("Loose ends"))
    for e in r.loose_ends:
        t.append(f"- {safe(e)}\n")
    if not r.loose_ends:
        t.append(_("None.") + "\n", style="dim")
    if c.notes:
        head(_("Notes"))
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
        name = l10n.month(d, short=hi - lo < max(4, len(l10n.month(d)) + 1))
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
        yield footer()

    def on_mount(self) -> None:
        self.query_one("#body", VerticalScroll).focus()

    def refresh_data(self) -> None:
        super().refresh_data()
        snap = self.session.snap
        c = snap.data.clients.get(self.client_id) if snap else None
        if c is None or snap is None:
            self.report = None
            self.query_one("#who", Static).update(Text(
                _("No client '{id}' any more.").format(id=self.client_id)))
            self.query_one("#dossier", Static).update("")
            return
        s = snap.data.settings
        r = self.report = report.build(c, s, self.session.now())
        who = Text(no_wrap=True, overflow="ellipsis")
        who.append_text(lit(c.name, "bold"))
        who.append(f" ({label(c.status)})")
        if c.contact:
            who.append(" · ")
            who.append_text(lit(c.contact))
        kinds = ", ".join(f"{label(k)} {n}" for k, n in r.by_kind.items())
        n = len(r.incidents)
        who.append("\n" + ngettext("{n} incident, trouble {trouble}, {minutes} min lost",
                                   "{n} incidents, trouble {trouble}, {minutes} min lost", n)
                   .format(n=n, trouble=r.trouble, minutes=l10n.number(r.minutes))
                   + (f": {kinds}" if kinds else ""))
        flags = []
        if r.owed:
            flags.append(_("owed {amount}").format(amount=l10n.amount(r.owed, s.currency)))
        if r.cooling.active and r.cooling.unlocks:
            flags.append(_("cooling off {left}").format(left=dates.countdown(r.cooling.left)))
        if r.instinct:
            flags.append(ngettext("instinct: {n} review in {days} days",
                                  "instinct: {n} reviews in {days} days", r.reviews_lately)
                         .format(n=r.reviews_lately, days=s.instinct_within_days))
        if flags:
            line = " · ".join(flags)  # its first letter up, the rest as it is ("EUR")
            who.append("\n" + line[:1].upper() + line[1:], style="bold")
        self.query_one("#who", Static).update(who)
        values = [m.trouble for m in r.months]
        first, last = r.months[0].start, r.months[-1].start
        self.query_one("#trend-label", Static).update(Text(
            _("Trouble per month, {first} to {last} (highest {highest})").format(
                first=f"{l10n.month(first)} {first.year}", last=f"{l10n.month(last)} {last.year}",
                highest=max(values)), no_wrap=True, overflow="ellipsis"))
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
