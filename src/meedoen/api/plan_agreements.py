"""The voluntary agreement as endpoints (docs/plans.md "The agreement"):

- GET /api/v1/households/{id}/plan/agreements/: the plan's agreements, newest first;
  POST: make one from the plan as it is (201), or get the one already made from this version (200);
- GET /api/v1/agreements/{id}/pdf/: the agreement as a tagged PDF (application/pdf), audited;
- POST /api/v1/agreements/{id}/signed/: record that the client signed it on paper.

Thin: the household and the agreement through the door (caseload.access,
plans.selectors_agreement), writes through plans.services_agreement. Accepting online is the
portal's (plans.services_agreement.agreement_accept), not the staff API's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from meedoen.api.errors import service_errors
from meedoen.api.plans import _household_for_write, _household_read, _plan_of
from meedoen.api.views import BAD_REQUEST, ID_PARAMETER, NOT_FOUND, api_origin
from meedoen.plans.agreement_pdf import agreement_filename, agreement_pdf
from meedoen.plans.models import Agreement
from meedoen.plans.selectors_agreement import agreement_get_for_actor, agreements_for_plan
from meedoen.plans.services_agreement import agreement_create, agreement_record_signed


class AgreementSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    plan_version = serializers.IntegerField(
        read_only=True, help_text=_("De versie van het plan waarvan de afspraken zijn gemaakt.")
    )
    status = serializers.CharField(
        read_only=True, help_text=_("draft, signed_on_paper of accepted_in_portal.")
    )
    created_at = serializers.DateTimeField(read_only=True)
    created_by_name = serializers.CharField(read_only=True)
    signed_on = serializers.DateField(read_only=True, allow_null=True)
    signed_recorded_by_name = serializers.CharField(read_only=True)
    accepted_at = serializers.DateTimeField(read_only=True, allow_null=True)


class SignedSerializer(serializers.Serializer[Any]):
    signed_on = serializers.DateField(
        help_text=_("De dag van de handtekening: niet in de toekomst, niet voor de afspraken.")
    )


class PlanAgreementsView(generics.GenericAPIView[Agreement]):
    queryset = Agreement.objects.none()  # only for the schema; data comes from the door
    serializer_class = AgreementSerializer
    pagination_class = None  # a plan has a handful of agreements
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="household_plan_agreements_list",
        summary=_("Vrijwillige afspraken van het plan"),
        description=_("Alle afspraken, nieuwste eerst, met hun status. 404 zonder plan."),
        parameters=[ID_PARAMETER],
        responses={200: AgreementSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        plan = _plan_of(_household_read(request, id))
        return Response(AgreementSerializer(agreements_for_plan(plan_id=plan.pk), many=True).data)

    @extend_schema(
        operation_id="household_plan_agreements_create",
        summary=_("Afspraken maken van het plan"),
        description=_(
            "Maakt afspraken van het plan zoals het nu is (201). Zijn er al afspraken van deze "
            "versie van het plan, dan 200 met die afspraken. 400 als het plan geen lopend doel "
            "heeft."
        ),
        parameters=[ID_PARAMETER],
        request=None,
        responses={
            200: AgreementSerializer,
            201: AgreementSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
        },
    )
    def post(self, request: Request, id: str) -> Response:
        household = _household_for_write(request, id, "plans.agreement.create")
        plan = _plan_of(household)
        try:
            agreement, made = agreement_create(
                actor=request.user, plan=plan, origin=api_origin(request)
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return Response(
            AgreementSerializer(agreement).data,
            status=status.HTTP_201_CREATED if made else status.HTTP_200_OK,
        )


class AgreementPdfView(generics.GenericAPIView[Agreement]):
    queryset = Agreement.objects.none()
    serializer_class = AgreementSerializer

    @extend_schema(
        operation_id="agreement_pdf",
        summary=_("Afspraken als pdf"),
        description=_(
            "De afspraken als toegankelijke pdf (PDF/UA) in eenvoudig Nederlands, opnieuw "
            "gemaakt van de versie van het plan. Zonder BSN. Elke download wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY),
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, id: str) -> HttpResponse:
        agreement = agreement_get_for_actor(
            actor=request.user, agreement_id=id, origin=api_origin(request)
        )
        response = HttpResponse(agreement_pdf(agreement=agreement), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{agreement_filename(agreement)}"'
        response["Cache-Control"] = "no-store"
        return response


class AgreementSignedView(generics.GenericAPIView[Agreement]):
    queryset = Agreement.objects.none()
    serializer_class = AgreementSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="agreement_signed",
        summary=_("Ondertekening op papier vastleggen"),
        description=_(
            "De cliënt heeft de geprinte afspraken ondertekend op signed_on. Alleen bij "
            "afspraken die nog niet ondertekend of geaccepteerd zijn; anders 400."
        ),
        parameters=[ID_PARAMETER],
        request=SignedSerializer,
        responses={200: AgreementSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        origin = api_origin(request)
        agreement = agreement_get_for_actor(
            actor=request.user,
            agreement_id=id,
            origin=origin,
            action="plans.agreement.sign",
            audit_allowed=False,  # the service audits the write
        )
        form = SignedSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            agreement = agreement_record_signed(
                actor=request.user,
                agreement=agreement,
                signed_on=form.validated_data["signed_on"],
                origin=origin,
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return Response(AgreementSerializer(agreement).data)
