"""Caseload management as endpoints (issue 5, docs/caseload.md).

- GET /api/v1/team/caseload/: every coach of the team lead's team against target;
- GET /api/v1/team/queue/: households without a contact person (cursor-paged);
- GET /api/v1/households/{id}/suggestions/: ranked coaches for a household, with the reasons;
- GET /api/v1/households/{id}/assignments/: who was contact person when (the history);
- POST /api/v1/households/{id}/assignments/: assign, or hand over (with note and introduction).

Team endpoints and suggestions exist only for an active team lead with a team (404 otherwise).
Households come through the door; writes go through caseload/handover.py, which checks and
audits them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.accounts.constants import CASEWORK_ROLES
from meedoen.accounts.models import User
from meedoen.api.errors import service_errors
from meedoen.api.pagination import PublicIdCursorPagination
from meedoen.api.views import BAD_REQUEST, ID_PARAMETER, NOT_FOUND, api_origin
from meedoen.audit.services import audit_record
from meedoen.caseload.access import household_get_for_actor
from meedoen.caseload.constants import AssignmentReason, ContactKind
from meedoen.caseload.handover import household_assign
from meedoen.caseload.models import Assignment
from meedoen.caseload.suggestions import coach_suggestions
from meedoen.caseload.workload import actor_is_team_lead, assignment_queue, team_caseload
from meedoen.clients.models import Household

PURPOSE = "casework"


def _require_team_lead(request: Request) -> None:
    if not actor_is_team_lead(request.user):
        raise Http404


# --- serializers ------------------------------------------------------------------------------


class CoverSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    absent_coach = serializers.IntegerField(source="absent_coach_id", read_only=True)
    covering_coach = serializers.IntegerField(source="covering_coach_id", read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)


class CoachLoadSerializer(serializers.Serializer[Any]):
    coach = serializers.IntegerField(source="coach.pk", read_only=True)
    name = serializers.CharField(source="coach.display_name", read_only=True)
    households = serializers.IntegerField(read_only=True)
    load = serializers.DecimalField(
        max_digits=7,
        decimal_places=1,
        read_only=True,
        help_text=_("Gewogen: laag ½, normaal 1, hoog 2."),
    )
    target = serializers.DecimalField(max_digits=7, decimal_places=1, read_only=True)
    percent = serializers.IntegerField(read_only=True)
    accepts_new = serializers.BooleanField(read_only=True)
    covers = CoverSerializer(many=True, read_only=True)


class TeamCaseloadSerializer(serializers.Serializer[Any]):
    team = serializers.UUIDField(read_only=True)
    target = serializers.IntegerField(
        read_only=True, help_text=_("Streefcaseload bij een volledige werkweek.")
    )
    coaches = CoachLoadSerializer(many=True, read_only=True)


class QueueItemSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    reference = serializers.CharField(read_only=True)
    district = serializers.CharField(source="address.district_name", read_only=True, default="")
    member_count = serializers.IntegerField(read_only=True)
    unassigned_since = serializers.DateField(read_only=True)


class SuggestionSerializer(serializers.Serializer[Any]):
    coach = serializers.IntegerField(source="coach.pk", read_only=True)
    name = serializers.CharField(source="coach.display_name", read_only=True)
    score = serializers.FloatField(read_only=True)
    reasons = serializers.ListField(child=serializers.CharField(), read_only=True)


class SuggestionListSerializer(serializers.Serializer[Any]):
    household = serializers.UUIDField(read_only=True)
    results = SuggestionSerializer(many=True, read_only=True)


class AssignmentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    coach = serializers.IntegerField(source="coach_id", read_only=True)
    coach_name = serializers.CharField(source="coach.display_name", read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    reason = serializers.CharField(read_only=True)
    intensity = serializers.CharField(read_only=True)
    handover_from = serializers.CharField(read_only=True, allow_null=True)
    handover_note = serializers.CharField(read_only=True, allow_null=True)


class AssignmentListSerializer(serializers.Serializer[Any]):
    household = serializers.UUIDField(read_only=True)
    results = AssignmentSerializer(many=True, read_only=True)


class AssignWriteSerializer(serializers.Serializer[Any]):
    coach = serializers.IntegerField(help_text=_("Id van de nieuwe klantregisseur."))
    reason = serializers.ChoiceField(
        choices=AssignmentReason.choices,
        help_text=_("first zonder huidige klantregisseur; anders de reden van de overdracht."),
    )
    handover_note = serializers.CharField(
        allow_blank=True,
        default="",
        max_length=5000,
        help_text=_("Verplicht bij een overdracht."),
    )
    introduction_at = serializers.DateTimeField(
        allow_null=True, default=None, help_text=_("Kennismaking met beide klantregisseurs.")
    )
    introduction_kind = serializers.ChoiceField(
        choices=ContactKind.choices, default=ContactKind.HOME_VISIT
    )


def _assignment_data(assignment: Assignment) -> dict[str, Any]:
    handover = getattr(assignment, "handover", None) if _has_handover(assignment) else None
    return {
        "id": assignment.pk,
        "coach_id": assignment.coach_id,
        "coach": assignment.coach,
        "start_date": assignment.start_date,
        "end_date": assignment.end_date,
        "reason": assignment.reason,
        "intensity": assignment.intensity,
        "handover_from": handover.from_coach_name if handover else None,
        "handover_note": handover.note if handover else None,
    }


def _has_handover(assignment: Assignment) -> bool:
    try:
        return assignment.handover is not None
    except Assignment.handover.RelatedObjectDoesNotExist:
        return False


def _history(household: Household) -> list[Assignment]:
    return list(
        Assignment.objects.filter(household_id=household.pk)
        .select_related("coach", "handover")
        .order_by("-start_date", "-created_at")
    )


# --- views ------------------------------------------------------------------------------------


class TeamCaseloadView(APIView):
    @extend_schema(
        operation_id="team_caseload",
        summary=_("Caseload van het team"),
        description=_(
            "Per klantregisseur van het team van de teamleider: huishoudens, gewogen caseload, "
            "streefwaarde en lopende vervangingen. Alleen voor een teamleider. Wordt vastgelegd."
        ),
        responses={200: TeamCaseloadSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        _require_team_lead(request)
        actor: Any = request.user
        data = team_caseload(team_id=actor.team_id)
        audit_record(
            actor=actor,
            action="caseload.team.read",
            origin=api_origin(request),
            purpose=PURPOSE,
            detail={"team_id": str(actor.team_id), "coaches": len(data.coaches)},
        )
        body = {"team": actor.team_id, "target": data.target, "coaches": data.coaches}
        return Response(TeamCaseloadSerializer(body).data)


class TeamQueueView(generics.GenericAPIView[Household]):
    pagination_class = PublicIdCursorPagination
    serializer_class = QueueItemSerializer
    queryset = Household.objects.none()  # only for the schema; data comes from the door

    @extend_schema(
        operation_id="team_queue",
        summary=_("Wachtrij: huishoudens zonder klantregisseur"),
        description=_(
            "Huishoudens van de gemeente zonder klantregisseur, met wijk, aantal leden en sinds "
            "wanneer. Alleen voor een teamleider. Wordt vastgelegd."
        ),
        responses={200: QueueItemSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        _require_team_lead(request)
        queryset = assignment_queue(actor=request.user).order_by()
        page = self.paginate_queryset(queryset) or []
        audit_record(
            actor=request.user,
            action="caseload.queue.read",
            origin=api_origin(request),
            purpose=PURPOSE,
            detail={"count": len(page)},
        )
        return self.get_paginated_response(QueueItemSerializer(page, many=True).data)


class HouseholdSuggestionsView(APIView):
    @extend_schema(
        operation_id="household_suggestions",
        summary=_("Suggesties voor een klantregisseur"),
        description=_(
            "Klantregisseurs die passen bij dit huishouden, de best passende eerst, met de "
            "redenen (caseload tegen streefwaarde, zelfde wijk, taal, eerder contact). De "
            "teamleider beslist. Alleen voor een teamleider. Wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: SuggestionListSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        _require_team_lead(request)
        origin = api_origin(request)
        household = household_get_for_actor(
            actor=request.user, household_id=id, purpose=PURPOSE, origin=origin
        )
        suggestions = coach_suggestions(household=household, actor=request.user)
        audit_record(
            actor=request.user,
            action="caseload.suggestions.read",
            origin=origin,
            obj=household,
            purpose=PURPOSE,
            detail={"count": len(suggestions)},
        )
        body = {"household": household.pk, "results": suggestions}
        return Response(SuggestionListSerializer(body).data)


class HouseholdAssignmentsView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="household_assignments_list",
        summary=_("Klantregisseurs van een huishouden"),
        description=_(
            "Wie wanneer klantregisseur was, nieuwste eerst, met de overdrachtsnotities. Wordt "
            "vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: AssignmentListSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        origin = api_origin(request)
        household = household_get_for_actor(
            actor=request.user, household_id=id, purpose=PURPOSE, origin=origin
        )
        history = _history(household)
        audit_record(
            actor=request.user,
            action="caseload.assignment.list",
            origin=origin,
            obj=household,
            purpose=PURPOSE,
            detail={"count": len(history)},
        )
        body = {"household": household.pk, "results": [_assignment_data(a) for a in history]}
        return Response(AssignmentListSerializer(body).data)

    @extend_schema(
        operation_id="household_assignments_create",
        summary=_("Klantregisseur toewijzen of overdragen"),
        description=_(
            "Maakt een klantregisseur vanaf vandaag contactpersoon. Zonder huidige klantregisseur "
            "met reden first; anders een warme overdracht: een overdrachtsnotitie is verplicht en "
            "introduction_at plant een kennismaking met beide klantregisseurs. Alleen voor een "
            "teamleider. Fouten per veld in het Nederlands; er wordt dan niets opgeslagen."
        ),
        parameters=[ID_PARAMETER],
        request=AssignWriteSerializer,
        responses={201: AssignmentSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        _require_team_lead(request)
        origin = api_origin(request)
        household = household_get_for_actor(
            actor=request.user, household_id=id, purpose=PURPOSE, origin=origin
        )
        form = AssignWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        actor: Any = request.user
        coach = User.objects.filter(
            pk=data["coach"],
            municipality_id=actor.municipality_id,
            is_active=True,
            role__in=CASEWORK_ROLES,
        ).first()
        if coach is None:
            raise serializers.ValidationError({"coach": [_("Kies een actieve klantregisseur.")]})
        try:
            assignment = household_assign(
                household=household,
                coach=coach,
                reason=data["reason"],
                actor=actor,
                origin=origin,
                handover_note=data["handover_note"],
                introduction_at=data["introduction_at"],
                introduction_kind=data["introduction_kind"],
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        assignment = Assignment.objects.select_related("coach", "handover").get(pk=assignment.pk)
        return Response(
            AssignmentSerializer(_assignment_data(assignment)).data,
            status=status.HTTP_201_CREATED,
        )
