"""Each edit's inverse: applying an edit, then its inverse, gives back the same data."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from clientfit_tui.store import edit
from clientfit_tui.store.errors import StoreError
from clientfit_tui.store.store import Store
from clientfit_tui.store.verify import same_data

INCIDENT = {"at": datetime(2026, 11, 20, 9, 30), "kind": "after-hours", "severity": 2,
            "minutes": 15, "note": "a call at night"}

CASES: dict[str, Callable[[], edit.Edit]] = {
    "append at the end": lambda: edit.Append("acme", "incidents", dict(INCIDENT)),
    "append to a new array": lambda: edit.Append("acme", "reviews", {"on": datetime(2026, 11, 1).date(),
                                                             "gut": "stay"}),
    "append in the middle": lambda: edit.Append("acme", "incidents", dict(INCIDENT), position=1),
    "remove the first": lambda: edit.Remove("acme", "incidents", 0),
    "remove the last": lambda: edit.Remove("acme", "incidents", 2),
    "remove the only one": lambda: edit.Remove("beta", "incidents", 0),
    "set and delete client keys": lambda: edit.SetKeys("acme", {"status": "offboarding",
                                                        "notes": edit.DELETE, "new": 1}),
    "set keys of an element": lambda: edit.SetKeys("acme", {"severity": 3, "note": edit.DELETE},
                                           sub="incidents", index=1),
    "create a sub-table": lambda: edit.SetKeys("beta", {"told": datetime(2026, 11, 2).date()},
                                       sub="offboarding"),
    "many": lambda: edit.Many([edit.Remove("acme", "incidents", 0),
                       edit.SetKeys("beta", {"status": "watch"}),
                       edit.Append("beta", "incidents", dict(INCIDENT))]),
}

TEXT = """\
[settings]
timezone = "UTC"

[clients.acme]
name = "ACME"
status = "active"
notes = "big"

[[clients.acme.incidents]]
at = 2026-01-01T10:00:00
kind = "after-hours"
severity = 1

[[clients.acme.incidents]]
at = 2026-02-01T10:00:00
kind = "scope-creep"
severity = 2
note = "more"

[[clients.acme.incidents]]
at = 2026-03-01T10:00:00
kind = "disrespect"
severity = 2

[clients.beta]
name = "Beta"
status = "active"

[[clients.beta.incidents]]
at = 2026-04-01T10:00:00
kind = "late-payment"
severity = 1
"""


@pytest.mark.parametrize("name", list(CASES))
def test_an_edit_then_its_inverse_gives_back_the_data(name: str) -> None:
    change = CASES[name]()
    raw: dict[str, Any] = tomllib.loads(TEXT)
    back = change.inverse(raw)
    after = change.apply(raw)
    assert not same_data(after, raw)
    assert same_data(back.apply(after), raw)


@pytest.mark.parametrize("name", list(CASES))
def test_an_edit_then_its_inverse_in_the_file(tmp_path: Path, name: str) -> None:
    """Through the store: the data read back after the inverse is the data before."""
    p = tmp_path / "clients.toml"
    p.write_text(TEXT)
    store = Store(p)
    store.full_verify = name.startswith("many")  # both the proved and the whole check
    change = CASES[name]()
    undo: list[edit.Edit] = []
    store.apply(change, store.load(), on_base=lambda raw: undo.append(change.inverse(raw)))
    assert not same_data(tomllib.loads(p.read_text()), tomllib.loads(TEXT))
    store.apply(undo[-1], store.load())
    assert same_data(tomllib.loads(p.read_text()), tomllib.loads(TEXT))


def test_adding_a_client_has_no_inverse() -> None:
    with pytest.raises(StoreError, match="cannot be undone"):
        edit.AddClient("gamma", {"name": "Gamma"}).inverse(tomllib.loads(TEXT))
