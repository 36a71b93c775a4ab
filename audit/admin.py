from django.contrib import admin

from .models import HistoryEntry
from .services import record_create, record_delete, record_update, snapshot


class AuditedAdminMixin:
    """Admin edits leave history rows like every other write path."""

    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        if change:
            record_update(obj, before, actor=request.user, source=HistoryEntry.Source.ADMIN)
        else:
            record_create(obj, actor=request.user, source=HistoryEntry.Source.ADMIN)

    def delete_model(self, request, obj):
        record_delete(obj, actor=request.user, source=HistoryEntry.Source.ADMIN)
        super().delete_model(request, obj)


@admin.register(HistoryEntry)
class HistoryEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "object_repr", "action", "source", "actor"]
    list_filter = ["action", "source", "content_type"]
    search_fields = ["object_repr"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
