from django.contrib import admin

from .models import Activity, ActivityPhoto, Attendance, ComplianceRule


class AttendanceInline(admin.TabularInline):
    model = Attendance
    raw_id_fields = ("member",)
    extra = 0


class PhotoInline(admin.TabularInline):
    model = ActivityPhoto
    fields = ("image", "uploaded_by", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("uploaded_by",)
    extra = 0


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ("held_on", "kind", "title", "org")
    list_filter = ("kind",)
    search_fields = ("title", "org__name", "place")
    date_hierarchy = "held_on"
    raw_id_fields = ("org", "branch", "host", "recorder", "created_by")
    filter_horizontal = ("carriers",)
    inlines = [AttendanceInline, PhotoInline]


@admin.register(ComplianceRule)
class ComplianceRuleAdmin(admin.ModelAdmin):
    list_display = ("kind", "period", "minimum", "applies_to", "owner", "is_active")
    list_filter = ("kind", "period", "is_active")
    raw_id_fields = ("owner",)
