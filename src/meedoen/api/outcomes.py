"""A client's outcomes as endpoints (docs/outcomes.md).

- GET/POST /api/v1/clients/{id}/outcomes/: the client's outcomes — the recorded ones (a job, an
  education, volunteer work) with their id and version, and the derived ones (benefit ended or
  re-entered, ladder changed, goal achieved) from where they are kept — and recording one;
- GET/PATCH/DELETE /api/v1/outcomes/{id}/: one recorded outcome (ETag), correcting it (only the
  fields sent change) and removing a mistake; both need If-Match (428 without, 412 when someone
  else changed it, api/preconditions.py).

Thin: the client and the outcome come through the door (outcomes.selectors_client on
caseload.access), writes go through outcomes.services. Every read writes one audit row, without
free text. A fixed number of queries whatever the client's history.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
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
from meedoen.audit.services import audit_record
from meedoen.core.concurrency import ConflictError, etag_for
from meedoen.outcomes.constants import RECORDED_KINDS, ContractType, OutcomeKind, OutcomeSource
from meedoen.outcomes.inputs import OutcomeInput
from meedoen.outcomes.models import OutcomeEvent
from meedoen.outcomes.selectors import outcome_events
from meedoen.outcomes.selectors_client import (
    DERIVED_KINDS,
    client_get_for_outcomes,
    outcome_get_for_actor,
    outcomes_recorded_for_client,
)
from meedoen.outcomes.services import outcome_delete, outcome_record, outcome_update

PURPOSE = "casework"
RECORDED_CHOICES = [(k.value, k.label) for k in RECORDED_KINDS]


class RecordedOutcomeSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    client = serializers.UUIDField(source="client_id", read_only=True)
    kind = serializers.ChoiceField(choices=RECORDED_CHOICES, read_only=True)
    occurred_on = serializers.DateField(read_only=True)
    hours_per_week = serializers.DecimalField(
        max_digits=4, decimal_places=1, read_only=True, allow_null=True
    )
    substantial_job = serializers.BooleanField(
        source="is_substantial_job",
        read_only=True,
        help_text=_("Betaald werk van 16 uur per week of meer."),
    )
    contract_type = serializers.ChoiceField(choices=ContractType.choices, read_only=True)
    sector = serializers.CharField(read_only=True)
    employer_name = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    ended_on = serializers.DateField(read_only=True, allow_null=True)
    enrolment = serializers.UUIDField(source="enrolment_id", read_only=True, allow_null=True)
    note = serializers.CharField(read_only=True)
    # Named like the model's column; DRF pops declared fields off the class, so it does not
    # shadow Field.source at run time (only the type checker sees the clash).
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=OutcomeSource.choices, read_only=True
    )
    created_by_name = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class DerivedOutcomeSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=OutcomeKind.choices, read_only=True)
    on = serializers.DateField(read_only=True)
    value = serializers.FloatField(
        read_only=True, allow_null=True, help_text=_("Trede na de verandering; anders null.")
    )
    previous = serializers.IntegerField(
        read_only=True, allow_null=True, help_text=_("Trede voor de verandering; anders null.")
    )
    reason = serializers.CharField(
        read_only=True, help_text=_("Reden van beëindiging van de uitkering; anders leeg.")
    )


class ClientOutcomeListSerializer(serializers.Serializer[Any]):
    client = serializers.UUIDField(read_only=True)
    results = RecordedOutcomeSerializer(
        many=True, read_only=True, help_text=_("Vastgelegd door de klantregisseur, nieuwste eerst.")
    )
    derived = DerivedOutcomeSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Afgeleid uit de uitkeringsadministratie, het profiel en het plan, nieuwste eerst."
        ),
    )


class RecordedOutcomeWriteSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=RECORDED_CHOICES)
    occurred_on = serializers.DateField(allow_null=True)
    hours_per_week = serializers.DecimalField(
        max_digits=4,
        decimal_places=1,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Alleen bij betaald werk: meer dan 0 tot en met 60."),
    )
    contract_type = serializers.ChoiceField(
        choices=ContractType.choices, required=False, allow_blank=True, default=""
    )
    sector = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    employer_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    description = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    ended_on = serializers.DateField(required=False, allow_null=True, default=None)
    enrolment = serializers.UUIDField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Een deelname van deze cliënt die tot de uitkomst leidde."),
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


def _input(data: dict[str, Any]) -> OutcomeInput:
    return OutcomeInput(
        kind=data["kind"],
        occurred_on=data["occurred_on"],
        hours_per_week=data["hours_per_week"],
        contract_type=data["contract_type"],
        sector=data["sector"],
        employer_name=data["employer_name"],
        description=data["description"],
        ended_on=data["ended_on"],
        enrolment_id=data["enrolment"],
        note=data["note"],
    )


def _current(outcome: OutcomeEvent) -> dict[str, Any]:
    """The outcome's writable values, under the names of RecordedOutcomeWriteSerializer."""
    return {
        "kind": outcome.kind,
        "occurred_on": outcome.occurred_on,
        "hours_per_week": outcome.hours_per_week,
        "contract_type": outcome.contract_type,
        "sector": outcome.sector,
        "employer_name": outcome.employer_name,
        "description": outcome.description,
        "ended_on": outcome.ended_on,
        "enrolment": outcome.enrolment_id,
        "note": outcome.note,
    }


class ClientOutcomesView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="client_outcomes_list",
        summary=_("Uitkomsten van een cliënt"),
        description=_(
            "De vastgelegde uitkomsten (werk, opleiding, vrijwilligerswerk) met id en versie, "
            "en de afgeleide: einde en herstart van de uitkering, een andere trede op de "
            "participatieladder, een behaald doel. Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: ClientOutcomeListSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        origin = api_origin(request)
        client = client_get_for_outcomes(
            actor=request.user,
            client_id=id,
            action="outcomes.outcome.list",
            origin=origin,
            audit_allowed=False,
        )
        recorded = outcomes_recorded_for_client(client_id=client.pk)
        derived = sorted(
            outcome_events(
                municipality_id=client.municipality_id, client_ids=[client.pk], kinds=DERIVED_KINDS
            ),
            key=lambda event: event.on,
            reverse=True,
        )
        audit_record(
            actor=request.user,
            action="outcomes.outcome.list",
            origin=origin,
            obj=client,
            subject_id=client.pk,
            purpose=PURPOSE,
            detail={"count": len(recorded), "derived": len(derived)},
        )
        body = {"client": client.pk, "results": recorded, "derived": derived}
        return Response(ClientOutcomeListSerializer(body).data)

    @extend_schema(
        operation_id="client_outcomes_create",
        summary=_("Uitkomst vastleggen"),
        description=_(
            "Legt werk, een opleiding of vrijwilligerswerk van de cliënt vast. Uren alleen bij "
            "betaald werk (meer dan 0 tot en met 60); de datum niet in de toekomst en niet voor "
            "de geboortedatum. Fouten per veld in het Nederlands; er wordt dan niets opgeslagen."
        ),
        parameters=[ID_PARAMETER],
        request=RecordedOutcomeWriteSerializer,
        responses={201: RecordedOutcomeSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        origin = api_origin(request)
        # The door first: a client the caller may not see is a 404 before the body is read.
        client = client_get_for_outcomes(
            actor=request.user,
            client_id=id,
            action="outcomes.outcome.record",
            origin=origin,
            audit_allowed=False,  # the service writes the row
        )
        form = RecordedOutcomeWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            outcome = outcome_record(
                actor=request.user,
                client=client,
                data=_input(dict(form.validated_data)),
                origin=origin,
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        response = Response(RecordedOutcomeSerializer(outcome).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(outcome)
        return response


class OutcomeDetailView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="outcome_retrieve",
        summary=_("Uitkomst"),
        description=_(
            "Eén vastgelegde uitkomst. Stuur de ETag mee in If-Match om hem te wijzigen of te "
            "verwijderen. Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER, ETAG_HEADER],
        responses={200: RecordedOutcomeSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        outcome = outcome_get_for_actor(
            actor=request.user, outcome_id=id, origin=api_origin(request)
        )
        return etag_response(RecordedOutcomeSerializer(outcome).data, outcome)

    @extend_schema(
        operation_id="outcome_partial_update",
        summary=_("Uitkomst wijzigen"),
        description=_(
            "Alleen de meegestuurde velden veranderen; de rest blijft. Dezelfde controles als bij "
            "vastleggen. Vereist If-Match met de ETag van het laatste GET: zonder 428, verouderd "
            "412."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, ETAG_HEADER],
        request=RecordedOutcomeWriteSerializer(partial=True),
        responses={
            200: RecordedOutcomeSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    )
    def patch(self, request: Request, id: str) -> Response:
        origin = api_origin(request)
        outcome = outcome_get_for_actor(
            actor=request.user,
            outcome_id=id,
            origin=origin,
            action="outcomes.outcome.update",
            audit_allowed=False,  # the service writes the row
        )
        expected_version = if_match_version(request, outcome)
        form = RecordedOutcomeWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        data = _current(outcome) | dict(form.validated_data)
        try:
            outcome_update(
                actor=request.user,
                outcome=outcome,
                expected_version=expected_version,
                data=_input(data),
                origin=origin,
            )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return etag_response(RecordedOutcomeSerializer(outcome).data, outcome)

    @extend_schema(
        operation_id="outcome_destroy",
        summary=_("Uitkomst verwijderen"),
        description=_(
            "Verwijdert een uitkomst die per vergissing is vastgelegd (wijzig hem als er iets "
            "veranderde). Vereist If-Match met de ETag van het laatste GET: zonder 428, "
            "verouderd 412."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER],
        request=None,
        responses={
            204: None,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    )
    def delete(self, request: Request, id: str) -> Response:
        origin = api_origin(request)
        outcome = outcome_get_for_actor(
            actor=request.user,
            outcome_id=id,
            origin=origin,
            action="outcomes.outcome.delete",
            audit_allowed=False,  # the service writes the row
        )
        expected_version = if_match_version(request, outcome)
        try:
            outcome_delete(
                actor=request.user,
                outcome=outcome,
                expected_version=expected_version,
                origin=origin,
            )
        except ConflictError:
            raise PreconditionFailedError from None
        return Response(status=status.HTTP_204_NO_CONTENT)
