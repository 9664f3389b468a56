"""Long lists a page at a time, newest first, by cursor: never stuck at a fixed limit.

django-ninja's CursorPagination: a page is the rows at or past a position in a stable
order (not an offset from the start), so rows added while a phone pages back through its
history never shift a row onto a second page or past the end. `next` is the address of
the following page, null on the last. A cursor that is not one this API made is a 422
naming `cursor`, not a 500.
"""

from __future__ import annotations

from typing import Any

import pydantic
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.errors import ValidationError
from ninja.pagination import CursorPagination

from footing.errors import Invalid

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


class Newest(CursorPagination):
    """Pages of a person's own rows, newest first.

    `ordering` must be total: its first field is the position, and any rows that share a
    position are told apart by an offset, so later fields must put new rows last (the id).
    """

    items_attribute = "results"

    class Input(Schema):
        page_size: int | None = Field(
            None, ge=1, le=MAX_PAGE_SIZE, description=f"Rows per page (default {PAGE_SIZE})."
        )
        cursor: str | None = Field(
            None,
            max_length=200,
            description="Where the page starts: take it from a `next` or `previous` link.",
        )

    class Output(Schema):
        results: list[Any]
        next: str | None = Field(
            description="The address of the next (older) page; null on the last page."
        )
        previous: str | None = Field(
            description="The address of the page before this one; null on the first page."
        )

    def __init__(self, *, ordering: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(
            ordering=ordering, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE, **kwargs
        )

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Any, request: HttpRequest, **params: Any
    ) -> Any:
        try:
            cursor = self.Cursor.from_encoded_param(pagination.cursor)
            if cursor.p is not None:  # the position must be a value of the ordering field
                field = queryset.model._meta.get_field(self._order_attribute)
                field.to_python(cursor.p)
        except (ValidationError, pydantic.ValidationError, DjangoValidationError, ValueError):
            raise Invalid(
                "That page address is not one this list made; start from the first page.",
                field="cursor",
            ) from None
        return super().paginate_queryset(queryset, pagination, request, **params)
