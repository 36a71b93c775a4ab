from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class XianfengAdminSite(admin.AdminSite):
    """Django admin is for superusers only: staff of the portal work through its own pages."""

    site_header = "先锋 · 系统管理"
    site_title = "先锋 · 系统管理"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class XianfengAdminConfig(AdminConfig):
    default_site = "config.admin_site.XianfengAdminSite"
