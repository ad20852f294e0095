"""The contact log of a household as endpoints (docs/caseload.md):

- GET/POST /api/v1/households/{id}/contacts/: the log (newest versions, newest first, cursor
  paged) and logging a contact moment;
- GET /api/v1/contacts/{id}/: one contact moment, with the version it corrects and the one that
  corrected it; POST /api/v1/contacts/{id}/correction/: correct it (a new version; append-only);
- GET/POST /api/v1/households/{id}/appointments/, GET/PATCH /api/v1/appointments/{id}/ (ETag and
  If-Match; a PATCH with a closing `status` closes it, `done` logs the contact);
- GET/POST /api/v1/households/{id}/relapses/.

Thin: households through the door's rule (caseload.access), writes through caseload.contacts.
One audit row per request, without free text.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response

from meedoen.api.errors import service_errors
from meedoen.api.pagination import _CursorPagination
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
from meedoen.caseload.constants import (
    AppointmentStatus,
    ContactKind,
    ContactPurpose,
    OtherParticipant,
    PracticalHelp,
)
from meedoen.caseload.contacts import (
    appointment_close,
    appointment_plan,
    appointment_update,
    contact_moment_correct,
    contact_moment_record,
    relapse_record,
)
from meedoen.caseload.inputs import AppointmentInput, AppointmentOutcome, ContactInput, RelapseInput
from meedoen.caseload.models import Appointment, ContactMoment, Relapse
from meedoen.caseload.selectors import (
    appointment_get_for_actor,
    as_uuid,
    contact_get_for_actor,
    contacts_current,
)
from meedoen.clients.models import Household
from meedoen.core.concurrency import ConflictError, etag_for

PURPOSE = "casework"


class NewestContactPagination(_CursorPagination):
    # A timestamp in the cursor, never a name.
    ordering = ("-occurred_at", "-id")
    page_size = 20
    cursor_query_description = _("De cursor uit het veld next of previous.")  # type: ignore[assignment]


class AppointmentPagination(NewestContactPagination):
    ordering = ("-starts_at", "-id")


class RelapsePagination(NewestContactPagination):
    ordering = ("-date", "-id")


def _household(request: Request, household_id: str, action: str) -> Household:
    """The door's rule for a household sub-resource, audited once under `action` when refused."""
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


def _audit_list(request: Request, action: str, household: Household, count: int) -> None:
    audit_record(
        actor=request.user,
        action=action,
        origin=api_origin(request),
        obj=household,
        purpose=PURPOSE,
        detail={"count": count},
    )


# --- contact moments ----------------------------------------------------------------------------


def _codes(choices: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), max_length=20, default=list
    )


class ContactWriteSerializer(serializers.Serializer[Any]):
    occurred_at = serializers.DateTimeField(
        help_text=_("Niet in de toekomst, hoogstens twee jaar terug.")
    )
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    purpose = serializers.ChoiceField(
        choices=ContactPurpose.choices, default=ContactPurpose.REGULAR
    )
    duration_minutes = serializers.IntegerField(
        allow_null=True,
        default=None,
        help_text=_("1 tot en met 600; verplicht bij contact waarin is gesproken."),
    )
    participants = serializers.ListField(
        child=serializers.UUIDField(),
        max_length=30,
        default=list,
        help_text=_("Id's van huidige leden van het huishouden die erbij waren."),
    )
    other_participants = _codes(OtherParticipant.choices)
    summary = serializers.CharField(max_length=10000)
    practical_help = _codes(PracticalHelp.choices)
    agreements = serializers.CharField(allow_blank=True, default="", max_length=5000)
    second_coach = serializers.IntegerField(allow_null=True, default=None)

    def to_input(self) -> ContactInput:
        data = self.validated_data
        return ContactInput(
            occurred_at=data["occurred_at"],
            kind=data["kind"],
            purpose=data["purpose"],
            summary=data["summary"],
            duration_minutes=data["duration_minutes"],
            participant_ids=list(data["participants"]),
            other_participants=list(data["other_participants"]),
            practical_help=list(data["practical_help"]),
            agreements=data["agreements"],
            second_coach_id=data["second_coach"],
        )


class ContactCorrectionSerializer(ContactWriteSerializer):
    reason = serializers.CharField(max_length=300, help_text=_("Waarom de correctie nodig is."))


class ContactSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    household = serializers.UUIDField(read_only=True)
    occurred_at = serializers.DateTimeField(read_only=True)
    kind = serializers.CharField(read_only=True)
    purpose = serializers.CharField(read_only=True)
    duration_minutes = serializers.IntegerField(read_only=True, allow_null=True)
    participants = serializers.ListField(child=serializers.UUIDField(), read_only=True)
    other_participants = serializers.ListField(child=serializers.CharField(), read_only=True)
    summary = serializers.CharField(read_only=True)
    practical_help = serializers.ListField(child=serializers.CharField(), read_only=True)
    agreements = serializers.CharField(read_only=True)
    coach_name = serializers.CharField(read_only=True)
    second_coach_name = serializers.CharField(read_only=True)
    corrects = serializers.UUIDField(
        read_only=True, allow_null=True, help_text=_("De versie die deze corrigeert.")
    )
    corrected_by = serializers.UUIDField(
        read_only=True,
        allow_null=True,
        help_text=_("De nieuwere versie, als deze is gecorrigeerd (in de lijst altijd null)."),
    )
    correction_reason = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


def _contact_data(contact: ContactMoment, corrected_by: object = None) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "household": contact.household_id,
        "occurred_at": contact.occurred_at,
        "kind": contact.kind,
        "purpose": contact.purpose,
        "duration_minutes": contact.duration_minutes,
        "participants": [p.client_id for p in contact.participants.all()],
        "other_participants": list(contact.other_participants),
        "summary": contact.summary,
        "practical_help": list(contact.practical_help),
        "agreements": contact.agreements,
        "coach_name": contact.coach_name,
        "second_coach_name": contact.second_coach_name,
        "corrects": contact.corrects_id,
        "corrected_by": corrected_by,
        "correction_reason": contact.correction_reason,
        "created_at": contact.created_at,
    }


class HouseholdContactsView(generics.GenericAPIView[ContactMoment]):
    queryset = ContactMoment.objects.none()  # only for the schema; data comes from the door
    serializer_class = ContactSerializer
    pagination_class = NewestContactPagination
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="household_contacts_list",
        summary=_("Contactlog van een huishouden"),
        description=_(
            "De contactmomenten, nieuwste eerst, per 20 met een cursor. Van een gecorrigeerd "
            "contactmoment staat alleen de nieuwste versie in de lijst (corrects wijst naar de "
            "vorige). Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: ContactSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        household = _household(request, id, "caseload.contact.list")
        page = self.paginate_queryset(contacts_current(household.pk)) or []
        _audit_list(request, "caseload.contact.list", household, len(page))
        return self.get_paginated_response(
            ContactSerializer([_contact_data(c) for c in page], many=True).data
        )

    @extend_schema(
        operation_id="household_contacts_create",
        summary=_("Contactmoment vastleggen"),
        description=_(
            "Legt een contactmoment vast; u bent de klantregisseur die het contact had. Een "
            "vastgelegd contactmoment verandert niet meer: een vergissing herstelt u met "
            "POST /api/v1/contacts/{id}/correction/. Fouten per veld in het Nederlands; er "
            "wordt dan niets opgeslagen."
        ),
        parameters=[ID_PARAMETER],
        request=ContactWriteSerializer,
        responses={201: ContactSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        household = _household(request, id, "caseload.contact.create")
        form = ContactWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            contact = contact_moment_record(
                actor=request.user,
                household=household,
                data=form.to_input(),
                origin=api_origin(request),
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return Response(
            ContactSerializer(_contact_data(contact)).data, status=status.HTTP_201_CREATED
        )


def _contact_body(request: Request, contact_id: object, **kwargs: Any) -> dict[str, Any]:
    contact = contact_get_for_actor(
        actor=request.user, contact_id=contact_id, origin=api_origin(request), **kwargs
    )
    newer = (
        ContactMoment.objects.filter(corrects_id=contact.pk).values_list("pk", flat=True).first()
    )
    return _contact_data(contact, corrected_by=newer)


class ContactDetailView(generics.GenericAPIView[ContactMoment]):
    queryset = ContactMoment.objects.none()
    serializer_class = ContactSerializer

    @extend_schema(
        operation_id="contact_retrieve",
        summary=_("Contactmoment"),
        description=_(
            "Eén versie van een contactmoment, met de versie die het corrigeert (corrects) en de "
            "nieuwere versie als het zelf is gecorrigeerd (corrected_by). Elke inzage wordt "
            "vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: ContactSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        return Response(ContactSerializer(_contact_body(request, id)).data)


class ContactCorrectionView(generics.GenericAPIView[ContactMoment]):
    queryset = ContactMoment.objects.none()
    serializer_class = ContactCorrectionSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="contact_correct",
        summary=_("Contactmoment corrigeren"),
        description=_(
            "Legt een nieuwe versie vast die naar deze wijst; deze versie blijft bewaard. Geef "
            "het hele contactmoment zoals het had moeten zijn en de reden. Alleen de nieuwste "
            "versie kan worden gecorrigeerd: anders 400 op corrects."
        ),
        parameters=[ID_PARAMETER],
        request=ContactCorrectionSerializer,
        responses={201: ContactSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        original = contact_get_for_actor(
            actor=request.user,
            contact_id=id,
            origin=api_origin(request),
            action="caseload.contact.correct",
            audit_allowed=False,  # the service writes the row
        )
        form = ContactCorrectionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        try:
            contact = contact_moment_correct(
                actor=request.user,
                original=original,
                data=form.to_input(),
                reason=form.validated_data["reason"],
                origin=api_origin(request),
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return Response(
            ContactSerializer(_contact_data(contact)).data, status=status.HTTP_201_CREATED
        )


# --- appointments -------------------------------------------------------------------------------


class AppointmentWriteSerializer(serializers.Serializer[Any]):
    starts_at = serializers.DateTimeField(
        help_text=_("Vandaag of later, hoogstens een jaar vooruit.")
    )
    kind = serializers.ChoiceField(choices=ContactKind.choices)
    purpose = serializers.ChoiceField(
        choices=ContactPurpose.choices, default=ContactPurpose.REGULAR
    )
    location = serializers.CharField(allow_blank=True, default="", max_length=200)
    note = serializers.CharField(allow_blank=True, default="", max_length=5000)
    second_coach = serializers.IntegerField(allow_null=True, default=None)


class AppointmentPatchSerializer(AppointmentWriteSerializer):
    """A change of the plan, or (with a closing status) how it ended."""

    status = serializers.ChoiceField(
        choices=[s for s in AppointmentStatus.choices if s[0] != AppointmentStatus.PLANNED],
        required=False,
        help_text=_(
            "Sluit de afspraak af. done: gehouden, het contactmoment wordt vastgelegd met "
            "summary, duration_minutes en participants. cancelled of no_show: geen contact."
        ),
    )
    summary = serializers.CharField(allow_blank=True, default="", max_length=10000)
    duration_minutes = serializers.IntegerField(allow_null=True, default=None)
    participants = serializers.ListField(child=serializers.UUIDField(), max_length=30, default=list)
    other_participants = _codes(OtherParticipant.choices)
    practical_help = _codes(PracticalHelp.choices)
    agreements = serializers.CharField(allow_blank=True, default="", max_length=5000)


class AppointmentSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    household = serializers.UUIDField(source="household_id", read_only=True)
    version = serializers.IntegerField(read_only=True)
    starts_at = serializers.DateTimeField(read_only=True)
    kind = serializers.CharField(read_only=True)
    purpose = serializers.CharField(read_only=True)
    location = serializers.CharField(read_only=True)
    note = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    coach_name = serializers.CharField(source="coach.display_name", read_only=True)
    second_coach_name = serializers.CharField(
        source="second_coach.display_name", read_only=True, allow_null=True, default=None
    )
    contact = serializers.UUIDField(
        source="contact_id",
        read_only=True,
        allow_null=True,
        help_text=_("Het contactmoment, als de afspraak is gehouden."),
    )


class HouseholdAppointmentsView(generics.GenericAPIView[Appointment]):
    queryset = Appointment.objects.none()
    serializer_class = AppointmentSerializer
    pagination_class = AppointmentPagination
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="household_appointments_list",
        summary=_("Afspraken van een huishouden"),
        description=_("Alle afspraken, nieuwste eerst, per 20 met een cursor."),
        parameters=[ID_PARAMETER],
        responses={200: AppointmentSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        household = _household(request, id, "caseload.appointment.list")
        queryset = Appointment.objects.filter(household_id=household.pk).select_related(
            "coach", "second_coach"
        )
        page = self.paginate_queryset(queryset) or []
        _audit_list(request, "caseload.appointment.list", household, len(page))
        return self.get_paginated_response(AppointmentSerializer(page, many=True).data)

    @extend_schema(
        operation_id="household_appointments_create",
        summary=_("Afspraak plannen"),
        description=_("Plant een afspraak; u bent de klantregisseur die hem heeft."),
        parameters=[ID_PARAMETER],
        request=AppointmentWriteSerializer,
        responses={201: AppointmentSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        household = _household(request, id, "caseload.appointment.create")
        form = AppointmentWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            appointment = appointment_plan(
                actor=request.user,
                household=household,
                data=AppointmentInput(
                    starts_at=data["starts_at"],
                    kind=data["kind"],
                    purpose=data["purpose"],
                    location=data["location"],
                    note=data["note"],
                    second_coach_id=data["second_coach"],
                ),
                origin=api_origin(request),
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        response = Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(appointment)
        return response


class AppointmentDetailView(generics.GenericAPIView[Appointment]):
    queryset = Appointment.objects.none()
    serializer_class = AppointmentSerializer
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="appointment_retrieve",
        summary=_("Afspraak"),
        description=_("Eén afspraak. Stuur de ETag mee in If-Match om te wijzigen."),
        parameters=[ID_PARAMETER, ETAG_HEADER],
        responses={200: AppointmentSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        appointment = appointment_get_for_actor(
            actor=request.user, appointment_id=id, origin=api_origin(request)
        )
        return etag_response(AppointmentSerializer(appointment).data, appointment)

    @extend_schema(
        operation_id="appointment_partial_update",
        summary=_("Afspraak wijzigen of afsluiten"),
        description=_(
            "Velden die ontbreken blijven zoals ze zijn. Met status sluit u de afspraak af "
            "(done legt het contactmoment vast). Een afgesloten afspraak verandert niet meer. "
            "Vereist If-Match met de ETag van het laatste GET: zonder 428, verouderd 412."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, ETAG_HEADER],
        request=AppointmentPatchSerializer(partial=True),
        responses={
            200: AppointmentSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    )
    def patch(self, request: Request, id: str) -> Response:
        origin = api_origin(request)
        appointment = appointment_get_for_actor(
            actor=request.user,
            appointment_id=id,
            origin=origin,
            action="caseload.appointment.update",
            audit_allowed=False,
        )
        expected_version = if_match_version(request, appointment)
        form = AppointmentPatchSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        patch = dict(form.validated_data)
        try:
            if "status" in patch:
                appointment_close(
                    actor=request.user,
                    appointment=appointment,
                    expected_version=expected_version,
                    outcome=AppointmentOutcome(
                        status=patch["status"],
                        summary=patch.get("summary", ""),
                        duration_minutes=patch.get("duration_minutes"),
                        participant_ids=list(patch.get("participants", [])),
                        other_participants=list(patch.get("other_participants", [])),
                        practical_help=list(patch.get("practical_help", [])),
                        agreements=patch.get("agreements", ""),
                    ),
                    origin=origin,
                )
            else:
                appointment_update(
                    actor=request.user,
                    appointment=appointment,
                    expected_version=expected_version,
                    data=AppointmentInput(
                        starts_at=patch.get("starts_at", appointment.starts_at),
                        kind=patch.get("kind", appointment.kind),
                        purpose=patch.get("purpose", appointment.purpose),
                        location=patch.get("location", appointment.location),
                        note=patch.get("note", appointment.note),
                        second_coach_id=patch.get("second_coach", appointment.second_coach_id),
                    ),
                    origin=origin,
                )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        appointment = appointment_get_for_actor(
            actor=request.user, appointment_id=appointment.pk, origin=origin, audit_allowed=False
        )
        return etag_response(AppointmentSerializer(appointment).data, appointment)


# --- relapses -----------------------------------------------------------------------------------


class RelapseSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    household = serializers.UUIDField(source="household_id", read_only=True)
    client = serializers.UUIDField(
        source="client_id",
        allow_null=True,
        required=False,
        default=None,
        help_text=_("Het lid om wie het gaat; leeg voor het hele huishouden."),
    )
    date = serializers.DateField()
    note = serializers.CharField(max_length=5000)
    recorded_by_name = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class HouseholdRelapsesView(generics.GenericAPIView[Relapse]):
    queryset = Relapse.objects.none()
    serializer_class = RelapseSerializer
    pagination_class = RelapsePagination
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="household_relapses_list",
        summary=_("Terugval in een huishouden"),
        description=_(
            "Vastgelegde terugval, nieuwste eerst. Een terugval sluit de begeleiding niet af."
        ),
        parameters=[ID_PARAMETER],
        responses={200: RelapseSerializer(many=True), 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        household = _household(request, id, "caseload.relapse.list")
        page = self.paginate_queryset(Relapse.objects.filter(household_id=household.pk)) or []
        _audit_list(request, "caseload.relapse.list", household, len(page))
        return self.get_paginated_response(RelapseSerializer(page, many=True).data)

    @extend_schema(
        operation_id="household_relapses_create",
        summary=_("Terugval vastleggen"),
        description=_(
            "Een gebeurtenis: de toewijzing, de intensiteit en de rest blijven zoals ze zijn."
        ),
        parameters=[ID_PARAMETER],
        request=RelapseSerializer,
        responses={201: RelapseSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        household = _household(request, id, "caseload.relapse.create")
        form = RelapseSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        try:
            relapse = relapse_record(
                actor=request.user,
                household=household,
                data=RelapseInput(
                    date=data["date"], note=data["note"], client_id=data.get("client_id")
                ),
                origin=api_origin(request),
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        return Response(RelapseSerializer(relapse).data, status=status.HTTP_201_CREATED)
