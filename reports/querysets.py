from django.db import models

from branches import access


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Reports on orgs in the user's subtrees (reading them is reading the org's figures)."""
        q = access.org_filter(user, field="org__path")
        return self if q is None else self.filter(q)

    def manageable_by(self, user):
        q = access.org_filter(user, field="org__path", manage=True)
        return self if q is None else self.filter(q)


class RenderedFileQuerySet(models.QuerySet):
    def visible_to(self, user):
        q = access.org_filter(user, field="report__org__path")
        return self if q is None else self.filter(q)


def get_report_for_user_or_404(user, pk, *, manage: bool = False):
    from .models import Report

    qs = Report.objects.manageable_by(user) if manage else Report.objects.visible_to(user)
    return access.get_object_for_user_or_404(qs.select_related("org", "campaign"), pk)


def get_file_for_user_or_404(user, pk):
    from .models import RenderedFile

    qs = RenderedFile.objects.visible_to(user).select_related("report", "version")
    return access.get_object_for_user_or_404(qs, pk)
