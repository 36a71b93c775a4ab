from django.contrib import admin

from audit.admin import AuditedAdminMixin

from .models import Member, StageStep


class StageStepInline(admin.TabularInline):
    model = StageStep
    extra = 0


@admin.register(Member)
class MemberAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "org", "stage", "phone"]
    list_filter = ["stage", "is_mobile", "is_retired"]
    search_fields = ["name", "id_number", "phone"]
    raw_id_fields = ["org", "user"]
    list_select_related = ["org"]
    inlines = [StageStepInline]
