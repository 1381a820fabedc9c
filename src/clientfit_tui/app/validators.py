"""Field validators of the forms: the actions layer's own checks, as Textual validators."""

from __future__ import annotations

from datetime import datetime

from textual.validation import ValidationResult, Validator

from ..actions import Refusal
from ..actions.incidents import IncidentInput, read, read_minutes
from ..domain.model import Settings


def when_text(value: str) -> str:
    """What a When field means: its text, or now when it is empty (its placeholder)."""
    return value if value.strip() else "now"


class When(Validator):
    """A moment an incident can have happened at (as `log --at` reads it)."""

    def __init__(self, now: datetime, settings: Settings) -> None:
        super().__init__()
        self.now = now
        self.settings = settings

    def validate(self, value: str) -> ValidationResult:
        out = read(IncidentInput("", when_text(value), kind="other"), self.settings, self.now)
        return self.failure(out.reason) if isinstance(out, Refusal) else self.success()


class Minutes(Validator):
    """Empty, or a number of minutes, 0 or more."""

    def validate(self, value: str) -> ValidationResult:
        try:
            read_minutes(value)
        except ValueError as e:
            return self.failure(str(e))
        return self.success()
