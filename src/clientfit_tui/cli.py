"""The `clientfit` command line: quick logging and scripting beside the app."""

from __future__ import annotations

import os
import re
import sys
from datetime import datetime
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    import argparse

    from .store.files import EarlyRead

from .domain import dates, rules
from .domain.model import KINDS, Client, Data, Settings, load_client
from .launch import default_path, leading_file
from .store import edit
from .store.store import InvalidFile, Snapshot, Store, StoreError, exposed

EXIT_OK, EXIT_BAD, EXIT_USAGE, EXIT_REFUSED = 0, 1, 2, 3


class UserError(Exception):
    """A mistake of the user's, said in one line; exit 1."""




def resolve_store(arg: str | None) -> Store:
    """--file, else $CLIENTFIT_FILE, else the XDG default (created from the template)."""
    chosen = arg or os.environ.get("CLIENTFIT_FILE")
    if chosen:
        return Store(os.path.expanduser(chosen), display=chosen)
    p = default_path()
    store = Store(p, display=p)
    if not os.path.exists(p):
        from .template import TEMPLATE

        store.create(TEMPLATE)
    return store


def now_for(settings: Settings | None) -> datetime:
    """CLIENTFIT_NOW, or the clock; in UTC (a naive CLIENTFIT_NOW is in the settings' zone)."""
    try:
        return dates.now(settings.tz if settings else dates.zone(None))
    except ValueError as e:
        raise UserError(str(e)) from None


def find_client(data: Data, text: str) -> Client:
    """A client by id, or by a unique start of its id or name."""
    if text in data.clients:
        return data.clients[text]
    low = text.lower()
    hits = [c for c in data.clients.values()
            if c.id.startswith(low) or c.name.lower().startswith(low)]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise UserError(f"'{text}' matches several clients: {', '.join(c.id for c in hits)}")
    import difflib

    close = difflib.get_close_matches(low, list(data.clients), n=3)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UserError(f"no client '{text}'{hint}")


def build_parser() -> argparse.ArgumentParser:
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:
            self.print_usage(sys.stderr)
            self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")

    def minutes_arg(text: str) -> float | int:
        try:
            return _minutes(text)
        except ValueError as e:
            raise argparse.ArgumentTypeError(str(e)) from None

    p = _Parser(prog="clientfit", description="Decide calmly, on evidence, whether to end a "
                "client relationship, then end it professionally. With no command, opens the app.")
    p.add_argument("--file", metavar="PATH", help="the data file (default: $CLIENTFIT_FILE, "
                   "else $XDG_DATA_HOME/clientfit/clients.toml)")
    p.add_argument("--demo", action="store_true",
                   help="open the app on a temporary copy of the bundled sample")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    lg = sub.add_parser("log", help="append one incident", description="Append one incident to "
                        "a client. The kind defaults to after-hours outside work hours, else other.")
    lg.add_argument("client", help="client id (or a unique start of its id or name)")
    lg.add_argument("note", help="what happened")
    lg.add_argument("--kind", choices=KINDS)
    lg.add_argument("--severity", type=int, choices=(1, 2, 3), default=1,
                    help="1 minor, 2 real, 3 serious (default 1)")
    lg.add_argument("--minutes", type=minutes_arg, help="time it cost you")
    lg.add_argument("--at", metavar="WHEN", default="now",
                    help="when: a date or time, today, yesterday, -2d, -3h (default now)")

    sub.add_parser("check", help="validate the file", description="Validate the file: each "
                   "problem as path:line:col: message. Exit 0 when valid, 1 otherwise.")

    st = sub.add_parser("status", help="each client's state", description="Each client: status,"
                        " incidents, trouble, cooling-off unlock time, checklist progress.")
    st.add_argument("client", nargs="?", help="only this client")
    st.add_argument("--json", action="store_true", help="machine-readable output")

    dc = sub.add_parser("decide", help="start offboarding a client", description="Start "
                        "offboarding. Refused (exit 3) within the cooling-off period.")
    dc.add_argument("client")

    sub.add_parser("pareto", help="the Pareto table", description="The smallest set of "
                   "clients that makes up 80%% of the trouble, beside their share of revenue.")
    return p


def _minutes(text: str) -> float | int:
    """Minutes as typed: a number, 0 or more (argparse reports a ValueError's message)."""
    try:
        v = float(text)
    except ValueError:
        raise ValueError(f"not a number: {text!r}") from None
    if not v >= 0 or v == float("inf"):
        raise ValueError("must be 0 or more")
    return int(v) if v.is_integer() else v


def _join_relative_at(argv: list[str]) -> list[str]:
    """`--at -3h` reads as an option to argparse; make it `--at=-3h`."""
    out: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] == "--at" and i + 1 < len(argv) and re.fullmatch(r"-\d+\s*[mhdw]", argv[i + 1]):
            out.append(f"--at={argv[i + 1]}")
            i += 2
            continue
        out.append(argv[i])
        i += 1
    return out


_LOG_OPTIONS = {"--kind": str, "--severity": int, "--minutes": float, "--at": str}


def _quick_log_args(argv: list[str]) -> argparse.Namespace | None:
    """`[--file PATH] log CLIENT NOTE [--kind K] [--severity N] [--minutes M] [--at WHEN]`,
    read without building the whole parser (logging is the hot path); None for anything
    else, which the full parser then handles, errors and help included."""
    file, args = leading_file(argv)
    if len(args) < 3 or args[0] != "log" or any(a.startswith("-") for a in args[1:3]):
        return None
    ns = SimpleNamespace(file=file, demo=False, command="log", client=args[1], note=args[2],
                         kind=None, severity=1, minutes=None, at="now")
    rest = args[3:]
    while rest:
        opt, _, value = rest[0].partition("=")
        if opt not in _LOG_OPTIONS:
            return None
        if not value:
            if len(rest) < 2:
                return None
            value, rest = rest[1], rest[2:]
        else:
            rest = rest[1:]
        try:
            if opt == "--kind" and value not in KINDS:
                return None
            if opt == "--severity":
                ns.severity = int(value)
                if ns.severity not in (1, 2, 3):
                    return None
            elif opt == "--minutes":
                ns.minutes = _minutes(value)
            else:
                setattr(ns, opt[2:], value)
        except ValueError:
            return None
    return ns  # type: ignore[return-value]


def _ignore_file_size_limit() -> None:
    """A file-size limit must fail the write with an error, not kill the process."""
    sig: Any
    try:  # `signal` itself spends a millisecond making enums
        sig = __import__("_signal")
    except ImportError:  # not CPython
        import signal as sig
    if hasattr(sig, "SIGXFSZ"):
        sig.signal(sig.SIGXFSZ, sig.SIG_IGN)


def main(argv: list[str] | None = None, early: EarlyRead | None = None) -> int:
    """Run the command line `argv` (default: the process's); `early`: the data file as
    read while clientfit was loading (see `launch`)."""
    _ignore_file_size_limit()
    argv = _join_relative_at(sys.argv[1:] if argv is None else argv)
    args = _quick_log_args(argv) or build_parser().parse_args(argv)
    try:
        if args.demo:
            from .demo import make_demo

            if args.command:
                raise UserError("--demo opens the app; it takes no command")
            path = make_demo()
            return _run_app(Store(path, display=str(path)))
        store = resolve_store(args.file)
        if args.command is None:
            store.read_bytes()  # a missing or unreadable file: one line, before the screen
            return _run_app(store)
        handler = {"log": cmd_log, "check": cmd_check, "status": cmd_status,
                   "decide": cmd_decide, "pareto": cmd_pareto}[args.command]
        if early is not None:
            store.early = early
        code = handler(store, args)
        global finished
        finished = True
        return code
    except InvalidFile as e:
        for line in e.lines:
            print(line, file=sys.stderr)
        return EXIT_BAD
    except (StoreError, UserError) as e:
        print(f"clientfit: {e}", file=sys.stderr)
        return EXIT_BAD
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # the reader went away (`| head`); what was done is done
        try:  # nothing more to the pipe, not even when the interpreter flushes at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_BAD


finished = False
"""Set when a command line command (not the app) has finished."""


def _run_app(store: Store) -> int:
    # Over a slow link the bytes of one key (an arrow is ESC [ D) can arrive apart; wait
    # longer than Textual's 100 ms before reading a lone ESC as the Escape key.
    os.environ.setdefault("ESCDELAY", "600" if os.environ.get("SSH_CONNECTION") else "300")
    from .session import Session

    session = Session(store)
    session.start_loading()  # reading the file overlaps importing the UI
    from .app.app import run

    return run(store, session)


def cmd_check(store: Store, args: argparse.Namespace) -> int:
    snap = store.load()
    for w in snap.warnings:
        print(w)
    privacy = exposed(store.target)
    if privacy:
        print(f"{store.display}: {privacy}")
    n_inc = sum(len(c.incidents) for c in snap.data.clients.values())
    print(f"{store.display}: ok: {len(snap.data.clients)} clients, {n_inc} incidents"
          + (f", {len(snap.warnings)} warning(s)" if snap.warnings else ""))
    return EXIT_OK


def client_id(snap: Snapshot, text: str) -> str:
    """A client's id from what was typed: the id, or a unique start of an id or name.

    An exact id is found from the file's index alone, without reading every client.
    """
    if snap.has_client(text):
        return text
    return find_client(snap.data, text).id


def client_model(snap: Snapshot, cid: str) -> Client:
    model, _ = load_client(snap.settings, cid, snap.client_raw(cid))
    assert model is not None  # the file was valid
    return model


def cmd_log(store: Store, args: argparse.Namespace) -> int:
    done: dict[str, Any] = {}

    def make(snap: Snapshot) -> edit.Edit:
        cid = client_id(snap, args.client)
        s = snap.settings
        now = now_for(s)
        try:
            at = dates.parse_when(args.at, now, s.tz)
        except ValueError as e:
            raise UserError(str(e)) from None
        kind = args.kind or ("after-hours" if rules.is_after_hours(at, s) else "other")
        item: dict[str, Any] = {"at": at, "kind": kind, "severity": args.severity}
        if args.minutes is not None:
            item["minutes"] = args.minutes
        if args.note.strip():
            item["note"] = args.note.strip()
        done.update(cid=cid, at=at, kind=kind, now=now, settings=s)
        return edit.Append(cid, "incidents", item)

    new = store.edit(make)
    assert new is not None
    s = done["settings"]
    cool = rules.cooling_after(new.latest_incident(done["cid"]), s, done["now"])
    tail = (f"; decisions wait until {dates.show(cool.unlocks, s.tz)}"
            if cool.active and cool.unlocks else "")
    print(f"logged {done['kind']} (severity {args.severity}) for {done['cid']} at "
          f"{dates.show_moment(done['at'])}{tail}")
    return EXIT_OK


def cmd_decide(store: Store, args: argparse.Namespace) -> int:
    said: list[tuple[int, str]] = []

    def make(snap: Snapshot) -> edit.Edit | None:
        client = client_model(snap, client_id(snap, args.client))
        s = snap.settings
        now = now_for(s)
        off = client.offboarding or {}
        if "decided" in off:
            said.append((EXIT_OK, f"{client.id}: already decided on "
                                  f"{dates.show_moment(off['decided'])}"))
            return None
        if client.status == "ended":
            raise UserError(f"{client.id}: the relationship has already ended")
        cool = rules.cooling(client, s, now)
        if cool.active and cool.unlocks:
            said.append((EXIT_REFUSED, f"clientfit: {client.id}: refused: cooling-off until "
                                       f"{dates.show(cool.unlocks, s.tz)} "
                                       f"({dates.countdown(cool.left)} left). "
                                       "Never decide in the heat of the moment."))
            return None
        decided = dates.wall(now, s.tz)
        said.append((EXIT_OK, f"{client.id}: offboarding started "
                              f"{dates.show_moment(decided)}. Next: review the contract."))
        return decide_edit(client, decided)

    store.edit(make)
    code, message = said[0]
    print(message, file=sys.stderr if code else sys.stdout)
    return code


def decide_edit(client: Client, decided: datetime) -> edit.Many:
    """Record the decision and mark the client as offboarding, in one write."""
    return edit.Many([edit.SetKeys(client.id, {"status": "offboarding"}),
                      edit.SetKeys(client.id, {"decided": decided}, sub="offboarding")])


def client_status(c: Client, data: Data, now: datetime, vital: frozenset[str]) -> dict[str, Any]:
    s = data.settings
    cool = rules.cooling(c, s, now)
    progress = None
    if c.offboarding is not None:
        from .domain import checklist

        done, total = checklist.build(c, s, now).progress
        progress = f"{done}/{total}"
    return {
        "id": c.id, "name": c.name, "status": c.status,
        "incidents": len(c.incidents), "trouble": rules.trouble(c),
        "minutes": rules.minutes_lost(c),
        "last_incident": cool.last_incident.isoformat() if cool.last_incident else None,
        "cooling_off_until": cool.unlocks.isoformat() if cool.active and cool.unlocks else None,
        "checklist": progress,
        "instinct": rules.instinct(c, s, now),
        "pareto": c.id in vital,
        "unpaid": round(sum(i.amount for i in c.unpaid), 2),
    }


def cmd_status(store: Store, args: argparse.Namespace) -> int:
    snap = store.load()
    data = snap.data
    now = now_for(data.settings)
    clients = [find_client(data, args.client)] if args.client else list(data.clients.values())
    vital = rules.pareto(data).vital_ids
    rows = [client_status(c, data, now, vital) for c in clients]
    if args.json:
        import json

        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return EXIT_OK
    s = data.settings
    print(f"{'client':<16} {'status':<12} {'inc':>4} {'trouble':>7}  {'cooling-off':<22} "
          f"{'checklist':<9} flags")
    for r, c in zip(rows, clients, strict=True):
        cool = rules.cooling(c, s, now)
        cooling = (f"until {dates.show(cool.unlocks, s.tz)}" if cool.active and cool.unlocks
                   else "-")
        flags = " ".join(f for f, on in (("pareto", r["pareto"]), ("instinct", r["instinct"]),
                                         (f"unpaid {r['unpaid']:,.2f}", r["unpaid"] > 0)) if on)
        print(f"{_clip(c.id, 16):<16} {r['status']:<12} {r['incidents']:>4} {r['trouble']:>7}  "
              f"{cooling:<22} {r['checklist'] or '-':<9} {flags}")
    return EXIT_OK


def cmd_pareto(store: Store, args: argparse.Namespace) -> int:
    snap = store.load()
    p = rules.pareto(snap.data)
    print(f"{'':2}{'client':<16} {'trouble':>7} {'share':>6} {'cum':>6} {'minutes':>8} "
          f"{'revenue':>8}")
    for r in p.rows:
        rev = f"{r.revenue_share:.0%}" if r.revenue_share is not None else "-"
        print(f"{'*' if r.vital else ' ':2}{_clip(r.client.id, 16):<16} {r.trouble:>7} "
              f"{r.trouble_share:>6.0%} {r.cumulative:>6.0%} {r.minutes:>8.0f} {rev:>8}")
    if p.total_trouble:
        rev = (f"{p.vital_revenue_share:.0%} of the revenue" if p.vital_revenue_share is not None
               else "no revenue recorded")
        print(f"\n* {p.vital_count} of {len(p.rows)} clients make "
              f"{p.vital_trouble_share:.0%} of the trouble and bring {rev}.")
    else:
        print("\nNo trouble recorded.")
    return EXIT_OK


def _clip(s: str, n: int) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"


if __name__ == "__main__":
    sys.exit(main())
