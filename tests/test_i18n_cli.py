"""The command line in Spanish (LANG=es_ES.UTF-8), run as a user runs it, and unchanged in
English (LANG=C.UTF-8).

Each Spanish output is checked against common English words standing as whole words. What a
person types back (command and option names, kinds, TOML keys, `{choices}`) is not a sentence
and is left out of the check. The data file's own texts (notes, names) are made Spanish, so
that whatever English remains comes from clientfit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from clientfit_tui.cli.parser import COMMANDS

NOW = "2026-11-27T10:00:00"

ENGLISH = frozenset(re.findall(r"\w+", """
the and with of to until client clients incident incidents trouble revenue paid unpaid none
days late logged added since severity minutes share checklist review reviews invoice invoices
cooling warning notice ended ends usage options show this help message nothing is are for from
at on your you what when each year month hours rate lost work tomorrow steps waiting owed
flags instinct file only would not an by it its or left over decide decision done held skipped
summary money contract contact notes note kind positional arguments required expected command
name path
"""))
"""Common English words: none may stand as a whole word in a Spanish output."""

TYPED = [
    re.compile(r"\S*/\S*"),                      # paths
    re.compile(r"(?<![\w-])--?[\w-]+(=\S*)?"),    # options, typed back as they are
    re.compile(r"\{[^}]*\}"),                    # argparse's {choices}; JSON in export's help
    re.compile(r"`[^`]*`"),                      # a command quoted
    re.compile(r"\$\{?\w+\}?"),                  # $VARIABLES and template $placeholders
    re.compile(r"\[settings\] \w+"),             # a TOML key
    re.compile(r"\b(clientfit|status|log|due|report|whatif|merge|completion|import|export|"
               r"decide)"
               r"\b(?= |$|\)|:)"),
    re.compile(r"\b(after-hours|vague-feedback|late-payment|scope-creep|disrespect|other|"
               r"today|yesterday|now|fri|active|type)\b"),
]


def english_words(text: str) -> list[str]:
    """The English words of ENGLISH standing in `text`, what is typed back left out."""
    for pattern in TYPED:
        text = pattern.sub(" ", text)
    return sorted({w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH})


def spanish_file(tmp_path: Path) -> Path:
    """The sample with every text of the user's own (notes, names, reasons) in Spanish."""
    text = (Path(__file__).resolve().parent.parent / "sample.toml").read_text(encoding="utf-8")
    text = re.sub(r'^(note|notes|name|contact|contract|reason|referral|deliverable)'
                  r'( *)= "[^"\n]*"', r'\1\2= "texto de prueba"', text, flags=re.M)
    text = re.sub(r"#[^\n]*", "", text)
    p = tmp_path / "clientes.toml"
    p.write_text(text, encoding="utf-8")
    os.chmod(p, 0o600)
    return p


def run(*args: str, lang: str = "es_ES.UTF-8") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CLIENTFIT_NOW": NOW, "LANG": lang}
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        env.pop(var, None)
    return subprocess.run([sys.executable, "-m", "clientfit_tui", *args], capture_output=True,
                          text=True, env=env, timeout=60)


@pytest.fixture
def data(tmp_path: Path, spanish: None) -> Path:
    return spanish_file(tmp_path)


def test_the_words_check_finds_english() -> None:
    assert english_words("registrado: otro (gravedad 1) de acme") == []
    assert english_words("logged other for acme until today") == ["for", "logged", "until"]
    assert english_words("usa --file y `clientfit status`") == []


def test_main_help_in_spanish(spanish: None) -> None:
    r = run("--help")
    assert r.returncode == 0, r.stderr
    assert "uso:" in r.stdout and "Decidir con calma" in r.stdout
    assert "registrar un incidente" in r.stdout
    assert english_words(r.stdout) == [], r.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_help_in_spanish(spanish: None, command: str) -> None:
    r = run(command, "--help")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("uso: clientfit " + command)
    assert english_words(r.stdout) == [], r.stdout


def test_a_usage_error_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "log")
    assert r.returncode == 2
    assert "clientfit log: error:" in r.stderr and "cliente" in r.stderr
    assert english_words(r.stderr) == [], r.stderr
    r = run("--file", str(data), "due", "--days", "x")
    assert r.returncode == 2 and "no es un número entero" in r.stderr
    assert english_words(r.stderr) == [], r.stderr


def test_an_unknown_client_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "status", "acne")
    assert r.returncode == 1
    assert "no hay ningún cliente 'acne' (¿querías decir acme?)" in r.stderr


def test_log_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "log", "acme", "llamó", "a", "las", "once", "--at",
            "2026-11-26 23:40", "--minutes", "25")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("registrado: fuera de horario (gravedad 1) de acme, 26 nov 2026 23:40; "
                        "decisiones en espera hasta 29 nov 2026 23:40\n")
    assert 'kind = "after-hours"' in data.read_text(encoding="utf-8")  # the file stays English


def test_status_in_spanish_keeps_its_columns(data: Path) -> None:
    r = run("--file", str(data), "status")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    head = lines[0]
    assert head.split()[:4] == ["cliente", "estado", "inc.", "problemas"]
    assert "periodo de calma" in head and "lista de pasos" in head
    rows = [ln for ln in lines[1:] if ln and not ln.startswith("bajo-tarifa")]
    # every row's cells start where their heading does (left-aligned) or end where it ends
    start = head.index("periodo de calma")
    checklist = head.index("lista de pasos")
    for row in rows:
        assert row[start - 1] == " " and row[checklist - 1] == " ", row
    assert any("en observación" in row and "hasta 29 nov 2026" in row for row in rows)
    assert any("sin-pagar 2.400,50" in row for row in rows)
    assert english_words(r.stdout) == [], r.stdout


def test_status_money_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "status", "--money")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("Por año, en EUR; horas perdidas: los últimos 12 meses; "
                               "tu tarifa 65,00\xa0€/h.")
    assert "por debajo de tu tarifa" in r.stdout and "terminado" in r.stdout
    assert english_words(r.stdout) == [], r.stdout


def test_status_money_headings_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "status", "--money")
    assert r.returncode == 0, r.stderr
    head = r.stdout.splitlines()[1]
    assert head.split()[:3] == ["cliente", "ingresos", "trabajo"] and "tarifa/h" in head
    # right-aligned numbers end where their heading ends
    end = head.index("ingresos") + len("ingresos")
    acme = next(ln for ln in r.stdout.splitlines() if ln.startswith("acme"))
    assert acme[:end].endswith("14.200")
    assert english_words("\n".join(r.stdout.splitlines()[:2])) == [], r.stdout


def test_pareto_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "pareto")
    assert r.returncode == 0, r.stderr
    head, *rows = r.stdout.splitlines()
    assert head.split() == ["cliente", "problemas", "parte", "acum.", "minutos", "ingresos"]
    acme = next(row for row in rows if row.startswith("* acme"))
    assert acme[:head.index("problemas") + len("problemas")].endswith("57")
    assert "41\u00a0%" in acme and "1.140" in acme
    assert "* 4 de 8 clientes causan el 88\u00a0% de los problemas y aportan el 49\u00a0% de " \
        "los ingresos." in r.stdout
    assert english_words(r.stdout) == [], r.stdout


def test_due_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "due", "--days", "30")
    assert r.returncode == 0, r.stderr
    assert english_words(r.stdout) == [], r.stdout


def test_due_headings_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "due", "--days", "30")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("Pendiente a 27 nov 2026 (mirando los próximos 30 días):")
    assert "Facturas vencidas: 3.700,50\xa0€ por cobrar" in out
    assert "vence el 15 oct 2026, 43 días de retraso" in out
    assert "Pasos pendientes" in out and "Revisiones que retomar" in out
    r = run("--file", str(data), "due", "--days", "0")
    assert "(mirando hoy)" in r.stdout


def test_report_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "report", "slowpay")
    assert r.returncode == 0, r.stderr
    assert english_words(r.stdout) == [], r.stdout


def test_report_headings_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "report", "slowpay")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    for heading in ("## Resumen", "## Dinero", "## Problemas por mes, de dic 2025 a nov 2026",
                    "## Incidentes (12, los más antiguos primero)", "## Facturas",
                    "## Revisiones", "## Lista de pasos de la despedida (", "## Cabos sueltos",
                    "| mes | incidentes | problemas |",
                    "| número | importe | vence | pagada | días de retraso | estado |"):
        assert heading in out, heading
    assert "- estado en despedida" in out
    headings = "\n".join(ln for ln in out.splitlines() if ln.startswith(("#", "|")))
    assert english_words(headings) == [], headings
    r = run("--file", str(data), "report", "slowpay", "--json")
    assert '"loose_ends"' in r.stdout and '"status": "offboarding"' in r.stdout


def test_whatif_in_spanish(data: Path) -> None:
    r = run("--file", str(data), "whatif", "acme")
    assert r.returncode == 0, r.stderr
    assert "14.200,00\u00a0€" in r.stdout
    assert english_words(r.stdout) == [], r.stdout


def test_check_and_import_in_spanish(data: Path, tmp_path: Path) -> None:
    r = run("--file", str(data), "check")
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith(": correcto: 9 clientes, 92 incidentes\n")
    csv = tmp_path / "x.csv"
    csv.write_bytes(b"\xff\xfe")
    r = run("--file", str(data), "import", str(csv))
    assert r.returncode == 1 and "no es UTF-8" in r.stderr


def test_english_is_unchanged(sample_file: Path) -> None:
    r = run("--file", str(sample_file), "status", lang="C.UTF-8")
    assert r.stdout.splitlines()[0] == ("client           status        inc trouble  "
                                        "cooling-off            checklist flags")
    assert "until 2026-11-29" in r.stdout
    r = run("--file", str(sample_file), "pareto", lang="C.UTF-8")
    assert r.stdout.splitlines()[0] == ("  client           trouble  share    cum  minutes  "
                                        "revenue")
    assert "* 4 of 8 clients make 88% of the trouble and bring 49% of the revenue." in r.stdout
    r = run("--help", lang="C.UTF-8")
    assert "usage: clientfit" in r.stdout and "append one incident" in r.stdout
    r = run("--file", str(sample_file), "log", lang="C.UTF-8")
    assert "clientfit log: error: the following arguments are required: client, note" \
        in r.stderr
    spanish = re.compile(r"[áéíóúñ¿¡]|\b(cliente|incidentes|problemas|hasta|ingresos|de|los)\b")
    for args in (("--help",), ("log", "--help"), ("status",), ("status", "--money"),
                 ("pareto",), ("due", "--days", "30"), ("report", "slowpay")):
        out = run("--file", str(sample_file), *args, lang="C.UTF-8").stdout
        assert not spanish.search(out.replace("Ana Pérez", "")), (args, spanish.search(out))


def test_completion_describes_in_spanish(data: Path) -> None:
    r = run("__complete", "zsh", "1", "clientfit", "")
    assert r.returncode == 0, r.stderr
    assert "log:registrar un incidente" in r.stdout.splitlines()
    r = run("__complete", "fish", "2", "clientfit", "log", "--sev")
    assert r.stdout.splitlines()[1] == "--severity\t1 leve, 2 real, 3 grave (por defecto 1)"
    r = run("__complete", "bash", "2", "clientfit", "import", "")
    assert r.stdout.splitlines() == ["files"]  # a translated metavar still completes paths
    r = run("__complete", "zsh", "1", "clientfit", "", lang="C.UTF-8")
    assert "log:append one incident" in r.stdout.splitlines()


def test_amounts_in_prose_name_the_currency_in_spanish(data: Path) -> None:
    """With `currency = "EUR"`, every amount in a sentence or a line reads `980,50 €`; the
    wording about money is Spanish's own ("por cobrar", "1 factura sin pagar")."""
    out = run("--file", str(data), "due", "--days", "30").stdout
    assert "slowpay          2026-029       980,50\xa0€  vence el 15 oct 2026" in out
    assert "2 facturas sin pagar, 2.400,50\xa0€ por cobrar: 2026-029 980,50\xa0€ vence" in out
    assert "decidiste seguir el 2 oct 2026" in out
    out = run("--file", str(data), "status").stdout
    assert "sin-pagar 2.400,50\xa0€" in out
    out = run("--file", str(data), "status", "slowpay").stdout
    assert "  2026-029  980,50\xa0€  vence el 15 oct 2026  vencida (43 días)" in out
    out = run("--file", str(data), "report", "slowpay").stdout
    assert "ingresos 9.100,00\xa0€ al año" in out and "pendiente de cobro: 2.400,50\xa0€" in out
    assert "| 2026-029 | 980,50\xa0€ | 15 oct 2026 | sin pagar |" in out
    out = run("--file", str(data), "script", "slowpay").stdout
    assert "La factura 2026-029 (980,50\xa0€, vence el 15 de octubre de 2026) sigue pendiente " \
        "de pago." in out
    assert "hasta el 27 de diciembre de 2026" in out
