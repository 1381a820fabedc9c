"""`clientfit report CLIENT [--json]`: the dossier on one client, in Markdown or JSON."""

from __future__ import annotations

import argparse
import re
import sys
from typing import TYPE_CHECKING, Any

from ..domain import dates, money
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
        "report", help="the dossier on one client (Markdown, or --json)",
        description="The dossier on one client: every incident with its whole note in time "
        "order, counts by kind, minutes lost, trouble per month for 12 months, invoices with "
        "days late, reviews and the instinct flag, the checklist and its loose ends.")
    p.add_argument("client", help="client id (or a unique start of its id or name)")
    p.add_argument("--json", action="store_true", help="machine-readable output")


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
    from ..domain.report import invoice_name, spark

    c = r.client
    out = [f"# {plain(c.name)} ({c.id})", ""]
    about = [f"status {c.status}"]
    if c.since:
        about.append(f"client since {c.since.isoformat()}")
    if c.regular:
        about.append("regular work")
    if c.revenue is not None:
        about.append(f"revenue {c.revenue:,.2f} a year")
    out.append("- " + ", ".join(about))
    if c.contact or c.email:
        who = " ".join(x for x in (plain(c.contact), f"<{plain(c.email)}>" if c.email else "")
                       if x)
        out.append(f"- contact: {who}")
    out.append(f"- contract: {plain(c.contract)}" if c.contract
               else "- contract: none on file (gather the first emails and documents)")
    if c.notes:
        out.append("- notes: " + plain(c.notes).replace("\n", "\n  "))
    out.append(f"- as of {dates.show(r.now, s.tz)}")
    out += ["", "## Summary", ""]
    kinds = ", ".join(f"{k} {n}" for k, n in r.by_kind.items()) or "none"
    out.append(f"- {len(r.incidents)} incidents, trouble {r.trouble}, minutes lost "
               f"{r.minutes:,.0f} ({_hours(r.minutes)})")
    out.append(f"- by kind: {kinds}")
    if r.cooling.active and r.cooling.unlocks:
        out.append(f"- cooling off: no decision before {dates.show(r.cooling.unlocks, s.tz)}")
    instinct = (f"**considered ending it {r.reviews_lately} times in "
                f"{s.instinct_within_days} days: listen to your instincts**" if r.instinct
                else f"{r.reviews_lately} review{'s' if r.reviews_lately != 1 else ''} in "
                f"{s.instinct_within_days} days (the flag is at {s.instinct_reviews})")
    out.append(f"- instinct: {instinct}")
    if r.owed:
        out.append(f"- owed: {r.owed:,.2f}")
    out += ["", "## Money", ""]
    out += [f"- {plain(line)}" for line in money.client_lines(money.client_money(c, s, r.now), s)]

    trouble = [m.trouble for m in r.months]
    out += ["", f"## Trouble per month, {r.months[0].label} to {r.months[-1].label}", "",
            f"`{spark(trouble)}` (highest {max(trouble)})", "",
            "| month | incidents | trouble |", "| --- | ---: | ---: |"]
    out += [f"| {m.label} | {m.incidents} | {m.trouble} |" for m in r.months]

    out += ["", f"## Incidents ({len(r.incidents)}, oldest first)", ""]
    for i in r.incidents:
        mins = f", {i.minutes:g} min" if i.minutes else ""
        note = plain(i.note).replace("\n", "\n  ") if i.note else "(no note)"
        out.append(f"- **{dates.show_moment(i.at)}** {i.kind}, severity {i.severity}{mins}  ")
        out.append(f"  {note}")
    if not r.incidents:
        out.append("None.")

    out += ["", "## Invoices", ""]
    if r.invoices:
        out += ["| number | amount | due | paid | days late | state |",
                "| --- | ---: | --- | --- | ---: | --- |"]
        for ln in r.invoices:
            inv = ln.invoice
            paid = inv.paid.isoformat() if inv.paid else "unpaid"
            out.append(f"| {plain(invoice_name(inv))} | {inv.amount:,.2f} | "
                       f"{inv.due.isoformat()} | {paid} | {ln.days_late} | {ln.state} |")
    else:
        out.append("None.")

    out += ["", "## Reviews", ""]
    for v in r.reviews:
        note = f": {plain(v.note)}" if v.note else ""
        out.append(f"- {dates.show_moment(v.at) if v.at else '(no date)'} "
                   f"{v.outcome or '(no outcome)'}{note}")
    if not r.reviews:
        out.append("None.")

    done, total = r.checklist.progress
    title = f"{done}/{total} done" if r.started else "not started: no decision yet"
    out += ["", f"## Offboarding checklist ({title})", ""]
    for n, st in enumerate(r.checklist.steps, 1):
        held = f" ({plain(st.why_held)})" if st.why_held else ""
        out.append(f"{n}. [{STATE_MARK.get(st.state, ' ')}] {st.title}: "
                   f"{plain(st.detail)}{held}")

    out += ["", "## Loose ends", ""]
    out += [f"- {plain(e)}" for e in r.loose_ends] or ["None."]
    return "\n".join(out) + "\n"
