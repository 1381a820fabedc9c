"""`clientfit --demo`: the bundled sample, in the reader's language, its dates moved so that
today shows every state.

`sample.toml` is the English sample; `sample.es.toml` the same clients, incidents and
checklists with their names, notes and comments in Spanish (keys and stored values stay
English: the file format is one). Both sit at the repository's top and are copied into the
package when it is built.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from datetime import date, timedelta
from pathlib import Path

from .i18n import LANGUAGES, _, language

SAMPLE_TODAY = date(2026, 11, 27)
"""The day the sample was written for: its dates move by (today - this day)."""
_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d)")


def sample_name(lang: str) -> str:
    """The sample's file name in `lang`: sample.toml in English, sample.es.toml in Spanish."""
    return "sample.toml" if lang == LANGUAGES[0] else f"sample.{lang}.toml"


def sample_path(lang: str | None = None) -> Path:
    """The bundled sample in `lang` (the reader's language by default), else the English one:
    in the installed package, else at the top of the source tree."""
    here = Path(__file__).parent
    names = dict.fromkeys((sample_name(lang or language()), sample_name(LANGUAGES[0])))
    for name in names:
        for p in (here / name, here.parent.parent / name):
            if p.is_file():
                return p
    raise FileNotFoundError(_("the bundled {name} is missing from this installation")
                            .format(name=sample_name(LANGUAGES[0])))


def sample_text(lang: str | None = None) -> str:
    """The text of the bundled sample in `lang` (the reader's language by default)."""
    return sample_path(lang).read_text(encoding="utf-8")


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


def make_demo(today: date | None = None, lang: str | None = None) -> Path:
    """A temporary copy of the sample in `lang` (the reader's language by default),
    removed at exit, dated for today."""
    today = today or demo_today()
    folder = Path(tempfile.mkdtemp(prefix="clientfit-demo-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "clients.toml"
    text = shift_dates(sample_text(lang), (today - SAMPLE_TODAY).days)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
        f.write(text)
    return path
