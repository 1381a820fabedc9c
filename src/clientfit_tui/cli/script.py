"""`clientfit script CLIENT`: the words for the meeting, and the confirmation after it."""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Any

from ..i18n import _
from ..store.store import Store
from .common import EXIT_BAD, EXIT_OK, EXIT_USAGE, client_id, client_model, now_for


def add(sub: Any) -> None:
    from ..domain.script import PLACEHOLDERS

    # the list of placeholders keeps its lines, so the description is wrapped here
    lead = 2 + max(len(k) for k in PLACEHOLDERS) + 3
    epilog = _("placeholders ($name or ${{name}}; $$ is a dollar sign):").format() + "\n" + (
        "\n".join(
        textwrap.fill(_(v), 79, initial_indent=f"  ${k}".ljust(lead),
                      subsequent_indent=" " * lead)
        for k, v in PLACEHOLDERS.items()))
    p = sub.add_parser(
        "script", epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter,
        help=_("talking points for the meeting, and the written confirmation"),
        description=textwrap.fill(_(
            "Talking points for the meeting (said in person, by phone or by video, never by "
            "email), built from the client's offboarding checklist, then the short written "
            "confirmation to send after the call. A step not done yet is shown as "
            "[missing: ...]. The templates are edited in $XDG_CONFIG_HOME/clientfit/"
            "templates/ (--init-templates puts the defaults there)."), 79))
    p.add_argument("client", nargs="?", metavar=_("client"),
                   help=_("client id (or a unique start of its id or name)"))
    p.add_argument("--init-templates", action="store_true",
                   help=_("copy the default templates into the templates folder (never over "
                          "yours) and say where they are"))


def run(store: Store, args: argparse.Namespace) -> int:
    from .. import templates
    from ..domain import script
    from .report import plain

    if args.init_templates:
        for path, written in templates.install():
            print(path if written else _("{path} (kept: already there)").format(path=path))
        return EXIT_OK
    if not args.client:
        print(_("clientfit script: name a client (or --init-templates)"), file=sys.stderr)
        return EXIT_USAGE
    snap = store.load(data=False)
    cid = client_id(snap, args.client)
    settings = snap.settings
    vals = script.values(client_model(snap, cid), settings, now_for(settings))
    try:
        text = templates.whole(vals)
    except script.TemplateError as e:
        print(e, file=sys.stderr)
        return EXIT_BAD
    sys.stdout.write(plain(text))
    return EXIT_OK
