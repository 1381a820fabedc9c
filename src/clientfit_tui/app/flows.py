"""What the app asks the user, and what it does with the answers.

Nothing is decided here: every action is the actions layer's (`..actions`),
which gives an edit to save, a refusal to show, or a question to ask first.
Every dialog is pushed at once by the key that asks for it (never from a worker
that starts later), so that the keys typed next land in the dialog, not in the
screen under it where letters are commands. A step asked for while a change is
still being written waits for it (its question is made from what the change
leaves), and the keys typed meanwhile wait too (`KeyHold`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from .. import l10n
from ..actions import NOTHING, Answer, Change, Question, Refusal, incidents, offboarding
from ..domain import vocab
from ..domain.model import Client, Incident
from ..i18n import _
from .client_picker import ClientPicker
from .dialogs import Dialog
from .incident_dialog import IncidentDialog
from .questions import Confirm, for_question
from .widgets import safe

if TYPE_CHECKING:
    from textual.app import App

    from ..actions.clients import ClientInput
    from ..actions.incidents import IncidentInput
    from ..session import Session
    from .incidents import IncidentsScreen
    from .writer import Writer

    _Base = App[int]
else:
    _Base = object

R = TypeVar("R")


class Flows(_Base):
    """The dialog flows of the app (mixed into the App, which provides the rest)."""

    if TYPE_CHECKING:
        session: Session

        def save(self, change: Change, again: Callable[[str], None] | None = None,
                 after: Callable[[], None] | None = None) -> None: ...
        def _clients(self) -> list[Client]: ...
        def _now(self) -> datetime: ...
        writer: Writer

        def hold_keys(self, token: object) -> None: ...
        def release_keys(self, token: object) -> None: ...
        def holding(self, then: Callable[[], None]) -> Callable[..., None]: ...

    def ask(self, dialog: Dialog[R], then: Callable[[R | None], None]) -> None:
        """Show `dialog` now; `then` gets its answer (None when cancelled). The keys
        typed after the answer wait until `then` has shown what follows (`KeyHold`)."""
        def answered(result: R | None) -> None:
            try:
                then(result)
            finally:
                self.release_keys(dialog)

        self.hold_keys(dialog.opening)  # till it is up, its focus set (`Dialog.opening`)
        self.push_screen(dialog, answered)

    def refuse(self, r: Refusal) -> None:
        self.notify(safe(r.reason), severity="information" if r.kind == NOTHING else "warning",
                    timeout=8)

    # -- incidents -------------------------------------------------------------------

    def log_incident(self, client: str | None, draft: IncidentInput | None = None,
                     problem: str = "") -> None:
        """Quick entry; a form whose save failed comes back as it was typed."""
        snap = self.session.snap
        if snap is None:
            return

        def check(entry: IncidentInput) -> str | None:
            out = incidents.read(entry, snap.data.settings, self._now())
            return out.reason if isinstance(out, Refusal) else None

        def then(entry: IncidentInput | None) -> None:
            if entry is None:
                return
            out = incidents.log(snap, self._now(), entry)
            if isinstance(out, Refusal):
                self.refuse(out)
                return
            self.save(out, again=lambda why: self.log_incident(
                None, entry, _("Not saved: {reason}").format(reason=why)))

        self.ask(IncidentDialog(self._clients(), snap.data.settings, self._now(), client=client,
                                incident=draft, draft=draft is not None, problem=problem,
                                check=check), then)

    def edit_incident(self, client: Client, incident: Incident) -> None:
        snap = self.session.snap
        if snap is None:
            return
        current = incidents.as_input(snap, client.id, incident.index)
        if current is None:
            return

        def check(entry: IncidentInput) -> str | None:
            out = incidents.edit_incident(snap, self._now(), client.id, incident.index, entry)
            return out.reason if isinstance(out, Refusal) and out.kind != NOTHING else None

        def then(entry: IncidentInput | None) -> None:
            if entry is None or self.session.snap is None:
                return
            out = incidents.edit_incident(self.session.snap, self._now(), client.id,
                                          incident.index, entry)
            if isinstance(out, Refusal):
                if out.kind != NOTHING:
                    self.refuse(out)
                return
            self.save(out)

        self.ask(IncidentDialog(self._clients(), snap.data.settings, self._now(),
                                incident=current, check=check), then)

    def delete_incident(self, client: Client, incident: Incident) -> None:
        def then(ok: bool | None) -> None:
            if ok and self.session.snap is not None:
                out = incidents.delete(self.session.snap, client.id, incident.index)
                if isinstance(out, Refusal):
                    self.refuse(out)
                else:
                    self.save(out)

        self.ask(Confirm(_("Delete this incident of {client}?").format(client=client.id),
                         f"{l10n.moment(incident.at)} {vocab.label(incident.kind)}: "
                         f"{incident.note}"),
                 then)

    def pick_client_filter(self, screen: IncidentsScreen) -> None:
        def then(answer: Answer | None) -> None:
            if answer is not None:
                screen.set_client_filter(answer.choice)

        self.ask(ClientPicker(self._clients(), screen.client_filter), then)

    # -- clients ---------------------------------------------------------------------

    def add_client(self, draft: ClientInput | None = None, problem: str = "") -> None:
        """A new client's form; a form whose save failed comes back as it was typed."""
        from ..actions.clients import add_client
        from .notes import ClientDialog

        snap = self.session.snap
        if snap is None:
            return

        def check(entry: ClientInput) -> str | None:
            out = add_client(snap, self._now(), entry)
            return out.reason if isinstance(out, Refusal) else None

        def then(entry: ClientInput | None) -> None:
            if entry is None or self.session.snap is None:
                return
            out = add_client(self.session.snap, self._now(), entry)
            if isinstance(out, Refusal):
                self.refuse(out)
                return
            self.save(out, again=lambda why: self.add_client(
                entry, _("Not saved: {reason}").format(reason=why)))

        self.ask(ClientDialog(check, draft, problem), then)

    # -- decisions and the checklist ---------------------------------------------------

    def act(self, cid: str, action: str, answer: Answer | None = None,
            waited: bool = False) -> None:
        """Do one of the actions on a client's decision or checklist (see
        `actions.offboarding.STEPS`), asking what it asks first."""
        if not waited and not self.writer.idle():  # a change on its way: read what it leaves
            self.writer.after_jobs(self.holding(lambda: self.act(cid, action, answer, True)))
            return
        snap = self.session.snap
        if snap is None:
            return
        out = offboarding.act(snap, self._now(), cid, action, answer)
        if isinstance(out, Refusal):
            self.refuse(out)
        elif isinstance(out, Change):
            go_on = out.then
            if go_on:  # the keys typed meanwhile are for the next question
                next_step = self.holding(lambda: self.act(cid, go_on))
                self.save(out, again=lambda _why: next_step(False), after=next_step)
            else:
                self.save(out)
            if out.warning:
                self.notify(safe(out.warning), severity="warning", timeout=6)
        else:
            self._ask_question(cid, out)

    def _ask_question(self, cid: str, q: Question) -> None:
        def check(answer: Answer) -> str | None:
            snap = self.session.snap
            if snap is None:
                return None
            tried = offboarding.act(snap, self._now(), cid, q.action, answer)
            return tried.reason if isinstance(tried, Refusal) else None

        def then(answer: Any) -> None:
            if answer is None or answer is False:
                return
            self.act(cid, q.action,
                     answer if isinstance(answer, Answer) else Answer(choice=q.value))

        self.ask(for_question(q, check), then)  # type: ignore[misc]

    def decide(self, cid: str) -> None:
        self.act(cid, "decide")

    def record_review(self, cid: str) -> None:
        self.act(cid, "review")

    def do_step(self, cid: str, step: str) -> None:
        self.act(cid, step)
