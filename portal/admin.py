from django.contrib import admin
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.access import Action, scope_for
from accounts.admin_scoping import ScopedModelAdmin, changed_fields
from core.text import fold
from org import services
from org.models import OrgUnit


class ValidityFilter(admin.SimpleListFilter):
    title = _("validity")
    parameter_name = "validity"

    def lookups(self, request, model_admin):
        return [("current", _("Current")), ("dissolved", _("Dissolved"))]

    def queryset(self, request, queryset):
        if self.value() == "current":
            return queryset.current()
        if self.value() == "dissolved":
            return queryset.filter(valid_to__isnull=False)
        return queryset


@admin.register(OrgUnit)
class OrgUnitAdmin(ScopedModelAdmin):
    scope_unit_field = None
    list_display = ["name", "code", "kind", "parent", "valid_from", "valid_to", "successor"]
    list_filter = ["kind", ValidityFilter]
    search_fields = ["name", "search_name", "code"]
    list_select_related = ["parent", "successor"]
    readonly_fields = ["path", "depth"]
    autocomplete_fields = ["parent", "successor"]
    list_per_page = 50

    def has_add_permission(self, request, *args):
        # The tree is loaded from the official list; only system administrators add units by hand.
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # units are never deleted: they are dissolved with a successor

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        # Through the org services: the path built once from code and parent, a successor checked.
        if change:
            services.org_unit_update(unit=obj, **changed_fields(form, services.ORG_UNIT_FIELDS))
            return
        data = form.cleaned_data
        fields = {name: data[name] for name in services.ORG_UNIT_FIELDS if name in data}
        unit = services.org_unit_create(code=data["code"], parent=data.get("parent"), **fields)
        obj.pk, obj.path, obj._state.adding = unit.pk, unit.path, False

    def get_search_results(self, request, queryset, search_term):
        """Words typed with or without diacritics ("an hoi" finds "Đoàn phường An Hội"), or a code.

        Every unit picker in admin (``autocomplete_fields``) asks here: there it offers only the
        current units the user manages, the same ones the form accepts.
        """
        words = fold(search_term).split()
        picking = getattr(request.resolver_match, "url_name", None) == "autocomplete"
        if picking:
            queryset = queryset.current()
            if not request.user.is_superuser:
                queryset = scope_for(request.user, Action.MANAGE).filter(queryset, None)
        if not words:
            return queryset, False
        by_name = Q()
        for word in words:
            by_name &= Q(search_name__contains=word)
        return queryset.filter(by_name | Q(code__iexact=search_term.strip())), False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["code", "parent"]  # the path is built from them and never moves
        return fields
