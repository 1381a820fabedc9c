"""The store, the actions and the meeting script in Spanish (and English unchanged)."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from string import Template

import pytest
from dateutil import tz

from clientfit_tui import template, templates
from clientfit_tui.actions import (
    Change,
    Question,
    Refusal,
    imports as imp,
    incidents as inc,
    offboarding as off,
)
from clientfit_tui.domain import script
from clientfit_tui.domain.model import Client, Invoice, Settings
from clientfit_tui.store.copies import copies_message
from clientfit_tui.store.store import InvalidFile, Snapshot, Store

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # 10:00 in Madrid, a Friday
Z = tz.gettz("Europe/Madrid")
S = Settings(timezone="Europe/Madrid", tz=Z)
READY = {"decided": datetime(2026, 11, 18, 9, 30), "contract_reviewed": date(2026, 11, 19),
         "obligations_met": date(2026, 11, 20),
         "reason": "Ya no creo que mis servicios se ajusten a lo que necesitáis.",
         "meeting": "video", "notice": "30 days",
         "referral": "Ana Ruiz, de Estudio Norte"}
ENGLISH = re.compile(r"\b(the|and|of|to|is|for|by|with|not|step|invoice|missing|held|"
                     r"nothing|days?|late|due|none|until|from|before|after|call|say|never|"
                     r"still|thank|work|notice|reason|alternatives)\b", re.I)
"""Words of an English sentence (none of them is a Spanish word)."""


@pytest.fixture
def snap(sample_file: Path) -> Snapshot:
    return Store(sample_file).load()


def client(off: dict | None = None, **kw: object) -> Client:
    return Client(id="norte", name="Estudio Norte", contact="Lucía Gómez", offboarding=off,
                  **kw)  # type: ignore[arg-type]


def broken(tmp_path: Path, content: bytes) -> tuple[Path, str]:
    p = tmp_path / "c.toml"
    p.write_bytes(content)
    with pytest.raises(InvalidFile) as e:
        Store(p).load()
    return p, e.value.lines[0]


# -- check's messages: the prefix as it is, the message translated -------------------

@pytest.mark.parametrize(("content", "where", "english", "in_spanish"), [
    (b'[clients.acme\nname = "A"\n', "1:14", "expected ']'", "se esperaba ']'"),
    (b'[clients.acme]\nname = "A"\nname = "B"\n', "3:", "cannot overwrite a value",
     "no se puede escribir un valor dos veces (una clave repetida)"),
    (b'[clients.acme]\nname = "A"\n[clients.acme]\n', "3:", "cannot declare clients.acme twice",
     "no se puede declarar clients.acme dos veces"),
    (b'[clients.acme]\nname = "A\xff"\n', "2:10", "not valid UTF-8 (byte 0xff)",
     "no es UTF-8 válido (byte 0xff)"),
    (b'[clients.acme]\rname = "A"\n', "1:15", "expected newline",
     "se esperaba un salto de línea"),
    (b'x = ' + b'[' * 150 + b']' * 150 + b'\n', "1:1", "nested too deeply",
     "anidado demasiado hondo"),
    (b'[clients.acme]\n<<<<<<< ours\nname = "A"\n=======\nname = "B"\n>>>>>>> theirs\n', "2:1",
     "an unresolved merge conflict", "un conflicto de fusión sin resolver"),
])
def test_a_broken_file_is_said_in_the_readers_language_after_its_place(
        tmp_path: Path, content: bytes, where: str, english: str, in_spanish: str,
        request: pytest.FixtureRequest) -> None:
    p, first = broken(tmp_path, content)
    assert first.startswith(f"{p}:{where}") and english in first, first
    request.getfixturevalue("spanish")
    p, first = broken(tmp_path, content)
    assert first.startswith(f"{p}:{where}"), first
    assert in_spanish in first and english not in first, first
    assert re.match(rf"{re.escape(str(p))}:\d+:\d+: \S", first)


def test_check_says_it_in_spanish_on_the_command_line(tmp_path: Path, spanish: None) -> None:
    p = tmp_path / "c.toml"
    p.write_bytes(b'[clients.acme]\nname = "A"\nname = "B"\n')
    r = subprocess.run([sys.executable, "-m", "clientfit_tui", "--file", str(p), "check"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.startswith(f"{p}:3:"), r.stderr
    assert "no se puede escribir un valor dos veces (una clave repetida)" in r.stderr


def test_the_stores_refusals_in_spanish(tmp_path: Path, spanish: None) -> None:
    from clientfit_tui.store.errors import StoreError

    with pytest.raises(StoreError) as e:
        Store(tmp_path / "none.toml").load()
    assert str(e.value) == f"{tmp_path / 'none.toml'}: no existe el archivo"
    with pytest.raises(StoreError) as e:
        Store(tmp_path).load()
    assert str(e.value).endswith(": es una carpeta, no un archivo")


def test_a_sync_copy_is_said_in_spanish(tmp_path: Path, spanish: None) -> None:
    p = tmp_path / "clients.toml"
    p.write_text("")
    (tmp_path / "clients.sync-conflict-20261127-ABC.toml").write_text("")
    said = copies_message(str(p))
    assert said is not None
    assert said.startswith("Una herramienta de sincronización dejó una copia")
    assert "clientfit merge --two" in said


# -- actions ------------------------------------------------------------------------

def test_an_actions_refusal_in_spanish(snap: Snapshot, spanish: None) -> None:
    out = inc.log(snap, NOW, inc.IncidentInput("gecko", "2027-03-01"))
    assert isinstance(out, Refusal)
    assert "está en el futuro" in out.reason and "future" not in out.reason
    assert out.reason.startswith("1 mar 2027 está en el futuro"), out.reason  # not ISO
    out = inc.log(snap, NOW, inc.IncidentInput("gecko", "now", severity=4))
    assert isinstance(out, Refusal) and out.reason == "la gravedad es 1, 2 o 3"
    out = off.act(snap, NOW, "nadie", "decide")
    assert isinstance(out, Refusal) and out.reason == "no hay ningún cliente 'nadie'"


def test_what_an_action_did_and_asks_in_spanish(snap: Snapshot, spanish: None) -> None:
    out = inc.log(snap, NOW, inc.IncidentInput("gecko", "2026-11-21 11:00"))
    assert isinstance(out, Change) and out.said == "Se registró un incidente de gecko: fuera de horario"
    q = off.act(snap, NOW, "gecko", "review")
    assert isinstance(q, Question)
    assert q.title.startswith("Has considerado terminar con") and q.text_label == "Nota"
    assert [o.label for o in q.options] == ["seguir", "terminar"]


def test_the_same_action_in_english_is_unchanged(snap: Snapshot) -> None:
    out = inc.log(snap, NOW, inc.IncidentInput("gecko", "2026-11-21 11:00"))
    assert isinstance(out, Change) and out.said == "Logged after-hours for gecko"
    q = off.act(snap, NOW, "gecko", "review")
    assert isinstance(q, Question) and [o.label for o in q.options] == ["keep", "end"]


def test_import_counts_and_errors_in_spanish(snap: Snapshot, spanish: None) -> None:
    _rows, errors = imp.read_csv("type,client,nope\n", "h.csv")
    assert errors == ["h.csv:1: columna desconocida 'nope' (las columnas: "
                      + ", ".join(imp.sheet.COLUMNS) + ")"]
    add = imp.Add(2, "gecko", "incidents", {})
    assert imp.counted((add, add)) == "2 incidentes"
    assert imp.counted((add, imp.Add(3, "gecko", "invoices", {}))) == "1 incidente y 1 factura"
    assert imp.counted(()) == "nada"


# -- the meeting script ---------------------------------------------------------------

def placeholders(text: str) -> set[str]:
    return {m.group("named") or m.group("braced") for m in Template.pattern.finditer(text)
            if m.group("named") or m.group("braced")}


def test_the_templates_of_both_languages_have_the_same_placeholders() -> None:
    for name in templates.NAMES:
        en, es = templates.default(name, "en"), templates.default(name, "es")
        assert en != es
        assert placeholders(en) == placeholders(es)
        script.check(es, f"es/{name}")


def test_the_spanish_script_has_no_english_sentence(spanish: None) -> None:
    c = client(READY)
    text = templates.whole(script.values(c, S, NOW))
    assert "$" not in text
    mine = text
    for v in (c.name, c.contact, READY["reason"], READY["referral"]):
        mine = mine.replace(str(v), "")
    assert ENGLISH.search(mine) is None, ENGLISH.search(mine)
    assert "GUION DE LA REUNIÓN: Estudio Norte, con Lucía Gómez (27 de noviembre de 2026)" in text
    assert "Cómo: por vídeo." in text
    assert "El trabajo termina el 27 de diciembre de 2026." in text
    assert "30 días, contado desde el día en que se lo comuniques" in text
    assert "Mi último día de trabajo para Estudio Norte es el 27 de diciembre de 2026." in text
    assert "Todas las facturas hasta hoy están pagadas." in text


def test_the_spanish_script_reads_invoices_as_spanish_does(spanish: None) -> None:
    unpaid = (Invoice("2026-029", 1980.5, date(2026, 10, 15), None, 0),)
    v = script.values(client(READY, invoices=unpaid), S, NOW)
    assert v["invoices"].startswith("Factura 2026-029: 1.980,50, vence el 15 de octubre de "
                                    "2026 (43 días de retraso).\n[en espera: cobra antes")
    assert "La factura 2026-029 (1.980,50, vence el 15 de octubre de 2026) sigue pendiente " \
        "de pago." in v["loose_ends"]
    euros = Settings(timezone="Europe/Madrid", tz=Z, currency="EUR")
    v = script.values(client(READY, invoices=unpaid), euros, NOW)
    assert v["invoices"].startswith("Factura 2026-029: 1.980,50\xa0€, vence el 15 de octubre")
    assert "La factura 2026-029 (1.980,50\xa0€, vence el 15 de octubre de 2026) sigue " \
        "pendiente de pago." in v["loose_ends"]


def test_the_english_script_names_the_currency_and_keeps_iso_dates() -> None:
    unpaid = (Invoice("2026-029", 1980.5, date(2026, 10, 15), None, 0),)
    euros = Settings(timezone="Europe/Madrid", tz=Z, currency="EUR")
    v = script.values(client(READY, invoices=unpaid), euros, NOW)
    assert "Invoice 2026-029 (1,980.50 EUR, due 2026-10-15) is still to be paid." \
        in v["loose_ends"]
    v = script.values(client(READY, invoices=unpaid), S, NOW)
    assert "Invoice 2026-029 (1,980.50, due 2026-10-15) is still to be paid." in v["loose_ends"]


def test_what_is_missing_is_said_in_spanish(spanish: None) -> None:
    v = script.values(client({"decided": datetime(2026, 11, 18, 9, 30)}), S, NOW)
    assert v["end_date"] == "[falta: la fecha de fin (paso 6)]"
    assert v["meeting"] == "[falta: elige en persona, por teléfono o por vídeo (paso 8)]"
    assert v["reason"].startswith("[falta: un motivo breve, p. ej.")
    assert v["notice"].startswith("[falta: el preaviso: el de por defecto, 30 días, terminaría")
    assert not any("[missing" in x for x in v.values())
    assert set(script.described()) == set(script.PLACEHOLDERS)
    assert script.described()["today"] == "la fecha de hoy"


def test_the_english_script_is_unchanged() -> None:
    v = script.values(client(READY), S, NOW)
    assert v["end_date"] == "2026-12-27" and v["meeting"] == "by video"
    assert v["notice"] == "30 days, counted from the day you tell them"
    text = templates.whole(v)
    assert text.startswith("TALKING POINTS: Estudio Norte, with Lucía Gómez (2026-11-27)")
    assert "WRITTEN CONFIRMATION" in text


# -- the user's own templates, per language ---------------------------------------------

def test_a_users_template_wins_in_its_language_then_in_any(tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch,
                                                           request: pytest.FixtureRequest) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    folder = tmp_path / "clientfit" / "templates"
    assert templates.load("meeting")[1] == "(default meeting.txt)"
    request.getfixturevalue("spanish")
    assert templates.load("meeting") == (templates.default("meeting", "es"),
                                         "(default es/meeting.txt)")
    written = templates.install()
    assert [p for p, _ in written] == [folder / "es" / f"{n}.txt" for n in templates.NAMES]
    assert (folder / "es" / "meeting.txt").read_text().startswith("GUION DE LA REUNIÓN")
    assert templates.load("meeting")[1] == str(folder / "es" / "meeting.txt")
    (folder / "es" / "meeting.txt").unlink()
    (folder / "meeting.txt").write_text("Mi guion para $client\n")
    assert templates.load("meeting") == ("Mi guion para $client\n", str(folder / "meeting.txt"))


def test_the_new_files_comments_in_spanish_mean_the_same_data(spanish: None) -> None:
    import tomllib

    assert template.text() == template.TEMPLATE_ES
    assert "Compruébalo cuando quieras" in template.text()
    assert tomllib.loads(template.TEMPLATE_ES) == tomllib.loads(template.TEMPLATE)


def test_an_import_plan_says_each_bad_row_in_spanish(snap: Snapshot, spanish: None) -> None:
    rows, errors = imp.read_csv("type,client,at,kind\nincident,nadie,2026-11-20,other\n"
                                "incident,gecko,2026-11-20,rude\n", "h.csv")
    assert errors == []
    p = imp.plan(snap, NOW, rows, "h.csv")
    assert p.errors[0] == ("h.csv:2: no hay ningún cliente 'nadie' en el archivo (añádelo "
                           "antes; los ids son exactos)")
    assert p.errors[1].startswith("h.csv:3: tipo desconocido 'rude' (uno de: ")
