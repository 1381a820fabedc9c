"""`clientfit check`: validate the file."""

from __future__ import annotations

import argparse
from typing import Any

from ..store.copies import copies_message
from ..store.store import Store, exposed
from .common import EXIT_OK, now_for


def add(sub: Any) -> None:
    sub.add_parser("check", help="validate the file", description="Validate the file: each "
                   "problem as path:line:col: message. Exit 0 when valid, 1 otherwise.")


def run(store: Store, args: argparse.Namespace) -> int:
    from ..domain.rules import future_problems
    from ..store.snapshot import locate_all

    snap = store.load()
    found = snap.warnings + locate_all(store.display, snap.text, snap.index,
                                       future_problems(snap.data, now_for(snap.settings)))
    for w in found:
        print(w)
    privacy = exposed(store.target)
    if privacy:
        print(f"{store.display}: {privacy}")
    copies = copies_message(store.path)
    if copies:
        print(f"{store.display}: warning: {copies}")
    n_inc = sum(len(c.incidents) for c in snap.data.clients.values())
    print(f"{store.display}: ok: {len(snap.data.clients)} clients, {n_inc} incidents"
          + (f", {len(found)} warning(s)" if found else ""))
    return EXIT_OK
