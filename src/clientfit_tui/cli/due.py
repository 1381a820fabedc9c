"""`clientfit due [--days N] [--json]`: what needs attention now."""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import _, ngettext
from ..store.store import Store
from .common import EXIT_OK, clip, dump_json, load_model, now_for


def add(sub: Any) -> None:
    def days(text: str) -> int:
        try:
            n = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(_("not a whole number: {text}").format(
                text=repr(text))) from None
        if not 0 <= n <= 3650:
            raise argparse.ArgumentTypeError(_("from 0 to 3650"))
        return n

    p = sub.add_parser("due", help=_("what needs attention now"), description=_(
        "What needs attention: notice periods ending within the days given (and ended), "
        "invoices past due, cooling-off windows that end today, the next step of each client "
        "in offboarding, and reviews to revisit."))
    p.add_argument("--days", type=days, default=7, metavar="N",
                   help=_("look this many days ahead (default 7)"))
    p.add_argument("--json", action="store_true", help=_("machine-readable output"))


def run(store: Store, args: argparse.Namespace) -> int:
    from ..domain.due import days_text, due

    data = load_model(store)
    s = data.settings
    d = due(data, now_for(s), args.days)
    if args.json:
        print(dump_json(as_json(d, s)))
        return EXIT_OK
    from .. import l10n
    from ..domain.vocab import label
    from .status import amount

    ahead = (_("today") if d.days == 0 else _("today and tomorrow") if d.days == 1
             else _("the next {n} days").format(n=d.days))
    today = l10n.date(d.today)
    if not d.count:
        print(_("Nothing due ({today}, looking at {ahead}).").format(today=today, ahead=ahead))
        return EXIT_OK
    print(_("Due on {today} (looking at {ahead}):").format(today=today, ahead=ahead))
    if d.cooling:
        print("\n" + _("Cooling-off ends today"))
        for x in d.cooling:
            at = l10n.time(x.unlocks.astimezone(s.tz))
            said = (_("ended at {time}: decide with a clear head") if x.over else
                    _("ends at {time}: no decision before then")).format(time=at)
            print(f"  {clip(x.client.id, 16):<16} {said}")
    if d.notices:
        print("\n" + _("Notice ending"))
        for n in d.notices:
            said = (_("ended {day} ({when}), {how}") if n.left < 0 else
                    _("ends {day} ({when}), {how}")).format(
                day=l10n.date(n.ends), when=days_text(n.left), how=n.how)
            print(f"  {clip(n.client.id, 16):<16} {said}")
    if d.invoices:
        wide = max(10, *(len(amount(i.amount, s.currency)) for i in d.invoices))
        print("\n" + _("Invoices past due: {amount} owed").format(amount=amount(d.owed,
                                                                               s.currency)))
        for i in d.invoices:
            late = ngettext("due {day}, {n} day late", "due {day}, {n} days late",
                            i.days_late).format(day=l10n.date(i.due), n=i.days_late)
            print(f"  {clip(i.client.id, 16):<16} {clip(i.number, 12):<12} "
                  f"{amount(i.amount, s.currency):>{wide}}  {late}")
    if d.steps:
        print("\n" + _("Steps waiting"))
        for w in d.steps:
            detail = (_("{detail} (held: {why})").format(detail=w.step.detail,
                                                        why=w.step.why_held)
                      if w.step.why_held else w.step.detail)
            print(f"  {clip(w.client.id, 16):<16} {w.number}. {w.step.title}\n"
                  f"  {'':<16}    {detail}")
    if d.revisits:
        print("\n" + _("Reviews to revisit"))
        for r in d.revisits:
            day = l10n.moment(r.review.at) if r.review.at is not None else None
            if r.review.outcome:  # what you decided then: "decidiste seguir el 2 oct 2026"
                was = (_("{outcome} on {at}").format(outcome=label(r.review.outcome), at=day)
                       if day else label(r.review.outcome))
            else:
                was = _("reviewed on {at}").format(at=day) if day else _("reviewed")
            note = f': "{r.review.note}"' if r.review.note else ""
            print(f"  {clip(r.client.id, 16):<16} {l10n.date(r.on)} ({days_text(r.left)}), "
                  f"{was}{note}")
    return EXIT_OK


def as_json(d: Any, s: Any) -> dict[str, Any]:
    """What `due` returned, as JSON values (instants with the settings' zone offset)."""
    from ..domain import dates

    def moment(m: Any) -> str | None:
        return None if m is None else dates.iso_moment(m, s.tz)

    return {
        "today": d.today.isoformat(), "days": d.days,
        "cooling_off": [{"client": x.client.id, "unlocks": moment(x.unlocks.astimezone(s.tz)), "over": x.over}
                        for x in d.cooling],
        "notices": [{"client": n.client.id, "ends": n.ends.isoformat(), "days_left": n.left,
                     "how": n.how} for n in d.notices],
        "invoices": [{"client": i.client.id, "number": i.number, "amount": i.amount,
                      "due": i.due.isoformat(), "days_late": i.days_late} for i in d.invoices],
        "steps": [{"client": w.client.id, "step": w.step.id, "number": w.number,
                   "title": w.step.title, "state": w.step.state, "detail": w.step.detail,
                   "held": w.step.why_held or None} for w in d.steps],
        "revisits": [{"client": r.client.id, "revisit": r.on.isoformat(), "days_left": r.left,
                      "reviewed": moment(r.review.at), "outcome": r.review.outcome,
                      "note": r.review.note} for r in d.revisits],
    }
