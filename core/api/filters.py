"""Query-string filters with the bounds the database can take, so a wild value is a 400 naming the
parameter (never a 500 from an overflow or an impossible date)."""

import django_filters
from django import forms

from core.params import MAX_ID


class IdFilter(django_filters.NumberFilter):
    """A primary key: a whole number from 1 to PostgreSQL's bigint maximum."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BoundedIntegerFilter(django_filters.NumberFilter):
    """A whole number within [min_value, max_value] (both required)."""

    field_class = forms.IntegerField

    def __init__(self, *args, min_value, max_value, **kwargs):
        super().__init__(*args, min_value=min_value, max_value=max_value, **kwargs)


def YearFilter(**kwargs):
    return BoundedIntegerFilter(min_value=1900, max_value=2100, **kwargs)
