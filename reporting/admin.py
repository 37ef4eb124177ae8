from django.contrib import admin

from accounts.admin_scoping import ScopedModelAdmin
from reporting import services
from reporting.models import ReminderSchedule


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(ScopedModelAdmin):
    """A province's reminder rhythm; its staff set it, saved through the service."""

    scope_unit_field = "org_unit"
    autocomplete_fields = ["org_unit"]
    list_display = [
        "org_unit",
        "weekly_enabled",
        "weekly_weekday",
        "weekly_time",
        "monthly_enabled",
        "monthly_working_day",
        "monthly_time",
    ]
    fields = [
        "org_unit",
        "weekly_enabled",
        "weekly_weekday",
        "weekly_time",
        "monthly_enabled",
        "monthly_working_day",
        "monthly_time",
    ]

    def save_model(self, request, obj, form, change):
        services.reminder_schedule_save(by=request.user, schedule=obj)
