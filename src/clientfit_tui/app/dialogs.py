"""Modal dialogs: each returns a small typed value, or None when cancelled.

A dialog may be given a `check`: the answer is tried with it before the dialog
closes, and a refusal is shown in the dialog, with everything typed kept.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from rich.text import Text
from textual.binding import Binding
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.events import Key
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from ..domain import vocab
from ..i18n import N_, _, language
from .widgets import TextInput, lit, safe

R = TypeVar("R")

SEVERITIES = [("1", "1"), ("2", "2"), ("3", "3")]
"""The severity picker's keys and values (a severity is stored as its number)."""
SEVERITY_LABELS = {"1": N_("1 minor"), "2": N_("2 real"), "3": N_("3 serious")}
"""How each severity reads in the picker."""
SPANISH_KEYS = {
    # a review's outcome (English k keep, e end): seguir, terminar
    "keep": "s", "end": "t",
    # a client's status (English a w o e): activo, en oBservación (o is offboarding's),
    # en despedida, terminado
    "active": "a", "watch": "b", "offboarding": "d", "ended": "t",
    # how they were told (English i p v): en persona, por teléfono, por vídeo
    "in-person": "e", "phone": "t", "video": "v",
}
"""A picker's Spanish key for each stored value it offers, beside its English key.

Both keys pick the option in either language (a hand used to one never does
something else), and the picker shows the keys of the language in use. Within a
picker no key picks two options (`choice` checks it). Kinds keep their one-letter
keys in both languages (`vocab.KIND_KEYS`, which `log --kind` takes too); severities
are their numbers."""


class Choice(Widget, can_focus=True):
    """One of a few options, chosen with one key or the arrows.

    The option keys are bindings (not a key handler) so that the app handles
    them, and moves the focus on, before it reads the next key: fast typing over
    SSH never sends a key to the wrong field.

    A pick moves the focus on, to the end of the next field's text, and a Tab right
    after it stays there (`Dialog.moved_on`): letter then text, or letter, Tab, text,
    land alike. But once an option was picked, a key that changes it keeps the focus
    on the picker, and the dialog says so: text typed there by mistake (after a
    Shift+Tab too many) never flips a choice unseen. Letters that are no option's key
    do nothing there (before any pick, they start the next field's text: `before_key`).
    """

    DEFAULT_CSS = """
    Choice { height: 1; width: 1fr; }
    Choice:focus { text-style: bold; }
    """
    BINDINGS = [Binding("left", "move(-1)", show=False, id="previous-option"),
                Binding("right", "move(1)", show=False, id="next-option")]
    OPTIONS: list[tuple[str, str]] = []
    SPANISH: list[str] = []
    """Each option's Spanish key (its English one when it has none)."""
    value: reactive[str] = reactive("")

    def __init__(self, value: str, labels: dict[str, str] | None = None, **kw: Any) -> None:
        """`labels`: how values read (marked with N_); else a stored value's `vocab.label`."""
        super().__init__(**kw)
        self.options = self.OPTIONS
        self.labels = labels or {}
        self.set_reactive(Choice.value, value)
        self.touched = False
        self.last_key = ""
        """The key of the last pick ("" after an arrow: any key of the value moves on)."""

    def shown(self, value: str) -> str:
        """How a value reads, in the reader's language."""
        if value in self.labels:
            return _(self.labels[value])
        return vocab.label(value)

    def render(self) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        out.append("< ")
        out.append(self.shown(self.value), style="reverse" if self.has_focus else "bold")
        out.append(" >  ")
        out.append(" ".join(self.keys_shown()), style="dim")
        return out

    def keys_shown(self) -> list[str]:
        """The options' keys in the language in use."""
        if language() == "es" and len(self.SPANISH) == len(self.options):
            return list(self.SPANISH)
        return [k for k, _v in self.options]

    def option_of(self, key: str) -> int | None:
        """The option that `key` picks, in either language; None for no option."""
        for i, (k, _v) in enumerate(self.options):
            if key == k:
                return i
        return self.SPANISH.index(key) if key in self.SPANISH else None

    def watch_value(self, old: str, new: str) -> None:
        """A refusal said about the old pick no longer holds: it goes."""
        dialog = self.screen if self.is_attached else None
        if old != new and isinstance(dialog, Dialog):
            for line in dialog.query("#error"):
                if isinstance(line, Static):
                    line.update("")

    def action_move(self, d: int) -> None:
        values = [v for _k, v in self.options]
        i = values.index(self.value) if self.value in values else 0
        self.value = values[(i + d) % len(values)]
        self.touched = True
        self.last_key = ""

    def action_pick(self, i: int, key: str = "") -> None:
        """`key` picked option `i`: the first pick moves on; later, a change stays (and is
        said), and only the key of the last pick, pressed again, moves on (`t` after `e`,
        both `end`, is no one's wish to move: it does nothing)."""
        dialog = self.screen
        key = key or self.options[i][0]
        if isinstance(dialog, Dialog):
            dialog.key_seen(key)
        value = self.options[i][1]
        if self.touched and value != self.value:  # a change, once chosen: stay, and say it
            self.value = value
            self.last_key = key
            if isinstance(dialog, Dialog):
                dialog.notice(_("Changed to {value}. Tab moves on.").format(
                    value=self.shown(value)))
            return
        if self.touched and self.last_key and key != self.last_key:
            return
        self.value = value
        self.touched = True
        self.last_key = key
        dialog.focus_next()
        focused = dialog.focused
        if isinstance(focused, Input):  # typing goes on after what it holds
            focused.cursor_position = len(focused.value)
        if isinstance(dialog, Dialog) and focused is not self:
            dialog.moved_on(focused)

    def before_key(self, event: Key) -> None:
        """Before the app reads `event`: a letter that is no option's, typed on a picker
        not yet answered, is the start of the text after it (a review's note typed at
        once): the focus moves on to that field, which takes the letter and the rest,
        and no later letter of the words picks anything."""
        if (self.touched or not event.is_printable or event.character is None
                or self.option_of(event.character) is not None):
            return
        dialog = self.screen
        chain = dialog.focus_chain
        after = chain[chain.index(self) + 1:] if self in chain else []
        if after and isinstance(after[0], Input):
            dialog.set_focus(after[0])
            after[0].cursor_position = len(after[0].value)

    async def _on_key(self, event: Key) -> None:
        dialog = self.screen
        if isinstance(dialog, Dialog):
            dialog.key_seen(event.key)
        if event.is_printable:  # not an option's key (those are bindings): nothing
            event.stop()
            event.prevent_default()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
        dialog = self.screen
        if isinstance(dialog, Dialog) and not dialog._armed:
            dialog.notice("")  # a change it said is seen: the focus moved on


def choice(options: list[tuple[str, str]], value: str, labels: dict[str, str] | None = None,
           values: list[str] | None = None, **kw: Any) -> Choice:
    """A Choice over `options`, (key, value) pairs: pressing `key` picks `value`;
    `labels`, how values read (else as `vocab.label` shows them); `values`, the stored
    values the options stand for, when the options hold something else (their Spanish
    keys are `SPANISH_KEYS`'s)."""
    stored = values or [v for _k, v in options]
    english = [k for k, _v in options]
    spanish = [SPANISH_KEYS.get(v, k) for k, v in zip(english, stored, strict=True)]
    bindings = [Binding(k, f"pick({i}, {k!r})", show=False, priority=True, id=f"pick-{k}")
                for i, k in enumerate(english)]
    for i, k in enumerate(spanish):
        if k != english[i]:
            if k in english or spanish.count(k) > 1:
                raise ValueError(f"the key {k!r} would pick two options")
            bindings.append(Binding(k, f"pick({i}, {k!r})", show=False, priority=True,
                                    id=f"pick-{k}"))
    cls = type("Choice", (Choice,), {"OPTIONS": options, "BINDINGS": bindings,
                                     "SPANISH": spanish})
    return cls(value, labels, **kw)  # type: ignore[no-any-return]


def _keys_read(dialog: Dialog[Any]) -> int:
    """How many keys the app has read (`KeyHold.keys_read`): a Tab right after a pick
    is the next one. (What the field holds would not do: a key typed there may still be
    on its way to it.)"""
    return int(getattr(dialog.app, "keys_read", 0))


def _hold(dialog: Dialog[Any], hold: bool) -> None:
    """Hold the keys read from now (or let them go): see `KeyHold`."""
    act = getattr(dialog.app, "hold_keys" if hold else "release_keys", None)
    if act is not None:
        act(dialog)


class Dialog(ModalScreen[R | None], Generic[R]):
    """A modal with a title; Esc cancels (twice, when something was typed)."""

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; padding: 0 1; background: $panel;
    }
    Dialog .title { text-style: bold; width: 1fr; }
    Dialog .hint { color: $text-muted; }
    Dialog .error { color: $error; text-style: bold; }
    Dialog #notice { color: $warning; text-style: bold; }
    Dialog Label { width: 12; }
    Dialog Input { height: 1; border: none; padding: 0; width: 1fr; }
    Dialog Input:focus { border: none; text-style: underline; }
    Dialog Input.-invalid, Dialog Input.-invalid:focus { border: none; color: $error; }
    Dialog .row { height: 1; layout: horizontal; }
    """
    # Focus moves are priority bindings: the app runs them before it reads the next
    # key, so text typed fast (or pasted) after Tab or Enter lands in the next field.
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="cancel"),
                Binding("ctrl+s", "submit", N_("Save"), priority=True, id="save"),
                Binding("tab", "move_focus(1)", show=False, priority=True, id="next-field"),
                Binding("shift+tab", "move_focus(-1)", show=False, priority=True,
                        id="previous-field"),
                Binding("enter", "enter", show=False, priority=True, id="next-or-save")]
    LAST_FIELD = ""
    """The id of the field on which Enter saves; elsewhere Enter moves on."""

    def __init__(self, check: Callable[[R], str | None] | None = None) -> None:
        super().__init__()
        self.check = check
        """Tries an answer before the dialog closes: a refusal's reason, or None."""
        self._focus_before: Widget | None = None
        self._armed = False
        self.escaped_at = 0.0
        """When the last lone Escape arrived (it may be the start of a split key)."""
        self.escape_tail = ""
        self.opening = object()
        """The hold on the keys while the dialog opens (`KeyHold`): a key read before
        its first field has the focus would be lost; it waits, and is read once the
        dialog is up."""
        self._moved_on: tuple[Widget, int] | None = None
        """The field a pick moved the focus on to, and how many keys the app had read."""

    def moved_on(self, widget: Widget | None) -> None:
        """A pick moved the focus on to `widget`. A Tab pressed next, before anything is
        typed there, is the one the person typed to leave the picker, as in any form: it
        stays on `widget` rather than skip it. So both habits land in the same place:
        letter then text, and letter, Tab, then text."""
        self._moved_on = None if widget is None else (widget, _keys_read(self))

    def _just_moved_on(self) -> bool:
        """The key being read came right after a pick that moved the focus on to the
        field that has it."""
        moved = self._moved_on
        return moved is not None and moved[0] is self.focused and \
            _keys_read(self) == moved[1] + 1

    def on_screen_resume(self) -> None:
        release = getattr(self.app, "release_keys", None)
        if release is not None:
            self.call_after_refresh(release, self.opening)

    def split_sequence_done(self) -> None:
        """The last Escape was the start of a key's sequence, not a wish to cancel."""
        self.escaped_at, self.escape_tail = 0.0, ""
        self.disarm()

    def notice(self, text: str) -> None:
        """Say `text` on the dialog's notice line, above its hint ("" clears it)."""
        try:
            line = self.query_one("#notice", Static)
        except NoMatches:
            if not text:
                return
            line = Static("", id="notice")
            hints = list(self.query(".hint"))
            box = self.query_one(Vertical)
            if hints and hints[-1].parent is box:
                box.mount(line, before=hints[-1])
            else:
                box.mount(line)
        line.update(Text(safe(text)))  # wraps on a narrow terminal
        line.display = bool(text)

    def disarm(self) -> None:
        """Forget a first Escape: the next one warns again."""
        if self._armed:
            self._armed = False
            self.notice("")

    def key_seen(self, key: str) -> None:
        """A key other than Escape answers the warning of a first Escape: not discarded."""
        if key != "escape":
            self.disarm()
        if key != "tab":
            self._moved_on = None

    def action_move_focus(self, d: int) -> None:
        """Tab stops at the last field: it never wraps round, so a Tab typed there (after
        a pick that moved on to it, as the hint's "Tab next field" invites) never takes
        the letters after it back to a picker, where they would change the choice, or to
        a field they would replace. Shift+Tab goes round (to the last field: text)."""
        moved = self._just_moved_on()
        self.key_seen("tab")
        self._moved_on = None
        if d > 0 and moved:
            return  # the pick has moved on already: this Tab was for that
        chain = self.focus_chain
        if d > 0 and chain and self.focused is chain[-1]:
            return
        self.focus_next() if d > 0 else self.focus_previous()

    def dirty(self) -> bool:
        """Something typed would be lost by cancelling (a form given back after a failed
        save always holds what was typed)."""
        if getattr(self, "is_draft", False):
            return True
        return any(i.value != getattr(i, "_initial", i.value) for i in self.query(Input))

    def action_cancel(self) -> None:
        """Esc: close; when something typed would be lost, first say so in the dialog
        itself, and close at a second Esc (any other key keeps the dialog)."""
        self.escaped_at, self.escape_tail = time.monotonic(), ""
        if self.dirty() and not self._armed:
            self._armed = True
            self.notice(_("Esc again to discard what you typed."))
            return
        self.dismiss(None)

    def action_submit(self) -> None:
        """Save, once every field has taken the keys typed before this one."""
        self.key_seen("ctrl+s")
        inputs = list(self.query(Input))
        self._focus_before = self.focused
        self.set_focus(None)  # keys typed after Enter must not reach a field: they wait
        _hold(self, True)     # for what comes next (this dialog again, if refused)

        def chain(i: int) -> None:
            if i < len(inputs):
                inputs[i].call_later(chain, i + 1)
            else:
                self.submit()

        chain(0)

    def submit(self) -> None:
        """Each dialog gives its answer to `answer`."""
        raise NotImplementedError

    def answer(self, value: R) -> None:
        """Close with `value`, unless its `check` refuses it: then say why, and stay."""
        refusal = self.check(value) if self.check is not None else None
        if refusal:
            self.error(refusal)  # and the field typed in last takes keys again
            self.disarm()
            return
        self.dismiss(value)  # the keys wait until what the answer leads to is shown

    def on_key(self, event: Key) -> None:
        """A key that reached the dialog itself (typed before a field had the focus)."""
        focused = self.focused
        if focused is None:
            self.key_seen(event.key)
        if not event.is_printable or event.character is None:
            return
        if isinstance(focused, Input):
            if focused.selection.is_empty:
                focused.insert_text_at_cursor(event.character)
            else:
                focused.replace(event.character, *focused.selection)
            event.stop()
        elif isinstance(focused, Choice):
            i = focused.option_of(event.character)
            if i is not None:
                focused.action_pick(i, event.character)
                event.stop()

    def action_enter(self) -> None:
        moved = self._just_moved_on()
        self.key_seen("enter")
        focused = self.focused
        if focused is None or not self.LAST_FIELD or focused.id == self.LAST_FIELD:
            self.action_submit()
        elif not moved:
            self.focus_next()  # (right after a pick moved on, Enter was for that move)

    def error(self, message: str) -> None:
        """Say what is wrong, in the dialog; the field typed in last takes keys again."""
        self.query_one("#error", Static).update(lit(message))
        if self.focused is None:
            before = self._focus_before
            if before is not None and before.is_attached:
                self.set_focus(before)
            else:
                self.focus_next()
        _hold(self, False)  # the keys typed after the refused save are for the fields

    def failed(self, widget_id: str) -> bool:
        """Validate a field with its validators; say the first failure and focus it."""
        field_input = self.query_one(f"#{widget_id}", Input)
        result = field_input.validate(field_input.value)
        if result is None or result.is_valid:
            return False
        self.error(result.failure_descriptions[0])
        field_input.focus()
        return True


_CSI_PART = re.compile(r"\[[0-9;]*|O")
_CSI_WHOLE = re.compile(r"\[[0-9;]*[A-Za-z~]|O[A-Za-z]")
SPLIT_WINDOW = 1.5
"""How long after a lone Escape the rest of a key's escape sequence may still arrive."""


class FieldInput(TextInput):
    """An Input that recognises the tail of a key's escape sequence split from its Escape
    (arrow keys over a slow link), and drops it instead of typing it."""

    async def _on_key(self, event: Key) -> None:
        dialog = self.screen
        if isinstance(dialog, Dialog):
            dialog.key_seen(event.key)
        if isinstance(dialog, Dialog) and event.character and \
                time.monotonic() - dialog.escaped_at < SPLIT_WINDOW:
            tail = dialog.escape_tail + event.character
            if _CSI_WHOLE.fullmatch(tail):
                dialog.split_sequence_done()
                event.stop()
                event.prevent_default()
                self._split_key(tail)
                return
            if _CSI_PART.fullmatch(tail):
                dialog.escape_tail = tail
                event.stop()
                event.prevent_default()
                return
            held = dialog.escape_tail
            dialog.escaped_at, dialog.escape_tail = 0.0, ""
            if held:
                self.insert_text_at_cursor(held)
        await super()._on_key(event)


    def _split_key(self, tail: str) -> None:
        """Do what the key whose sequence this is would have done."""
        word = ";5" in tail or ";3" in tail
        final = tail[-1]
        if final == "D":
            self.action_cursor_left_word() if word else self.action_cursor_left()
        elif final == "C":
            self.action_cursor_right_word() if word else self.action_cursor_right()
        elif final == "H" or tail in ("[1~", "[7~"):
            self.action_home()
        elif final == "F" or tail in ("[4~", "[8~"):
            self.action_end()
        elif tail == "[3~":
            self.action_delete_right()


def field(label: str, widget: Widget) -> Widget:
    row = Widget(Label(label), widget, classes="row")
    return row


def _input(value: str, **kw: Any) -> Input:
    kw.setdefault("validate_on", ())  # checked when the form is saved, not at each key
    kw.setdefault("select_on_focus", False)
    i = FieldInput(value=value, **kw)
    i._initial = value  # type: ignore[attr-defined]
    return i
