"""Incidents: log one, edit one (or move it to another client), delete one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import l10n
from ..domain import dates, rules
from ..domain.model import KINDS, Settings
from ..domain.values import read_minutes as read_duration, text_problem
from ..domain.vocab import label
from ..i18n import _
from ..store import edit
from . import Change, Refusal

if TYPE_CHECKING:
    from ..store.snapshot import Snapshot

ARRAY = "incidents"
AHEAD = dates.LEEWAY
"""How far ahead of now an incident may be (clocks differ a little): it happened."""


class IncidentInput(NamedTuple):
    """An incident as a person gave it (a form or a command line)."""

    client: str
    """The client's id (already resolved from what was typed)."""
    when: str | dates.Moment = "now"
    """As typed ("now", "-2h", "2026-11-20 23:14"), or already read."""
    kind: str | None = None
    """None: after-hours when the time falls outside work hours, else other."""
    severity: int = 1
    minutes: str | float | None = None
    """As typed, or a number; None or "" for none."""
    note: str = ""


def read_minutes(v: str | float | None) -> float | int | None:
    """Minutes (`20`, `90m`, `1h30`, `1:30`): a number the file can hold (ValueError with
    the reason otherwise)."""
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    try:
        return read_duration(str(v))
    except ValueError as e:
        raise ValueError(_("minutes: {problem}").format(problem=e)) from None


def read(entry: IncidentInput, s: Settings, now: datetime) -> dict[str, Any] | Refusal:
    """The incident to write (its keys and values), or why it cannot be."""
    try:
        at = (dates.parse_when(entry.when, now, s.tz, past=True) if isinstance(entry.when, str)
              else entry.when)
        instant = dates.instant_of(at, s.tz, s.cooling_off_days, s.timezone)
    except ValueError as e:
        return Refusal(str(e))
    if instant > now + AHEAD:
        return Refusal(_("{moment} is in the future: an incident is something that "
                         "happened").format(moment=l10n.moment(at)))
    kind = entry.kind or ("after-hours" if rules.is_after_hours(at, s) else "other")
    if kind not in KINDS:
        return Refusal(_("unknown kind {kind} (one of: {known})").format(kind=repr(kind),
                                                                         known=", ".join(KINDS)))
    if entry.severity not in (1, 2, 3):
        return Refusal(_("severity is 1, 2 or 3"))
    try:
        minutes = read_minutes(entry.minutes)
    except ValueError as e:
        return Refusal(str(e))
    why = text_problem(entry.note, _("the note"))
    if why is not None:
        return Refusal(why)
    item: dict[str, Any] = {"at": at, "kind": kind, "severity": entry.severity}
    if minutes is not None:
        item["minutes"] = minutes
    if entry.note.strip():
        item["note"] = entry.note.strip()
    return item


def log(snap: Snapshot, now: datetime, entry: IncidentInput) -> Change | Refusal:
    """Append one incident to its client."""
    item = read(entry, snap.settings, now)
    if isinstance(item, Refusal):
        return item
    return Change(edit.Append(entry.client, ARRAY, item),
                  _("Logged {kind} for {id}").format(kind=label(item["kind"]), id=entry.client),
                  facts={"at": item["at"], "kind": item["kind"], "severity": item["severity"]})


def raw_item(snap: Snapshot, cid: str, index: int) -> dict[str, Any] | None:
    """The incident as the file holds it (every key, known or not)."""
    client = snap.client_raw(cid) or {}
    items = client.get(ARRAY)
    if not isinstance(items, list) or not 0 <= index < len(items):
        return None
    return dict(items[index])


def as_input(snap: Snapshot, cid: str, index: int) -> IncidentInput | None:
    """An incident of the file, as the form shows it."""
    old = raw_item(snap, cid, index)
    if old is None:
        return None
    minutes = old.get("minutes")
    return IncidentInput(cid, old["at"], old.get("kind"), old.get("severity", 1),
                         None if minutes is None else float(minutes), str(old.get("note", "")))


def edit_incident(snap: Snapshot, now: datetime, cid: str, index: int,
                  entry: IncidentInput) -> Change | Refusal:
    """Change an incident; given another client, move it there (keys unknown to
    clientfit go with it)."""
    old = raw_item(snap, cid, index)
    if old is None:
        return Refusal(_("{id}: that incident is no longer in the file").format(id=cid))
    item = read(entry, snap.settings, now)
    if isinstance(item, Refusal):
        return item
    if entry.client != cid:
        if not snap.has_client(entry.client):
            return Refusal(_("no client '{id}'").format(id=entry.client))
        return Change(edit.Many([edit.Remove(cid, ARRAY, index, expect=old),
                                 edit.Append(entry.client, ARRAY, {**old, **item})]),
                      _("Moved an incident to {id}").format(id=entry.client))
    changes: dict[str, Any] = {k: v for k, v in item.items()
                               if old.get(k) != v or type(old.get(k)) is not type(v)}
    for k in ("minutes", "note"):
        if k in old and k not in item:
            changes[k] = edit.DELETE
    if not changes:
        return Refusal(_("nothing changed"), kind="nothing")
    return Change(edit.SetKeys(cid, changes, sub=ARRAY, index=index, expect=old),
                  _("Edited an incident of {id}").format(id=cid))


def delete(snap: Snapshot, cid: str, index: int) -> Change | Refusal:
    old = raw_item(snap, cid, index)
    if old is None:
        return Refusal(_("{id}: that incident is no longer in the file").format(id=cid))
    return Change(edit.Remove(cid, ARRAY, index, expect=old),
                  _("Deleted an incident of {id}").format(id=cid))
