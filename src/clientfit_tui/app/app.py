"""The clientfit app: client list, incident log, offboarding checklist."""

from __future__ import annotations

import asyncio
import os
import shlex
import signal
import subprocess
import threading
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, LoadingIndicator, Static

from ..domain import dates, rules
from ..domain.model import Client, Incident
from ..session import ReadOnly, Session
from ..store import edit
from ..store.store import InvalidFile, Locator, Store, StoreError, exposed
from .base import DataScreen
from .checklist import ChecklistScreen
from .clients import ClientsScreen
from .dialogs import ChoiceDialog, ClientPicker, Confirm, IncidentDialog, IncidentForm, TextDialog
from .incidents import IncidentsScreen
from .widgets import safe

LINE_EDITORS = {"vi", "vim", "nvim", "nano", "emacs", "emacsclient", "micro", "kak", "hx",
                "helix", "joe", "jed", "mg", "ne", "pico", "gvim", "mvim", "view"}


class HelpScreen(ModalScreen[None]):
    """Every key of the screen underneath, and the app's."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss_help", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $panel; padding: 0 1; overflow-y: auto; }
    """

    def __init__(self, under: Screen[Any]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        t = Text()
        t.append("Keys\n", style="bold")
        seen: set[str] = set()
        groups = [("This screen", getattr(self.under, "BINDINGS", [])),
                  ("Everywhere", ClientfitApp.BINDINGS)]
        for title, bindings in groups:
            t.append(f"\n{title}\n", style="bold underline")
            for b in bindings:
                if not isinstance(b, Binding) or b.action in seen or not b.description:
                    continue
                seen.add(b.action)
                keys = ", ".join(self.app.get_key_display(Binding(k, b.action))
                                 for k in b.key.split(","))
                t.append(f"  {keys:<22}", style="bold")
                t.append(f"{b.description}\n")
        t.append("\nMarks: P Pareto (the few clients with most of the trouble), "
                 "! instinct (considered ending it often), $ unpaid invoices, "
                 "x a decision flagged inside its cooling-off.\n", style="dim")
        t.append("Ctrl+P opens the command palette. ? or Esc closes this.", style="dim")
        with Vertical():
            yield Static(t)

    def action_dismiss_help(self) -> None:
        self.dismiss(None)


class LoadingScreen(Screen[None]):
    DEFAULT_CSS = "LoadingScreen { align: center middle; } LoadingScreen Static { width: auto; }"

    def compose(self) -> ComposeResult:
        yield Static("Reading the file…", id="loading-text")
        yield LoadingIndicator()


class ClientfitApp(App[int]):
    """Decide calmly, on evidence, whether to end a client relationship."""

    TITLE = "clientfit"
    CSS_PATH = "app.tcss"
    MODES = {"clients": ClientsScreen, "incidents": IncidentsScreen}
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit (everything is already saved)"),
        Binding("question_mark", "help", "Keys"),
        Binding("1", "mode('clients')", "Clients"),
        Binding("2", "mode('incidents')", "Incidents"),
        Binding("3", "checklist", "Checklist", show=False),
        Binding("u,ctrl+z", "undo", "Undo"),
        Binding("e", "editor", "Edit file"),
        Binding("ctrl+r", "reload", "Reload", show=False),
        Binding("n", "new_incident", "Log", priority=True,
                tooltip="Log an incident: client, kind, severity, note"),
    ]
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, store: Store, poll_interval: float = 1.0) -> None:
        super().__init__()
        self.session = Session(store)
        self.poll_interval = poll_interval
        self.loaded = False
        self._last_error = ""
        self._remembered = threading.Event()
        """Set once the model of the loaded file is in the cache (or could not be)."""

    # -- start, ticking and reloading ------------------------------------------------

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGHUP):
            # a dropped SSH link or a kill: leave cleanly (every change is already on disk)
            loop.add_signal_handler(sig, self.exit)
        self.push_screen(LoadingScreen())
        self.load_file()

    @work(thread=True, exclusive=True, group="load")
    def load_file(self) -> None:
        try:
            self.session.load()
            outcome = None
        except InvalidFile:
            outcome = None
        except StoreError as e:
            outcome = str(e)
        self.call_from_thread(self._loaded, outcome)
        try:
            self.session.remember()
        finally:
            self._remembered.set()

    def _loaded(self, failure: str | None) -> None:
        if failure is not None:
            self.exit(1, message=failure)
            return
        self.loaded = True
        self.pop_screen()
        self.switch_mode("clients")
        self.set_interval(1.0, self._tick)
        self.set_interval(self.poll_interval, self._poll)
        if self.session.problems and self.session.snap is None:
            self.notify("The file has errors; e opens it to fix them.", severity="error")
        warning = exposed(self.session.store.target)
        if warning:
            self.notify(safe(warning), severity="warning", timeout=10)
        if os.environ.get("CLIENTFIT_FIRST_FRAME"):
            self.call_after_refresh(self._first_frame)

    def _first_frame(self) -> None:
        """For the benchmark: note when the client list is first on screen, then quit."""
        import resource
        import time

        shown = time.time()
        self._remembered.wait(60)  # so that the next start is a warm one
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        Path(os.environ["CLIENTFIT_FIRST_FRAME"]).write_text(f"{shown} {rss}\n")
        self.exit(0)

    async def action_quit(self) -> None:
        """Quit; first let the cache of the file finish (a second at most)."""
        self._remembered.wait(1.0)
        self.exit(0)

    def _tick(self) -> None:
        screen = self.screen
        if isinstance(screen, DataScreen) and self.session.snap is not None:
            screen.tick()

    def _poll(self) -> None:
        if self.session.snap is not None and not self.session.read_only and \
                not self.session.store.changed(self.session.snap):
            return
        self.poll_file()

    @work(thread=True, exclusive=True, group="poll")
    def poll_file(self) -> None:
        outcome = self.session.poll()
        if outcome != "same":
            self.call_from_thread(self._after_poll, outcome)

    def _after_poll(self, outcome: str) -> None:
        if outcome == "reloaded":
            self.notify("The file changed on disk: reloaded.", timeout=3)
        elif outcome == "invalid":
            self.notify("The file on disk has errors: read-only until fixed.",
                        severity="error", timeout=6)
        self.refresh_screens()

    def refresh_screens(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, DataScreen) and screen.is_mounted:
                screen.refresh_data()

    def action_reload(self) -> None:
        self.poll_file()

    # -- navigation ------------------------------------------------------------------

    APP_ACTIONS = frozenset({"quit", "help", "mode", "checklist", "undo", "editor", "reload",
                             "new_incident"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a dialog is open, its keys are its own: no app key acts behind it."""
        if action in self.APP_ACTIONS and isinstance(self.screen, ModalScreen):
            return False
        # "n" typed into a filter box is a letter
        return not (action == "new_incident" and isinstance(self.focused, Input))

    def action_mode(self, mode: str) -> None:
        if self.loaded:
            self.switch_mode(mode)

    def open_checklist(self, client_id: str) -> None:
        self.push_screen(ChecklistScreen(client_id))

    def selected_client(self) -> str | None:
        screen = self.screen
        if isinstance(screen, ClientsScreen):
            return screen.selected_client()
        if isinstance(screen, ChecklistScreen):
            return screen.client_id
        if isinstance(screen, IncidentsScreen):
            hit = screen.selected()
            return hit[0].id if hit else (screen.client_filter or None)
        return None

    def action_checklist(self) -> None:
        cid = self.selected_client()
        if cid and not isinstance(self.screen, ChecklistScreen):
            self.open_checklist(cid)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # -- saving ----------------------------------------------------------------------

    def save(self, change: edit.Edit, label: str) -> bool:
        """Write one change now; say so, or say why not."""
        try:
            self.session.apply(change, label)
        except (ReadOnly, StoreError) as e:
            self._last_error = str(e)
            self.notify(safe(str(e)), severity="error", timeout=8)
            self.refresh_screens()
            return False
        self.notify(safe(label), timeout=2)
        self.refresh_screens()
        return True

    def action_undo(self) -> None:
        try:
            label = self.session.undo()
        except (ReadOnly, StoreError) as e:
            self.notify(safe(str(e)), severity="error", timeout=8)
            return
        self.notify(f"Undone: {safe(label)}" if label else "Nothing to undo.", timeout=2)
        self.refresh_screens()

    def _clients(self) -> list[Client]:
        snap = self.session.snap
        return list(snap.data.clients.values()) if snap else []

    def _now(self) -> datetime:
        return self.session.now()

    # -- incidents -------------------------------------------------------------------

    def action_new_incident(self) -> None:
        """Open quick entry at once (not in a worker), so the keys typed next land in it."""
        snap = self.session.snap
        if snap is None or isinstance(self.screen, ModalScreen):
            return

        def done(form: IncidentForm | None) -> None:
            if not isinstance(form, IncidentForm):
                return
            if not self.save(edit.Append(form.client, "incidents", form.item),
                             f"Logged {form.item['kind']} for {form.client}"):
                # not saved: the form comes back as typed, to try again or copy out
                snap = self.session.snap
                if snap is not None:
                    self.push_screen(IncidentDialog(
                        self._clients(), snap.data.settings, self._now(), draft=form,
                        problem=f"Not saved: {self._last_error}"), done)

        self.push_screen(IncidentDialog(self._clients(), snap.data.settings, self._now(),
                                        client=self.selected_client()), done)

    @work
    async def edit_incident(self, client: Client, incident: Incident) -> None:
        snap = self.session.snap
        if snap is None:
            return
        form = await self.push_screen_wait(IncidentDialog(
            self._clients(), snap.data.settings, self._now(), client=client.id,
            incident=incident))
        if not isinstance(form, IncidentForm):
            return
        old = snap.raw["clients"][client.id]["incidents"][incident.index]
        if form.client != client.id:
            moved = {**old, **form.item}
            self.save(edit.Many([edit.Remove(client.id, "incidents", incident.index, expect=old),
                                 edit.Append(form.client, "incidents", moved)]),
                      f"Moved an incident to {form.client}")
            return
        changes: dict[str, Any] = {k: v for k, v in form.item.items() if old.get(k) != v or
                                   type(old.get(k)) is not type(v)}
        for k in ("minutes", "note"):
            if k in old and k not in form.item:
                changes[k] = edit.DELETE
        if changes:
            self.save(edit.SetKeys(client.id, changes, sub="incidents", index=incident.index,
                                   expect=old), f"Edited an incident of {client.id}")

    @work
    async def delete_incident(self, client: Client, incident: Incident) -> None:
        snap = self.session.snap
        if snap is None:
            return
        ok = await self.push_screen_wait(Confirm(
            f"Delete this incident of {client.id}?",
            f"{dates.show_moment(incident.at)} {incident.kind}: {incident.note}"))
        if ok:
            old = snap.raw["clients"][client.id]["incidents"][incident.index]
            self.save(edit.Remove(client.id, "incidents", incident.index, expect=old),
                      f"Deleted an incident of {client.id} (u undoes)")

    @work
    async def pick_client_filter(self, screen: IncidentsScreen) -> None:
        cid = await self.push_screen_wait(ClientPicker(self._clients(), screen.client_filter))
        if isinstance(cid, str):
            screen.set_client_filter(cid)

    # -- decisions and the checklist -------------------------------------------------

    def _client(self, cid: str) -> Client | None:
        snap = self.session.snap
        return snap.data.clients.get(cid) if snap else None

    def _cooling_refusal(self, c: Client) -> str | None:
        snap = self.session.snap
        assert snap is not None
        s = snap.data.settings
        cool = rules.cooling(c, s, self._now())
        if cool.active and cool.unlocks:
            return (f"Refused: cooling off until {dates.show(cool.unlocks, s.tz)} "
                    f"({dates.countdown(cool.left)} left). Never decide in the heat of the moment.")
        return None

    @work
    async def decide(self, cid: str) -> None:
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
        if await self.push_screen_wait(Confirm(f"Start offboarding {c.name}?",
                                               "This records the decision, now, calmly.")):
            decided = dates.wall(self._now(), self.session.snap.data.settings.tz)  # type: ignore[union-attr]
            self.save(edit.Many([edit.SetKeys(cid, {"status": "offboarding"}),
                                 edit.SetKeys(cid, {"decided": decided}, sub="offboarding")]),
                      f"Offboarding {cid}: decided")

    @work
    async def record_review(self, cid: str) -> None:
        c = self._client(cid)
        if c is None:
            return
        result = await self.push_screen_wait(ChoiceDialog(
            f"You considered ending {c.name}. Outcome?", [("k", "keep"), ("e", "end")], "keep",
            "Note"))
        if not isinstance(result, tuple):
            return
        outcome, note = result
        if outcome == "end" and (refusal := self._cooling_refusal(c)):
            self.notify(refusal, severity="warning", timeout=8)
            return
        item: dict[str, Any] = {"at": dates.wall(self._now(), self.session.snap.data.settings.tz),  # type: ignore[union-attr]
                                "outcome": outcome}
        if note.strip():
            item["note"] = note.strip()
        self.save(edit.Append(cid, "reviews", item), f"Review of {cid}: {outcome}")

    @work
    async def do_step(self, cid: str, step: str) -> None:
        c = self._client(cid)
        snap = self.session.snap
        if c is None or snap is None:
            return
        s = snap.data.settings
        off = c.offboarding or {}
        today = dates.wall(self._now(), s.tz).date()
        if step == "decide":
            self.decide(cid)
            return
        if "decided" not in off and step != "invoices":
            self.notify("Decide first (d): the checklist starts with the decision.",
                        severity="warning")
            return
        if step in ("contract", "obligations"):
            key = "contract_reviewed" if step == "contract" else "obligations_met"
            value = edit.DELETE if key in off else today
            self.save(edit.SetKeys(cid, {key: value}, sub="offboarding"),
                      f"{'Unticked' if key in off else 'Ticked'}: {step}")
        elif step == "invoices":
            await self._invoices(c)
        elif step == "reason":
            text = await self.push_screen_wait(TextDialog(
                "The one reason you will give", str(off.get("reason", "")),
                "One short sentence: more detail opens the door to an argument.",
                "I no longer think my services meet your needs."))
            if isinstance(text, str):
                v = text.strip()
                self.save(edit.SetKeys(cid, {"reason": v or edit.DELETE}, sub="offboarding"),
                          "Reason saved")
                if rules.sentences(v) > 1:
                    self.notify("That is more than one sentence: give one reason, not a "
                                "thousand.", severity="warning", timeout=6)
        elif step == "notice":
            await self._notice(c)
        elif step == "referral":
            await self._referral(c)
        elif step == "meeting":
            await self._meeting(c)
        elif step == "end" and await self.push_screen_wait(Confirm(f"Mark {c.name} as ended?")):
            self.save(edit.Many([edit.SetKeys(cid, {"status": "ended"}),
                                 edit.SetKeys(cid, {"ended": today}, sub="offboarding")]),
                      f"{cid}: ended")

    async def _invoices(self, c: Client) -> None:
        unpaid = c.unpaid
        if not unpaid:
            self.notify("No unpaid invoices.")
            return
        options = [(str(i + 1), f"{inv.number or '#'} {inv.amount:,.2f} due {inv.due}")
                   for i, inv in enumerate(unpaid[:9])]
        options.append(("p", "proceed without payment"))
        choice = await self.push_screen_wait(ChoiceDialog(
            "Mark an invoice paid today, or proceed without payment?", options, options[0][1]))
        if not isinstance(choice, str):
            return
        today = dates.wall(self._now(), self.session.snap.data.settings.tz).date()  # type: ignore[union-attr]
        if choice == "proceed without payment":
            if await self.push_screen_wait(Confirm(
                    "Tell them before they pay?",
                    "If they may not pay what they owe, waiting limits the damage.")):
                self.save(edit.SetKeys(c.id, {"proceed_unpaid": True}, sub="offboarding"),
                          "Proceeding with invoices unpaid")
            return
        inv = unpaid[[o[1] for o in options].index(choice)]
        self.save(edit.SetKeys(c.id, {"paid": today}, sub="invoices", index=inv.index,
                               expect=self.session.snap.raw["clients"][c.id]["invoices"][inv.index]),  # type: ignore[union-attr]
                  f"Invoice {inv.number} marked paid")

    async def _notice(self, c: Client) -> None:
        s = self.session.snap.data.settings  # type: ignore[union-attr]
        off = c.offboarding or {}
        current = str(off.get("notice") or off.get("deliverable") or s.notice)
        text = await self.push_screen_wait(TextDialog(
            "Notice: a period, or the date of a major deliverable", current,
            '"30 days", "2 weeks", "1 month", or a date such as 2026-12-20'))
        if not isinstance(text, str) or not text.strip():
            return
        try:
            dates.parse_period(text)
            change = {"notice": text.strip(), "deliverable": edit.DELETE}
        except ValueError:
            try:
                when = dates.parse_when(text, self._now(), s.tz)
            except ValueError:
                self.notify("Not a period or a date.", severity="error")
                return
            day = when if not isinstance(when, datetime) else when.date()
            change = {"deliverable": day, "notice": edit.DELETE}
        self.save(edit.SetKeys(c.id, change, sub="offboarding"), "Notice saved")

    async def _referral(self, c: Client) -> None:
        off = c.offboarding or {}
        text = await self.push_screen_wait(TextDialog(
            "Who or what would suit them better?", str(off.get("referral", "")),
            "A colleague, or 'a full-service agency'. Empty skips it (disrespectful clients "
            "only)."))
        if not isinstance(text, str):
            return
        if text.strip():
            self.save(edit.SetKeys(c.id, {"referral": text.strip(),
                                          "referral_skipped": edit.DELETE}, sub="offboarding"),
                      "Referral saved")
        elif c.disrespectful:
            self.save(edit.SetKeys(c.id, {"referral_skipped": True, "referral": edit.DELETE},
                                   sub="offboarding"), "Referral skipped")
        else:
            self.notify("Only a client marked disrespectful may go without a referral.",
                        severity="warning", timeout=6)

    async def _meeting(self, c: Client) -> None:
        snap = self.session.snap
        assert snap is not None
        from ..domain import checklist

        step = checklist.build(c, snap.data.settings, self._now()).step("meeting")
        if step.state == "held":
            self.notify(f"Held back: {step.why_held}. (Invoices step: mark paid or proceed.)",
                        severity="warning", timeout=8)
            return
        off = c.offboarding or {}
        result = await self.push_screen_wait(ChoiceDialog(
            "How did you tell them? (Never by email.)",
            [("i", "in-person"), ("p", "phone"), ("v", "video")],
            str(off.get("meeting", "video")), "When", "now"))
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

    # -- the file in an editor -------------------------------------------------------

    def action_editor(self) -> None:
        snap = self.session.snap
        line = 1
        cid = self.selected_client()
        if snap is not None and cid:
            line, _ = Locator(snap.text, snap.index).find(("clients", cid))
        elif self.session.problems:
            first = self.session.problems[0].rsplit(": ", 1)[0].split(":")
            if len(first) >= 2 and first[-2].isdigit():
                line = int(first[-2])
        cmd = shlex.split(os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi")
        if not cmd:
            cmd = ["vi"]
        path = str(self.session.store.path)
        args = [*cmd, f"+{line}", path] if Path(cmd[0]).name in LINE_EDITORS else [*cmd, path]
        try:
            with self.suspend():
                subprocess.run(args, check=False)
        except FileNotFoundError:
            self.notify(f"Editor not found: {safe(cmd[0])} (set $EDITOR)", severity="error")
            return
        except Exception as e:  # SuspendNotSupported in a test harness
            self.notify(f"Cannot open an editor here: {type(e).__name__}", severity="error")
            return
        self.poll_file()

    # -- palette and crash output ----------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand("Log an incident", "Quick entry of an incident",
                            self.action_new_incident)
        yield SystemCommand("Client list", "Every client with its evidence",
                            lambda: self.action_mode("clients"))
        yield SystemCommand("Incident log", "Every incident, newest first",
                            lambda: self.action_mode("incidents"))
        yield SystemCommand("Checklist of the selected client", "Offboarding steps",
                            self.action_checklist)
        yield SystemCommand("Decide on the selected client", "Start offboarding (after "
                            "cooling off)", lambda: self._for_selected(self.decide))
        yield SystemCommand("Record a review", "You considered ending it: keep or end",
                            lambda: self._for_selected(self.record_review))
        yield SystemCommand("Undo", "Take back the last change", self.action_undo)
        yield SystemCommand("Open the file in $EDITOR", "At the selected client",
                            self.action_editor)
        yield SystemCommand("Keys", "Every key", self.action_help)
        yield SystemCommand("Quit", "Everything is already saved", self.exit)

    def _for_selected(self, fn: Any) -> None:
        cid = self.selected_client()
        if cid:
            fn(cid)

    def _fatal_error(self) -> None:
        """Report a crash without the values of variables (they hold client data)."""
        import traceback

        self.bell()
        exc = self._exception
        where = ""
        if exc is not None and exc.__traceback__ is not None:
            frames = [f for f in traceback.extract_tb(exc.__traceback__)
                      if "clientfit_tui" in f.filename]
            if frames:
                f = frames[-1]
                where = f" at {f.filename.split('clientfit_tui')[-1].lstrip('/')}:{f.lineno}"
        name = type(exc).__name__ if exc is not None else "error"
        self._exit_renderables.append(Text(
            f"clientfit stopped on an internal error ({name}{where}). "
            "Every saved change is on disk; nothing else was written."))
        self._close_messages_no_wait()


def run(store: Store) -> int:
    app = ClientfitApp(store)
    code = app.run()
    return int(code or app.return_code or 0)
