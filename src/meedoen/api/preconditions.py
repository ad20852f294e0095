"""Conditional writes in the API: ETag on reads, If-Match required on writes (RFC 9110, 6585).

Every endpoint that changes a ``Versioned`` record (core/concurrency.py) works the same way:

- GET answers with ``ETag`` (``etag_response``);
- PATCH/PUT/DELETE must send that tag back in ``If-Match``: without it 428 Precondition Required,
  with a tag that no longer matches 412 Precondition Failed — someone else changed the record
  since it was read; GET it again, look, and send the change again with the new tag;
- success answers with the new ``ETag``.

The door (caseload.access) is passed first, so a record the caller may not see is a 404 before
any precondition is looked at: a 428 or 412 would give its existence away.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from meedoen.core.concurrency import (
    ConflictError,
    PreconditionRequired,
    etag_for,
    expected_version_from_if_match,
)
from meedoen.core.models import Versioned


class PreconditionRequiredError(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "De header If-Match ontbreekt. Haal de gegevens op met GET en stuur de ETag uit dat "
        "antwoord mee in If-Match, zodat u niet ongemerkt de wijziging van een ander overschrijft."
    )
    default_code = "precondition_required"


class PreconditionFailedError(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "Iemand anders heeft deze gegevens gewijzigd sinds u ze ophaalde: de ETag in If-Match "
        "klopt niet meer. Er is niets opgeslagen. Haal de gegevens opnieuw op met GET, bekijk wat "
        "er veranderd is en stuur uw wijziging opnieuw met de nieuwe ETag."
    )
    default_code = "precondition_failed"


class ProblemSerializer(serializers.Serializer[Any]):
    detail = serializers.CharField(read_only=True, help_text=_("Uitleg in het Nederlands."))


IF_MATCH_HEADER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_(
        "De ETag uit het laatste GET-antwoord, precies zoals ontvangen, bijvoorbeeld "
        '"3-5f1e0c2a9b7d". Een zwakke tag (W/) past nooit. * betekent: wat er nu ook staat '
        "(overschrijft dus ongezien; vermijd dat)."
    ),
)
ETAG_HEADER = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description=_("Versie van deze gegevens; stuur hem mee in If-Match bij een wijziging."),
)
PRECONDITION_FAILED = OpenApiResponse(
    response=ProblemSerializer,
    description=_(
        "If-Match klopt niet (meer): iemand anders heeft de gegevens gewijzigd. Niets opgeslagen."
    ),
)
PRECONDITION_REQUIRED = OpenApiResponse(
    response=ProblemSerializer,
    description=_("If-Match ontbreekt. Niets opgeslagen."),
)


def if_match_version(request: Request, instance: Versioned) -> int:
    """The version the request may update; 428 or 412 as API errors (see the module)."""
    try:
        return expected_version_from_if_match(request.headers.get("If-Match"), instance)
    except PreconditionRequired:
        raise PreconditionRequiredError from None
    except ConflictError:
        raise PreconditionFailedError from None


def etag_response(data: Any, instance: Versioned) -> Response:
    response = Response(data)
    response["ETag"] = etag_for(instance)
    return response
