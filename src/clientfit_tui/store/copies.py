"""Copies of the data file left by sync tools when two machines changed it at once
(Syncthing, Dropbox, Nextcloud and the like), found beside it."""

from __future__ import annotations

import os
import re
import shlex


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
    more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
    return (f"A sync tool left a copy of the file beside it{more}: "
            f"{os.path.basename(first)}. To merge it in: clientfit merge --two "
            f"{shlex.quote(os.path.abspath(path))} {shlex.quote(first)}")
