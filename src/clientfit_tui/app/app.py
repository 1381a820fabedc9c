"""The clientfit app: client list, incident log, offboarding checklist."""

from __future__ import annotations

import asyncio
import gc
import os
import re
import signal
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

from rich import _wrap
from rich.text import Text
from textual import work
from textual.app import App, ComposeResult, SystemCommand
from textual.command import CommandPalette
from textual.css.query import NoMatches
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, LoadingIndicator, Static

from ..actions import Change
from ..domain.model import Client
from ..i18n import _
from ..session import ReadOnly, Session
from ..store.copies import copies_message
from ..store.store import InvalidFile, Locator, Store, StoreError, exposed
from .base import DataScreen
from .checklist import ChecklistScreen
from .client import ClientScreen
from .clients import ClientsScreen
from .commands import APP, bindings, guarded_actions, keys_file, known_ids, palette, read_keymap, speak
from .flows import Flows
from .help import HelpScreen
from .incidents import IncidentsScreen
from .keyhold import KeyHold
from .pareto import ParetoScreen
from .widgets import safe
from .writer import Writer, mid_sentence

NO_BREAK = "\u00a0\u2007\u202f"
"""Spaces that hold a number to its unit ("65,00 €/h", "2 d 03 h" in Spanish): Rich's
word wrap, which Textual's text uses, breaks a line at any space; here, as in Unicode,
not at these."""
_wrap.re_word = re.compile(rf"[^\S{NO_BREAK}]*(?:\S|[{NO_BREAK}])+[^\S{NO_BREAK}]*")

RELOADED_SAID = 3.0
"""How long "reloaded" is shown; changes seen within it are not said again."""


def first_time(topic: str, key: str) -> bool:
    """Whether `key` is new for `topic`: remembered in the cache folder, so that a warning
    about the same thing is shown once, not at every start (True when it cannot be
    remembered)."""
    import hashlib

    from ..store.cache import folder

    mark = hashlib.sha256(f"{topic}\0{key}".encode(errors="replace")).hexdigest()[:32]
    path = Path(folder()) / "said" / mark
    if path.exists():
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.touch()
    except OSError:
        pass
    return True


class Palette(CommandPalette):
    """Textual's command palette, saying "no matches" in the reader's language."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual's own (8.2.8), its one English text translated
        from rich.align import Align
        from textual.command import CommandList
        from textual.widgets.option_list import Option

        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(Option(
                    Align.center(Text(_("No matches found"), style="not bold")),
                    disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)


class LoadingScreen(Screen[None]):
    DEFAULT_CSS = "LoadingScreen { align: center middle; } LoadingScreen Static { width: auto; }"

    def compose(self) -> ComposeResult:
        yield Static(_("Reading the file…"), id="loading-text")
        yield LoadingIndicator()


class ClientfitApp(Flows, KeyHold, App[int]):
    """Decide calmly, on evidence, whether to end a client relationship."""

    TITLE = "clientfit"
    CSS_PATH = "app.tcss"
    MODES = {"clients": ClientsScreen, "incidents": IncidentsScreen}
    # Every key is in the table of app/commands.py. All priority: handled in the order
    # typed, before the app reads the next key.
    BINDINGS = bindings(APP)
    ENABLE_COMMAND_PALETTE = True

    def __init__(self, store: Store, poll_interval: float = 1.0,
                 session: Session | None = None) -> None:
        # NO_COLOR: Textual then turns colours grey (still colour codes); with ANSI
        # colours its filter drops every colour instead, leaving bold and reverse
        super().__init__(ansi_color=True if "NO_COLOR" in os.environ else None)
        self.session = session or Session(store)
        self.poll_interval = poll_interval
        self.loaded = False
        self.writer = Writer()
        """Saves and undos, one after the other, off the UI thread."""
        self._remembered = threading.Event()
        """Set once the model of the loaded file is in the cache (or could not be)."""
        self.key_overrides: dict[str, str] = {}
        """The keys rebound in keys.toml: binding id -> keys."""
        self.demo = ""
        """Said above every list when the file is the demo's temporary copy."""
        self._reloaded_at = -10.0
        speak(self)

    # -- start, ticking and reloading ------------------------------------------------

    def on_mount(self) -> None:
        loop = asyncio.get_running_loop()
        self.writer.start(loop, self.call_later)
        for sig in (signal.SIGTERM, signal.SIGHUP):
            # a dropped SSH link or a kill: leave cleanly (every change is already on disk)
            loop.add_signal_handler(sig, self.exit)
        self.read_keys()
        self.push_screen(LoadingScreen())
        self.load_file()

    def read_keys(self) -> None:
        """Take the keys rebound in keys.toml; a bad entry is a one-line warning."""
        self.key_overrides, warnings = read_keymap(keys_file(), known_ids())
        self.set_keymap(self.key_overrides)
        for warning in warnings:
            self.notify(safe(warning), severity="warning", timeout=10, markup=False)

    @work(thread=True, exclusive=True, group="load")
    def load_file(self) -> None:
        try:
            self.session.finish_loading()
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
        if not gc.isenabled():
            # off since the start (see `launch`), so that loading makes no pauses; what
            # is loaded stays, so the collector need never walk it again
            gc.freeze()
            gc.enable()
        self.pop_screen()
        self.switch_mode("clients")
        self.set_interval(1.0, self._tick)
        self.set_interval(self.poll_interval, self._poll)
        if self.session.problems and self.session.snap is None:
            self.notify(_("The file has errors; e opens it to fix them."), severity="error")
        warning = exposed(self.session.store.target)
        if warning and first_time("exposed", f"{self.session.store.target} {warning}"):
            self.notify(safe(_("{warning} (said once for this file and mode; clientfit check "
                               "says it again)").format(warning=warning)),
                        severity="warning", timeout=10)
        copies = copies_message(self.session.store.path)
        if copies:
            self.notify(safe(copies), severity="warning", timeout=20)
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
        """Quit once every save asked for is written; first let the cache of the file
        finish (a second at most)."""
        await asyncio.get_running_loop().run_in_executor(None, self.writer.drain)
        self._remembered.wait(1.0)
        self.exit(0)

    def on_unmount(self) -> None:
        self.writer.stop()

    def _tick(self) -> None:
        if not self.is_running or not self.screen_stack:  # quitting: nothing to redraw
            return
        screen = self.screen
        if isinstance(screen, DataScreen) and screen.is_mounted and \
                self.session.snap is not None:
            try:
                screen.tick()
            except NoMatches:  # a screen still being composed: it draws itself when mounted
                pass

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
            # an editor's save is often seen as two changes (write, then rename or chmod)
            if time.monotonic() - self._reloaded_at > RELOADED_SAID:
                self.notify(_("The file changed on disk: reloaded."), timeout=RELOADED_SAID)
            self._reloaded_at = time.monotonic()
        elif outcome == "invalid":
            self.notify(_("The file on disk has errors: read-only until fixed."),
                        severity="error", timeout=6)
        self.refresh_screens()

    def refresh_screens(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, DataScreen) and screen.is_mounted:
                try:
                    screen.refresh_data()
                except NoMatches:  # still being composed: it draws itself when mounted
                    pass

    def action_reload(self) -> None:
        self.poll_file()

    # -- navigation ------------------------------------------------------------------

    APP_ACTIONS = guarded_actions()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a dialog is open, its keys are its own: no app key acts behind it."""
        if action in self.APP_ACTIONS and isinstance(self.screen, ModalScreen):
            return False
        # in a filter box, letters and digits are text
        return not (action in self.APP_ACTIONS and isinstance(self.focused, Input))

    def action_mode(self, mode: str) -> None:
        """`1` the client list, `2` the incident log: the list itself, whatever was open
        over it (a checklist, a client's page, the Pareto view); those stay one key away."""
        if not self.loaded:
            return
        self.switch_mode(mode)
        while len(self.screen_stack) > 1 and not isinstance(self.screen, ModalScreen):
            self.pop_screen()

    def open_checklist(self, client_id: str) -> None:
        self._open_for(ChecklistScreen, client_id)

    def open_client(self, client_id: str) -> None:
        """The client's page (the dossier)."""
        self._open_for(ClientScreen, client_id)

    def _open_for(self, kind: type[ChecklistScreen | ClientScreen], client_id: str) -> None:
        """Open a client's screen; going back to it when it is just underneath, so that
        the checklist and the client's page never pile up."""
        stack = self.screen_stack
        if isinstance(stack[-1], kind) and stack[-1].client_id == client_id:
            return
        if len(stack) > 1 and isinstance(stack[-2], kind) and stack[-2].client_id == client_id:
            self.pop_screen()
            return
        self.push_screen(kind(client_id))

    def open_script(self, client_id: str) -> None:
        """The words for the meeting and the confirmation, in a dialog to copy from."""
        from .. import templates
        from ..domain import script
        from .script import ScriptDialog

        snap = self.session.snap
        client = snap.data.clients.get(client_id) if snap else None
        if snap is None or client is None:
            return
        try:
            parts = templates.texts(script.values(client, snap.data.settings, self._now()))
        except script.TemplateError as e:
            self.notify(safe(str(e)), severity="error", timeout=10)
            return
        self.push_screen(ScriptDialog(_("Script: {name}").format(name=client.name), parts))

    def action_pareto(self) -> None:
        if self.loaded and not isinstance(self.screen, ParetoScreen):
            self.push_screen(ParetoScreen())

    def selected_client(self) -> str | None:
        screen = self.screen
        return screen.selected_client() if isinstance(screen, DataScreen) else None

    def action_checklist(self) -> None:
        cid = self.selected_client()
        if cid and not isinstance(self.screen, ChecklistScreen):
            self.open_checklist(cid)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # -- saving ----------------------------------------------------------------------

    def save(self, change: Change, again: Callable[[str], None] | None = None,
             after: Callable[[], None] | None = None) -> None:
        """Write one change, off the UI thread and in the order asked; then say so (and
        go on with `after`), or say why not (`again` gets the reason, to give a form
        back as it was typed)."""
        self.writer.put(lambda: self._write(change, again, after))

    def _write(self, change: Change, again: Callable[[str], None] | None,
               after: Callable[[], None] | None) -> None:
        """On the writer thread."""
        try:
            self.session.apply(change.edit, change.said)
        except (ReadOnly, StoreError) as e:
            self.writer.then(self._not_written, str(e), again)
            return
        self.writer.then(self._written, change.said, after)

    def _written(self, said: str, after: Callable[[], None] | None = None) -> None:
        self.notify(safe(said), timeout=2)
        self.refresh_screens()
        if after is not None:
            after()

    def _not_written(self, why: str, again: Callable[[str], None] | None) -> None:
        self.notify(safe(why), severity="error", timeout=8)
        self.refresh_screens()
        if again is not None:
            again(why)

    def action_undo(self) -> None:
        def undo() -> None:
            try:
                label = self.session.undo()
            except (ReadOnly, StoreError) as e:
                self.writer.then(self._not_written, str(e), None)
                return
            self.writer.then(self._written, _("Undone: {change}").format(change=mid_sentence(label))
                             if label else _("Nothing to undo."))

        self.writer.put(undo)

    def _clients(self) -> list[Client]:
        snap = self.session.snap
        return list(snap.data.clients.values()) if snap else []

    def _now(self) -> datetime:
        return self.session.now()

    # -- incidents -------------------------------------------------------------------

    def action_new_incident(self) -> None:
        """Open quick entry at once (not in a worker), so the keys typed next land in it."""
        if self.session.snap is None or isinstance(self.screen, ModalScreen):
            return
        self.log_incident(self.selected_client())

    # -- the file in an editor -------------------------------------------------------

    def action_editor(self) -> None:
        """The file in $EDITOR: at the first error of a broken file, else at the selected
        client; reloaded on return. A missing or failing editor is said, and the app
        takes the terminal back."""
        from . import editor

        snap = self.session.snap
        line = 1
        cid = self.selected_client()
        if self.session.problems:
            first = self.session.problems[0].rsplit(": ", 1)[0].split(":")
            if len(first) >= 2 and first[-2].isdigit():
                line = int(first[-2])
        elif snap is not None and cid:
            line, _col = Locator(snap.text, snap.index).find(("clients", cid))
        args, why = editor.command(str(self.session.store.path), line)
        if why:
            self.notify(safe(why), severity="error", timeout=8)
            return
        signalled: int | None = None
        try:
            with self.suspend():
                why, signalled = editor.run(args)
        except Exception as e:  # SuspendNotSupported: no terminal to give (a test harness)
            self.notify(_("Cannot open an editor here: {error}").format(error=type(e).__name__),
                        severity="error")
            return
        if signalled is not None:
            self.exit(0)
            return
        if why:
            self.notify(safe(why), severity="warning", timeout=8)
        self.poll_file()

    # -- palette and crash output ----------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        return palette(self, screen)

    def action_command_palette(self) -> None:
        """Textual's palette, its own words in the reader's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(Palette(placeholder=_("Search for commands…"),
                                     id="--command-palette"))

    def action_help_quit(self) -> None:
        """Ctrl+C (which copies in a text box) says how to quit, in the reader's language."""
        for active in self.active_bindings.values():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(_("Press {key} to quit the app.").format(
                    key=self.get_key_display(active.binding)), title=_("Do you want to quit?"),
                    markup=False)
                return

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
                where = f"{f.filename.split('clientfit_tui')[-1].lstrip('/')}:{f.lineno}"
        name = type(exc).__name__ if exc is not None else "error"
        said = _("clientfit stopped on an internal error ({error} at {place}). Every saved "
                 "change is on disk; nothing else was written.") if where else \
            _("clientfit stopped on an internal error ({error}). Every saved change is on "
              "disk; nothing else was written.")
        self._exit_renderables.append(Text(said.format(error=name, place=where)))
        self._close_messages_no_wait()


def run(store: Store, session: Session | None = None, demo: bool = False) -> int:
    app = ClientfitApp(store, session=session)
    if demo:
        app.demo = _("Demo: a temporary copy at {path}, removed when you quit; your own "
                     "file is not touched.").format(path=store.path)
    code = app.run()
    app.writer.stop()  # a save asked for before a signal ended the app is still written
    return int(code or app.return_code or 0)
