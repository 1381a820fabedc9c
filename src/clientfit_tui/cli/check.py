"""`clientfit check`: validate the file."""

from __future__ import annotations

import argparse
from typing import Any

from ..i18n import _, ngettext
from ..store.copies import copies_message
from ..store.store import Store, exposed
from .common import EXIT_OK, now_for


def add(sub: Any) -> None:
    sub.add_parser("check", help=_("validate the file"), description=_(
        "Validate the file: each problem as path:line:col: message. Exit 0 when valid, 1 "
        "otherwise."))


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
        print(f"{store.display}: " + _("warning: {message}").format(message=copies))
    n_inc = sum(len(c.incidents) for c in snap.data.clients.values())
    n_cl = len(snap.data.clients)
    clients = ngettext("{n} client", "{n} clients", n_cl).format(n=n_cl)
    incidents = ngettext("{n} incident", "{n} incidents", n_inc).format(n=n_inc)
    if found:
        warnings = ngettext("{n} warning", "{n} warnings", len(found)).format(n=len(found))
        said = _("ok: {clients}, {incidents}, {warnings}").format(
            clients=clients, incidents=incidents, warnings=warnings)
    else:
        said = _("ok: {clients}, {incidents}").format(clients=clients, incidents=incidents)
    print(f"{store.display}: {said}")
    return EXIT_OK
