"""The domain in Spanish: the checklist's steps, refusals and questions, the file's
validation messages, the rules' warnings, the what-if, what is due, date parse errors;
Spanish words typed for a moment (read whatever the reader's language); and English as
it always was."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from dateutil import tz

from clientfit_tui.domain import checklist, dates, due, money, report, rules, values, vocab
from clientfit_tui.domain.checklist import Writes
from clientfit_tui.domain.model import Client, Data, Incident, Invoice, Settings, load_data
from clientfit_tui.domain.outcome import Answer, Question, Refusal
from clientfit_tui.i18n import set_language

Z = tz.gettz("Europe/Madrid")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=Z)  # a Friday
S = Settings(timezone="Europe/Madrid", tz=Z, rate=50.0, currency="EUR")
UNPAID = Invoice("2026-029", 980.5, date(2026, 10, 15), None, 0)


def incident(at: datetime, index: int = 0, severity: int = 1, minutes: float = 0.0) -> Incident:
    return Incident(at, "other", severity, minutes, "", index, dates.to_aware(at, Z))


HOT = incident(datetime(2026, 11, 26, 23, 14), severity=2, minutes=30.0)


def make(off: dict | None = None, invoices: tuple[Invoice, ...] = (), **kw: object) -> Client:
    return Client(id="acme", name="ACME", offboarding=off, invoices=invoices,  # type: ignore[arg-type]
                  revenue=12000.0, hours=300.0, **kw)


def texts(lang: str, make_texts) -> list[str]:  # type: ignore[no-untyped-def]
    set_language(lang)
    try:
        return list(make_texts())
    finally:
        set_language("en")


def both(make_texts) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Each text in English and in Spanish, side by side."""
    en, es = texts("en", make_texts), texts("es", make_texts)
    assert len(en) == len(es)
    return list(zip(en, es, strict=True))


# -- the checklist ------------------------------------------------------------------------

STARTED = {"decided": datetime(2026, 11, 20, 9, 0)}


def checklist_texts() -> list[str]:
    out = []
    for c in (make(None, incidents=(HOT,)), make(STARTED, (UNPAID,)),
              make({**STARTED, "told": date(2026, 11, 21), "meeting": "video",
                    "referral_skipped": True, "reason": "One. Two."})):
        cl = checklist.build(c, S, NOW.astimezone(UTC))
        for st in cl.steps:
            out += [st.title, st.detail] + ([st.why_held] if st.why_held else [])
    return out


def test_every_step_title_and_detail_is_spanish() -> None:
    pairs = both(checklist_texts)
    # a step's detail may be the client's own words (a referral, a reason in quotes)
    changed = [(en, es) for en, es in pairs if en != es]
    assert len(changed) >= len(pairs) - 2, [p for p in pairs if p[0] == p[1]]
    titles = texts("es", lambda: [st.title for st in checklist.build(make(None), S, NOW).steps])
    assert titles == ["Decidir, con calma", "Revisar el contrato a fondo",
                      "Cumplir y entregar lo pagado",
                      "Cobrar antes de comunicárselo", "Un solo motivo, breve",
                      "Dar suficiente aviso", "Ofrecer alternativas",
                      "Comunicárselo cara a cara", "Cerrar la relación"]


def test_step_titles_in_english_are_unchanged() -> None:
    titles = [st.title for st in checklist.build(make(None), S, NOW).steps]
    assert titles[0] == "Decide, calmly" and titles[7] == "Tell them face to face"


def test_cooling_off_refusal_in_spanish(spanish: None) -> None:
    got = checklist.act(make(None, incidents=(HOT,)), S, NOW.astimezone(UTC), "decide", None)
    assert isinstance(got, Refusal)
    assert got.reason == ("acme: rechazado: periodo de calma hasta el 29 nov 2026 23:14 "
                          "(quedan 2\xa0d 13\xa0h). Nunca decidas en caliente.")


def test_cooling_off_refusal_in_english() -> None:
    got = checklist.act(make(None, incidents=(HOT,)), S, NOW.astimezone(UTC), "decide", None)
    assert isinstance(got, Refusal)
    assert got.reason == ("acme: refused: cooling off until 2026-11-29 23:14 (2d 13h left). "
                          "Never decide in the heat of the moment.")


def act(c: Client, step: str, answer: Answer | None = None) -> object:
    return checklist.act(c, S, NOW.astimezone(UTC), step, answer)


def refusals() -> list[str]:
    told = {**STARTED, "told": date(2026, 11, 21)}
    got = [act(make(None), "notice"),
           act(make(STARTED), "notice", Answer(text="2026-11-01")),
           act(make(STARTED), "notice", Answer(text="whenever")),
           act(make(STARTED), "referral", Answer(text="")),
           act(make(STARTED), "end"),
           act(make(told), "end", Answer(text="")),
           act(make(STARTED, (UNPAID,)), "meeting"),
           act(make(STARTED), "invoices"),
           act(make(STARTED), "decide"),
           act(make(STARTED), "nope"),
           act(make({**STARTED, "told_early": "x"}), "meeting", Answer("email", "now")),
           act(make({**STARTED, "told_early": "x"}), "meeting", Answer("phone", "mañana")),
           act(make({**STARTED, "told_early": "x"}), "meeting", Answer("phone", "2026-11-19"))]
    assert all(isinstance(r, Refusal) for r in got), got
    return [r.reason for r in got]  # type: ignore[union-attr]


def test_refusals_in_spanish() -> None:
    pairs = both(refusals)
    for en, es in pairs:
        assert en != es
    es = [p[1] for p in pairs]
    assert es[0] == "Decide primero (d): la lista de pasos empieza con la decisión."
    assert es[1] == "1 nov 2026 ya ha pasado: el preaviso acabaría antes de empezar"
    assert es[4] == "Comunícaselo primero (paso 8): nunca dejes simplemente de responder."
    assert "1 factura sin pagar, 980,50\xa0€ por cobrar" in es[6]
    assert es[11] == "no se puede leer 'mañana': mañana aún no ha llegado"
    assert es[12] == ("19 nov 2026 es anterior a la decisión del 20 nov 2026 09:00: decide y "
                      "luego comunícaselo")


def test_refusals_in_english_are_unchanged() -> None:
    got = refusals()
    assert got[1] == "2026-11-01 has passed: the notice would be over before it starts"
    assert got[6] == ("Held back: 1 invoice unpaid, 980.50 EUR owed. (Step 4: mark them paid, "
                      "or proceed without payment.)")
    assert got[12] == ("2026-11-19 is before the decision of 2026-11-20 09:00: decide, then "
                       "tell them")


def questions() -> list[str]:
    got = [act(make(None), "decide"), act(make(STARTED, (UNPAID,)), "invoices"),
           act(make(STARTED), "reason"), act(make(STARTED), "notice"),
           act(make(STARTED), "referral"), act(make(STARTED), "meeting"),
           act(make({**STARTED, "told_early": "x"}), "meeting"),
           act(make({**STARTED, "told": date(2026, 11, 21)}), "end"),
           act(make({**STARTED, "contract_reviewed": date(2026, 11, 21)}), "contract")]
    out = []
    for q in got:
        assert isinstance(q, Question), q
        out += [q.title] + [x for x in (q.detail, q.placeholder, q.text_label) if x]
        out += [o.label for o in q.options if not o.label.startswith("2026-029")]
    return out


def test_questions_in_spanish() -> None:
    pairs = both(questions)
    assert [p for p in pairs if p[0] == p[1]] == []
    es = [p[1] for p in pairs]
    assert "¿Empezar la despedida de ACME?" in es
    assert {"en persona", "por teléfono", "por vídeo", "Cuándo"} <= set(es)


def test_a_notice_day_without_a_year_is_the_next_one(spanish: None) -> None:
    got = act(make(STARTED), "notice", Answer(text="15 de enero"))
    assert isinstance(got, Writes) and got.offboarding["deliverable"] == date(2027, 1, 15)
    got = act(make(STARTED), "notice", Answer(text="15 ene 2026"))  # a year given: kept
    assert isinstance(got, Refusal) and "ya ha pasado" in got.reason


def test_the_notice_is_offered_in_the_readers_words(spanish: None) -> None:
    q = act(make(STARTED), "notice")
    assert isinstance(q, Question) and q.value == "30 días"
    q = act(make({**STARTED, "notice": "2 weeks"}), "notice")
    assert isinstance(q, Question) and q.value == "2 semanas"


def test_a_notice_in_spanish_words_is_written_in_english(spanish: None) -> None:
    got = act(make(STARTED), "notice", Answer(text="2 semanas"))
    assert isinstance(got, Writes) and got.offboarding["notice"] == "2 weeks"
    step = checklist.build(make({**STARTED, "notice": "2 weeks"}), S, NOW).step("notice")
    assert step.detail.startswith("2 semanas: termina el 11 dic 2026")


# -- dates ---------------------------------------------------------------------------------

UTCZ = tz.gettz("UTC")
WED = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize(("text", "past", "expected"), [
    ("ahora", False, datetime(2026, 11, 25, 10, 0)),
    ("hoy", True, date(2026, 11, 25)),
    ("ayer", True, date(2026, 11, 24)),
    ("AYER 22:10", True, datetime(2026, 11, 24, 22, 10)),
    ("hoy 9:00", True, datetime(2026, 11, 25, 9, 0)),
    ("mañana", False, date(2026, 11, 26)),
    ("manana 10:00", False, datetime(2026, 11, 26, 10, 0)),
    ("vie 10:00", True, datetime(2026, 11, 20, 10, 0)),
    ("viernes", False, date(2026, 11, 27)),
    ("lun", True, date(2026, 11, 23)),
    ("lunes 08:30", False, datetime(2026, 11, 30, 8, 30)),
    ("mar 10:00", True, datetime(2026, 11, 24, 10, 0)),
    ("martes", False, date(2026, 12, 1)),
    ("mié", True, date(2026, 11, 25)),
    ("mie 9:00", True, datetime(2026, 11, 25, 9, 0)),
    ("miércoles", True, date(2026, 11, 25)),
    ("jue", True, date(2026, 11, 19)),
    ("jueves", False, date(2026, 11, 26)),
    ("sáb 12:00", True, datetime(2026, 11, 21, 12, 0)),
    ("sab", False, date(2026, 11, 28)),
    ("sábado", True, date(2026, 11, 21)),
    ("dom", True, date(2026, 11, 22)),
    ("domingo", False, date(2026, 11, 29)),
    ("5 dic 2026", False, date(2026, 12, 5)),
    ("5 mar 2026", True, date(2026, 3, 5)),
    ("5 de dic", False, date(2026, 12, 5)),
    ("el 1 de diciembre a las 17:00", False, datetime(2026, 12, 1, 17, 0)),
    ("ayer a las 22:10", True, datetime(2026, 11, 24, 22, 10)),
    ("el lunes", True, date(2026, 11, 23)),
    ("lunes pasado", True, date(2026, 11, 23)),
    ("anoche", True, datetime(2026, 11, 24, 22, 0)),
    ("esta mañana a las 8", True, datetime(2026, 11, 25, 8, 0)),
    # English keeps working
    ("now", False, datetime(2026, 11, 25, 10, 0)),
    ("yesterday 22:10", True, datetime(2026, 11, 24, 22, 10)),
    ("today", True, date(2026, 11, 25)),
    ("fri 10:00", True, datetime(2026, 11, 20, 10, 0)),
    ("Mar 5", True, date(2026, 3, 5)),
    ("-2h", True, datetime(2026, 11, 25, 8, 0)),
    ("last monday", True, date(2026, 11, 23)),
    ("last night", True, datetime(2026, 11, 24, 22, 0)),
    ("this morning", True, datetime(2026, 11, 25, 9, 0)),
])
def test_spanish_and_english_words_are_read(lang: str, text: str, past: bool,
                                            expected: date) -> None:
    set_language(lang)
    assert dates.parse_when(text, WED, UTCZ, past=past) == expected


def test_date_parse_errors_in_spanish(spanish: None) -> None:
    with pytest.raises(ValueError) as e:
        dates.parse_when("blah", WED, UTCZ)
    assert str(e.value) == "no se puede leer 'blah': no es una fecha ni una hora"
    with pytest.raises(ValueError) as e:
        dates.parse_when("ayer fri", WED, UTCZ, past=True)
    assert "después de ayer, indica una hora del día" in str(e.value)
    with pytest.raises(ValueError) as e:
        dates.parse_when("2h", WED, UTCZ, past=True)
    assert "sin signo: escribe -2h" in str(e.value)
    with pytest.raises(ValueError) as e:
        dates.check_period("soon")
    assert str(e.value) == "no es un periodo: 'soon' (prueba '30 días', '2 semanas' o '1 mes')"
    with pytest.raises(ValueError) as e:
        dates.zone("Mars/Base")
    assert str(e.value) == "zona horaria desconocida 'Mars/Base'"


def test_date_parse_errors_in_english() -> None:
    with pytest.raises(ValueError) as e:
        dates.parse_when("blah", WED, UTCZ)
    assert str(e.value) == "cannot read 'blah': not a date or time"
    with pytest.raises(ValueError) as e:
        dates.check_period("soon")
    assert str(e.value) == "not a period: 'soon' (try '30 days', '2 weeks' or '1 month')"


# -- the file's messages, the rules, money, what is due -------------------------------------

BAD = {"settings": {"cooling_off_days": "3", "work_hours": "9-6", "currency": "eur"},
       "clients": {"Bad Id": {"name": ""},
                   "acme": {"name": "ACME", "status": "gone", "revenue": -1,
                            "incidents": [{"at": "yesterday", "kind": "other"}]}}}


def problems() -> list[str]:
    data, found = load_data(BAD)
    assert data is None
    return [p.message for p in found]


def test_file_problems_in_spanish() -> None:
    pairs = both(problems)
    assert [p for p in pairs if p[0] == p[1]] == []
    es = [p[1] for p in pairs]
    assert "'cooling_off_days' debe ser un número entero; hay un texto" in es
    assert "'revenue' debe ser 0 o más; hay -1" in es


def warnings() -> list[str]:
    c = make({"decided": datetime(2026, 11, 20, 9, 0), "told": date(2026, 11, 19),
              "ended": date(2026, 11, 25), "referral_skipped": True, "reason": "A. B."},
             (UNPAID,), incidents=(incident(datetime(2026, 11, 19, 9, 0)),
                                   incident(datetime(2026, 12, 19, 9, 0), 1)))
    data = Data(S, {"acme": c})
    out = [p.message for p in rules.warnings(data)]
    out += [p.message for p in rules.future_problems(data, NOW.astimezone(UTC))]
    r = report.build(c, S, NOW.astimezone(UTC))
    return out + list(r.loose_ends) + [vocab.label(ln.state) for ln in r.invoices]


def test_warnings_and_loose_ends_in_spanish() -> None:
    pairs = both(warnings)
    assert [p for p in pairs if p[0] == p[1]] == []
    es = [p[1] for p in pairs]
    assert ("se les comunicó con 1 factura vencida sin pagar (paso 4: cobra primero, o "
            "proceed_unpaid)") in es
    assert "factura 2026-029: 980,50\xa0€ sin pagar, 43 días de retraso" in es
    assert "vencida" in es


def whatif() -> list[str]:
    other = Client(id="beta", name="Beta", revenue=30000.0, hours=None)
    data = Data(S, {"acme": make(None, incidents=(HOT,)), "beta": other})
    w = money.whatif(data, NOW.astimezone(UTC), ["acme"])
    c = money.client_money(data.clients["acme"], S, NOW.astimezone(UTC))
    return money.whatif_lines(w, S) + money.client_lines(c, S)


def test_whatif_and_money_lines_in_spanish() -> None:
    pairs = both(whatif)
    assert [p for p in pairs if p[0] == p[1]] == []
    es = [p[1] for p in pairs]
    assert es[0] == "Sin acme (1 de 2 clientes):"
    # the texts start in one column, after the longest label
    assert es[1].startswith("  ingresos perdidos   12.000,00\u00a0€ al año, 29\u00a0% de ")
    assert es[2] == "  problemas evitados  100\u00a0% (2 de 2)"
    assert es[3].startswith("  horas liberadas    ")


def test_whatif_in_english_is_unchanged() -> None:
    lines = whatif()
    assert lines[0] == "Without acme (1 of 2 clients):"
    assert lines[1].startswith("  revenue lost     12,000.00 EUR a year, 29% of ")
    assert lines[2] == "  trouble removed  100% (2 of 2)"


def due_texts() -> list[str]:
    c = make({"decided": datetime(2026, 11, 20, 9, 0), "told": date(2026, 11, 1)},
             (UNPAID,), status="offboarding")
    d = due.due(Data(S, {"acme": c}), NOW.astimezone(UTC), 30)
    return due.brief(d, S) + [n.said for n in d.notices] + [
        due.days_text(n) for n in (0, 1, -1, 3, -4)]


def test_due_in_spanish() -> None:
    pairs = both(due_texts)
    assert [p for p in pairs if p[0] == p[1]] == []
    es = [p[1] for p in pairs]
    assert "30 días desde el 1 nov 2026" in es
    assert es[-5:] == ["hoy", "mañana", "ayer", "en 3 días", "hace 4 días"]


def test_due_in_english_is_unchanged() -> None:
    got = due_texts()
    assert "30 days from 2026-11-01" in got
    assert got[-5:] == ["today", "tomorrow", "yesterday", "in 3 days", "4 days ago"]


def test_values_in_spanish(spanish: None) -> None:
    with pytest.raises(ValueError) as e:
        values.read_minutes("lots")
    assert str(e.value) == "no es un número de minutos: \"lots\" (prueba 20, 90m, 1h30 o 1:30)"
    assert values.text_problem("a\udcff", "la nota") == (
        "la nota no es texto UTF-8 (byte 0xff): comprueba la codificación del terminal o de "
        "la entrada")
    assert money.fmt_effective(money.client_money(Client(id="x", name="X"), S, NOW)) == "sin horas"
    assert money.dec(1) == Decimal(1)


def test_a_tick_is_said_by_the_step_title_not_its_id() -> None:
    """"Marcado: Cumple…", never "Marcado: obligations": the id is the file's word."""
    def said() -> list[str]:
        ticked = act(make(STARTED), "obligations", None)
        unticked = act(make({**STARTED, "contract_reviewed": date(2026, 11, 21)}),
                       "contract", Answer(checklist.UNTICK))
        assert isinstance(ticked, Writes) and isinstance(unticked, Writes)
        return [ticked.said, unticked.said]

    for en, es in both(said):
        assert "obligations" not in es and "contract" not in es, es
        assert en != es
    en, es = both(said)[0]
    assert en == "Ticked: Meet your obligations; deliver what was paid for"
    assert es.startswith("Marcado: ")
