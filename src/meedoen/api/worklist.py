"""The caseload with its signals as endpoints (docs/caseload.md, "Signalen en Mijn werk").

- GET /api/v1/caseload/: the households of the caller's work (own caseload, covered caseloads, a
  team lead's team) with last contact, next appointment and signals; `signal` filters;
- GET /api/v1/caseload/signals/: how many households per signal.

Thin: the data comes from caseload.worklist, which is ANDed with the one door. One audit row per
response ("caseload.worklist.read") with the count and the names of the filters used.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.api.pagination import PublicIdCursorPagination
from meedoen.api.views import BAD_REQUEST, api_origin
from meedoen.audit.services import audit_record
from meedoen.caseload.constants import Intensity
from meedoen.caseload.models import Assignment
from meedoen.caseload.worklist import (
    Moment,
    Signal,
    worklist_build,
    worklist_rows,
)

SIGNAL_PARAMETER = OpenApiParameter(
    "signal",
    OpenApiTypes.STR,
    enum=list(Signal.ALL),
    required=False,
    description=_(
        "Alleen huishoudens met dit signaal: geen_contact (langer geen contact dan de "
        "caseloadafspraken toestaan), afspraak (afspraak vandaag of verlopen), nieuw (nieuw "
        "toegewezen, nog geen contact)."
    ),
)


class WorklistPagination(PublicIdCursorPagination):
    """Cursor paging by the household's public id: no name or date travels in the cursor."""

    ordering = "household_id"


class _MemberSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField()
    name = serializers.CharField()


class _CoachSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField()
    name = serializers.CharField()


class _SignalSerializer(serializers.Serializer[Any]):
    code = serializers.ChoiceField(choices=list(Signal.ALL))
    text = serializers.CharField()


class WorklistRowSerializer(serializers.Serializer[Any]):
    household = serializers.UUIDField()
    reference = serializers.CharField()
    members = _MemberSerializer(many=True)
    district = serializers.CharField(allow_blank=True)
    intensity = serializers.ChoiceField(choices=Intensity.choices)
    coach = _CoachSerializer()
    assignment_start = serializers.DateField()
    last_contact = serializers.DateTimeField(allow_null=True)
    weeks_since_contact = serializers.IntegerField(allow_null=True)
    next_appointment = serializers.DateTimeField(allow_null=True)
    signals = _SignalSerializer(many=True)


class SignalCountsSerializer(serializers.Serializer[Any]):
    total = serializers.IntegerField(help_text=_("Alle huishoudens van de werklijst."))
    geen_contact = serializers.IntegerField()
    afspraak = serializers.IntegerField()
    nieuw = serializers.IntegerField()


def _signal(request: Request) -> str | None:
    value = request.query_params.get("signal") or None
    if value is not None and value not in Signal.ALL:
        raise ValidationError({"signal": [_("Kies geen_contact, afspraak of nieuw.")]})
    return value


def _audit(request: Request, *, view: str, count: int, filters: list[str]) -> None:
    audit_record(
        actor=request.user,
        action="caseload.worklist.read",
        origin=api_origin(request),
        purpose="casework",
        detail={"view": view, "count": count, "filters": filters},
    )


class CaseloadView(APIView):
    pagination_class = WorklistPagination

    @extend_schema(
        operation_id="caseload_list",
        summary=_("Mijn caseload met signalen"),
        description=_(
            "De huishoudens van uw werk (eigen caseload, caseloads die u waarneemt, voor een "
            "teamleider die van het team) met laatste contact, volgende afspraak en signalen. "
            "Elke opvraging wordt vastgelegd."
        ),
        parameters=[SIGNAL_PARAMETER],
        responses={200: WorklistRowSerializer(many=True), 400: BAD_REQUEST},
    )
    def get(self, request: Request) -> Response:
        signal = _signal(request)
        moment = Moment.current()
        entries = worklist_build(actor=request.user, moment=moment).filtered(signal=signal)
        paginator = self.pagination_class()
        # The cursor orders by household id over the entries' assignments (already through
        # the door in worklist_build).
        assignments = Assignment.objects.filter(pk__in=[e.assignment_id for e in entries]).only(
            "id", "household_id"
        )
        page = paginator.paginate_queryset(assignments, request, self)
        by_id = {entry.assignment_id: entry for entry in entries}
        rows = worklist_rows([by_id[a.pk] for a in page or []], moment=moment)
        data = [
            {
                "household": row.household_id,
                "reference": row.reference,
                "members": [{"id": m.id, "name": m.name} for m in row.members],
                "district": row.district,
                "intensity": row.intensity,
                "coach": {"id": row.coach_id, "name": row.coach_name},
                "assignment_start": row.start_date,
                "last_contact": row.last_contact,
                "weeks_since_contact": row.weeks_since_contact,
                "next_appointment": row.next_appointment,
                "signals": [{"code": b.code, "text": b.text} for b in row.signals],
            }
            for row in rows
        ]
        _audit(request, view="api", count=len(rows), filters=["signal"] if signal else [])
        return paginator.get_paginated_response(WorklistRowSerializer(data, many=True).data)


class CaseloadSignalsView(APIView):
    @extend_schema(
        operation_id="caseload_signals",
        summary=_("Aantallen per signaal"),
        description=_("Hoeveel huishoudens van uw werk elk signaal hebben."),
        responses={200: SignalCountsSerializer},
    )
    def get(self, request: Request) -> Response:
        counts = worklist_build(actor=request.user).counts()
        _audit(request, view="api_signals", count=counts["total"], filters=[])
        return Response(SignalCountsSerializer(counts).data)
