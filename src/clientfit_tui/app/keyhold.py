"""Keys typed while the app is between two dialogs wait for the second one.

A dialog's answer may be written first and then lead to another question (the
checklist's "tell them anyway? say why" and then "how did you tell them?"). Over
SSH the keys for the second dialog often arrive before it is open: read at once,
they would reach the screen under it, where letters are commands (`e` opens the
editor). So from the moment an answer is given until what follows it is on screen,
the keys read wait, in order, and are then read as if they had just arrived.

A hold is named by a token (the dialog that was answered, a flow that goes on), so
that one part of a flow never ends another's; every hold ends by itself after
`HOLD_LIMIT` seconds, whatever happens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import events
from textual.keys import _character_to_key

if TYPE_CHECKING:
    from textual.app import App

    _Base = App[int]
else:
    _Base = object

HOLD_LIMIT = 3.0
"""The longest keys wait, in seconds (a write that hangs never swallows them)."""


class KeyHold(_Base):
    """Holding the keys read between two dialogs (mixed into the App)."""

    keys_read = 0
    """How many keys the app has read (a dialog tells from it whether a key came
    between two others; a key still on its way to a text box has not changed it yet)."""

    _held: list[events.Key] | None = None
    _holders: frozenset[object] = frozenset()

    def hold_keys(self, token: object) -> None:
        """Keys read from now on wait until every holder has let go."""
        if self._held is None:
            self._held = []
        self._holders |= {token}
        self.set_timer(HOLD_LIMIT, lambda: self.release_keys(token))

    def release_keys(self, token: object) -> None:
        """`token` no longer holds the keys; with the last holder gone, the keys that
        waited are read, once the screen shows what came up meanwhile (its focus set)."""
        if token not in self._holders:
            return
        self._holders -= {token}
        if not self._holders:
            self.call_after_refresh(self._replay)

    def holding(self, then: Callable[[], None]) -> Callable[..., None]:
        """Hold the keys from now until what is given back is called: it runs `then`
        (or, given False, does not), then lets the keys go, for what `then` showed."""
        token = object()
        self.hold_keys(token)

        def run(go_on: bool = True) -> None:
            try:
                if go_on:
                    then()
            finally:
                self.release_keys(token)

        return run

    async def _replay(self) -> None:
        if self._holders or self._held is None:
            return
        keys, self._held = self._held, None
        for i, key in enumerate(keys):
            if self._held is not None:  # a key read here began a hold again
                self._held.extend(keys[i:])
                return
            screen = self.screen
            await self._read(events.Key(key.key, key.character))
            if self._held is None and self.screen is not screen and i + 1 < len(keys):
                # a key opened a screen: the next ones are its own, once it is up
                self._held = keys[i + 1:]
                self.call_after_refresh(self._replay)
                return

    async def _read(self, event: events.Key) -> None:
        char = event.character
        if event.key.startswith("alt+") and char is not None and len(char) == 1 and \
                char.isprintable():
            # Escape then a key, read together as Alt and that key (Esc Esc n, typed
            # fast, arrives as Escape and Alt+n): the app binds no Alt key, so they are
            # read as the person typed them, the Escape first
            cancel = getattr(self.screen, "action_cancel", None)
            if callable(cancel):  # a dialog: its Escape now, not once a field passed it on
                self.keys_read += 1
                cancel()
            else:
                await self._read(events.Key("escape", "\x1b"))
            go_on = self.holding(lambda: None)  # the key waits for what the Escape did
            if self._held is not None:
                self._held.append(events.Key(_character_to_key(char), char))
            self.call_after_refresh(go_on, False)
            return
        self.keys_read += 1
        before = getattr(self.focused, "before_key", None)
        if before is not None:  # the focused widget may send the key on (`Choice`)
            before(event)
        await super().on_event(event)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self._held is not None:
                self._held.append(event)
                return
            await self._read(event)
            return
        await super().on_event(event)
