"""Background work: rendering report files; run by `manage.py db_worker` (django-tasks-db)."""

from django.tasks import task

from .models import RenderedFile


@task()
def render_file(rendered_id: int) -> None:
    from .rendering import file_render

    rendered = RenderedFile.objects.filter(pk=rendered_id, status=RenderedFile.Status.QUEUED).first()
    if rendered is not None:
        file_render(rendered=rendered)


@task()
def recount_dashboard(org_id: int, campaign_id: int | None, start: str, end: str, today: str, language: str) -> None:
    """Count a big subtree's dashboard figures, whose visitors meanwhile see the last ones (reports/dashboard.py)."""
    from datetime import date

    from django.utils import translation

    from branches.models import Organization
    from campaigns.models import Campaign

    from .dashboard import recount

    org = Organization.objects.filter(pk=org_id).first()
    campaign = Campaign.objects.filter(pk=campaign_id).first() if campaign_id else None
    if org is None or (campaign_id and campaign is None):
        return  # gone since the visit
    with translation.override(language):
        recount(org, campaign, date.fromisoformat(start), date.fromisoformat(end), date.fromisoformat(today))
