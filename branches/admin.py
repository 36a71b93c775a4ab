from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from audit.admin import AuditedAdminMixin

from .models import Area, ContactPoint, LeadershipPost, Organization, RoleAssignment


@admin.register(Organization)
class OrganizationAdmin(AuditedAdminMixin, TreeAdmin):
    form = movenodeform_factory(
        Organization,
        fields=[
            "name",
            "short_name",
            "code",
            "kind",
            "category",
            "is_joint",
            "is_temporary",
            "founded_on",
            "dissolved_on",
            "is_active",
            "phone",
            "address",
        ],
    )
    list_display = ["name", "code", "kind", "category", "is_active"]
    list_filter = ["kind", "category", "is_active"]
    search_fields = ["name", "code"]


@admin.register(LeadershipPost)
class LeadershipPostAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["org", "post", "member", "term", "started_on", "ended_on"]
    raw_id_fields = ["org", "member"]


@admin.register(Area)
class AreaAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "owner", "leader", "liaison"]
    raw_id_fields = ["owner", "leader", "liaison", "branches"]


@admin.register(ContactPoint)
class ContactPointAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["leader", "branch", "since"]
    raw_id_fields = ["leader", "branch"]


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "org", "granted_at"]
    list_filter = ["role"]
    raw_id_fields = ["user", "org"]
