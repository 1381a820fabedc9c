"""The offboarding checklist: each step of the advice, its state, what holds it back,
and what doing it writes.

A step is one class here, in the order of `STEPS`: its `state` (done, to do,
held and why) and its `act` (the keys it writes, a refusal, or the question to
ask first). To add a step, write its class and add it to `STEPS`: the app's
checklist, `status`, and the actions layer take it from there.

The state lives in `[clients.ID.offboarding]` (see the README for the keys).
"""

from __future__ import annotations

from datetime import date, datetime

from .. import l10n
from ..i18n import N_, _, ngettext
from . import dates, rules
from .model import MEETINGS, Client, Invoice, Settings
from .outcome import NOTHING, Answer, Option, Question, Refusal
from .stepbase import (  # the steps' parts, named from here too
    AHEAD as AHEAD,
    DONE as DONE,
    HELD as HELD,
    REASON_EXAMPLE as REASON_EXAMPLE,
    SKIPPED as SKIPPED,
    TODO as TODO,
    UNSET as UNSET,
    UNTICK as UNTICK,
    WARN as WARN,
    YES as YES,
    Act as Act,
    Checklist as Checklist,
    Step as Step,
    StepSpec as StepSpec,
    View as View,
    Writes as Writes,
    _Unset as _Unset,
    notice_end as notice_end,
)
from .vocab import label


class Decide(StepSpec):
    id, title, before_decision = "decide", N_("Decide, calmly"), True

    def state(self, v: View) -> Step:
        if v.decided:
            return self.make(DONE, _("decided {day}").format(day=v.done_on("decided")))
        if v.cooling.active and v.cooling.unlocks:
            return self.make(HELD, _("cooling off: unlocks {when}").format(
                                 when=l10n.instant(v.cooling.unlocks, v.settings.tz)),
                             _("decision unlocks in {left}").format(
                                 left=dates.countdown(v.cooling.left)))
        return self.make(TODO, _("cooling-off is over: decide with a clear head"))

    def act(self, v: View, answer: Answer | None) -> Act:
        c = v.client
        if v.decided:
            return Refusal(_("{client}: already decided on {day}").format(
                client=c.id, day=l10n.moment(v.off["decided"])), kind=NOTHING)
        if c.status == "ended":
            return Refusal(_("{client}: the relationship has already ended").format(client=c.id))
        if (refusal := v.cooling_refusal()) is not None:
            return refusal
        if answer is None:
            return Question(self.id, "confirm", _("Start offboarding {name}?").format(name=c.name),
                            _("This records the decision, now, calmly."), value=YES)
        return Writes(_("Offboarding {client}: decided").format(client=c.id),
                      offboarding={"decided": v.wall_now},
                      client={"status": "offboarding"}, facts={"decided": v.wall_now})


class Tick(StepSpec):
    """A step done by ticking it: the day it was done, under `key`."""

    key = ""
    todo = ""
    """Marked with `N_`."""
    done_word = N_("done {day}")
    """Marked with `N_`; `{day}` is the day it was done."""

    def detail(self, v: View) -> str:
        return _(self.todo)

    def state(self, v: View) -> Step:
        done = v.done_on(self.key)
        if done:
            return self.make(DONE, _(self.done_word).format(day=done))
        return self.make(TODO, self.detail(v))

    def act(self, v: View, answer: Answer | None) -> Act:
        if self.key in v.off:
            if answer is None or answer.choice != UNTICK:
                return Question(self.id, "confirm",
                                _("Untick '{step}' (done {day})?").format(
                                    step=_(self.title), day=v.done_on(self.key)),
                                value=UNTICK)
            return Writes(_("Unticked: {step}").format(step=_(self.title)),
                          offboarding={self.key: UNSET})
        return Writes(_("Ticked: {step}").format(step=_(self.title)), offboarding={self.key: v.today})


class Contract(Tick):
    id, title, key = "contract", N_("Review the contract, every line and loose end"), \
        "contract_reviewed"
    done_word = N_("reviewed {day}")

    def detail(self, v: View) -> str:
        return (_("contract: {contract}").format(contract=v.client.contract) if v.client.contract
                else _("no contract on file: gather every email and document that set scope"))


class Obligations(Tick):
    id, title, key = "obligations", N_("Meet your obligations; deliver what was paid for"), \
        "obligations_met"
    todo = N_("finish what you owe before you tell them")


def _invoice_line(i: Invoice, currency: str | None) -> str:
    return _("{invoice} {amount} due {day}").format(
        invoice=i.number or "#" + str(i.index + 1), amount=l10n.amount(i.amount, currency),
        day=l10n.date(i.due))


class Invoices(StepSpec):
    id, title, before_decision = "invoices", N_("Get paid before you tell them"), True
    PROCEED, PROCEED_CONFIRMED = "proceed", "proceed-confirmed"

    def state(self, v: View) -> Step:
        if not v.unpaid:
            return self.make(DONE, _("no unpaid invoices"))
        listing = ", ".join(_invoice_line(i, v.settings.currency) for i in v.unpaid[:3]) + \
            (" ..." if len(v.unpaid) > 3 else "")
        owed = l10n.amount(v.owed, v.settings.currency)
        if v.off.get("proceed_unpaid") is True:
            return self.make(WARN, _("proceeding with {owed} unpaid: {invoices}").format(
                owed=owed, invoices=listing))
        # the same English for one and many; Spanish names the invoices: "1 factura sin pagar"
        n = len(v.unpaid)
        return self.make(TODO, ngettext("{count} unpaid, {owed} owed: {invoices}",
                                        "{count} unpaid, {owed} owed: {invoices}", n).format(
            count=len(v.unpaid), owed=owed, invoices=listing))

    def act(self, v: View, answer: Answer | None) -> Act:
        if not v.unpaid:
            return Refusal(_("No unpaid invoices."), kind=NOTHING)
        if answer is None:
            options = [Option(str(n + 1), _invoice_line(i, v.settings.currency), str(i.index))
                       for n, i in enumerate(v.unpaid[:9])]
            options.append(Option("p", _("proceed without payment"), self.PROCEED))
            return Question(self.id, "choice",
                            _("Mark an invoice paid today, or proceed without payment?"),
                            options=tuple(options), value=options[0].value)
        if answer.choice == self.PROCEED:
            return Question(self.id, "confirm", _("Tell them before they pay?"),
                            _("If they may not pay what they owe, waiting limits the damage."),
                            value=self.PROCEED_CONFIRMED)
        if answer.choice == self.PROCEED_CONFIRMED:
            return Writes(_("Proceeding with invoices unpaid"),
                          offboarding={"proceed_unpaid": True})
        inv = next((i for i in v.unpaid if str(i.index) == answer.choice), None)
        if inv is None:
            return Refusal(_("that invoice is no longer unpaid"))
        return Writes(_("Invoice {invoice} marked paid").format(
                          invoice=inv.number or "#" + str(inv.index + 1)),
                      invoice=(inv.index, {"paid": v.today}))


class Reason(StepSpec):
    id, title = "reason", N_("One short reason")

    def state(self, v: View) -> Step:
        reason = v.off.get("reason")
        if isinstance(reason, str) and reason.strip():
            n = rules.sentences(reason)
            if n > 1:
                return self.make(WARN, _("{count} sentences: give one reason, not a thousand")
                                 .format(count=n))
            return self.make(DONE, f'"{reason.strip()}"')
        return self.make(TODO, _('e.g. "{example}"').format(example=_(REASON_EXAMPLE)))

    def act(self, v: View, answer: Answer | None) -> Act:
        if answer is None:
            return Question(self.id, "text", _("The one reason you will give"),
                            _("One short sentence: more detail opens the door to an argument."),
                            value=str(v.off.get("reason", "")),
                            placeholder=_("e.g. {example}").format(example=_(REASON_EXAMPLE)))
        text = answer.text.strip()
        if not text:
            if not v.off.get("reason"):
                return Refusal(_('Give one reason, in one short sentence: e.g. "{example}"')
                               .format(example=_(REASON_EXAMPLE)))
            return Writes(_("Reason removed"), offboarding={"reason": UNSET})
        warning = (_("That is more than one sentence: give one reason, not a thousand.")
                   if rules.sentences(text) > 1 else "")
        return Writes(_("Reason saved"), offboarding={"reason": text or UNSET}, warning=warning)


class Notice(StepSpec):
    id, title = "notice", N_("Give enough notice")

    def state(self, v: View) -> Step:
        end = l10n.date(notice_end(v.client, v.settings, v.today))
        period = dates.show_period(str(v.off.get("notice", v.settings.notice)))
        regular = bool(v.client.regular)
        if "deliverable" in v.off:
            how = (_("until the deliverable of {day}") if regular else
                   _("until the deliverable of {day} (not regular work: notice is a courtesy)")
                   ).format(day=end)
        else:
            how = (_("{period}: ends {day}") if regular else
                   _("{period}: ends {day} (not regular work: notice is a courtesy)")
                   ).format(period=period, day=end)
        chosen = "notice" in v.off or "deliverable" in v.off
        return self.make(DONE if chosen else TODO, how)

    def act(self, v: View, answer: Answer | None) -> Act:
        if answer is None:
            current = str(v.off.get("notice") or v.off.get("deliverable") or v.settings.notice)
            if "deliverable" not in v.off:  # a period: in the reader's words ("30 días")
                current = dates.show_period(current)
            return Question(self.id, "text",
                            _("Notice: a period, or the date of a major deliverable"),
                            _('"30 days", "2 weeks", "1 month", or a date such as 2026-12-20'),
                            value=current)
        text = answer.text.strip()
        if not text:
            return Refusal(_("Give a period (30 days) or a date."))
        try:
            period = dates.english_period(text)
            return Writes(_("Notice saved"), offboarding={"notice": period,
                                                          "deliverable": UNSET})
        except ValueError:
            pass
        try:
            when = dates.parse_when(text, v.now, v.settings.tz)
        except (ValueError, OverflowError):
            return Refusal(_("{text} is not a period (30 days, 2 weeks, 1 month) or a date")
                           .format(text=repr(text)))
        day = when.date() if isinstance(when, datetime) else when
        if day < v.today and not any(part.isdigit() and len(part) == 4
                                     for part in text.replace("-", " ").replace("/", " ")
                                     .split()):  # no year given: `15 ene` is the next one
            from dateutil.relativedelta import relativedelta

            day = day + relativedelta(years=1)
        if day < v.today:
            return Refusal(_("{day} has passed: the notice would be over before it starts")
                           .format(day=l10n.date(day)))
        return Writes(_("Notice saved"), offboarding={"deliverable": day, "notice": UNSET})


class Referral(StepSpec):
    id, title = "referral", N_("Offer alternatives")

    def state(self, v: View) -> Step:
        referral = v.off.get("referral")
        if isinstance(referral, str) and referral.strip():
            return self.make(DONE, referral.strip())
        if v.off.get("referral_skipped") is True and v.client.disrespectful:
            return self.make(SKIPPED, _("skipped: the client was disrespectful"))
        if v.off.get("referral_skipped") is True:
            return self.make(WARN,
                             _("skipped, but only a disrespectful client may go without one"))
        return self.make(TODO, _("a colleague, or the kind of provider that would suit "
                                 "(may be skipped: disrespectful)") if v.client.disrespectful
                         else _("a colleague, or the kind of provider that would suit"))

    def act(self, v: View, answer: Answer | None) -> Act:
        if answer is None:
            return Question(self.id, "text", _("Who or what would suit them better?"),
                            _("A colleague, or 'a full-service agency'. Empty skips it "
                              "(disrespectful clients only)."),
                            value=str(v.off.get("referral", "")))
        text = answer.text.strip()
        if text:
            return Writes(_("Referral saved"),
                          offboarding={"referral": text, "referral_skipped": UNSET})
        if v.client.disrespectful:
            return Writes(_("Referral skipped"),
                          offboarding={"referral_skipped": True, "referral": UNSET})
        return Refusal(_("Only a client marked disrespectful may go without a referral."))


class Meeting(StepSpec):
    id, title = "meeting", N_("Tell them face to face")
    KEYS = {"in-person": "i", "phone": "p", "video": "v"}

    def _unpaid(self, v: View) -> str:
        """'2 invoices unpaid, 1,200.00 owed' ("" when nothing holds the step back)."""
        n = len(v.unpaid)
        return ngettext("{count} invoice unpaid, {owed} owed", "{count} invoices unpaid, "
                        "{owed} owed", n).format(count=n, owed=l10n.amount(v.owed, v.settings.currency))

    def held(self, v: View) -> str:
        if not v.decided:
            return _("decide first")
        if v.unpaid and v.off.get("proceed_unpaid") is not True:
            return _("held: {why}").format(why=self._unpaid(v))
        return ""

    def state(self, v: View) -> Step:
        told = v.done_on("told")
        meeting = v.off.get("meeting")
        if told:
            return self.make(DONE, _("told {day} ({meeting})").format(
                day=told, meeting=label(meeting)) if isinstance(meeting, str)
                else _("told {day}").format(day=told))
        held = self.held(v)
        return self.make(HELD if held else TODO,
                         _("in person, by phone or by video; never just stop answering"), held)

    def not_done(self, v: View) -> list[str]:
        """The steps before this one that are not done yet."""
        return [_(spec.title) for spec in STEPS[1:STEPS.index(self)]
                if spec.state(v).state == TODO]

    def act(self, v: View, answer: Answer | None) -> Act:
        if self.held(v):
            if not v.decided:
                return Refusal(_("Held back: decide first. (Step 4: mark them paid, or "
                                 "proceed without payment.)"))
            return Refusal(_("Held back: {why}. (Step 4: mark them paid, or proceed without "
                             "payment.)").format(why=self._unpaid(v)))
        missing = self.not_done(v)
        if missing and not v.off.get("told_early"):
            if answer is None or answer.choice:
                return Question(self.id, "text",
                                _("Not done yet: {steps}.").format(steps="; ".join(missing)),
                                _("Tell them anyway? Say why (it is recorded), or Esc and do "
                                  "those first."), placeholder=_("why now"))
            if not answer.text.strip():
                return Refusal(_("Say why, or do those steps first."))
            return Writes(_("Noted why now"), offboarding={"told_early": answer.text.strip()},
                          then=self.id)
        if answer is None:
            return Question(self.id, "choice", _("How did you tell them? (Never by email.)"),
                            options=tuple(Option(self.KEYS[m], label(m), m) for m in MEETINGS),
                            value=str(v.off.get("meeting", "video")),
                            text_label=_("When"),
                            placeholder=_("now (or today, -2h, 2026-11-20 23:14)"))
        if answer.choice not in MEETINGS:
            return Refusal(_("in person, by phone or by video: never by email"))
        try:
            when = dates.parse_when(answer.text, v.now, v.settings.tz, past=True)
        except (ValueError, OverflowError) as e:
            return Refusal(str(e))
        instant = dates.to_aware(when, v.settings.tz)
        if instant > v.now + AHEAD:
            return Refusal(_("{when} is in the future: tell them first, then record it")
                           .format(when=l10n.moment(when)))
        decided = v.off.get("decided")
        if isinstance(decided, date) and rules.before(when, decided, v.settings):
            return Refusal(_("{when} is before the decision of {decided}: decide, then tell "
                             "them").format(when=l10n.moment(when),
                                            decided=l10n.moment(decided)))
        return Writes(_("Told them ({meeting})").format(meeting=label(answer.choice)),
                      offboarding={"meeting": answer.choice, "told": when})


class End(StepSpec):
    id, title = "end", N_("Close the relationship")

    def state(self, v: View) -> Step:
        ended = v.done_on("ended")
        if ended or v.client.status == "ended":
            return self.make(DONE, _("ended {day}").format(day=ended) if ended
                             else _("status: {status}").format(status=label("ended")))
        end = notice_end(v.client, v.settings, v.today)
        return self.make(TODO, _("mark it ended when the notice ends ({day})")
                         .format(day=l10n.date(end)))

    def act(self, v: View, answer: Answer | None) -> Act:
        c = v.client
        if c.status == "ended":
            return Refusal(_("{client}: the relationship has already ended").format(client=c.id),
                           kind=NOTHING)
        if "told" not in v.off:
            return Refusal(_("Tell them first (step 8): never just stop answering."))
        end = notice_end(c, v.settings, v.today)
        if end > v.today:
            if answer is None or answer.choice:
                return Question(self.id, "text",
                                _("The notice runs until {day}. End it now anyway?")
                                .format(day=l10n.date(end)),
                                _("Say why (it is recorded), or Esc and wait."),
                                placeholder=_("why now"))
            if not answer.text.strip():
                return Refusal(_("Say why, or wait until the notice ends on {day}.")
                               .format(day=l10n.date(end)))
            return Writes(_("{client}: ended").format(client=c.id),
                          offboarding={"ended": v.today, "ended_early": answer.text.strip()},
                          client={"status": "ended"})
        if answer is None:
            return Question(self.id, "confirm", _("Mark {name} as ended?").format(name=c.name),
                            value=YES)
        return Writes(_("{client}: ended").format(client=c.id), offboarding={"ended": v.today},
                      client={"status": "ended"})


STEPS: tuple[StepSpec, ...] = (Decide(), Contract(), Obligations(), Invoices(), Reason(),
                               Notice(), Referral(), Meeting(), End())
"""The checklist, in order: one class a step."""

BY_ID = {s.id: s for s in STEPS}


def build(c: Client, s: Settings, now: datetime) -> Checklist:
    """Every step of the checklist for one client, at `now`."""
    v = View(c, s, now)
    return Checklist(tuple(spec.state(v) for spec in STEPS), notice_end(c, s, v.today))


def act(c: Client, s: Settings, now: datetime, step: str, answer: Answer | None) -> Act:
    """Do step `step` of client `c`'s checklist: what it writes, a refusal, or a question."""
    spec = BY_ID.get(step)
    if spec is None:
        return Refusal(_("no step {step}").format(step=repr(step)))
    v = View(c, s, now)
    if not spec.before_decision and not v.decided:
        return Refusal(_("Decide first (d): the checklist starts with the decision."))
    return spec.act(v, answer)
