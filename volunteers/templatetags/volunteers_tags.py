from django import template

register = template.Library()


@register.filter
def masked_name(person) -> str:
    """'Nguyễn Văn An' -> 'N. V. A.': enough to tell rows apart, not to identify a person.

    A membership (or its history record) is shown as its volunteer's initials and the team.
    """
    if not hasattr(person, "family_name") and getattr(person, "volunteer_id", None):
        team = getattr(person, "team", None)
        return f"{masked_name(person.volunteer)} · {team}" if team else masked_name(person.volunteer)
    parts = [getattr(person, name, "") for name in ("family_name", "middle_name", "given_name")]
    return " ".join(f"{part[0]}." for part in parts if part and part[0].isalpha()) or "—"
