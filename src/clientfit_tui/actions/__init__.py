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

from typing import Any, NamedTuple

from ..domain.outcome import BAD, COOLING, NOTHING, Answer, Option, Question, Refusal, RefusalKind
from ..store.edit import Edit

__all__ = ["BAD", "COOLING", "NOTHING", "Answer", "Change", "Option", "Outcome", "Question",
           "Refusal", "RefusalKind", "Step"]


class Change(NamedTuple):
    """An edit to write, and what to say once it is written."""

    edit: Edit
    said: str
    """What was done, in a few words (also the undo history's label)."""
    warning: str = ""
    """Said beside it: written, but not as the advice would have it."""
    facts: dict[str, Any] = {}
    """What the command line reports after the write (the instant logged, ...)."""
    then: str = ""
    """The action to go on with once this is written ("" for none)."""


Outcome = Change | Refusal
Step = Change | Refusal | Question
"""What an action that may ask gives: the edit, the refusal, or the question."""
