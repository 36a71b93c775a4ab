from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Roster and org import/export: upload, preview, confirm; one code path for page and command."""

    name = "imports"
    verbose_name = _("Import and export")
