from django.contrib import admin

from progress.models import IndicatorRule


@admin.register(IndicatorRule)
class IndicatorRuleAdmin(admin.ModelAdmin):
    """How indicators are computed: readable by admins; changes come in migrations."""

    list_display = ["indicator", "numerator", "denominator", "aggregation", "scale", "source", "sort_order"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
