"""Generate realistic clientfit files of a given size, for the benchmark.

    python bench/gen.py M /tmp/m.toml      # S, M or L

S = 20 clients / 500 incidents, M = 200 / 10,000, L = 1,000 / 50,000. Files mix
the styles people write: comments, aligned and indented keys, arrays of tables
split across the file, a few dotted keys and inline tables, invoices, reviews,
and offboarding tables.
"""

from __future__ import annotations

import random
import sys
from datetime import date, datetime, timedelta

SIZES = {"S": (20, 500), "M": (200, 10_000), "L": (1_000, 50_000)}
KINDS = ["after-hours", "vague-feedback", "late-payment", "scope-creep", "disrespect", "other"]
NOTES = ["IM at {t} asking for same-day logo changes", "Feedback: 'make it pop more'",
         "Invoice {n} 30 days overdue; reminder sent", "'While you're at it' - an extra page",
         "Called the work 'amateur' on a call", "Meeting rescheduled four times",
         "Sunday message: can we 'jump on a call' now?", "Third redesign, no written brief"]


def generate(clients: int, incidents: int, seed: int = 7) -> str:
    r = random.Random(seed)
    start = datetime(2023, 1, 1)
    out = ["# clientfit data, generated for the benchmark.", "",
           "[settings]", "cooling_off_days = 3", 'notice = "30 days"',
           'work_hours = "09:00-18:00"', 'work_days = ["mon", "tue", "wed", "thu", "fri"]',
           "instinct = { reviews = 3, within_days = 90 }", 'timezone = "Europe/Madrid"', ""]
    per = [incidents // clients] * clients
    for i in range(incidents % clients):
        per[i] += 1
    later: list[str] = []
    for c in range(clients):
        cid = f"client-{c:04d}"
        style = c % 4
        out.append(f"# --- {cid} " + "-" * 40)
        out.append(f"[clients.{cid}]")
        ind = "  " if style == 1 else ""
        out += [f'{ind}name = "Client {c} Ltd"', f'{ind}contact = "Person {c}"',
                f'{ind}email = "p{c}@client{c}.example"',
                f'{ind}status = "{r.choice(["active", "active", "watch", "ended"])}"',
                f"{ind}since = {date(2020, 1, 1) + timedelta(days=r.randrange(1500))}",
                f"{ind}regular = {str(r.random() < 0.6).lower()}",
                f"{ind}revenue = {r.randrange(1000, 40000)}.0   # per year"]
        if style == 2:
            out.append(f'{ind}meta.source = "referral"')
        out.append("")
        for k in range(per[c]):
            at = start + timedelta(minutes=r.randrange(4 * 365 * 24 * 60))
            kind = r.choice(KINDS)
            block = [f"[[clients.{cid}.incidents]]",
                     f"at = {at.isoformat(timespec='seconds')}" if k % 7 else f"at = {at.date()}",
                     f'kind = "{kind}"']
            if r.random() < 0.5:
                block.append(f"severity = {r.randint(1, 3)}")
            if r.random() < 0.7:
                block.append(f"minutes = {r.choice([5, 10, 15, 30, 45, 60, 120])}")
            note = r.choice(NOTES).format(t=at.strftime("%H:%M"), n=f"{at.year}-{k:03d}")
            block.append(f'note = "{note}"' + ("  # sigh" if r.random() < 0.05 else ""))
            block.append("")
            (later if style == 3 and k % 3 == 0 else out).extend(block)
        for k in range(r.randrange(0, 4)):
            due = date(2026, 1, 1) + timedelta(days=30 * k)
            out += [f"[[clients.{cid}.invoices]]", f'number = "{due.year}-{c:03d}{k}"',
                    f"amount = {r.randrange(300, 5000)}.0", f"due = {due}"]
            if r.random() < 0.8:
                out.append(f"paid = {due + timedelta(days=r.randrange(-5, 60))}")
            out.append("")
        for k in range(r.randrange(0, 3)):
            out += [f"[[clients.{cid}.reviews]]", f"at = {date(2026, 1 + k * 4, 10)}",
                    'outcome = "keep"', ""]
        if c % 50 == 7:
            out += [f"[clients.{cid}.offboarding]", "decided = 2026-06-01T09:30:00",
                    'reason = "I no longer think my services meet your needs."', ""]
    out += later
    return "\n".join(out) + "\n"


def main() -> None:
    size, path = sys.argv[1], sys.argv[2]
    with open(path, "w", encoding="utf-8") as f:
        f.write(generate(*SIZES[size]))


if __name__ == "__main__":
    main()
