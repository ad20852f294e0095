"""The retention registry: how long each kind of record is kept (docs/privacy/retention.md).

A rule names what it applies to, when a record has expired, and who enforces it. Only rules with
`enforced_by="privacy.retention_run"` are carried out by `retention_run`; the others are listed so
that the table in the docs and the code cannot drift apart, and say where they are (to be) enforced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

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
    rule=_("30 dagen na het inlezen wordt het bestand gewist; de telling blijft."),
    enforced_by="dataexchange (nog te bouwen)",
)
AUDIT_ROWS = RetentionRule(
    code="audit_rows_20y",
    record=_("auditregels"),
    rule=_(
        "20 jaar bewaren, daarna afschermen. Bij het verwijderen van een dossier worden de "
        "regels van die cliënt direct afgeschermd."
    ),
    enforced_by="privacy.retention_run (afschermen bij verwijderen dossier)",
)

RULES: tuple[RetentionRule, ...] = (CLIENT_FILE, IMPORT_FILE, AUDIT_ROWS)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


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
