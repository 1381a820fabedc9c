"""Everything a person can do to the file, decided in one place, without Textual.

Each action takes what the file holds (a `Snapshot`), "now" and the person's
input, and returns one of:

- `Change`: the edit to write (each edit knows its own inverse, for undo) and
  what to say once it is written;
- `Refusal`: why not, in one line, and of what kind (bad input, cooling-off,
  nothing to do), which the command line turns into its exit code;
- `Question`: what to ask before acting (the app shows it as a dialog; the
  answer goes back to the same action, named by `Question.action`).

The command line and the app both call these; neither decides anything itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from ..store.edit import Edit

BAD: Literal["bad"] = "bad"
COOLING: Literal["cooling"] = "cooling"
NOTHING: Literal["nothing"] = "nothing"

RefusalKind = Literal["bad", "cooling", "nothing"]


@dataclass(frozen=True, slots=True)
class Change:
    """An edit to write, and what to say once it is written."""

    edit: Edit
    said: str
    """What was done, in a few words (also the undo history's label)."""
    warning: str = ""
    """Said beside it: written, but not as the advice would have it."""
    facts: dict[str, Any] = field(default_factory=dict)
    """What the command line reports after the write (the instant logged, ...)."""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why an action is not done, in one line."""

    reason: str
    kind: RefusalKind = BAD
    """bad: the input is wrong (exit 1); cooling: the cooling-off holds it (exit 3);
    nothing: already done, nothing to write (exit 0)."""


@dataclass(frozen=True, slots=True)
class Option:
    key: str
    """The one key that picks it."""
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Question:
    """What an action asks before it acts; the answer goes to `action`."""

    action: str
    """The action (with its client) that takes the answer, e.g. "invoices.proceed"."""
    kind: Literal["confirm", "text", "choice"]
    title: str
    detail: str = ""
    value: str = ""
    """The text or the option chosen at first."""
    placeholder: str = ""
    options: tuple[Option, ...] = ()
    text_label: str = ""
    """A choice that also takes a line of text (its label; "" for none)."""
    text_value: str = ""


@dataclass(frozen=True, slots=True)
class Answer:
    """A person's answer to a `Question` (a confirmation is an empty answer)."""

    choice: str = ""
    """The value of the option chosen (choice questions)."""
    text: str = ""
    """The text typed (text questions, or a choice's line of text)."""


Outcome = Change | Refusal
Step = Change | Refusal | Question
"""What an action that may ask gives: the edit, the refusal, or the question."""
