from django.contrib import admin

from audit.admin import AuditedAdminMixin

from .models import RectificationItem, Review


@admin.register(Review)
class ReviewAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("held_on", "org", "reviewer", "method", "stage")
    list_filter = ("stage", "method")
    raw_id_fields = ("campaign", "reviewer", "target_org", "target_head", "target_member", "org")


@admin.register(RectificationItem)
class RectificationItemAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("org", "deadline", "status", "source")
    list_filter = ("status", "source")
    raw_id_fields = ("org", "owner_member", "review", "shortcoming", "campaign")
