"""`clientfit --demo`: the bundled sample, its dates moved so that today shows every state."""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

SAMPLE_TODAY = date(2026, 11, 27)
"""The day the sample was written for: its dates move by (today - this day)."""
_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d)")


def sample_text() -> str:
    here = Path(__file__).parent
    for p in (here / "sample.toml", here.parent.parent / "sample.toml"):
        if p.is_file():
            return p.read_text(encoding="utf-8")
    raise FileNotFoundError("the bundled sample.toml is missing from this installation")


def shift_dates(text: str, days: int) -> str:
    """Every date in the text moved by `days` (the rest of each line untouched)."""
    if not days:
        return text

    def move(m: re.Match[str]) -> str:
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return m.group(0)
        return (d + timedelta(days=days)).isoformat()

    return _DATE.sub(move, text)


def demo_today() -> date:
    """Today, or the day of CLIENTFIT_NOW when it fixes "now" (so demos can be replayed)."""
    fixed = os.environ.get("CLIENTFIT_NOW", "").strip()
    if fixed:
        try:
            return date.fromisoformat(fixed[:10])
        except ValueError:
            pass
    return date.today()


def make_demo(today: date | None = None) -> Path:
    """A temporary copy of the sample (removed at exit), dated for today."""
    today = today or demo_today()
    folder = Path(tempfile.mkdtemp(prefix="clientfit-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "clients.toml"
    text = shift_dates(sample_text(), (today - SAMPLE_TODAY).days)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path
