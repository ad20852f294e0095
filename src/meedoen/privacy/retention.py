"""The retention registry: how long each kind of record is kept (docs/privacy/retention.md).

A rule names what it applies to, when a record has expired, and who enforces it. `retention_run`
(privacy.services) carries out all three: client files itself, audit rows through
audit.services, and import files through the sweep that dataexchange registers here
(`retention_sweep_register`), because privacy sits below dataexchange and cannot import it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from meedoen.audit.services import Origin
from meedoen.clients.models import BenefitPeriod, Client, HouseholdMembership

CLIENT_FILE_YEARS = 7
IMPORT_FILE_DAYS = 30
AUDIT_ROW_YEARS = 20


@dataclass(frozen=True)
class RetentionRule:
    code: str
    record: Promise
    rule: Promise
    enforced_by: str


CLIENT_FILE = RetentionRule(
    code="client_file_7y",
    record=_("cliëntdossier"),
    rule=_(
        "7 jaar na de einddatum van de laatste uitkeringsperiode, zonder lopende uitkering en "
        "zonder huidig huishouden (dus buiten de begeleiding)."
    ),
    enforced_by="privacy.retention_run",
)
IMPORT_FILE = RetentionRule(
    code="import_file_30d",
    record=_("opgeslagen importbestand"),
    rule=_(
        "30 dagen nadat de import klaar is (toegepast, afgekeurd, mislukt of verworpen) worden "
        "het bestand en de gegevens per regel gewist; wie, wanneer en de aantallen blijven. Een "
        "import die 30 dagen op toepassen wacht of vastzit, wordt verworpen en gewist."
    ),
    enforced_by="privacy.retention_run (dataexchange.retention)",
)
AUDIT_ROWS = RetentionRule(
    code="audit_rows_20y",
    record=_("auditregels"),
    rule=_(
        "20 jaar bewaren, daarna afschermen (IP-adres, browser en details gewist; de keten "
        "blijft controleerbaar). Bij het verwijderen van een dossier worden de regels van die "
        "cliënt direct afgeschermd."
    ),
    enforced_by="privacy.retention_run",
)

SESSIONS = RetentionRule(
    code="sessions_expired",
    record=_("sessie (inlog, laatste zoekopdracht)"),
    rule=_(
        "Een sessie verloopt na de ingestelde tijd zonder activiteit (standaard 15 minuten); "
        "verlopen sessies worden elke nacht gewist."
    ),
    enforced_by="privacy.retention_run",
)

RULES: tuple[RetentionRule, ...] = (CLIENT_FILE, IMPORT_FILE, AUDIT_ROWS, SESSIONS)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the installation's time zone (settings.TIME_ZONE)."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def import_files_cutoff(*, today: dt.date) -> dt.datetime:
    """Import runs that last changed before this moment have passed IMPORT_FILE on `today`:
    more than IMPORT_FILE_DAYS whole days ago."""
    return local_midnight(today - dt.timedelta(days=IMPORT_FILE_DAYS))


def audit_rows_cutoff(*, today: dt.date) -> dt.datetime:
    """Audit rows written before this moment have passed AUDIT_ROWS on `today`."""
    return local_midnight(years_before(today, AUDIT_ROW_YEARS))


# Sweeps that higher apps register ----------------------------------------------------------------


@dataclass
class SweepOutcome:
    """What a sweep did or, in a dry run, would do. No personal data: codes, ids and counts."""

    rule: str
    per_municipality: dict[str, int] = field(default_factory=dict)
    # One line per record for the command's output, e.g. an import run's id, status and date.
    lines: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.per_municipality.values())


class Sweep(Protocol):
    def __call__(
        self, *, today: dt.date, dry_run: bool, actor: Any, origin: Origin
    ) -> SweepOutcome: ...


_SWEEPS: dict[str, Sweep] = {}


def retention_sweep_register(rule: RetentionRule, sweep: Sweep) -> None:
    """Hand in the function that enforces `rule` for records of a higher app.

    Called from that app's AppConfig.ready(); registering again replaces the earlier sweep.
    """
    if rule not in RULES:
        raise ValueError(f"unknown retention rule {rule.code}")
    _SWEEPS[rule.code] = sweep


def retention_sweeps() -> list[tuple[RetentionRule, Sweep]]:
    """The registered sweeps, in the order of RULES."""
    return [(rule, _SWEEPS[rule.code]) for rule in RULES if rule.code in _SWEEPS]


def clients_expired(*, today: dt.date) -> QuerySet[Client]:
    """Clients whose file has passed CLIENT_FILE on `today`.

    A client is out of guidance when they have no current household: guidance (the assignment to
    a coach) is per household, and the access door shows nobody a client without one.
    """
    cutoff = years_before(today, CLIENT_FILE_YEARS)
    open_benefit = BenefitPeriod.objects.filter(client_id=OuterRef("pk"), end_date__isnull=True)
    open_membership = HouseholdMembership.objects.filter(
        client_id=OuterRef("pk"), end_date__isnull=True
    )
    return (
        Client.objects.filter(household__isnull=True)
        .annotate(last_benefit_end=Max("benefit_periods__end_date"))
        .filter(last_benefit_end__lt=cutoff)
        .exclude(Exists(open_benefit))
        .exclude(Exists(open_membership))
    )
