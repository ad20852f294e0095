"""One FilterSet for the client list: the HTML page and the API use the same filters."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from meedoen.clients import selectors
from meedoen.clients.models import Client


class ClientFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_query",
        label=_("Zoeken"),
        help_text=_("Naam, postcode of volledig BSN."),
    )
    wijk = django_filters.CharFilter(
        field_name="household__address__district_code", label=_("Wijk (CBS-wijkcode)")
    )

    class Meta:
        model = Client
        fields: list[str] = []

    def filter_query(self, queryset: QuerySet[Client], name: str, value: str) -> QuerySet[Client]:
        return selectors.client_search(clients=queryset, query=value)
