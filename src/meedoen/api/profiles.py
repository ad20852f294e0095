"""Conversations and profiles as endpoints (docs/profiles.md).

- GET/POST /api/v1/clients/{id}/conversations/: a client's conversations (newest first, without
  the report text) and recording a new one with its profile;
- GET/PATCH /api/v1/conversations/{id}/: one conversation with its whole profile, and correcting
  it (If-Match with the ETag from GET: 428 without, 412 when someone else changed it);
- GET /api/v1/clients/{id}/profile/: the latest profile, its completeness and the change since
  the conversation before;
- GET /api/v1/clients/{id}/profile/history/: ladder and ZRM per domain over time, big steps.

Thin: clients and conversations come through the door (profiles.selectors over caseload.access),
writes go through profiles.services. Each request leaves one audit row named after what it does;
no free text ever goes into it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
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
from meedoen.profiles.constants import (
    ConversationPlace,
    DrivingLicence,
    EducationLevel,
    HelpCategory,
    LanguageLevel,
    ObstacleCategory,
    ParticipantRole,
    Sector,
    Severity,
    TravelMeans,
    WorkReadiness,
    ZrmDomain,
)
from meedoen.profiles.inputs import ConversationInput, ProfileInput
from meedoen.profiles.isco import isco_title
from meedoen.profiles.measures import BIG_STEP_MIN_RUNGS, BIG_STEP_WINDOW_DAYS, ProfileChange
from meedoen.profiles.models import Conversation, ProfileSnapshot
from meedoen.profiles.selectors import (
    client_get_for_profile,
    conversation_get_for_actor,
    conversation_list,
    profile_completeness_of,
    profile_history,
    profile_input_for,
    profile_latest,
)
from meedoen.profiles.services import conversation_record, conversation_update

PURPOSE = "casework"


# --- serializers: the profile ------------------------------------------------------------------


class ObstacleSerializer(serializers.Serializer[Any]):
    category = serializers.ChoiceField(choices=ObstacleCategory.choices)
    severity = serializers.ChoiceField(
        choices=Severity.choices, help_text=_("1 licht, 2 matig, 3 ernstig.")
    )
    addressed = serializers.BooleanField(default=False, help_text=_("Wordt aangepakt."))
    note = serializers.CharField(allow_blank=True, default="", max_length=2000)


class HelpNeedSerializer(serializers.Serializer[Any]):
    category = serializers.ChoiceField(choices=HelpCategory.choices)
    note = serializers.CharField(allow_blank=True, default="", max_length=2000)


class WorkExperienceSerializer(serializers.Serializer[Any]):
    isco_code = serializers.CharField(
        max_length=4, help_text=_("ISCO-08-beroepsgroep, 4 cijfers (bijvoorbeeld 9112).")
    )
    title = serializers.SerializerMethodField(help_text=_("Naam van het beroep."))
    description = serializers.CharField(allow_blank=True, default="", max_length=200)
    years = serializers.IntegerField(min_value=0, max_value=60, allow_null=True, default=None)
    last_year = serializers.IntegerField(
        min_value=1950, max_value=2100, allow_null=True, default=None
    )

    def get_title(self, obj: Any) -> str:
        code = obj["isco_code"] if isinstance(obj, dict) else obj.isco_code
        return isco_title(code)


def _zrm_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=5,
        allow_null=True,
        required=False,
        help_text=_("1 tot en met 5; null = onbekend (alleen bij een eerste gesprek)."),
    )


class ZrmSerializer(serializers.Serializer[Any]):
    """ZRM 2017: all 13 domains, or none (not assessed in this conversation)."""

    financien = _zrm_field()
    werk_opleiding = _zrm_field()
    tijdsbesteding = _zrm_field()
    huisvesting = _zrm_field()
    huiselijke_relaties = _zrm_field()
    geestelijke_gezondheid = _zrm_field()
    lichamelijke_gezondheid = _zrm_field()
    middelengebruik = _zrm_field()
    basale_adl = _zrm_field()
    instrumentele_adl = _zrm_field()
    sociaal_netwerk = _zrm_field()
    maatschappelijke_participatie = _zrm_field()
    justitie = _zrm_field()


class CompletenessSerializer(serializers.Serializer[Any]):
    percent = serializers.IntegerField(read_only=True)
    filled = serializers.ListField(child=serializers.CharField(), read_only=True)
    missing = serializers.ListField(child=serializers.CharField(), read_only=True)
    is_complete = serializers.BooleanField(read_only=True)


def _codes(choices: Any, **kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices), max_length=30, default=list, **kwargs
    )


def _texts(**kwargs: Any) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=200), max_length=30, default=list, **kwargs
    )


class ProfileSerializer(serializers.Serializer[Any]):
    """The profile captured in a conversation: a whole snapshot, not a patch."""

    talents = serializers.CharField(allow_blank=True, default="", max_length=2000)
    skills = _texts()
    wishes = serializers.CharField(allow_blank=True, default="", max_length=2000)
    ambition_short = serializers.CharField(allow_blank=True, default="", max_length=2000)
    ambition_long = serializers.CharField(allow_blank=True, default="", max_length=2000)
    obstacles = ObstacleSerializer(many=True, default=list)
    no_obstacles = serializers.BooleanField(
        default=False, help_text=_("Besproken, en er zijn geen belemmeringen.")
    )
    help_needs = HelpNeedSerializer(many=True, default=list)
    zrm = ZrmSerializer(
        default=dict,
        help_text=_(
            "Leefgebieden (ZRM 2017): alle 13 met een score 1 tot en met 5, of {} als de ZRM in "
            "dit gesprek niet is ingevuld. 'Onbekend' (null) alleen bij een eerste gesprek."
        ),
    )
    ladder_current = serializers.IntegerField(
        min_value=1, max_value=6, allow_null=True, default=None
    )
    ladder_potential = serializers.IntegerField(
        min_value=1, max_value=6, allow_null=True, default=None
    )
    work_readiness = serializers.ChoiceField(
        choices=WorkReadiness.choices, allow_blank=True, default=""
    )
    work_readiness_reason = serializers.CharField(allow_blank=True, default="", max_length=2000)
    education_level = serializers.ChoiceField(
        choices=EducationLevel.choices, allow_blank=True, default=""
    )
    diplomas = _texts()
    work_experience = WorkExperienceSerializer(many=True, default=list)
    preferred_occupations = serializers.ListField(
        child=serializers.CharField(max_length=4),
        max_length=30,
        default=list,
        help_text=_("ISCO-08-codes, in volgorde van voorkeur."),
    )
    preferred_sectors = _codes(Sector.choices)
    hours_per_week = serializers.IntegerField(
        min_value=0, max_value=60, allow_null=True, default=None
    )
    travel_radius_km = serializers.IntegerField(
        min_value=0, max_value=250, allow_null=True, default=None
    )
    travel_means = _codes(TravelMeans.choices)
    driving_licences = _codes(DrivingLicence.choices)
    dutch_level = serializers.ChoiceField(
        choices=LanguageLevel.choices, allow_blank=True, default=""
    )
    other_languages = serializers.ListField(
        child=serializers.CharField(max_length=3),
        max_length=30,
        default=list,
        help_text=_("ISO 639-codes (nl staat apart, bij dutch_level)."),
    )
    available_from = serializers.DateField(allow_null=True, default=None)
    completeness = CompletenessSerializer(read_only=True)


def _profile_data(snapshot: ProfileSnapshot) -> dict[str, Any]:
    data = profile_input_for(snapshot).as_dict()
    completeness = profile_completeness_of(snapshot)
    data["completeness"] = {
        "percent": completeness.percent,
        "filled": list(completeness.filled),
        "missing": list(completeness.missing),
        "is_complete": completeness.is_complete,
    }
    return data


# --- serializers: the conversation ------------------------------------------------------------


class ConversationWriteSerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    place = serializers.ChoiceField(choices=ConversationPlace.choices)
    participants = _codes(
        ParticipantRole.choices, help_text=_("Wie er nog meer bij was, alleen de rol.")
    )
    notes = serializers.CharField(allow_blank=True, default="", max_length=10000)
    profile = ProfileSerializer(
        required=False, help_text=_("Het profiel na het gesprek; leeg als niets is ingevuld.")
    )


class ConversationSummarySerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    date = serializers.DateField(read_only=True)
    place = serializers.CharField(read_only=True)
    participants = serializers.ListField(child=serializers.CharField(), read_only=True)
    conducted_by_name = serializers.CharField(read_only=True)
    ladder_current = serializers.IntegerField(
        source="profile.ladder_current", read_only=True, allow_null=True
    )
    completeness = serializers.IntegerField(
        source="profile.completeness", read_only=True, help_text=_("Procent ingevuld.")
    )
    is_complete = serializers.BooleanField(source="profile.is_complete", read_only=True)


class ConversationListSerializer(serializers.Serializer[Any]):
    client = serializers.UUIDField(read_only=True)
    results = ConversationSummarySerializer(many=True, read_only=True)


class ConversationSerializer(serializers.Serializer[Any]):
    id = serializers.UUIDField(read_only=True)
    client = serializers.UUIDField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    date = serializers.DateField(read_only=True)
    place = serializers.CharField(read_only=True)
    participants = serializers.ListField(child=serializers.CharField(), read_only=True)
    notes = serializers.CharField(read_only=True)
    conducted_by_name = serializers.CharField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    profile = ProfileSerializer(read_only=True)


def _conversation_data(conversation: Conversation) -> dict[str, Any]:
    return {
        "id": conversation.pk,
        "client": conversation.client_id,
        "version": conversation.version,
        "date": conversation.date,
        "place": conversation.place,
        "participants": list(conversation.participants),
        "notes": conversation.notes,
        "conducted_by_name": conversation.conducted_by_name,
        "created_at": conversation.created_at,
        "updated_at": conversation.updated_at,
        "profile": _profile_data(conversation.profile),
    }


# --- profile and history ---------------------------------------------------------------------


class ChangeSerializer(serializers.Serializer[Any]):
    previous_date = serializers.DateField(read_only=True, allow_null=True)
    ladder_current = serializers.IntegerField(read_only=True, allow_null=True)
    ladder_potential = serializers.IntegerField(read_only=True, allow_null=True)
    zrm = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        read_only=True,
        help_text=_("Verschil per leefgebied; null als een van beide keren onbekend was."),
    )
    obstacles_new = serializers.ListField(child=serializers.CharField(), read_only=True)
    obstacles_gone = serializers.ListField(child=serializers.CharField(), read_only=True)
    completeness = serializers.IntegerField(read_only=True, allow_null=True)


class LatestProfileSerializer(serializers.Serializer[Any]):
    client = serializers.UUIDField(read_only=True)
    conversation = serializers.UUIDField(read_only=True, allow_null=True)
    date = serializers.DateField(read_only=True, allow_null=True)
    profile = ProfileSerializer(read_only=True, allow_null=True)
    change = ChangeSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Verandering sinds het gesprek daarvoor (null zonder gesprek)."),
    )


class LadderPointSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(read_only=True)
    current = serializers.IntegerField(read_only=True)
    potential = serializers.IntegerField(read_only=True, allow_null=True)
    conversation = serializers.UUIDField(read_only=True)


class ZrmPointSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(read_only=True)
    score = serializers.IntegerField(read_only=True, allow_null=True)
    conversation = serializers.UUIDField(read_only=True)


class ZrmSeriesSerializer(serializers.Serializer[Any]):
    domain = serializers.CharField(read_only=True)
    # The metaclass pops declared fields, so this does not shadow Field.label at runtime.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    points = ZrmPointSerializer(many=True, read_only=True)


class BigStepSerializer(serializers.Serializer[Any]):
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True)
    from_rung = serializers.IntegerField(read_only=True)
    to_rung = serializers.IntegerField(read_only=True)


class DefinitionSerializer(serializers.Serializer[Any]):
    big_step_min_rungs = serializers.IntegerField(read_only=True)
    big_step_window_days = serializers.IntegerField(read_only=True)


class HistorySerializer(serializers.Serializer[Any]):
    client = serializers.UUIDField(read_only=True)
    ladder = LadderPointSerializer(many=True, read_only=True)
    zrm = ZrmSeriesSerializer(many=True, read_only=True)
    big_steps = BigStepSerializer(
        many=True, read_only=True, help_text=_("Een grote stap vooruit op de participatieladder.")
    )
    change = ChangeSerializer(read_only=True, allow_null=True)
    definition = DefinitionSerializer(read_only=True)


def _change_data(change: ProfileChange | None) -> dict[str, Any] | None:
    if change is None:
        return None
    return {
        "previous_date": change.previous_date,
        "ladder_current": change.ladder_current,
        "ladder_potential": change.ladder_potential,
        "zrm": dict(change.zrm),
        "obstacles_new": list(change.obstacles_new),
        "obstacles_gone": list(change.obstacles_gone),
        "completeness": change.completeness,
    }


# --- views ------------------------------------------------------------------------------------


class ClientConversationsView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="client_conversations_list",
        summary=_("Gesprekken met een cliënt"),
        description=_(
            "Alle gesprekken met de cliënt, nieuwste eerst, zonder verslag (dat staat bij het "
            "gesprek zelf). Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: ConversationListSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        client = client_get_for_profile(
            actor=request.user,
            client_id=id,
            action="profiles.conversation.list",
            origin=api_origin(request),
            audit_allowed=False,
        )
        conversations = list(conversation_list(client_id=client.pk))
        audit_record(
            actor=request.user,
            action="profiles.conversation.list",
            origin=api_origin(request),
            obj=client,
            subject_id=client.pk,
            purpose=PURPOSE,
            detail={"count": len(conversations)},
        )
        return Response(
            ConversationListSerializer({"client": client.pk, "results": conversations}).data
        )

    @extend_schema(
        operation_id="client_conversations_create",
        summary=_("Gesprek vastleggen"),
        description=_(
            "Legt een gesprek vast met het profiel zoals het na het gesprek is (een momentopname: "
            "geef het hele profiel). Fouten per veld in het Nederlands, met het pad van het veld "
            "(bijvoorbeeld profile.zrm.financien); er wordt dan niets opgeslagen."
        ),
        parameters=[ID_PARAMETER],
        request=ConversationWriteSerializer,
        responses={201: ConversationSerializer, 400: BAD_REQUEST, 404: NOT_FOUND},
    )
    def post(self, request: Request, id: str) -> Response:
        # The door first: a client the caller may not see is a 404 before the body is read.
        client = client_get_for_profile(
            actor=request.user,
            client_id=id,
            action="profiles.conversation.create",
            origin=api_origin(request),
            audit_allowed=False,  # the service writes the create row
        )
        form = ConversationWriteSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = dict(form.validated_data)
        try:
            conversation = conversation_record(
                actor=request.user,
                client=client,
                conversation=_conversation_input(data),
                profile=ProfileInput.from_mapping(data.get("profile") or {}),
                origin=api_origin(request),
            )
        except DjangoValidationError as error:
            raise service_errors(error) from None
        conversation = conversation_get_for_actor(
            actor=request.user,
            conversation_id=conversation.pk,
            origin=api_origin(request),
            audit_allowed=False,
        )
        response = Response(_conversation_body(conversation), status=status.HTTP_201_CREATED)
        response["ETag"] = etag_for(conversation)
        return response


def _conversation_input(data: dict[str, Any]) -> ConversationInput:
    return ConversationInput(
        date=data["date"],
        place=data["place"],
        participants=list(data.get("participants") or []),
        notes=data.get("notes", ""),
    )


def _conversation_body(conversation: Conversation) -> Any:
    return ConversationSerializer(_conversation_data(conversation)).data


@extend_schema_view(
    retrieve=extend_schema(
        summary=_("Gesprek"),
        description=_(
            "Eén gesprek met het hele profiel van die dag. De ETag hoort bij deze versie; stuur "
            "hem mee in If-Match om te corrigeren. Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER, ETAG_HEADER],
        responses={200: ConversationSerializer, 404: NOT_FOUND},
    ),
    partial_update=extend_schema(
        summary=_("Gesprek corrigeren"),
        description=_(
            "Corrigeert een vastgelegd gesprek. Velden die ontbreken blijven zoals ze zijn; binnen "
            "profile vervangt elk gegeven onderdeel het oude (zrm: de hele ZRM). Vereist If-Match "
            "met de ETag van het laatste GET: zonder If-Match 428, met een verouderde ETag 412 "
            "(iemand anders wijzigde het gesprek intussen; er is dan niets opgeslagen). De "
            "correctie wordt vastgelegd met de namen van de gewijzigde velden, niet de inhoud."
        ),
        parameters=[ID_PARAMETER, IF_MATCH_HEADER, ETAG_HEADER],
        request=ConversationWriteSerializer(partial=True),
        responses={
            200: ConversationSerializer,
            400: BAD_REQUEST,
            404: NOT_FOUND,
            412: PRECONDITION_FAILED,
            428: PRECONDITION_REQUIRED,
        },
    ),
)
class ConversationViewSet(viewsets.GenericViewSet[Conversation]):
    queryset = Conversation.objects.none()  # only for the schema; data comes from the door
    serializer_class = ConversationSerializer
    lookup_url_kwarg = "id"
    parser_classes = [JSONParser]
    http_method_names = ["get", "patch", "head", "options"]

    def retrieve(self, request: Request, id: str) -> Response:
        conversation = conversation_get_for_actor(
            actor=request.user, conversation_id=id, origin=api_origin(request)
        )
        return etag_response(_conversation_body(conversation), conversation)

    def partial_update(self, request: Request, id: str) -> Response:
        action = "profiles.conversation.update"
        conversation = conversation_get_for_actor(
            actor=request.user,
            conversation_id=id,
            origin=api_origin(request),
            action=action,
            audit_allowed=False,  # the service writes the update row
        )
        expected_version = if_match_version(request, conversation)
        form = ConversationWriteSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        patch = dict(form.validated_data)
        current = profile_input_for(conversation.profile).as_dict()
        current.update(patch.get("profile") or {})
        data = {
            "date": patch.get("date", conversation.date),
            "place": patch.get("place", conversation.place),
            "participants": patch.get("participants", conversation.participants),
            "notes": patch.get("notes", conversation.notes),
        }
        try:
            conversation_update(
                actor=request.user,
                conversation=conversation,
                expected_version=expected_version,
                data=_conversation_input(data),
                profile=ProfileInput.from_mapping(current),
                origin=api_origin(request),
            )
        except ConflictError:
            raise PreconditionFailedError from None
        except DjangoValidationError as error:
            raise service_errors(error) from None
        conversation = conversation_get_for_actor(
            actor=request.user,
            conversation_id=conversation.pk,
            origin=api_origin(request),
            audit_allowed=False,
        )
        return etag_response(_conversation_body(conversation), conversation)


class ClientProfileView(APIView):
    @extend_schema(
        operation_id="client_profile_retrieve",
        summary=_("Profiel van een cliënt"),
        description=_(
            "Het profiel uit het laatste gesprek, hoe volledig het is, en wat er veranderde sinds "
            "het gesprek daarvoor. Zonder gesprekken zijn profile en change null. Elke inzage "
            "wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: LatestProfileSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        client = client_get_for_profile(
            actor=request.user,
            client_id=id,
            action="profiles.profile.read",
            origin=api_origin(request),
        )
        latest = profile_latest(client_id=client.pk)
        change = profile_history(client_id=client.pk).change if latest else None
        body = {
            "client": client.pk,
            "conversation": latest.pk if latest else None,
            "date": latest.date if latest else None,
            "profile": _profile_data(latest.profile) if latest else None,
            "change": _change_data(change),
        }
        return Response(LatestProfileSerializer(body).data)


class ClientProfileHistoryView(APIView):
    @extend_schema(
        operation_id="client_profile_history",
        summary=_("Verloop van het profiel"),
        description=_(
            "De participatieladder en de ZRM-scores per leefgebied over de tijd (oudste eerst), "
            "de grote stappen vooruit (ten minste één trede hoger binnen een half jaar) en de "
            "verandering sinds het vorige gesprek. Elke inzage wordt vastgelegd."
        ),
        parameters=[ID_PARAMETER],
        responses={200: HistorySerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, id: str) -> Response:
        client = client_get_for_profile(
            actor=request.user,
            client_id=id,
            action="profiles.profile.history",
            origin=api_origin(request),
        )
        history = profile_history(client_id=client.pk)
        labels = dict(ZrmDomain.choices)
        body = {
            "client": client.pk,
            "ladder": [
                {
                    "date": p.date,
                    "current": p.current,
                    "potential": p.potential,
                    "conversation": p.conversation_id,
                }
                for p in history.ladder
            ],
            "zrm": [
                {
                    "domain": domain,
                    "label": str(labels[domain]),
                    "points": [
                        {"date": p.date, "score": p.score, "conversation": p.conversation_id}
                        for p in points
                    ],
                }
                for domain, points in history.zrm.items()
            ],
            "big_steps": [
                {
                    "start_date": s.start.date,
                    "end_date": s.end.date,
                    "from_rung": s.start.current,
                    "to_rung": s.end.current,
                }
                for s in history.big_steps
            ],
            "change": _change_data(history.change),
            "definition": {
                "big_step_min_rungs": BIG_STEP_MIN_RUNGS,
                "big_step_window_days": BIG_STEP_WINDOW_DAYS,
            },
        }
        return Response(HistorySerializer(body).data)
