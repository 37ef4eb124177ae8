"""What a user may link a row to: the one rule behind every foreign-key and many-to-many choice.

Admin forms and inlines, the admin's autocomplete endpoint and the API's related fields all ask
``choices_for(user, Model, action)``; the services check the same rows again. A row outside it is
answered as a choice that does not exist.

The rules live with the reads of each app: ``WRITE_CHOICES = {Model: rule}`` in ``<app>/selectors.py``,
``rule(user, action) -> QuerySet``. Units and accounts are ruled here. A model with no rule offers
nothing to anyone but a superuser (fails closed), and ``tests/test_admin_choices.py`` names it.
"""

from collections.abc import Callable
from functools import cache
from importlib import import_module

from django.apps import apps
from django.db.models import Model, QuerySet

from accounts.access import Action, scope_for
from accounts.models import RoleAssignment, User
from org.models import OrgUnit

Rule = Callable[[object, Action], QuerySet]


def users_in_scope(user, action: Action = Action.MANAGE) -> QuerySet[User]:
    """Accounts the given user may manage (or link to): every role they hold lies where the user manages.

    A superuser, or someone who also holds a role elsewhere (another province, the centre), is left
    out: resetting their password would hand the manager rights beyond their own scope.
    """
    if user.is_superuser:
        return User.objects.all()
    scope = scope_for(user, Action.MANAGE)
    if scope.is_empty:
        return User.objects.none()
    roles_elsewhere = RoleAssignment.objects.exclude(scope.q("org_unit__path")).values("user_id")
    return (
        User.objects.filter(scope.q("role_assignments__org_unit__path"))
        .exclude(is_superuser=True)
        .exclude(pk__in=roles_elsewhere)
        .distinct()
    )


def unit_owned(model: type[Model], unit_field: str) -> Rule:
    """The rule of rows owned by the unit at ``unit_field`` ("org_unit", "team__org_unit")."""
    return lambda user, action: scope_for(user, action).filter(model._default_manager.all(), unit_field)


def shared(model: type[Model]) -> Rule:
    """The rule of a catalogue shared by the whole country (services, indicators, partners)."""
    return lambda user, action: model._default_manager.all()


@cache
def rules() -> dict[type[Model], Rule]:
    found: dict[type[Model], Rule] = {
        OrgUnit: lambda user, action: scope_for(user, action).units(),
        User: users_in_scope,
    }
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.selectors")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.selectors":
                raise
            continue
        found.update(getattr(module, "WRITE_CHOICES", {}))
    return found


def has_rule(model: type[Model]) -> bool:
    return model in rules()


def choices_for(user, model: type[Model], action: Action = Action.MANAGE) -> QuerySet:
    """Rows of ``model`` that ``user`` may choose when writing with ``action`` rights."""
    if user is not None and user.is_authenticated and user.is_active and user.is_superuser:
        return model._default_manager.all()
    rule = rules().get(model)
    if rule is None or user is None or not user.is_authenticated:
        return model._default_manager.none()
    return rule(user, action)
