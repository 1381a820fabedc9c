"""Deciding and offboarding: the decision, each step of the checklist, and reviews.

What each step refuses, asks and writes is decided in `domain.checklist` (one
class a step); this turns what it writes into edits of the file. `act` is the
one way in, for the app and the command line alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..domain import checklist
from ..domain.checklist import UNSET, View, Writes
from ..domain.outcome import Answer, Option, Question, Refusal
from ..domain.vocab import label
from ..i18n import _
from ..store import edit
from . import Change, Step

if TYPE_CHECKING:
    from ..store.snapshot import Snapshot

SUB = "offboarding"
REVIEW = "review"


def _values(keys: dict[str, Any]) -> dict[str, Any]:
    return {k: edit.DELETE if v is UNSET else v for k, v in keys.items()}


def _edit(snap: Snapshot, cid: str, w: Writes) -> edit.Edit:
    parts: list[edit.Append | edit.SetKeys | edit.Remove | edit.AddClient] = []
    if w.client:
        parts.append(edit.SetKeys(cid, _values(w.client)))
    if w.offboarding:
        parts.append(edit.SetKeys(cid, _values(w.offboarding), sub=SUB))
    if w.invoice is not None:
        index, keys = w.invoice
        raw = (snap.client_raw(cid) or {}).get("invoices")
        expect = dict(raw[index]) if isinstance(raw, list) and index < len(raw) else None
        parts.append(edit.SetKeys(cid, _values(keys), sub="invoices", index=index,
                                  expect=expect))
    return parts[0] if len(parts) == 1 else edit.Many(parts)


def review(v: View, answer: Answer | None) -> Step:
    """Record that ending the relationship was seriously considered, and the outcome."""
    if answer is None:
        return Question(REVIEW, "choice",
                        _("You considered ending {client}. Outcome?").format(
                            client=v.client.name),
                        options=(Option("k", label("keep"), "keep"),
                                 Option("e", label("end"), "end")),
                        value="keep", text_label=_("Note"))
    outcome = answer.choice
    if outcome not in ("keep", "end"):
        return Refusal(_("the outcome is keep or end"))
    if outcome == "end" and (refusal := v.cooling_refusal()) is not None:
        return refusal
    item: dict[str, Any] = {"at": v.wall_now, "outcome": outcome}
    if answer.text.strip():
        item["note"] = answer.text.strip()
    return Change(edit.Append(v.client.id, "reviews", item), _("Review of {id}: {outcome}").format(
        id=v.client.id, outcome=label(outcome)))


def act(snap: Snapshot, now: datetime, cid: str, action: str,
        answer: Answer | None = None) -> Step:
    """Do `action` (a checklist step's id, or `review`) on client `cid`: the edit, a
    refusal, or the question to ask first."""
    client = snap.data.clients.get(cid)
    if client is None:
        return Refusal(_("no client '{id}'").format(id=cid))
    s = snap.data.settings
    if action == REVIEW:
        return review(View(client, s, now), answer)
    out = checklist.act(client, s, now, action, answer)
    if not isinstance(out, Writes):
        return out
    return Change(_edit(snap, cid, out), out.said, out.warning, out.facts, out.then)


def decide_now(snap: Snapshot, now: datetime, cid: str) -> Change | Refusal:
    """Start offboarding `cid` without asking (the command line's `decide`)."""
    out = act(snap, now, cid, "decide", Answer(checklist.YES))
    assert not isinstance(out, Question)
    return out
