"""What user management (accounts/services_staff.py) must know about caseloads: a coach or team
lead who is contact person for households cannot be deactivated, nor moved to a role outside
casework, until a team lead has handed the caseload over (`services.caseload_transfer`);
otherwise those households would be visible to nobody but the team lead. Registered in apps.py,
because accounts may not import this app."""

from __future__ import annotations

from typing import Any

from django.utils.translation import ngettext

from meedoen.accounts.selectors_staff import OpenWork
from meedoen.caseload.models import Assignment


def open_assignment_count(*, user: Any) -> int:
    """The households the user is contact person for now (one index range scan)."""
    return Assignment.objects.open().filter(coach_id=user.pk).count()


def _summary(count: int) -> str:
    return ngettext(
        "%(count)d huishouden in caseload", "%(count)d huishoudens in caseload", count
    ) % {"count": count}


def _refusal(count: int) -> str:
    return ngettext(
        "Deze medewerker is nog contactpersoon van %(count)d huishouden. Laat een teamleider "
        "de caseload eerst overdragen aan een andere klantregisseur; daarna kan dit.",
        "Deze medewerker is nog contactpersoon van %(count)d huishoudens. Laat een teamleider "
        "de caseload eerst overdragen aan een andere klantregisseur; daarna kan dit.",
        count,
    ) % {"count": count}


CASELOAD = OpenWork(
    code="caseload", count=open_assignment_count, summary=_summary, refusal=_refusal
)
