"""What the app asks the user, and what it does with the answers.

Every dialog is pushed at once by the key that asks for it (never from a worker
that starts later), so that the keys typed next land in the dialog, not in the
screen under it where letters are commands.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from ..domain import checklist, dates, rules
from ..domain.model import Client, Incident
from ..store import edit
from .dialogs import ChoiceDialog, ClientPicker, Confirm, IncidentDialog, IncidentForm, TextDialog

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from ..session import Session
    from .incidents import IncidentsScreen

    _Base = App[int]
else:
    _Base = object


class Flows(_Base):
    """The dialog flows of the app (mixed into the App, which provides the rest)."""

    if TYPE_CHECKING:
        session: Session

        def save(self, change: edit.Edit, label: str) -> bool: ...
        def _clients(self) -> list[Client]: ...
        def _now(self) -> datetime: ...

    def ask(self, dialog: Screen[Any], then: Callable[[Any], None]) -> None:
        """Show `dialog` now; `then` gets its answer (None when cancelled)."""
        self.push_screen(dialog, then)

    def _client(self, cid: str) -> Client | None:
        snap = self.session.snap
        return snap.data.clients.get(cid) if snap else None

    def _raw_item(self, cid: str, array: str, index: int) -> dict[str, Any]:
        snap = self.session.snap
        assert snap is not None
        client = snap.client_raw(cid) or {}
        return dict(client[array][index])

    # -- incidents -------------------------------------------------------------------

    def edit_incident(self, client: Client, incident: Incident) -> None:
        snap = self.session.snap
        if snap is None:
            return
        old = self._raw_item(client.id, "incidents", incident.index)

        def then(form: IncidentForm | None) -> None:
            if not isinstance(form, IncidentForm):
                return
            if form.client != client.id:
                moved = {**old, **form.item}
                self.save(edit.Many([edit.Remove(client.id, "incidents", incident.index,
                                                 expect=old),
                                     edit.Append(form.client, "incidents", moved)]),
                          f"Moved an incident to {form.client}")
                return
            changes: dict[str, Any] = {k: v for k, v in form.item.items()
                                       if old.get(k) != v or type(old.get(k)) is not type(v)}
            for k in ("minutes", "note"):
                if k in old and k not in form.item:
                    changes[k] = edit.DELETE
            if changes:
                self.save(edit.SetKeys(client.id, changes, sub="incidents",
                                       index=incident.index, expect=old),
                          f"Edited an incident of {client.id}")

        self.ask(IncidentDialog(self._clients(), snap.data.settings, self._now(),
                                client=client.id, incident=incident), then)

    def delete_incident(self, client: Client, incident: Incident) -> None:
        old = self._raw_item(client.id, "incidents", incident.index)

        def then(ok: bool | None) -> None:
            if ok:
                self.save(edit.Remove(client.id, "incidents", incident.index, expect=old),
                          f"Deleted an incident of {client.id} (u undoes)")

        self.ask(Confirm(f"Delete this incident of {client.id}?",
                         f"{dates.show_moment(incident.at)} {incident.kind}: {incident.note}"),
                 then)

    def pick_client_filter(self, screen: IncidentsScreen) -> None:
        def then(cid: str | None) -> None:
            if isinstance(cid, str):
                screen.set_client_filter(cid)

        self.ask(ClientPicker(self._clients(), screen.client_filter), then)

    # -- decisions -------------------------------------------------------------------

    def _cooling_refusal(self, c: Client) -> str | None:
        snap = self.session.snap
        assert snap is not None
        s = snap.data.settings
        cool = rules.cooling(c, s, self._now())
        if cool.active and cool.unlocks:
            return (f"Refused: cooling off until {dates.show(cool.unlocks, s.tz)} "
                    f"({dates.countdown(cool.left)} left). Never decide in the heat of the moment.")
        return None

    def _wall_now(self) -> datetime:
        snap = self.session.snap
        assert snap is not None
        return dates.wall(self._now(), snap.data.settings.tz)

    def decide(self, cid: str) -> None:
        c = self._client(cid)
        if c is None:
            return
        if c.offboarding and "decided" in c.offboarding:
            self.notify(f"{cid}: already decided on {dates.show_moment(c.offboarding['decided'])}.")
            return
        refusal = self._cooling_refusal(c)
        if refusal:
            self.notify(refusal, severity="warning", timeout=8)
            return

        def then(ok: bool | None) -> None:
            if ok:
                self.save(edit.Many([edit.SetKeys(cid, {"status": "offboarding"}),
                                     edit.SetKeys(cid, {"decided": self._wall_now()},
                                                  sub="offboarding")]),
                          f"Offboarding {cid}: decided")

        self.ask(Confirm(f"Start offboarding {c.name}?", "This records the decision, now, calmly."),
                 then)

    def record_review(self, cid: str) -> None:
        c = self._client(cid)
        if c is None:
            return

        def then(result: tuple[str, str] | None) -> None:
            if not isinstance(result, tuple):
                return
            outcome, note = result
            if outcome == "end" and (refusal := self._cooling_refusal(c)):
                self.notify(refusal, severity="warning", timeout=8)
                return
            item: dict[str, Any] = {"at": self._wall_now(), "outcome": outcome}
            if note.strip():
                item["note"] = note.strip()
            self.save(edit.Append(cid, "reviews", item), f"Review of {cid}: {outcome}")

        self.ask(ChoiceDialog(f"You considered ending {c.name}. Outcome?",
                              [("k", "keep"), ("e", "end")], "keep", "Note"), then)

    # -- the checklist ---------------------------------------------------------------

    def do_step(self, cid: str, step: str) -> None:
        c = self._client(cid)
        if c is None:
            return
        off = c.offboarding or {}
        if step == "decide":
            self.decide(cid)
            return
        if "decided" not in off and step != "invoices":
            self.notify("Decide first (d): the checklist starts with the decision.",
                        severity="warning")
            return
        today = self._wall_now().date()
        if step in ("contract", "obligations"):
            key = "contract_reviewed" if step == "contract" else "obligations_met"
            value = edit.DELETE if key in off else today
            self.save(edit.SetKeys(cid, {key: value}, sub="offboarding"),
                      f"{'Unticked' if key in off else 'Ticked'}: {step}")
        elif step == "invoices":
            self._invoices(c)
        elif step == "reason":
            self._reason(c)
        elif step == "notice":
            self._notice(c)
        elif step == "referral":
            self._referral(c)
        elif step == "meeting":
            self._meeting(c)
        elif step == "end":
            def then(ok: bool | None) -> None:
                if ok:
                    self.save(edit.Many([edit.SetKeys(cid, {"status": "ended"}),
                                         edit.SetKeys(cid, {"ended": today}, sub="offboarding")]),
                              f"{cid}: ended")

            self.ask(Confirm(f"Mark {c.name} as ended?"), then)

    def _invoices(self, c: Client) -> None:
        unpaid = c.unpaid
        if not unpaid:
            self.notify("No unpaid invoices.")
            return
        options = [(str(i + 1), f"{inv.number or '#'} {inv.amount:,.2f} due {inv.due}")
                   for i, inv in enumerate(unpaid[:9])]
        options.append(("p", "proceed without payment"))

        def then(choice: str | None) -> None:
            if not isinstance(choice, str):
                return
            if choice == "proceed without payment":
                def proceed(ok: bool | None) -> None:
                    if ok:
                        self.save(edit.SetKeys(c.id, {"proceed_unpaid": True}, sub="offboarding"),
                                  "Proceeding with invoices unpaid")

                self.ask(Confirm("Tell them before they pay?",
                                 "If they may not pay what they owe, waiting limits the damage."),
                         proceed)
                return
            inv = unpaid[[o[1] for o in options].index(choice)]
            self.save(edit.SetKeys(c.id, {"paid": self._wall_now().date()}, sub="invoices",
                                   index=inv.index,
                                   expect=self._raw_item(c.id, "invoices", inv.index)),
                      f"Invoice {inv.number} marked paid")

        self.ask(ChoiceDialog("Mark an invoice paid today, or proceed without payment?",
                              options, options[0][1]), then)

    def _reason(self, c: Client) -> None:
        off = c.offboarding or {}

        def then(text: str | None) -> None:
            if not isinstance(text, str):
                return
            v = text.strip()
            self.save(edit.SetKeys(c.id, {"reason": v or edit.DELETE}, sub="offboarding"),
                      "Reason saved")
            if rules.sentences(v) > 1:
                self.notify("That is more than one sentence: give one reason, not a thousand.",
                            severity="warning", timeout=6)

        self.ask(TextDialog("The one reason you will give", str(off.get("reason", "")),
                            "One short sentence: more detail opens the door to an argument.",
                            checklist.REASON_EXAMPLE), then)

    def _notice(self, c: Client) -> None:
        snap = self.session.snap
        assert snap is not None
        s = snap.data.settings
        off = c.offboarding or {}
        current = str(off.get("notice") or off.get("deliverable") or s.notice)

        def then(text: str | None) -> None:
            if not isinstance(text, str) or not text.strip():
                return
            try:
                dates.parse_period(text)
                change: dict[str, Any] = {"notice": text.strip(), "deliverable": edit.DELETE}
            except ValueError:
                try:
                    when = dates.parse_when(text, self._now(), s.tz)
                except ValueError:
                    self.notify("Not a period or a date.", severity="error")
                    return
                day = when.date() if isinstance(when, datetime) else when
                change = {"deliverable": day, "notice": edit.DELETE}
            self.save(edit.SetKeys(c.id, change, sub="offboarding"), "Notice saved")

        self.ask(TextDialog("Notice: a period, or the date of a major deliverable", current,
                            '"30 days", "2 weeks", "1 month", or a date such as 2026-12-20'),
                 then)

    def _referral(self, c: Client) -> None:
        off = c.offboarding or {}

        def then(text: str | None) -> None:
            if not isinstance(text, str):
                return
            if text.strip():
                self.save(edit.SetKeys(c.id, {"referral": text.strip(),
                                              "referral_skipped": edit.DELETE},
                                       sub="offboarding"), "Referral saved")
            elif c.disrespectful:
                self.save(edit.SetKeys(c.id, {"referral_skipped": True,
                                              "referral": edit.DELETE}, sub="offboarding"),
                          "Referral skipped")
            else:
                self.notify("Only a client marked disrespectful may go without a referral.",
                            severity="warning", timeout=6)

        self.ask(TextDialog("Who or what would suit them better?", str(off.get("referral", "")),
                            "A colleague, or 'a full-service agency'. Empty skips it "
                            "(disrespectful clients only)."), then)

    def _meeting(self, c: Client) -> None:
        snap = self.session.snap
        assert snap is not None
        step = checklist.build(c, snap.data.settings, self._now()).step("meeting")
        if step.state == "held":
            self.notify(f"Held back: {step.why_held}. (Invoices step: mark paid or proceed.)",
                        severity="warning", timeout=8)
            return
        off = c.offboarding or {}

        def then(result: tuple[str, str] | None) -> None:
            if not isinstance(result, tuple):
                return
            how, when_text = result
            try:
                when = dates.parse_when(when_text, self._now(), snap.data.settings.tz)
            except ValueError as e:
                self.notify(str(e), severity="error")
                return
            self.save(edit.SetKeys(c.id, {"meeting": how, "told": when}, sub="offboarding"),
                      f"Told them ({how})")

        self.ask(ChoiceDialog("How did you tell them? (Never by email.)",
                              [("i", "in-person"), ("p", "phone"), ("v", "video")],
                              str(off.get("meeting", "video")), "When", "now"), then)
