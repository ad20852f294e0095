"""API filters: the client FilterSet of the HTML list, with one rule added for URLs."""

from __future__ import annotations

import re

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from meedoen.clients.filters import ClientFilterSet

# Eight or more digits in a row (spaces, dots and dashes ignored) can only be a BSN: a postcode
# has four, and names have none. Eight, because a BSN with a leading zero is often written so.
_BSN_LIKE = re.compile(r"\d{8,}")


def refuse_bsn_in_url(value: str) -> None:
    if _BSN_LIKE.search(re.sub(r"[\s.\-]", "", value or "")):
        raise ValidationError(
            _(
                "Zoek niet op BSN in de zoekparameter q: een BSN in een webadres komt in "
                "logbestanden en de browsergeschiedenis terecht. Zoek op BSN met "
                "POST /api/v1/clients/search/ "
                'en het BSN in de JSON-body: {"bsn": "..."}.'
            ),
            code="bsn_in_url",
        )


class ApiClientFilterSet(ClientFilterSet):
    """Same filters as the HTML list (name, postcode, wijk).

    The shared FilterSet accepts a full BSN in `q`. In the API that would put a BSN in a URL, and
    URLs end up in access logs of every server and proxy in between. So `q` refuses anything that
    looks like a BSN here, and BSN lookup has its own POST endpoint where the number travels in
    the body.
    """

    q = django_filters.CharFilter(
        method="filter_query",
        label=_("Zoeken"),
        help_text=_("Naam of postcode (4 cijfers, of 4 cijfers en 2 letters). Geen BSN."),
        validators=[refuse_bsn_in_url],
    )
