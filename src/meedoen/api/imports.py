"""The import from the benefit administration as an endpoint (functional admin only).

Thin: the upload and the "apply" go through dataexchange.services, which record the run, audit it
and queue the background work on commit. Runs hold counts, column names and row numbers — no
client content — so they are reached per municipality, not through the client door.
"""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from meedoen.accounts.models import User
from meedoen.api.pagination import NewestFirstCursorPagination
from meedoen.api.permissions import MayImport
from meedoen.api.views import BAD_REQUEST, ID_PARAMETER, NOT_FOUND, api_origin
from meedoen.dataexchange.constants import ImportStatus
from meedoen.dataexchange.models import ImportRun
from meedoen.dataexchange.services import (
    ImportRunStateError,
    import_run_request_apply,
    import_run_upload,
    reference_date_problem,
)


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("De import is niet in een toestand die dit toelaat.")
    default_code = "conflict"


class ImportProgressSerializer(serializers.Serializer[ImportRun]):
    rows_total = serializers.IntegerField(read_only=True)
    rows_done = serializers.IntegerField(read_only=True)
    percent = serializers.IntegerField(source="progress_percent", read_only=True)


class ImportCountsSerializer(serializers.Serializer[ImportRun]):
    new = serializers.IntegerField(source="new_count", read_only=True)
    changed = serializers.IntegerField(source="changed_count", read_only=True)
    unchanged = serializers.IntegerField(source="unchanged_count", read_only=True)
    ended = serializers.IntegerField(source="ended_count", read_only=True)
    # The metaclass pops declared fields, so this does not shadow Serializer.errors at runtime.
    errors = serializers.IntegerField(source="error_count", read_only=True)  # type: ignore[assignment]


class ImportErrorSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField(
        read_only=True, help_text=_("Regelnummer; 0 = het hele bestand.")
    )
    column = serializers.CharField(read_only=True, allow_blank=True)
    message = serializers.CharField(read_only=True)


class ImportRunSerializer(serializers.ModelSerializer[ImportRun]):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    progress = ImportProgressSerializer(source="*", read_only=True)
    counts = ImportCountsSerializer(source="*", read_only=True)
    # See ImportCountsSerializer.errors.
    errors = ImportErrorSerializer(  # type: ignore[assignment]
        many=True,
        read_only=True,
        help_text=_("De eerste fouten (het aantal staat in counts.errors), met regel en kolom."),
    )

    class Meta:
        model = ImportRun
        fields = [
            "id",
            "file_name",
            "file_size",
            "checksum",
            "reference_date",
            "status",
            "status_display",
            "progress",
            "counts",
            "errors",
            "failure",
            "uploaded_by_name",
            "applied_by_name",
            "created_at",
            "analysed_at",
            "applied_at",
            "file_erased_at",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        write_only=True,
        help_text=_("CSV (UTF-8 of Windows-1252, ; of ,) of XLSX met de gedocumenteerde kolommen."),
    )
    reference_date = serializers.DateField(
        write_only=True,
        required=False,
        help_text=_("Peildatum van de levering (JJJJ-MM-DD); standaard vandaag."),
    )

    def validate_file(self, value: Any) -> Any:
        if value.size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise serializers.ValidationError(
                _("Het bestand is te groot: hoogstens %(mb)d MB.")
                % {"mb": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}
            )
        return value

    def validate_reference_date(self, value: Any) -> Any:
        problem = reference_date_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value


@extend_schema_view(
    list=extend_schema(
        summary=_("Imports"),
        description=_("Imports van de eigen gemeente, nieuwste eerst. Alleen functioneel beheer."),
        responses={200: ImportRunSerializer(many=True), 400: BAD_REQUEST},
    ),
    retrieve=extend_schema(
        summary=_("Import"),
        description=_("Status, voortgang, aantallen en fouten van één import."),
        parameters=[ID_PARAMETER],
        responses={200: ImportRunSerializer, 404: NOT_FOUND},
    ),
)
class ImportRunViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet[ImportRun]
):
    permission_classes = [IsAuthenticated, MayImport]
    serializer_class = ImportRunSerializer
    pagination_class = NewestFirstCursorPagination
    lookup_url_kwarg = "id"
    queryset = ImportRun.objects.none()  # only for the schema

    def get_queryset(self) -> QuerySet[ImportRun]:
        # MayImport has established the actor's municipality; runs never cross municipalities.
        actor = cast(User, self.request.user)
        assert actor.municipality_id is not None  # MayImport requires one
        return ImportRun.objects.filter(municipality_id=actor.municipality_id).defer(
            "content", "changes"
        )

    def get_serializer_class(self) -> Any:
        if self.action == "create":
            return ImportUploadSerializer
        return ImportRunSerializer

    @extend_schema(
        summary=_("Levering uploaden"),
        description=_(
            "Slaat het bestand op en zet de controle in de wachtrij. Volg de status met "
            "GET /api/v1/imports/{id}/; bij status ready kan de import worden toegepast."
        ),
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportRunSerializer, 400: BAD_REQUEST},
    )
    def create(self, request: Request) -> Response:
        form = ImportUploadSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        upload = form.validated_data["file"]
        actor = cast(User, request.user)
        assert actor.municipality is not None  # MayImport requires one
        run = import_run_upload(
            actor=actor,
            municipality=actor.municipality,
            file_name=upload.name or "",
            content=upload.read(),
            reference_date=form.validated_data.get("reference_date"),
            origin=api_origin(request),
        )
        return Response(ImportRunSerializer(run).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Import toepassen"),
        description=_(
            "Zet het toepassen in de wachtrij. Alleen een gecontroleerde import zonder fouten "
            "(status ready) kan worden toegepast; anders 409."
        ),
        request=None,
        parameters=[ID_PARAMETER],
        responses={
            202: ImportRunSerializer,
            404: NOT_FOUND,
            409: OpenApiResponse(description=_("De import is (nog) niet klaar om toe te passen.")),
        },
    )
    @action(detail=True, methods=["post"])
    def apply(self, request: Request, id: str) -> Response:
        run = self.get_object()
        try:
            run = import_run_request_apply(run=run, actor=request.user, origin=api_origin(request))
        except ImportRunStateError as exc:
            raise Conflict(
                _(
                    "Deze import kan niet worden toegepast: de status is '%(status)s'. Alleen een "
                    "gecontroleerde import zonder fouten (status '%(ready)s') kan worden toegepast."
                )
                % {"status": run.get_status_display(), "ready": ImportStatus.READY.label}
            ) from exc
        return Response(ImportRunSerializer(run).data, status=status.HTTP_202_ACCEPTED)
