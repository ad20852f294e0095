"""Data-subject access requests (AVG art. 15): the export of everything about one client.

Two doors, both POST (an export is an audited action, not a page a prefetch may trigger):
- casework roles, for a client they may see (caseload.access, purpose "subject_access");
- the privacy officer, who handles these requests, for any client of their municipality
  (caseload.access_privacy).
The export itself is built in privacy.subject_access; caseload data (contact persons) is added
here, because privacy sits below caseload in the layering.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import client_get_for_actor
from meedoen.caseload.access_privacy import client_get_for_subject_access
from meedoen.caseload.models import Assignment
from meedoen.clients.models import Client, HouseholdMembership
from meedoen.privacy.subject_access import (
    ExtraSection,
    subject_access_export_json,
    subject_access_export_pdf,
)
from meedoen.web.views_audit import privacy_officer_required

PURPOSE = "subject_access"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "pdf": "application/pdf"}


def _caseload_section(client: Client) -> ExtraSection:
    """The contact persons of the households the client belonged to, by name."""
    memberships = list(HouseholdMembership.objects.filter(client=client))
    overlap = Q(pk__in=[])
    for m in memberships:
        # Only while the client was a member: a contact person of the household before the
        # person joined was not theirs.
        during = Q(household_id=m.household_id) & (
            Q(end_date__isnull=True) | Q(end_date__gte=m.start_date)
        )
        if m.end_date is not None:
            during &= Q(start_date__lte=m.end_date)
        overlap |= during
    assignments = (
        Assignment.objects.filter(overlap)
        .select_related("coach", "household")
        .order_by("-start_date")
    )
    return ExtraSection(
        title=str(_("Uw klantregisseurs")),
        intro=str(_("De medewerkers van de gemeente die uw contactpersoon zijn of waren.")),
        columns={
            "contact_person": str(_("Naam")),
            "household_reference": str(_("Huishouden")),
            "start_date": str(_("Vanaf")),
            "end_date": str(_("Tot")),
        },
        rows=[
            {
                "contact_person": a.coach.get_full_name() or a.coach.get_username(),
                "household_reference": a.household.reference,
                "start_date": a.start_date.isoformat(),
                "end_date": a.end_date.isoformat() if a.end_date else None,
            }
            for a in assignments
        ],
    )


def _export_response(request: HttpRequest, client: Client, file_format: str) -> HttpResponse:
    audit_record(
        actor=request.user,
        action="privacy.subject_access.export",
        origin=Origin.from_request(request),
        obj=client,
        subject_id=client.pk,
        purpose=PURPOSE,
        detail={"format": file_format},
    )
    extra = {"contact_persons": _caseload_section(client)}
    if file_format == "pdf":
        body = subject_access_export_pdf(client=client, extra_sections=extra)
    else:
        body = subject_access_export_json(client=client, extra_sections=extra)
    response = HttpResponse(body, content_type=CONTENT_TYPES[file_format])
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="inzage-{client.client_number}-{day}.{file_format}"'
    )
    response["Cache-Control"] = "no-store"
    return response


def _check_format(file_format: str) -> None:
    if file_format not in CONTENT_TYPES:
        raise Http404


@login_required
@require_POST
def client_subject_access(request: HttpRequest, client_id: str, file_format: str) -> HttpResponse:
    _check_format(file_format)
    client = client_get_for_actor(
        actor=request.user,
        client_id=client_id,
        purpose=PURPOSE,
        origin=Origin.from_request(request),
    )
    return _export_response(request, client, file_format)


@privacy_officer_required
@require_POST
def audit_client_subject_access(
    request: HttpRequest, client_id: str, file_format: str
) -> HttpResponse:
    _check_format(file_format)
    client = client_get_for_subject_access(
        actor=request.user, client_id=client_id, origin=Origin.from_request(request)
    )
    return _export_response(request, client, file_format)
