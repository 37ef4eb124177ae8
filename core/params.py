"""Reading numbers from a query string without trusting them."""

MAX_ID = 2**63 - 1


def int_param(value, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """The whole number in `value` if it lies in [minimum, maximum], else None (ignored filter)."""
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if minimum <= number <= maximum else None
