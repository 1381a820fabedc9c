"""`clientfit pareto`: the clients that make most of the trouble."""

from __future__ import annotations

import argparse
from typing import Any

from ..domain import rules
from ..i18n import _, language, ngettext
from ..store.store import Store
from .common import EXIT_OK, clip


def add(sub: Any) -> None:
    sub.add_parser("pareto", help=_("the Pareto table"), description=_(
        "The smallest set of clients that makes up 80% of the trouble, beside their share of "
        "revenue."))


def share(x: float) -> str:
    """A share as a whole percentage: `34%`; `34 %` in Spanish."""
    if language() == "en":
        return f"{x:.0%}"
    from .. import l10n

    return l10n.percent(x)


def whole(x: float) -> str:
    """Minutes, rounded: `90`."""
    if language() == "en":
        return f"{x:.0f}"
    from .. import l10n

    return l10n.number(round(x))


def run(store: Store, args: argparse.Namespace) -> int:
    snap = store.load()
    p = rules.pareto(snap.data)
    names = (_("client"), _("trouble"), _("share"), _("cum"), _("minutes"), _("revenue"))
    w = [max(least, len(name)) for least, name in zip((16, 7, 6, 6, 8, 8), names, strict=True)]
    print(f"{'':2}{names[0]:<{w[0]}} {names[1]:>{w[1]}} {names[2]:>{w[2]}} {names[3]:>{w[3]}} "
          f"{names[4]:>{w[4]}} {names[5]:>{w[5]}}")
    for r in p.rows:
        rev = share(r.revenue_share) if r.revenue_share is not None else "-"
        print(f"{'*' if r.vital else ' ':2}{clip(r.client.id, 16):<{w[0]}} {r.trouble:>{w[1]}} "
              f"{share(r.trouble_share):>{w[2]}} {share(r.cumulative):>{w[3]}} "
              f"{whole(r.minutes):>{w[4]}} {rev:>{w[5]}}")
    if p.total_trouble:
        said = {"n": p.vital_count, "total": len(p.rows),
                "trouble": share(p.vital_trouble_share)}
        if p.vital_revenue_share is not None:
            text = ngettext("* {n} of {total} clients makes {trouble} of the trouble and brings "
                            "{revenue} of the revenue.",
                            "* {n} of {total} clients make {trouble} of the trouble and bring "
                            "{revenue} of the revenue.", p.vital_count)
            said["revenue"] = share(p.vital_revenue_share)
        else:
            text = ngettext("* {n} of {total} clients makes {trouble} of the trouble and brings "
                            "no revenue recorded.",
                            "* {n} of {total} clients make {trouble} of the trouble and bring no "
                            "revenue recorded.", p.vital_count)
        print("\n" + text.format(**said))
    else:
        print("\n" + _("No trouble recorded."))
    return EXIT_OK
