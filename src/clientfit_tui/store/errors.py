"""The store's errors: each says, in one line, what is wrong with the file."""

from __future__ import annotations


class StoreError(Exception):
    """A problem with the file, said in one line (or one line per problem)."""


class InvalidFile(StoreError):
    """The file is not valid TOML or not valid clientfit data."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("\n".join(lines))
        self.lines = lines
