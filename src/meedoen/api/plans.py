"""The household plan as endpoints (docs/plans.md):

- GET/POST/PATCH /api/v1/households/{id}/plan/: the plan with goals, steps, the latest review
  and the client's share (ETag = the plan's version); POST opens it; PATCH changes the review
  interval (If-Match);
- POST /api/v1/households/{id}/plan/goals/: a goal; GET/PATCH /api/v1/goals/{id}/ (If-Match with
  the plan's ETag); POST /api/v1/goals/{id}/steps/: a step; POST /api/v1/steps/{id}/status/:
  done, cancelled or open again (If-Match);
- POST /api/v1/households/{id}/plan/reviews/: an evaluatiemoment (If-Match);
- GET /api/v1/households/{id}/plan/versions/ and /plan/as-of/?date=: the history.

One ETag for the whole plan, because the services guard the whole plan with one version: every
write that can overwrite carries it in If-Match (428 without, 412 when stale), and every answer
carries the new one. Thin: households, goals and steps through the door (caseload.access,
plans.selectors), writes through plans.services; one audit row per request, without free text.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from meedoen.api.errors import service_errors
from meedoen.api.pagination import _CursorPagination
from meedoen.api.preconditions import (
    IF_MATCH_HEADER,
    PRECONDITION_FAILED,
    PRECONDITION_REQUIRED,
    PreconditionFailedError,
    if_match_version,
)
from meedoen.api.views import BAD_REQUEST, ID_PARAMETER, NOT_FOUND, api_origin
from meedoen.audit.constants import Result
from meedoen.audit.services import audit_record
from meedoen.caseload.access import (
    ClientNotVisible,
    household_get_for_actor,
    households_visible_to,
)
from meedoen.caseload.selectors import as_uuid
from meedoen.clients.models import Household
from meedoen.core.concurrency import ConflictError, etag_for
from meedoen.plans.constants import (
    REVIEW_RESULTS,
    AuthorKind,
    GoalStatus,
    OwnerKind,
    StepStatus,
)
from meedoen.plans.inputs import GoalInput, GoalUpdate, OutcomeInput, ReviewInput, StepInput
from meedoen.plans.models import Goal, Plan, PlanVersion, Review, Step
from meedoen.plans.selectors import (
    goal_get_for_actor,
    plan_as_of,
    plan_client_ownership,
    plan_for_household,
    plan_versions,
    step_get_for_actor,
)
from meedoen.plans.services import (
    goal_add,
    goal_update,
    plan_open,
    plan_review_interval_set,
    review_record,
    step_add,
    step_update_status,
)
from meedoen.profiles.constants import ObstacleCategory, ZrmDomain

PURPOSE = "casework"
NO_PLAN = _("Dit huishouden heeft nog geen plan. Maak het met POST /api/v1/households/{id}/plan/.")
IF_MATCH_OPTIONAL = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=_(
        "Optioneel: de ETag van het plan. Een toevoeging overschrijft niets; met If-Match "
        "weigert de server (412) als het plan intussen is gewijzigd."
    ),
)
PLAN_ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200, 201],
    description=_("Versie van het hele plan; stuur hem mee in If-Match bij een wijziging."),
)


# --- the door ----------------------------------------------------------------------------------


def _household_for_write(request: Request, household_id: str, action: str) -> Household:
    """The door's rule for a write on a household; a refusal is audited once under `action`
    (an allowed write is audited by the service)."""
    pk = as_uuid(household_id)
    household = households_visible_to(actor=request.user).filter(pk=pk).first() if pk else None
    if household is None:
        audit_record(
            actor=request.user,
            action=action,
            origin=api_origin(request),
            purpose=PURPOSE,
            result=Result.DENIED,
        )
        raise ClientNotVisible
    return household


def _household_read(request: Request, household_id: str) -> Household:
    return household_get_for_actor(
        actor=request.user,
        household_id=household_id,
        purpose=PURPOSE,
        origin=api_origin(request),
    )


def _plan_of(household: Household) -> Plan:
    plan = Plan.objects.filter(household_id=household.pk).first()
    if plan is None:
        raise NotFound(NO_PLAN)
    return plan


def _fresh(plan_id: Any) -> Plan:
    return Plan.objects.get(pk=plan_id)


def _optional_if_match(request: Request, plan: Plan) -> int | None:
    return if_match_version(request, plan) if request.headers.get("If-Match") else None


def _with_etag(data: Any, plan: Plan, code: int = status.HTTP_200_OK) -> Response:
    response = Response(data, status=code)
    response["ETag"] = etag_for(plan)
    return response


# --- serializers --------------------------------------------------------------------------------


class StepSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    goal = serializers.UUIDField(source="goal_id", read_only=True)
    description = serializers.CharField(read_only=True)
    owner_kind = serializers.CharField(read_only=True)
    organisation = serializers.UUIDField(source="organisation_id", read_only=True, allow_null=True)
    due_on = serializers.DateField(read_only=True)
    status = serializers.CharField(read_only=True)
    done_on = serializers.DateField(read_only=True, allow_null=True)
    author_kind = serializers.CharField(read_only=True)
    completed_by_kind = serializers.CharField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    enrolment = serializers.UUIDField(
        source="enrolment_id",
        read_only=True,
        allow_null=True,
        help_text=_("De deelname aan een instrument waar deze stap over gaat, of null."),
    )


class GoalSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    member = serializers.UUIDField(source="member_id", read_only=True)
    domain = serializers.CharField(read_only=True)
    what = serializers.CharField(read_only=True)
    due_on = serializers.DateField(read_only=True)
    status = serializers.CharField(read_only=True)
    achieved_on = serializers.DateField(read_only=True, allow_null=True)
    obstacle = serializers.CharField(read_only=True)
    ambition = serializers.CharField(read_only=True)
    author_kind = serializers.CharField(read_only=True)
    position = serializers.IntegerField(read_only=True)
    steps = StepSerializer(many=True, read_only=True, source="steps.all")


class OutcomeSerializer(serializers.Serializer[Any]):
    goal = serializers.UUIDField(source="goal_id", read_only=True)
    result = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)


class ReviewSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    held_on = serializers.DateField(read_only=True)
    note = serializers.CharField(read_only=True)
    recorded_by_name = serializers.CharField(read_only=True)
    outcomes = OutcomeSerializer(many=True, read_only=True, source="outcomes.all")


class OwnershipSerializer(serializers.Serializer[Any]):
    steps = serializers.IntegerField(
        read_only=True, help_text=_("Stappen, vervallen niet meegeteld.")
    )
    by_client = serializers.IntegerField(
        read_only=True, help_text=_("Daarvan door de cliënt zelf bedacht of afgevinkt.")
    )
    percent = serializers.IntegerField(read_only=True, allow_null=True)


class PlanSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    household = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    review_interval_months = serializers.IntegerField(read_only=True)
    next_review_on = serializers.DateField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    goals = GoalSerializer(many=True, read_only=True)
    latest_review = ReviewSerializer(read_only=True, allow_null=True)
    ownership = OwnershipSerializer(read_only=True)


def _plan_data(household: Household) -> tuple[dict[str, Any], Plan]:
    view = plan_for_household(household=household)
    if view is None:
        raise NotFound(NO_PLAN)
    plan = view.plan
    data = {
        "id": plan.pk,
        "household": plan.household_id,
        "version": plan.version,
        "review_interval_months": plan.review_interval_months,
        "next_review_on": plan.next_review_on,
        "created_at": plan.created_at,
        "goals": view.goals,
        "latest_review": view.latest_review,
        "ownership": plan_client_ownership(plan=plan),
    }
    return PlanSerializer(data).data, plan


class PlanPatchSerializer(serializers.Serializer[Any]):
    review_interval_months = serializers.IntegerField(
        min_value=1, max_value=12, help_text=_("Evaluatie elke 1 tot en met 12 maanden.")
    )


class GoalWriteSerializer(serializers.Serializer[Any]):
    member = serializers.UUIDField(help_text=_("Id van een huidig lid van het huishouden."))
    domain = serializers.ChoiceField(choices=ZrmDomain.choices)
    what = serializers.CharField(max_length=500)
    due_on = serializers.DateField(help_text=_("Vandaag of later, hoogstens vijf jaar vooruit."))
    obstacle = serializers.ChoiceField(
        choices=ObstacleCategory.choices, allow_blank=True, default=""
    )
    ambition = serializers.CharField(allow_blank=True, default="", max_length=1000)
    author_kind = serializers.ChoiceField(
        choices=AuthorKind.choices,
        default=AuthorKind.COACH,
        help_text=_("client als de cliënt het doel zelf bedacht."),
    )


class GoalPatchSerializer(serializers.Serializer[Any]):
    domain = serializers.ChoiceField(choices=ZrmDomain.choices)
    what = serializers.CharField(max_length=500)
    due_on = serializers.DateField()
    status = serializers.ChoiceField(choices=GoalStatus.choices)
    obstacle = serializers.ChoiceField(choices=ObstacleCategory.choices, allow_blank=True)
    ambition = serializers.CharField(allow_blank=True, max_length=1000)


class StepWriteSerializer(serializers.Serializer[Any]):
    description = serializers.CharField(max_length=1000)
    owner_kind = serializers.ChoiceField(choices=OwnerKind.choices)
    organisation = serializers.UUIDField(
        allow_null=True,
        default=None,
        help_text=_(
            "Een actieve partnerorganisatie; alleen (en verplicht) bij owner_kind partner."
        ),
    )
    due_on = serializers.DateField(help_text=_("Vandaag of later, hoogstens vijf jaar vooruit."))
    author_kind = serializers.ChoiceField(choices=AuthorKind.choices, default=AuthorKind.COACH)
    enrolment = serializers.UUIDField(
        allow_null=True,
        default=None,
        help_text=_("Optioneel: een lopende deelname aan een instrument van het lid van het doel."),
    )


class StepStatusWriteSerializer(serializers.Serializer[Any]):
    status = serializers.ChoiceField(
        choices=StepStatus.choices,
        help_text=_("done of cancelled vanuit open; open vanuit done of cancelled."),
    )
    done_on = serializers.DateField(
        allow_null=True, default=None, help_text=_("Bij done: de datum, standaard vandaag.")
    )
    completed_by_kind = serializers.ChoiceField(
        choices=AuthorKind.choices,
        default=AuthorKind.COACH,
        help_text=_("Bij done: wie de stap afvinkte."),
    )


class OutcomeWriteSerializer(serializers.Serializer[Any]):
    goal = serializers.UUIDField()
    result = serializers.ChoiceField(choices=[(r, GoalStatus(r).label) for r in REVIEW_RESULTS])
    note = serializers.CharField(allow_blank=True, default="", max_length=5000)


class ReviewWriteSerializer(serializers.Serializer[Any]):
    held_on = serializers.DateField(help_text=_("Niet in de toekomst, niet voor de vorige."))
    note = serializers.CharField(allow_blank=True, default="", max_length=5000)
    outcomes = OutcomeWriteSerializer(
        many=True, help_text=_("Precies één uitkomst voor elk lopend doel.")
    )


class VersionSerializer(serializers.Serializer[Any]):
    number = serializers.IntegerField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    change = serializers.CharField(read_only=True)
    actor_name = serializers.CharField(read_only=True)


class AsOfSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    at = serializers.DateTimeField(read_only=True)
    change = serializers.CharField(read_only=True)
    actor_name = serializers.CharField(read_only=True)
    review_interval_months = serializers.IntegerField(read_only=True)
    next_review_on = serializers.DateField(read_only=True, allow_null=True)
    goals = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text=_("De doelen met stappen zoals ze toen waren, met member_id."),
    )


# --- the plan ---------------------------------------------------------------------------------


class HouseholdPlanView(generics.GenericAPIView[Plan]):
    queryset = Plan.objects.none()  # only for the schema; data comes from the door
    serializer_class = PlanSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="household_plan_retrieve",
        summary=_("Plan van aanpak van een huishouden"),
        description=_(
            "Het plan met de doelen per lid (met stappen), de laatste evaluatie en het aandeel "
            "stappen dat de cliënt zelf bedacht of afvinkte. De ETag geldt voor het hele plan. "
            "404 als het huishouden (nog) geen plan heeft. Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER, PLAN_ETAG],
        responses={200: PlanSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        household = _household_read(request, id)
        data, plan = _plan_data(household)
        return _with_etag(data, plan)

    @extend_schema(
        operation_id="household_plan_open",
        summary=_("Plan van aanpak maken"),
        description=_(
            "Maakt het plan (evaluatie elke drie maanden); 201. Bestaat het al, dan 200 met het "
            "bestaande plan: één gezin, één plan."
        ),
        parameters=[ID_PARAMETER, PLAN_ETAG],
        request=None,
        responses={200: PlanSerializer, 201: PlanSerializer, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        household = _household_for_write(request, id, "plans.plan.create")
        existed = Plan.objects.filter(household_id=household.pk).exists()
        plan_open(actor=request.user, household=household, origin=api_origin(request))
        data, plan = _plan_data(household)
        return _with_etag(data, plan, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(
        operation_id="household_plan_partial_update",
        summary=_("Evaluatietermijn wijzigen"),
        description=_(
            "De volgende evaluatie schuift naar de laatste evaluatie (of het begin van het plan) "
            "plus de nieuwe termijn. Vereist If-Match met de ETag van het plan: zonder 428, "
            "verouderd 412."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, PLAN_ETAG],
        request=PlanPatchSerializer,
        responses={
            200: PlanSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    )
    def patch(self, request: Request, id: str) -> Response:
        household = _household_for_write(request, id, "plans.plan.review_interval")
        plan = _plan_of(household)
        expected = if_match_version(request, plan)
        form = PlanPatchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            plan_review_interval_set(
                actor=request.user,
                plan=plan,
                months=form.validated_data["review_interval_months"],
                expected_version=expected,
                origin=api_origin(request),
            )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        data, plan = _plan_data(household)
        return _with_etag(data, plan)


# --- goals and steps -----------------------------------------------------------------------------


class PlanGoalsView(generics.GenericAPIView[Goal]):
    queryset = Goal.objects.none()
    serializer_class = GoalSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="household_plan_goals_create",
        summary=_("Doel toevoegen"),
        description=_(
            "Een doel voor een huidig lid van het huishouden, in een leefgebied (ZRM), concreet: "
            "wat en wanneer. Fouten per veld in het Nederlands; er wordt dan niets opgeslagen."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_OPTIONAL, PLAN_ETAG],
        request=GoalWriteSerializer,
        responses={
            201: GoalSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
        },
    )
    def post(self, request: Request, id: str) -> Response:
        household = _household_for_write(request, id, "plans.goal.create")
        plan = _plan_of(household)
        expected = _optional_if_match(request, plan)
        form = GoalWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            goal = goal_add(
                actor=request.user,
                plan=plan,
                data=GoalInput(
                    member_id=data["member"],
                    domain=data["domain"],
                    what=data["what"],
                    due_on=data["due_on"],
                    obstacle=data["obstacle"],
                    ambition=data["ambition"],
                    author_kind=data["author_kind"],
                ),
                origin=api_origin(request),
                expected_version=expected,
            )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return _with_etag(GoalSerializer(goal).data, _fresh(plan.pk), status.HTTP_201_CREATED)


def _goal_body(goal_id: Any) -> Goal:
    return Goal.objects.prefetch_related("steps").get(pk=goal_id)


class GoalDetailView(generics.GenericAPIView[Goal]):
    queryset = Goal.objects.none()
    serializer_class = GoalSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="goal_retrieve",
        summary=_("Doel"),
        description=_("Eén doel met zijn stappen. De ETag is die van het hele plan."),
        parameters=[ID_PARAMETER, PLAN_ETAG],
        responses={200: GoalSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        goal = goal_get_for_actor(actor=request.user, goal_id=id, origin=api_origin(request))
        return _with_etag(GoalSerializer(_goal_body(goal.pk)).data, goal.plan)

    @extend_schema(
        operation_id="goal_partial_update",
        summary=_("Doel wijzigen"),
        description=_(
            "Velden die ontbreken blijven zoals ze zijn. Met status dropped vervalt het doel; "
            "achieved zet achieved_on op vandaag. Vereist If-Match met de ETag van het plan: "
            "zonder 428, verouderd 412."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, PLAN_ETAG],
        request=GoalPatchSerializer(partial=True),
        responses={
            200: GoalSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    )
    def patch(self, request: Request, id: str) -> Response:
        origin = api_origin(request)
        goal = goal_get_for_actor(
            actor=request.user,
            goal_id=id,
            origin=origin,
            action="plans.goal.update",
            audit_allowed=False,
        )
        expected = if_match_version(request, goal.plan)
        form = GoalPatchSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        patch = dict(form.validated_data)
        try:
            goal_update(
                actor=request.user,
                goal=goal,
                data=GoalUpdate(
                    domain=patch.get("domain", goal.domain),
                    what=patch.get("what", goal.what),
                    due_on=patch.get("due_on", goal.due_on),
                    status=patch.get("status", goal.status),
                    obstacle=patch.get("obstacle", goal.obstacle),
                    ambition=patch.get("ambition", goal.ambition),
                ),
                expected_version=expected,
                origin=origin,
            )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return _with_etag(GoalSerializer(_goal_body(goal.pk)).data, _fresh(goal.plan_id))


class GoalStepsView(generics.GenericAPIView[Step]):
    queryset = Step.objects.none()
    serializer_class = StepSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="goal_steps_create",
        summary=_("Stap toevoegen"),
        description=_(
            "Een kleine stap bij een lopend doel, met wie hem zet en wanneer. Bij een "
            "partnerorganisatie: een actieve organisatie van de gemeente."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_OPTIONAL, PLAN_ETAG],
        request=StepWriteSerializer,
        responses={
            201: StepSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
        },
    )
    def post(self, request: Request, id: str) -> Response:
        goal = goal_get_for_actor(
            actor=request.user,
            goal_id=id,
            origin=api_origin(request),
            action="plans.step.create",
            audit_allowed=False,
        )
        expected = _optional_if_match(request, goal.plan)
        form = StepWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            step = step_add(
                actor=request.user,
                goal=goal,
                data=StepInput(
                    description=data["description"],
                    owner_kind=data["owner_kind"],
                    due_on=data["due_on"],
                    organisation_id=data["organisation"],
                    author_kind=data["author_kind"],
                    enrolment_id=data["enrolment"],
                ),
                origin=api_origin(request),
                expected_version=expected,
            )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return _with_etag(StepSerializer(step).data, _fresh(goal.plan_id), status.HTTP_201_CREATED)


class StepStatusView(generics.GenericAPIView[Step]):
    queryset = Step.objects.none()
    serializer_class = StepSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="step_status_update",
        summary=_("Stap afvinken, laten vervallen of heropenen"),
        description=_(
            "open → done of cancelled; done of cancelled → open. Vereist If-Match met de ETag "
            "van het plan: zonder 428, verouderd 412."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, PLAN_ETAG],
        request=StepStatusWriteSerializer,
        responses={
            200: StepSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    )
    def post(self, request: Request, id: str) -> Response:
        origin = api_origin(request)
        step = step_get_for_actor(
            actor=request.user, step_id=id, origin=origin, action="plans.step.status"
        )
        plan = step.goal.plan
        expected = if_match_version(request, plan)
        form = StepStatusWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            step = step_update_status(
                actor=request.user,
                step=step,
                status=data["status"],
                expected_version=expected,
                origin=origin,
                completed_by_kind=data["completed_by_kind"],
                done_on=data["done_on"],
            )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return _with_etag(StepSerializer(step).data, _fresh(plan.pk))


# --- reviews and history ---------------------------------------------------------------------


class PlanReviewsView(generics.GenericAPIView[Review]):
    queryset = Review.objects.none()
    serializer_class = ReviewSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="household_plan_reviews_create",
        summary=_("Evaluatie vastleggen"),
        description=_(
            "Een evaluatiemoment met precies één uitkomst per lopend doel (achieved, partly, "
            "not_achieved, adjusted); elk doel krijgt die uitkomst als stand. Vereist If-Match "
            "met de ETag van het plan: zonder 428, verouderd 412."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, PLAN_ETAG],
        request=ReviewWriteSerializer,
        responses={
            201: ReviewSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    )
    def post(self, request: Request, id: str) -> Response:
        household = _household_for_write(request, id, "plans.review.create")
        plan = _plan_of(household)
        expected = if_match_version(request, plan)
        form = ReviewWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            review = review_record(
                actor=request.user,
                plan=plan,
                data=ReviewInput(
                    held_on=data["held_on"],
                    note=data["note"],
                    outcomes=[
                        OutcomeInput(goal_id=o["goal"], result=o["result"], note=o["note"])
                        for o in data["outcomes"]
                    ],
                ),
                expected_version=expected,
                origin=api_origin(request),
            )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        body = ReviewSerializer(Review.objects.prefetch_related("outcomes").get(pk=review.pk)).data
        return _with_etag(body, _fresh(plan.pk), status.HTTP_201_CREATED)


class VersionPagination(_CursorPagination):
    ordering = ("-number",)
    page_size = 50
    cursor_query_description = _("De cursor uit het veld next of previous.")  # type: ignore[assignment]


class PlanVersionsView(generics.GenericAPIView[PlanVersion]):
    queryset = PlanVersion.objects.none()
    serializer_class = VersionSerializer
    pagination_class = VersionPagination

    @extend_schema(
        operation_id="household_plan_versions_list",
        summary=_("Versies van het plan"),
        description=_(
            "Elke wijziging van het plan, nieuwste eerst, per 50 met een cursor. Het plan zoals "
            "het was op een dag: /plan/as-of/?date=."
        ),
        parameters=[ID_PARAMETER],
        responses={200: VersionSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        household = _household_read(request, id)
        plan = _plan_of(household)
        page = self.paginate_queryset(plan_versions(plan_id=plan.pk).defer("snapshot")) or []
        return self.get_paginated_response(VersionSerializer(page, many=True).data)


class AsOfQuerySerializer(serializers.Serializer[Any]):
    date = serializers.DateField(
        required=False, help_text=_("JJJJ-MM-DD, niet in de toekomst; standaard vandaag.")
    )

    def validate_date(self, value: dt.date) -> dt.date:
        if value > timezone.localdate():
            raise serializers.ValidationError(_("Kies vandaag of een dag in het verleden."))
        return value


class PlanAsOfView(generics.GenericAPIView[PlanVersion]):
    queryset = PlanVersion.objects.none()
    serializer_class = AsOfSerializer

    @extend_schema(
        operation_id="household_plan_as_of",
        summary=_("Het plan zoals het was op een dag"),
        description=_(
            "De nieuwste versie van het plan aan het eind van die dag (lokale tijd). 404 als het "
            "huishouden toen nog geen plan had."
        ),
        parameters=[
            ID_PARAMETER,
            OpenApiParameter(
                "date",
                OpenApiTypes.DATE,
                OpenApiParameter.QUERY,
                required=False,
                description=_("JJJJ-MM-DD, niet in de toekomst; standaard vandaag."),
            ),
        ],
        responses={
            200: AsOfSerializer,
            400: BAD_REQUEST,
            404: OpenApiResponse(
                description=_("Bestaat niet, u mag het niet zien, of er was toen geen plan.")
            ),
        },
    )
    def get(self, request: Request, id: str) -> Response:
        household = _household_read(request, id)
        query = AsOfQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        day = query.validated_data.get("date") or timezone.localdate()
        as_of = plan_as_of(household=household, day=day)
        if as_of is None:
            raise NotFound(_("Op die dag had dit huishouden nog geen plan."))
        data = {
            "date": day,
            "number": as_of.number,
            "at": as_of.at,
            "change": as_of.change,
            "actor_name": as_of.actor_name,
            "review_interval_months": as_of.review_interval_months,
            "next_review_on": as_of.next_review_on,
            "goals": as_of.goals,
        }
        return Response(AsOfSerializer(data).data)
