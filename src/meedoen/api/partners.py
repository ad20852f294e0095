"""Partner organisations as endpoints (docs/partners.md).

- GET/POST /api/v1/partners/organisations/: the municipality's registry (paged with a cursor) and
  registering an organisation;
- GET/PATCH /api/v1/partners/organisations/{id}/: one organisation with its people, and changing
  it (If-Match with the ETag from GET: 428 without, 412 when someone else changed it);
- GET/POST /api/v1/households/{id}/involvements/: the organisations involved with a household now,
  with per current member what may be shared under consent, and recording a new involvement.

Thin: the registry is read through partners.selectors (per municipality; for roles that do not
use it the endpoints do not exist, 404), households come through the door (caseload.access),
writes go through partners.services.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.api.errors import service_errors
from meedoen.api.pagination import PublicIdCursorPagination
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
from meedoen.caseload.access import household_get_for_actor
from meedoen.core.concurrency import ConflictError, etag_for
from meedoen.partners import selectors
from meedoen.partners.constants import InvolvementTopic, OrganisationKind
from meedoen.partners.models import Organisation
from meedoen.partners.services import (
    NotAllowed,
    involvement_add,
    organisation_create,
    organisation_update,
)
from meedoen.privacy.constants import DataCategory

PURPOSE = "casework"


class PersonSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)
    job_title = serializers.CharField(read_only=True)
    phone = serializers.CharField(read_only=True)
    email = serializers.CharField(read_only=True)
    is_active = serializers.BooleanField(read_only=True)


class OrganisationSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=OrganisationKind.choices)
    code = serializers.CharField(
        max_length=32,
        allow_blank=True,
        default="",
        help_text=_("De code waarmee een toestemming de organisatie aanwijst."),
    )
    phone = serializers.CharField(max_length=20, allow_blank=True, default="")
    email = serializers.CharField(max_length=254, allow_blank=True, default="")
    website = serializers.CharField(max_length=200, allow_blank=True, default="")
    note = serializers.CharField(max_length=5000, allow_blank=True, default="")
    is_active = serializers.BooleanField(default=True)
    household_count = serializers.IntegerField(
        read_only=True, help_text=_("Aantal huishoudens waarbij de organisatie nu betrokken is.")
    )


class OrganisationDetailSerializer(OrganisationSerializer):
    people = PersonSerializer(many=True, read_only=True)


def _organisation_body(organisation: Organisation) -> Any:
    data = OrganisationDetailSerializer(organisation).data
    return data


def _require_reader(request: Request) -> None:
    if not selectors.actor_may_read_partners(request.user):
        raise NotFound


def _require_manager(request: Request) -> None:
    _require_reader(request)
    if not selectors.actor_may_manage_partners(request.user):
        raise PermissionDenied(
            _("Alleen de functioneel beheerder en de teamleider wijzigen het register.")
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("Partnerorganisaties"),
        description=_(
            "Het register van de eigen gemeente, gepagineerd met een cursor. Voor "
            "klantregisseurs, teamleiders en functioneel beheerders; voor andere rollen bestaat "
            "het niet (404)."
        ),
        responses={200: OrganisationSerializer(many=True), 404: NOT_FOUND},
    ),
    create=extend_schema(
        summary=_("Partnerorganisatie toevoegen"),
        description=_(
            "Alleen de functioneel beheerder en de teamleider. Fouten per veld in het Nederlands."
        ),
        request=OrganisationSerializer,
        responses={201: OrganisationDetailSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    ),
    retrieve=extend_schema(
        summary=_("Partnerorganisatie"),
        description=_("Eén organisatie met haar contactpersonen. De ETag hoort bij deze versie."),
        parameters=[ID_PARAMETER, ETAG_HEADER],
        responses={200: OrganisationDetailSerializer, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary=_("Partnerorganisatie wijzigen"),
        description=_(
            "Velden die ontbreken blijven zoals ze zijn; is_active false haalt de organisatie uit "
            "de keuzelijsten (verwijderen kan niet). Vereist If-Match met de ETag van het laatste "
            "GET: zonder If-Match 428, met een verouderde ETag 412."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, ETAG_HEADER],
        request=OrganisationSerializer(partial=True),
        responses={
            200: OrganisationDetailSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    ),
)
class OrganisationViewSet(viewsets.GenericViewSet[Organisation]):
    queryset = Organisation.objects.none()  # only for the schema; data comes from the selectors
    serializer_class = OrganisationSerializer
    pagination_class = PublicIdCursorPagination
    lookup_url_kwarg = "id"
    parser_classes = [JSONParser]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def list(self, request: Request) -> Response:
        _require_reader(request)
        queryset = selectors.organisation_list(actor=request.user).order_by("id")
        page = self.paginate_queryset(queryset) or []
        return self.get_paginated_response(OrganisationSerializer(page, many=True).data)

    def create(self, request: Request) -> Response:
        _require_manager(request)
        form = OrganisationSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            organisation = organisation_create(
                actor=request.user, data=dict(form.validated_data), origin=api_origin(request)
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        organisation = selectors.organisation_get_for_actor(
            actor=request.user, organisation_id=organisation.pk
        )
        response = Response(_organisation_body(organisation), status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(organisation)
        return response

    def retrieve(self, request: Request, id: str) -> Response:
        _require_reader(request)
        organisation = selectors.organisation_get_for_actor(actor=request.user, organisation_id=id)
        return etag_response(_organisation_body(organisation), organisation)

    def partial_update(self, request: Request, id: str) -> Response:
        _require_reader(request)
        organisation = selectors.organisation_get_for_actor(actor=request.user, organisation_id=id)
        _require_manager(request)
        expected_version = if_match_version(request, organisation)
        form = OrganisationSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        try:
            organisation_update(
                actor=request.user,
                organisation=organisation,
                expected_version=expected_version,
                data=dict(form.validated_data),
                origin=api_origin(request),
            )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        organisation = selectors.organisation_get_for_actor(actor=request.user, organisation_id=id)
        return etag_response(_organisation_body(organisation), organisation)


# Involvements -----------------------------------------------------------------------------------


class SharingSerializer(serializers.Serializer[Any]):
    client = serializers.UUIDField(read_only=True)
    data_categories = serializers.ListField(
        child=serializers.ChoiceField(choices=DataCategory.choices),
        read_only=True,
        help_text=_("Wat nu met toestemming gedeeld mag worden met deze organisatie; leeg: niets."),
    )


class InvolvementSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    organisation = serializers.UUIDField(help_text=_("Een organisatie uit het register."))
    organisation_name = serializers.CharField(read_only=True)
    topic = serializers.ChoiceField(choices=InvolvementTopic.choices)
    client = serializers.UUIDField(
        allow_null=True, default=None, help_text=_("Een lid van het huishouden; null: iedereen.")
    )
    person = serializers.UUIDField(
        allow_null=True, default=None, help_text=_("Een contactpersoon van de organisatie.")
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField(read_only=True, allow_null=True)
    note = serializers.CharField(max_length=5000, allow_blank=True, default="")
    sharing = SharingSerializer(many=True, read_only=True)


class InvolvementListSerializer(serializers.Serializer[Any]):
    household = serializers.UUIDField(read_only=True)
    results = InvolvementSerializer(many=True, read_only=True)


def _involvement_data(row: selectors.InvolvementRow) -> dict[str, Any]:
    i = row.involvement
    return {
        "id": i.pk,
        "version": i.version,
        "organisation": i.organisation_id,
        "organisation_name": i.organisation.name,
        "topic": i.topic,
        "client": i.client_id,
        "person": i.person_id,
        "start_date": i.start_date,
        "end_date": i.end_date,
        "note": i.note,
        "sharing": [{"client": m.client.pk, "data_categories": m.categories} for m in row.sharing],
    }


class HouseholdInvolvementsView(APIView):
    parser_classes = [JSONParser]

    def _household(self, request: Request, id: str) -> Any:
        return household_get_for_actor(
            actor=request.user, household_id=id, purpose=PURPOSE, origin=api_origin(request)
        )

    @extend_schema(
        operation_id="household_involvements_list",
        summary=_("Betrokken organisaties bij een huishouden"),
        description=_(
            "De organisaties die nu betrokken zijn, met per huidig lid van het huishouden wat er "
            "nu met toestemming gedeeld mag worden. Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: InvolvementListSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        household = self._household(request, id)
        rows = selectors.household_involvements(household)
        body = {"household": household.pk, "results": [_involvement_data(r) for r in rows]}
        return Response(InvolvementListSerializer(body).data)

    @extend_schema(
        operation_id="household_involvements_create",
        summary=_("Betrokken organisatie vastleggen"),
        description=_(
            "Legt vast dat een organisatie uit het register betrokken is bij het huishouden, en "
            "waarvoor. Fouten per veld in het Nederlands; er wordt dan niets opgeslagen."
        ),
        parameters=[ID_PARAMETER],
        request=InvolvementSerializer,
        responses={201: InvolvementSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        household = self._household(request, id)
        form = InvolvementSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        organisation = (
            selectors.organisation_choices(municipality_id=household.municipality_id)
            .filter(pk=data["organisation"])
            .first()
        )
        members = {m.pk: m for m in selectors.household_members(household)}
        people = (
            {p.pk: p for p in selectors.person_choices(municipality_id=household.municipality_id)}
            if data.get("person")
            else {}
        )
        errors: dict[str, list[Any]] = {}
        if data.get("client") and data["client"] not in members:
            errors["client"] = [_("Kies iemand die nu tot dit huishouden hoort.")]
        if data.get("person") and data["person"] not in people:
            errors["person"] = [_("Kies een contactpersoon van de organisatie.")]
        if errors:
            raise serializers.ValidationError(errors)
        try:
            involvement = involvement_add(
                actor=request.user,
                household=household,
                organisation=organisation,
                data={
                    "topic": data["topic"],
                    "client": members.get(data.get("client")) if data.get("client") else None,
                    "person": people.get(data.get("person")) if data.get("person") else None,
                    "start_date": data["start_date"],
                    "note": data.get("note", ""),
                },
                origin=api_origin(request),
            )
        except NotAllowed:
            raise NotFound from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        row = next(
            r
            for r in selectors.household_involvements(household)
            if r.involvement.pk == involvement.pk
        )
        response = Response(
            InvolvementSerializer(_involvement_data(row)).data, status=status.HTTP_201_CREATED
        )
        response["ETag"] = etag_for(involvement)
        return response
