"""The dialogs that ask one thing: a text, a choice, yes or no (`Confirm`), and the one
that asks an action's `Question` (`for_question`)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from ..actions import Answer, Question
from ..i18n import N_, _
from .dialogs import Choice, Dialog, _input, choice, field
from .widgets import lit


class TextDialog(Dialog[Answer]):
    """One line of text."""

    def __init__(self, title: str, value: str = "", hint: str = "",
                 placeholder: str = "", check: Callable[[Answer], str | None] | None = None
                 ) -> None:
        super().__init__(check)
        self.title_text = title
        self.value = value
        self.hint = hint
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(lit(self.title_text), classes="title")
            yield _input(self.value, id="text", placeholder=self.placeholder)
            yield from self.below_input()
            yield Static("", id="error", classes="error")
            yield Static(lit(self.hint or _("Enter saves · Esc cancels")), classes="hint")

    def below_input(self) -> ComposeResult:
        """What goes between the field and the error line (nothing here)."""
        return iter(())

    AUTO_FOCUS = "#text"

    def submit(self) -> None:
        self.answer(Answer(text=self.query_one("#text", Input).value))


class ChoiceDialog(Dialog[Answer]):
    """Pick one option by its key; optional text below."""

    def __init__(self, title: str, options: list[tuple[str, str]], value: str,
                 text_label: str = "", text: str = "", hint: str = "",
                 values: list[str] | None = None,
                 check: Callable[[Answer], str | None] | None = None,
                 placeholder: str = "") -> None:
        """`options`: (key, label) pairs; `values`: what each gives (default: its label);
        `placeholder`, what the empty text means."""
        super().__init__(check)
        self.title_text = title
        self.options = options
        self.values = values or [label for _, label in options]
        labels = [label for _, label in options]
        self.value = labels[self.values.index(value)] if value in self.values else value
        self.text_label = text_label
        self.text = text
        self.hint = hint
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(lit(self.title_text), classes="title")
            yield choice(self.options, self.value, values=self.values, id="choice")
            if self.text_label:
                yield field(self.text_label, _input(self.text, id="text",
                                                    placeholder=self.placeholder))
            yield Static("", id="error", classes="error")
            yield Static(lit(self.hint or _("Letter or ←/→ picks · Enter saves · Esc cancels")),
                         classes="hint")

    AUTO_FOCUS = "#choice"

    LAST_FIELD = ""  # Enter saves from any field, the picker too (the hint says so)

    def submit(self) -> None:
        label = self.query_one("#choice", Choice).value
        labels = [lb for _, lb in self.options]
        value = self.values[labels.index(label)] if label in labels else label
        text = self.query_one("#text", Input).value if self.text_label else ""
        self.answer(Answer(choice=value, text=text))


class Confirm(Dialog[bool]):
    """A yes/no question: y (or s, sí, in either language) confirms, n or Esc says no."""

    BINDINGS = [Binding("y,s", "yes", N_("Yes"), id="confirm-yes"),
                Binding("n,escape", "no", N_("No"), id="confirm-no")]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(lit(self.question), classes="title")
            if self.detail:
                yield Static(lit(self.detail))
            yield Static(_("y yes · n no"), classes="hint")

    def submit(self) -> None:  # Enter is not a yes: only y is
        self.dismiss(None)

    def action_yes(self) -> None:
        self.answer(True)

    def action_no(self) -> None:
        self.dismiss(False)


def for_question(q: Question, check: Callable[[Answer], str | None] | None = None
                 ) -> Dialog[Answer] | Confirm:
    """The dialog that asks an action's question."""
    if q.kind == "confirm":
        return Confirm(q.title, q.detail)
    if q.kind == "text":
        return TextDialog(q.title, q.value, q.detail, q.placeholder, check=check)
    return ChoiceDialog(q.title, [(o.key, o.label) for o in q.options], q.value,
                        q.text_label, q.text_value, q.detail,
                        values=[o.value for o in q.options], check=check,
                        placeholder=q.placeholder)
