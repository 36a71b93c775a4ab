from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "full_name", "is_active", "is_superuser", "locked_until", "last_login"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Xianfeng", {"fields": ["full_name", "must_change_password", "failed_login_count", "locked_until"]}),
    )
