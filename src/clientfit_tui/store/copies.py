"""Copies of the data file left by sync tools when two machines changed it at once
(Syncthing, Dropbox, Nextcloud and the like), found beside it."""

from __future__ import annotations

import os
import re
import shlex

from ..i18n import _, ngettext


def conflict_copies(path: str) -> list[str]:
    """The paths of sync tools' conflict copies of the data file `path`, sorted:
    `clients.sync-conflict-*.toml` (Syncthing), `clients (... conflicted copy ...).toml`
    (Dropbox, Nextcloud, ownCloud)."""
    folder, name = os.path.split(os.path.abspath(path))
    stem, ext = os.path.splitext(name)
    s, e = re.escape(stem), re.escape(ext)
    pattern = re.compile(rf"{s}\.sync-conflict-[^/]*{e}|{s} \([^()]*conflicted copy[^()]*\){e}",
                         re.IGNORECASE)
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(os.path.join(folder, n) for n in names if pattern.fullmatch(n))


def copies_message(path: str) -> str | None:
    """What to say (and run) when a conflict copy sits beside the data file; None when
    there is none."""
    found = conflict_copies(path)
    if not found:
        return None
    first = found[0]
    command = (f"clientfit merge --two {shlex.quote(os.path.abspath(path))} "
               f"{shlex.quote(first)}")
    if len(found) > 1:
        more = len(found) - 1
        return ngettext("A sync tool left a copy of the file beside it (and {n} more): {name}. "
                        "To merge it in: {command}",
                        "A sync tool left a copy of the file beside it (and {n} more): {name}. "
                        "To merge it in: {command}", more).format(
            n=more, name=os.path.basename(first), command=command)
    return _("A sync tool left a copy of the file beside it: {name}. To merge it in: "
             "{command}").format(name=os.path.basename(first), command=command)
