"""The file in the user's editor: the command, its line, and running it safely.

Whatever happens to the editor (not found, failing, killed), control comes back
to the app; SIGTERM and SIGHUP still end the app while the editor runs.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path
from types import FrameType

from ..i18n import _

LINE_EDITORS = {"vi", "vim", "nvim", "nano", "emacs", "emacsclient", "micro", "kak", "hx",
                "helix", "joe", "jed", "mg", "ne", "pico", "gvim", "mvim", "view"}
"""Editors that take `+LINE` before the file."""
GRACE = 3.0
"""How long an editor asked to stop (SIGTERM) has before it is killed."""


def command(path: str, line: int) -> tuple[list[str], str]:
    """The editor's command line for `path` at `line` ($VISUAL, else $EDITOR, else vi),
    and why it cannot run ("" when it can)."""
    raw = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        cmd = shlex.split(raw)
    except ValueError:
        return [], _("cannot read the editor's command {command} (set $VISUAL or $EDITOR)"
                     ).format(command=repr(raw))
    if not cmd:
        cmd = ["vi"]
    if shutil.which(cmd[0]) is None:
        return [], _("editor not found: {editor} (set $VISUAL or $EDITOR)").format(editor=cmd[0])
    args = [*cmd, f"+{line}", path] if Path(cmd[0]).name in LINE_EDITORS else [*cmd, path]
    return args, ""


def run(args: list[str]) -> tuple[str, int | None]:
    """Run the editor in the foreground, and never raise: ("", None) when it exited well;
    else why not, and the signal (SIGTERM or SIGHUP) that asked the app to end, if any."""
    got: list[int] = []
    proc: subprocess.Popen[bytes] | None = None

    def ask_to_end(signum: int, frame: FrameType | None) -> None:
        got.append(signum)
        if proc is not None and proc.poll() is None:
            proc.terminate()

    ends = [s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None))
            if s is not None]
    old = {}
    try:
        for sig in ends:
            old[sig] = signal.signal(sig, ask_to_end)
        try:
            proc = subprocess.Popen(args)
        except OSError as e:
            return _("cannot run the editor {editor}: {reason}").format(
                editor=args[0], reason=e.strerror or e), None
        asked = 0.0
        while True:
            try:
                code = proc.wait(timeout=0.2)
                break
            except subprocess.TimeoutExpired:
                if got and not asked:
                    asked = time.monotonic()
                if asked and time.monotonic() - asked > GRACE:
                    proc.kill()
    except Exception as e:  # whatever it was, the terminal goes back to the app
        return _("the editor failed: {error}").format(error=type(e).__name__), \
            (got[0] if got else None)
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)
    if got:
        return _("ended by a signal"), got[0]
    if code != 0:
        return _("the editor exited with status {code}").format(code=code), None
    return "", None
