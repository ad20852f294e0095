"""The instrument catalogue and enrolments as endpoints (docs/instruments.md).

- GET /api/v1/instruments/: the municipality's catalogue with usage figures, filtered like the
  page (kind, target_group, category, q, inactive); GET /api/v1/instruments/{id}/: one instrument
  with its waiting list (clients the caller may not see are a position and a date only);
- GET/POST /api/v1/households/{id}/enrolments/: the enrolments of the household's current members,
  and enrolling a member (requested when a place is free, else on the waiting list);
- GET/PATCH /api/v1/enrolments/{id}/: one enrolment (ETag), and recording its start, finish or
  early stop with `status` (If-Match: 428 without, 412 when someone else changed it).

Thin: the catalogue is read through instruments.selectors (per municipality; for roles that do
not use it the endpoints do not exist, 404), households and enrolments come through the door
(caseload.access), writes go through instruments.services. Every read of enrolments writes one
audit row, without free text.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.api.errors import service_errors
from meedoen.api.preconditions import (
    ETAG_HEADER,
    IF_MATCH_HEADER,
    PRECONDITION_FAILED,
    PRECONDITION_REQUIRED,
    PreconditionFailedError,
    etag_response,
    if_match_version,
)
from meedoen.api.views import BAD_REQUEST, ID_PARAMETER, NOT_FOUND, api_origin
from meedoen.audit.constants import Result
from meedoen.audit.services import audit_record
from meedoen.caseload.access import ClientNotVisible, households_visible_to
from meedoen.caseload.selectors import as_uuid
from meedoen.clients.models import Household
from meedoen.core.concurrency import ConflictError, etag_for
from meedoen.instruments import selectors
from meedoen.instruments.constants import (
    EnrolmentResult,
    EnrolmentStatus,
    InstrumentKind,
    StopReason,
    TargetGroup,
)
from meedoen.instruments.inputs import (
    EnrolmentFinishInput,
    EnrolmentRequestInput,
    EnrolmentStartInput,
    EnrolmentStopInput,
)
from meedoen.instruments.models import Enrolment, Instrument
from meedoen.instruments.services import (
    enrolment_finish,
    enrolment_request,
    enrolment_start,
    enrolment_stop,
)
from meedoen.partners.selectors import household_members

PURPOSE = "casework"


# The catalogue ---------------------------------------------------------------------------------


class CategoryRefSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


class UsageSerializer(serializers.Serializer[Any]):
    started = serializers.IntegerField(read_only=True, help_text=_("Nu bezig."))
    requested = serializers.IntegerField(
        read_only=True, help_text=_("Aangemeld; een plaats is voor hen gereserveerd.")
    )
    waiting = serializers.IntegerField(read_only=True, help_text=_("Op de wachtlijst."))
    finished = serializers.IntegerField(read_only=True, help_text=_("Afgerond, totaal."))
    stopped_early = serializers.IntegerField(
        read_only=True, help_text=_("Voortijdig gestopt, totaal.")
    )
    places_free = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Vrije plaatsen; null: onbeperkt.")
    )


class InstrumentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=InstrumentKind.choices, read_only=True)
    provider = serializers.UUIDField(
        read_only=True, allow_null=True, help_text=_("De organisatie uit het register, of null.")
    )
    provider_name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    target_groups = serializers.ListField(
        child=serializers.ChoiceField(choices=TargetGroup.choices), read_only=True
    )
    categories = CategoryRefSerializer(many=True, read_only=True)
    capacity = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Aantal plaatsen; null: onbeperkt.")
    )
    cost_per_participant = serializers.DecimalField(
        max_digits=9, decimal_places=2, read_only=True, allow_null=True
    )
    usual_duration_weeks = serializers.IntegerField(read_only=True, allow_null=True)
    is_active = serializers.BooleanField(read_only=True)
    usage = UsageSerializer(read_only=True)


class WaitingRowSerializer(serializers.Serializer[Any]):
    position = serializers.IntegerField(read_only=True, help_text=_("1: de eerstvolgende."))
    requested_at = serializers.DateTimeField(read_only=True)
    enrolment = serializers.UUIDField(
        read_only=True, allow_null=True, help_text=_("Null voor een cliënt die u niet mag zien.")
    )
    client = serializers.UUIDField(
        read_only=True, allow_null=True, help_text=_("Null voor een cliënt die u niet mag zien.")
    )


class InstrumentDetailSerializer(InstrumentSerializer):
    waiting_list = WaitingRowSerializer(many=True, read_only=True)


def _instrument_data(entry: selectors.CatalogueEntry) -> dict[str, Any]:
    i = entry.instrument
    return {
        "id": i.pk,
        "version": i.version,
        "name": i.name,
        "kind": i.kind,
        "provider": i.provider_id,
        "provider_name": i.provider_name,
        "description": i.description,
        "target_groups": entry.target_groups,
        "categories": [{"id": c.pk, "name": c.name} for c in entry.categories],
        "capacity": i.capacity,
        "cost_per_participant": i.cost_per_participant,
        "usual_duration_weeks": i.usual_duration_weeks,
        "is_active": i.is_active,
        "usage": {
            "started": entry.started,
            "requested": entry.requested,
            "waiting": entry.waiting,
            "finished": entry.finished,
            "stopped_early": entry.stopped_early,
            "places_free": entry.places_free,
        },
    }


def _require_reader(request: Request) -> None:
    if not selectors.actor_may_read_catalogue(request.user):
        raise NotFound


CATALOGUE_FILTERS = [
    OpenApiParameter("kind", OpenApiTypes.STR, enum=InstrumentKind.values),
    OpenApiParameter("target_group", OpenApiTypes.STR, enum=TargetGroup.values),
    OpenApiParameter("category", OpenApiTypes.UUID, description=_("Id van een categorie.")),
    OpenApiParameter("q", OpenApiTypes.STR, description=_("Naam of aanbieder bevat.")),
    OpenApiParameter(
        "inactive",
        OpenApiTypes.BOOL,
        description=_("true: ook instrumenten die niet meer worden aangeboden."),
    ),
]


class CatalogueFilterSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=InstrumentKind.choices, required=False)
    target_group = serializers.ChoiceField(choices=TargetGroup.choices, required=False)
    category = serializers.UUIDField(required=False)
    q = serializers.CharField(max_length=100, required=False, allow_blank=True)
    inactive = serializers.BooleanField(required=False, default=False)


@extend_schema_view(
    list=extend_schema(
        summary=_("Instrumenten"),
        description=_(
            "De catalogus van de eigen gemeente met het gebruik nu, op naam gesorteerd (niet "
            "gepagineerd: een catalogus telt tientallen instrumenten). Voor klantregisseurs, "
            "teamleiders en functioneel beheerders; voor andere rollen bestaat hij niet (404)."
        ),
        parameters=CATALOGUE_FILTERS,
        responses={200: InstrumentSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary=_("Instrument"),
        description=_(
            "Eén instrument met het gebruik en de wachtlijst in volgorde. Van cliënten die u "
            "niet mag zien staan alleen de plaats en de datum van aanmelding."
        ),
        parameters=[ID_PARAMETER, ETAG_HEADER],
        responses={200: InstrumentDetailSerializer, 404: NOT_FOUND},
    ),
)
class InstrumentViewSet(viewsets.GenericViewSet[Instrument]):
    queryset = Instrument.objects.none()  # only for the schema; data comes from the selectors
    serializer_class = InstrumentSerializer
    pagination_class = None
    lookup_url_kwarg = "id"
    http_method_names = ["get", "head", "options"]

    def list(self, request: Request) -> Response:
        _require_reader(request)
        filters = CatalogueFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        entries = selectors.catalogue(
            actor=request.user,
            kind=data.get("kind", ""),
            target_group=data.get("target_group", ""),
            category_id=data.get("category"),
            query=data.get("q", ""),
            active_only=not data["inactive"],
        )
        return Response(
            InstrumentSerializer([_instrument_data(e) for e in entries], many=True).data
        )

    def retrieve(self, request: Request, id: str) -> Response:
        entry = selectors.catalogue_entry(actor=request.user, instrument_id=id)
        waiting = selectors.waiting_list(actor=request.user, instrument=entry.instrument)
        named = sum(1 for row in waiting.rows if row.enrolment is not None)
        if named:
            audit_record(
                actor=request.user,
                action="instruments.waiting_list.read",
                origin=api_origin(request),
                obj=entry.instrument,
                purpose=PURPOSE,
                detail={"named": named, "waiting": len(waiting.rows)},
            )
        body = _instrument_data(entry) | {
            "waiting_list": [
                {
                    "position": row.position,
                    "requested_at": row.requested_at,
                    "enrolment": row.enrolment.pk if row.enrolment else None,
                    "client": row.enrolment.client_id if row.enrolment else None,
                }
                for row in waiting.rows
            ]
        }
        return etag_response(InstrumentDetailSerializer(body).data, entry.instrument)


# Enrolments ------------------------------------------------------------------------------------


class EnrolmentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    instrument = serializers.UUIDField(source="instrument_id", read_only=True)
    instrument_name = serializers.CharField(source="instrument.name", read_only=True)
    client = serializers.UUIDField(source="client_id", read_only=True)
    household = serializers.UUIDField(
        source="household_id",
        read_only=True,
        help_text=_("Het huishouden waartoe de cliënt hoorde bij de aanmelding."),
    )
    status = serializers.ChoiceField(choices=EnrolmentStatus.choices, read_only=True)
    waiting_position = serializers.SerializerMethodField(
        help_text=_("Plaats op de wachtlijst (1: de eerstvolgende); null als niet wachtend.")
    )
    requested_at = serializers.DateTimeField(read_only=True)
    started_on = serializers.DateField(read_only=True, allow_null=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)
    stop_reason = serializers.CharField(read_only=True)
    result = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    end_note = serializers.CharField(read_only=True)
    created_by_name = serializers.CharField(read_only=True)

    def get_waiting_position(self, enrolment: Enrolment) -> int | None:
        return getattr(enrolment, "waiting_position", 0) or None


class EnrolmentListSerializer(serializers.Serializer[Any]):
    household = serializers.UUIDField(read_only=True)
    results = EnrolmentSerializer(many=True, read_only=True)


class EnrolmentRequestSerializer(serializers.Serializer[Any]):
    client = serializers.UUIDField(help_text=_("Een lid van het huishouden."))
    instrument = serializers.UUIDField(help_text=_("Een instrument uit de catalogus."))
    note = serializers.CharField(max_length=5000, allow_blank=True, default="")


class EnrolmentPatchSerializer(serializers.Serializer[Any]):
    """A change of status, with what belongs to it."""

    status = serializers.ChoiceField(
        choices=[
            (s.value, s.label)
            for s in (
                EnrolmentStatus.STARTED,
                EnrolmentStatus.FINISHED,
                EnrolmentStatus.STOPPED_EARLY,
            )
        ],
        help_text=_(
            "started: met started_on. finished: met ended_on en result. stopped_early: met "
            "ended_on en reason (other vraagt om end_note); result mag."
        ),
    )
    started_on = serializers.DateField(required=False, allow_null=True, default=None)
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    result = serializers.ChoiceField(
        choices=EnrolmentResult.choices, required=False, allow_blank=True, default=""
    )
    reason = serializers.ChoiceField(
        choices=StopReason.choices, required=False, allow_blank=True, default=""
    )
    end_note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


def _household(request: Request, household_id: str, action: str) -> Household:
    """The door's rule for the household, audited once under `action` when refused."""
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


class HouseholdEnrolmentsView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="household_enrolments_list",
        summary=_("Deelnames aan instrumenten van een huishouden"),
        description=_(
            "De deelnames van wie nu tot het huishouden hoort, nieuwste aanmelding eerst, met de "
            "plaats op de wachtlijst. Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: EnrolmentListSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        household = _household(request, id, "instruments.enrolment.list")
        enrolments = selectors.enrolments_for_household(household=household)
        audit_record(
            actor=request.user,
            action="instruments.enrolment.list",
            origin=api_origin(request),
            obj=household,
            purpose=PURPOSE,
            detail={"count": len(enrolments)},
        )
        body = {"household": household.pk, "results": enrolments}
        return Response(EnrolmentListSerializer(body).data)

    @extend_schema(
        operation_id="household_enrolments_create",
        summary=_("Aanmelden voor een instrument"),
        description=_(
            "Meldt een lid van het huishouden aan. Is er een plaats vrij en wacht niemand, dan "
            "is de status requested; anders waiting, achteraan de wachtlijst. Fouten per veld in "
            "het Nederlands; er wordt dan niets opgeslagen."
        ),
        parameters=[ID_PARAMETER],
        request=EnrolmentRequestSerializer,
        responses={201: EnrolmentSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        household = _household(request, id, "instruments.enrolment.request")
        form = EnrolmentRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        members = {m.pk: m for m in household_members(household)}
        client = members.get(data["client"])
        if client is None:
            raise serializers.ValidationError(
                {"client": [_("Kies iemand die nu tot dit huishouden hoort.")]}
            )
        instrument = (
            selectors.instruments_visible_to(actor=request.user)
            .filter(pk=data["instrument"])
            .first()
        )
        try:
            enrolment = enrolment_request(
                actor=request.user,
                client=client,
                instrument=instrument,  # type: ignore[arg-type]  # None: the service says so
                data=EnrolmentRequestInput(note=data["note"]),
                origin=api_origin(request),
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        enrolment = selectors.enrolment_get_for_actor(
            actor=request.user,
            enrolment_id=enrolment.pk,
            origin=api_origin(request),
            audit_allowed=False,
        )
        response = Response(EnrolmentSerializer(enrolment).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(enrolment)
        return response


STATUS_ACTIONS: dict[str, str] = {
    EnrolmentStatus.STARTED: "instruments.enrolment.start",
    EnrolmentStatus.FINISHED: "instruments.enrolment.finish",
    EnrolmentStatus.STOPPED_EARLY: "instruments.enrolment.stop",
}


class EnrolmentDetailView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="enrolment_retrieve",
        summary=_("Deelname aan een instrument"),
        description=_(
            "Eén deelname, met de plaats op de wachtlijst. Stuur de ETag mee in If-Match om de "
            "start, afronding of het stoppen vast te leggen. Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER, ETAG_HEADER],
        responses={200: EnrolmentSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        enrolment = selectors.enrolment_get_for_actor(
            actor=request.user, enrolment_id=id, origin=api_origin(request)
        )
        return etag_response(EnrolmentSerializer(enrolment).data, enrolment)

    @extend_schema(
        operation_id="enrolment_partial_update",
        summary=_("Start, afronding of stoppen vastleggen"),
        description=_(
            "Met status started (en started_on), finished (ended_on, result) of stopped_early "
            "(ended_on, reason). Een volle plaats of een wachtlijst waarop de cliënt nog niet "
            "aan de beurt is, geeft 400 met de reden. Vereist If-Match met de ETag van het "
            "laatste GET: zonder 428, verouderd 412."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, ETAG_HEADER],
        request=EnrolmentPatchSerializer,
        responses={
            200: EnrolmentSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    )
    def patch(self, request: Request, id: str) -> Response:
        origin = api_origin(request)
        wanted = request.data.get("status") if isinstance(request.data, dict) else None
        enrolment = selectors.enrolment_get_for_actor(
            actor=request.user,
            enrolment_id=id,
            origin=origin,
            action=STATUS_ACTIONS.get(str(wanted), "instruments.enrolment.read"),
            audit_allowed=False,  # the service writes the row
        )
        expected_version = if_match_version(request, enrolment)
        form = EnrolmentPatchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        kwargs: dict[str, Any] = {
            "actor": request.user,
            "enrolment": enrolment,
            "expected_version": expected_version,
            "origin": origin,
        }
        try:
            if data["status"] == EnrolmentStatus.STARTED:
                enrolment_start(**kwargs, data=EnrolmentStartInput(started_on=data["started_on"]))
            elif data["status"] == EnrolmentStatus.FINISHED:
                enrolment_finish(
                    **kwargs,
                    data=EnrolmentFinishInput(
                        ended_on=data["ended_on"], result=data["result"], end_note=data["end_note"]
                    ),
                )
            else:
                enrolment_stop(
                    **kwargs,
                    data=EnrolmentStopInput(
                        ended_on=data["ended_on"],
                        reason=data["reason"],
                        result=data["result"],
                        end_note=data["end_note"],
                    ),
                )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        enrolment = selectors.enrolment_get_for_actor(
            actor=request.user, enrolment_id=id, origin=origin, audit_allowed=False
        )
        return etag_response(EnrolmentSerializer(enrolment).data, enrolment)
