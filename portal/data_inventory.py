"""The data inventory: which fields hold personal data, why, and for how long.

Read from the models themselves: a model that keeps personal data declares ``PERSONAL_DATA``
(field name -> purpose) and ``PERSONAL_DATA_RETENTION``. The change-history masks (core/history.py)
read the same declaration, so the page, the masks and the law's record of processing agree.
A test (tests/portal/test_data_inventory.py) fails when a field that looks personal is not declared.
"""

import re
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext_lazy as _

PROJECT_APPS = ("core", "org", "accounts", "partnerships", "volunteers", "egov_support", "progress", "portal")

# Field names that usually hold something about a person.
PERSONAL_LOOKING = re.compile(
    r"(^|_)(family_name|middle_name|given_name|first_name|last_name|full_name|contact_name|signatory_name|"
    r"phone|email|birth|sex|gender|address|cccd|id_number|identity|member_code|password|ip)($|_)"
)

# Fields that look personal by name but are not, with the reason.
NOT_PERSONAL = {
    "egov_support.HelpSession.address": "where the session was held; the form asks for the hamlet only "
    "for door-to-door sessions, never a house number",
}


@dataclass(frozen=True)
class InventoryRow:
    area: str  # the app's name as users know it
    record: str  # the model's verbose name
    field: str  # the field's verbose name
    field_name: str
    purpose: str
    retention: str
    in_history: bool  # whether the change history keeps old values of it (masked on screen)


def _history_fields(model) -> set[str]:
    history = getattr(model, "history", None)
    historical = getattr(history, "model", None)
    if historical is None:
        return set()
    return {f.name for f in historical._meta.fields}


def inventory() -> list[InventoryRow]:
    """Every declared personal field of the portal's own models, grouped by app then model."""
    rows = []
    for label in PROJECT_APPS:
        config = apps.get_app_config(label)
        for model in sorted(config.get_models(), key=lambda m: m._meta.model_name):
            declared = getattr(model, "PERSONAL_DATA", None)
            if not declared or model._meta.model_name.startswith("historical"):
                continue
            kept = _history_fields(model)
            for name, purpose in declared.items():
                rows.append(
                    InventoryRow(
                        area=str(config.verbose_name),
                        record=str(model._meta.verbose_name),
                        field=str(model._meta.get_field(name).verbose_name),
                        field_name=name,
                        purpose=str(purpose),
                        retention=str(getattr(model, "PERSONAL_DATA_RETENTION", _("Not stated"))),
                        in_history=name in kept,
                    )
                )
    return rows


def undeclared_personal_fields() -> list[str]:
    """``app.Model.field`` of personal-looking fields that no ``PERSONAL_DATA`` declares."""
    missing = []
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.model_name.startswith("historical"):
                continue
            declared = getattr(model, "PERSONAL_DATA", {})
            for model_field in model._meta.get_fields():
                if not getattr(model_field, "concrete", False) or model_field.is_relation:
                    continue
                key = f"{label}.{model.__name__}.{model_field.name}"
                looks_personal = PERSONAL_LOOKING.search(model_field.name)
                if looks_personal and model_field.name not in declared and key not in NOT_PERSONAL:
                    missing.append(key)
    return sorted(missing)
