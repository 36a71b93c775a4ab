from django.contrib import admin

from audit.admin import AuditedAdminMixin

from .idcard import normalize
from .models import Member, PiiAccess, StageStep


class StageStepInline(admin.TabularInline):
    model = StageStep
    extra = 0


@admin.register(Member)
class MemberAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "org", "stage", "masked_phone"]
    list_filter = ["stage", "is_mobile", "is_retired"]
    # ID numbers and phones are encrypted: found by their whole value (see get_search_results).
    search_fields = ["name"]
    raw_id_fields = ["org", "user"]
    list_select_related = ["org"]
    inlines = [StageStepInline]

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = normalize(search_term)
        if term:
            found = found | queryset.filter(id_number=term) | queryset.filter(phone=term)
        return found, may_have_duplicates

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from .services import record_pii_access

        member = self.get_object(request, admin.utils.unquote(object_id))
        if member is not None and request.method == "GET":
            record_pii_access(request.user, PiiAccess.Action.ADMIN, member=member)
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(PiiAccess)
class PiiAccessAdmin(admin.ModelAdmin):
    """Who saw unmasked ID numbers and phones: read-only, for superusers."""

    list_display = ["at", "username", "action", "member", "count", "detail"]
    list_filter = ["action"]
    search_fields = ["username", "member__name"]
    date_hierarchy = "at"
    raw_id_fields = ["user", "member"]

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
