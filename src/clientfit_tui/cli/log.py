"""`clientfit log CLIENT NOTE`: append one incident."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import argparse

from ..actions import Refusal, incidents
from ..domain import dates, rules
from ..domain.model import KIND_KEYS, KINDS
from ..domain.vocab import label
from ..i18n import _, language
from ..store.store import Snapshot, Store
from .args import minutes
from .common import EXIT_OK, client_id, now_for, refused


def add(sub: Any) -> None:
    def minutes_arg(text: str) -> float | int:
        try:
            return minutes(text)
        except ValueError as e:
            import argparse

            raise argparse.ArgumentTypeError(str(e)) from None

    p = sub.add_parser("log", help=_("append one incident"), description=_(
        "Append one incident to a client. The kind defaults to after-hours outside work "
        "hours, else other."))
    p.add_argument("client", metavar=_("client"),
                   help=_("client id (or a unique start of its id or name)"))
    p.add_argument("note", nargs="+", metavar=_("note"), help=_(
        "what happened (quotes are optional: the words after the client are the note)"))
    p.add_argument("--kind", choices=KINDS, type=_kind,
                   help=_("the kind, or its key: {keys}").format(keys=", ".join(
                       _kind_key(key, kind) for key, kind in KIND_KEYS.items())))
    p.add_argument("--severity", type=int, choices=(1, 2, 3), default=1,
                   help=_("1 minor, 2 real, 3 serious (default 1)"))
    p.add_argument("--minutes", type=minutes_arg, metavar=_("MINUTES"),
                   help=_("time it cost you: 20, 90m, 1h, 1h30, 1:30"))
    p.add_argument("--at", metavar=_("WHEN"), default="now",
                   help=_("when it happened: a date or time, today, yesterday, yesterday 22:10, "
                          "yesterday at 22:10, last night, this morning, last monday, "
                          "-2d, -3h; a day's name or a bare time is the latest past one "
                          "(fri 10:00, 23:14) (default now)"))

def run(store: Store, args: argparse.Namespace) -> int:
    done: dict[str, Any] = {}
    note = args.note if isinstance(args.note, str) else " ".join(args.note)
    if not note.strip():  # the spec's `log CLIENT NOTE`: the note is what happened
        return refused(Refusal(_("the note is empty: say what happened")))

    def make(snap: Snapshot) -> Any:
        cid = client_id(snap, args.client)
        now = now_for(snap.settings)
        out = incidents.log(snap, now, incidents.IncidentInput(
            cid, args.at, args.kind, args.severity, args.minutes, note))
        done.update(out=out, cid=cid, now=now, settings=snap.settings)
        return None if isinstance(out, Refusal) else out.edit

    new = store.edit(make)
    out = done["out"]
    if isinstance(out, Refusal):
        return refused(out)
    assert new is not None
    s, at = done["settings"], out.facts["at"]
    until = None
    try:
        cool = rules.cooling_after(new.latest_incident(done["cid"]), s, done["now"])
        if cool.active and cool.unlocks:
            until = cool.unlocks
    except Exception:  # written: nothing after the write may turn it into a failure
        pass
    if language() == "en":  # no l10n (nor decimal) on the hot path: its English is this
        when, wait = dates.show_moment(at), until and dates.show(until, s.tz)
        kind = out.facts["kind"]
    else:
        from .. import l10n
        from ..domain.vocab import label

        when, wait = l10n.moment(at), until and l10n.instant(until, s.tz)
        kind = label(out.facts["kind"])
    said = {"kind": kind, "severity": out.facts["severity"], "client": done["cid"],
            "at": when, "until": wait}
    if wait:
        print(_("logged {kind} (severity {severity}) for {client} at {at}; decisions wait "
                "until {until}").format(**said))
    else:
        print(_("logged {kind} (severity {severity}) for {client} at {at}").format(**said))
    return EXIT_OK


def _kind(text: str) -> str:
    """A kind given by its name or its key; an unknown one is refused naming both."""
    import argparse

    kind = KIND_KEYS.get(text, text)
    if kind not in KINDS:
        raise argparse.ArgumentTypeError(_("unknown kind {kind}: one of {keys}").format(
            kind=repr(text), keys=", ".join(_kind_key(k, v) for k, v in KIND_KEYS.items())))
    return kind


def _kind_key(key: str, kind: str) -> str:
    """`a after-hours`, and in Spanish what it means: `a after-hours (fuera de horario)`."""
    shown = label(kind)
    return f"{key} {kind}" if shown == kind else f"{key} {kind} ({shown})"
