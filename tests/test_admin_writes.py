"""Every write goes through a service, admin included: each admin that lets a person add, change or
delete rows of the portal's own models saves and deletes through its app's code (the services),
never through Django's default ``obj.save()`` / ``queryset.delete()``.

A new ModelAdmin fails here until it does, or until it is listed below with the reason its rows
carry no rule, mark or check a service would add. ("Delete selected" is ``delete_queryset``: left to
Django, it let province staff remove an administrator's role that the change page refused.)
"""

import pytest
from django.contrib import admin
from django.test import RequestFactory

pytestmark = pytest.mark.django_db

OURS = {
    "accounts",
    "egov_support",
    "notifications",
    "org",
    "partnerships",
    "progress",
    "reporting",
    "signoff",
    "volunteers",
}
DEFAULT_MODULES = ("django.", "simple_history.")

# (model label, hook) -> why Django's default write is the right one there.
DIRECT_WRITES = {
    ("egov_support.Service", "save_model"): "the services catalogue: no rule beyond its model's constraints",
    ("egov_support.Service", "delete_model"): "superusers only; a service in use is protected by its lines",
    ("egov_support.Service", "delete_queryset"): "as delete_model",
    ("volunteers.Skill", "save_model"): "a catalogue of skill names, superusers only",
    ("volunteers.Skill", "delete_model"): "a catalogue of skill names, superusers only",
    ("volunteers.Skill", "delete_queryset"): "as delete_model",
    ("egov_support.FollowUpContact", "save_model"): "a contact's name, phone and purge date; counts nothing",
    ("egov_support.FollowUpContact", "delete_model"): "erasing a contact early is what the purge does",
    ("egov_support.FollowUpContact", "delete_queryset"): "as delete_model",
    ("egov_support.StatisticImport", "delete_model"): "superusers only; the import's rows stay",
    ("egov_support.StatisticImport", "delete_queryset"): "as delete_model",
    ("volunteers.WeeklyReport", "save_model"): "reporting status is read live from the reports; no mark",
    ("volunteers.WeeklyReport", "delete_model"): "as save_model",
    ("volunteers.WeeklyReport", "delete_queryset"): "as save_model",
    ("volunteers.Volunteer", "delete_model"): "only one in no team and no session (PROTECT); counted nowhere",
    ("volunteers.Volunteer", "delete_queryset"): "as delete_model",
    ("partnerships.Agreement", "delete_model"): "its objectives and targets go with it (CASCADE); no mark",
    ("partnerships.Agreement", "delete_queryset"): "as delete_model",
    ("reporting.ReminderSchedule", "delete_model"): "a province's schedule: beat falls back to the default",
    ("reporting.ReminderSchedule", "delete_queryset"): "as delete_model",
    ("accounts.User", "delete_model"): "superusers remove accounts; their roles go with them",
    ("accounts.User", "delete_queryset"): "as delete_model",
}


def _defined_by(admin_class, hook: str) -> str:
    for klass in admin_class.__mro__:
        if hook in klass.__dict__:
            return klass.__module__
    return ""


def _writes(model_admin, request):
    if model_admin.has_add_permission(request) or model_admin.has_change_permission(request):
        yield "save_model"
    if model_admin.has_delete_permission(request):
        yield "delete_model"
        yield "delete_queryset"


def test_every_admin_write_goes_through_the_apps_code(personas):
    request = RequestFactory().get("/admin/")
    request.user = personas.admin  # a superuser: every write any role could make
    found = {}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in OURS:
            continue
        for hook in _writes(model_admin, request):
            if _defined_by(type(model_admin), hook).startswith(DEFAULT_MODULES):
                found[(model._meta.label, hook)] = _defined_by(type(model_admin), hook)
    assert len(admin.site._registry) > 15, "the scan finds the admins"
    assert sorted(set(found) - set(DIRECT_WRITES)) == []
    stale = sorted(set(DIRECT_WRITES) - set(found))
    assert stale == [], f"listed, but now through a service or not allowed: drop {stale}"
