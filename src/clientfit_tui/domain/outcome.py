"""What a rule says back to a person: a refusal, a question, and the answer to one.

Plain data, shared by the domain (which decides), the actions layer (which turns
decisions into edits) and the interfaces (which show them). NamedTuples, not
dataclasses: they are on the path of every `log`, where `dataclasses` (and the
`inspect` it imports) would cost milliseconds.
"""

from typing import Literal, NamedTuple

BAD: Literal["bad"] = "bad"
COOLING: Literal["cooling"] = "cooling"
NOTHING: Literal["nothing"] = "nothing"

RefusalKind = Literal["bad", "cooling", "nothing"]


class Refusal(NamedTuple):
    """Why an action is not done, in one line."""

    reason: str
    kind: RefusalKind = BAD
    """bad: the input is wrong (exit 1); cooling: the cooling-off holds it (exit 3);
    nothing: already done, nothing to write (exit 0)."""


class Option(NamedTuple):
    key: str
    """The one key that picks it."""
    label: str
    value: str


class Question(NamedTuple):
    """What an action asks before it acts; the answer goes to `action`."""

    action: str
    """The action that takes the answer (a checklist step's id, or `review`)."""
    kind: Literal["confirm", "text", "choice"]
    title: str
    detail: str = ""
    value: str = ""
    """The option chosen at first, or the text shown at first; for a confirmation,
    the `choice` of the answer a yes gives."""
    placeholder: str = ""
    options: tuple[Option, ...] = ()
    text_label: str = ""
    """A choice that also takes a line of text (its label; "" for none)."""
    text_value: str = ""


class Answer(NamedTuple):
    """A person's answer to a `Question` (a yes to a confirmation carries its `value`)."""

    choice: str = ""
    """The value of the option chosen (or of the confirmation)."""
    text: str = ""
    """The text typed (text questions, or a choice's line of text)."""
