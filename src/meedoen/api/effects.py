"""POST /api/v1/effects/evaluate/: the effect estimation of `meedoen effect` for an uploaded CSV
(docs/effects.md). For analysts and functional admins; for everyone else the endpoint does not
exist (404, as MayImport).

The table is the caller's own (for example a CBS microdata extract); nothing is read from or
written to Meedoen's client data, so there is no client door here. The run is audited as an
effect evaluation, with the size and the parameters, not the contents. Synchronous: the limits
(rows, bytes, bootstrap draws) keep a request within seconds; the report pages run long
evaluations as background jobs.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meedoen.accounts.constants import Role
from meedoen.api.views import BAD_REQUEST, api_origin
from meedoen.audit.services import audit_record
from meedoen.caseload.access import actor_may_analyse
from meedoen.effects.estimate import METHODS, evaluate
from meedoen.effects.table import EffectInputError, load_table

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
MAX_BOOTSTRAP = 1000
# EffectInputError.field -> the request field it is about.
FIELD_NAMES = {"placebo": "placebo_outcome", "csv": "csv"}


class MayEvaluateEffects(BasePermission):
    """Analysts and functional admins of a municipality; for the rest the endpoint does not
    exist. Put it after IsAuthenticated, so an anonymous caller gets the usual 403."""

    def has_permission(self, request: Request, view: Any) -> bool:
        actor = request.user
        admin = (
            getattr(actor, "is_active", False)
            and getattr(actor, "municipality_id", None) is not None
            and getattr(actor, "role", None) == Role.FUNCTIONAL_ADMIN
        )
        if not (admin or actor_may_analyse(actor)):
            raise NotFound
        return True


class EffectRequestSerializer(serializers.Serializer[Any]):
    csv = serializers.FileField(
        help_text=gettext_lazy(
            "CSV (UTF-8, met , of ;) met een kopregel; hoogstens 50.000 regels en 20 MB."
        )
    )
    treatment = serializers.CharField(help_text=gettext_lazy("Kolom met deelname (0/1)."))
    outcome = serializers.CharField(help_text=gettext_lazy("Uitkomstkolom."))
    covariates = serializers.CharField(
        help_text=gettext_lazy("Kenmerken van vóór de start, gescheiden door komma's.")
    )
    method = serializers.ChoiceField(choices=[*METHODS, "all"], default="all")
    placebo_outcome = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("Uitkomst gemeten vóór de start, voor de placebotoets."),
    )
    bootstrap = serializers.IntegerField(min_value=20, max_value=MAX_BOOTSTRAP, default=200)
    seed = serializers.IntegerField(min_value=0, default=0)


EFFECT_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.OBJECT,
    description=gettext_lazy(
        "Per methode (matching, ipw, aipw) estimate, ci_low, ci_high, n_treated, n_control; "
        "daarnaast naive_difference, balance, overlap, placebo, mde, verdict en reasons "
        "(docs/effects.md)."
    ),
)


class EffectEvaluateView(APIView):
    permission_classes = [IsAuthenticated, MayEvaluateEffects]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        summary=gettext_lazy("Effectmeting op een eigen tabel"),
        description=gettext_lazy(
            "Schat het effect van deelname op de deelnemers (ATT) met matching, weging en een "
            "dubbel robuuste schatter, met balans, overlap, placebotoets, kleinste aantoonbare "
            "effect en een oordeel. Zelfde uitkomst als `meedoen effect --json`. Alleen "
            "analisten en functioneel beheer."
        ),
        request={"multipart/form-data": EffectRequestSerializer},
        responses={
            200: EFFECT_RESPONSE,
            400: BAD_REQUEST,
            413: OpenApiResponse(description=gettext_lazy("Het bestand is te groot.")),
        },
    )
    def post(self, request: Request) -> Response:
        form = EffectRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        upload = data["csv"]
        if upload.size > MAX_BYTES:
            return _too_large(
                _("Het bestand is te groot: hoogstens %(mb)d MB.") % {"mb": MAX_BYTES // 2**20}
            )
        content = upload.read()
        if content.count(b"\n") > MAX_ROWS + 1:
            return _too_large(
                _("Het bestand heeft te veel regels: hoogstens %(rows)s.")
                % {"rows": f"{MAX_ROWS:,}".replace(",", ".")}
            )
        covariates = [c.strip() for c in data["covariates"].split(",") if c.strip()]
        methods = METHODS if data["method"] == "all" else (data["method"],)
        try:
            table = load_table(
                content,
                treatment=data["treatment"],
                outcome=data["outcome"],
                covariates=covariates,
                placebo=data.get("placebo_outcome") or None,
            )
            report = evaluate(
                table.X,
                table.t,
                table.y,
                covariate_names=table.covariate_names,
                methods=methods,
                placebo=table.placebo,
                bootstrap=data["bootstrap"],
                seed=data["seed"],
            )
        except EffectInputError as error:
            field = FIELD_NAMES.get(error.field, error.field)
            return Response({field: [error.message]}, status=status.HTTP_400_BAD_REQUEST)
        audit_record(
            actor=request.user,
            action="analytics.effect_evaluation.run",
            origin=api_origin(request),
            detail={
                "source": "csv",
                "rows": table.n_rows,
                "covariates": len(table.covariate_names),
                "methods": list(methods),
                "verdict": report.verdict,
            },
        )
        return Response(report.to_dict())


def _too_large(message: str) -> Response:
    return Response({"csv": [message]}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
