"""Data-subject access requests (AVG art. 15): the export of everything about one client.

Two doors, both POST (an export is an audited action, not a page a prefetch may trigger):
- casework roles, for a client they may see (caseload.access, purpose "subject_access");
- the privacy officer, who handles these requests, for any client of their municipality
  (caseload.access_privacy).
The export itself is built in privacy.subject_access, with the sections that caseload and
profiles register there.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import client_get_for_actor
from meedoen.caseload.access_privacy import client_get_for_subject_access
from meedoen.clients.models import Client
from meedoen.privacy.subject_access import subject_access_export_json, subject_access_export_pdf
from meedoen.web.views_audit import privacy_officer_required

PURPOSE = "subject_access"
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "pdf": "application/pdf"}


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
    if file_format == "pdf":
        body = subject_access_export_pdf(client=client)
    else:
        body = subject_access_export_json(client=client)
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
