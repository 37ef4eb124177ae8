"""Reading a query string without trusting it: numbers, and a list's filter form."""

MAX_ID = 2**63 - 1


def int_param(value, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The whole number in `value` if it lies in [minimum, maximum], else None (ignored filter)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if minimum <= number <= maximum else None


def filter_values(form) -> dict:
    """What a list's filter form asks for: its valid fields, never the invalid ones.

    An invalid field (31/02/2026, a team outside the user's scope) shows its error on the page while
    the others still filter: a list never falls back silently to everything (nor its export)."""
    if not form.is_bound:
        return {}
    form.is_valid()
    return dict(form.cleaned_data)
