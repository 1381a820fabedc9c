"""`clientfit report CLIENT [--json]`: the dossier on one client, in Markdown or JSON."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, Any

from ..domain import dates, money
from ..i18n import _, language, ngettext
from ..store.store import Store
from .common import EXIT_OK, client_id, client_model, dump_json, now_for
from .status import money_json

if TYPE_CHECKING:
    from ..domain.model import Settings
    from ..domain.report import Report

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
STATE_MARK = {"done": "x", "skipped": "-", "held": "!", "warn": "~", "todo": " "}


def add(sub: Any) -> None:
    p = sub.add_parser(
        "report", help=_("the dossier on one client (Markdown, or --json)"),
        description=_("The dossier on one client: every incident with its whole note in time "
                      "order, counts by kind, minutes lost, trouble per month for 12 months, "
                      "invoices with days late, reviews and the instinct flag, the checklist "
                      "and its loose ends."))
    p.add_argument("client", metavar=_("client"),
                   help=_("client id (or a unique start of its id or name)"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))


def run(store: Store, args: argparse.Namespace) -> int:
    from ..domain import report

    snap = store.load(data=False)
    cid = client_id(snap, args.client)
    settings = snap.settings
    r = report.build(client_model(snap, cid), settings, now_for(settings))
    out = dump_json(as_json(r, settings)) + "\n" if args.json else markdown(r, settings)
    sys.stdout.write(out)
    return EXIT_OK


def _iso(m: dates.Moment | None) -> str | None:
    return None if m is None else m.isoformat()


def as_json(r: Report, s: Settings) -> dict[str, Any]:
    """The dossier as plain JSON values: moments as written in the file (ISO), instants
    in UTC."""
    c = r.client
    done, total = r.checklist.progress
    return {
        "id": c.id, "name": c.name, "status": c.status, "contact": c.contact or None,
        "email": c.email or None, "since": _iso(c.since), "regular": c.regular,
        "revenue": c.revenue, "contract": c.contract or None,
        "now": r.now.isoformat(), "timezone": s.timezone,
        "counts": {"incidents": len(r.incidents), "by_kind": r.by_kind, "trouble": r.trouble,
                   "minutes": r.minutes},
        "months": [{"month": m.label, "incidents": m.incidents, "trouble": m.trouble}
                   for m in r.months],
        "incidents": [{"at": i.at.isoformat(), "instant": i.instant.isoformat(),
                       "kind": i.kind, "severity": i.severity, "minutes": i.minutes,
                       "note": i.note} for i in r.incidents],
        "invoices": [{"number": ln.invoice.number or None, "amount": ln.invoice.amount,
                      "due": ln.invoice.due.isoformat(), "paid": _iso(ln.invoice.paid),
                      "days_late": ln.days_late, "state": ln.state} for ln in r.invoices],
        "owed": round(r.owed, 2),
        "reviews": [{"at": _iso(v.at), "outcome": v.outcome, "note": v.note or None}
                    for v in r.reviews],
        "instinct": {"flag": r.instinct, "reviews": r.reviews_lately,
                     "threshold": s.instinct_reviews, "within_days": s.instinct_within_days},
        "cooling_off": {"last_incident": _iso(r.cooling.last_incident),
                        "until": r.cooling.unlocks.isoformat()
                        if r.cooling.active and r.cooling.unlocks else None},
        "checklist": {"started": r.started, "done": done, "total": total,
                      "notice_end": _iso(r.checklist.notice_end),
                      "steps": [{"id": st.id, "title": st.title, "state": st.state,
                                 "detail": st.detail, "held": st.why_held or None}
                                for st in r.checklist.steps]},
        "flags": list(r.flags),
        "loose_ends": list(r.loose_ends),
        "money": money_json(money.client_money(c, s, r.now), s),
    }


def plain(s: str) -> str:
    """Text from the file, made harmless for a terminal (control characters escaped)."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", s)


def _hours(minutes: float) -> str:
    h, m = divmod(round(minutes), 60)
    return f"{h} h {m:02d}" if h else f"{m} min"


def markdown(r: Report, s: Settings) -> str:
    from .. import l10n
    from ..domain.report import invoice_name, spark
    from ..domain.vocab import label
    from .status import INVOICE_STATES, _number, amount, state_label

    c = r.client
    out = [f"# {plain(c.name)} ({c.id})", ""]
    about = [_("status {status}").format(status=label(c.status))]
    if c.since:
        since = c.since.isoformat() if language() == "en" else l10n.moment(c.since)
        about.append(_("client since {day}").format(day=since))
    if c.regular:
        about.append(_("regular work"))
    if c.revenue is not None:
        about.append(_("revenue {amount} a year").format(amount=amount(c.revenue, s.currency)))
    out.append("- " + ", ".join(about))
    if c.contact or c.email:
        who = " ".join(x for x in (plain(c.contact), f"<{plain(c.email)}>" if c.email else "")
                       if x)
        out.append("- " + _("contact: {who}").format(who=who))
    out.append("- " + (_("contract: {contract}").format(contract=plain(c.contract)) if c.contract
                       else _("contract: none on file (gather the first emails and documents)")))
    if c.notes:
        out.append("- " + _("notes: {notes}").format(notes=plain(c.notes).replace("\n", "\n  ")))
    out.append("- " + _("as of {moment}").format(moment=l10n.instant(r.now, s.tz)))
    out += ["", "## " + _("Summary"), ""]
    kinds = ", ".join(f"{label(k)} {n}" for k, n in r.by_kind.items())
    out.append("- " + ngettext(
        "{n} incident, trouble {trouble}, minutes lost {minutes} ({hours})",
        "{n} incidents, trouble {trouble}, minutes lost {minutes} ({hours})",
        len(r.incidents)).format(n=len(r.incidents), trouble=r.trouble,
                                 minutes=_whole(r.minutes), hours=_hours(r.minutes)))
    out.append("- " + (_("by kind: {kinds}").format(kinds=kinds) if kinds
                       else _("by kind: none")))
    if r.cooling.active and r.cooling.unlocks:
        out.append("- " + _("cooling off: no decision before {moment}").format(
            moment=l10n.instant(r.cooling.unlocks, s.tz)))
    said = {"n": r.reviews_lately, "days": s.instinct_within_days, "at": s.instinct_reviews}
    if r.instinct:
        instinct = ngettext("**considered ending it {n} time in {days} days: listen to your "
                            "instincts**", "**considered ending it {n} times in {days} days: "
                            "listen to your instincts**", r.reviews_lately).format(**said)
    else:
        instinct = ngettext("{n} review in {days} days (the flag is at {at})",
                            "{n} reviews in {days} days (the flag is at {at})",
                            r.reviews_lately).format(**said)
    out.append("- " + _("instinct: {instinct}").format(instinct=instinct))
    if r.owed:
        out.append("- " + _("owed: {amount}").format(amount=amount(r.owed, s.currency)))
    out += ["", "## " + _("Money"), ""]
    out += [f"- {plain(line)}" for line in money.client_lines(money.client_money(c, s, r.now), s)]

    trouble = [m.trouble for m in r.months]
    first, last = l10n.month_year(r.months[0].start), l10n.month_year(r.months[-1].start)
    out += ["", "## " + _("Trouble per month, {first} to {last}").format(first=first, last=last),
            "", f"`{spark(trouble)}` "
            + _("(highest {n})").format(n=max(trouble)), "",
            "| {} | {} | {} |".format(_("month"), _("incidents"), _("trouble")),
            "| --- | ---: | ---: |"]
    out += [f"| {l10n.month_year(m.start)} | {m.incidents} | {m.trouble} |" for m in r.months]

    n = len(r.incidents)  # the same text as the app's dossier (app/client.py)
    out += ["", "## " + ngettext("Incidents ({n}, oldest first)", "Incidents ({n}, oldest first)",
                                 n).format(n=n), ""]
    for i in r.incidents:
        note = plain(i.note).replace("\n", "\n  ") if i.note else _("(no note)")
        what = {"kind": label(i.kind), "severity": i.severity}
        if i.minutes:
            text = _("{kind}, severity {severity}, {minutes} min").format(
                minutes=_number(i.minutes), **what)
        else:
            text = _("{kind}, severity {severity}").format(**what)
        out.append(f"- **{l10n.moment(i.at)}** {text}  ")
        out.append(f"  {note}")
    if not r.incidents:
        out.append(_("None."))

    out += ["", "## " + _("Invoices"), ""]
    if r.invoices:
        out += ["| {} | {} | {} | {} | {} | {} |".format(
                    _("number"), _("amount"), _("due"), _("paid"), _("days late"), _("state")),
                "| --- | ---: | --- | --- | ---: | --- |"]
        for ln in r.invoices:
            inv = ln.invoice
            paid = l10n.date(inv.paid) if inv.paid else _("unpaid")
            out.append(f"| {plain(invoice_name(inv))} | {amount(inv.amount, s.currency)} | "
                       f"{l10n.date(inv.due)} | {paid} | {ln.days_late} | "
                       f"{state_label(ln.state, INVOICE_STATES)} |")
    else:
        out.append(_("None."))

    out += ["", "## " + _("Reviews"), ""]
    for v in r.reviews:
        note = f": {plain(v.note)}" if v.note else ""
        out.append(f"- {l10n.moment(v.at) if v.at else _('(no date)')} "
                   f"{label(v.outcome) if v.outcome else _('(no outcome)')}{note}")
    if not r.reviews:
        out.append(_("None."))

    done, total = r.checklist.progress
    title = (_("{done}/{total} done").format(done=done, total=total) if r.started
             else _("not started: no decision yet"))
    out += ["", "## " + _("Offboarding checklist ({progress})").format(progress=title), ""]
    for n, st in enumerate(r.checklist.steps, 1):
        held = f" ({plain(st.why_held)})" if st.why_held else ""
        out.append(f"{n}. [{STATE_MARK.get(st.state, ' ')}] {st.title}: "
                   f"{plain(st.detail)}{held}")

    out += ["", "## " + _("Loose ends"), ""]
    out += [f"- {plain(e)}" for e in r.loose_ends] or [_("None.")]
    return "\n".join(out) + "\n"


def _whole(x: float) -> str:
    """`1,234`; `1234` in Spanish."""
    if language() == "en":
        return f"{x:,.0f}"
    from .. import l10n

    return l10n.number(money.dec(round(x)))
