"""Paging for API lists."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import Cursor, CursorPagination
from rest_framework.request import Request


class _CursorPagination(CursorPagination):
    """A cursor that cannot be decoded is bad input (400 naming the field), not a missing page:
    DRF answers 404, which the schema does not document and which reads as "not yours"."""

    def decode_cursor(self, request: Request) -> Cursor | None:
        try:
            return super().decode_cursor(request)
        except NotFound as error:
            raise ValidationError({self.cursor_query_param: [error.detail]}) from error


class PublicIdCursorPagination(_CursorPagination):
    """Cursor paging ordered by the public UUID.

    A cursor encodes the value of the ordering field and travels in the `next` URL. Ordering by
    name would put a surname in every URL (and so in proxy and access logs); the UUID is the
    public id anyway, unique, and never changes, so cursors stay valid while data is imported.
    Consumers that want another order sort on their side; the HTML list sorts by name.
    """

    ordering = "id"
    page_size_query_param = "page_size"
    # DRF types these as str; a lazy string is what keeps them translatable.
    page_size_query_description = _("Aantal resultaten per pagina (maximaal 200).")  # type: ignore[assignment]
    max_page_size = 200
    cursor_query_description = _("De cursor uit het veld next of previous.")  # type: ignore[assignment]


class NewestFirstCursorPagination(_CursorPagination):
    """For records without personal data in their ordering field, such as import runs."""

    ordering = "-created_at"
    page_size = 20
    cursor_query_description = _("De cursor uit het veld next of previous.")  # type: ignore[assignment]
