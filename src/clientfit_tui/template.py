"""The commented file a new user starts from, its comments in the reader's language.

The keys and the values stay English in both (the file format is one): only the
comments are translated. `text()` gives the one to write.
"""

TEMPLATE = """\
# clientfit data. Edit by hand freely: clientfit keeps your comments and layout.
# Check it any time with: clientfit check

[settings]
cooling_off_days = 3        # no decision within this many days of a client's latest incident
notice = "30 days"          # default notice: "30 days", "2 weeks", "1 month"
work_hours = "09:00-18:00"  # contact outside these hours counts as after-hours
work_days = ["mon", "tue", "wed", "thu", "fri"]
instinct = { reviews = 3, within_days = 90 }  # "several times": time to listen to your instincts
# timezone = "Europe/Madrid"  # optional; default: the system's local zone
# rate = 60.0                 # optional: your hourly rate, for the cost of trouble
# currency = "EUR"            # optional: shown beside amounts

# One table per client; the key is the client's id (a-z, 0-9 and '-'):
#
# [clients.acme]
# name = "ACME Corp"
# contact = "Wile E. Coyote"
# email = "wile@acme.example"
# status = "active"           # active | watch | offboarding | ended
# since = 2024-03-01
# regular = true              # relies on you for regular work (notice matters)
# revenue = 14200.0           # per year, for the Pareto view
# hours = 240                 # hours of paid work over the same year: the effective rate
#
# [[clients.acme.incidents]]  # log these quickly with: clientfit log acme "what happened"
# at = 2026-11-20T23:14:00
# kind = "after-hours"        # after-hours | vague-feedback | late-payment | scope-creep | disrespect | other
# severity = 2                # 1 minor, 2 real, 3 serious
# minutes = 20
# note = "IM at 23:14 asking for same-day logo changes"
"""

TEMPLATE_ES = """\
# Datos de clientfit. Edítalo a mano con libertad: clientfit conserva tus comentarios y tu formato.
# Compruébalo cuando quieras con: clientfit check
# Las claves y los valores se escriben en inglés (status = "watch", kind = "after-hours").

[settings]
cooling_off_days = 3        # ninguna decisión hasta pasados estos días desde el último incidente
notice = "30 days"          # preaviso por defecto: "30 days", "2 weeks", "1 month"
work_hours = "09:00-18:00"  # el contacto fuera de este horario cuenta como fuera de horario
work_days = ["mon", "tue", "wed", "thu", "fri"]
instinct = { reviews = 3, within_days = 90 }  # "varias veces": hora de escuchar a tu instinto
# timezone = "Europe/Madrid"  # opcional; por defecto, la zona local del sistema
# rate = 60.0                 # opcional: tu tarifa por hora, para el coste de los problemas
# currency = "EUR"            # opcional: se muestra junto a los importes

# Una tabla por cliente; la clave es el id del cliente (a-z, 0-9 y '-'):
#
# [clients.acme]
# name = "ACME Corp"
# contact = "Wile E. Coyote"
# email = "wile@acme.example"
# status = "active"           # active | watch | offboarding | ended
# since = 2024-03-01
# regular = true              # depende de ti para trabajo habitual (el preaviso importa)
# revenue = 14200.0           # ingresos por año, para la vista de Pareto
# hours = 240                 # horas de trabajo pagado en ese año: la tarifa real
#
# [[clients.acme.incidents]]  # regístralos rápido con: clientfit log acme "qué ha pasado"
# at = 2026-11-20T23:14:00
# kind = "after-hours"        # after-hours | vague-feedback | late-payment | scope-creep | disrespect | other
# severity = 2                # 1 leve, 2 real, 3 grave
# minutes = 20
# note = "Mensaje a las 23:14 pidiendo cambios en el logo para el mismo día"
"""


def text() -> str:
    """The commented file in the reader's language."""
    from .i18n import language

    return TEMPLATE_ES if language() == "es" else TEMPLATE
