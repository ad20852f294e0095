"""API views: thin. Data comes only through caseload.access; every read is audited.

Audit policy for lists: one row per response ("clients.client.list" / "clients.household.list")
with the number of records shown and the names (not the values) of the filters used. A list
shows a summary (name, date of birth, address), and a page of 50 rows per request would otherwise
multiply the audit table by the page size on every scroll. Opening one file — the detail
endpoints — writes one row per person through the access door ("clients.client.read",
"clients.household.read"), so "who opened my file" stays answerable per client. A BSN search
identifies one person, so it records that person's pseudonym. BSN searches are limited per user
(api/throttling.py); one over the limit is answered 429 and audited as a denied search.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from meedoen.api.filters import ApiClientFilterSet
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
from meedoen.api.selectors import household_detail_queryset, household_list_queryset
from meedoen.api.serializers import (
    BsnSearchResultSerializer,
    BsnSearchSerializer,
    ClientContactSerializer,
    ClientContactUpdateSerializer,
    ClientDetailSerializer,
    ClientListSerializer,
    HouseholdDetailSerializer,
    HouseholdListSerializer,
)
from meedoen.api.throttling import THROTTLED, BsnSearchThrottle, BsnSearchThrottled
from meedoen.audit.constants import Result
from meedoen.audit.services import Origin, audit_record
from meedoen.caseload.access import (
    client_get_for_actor,
    clients_visible_to,
    household_get_for_actor,
    households_visible_to,
)
from meedoen.clients import selectors as client_selectors
from meedoen.clients.models import Client, Household
from meedoen.clients.services import client_contact_update
from meedoen.core.concurrency import ConflictError

logger = logging.getLogger(__name__)

PURPOSE = "casework"

NOT_FOUND = OpenApiResponse(
    description=_("Bestaat niet, of u mag het niet zien (dat is bewust niet te onderscheiden).")
)
BAD_REQUEST = OpenApiResponse(
    description=_('Ongeldige invoer: per veld een Nederlandse foutmelding, {"veld": ["..."]}.')
)

ID_PARAMETER = OpenApiParameter(
    "id", OpenApiTypes.UUID, OpenApiParameter.PATH, description=_("Publieke id (UUID).")
)


def api_origin(request: Request) -> Origin:
    return Origin.from_request(request, channel="api")


def _filters_used(request: Request, names: Any) -> list[str]:
    # Only the names: a filter value can be a name or postcode, which stays out of the audit trail.
    return sorted(name for name in names if request.query_params.get(name))


@extend_schema_view(
    list=extend_schema(
        summary=_("Cliënten"),
        description=_(
            "Cliënten die u mag zien, gepagineerd met een cursor. Filter op naam of postcode (q) "
            "en wijk. Zoeken op BSN gaat met POST /api/v1/clients/search/."
        ),
        responses={200: ClientListSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary=_("Cliënt"),
        description=_("Het dossier van één cliënt. Elke inzage wordt vastgelegd."),
        parameters=[ID_PARAMETER],
        responses={200: ClientDetailSerializer, 404: NOT_FOUND},
    ),
)
class ClientViewSet(viewsets.GenericViewSet[Client]):
    queryset = Client.objects.none()  # only for the schema; data comes from the access door
    serializer_class = ClientListSerializer
    filterset_class = ApiClientFilterSet
    pagination_class = PublicIdCursorPagination
    lookup_url_kwarg = "id"

    def get_queryset(self) -> Any:
        visible = clients_visible_to(actor=self.request.user)
        return client_selectors.client_list(clients=visible)

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return ClientDetailSerializer
        if self.action == "search":
            return BsnSearchSerializer
        if self.action == "contact":
            return ClientContactSerializer
        return ClientListSerializer

    def list(self, request: Request) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset) or []
        data = ClientListSerializer(page, many=True).data
        audit_record(
            actor=request.user,
            action="clients.client.list",
            origin=api_origin(request),
            purpose=PURPOSE,
            detail={
                "count": len(page),
                "filters": _filters_used(request, ApiClientFilterSet.base_filters),
            },
        )
        return self.get_paginated_response(data)

    def throttled(self, request: Request, wait: float | None) -> NoReturn:
        """Over the BSN search limit (api/throttling.py): audited as a denied search, without
        the BSN (the body is not even read)."""
        audit_record(
            actor=request.user,
            action="clients.client.search",
            origin=api_origin(request),
            purpose=PURPOSE,
            result=Result.DENIED,
            detail={"by": "bsn", "reason": "throttled"},
        )
        logger.warning("BSN search throttled for user id %s", request.user.pk)
        raise BsnSearchThrottled(wait)

    def retrieve(self, request: Request, id: str) -> Response:
        client = client_get_for_actor(
            actor=request.user,
            client_id=id,
            purpose=PURPOSE,
            origin=api_origin(request),
            queryset=client_selectors.client_detail_queryset(),
        )
        return Response(ClientDetailSerializer(client).data)

    @extend_schema(
        summary=_("Zoek een cliënt op BSN"),
        description=_(
            "Het BSN staat in de body en nooit in de URL, zodat het niet in logbestanden komt. "
            "Geeft nul of één cliënt."
        ),
        request=BsnSearchSerializer,
        responses={200: BsnSearchResultSerializer, 400: BAD_REQUEST, 429: THROTTLED},
    )
    @action(
        detail=False,
        methods=["post"],
        pagination_class=None,
        filterset_class=None,
        throttle_classes=[BsnSearchThrottle],
    )
    def search(self, request: Request) -> Response:
        form = BsnSearchSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        visible = clients_visible_to(actor=request.user)
        # A BSN is unique per municipality, so this finds at most one client.
        found = list(
            client_selectors.client_list(clients=visible, query=form.validated_data["bsn"])[:2]
        )
        person = found[0] if len(found) == 1 else None
        audit_record(
            actor=request.user,
            action="clients.client.search",
            origin=api_origin(request),
            obj=person,
            subject_id=person.pk if person else None,
            purpose=PURPOSE,
            detail={"count": len(found), "by": "bsn"},
        )
        return Response(
            {"results": ClientListSerializer(found, many=True).data}, status=status.HTTP_200_OK
        )

    # The contact details are a resource of their own, so that its ETag covers exactly what a
    # PATCH changes: the client's detail also shows household, address and benefits, which change
    # without the client's version (docs/development/concurrency.md).
    @extend_schema(
        methods=["GET"],
        summary=_("Contactgegevens van een cliënt"),
        description=_(
            "Telefoon, e-mail en talen. De ETag in het antwoord hoort bij deze versie; stuur hem "
            "mee in If-Match om te wijzigen. Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER, ETAG_HEADER],
        responses={200: ClientContactSerializer, 404: NOT_FOUND},
    )
    @extend_schema(
        methods=["PATCH"],
        summary=_("Contactgegevens wijzigen"),
        description=_(
            "Wijzigt telefoon, e-mail en/of talen; velden die ontbreken blijven zoals ze zijn, "
            '"" of [] maakt een veld leeg. Vereist If-Match met de ETag van het laatste GET: '
            "zonder If-Match 428, met een verouderde ETag 412 (iemand anders wijzigde de "
            "gegevens intussen; er is dan niets opgeslagen). Het antwoord heeft de nieuwe ETag. "
            "De wijziging wordt vastgelegd met de namen van de gewijzigde velden, niet de "
            "waarden."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, ETAG_HEADER],
        request=ClientContactUpdateSerializer,
        responses={
            200: ClientContactSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    )
    @action(
        detail=True,
        methods=["get", "patch"],
        url_path="contact",
        pagination_class=None,
        filterset_class=None,
        parser_classes=[JSONParser],
    )
    def contact(self, request: Request, id: str) -> Response:
        # The door first: a client the caller may not see is a 404 before any If-Match check.
        client = client_get_for_actor(
            actor=request.user, client_id=id, purpose=PURPOSE, origin=api_origin(request)
        )
        if request.method == "GET":
            return etag_response(ClientContactSerializer(client).data, client)
        expected_version = if_match_version(request, client)
        form = ClientContactUpdateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            client_contact_update(
                actor=request.user,
                client=client,
                expected_version=expected_version,
                origin=api_origin(request),
                **form.validated_data,
            )
        except ConflictError:
            # Changed between the If-Match check and the write.
            raise PreconditionFailedError from None
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from None
        return etag_response(ClientContactSerializer(client).data, client)


@extend_schema_view(
    list=extend_schema(
        summary=_("Huishoudens"),
        description=_("Huishoudens die u mag zien, met huidig adres en huidige leden."),
        responses={200: HouseholdListSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary=_("Huishouden"),
        description=_(
            "Eén huishouden: leden met hun rol (ook vroegere), huidig adres en "
            "verhuisgeschiedenis. Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: HouseholdDetailSerializer, 404: NOT_FOUND},
    ),
)
class HouseholdViewSet(viewsets.GenericViewSet[Household]):
    queryset = Household.objects.none()  # only for the schema; data comes from the access door
    serializer_class = HouseholdListSerializer
    pagination_class = PublicIdCursorPagination
    lookup_url_kwarg = "id"

    def get_queryset(self) -> Any:
        return household_list_queryset(households=households_visible_to(actor=self.request.user))

    def get_serializer_class(self) -> Any:
        if self.action == "retrieve":
            return HouseholdDetailSerializer
        return HouseholdListSerializer

    def list(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset())) or []
        data = HouseholdListSerializer(page, many=True).data
        audit_record(
            actor=request.user,
            action="clients.household.list",
            origin=api_origin(request),
            purpose=PURPOSE,
            detail={"count": len(page)},
        )
        return self.get_paginated_response(data)

    def retrieve(self, request: Request, id: str) -> Response:
        household = household_get_for_actor(
            actor=request.user,
            household_id=id,
            purpose=PURPOSE,
            origin=api_origin(request),
            queryset=household_detail_queryset(),
        )
        return Response(HouseholdDetailSerializer(household).data)
