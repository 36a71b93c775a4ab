from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    """Member appraisal (民主评议党员) and exemplar selection (选树先进典型)."""

    name = "appraisals"
    verbose_name = _("Appraisal and exemplars")
